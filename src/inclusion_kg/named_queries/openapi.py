"""The named queries in /openapi.json: one GET and one POST operation per `queries/*.rq` file.

FastAPI documents the routes it knows; the named queries are served by one generic route, so their
operations (parameters with types, enumerations, defaults and descriptions) are added to the schema here.
"""

from __future__ import annotations

from fastapi import FastAPI

from inclusion_kg.named_queries.binding import accepted_values
from inclusion_kg.named_queries.catalog import Catalog
from inclusion_kg.named_queries.grlc import NamedQuery, Parameter
from inclusion_kg.namespaces import XSD
from inclusion_kg.sparql import formats as f

TAG = "named queries"
_NUMBER_TYPES = {str(XSD.decimal), str(XSD.double), str(XSD.float)}
_INTEGER_TYPES = {str(XSD[t]) for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


def parameter_schema(parameter: Parameter) -> dict:
    schema: dict = {"type": "string"}
    if parameter.kind == "iri":
        schema["format"] = "iri"
    elif parameter.kind == "number" or parameter.datatype in _NUMBER_TYPES:
        schema["type"] = "number"
    elif parameter.datatype in _INTEGER_TYPES:
        schema["type"] = "integer"
    elif parameter.datatype == str(XSD.boolean):
        schema["type"] = "boolean"
    elif parameter.datatype == str(XSD.date):
        schema["format"] = "date"
    if parameter.enum:
        values = list(parameter.enum)
        short = [v for v in accepted_values(parameter.enum) if v not in values]
        schema = {"type": "string", "enum": short + values}  # slugs first, then the full IRIs
    if parameter.default is not None:
        schema["default"] = parameter.default
    return schema


def parameter_description(parameter: Parameter) -> str:
    parts = [parameter.description] if parameter.description else []
    if parameter.kind == "iri":
        parts.append("An IRI" + (" (or its last segment, the slug)" if parameter.enum else "") + ".")
    elif parameter.lang:
        parts.append(f"Text, matched as a literal in language '{parameter.lang}'.")
    elif parameter.datatype:
        parts.append(f"A literal of type {parameter.datatype.replace(str(XSD), 'xsd:')}.")
    if not parameter.required:
        parts.append("Optional" + ("." if parameter.default is None else f"; default {parameter.default}."))
    return " ".join(parts)


def _responses(query: NamedQuery) -> dict:
    graph = query.form in ("CONSTRUCT", "DESCRIBE")
    types = list(f.GRAPH_TYPES if graph else f.TABLE_TYPES) + [f.HTML]
    return {
        "200": {
            "description": "The answer, in the format chosen by Accept or `format`"
            + (" (an RDF graph)" if graph else " (a result table)"),
            "content": {media: {} for media in types},
        },
        "304": {"description": "Not modified (If-None-Match matched the ETag)"},
        "400": {"description": "A parameter value that does not fit its type or enumeration; says what is accepted"},
        "406": {"description": "No acceptable format"},
    }


def operations(query: NamedQuery) -> dict:
    parameters = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": parameter_description(p),
            "schema": parameter_schema(p),
        }
        for p in query.parameters
    ]
    parameters.append(
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "The result format, overriding Accept (json, xml, csv, tsv, html; turtle, nt, jsonld ...).",
            "schema": {"type": "string"},
        }
    )
    description = (query.description + "\n\n" if query.description else "") + (
        f"Served from `queries/{query.name}.rq` (grlc conventions).\n\n```sparql\n{query.text.strip()}\n```"
    )
    tags = [TAG, *query.tags]
    get = {
        "tags": tags,
        "summary": query.summary,
        "description": description,
        "operationId": f"named_query_{query.name.replace('-', '_')}",
        "parameters": parameters,
        "responses": _responses(query),
    }
    form_properties = {p["name"]: {**p["schema"], "description": p["description"]} for p in parameters}
    post = {
        **get,
        "operationId": f"named_query_{query.name.replace('-', '_')}_post",
        "parameters": [],
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": form_properties,
                        "required": [p["name"] for p in parameters if p["required"]],
                    }
                }
            }
        },
    }
    return {"get": get, "post": post}


def install_openapi(app: FastAPI, catalog: Catalog) -> None:
    """Extend the app's OpenAPI document with the named queries (composes with other extensions)."""
    previous = app.openapi

    def openapi() -> dict:
        if getattr(app.state, "named_queries_openapi", None) is not None:
            return app.state.named_queries_openapi
        schema = previous()
        paths = schema.setdefault("paths", {})
        for query in catalog:
            paths[f"/queries/{query.name}"] = operations(query)
        tags = schema.setdefault("tags", [])
        if not any(t.get("name") == TAG for t in tags):
            tags.append({"name": TAG, "description": "The public questions of queries/*.rq, one operation each."})
        app.state.named_queries_openapi = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
