"""GET /queries in a browser: every named query, with a form to run it, in the site's layout and language.

Parameters that take one of a list of IRIs are offered by label, with the slug the binding accepts as the
value (`measure=phare-inzetpremie`); booleans are a yes/no choice; dates a date field. Nothing shows an IRI
or an XSD datatype: the JSON listing (`?format=json`) and /openapi.json have those.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from rdflib import URIRef

from inclusion_kg.named_queries.binding import slug_of
from inclusion_kg.namespaces import XSD
from inclusion_kg.publish.i18n import NAMES
from inclusion_kg.publish.view import Page, label
from inclusion_kg.publish.web import html_response, page_for, publication

KINDS = {str(XSD.decimal): "kind_decimal", str(XSD.integer): "kind_integer", str(XSD.date): "kind_date"}


def parameter_field(p: dict, page: Page, graph) -> dict:
    """How a form asks for one parameter: kind, options (value, text), what it takes in words."""
    field = {"name": p["name"], "required": p.get("required", False), "default": p.get("default") or "",
             "kind": "text", "options": [], "takes": page.t(KINDS.get(p.get("datatype", ""), "kind_text"))}
    if p.get("datatype") == str(XSD.boolean):
        field.update(kind="select", options=[("true", page.t("yes")), ("false", page.t("no"))], takes="")
    elif p.get("datatype") == str(XSD.date):
        field["kind"] = "date"
    elif p.get("enum"):
        options = []
        for value in p["enum"]:
            if "://" in value:
                slug = slug_of(value)
                options.append((slug, f"{label(graph, URIRef(value), page.lang).text} ({slug})"))
            else:
                options.append((value, NAMES.get(value, value)))
        field.update(kind="select", options=sorted(options, key=lambda o: o[1].lower()), takes="")
    return field


def queries_page(request: Request, listed: list[dict]) -> Response:
    page = page_for(request)
    graph = publication(request).data
    queries = [{**q, "href": page.asset(f"/queries/{q['name']}"),
                "fields": [parameter_field(p, page, graph) for p in q.get("parameters", [])]} for q in listed]
    response = html_response(request, "named_queries.html", page=page, queries=queries)
    response.headers["Vary"] = "Accept, Accept-Language"
    return response
