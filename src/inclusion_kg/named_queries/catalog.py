"""The named queries of a `queries/` folder, with their enumerations filled from the data.

grlc's bare `#+ enumerate: - name` asks for the values a parameter takes in the data: like grlc, we
run the query's WHERE group with every parameter unbound and list the distinct values of the
parameter's variable. That happens once, at start-up (the served dataset is frozen).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from inclusion_kg.named_queries import binding, grlc, sparql_text
from inclusion_kg.named_queries.grlc import NamedQuery, Parameter
from inclusion_kg.named_queries.results import Select

log = logging.getLogger(__name__)


class UnknownQuery(LookupError):
    def __init__(self, name: str, known: list[str]):
        super().__init__(f"no named query {name!r}; known: {', '.join(known)}")
        self.name = name
        self.known = known


def data_enumeration(query: NamedQuery, parameter: Parameter, select: Select) -> tuple[str, ...] | None:
    """The distinct values of the parameter's variable over the query's WHERE group."""
    try:
        prologue, body = sparql_text.prologue_and_where(query.text)
        variable = parameter.variable
        rows = select(f"{prologue}SELECT DISTINCT ?{variable} WHERE {{ {body} }} ORDER BY ?{variable}")
    except Exception as error:  # a query we cannot enumerate still serves, without an enum
        log.warning("cannot enumerate %s of %s: %s", parameter.name, query.name, error)
        return None
    values = tuple(row[variable]["value"] for row in rows if variable in row)
    return values or None


class Catalog:
    """The named queries by name, ready to bind."""

    def __init__(
        self,
        folder: Path,
        select: Select,
        enumerations: Mapping[tuple[str, str], tuple[str, ...]] | None = None,
    ):
        """`enumerations` sets (query, parameter) value lists from elsewhere (e.g. a SKOS scheme)."""
        self.folder = folder
        self.queries: dict[str, NamedQuery] = {}
        for name, query in grlc.load_folder(folder).items():
            parameters = []
            for parameter in query.parameters:
                enum = (enumerations or {}).get((name, parameter.name))
                if enum is None and parameter.enumerate_from_data:
                    enum = data_enumeration(query, parameter, select)
                parameters.append(replace(parameter, enum=enum) if enum else parameter)
            self.queries[name] = replace(query, parameters=tuple(parameters))

    def __iter__(self):
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> NamedQuery:
        if name not in self.queries:
            raise UnknownQuery(name, sorted(self.queries))
        return self.queries[name]

    def bind(self, name: str, values: Mapping[str, str]) -> str:
        """The SPARQL to run for `name` with raw parameter `values` (ParameterError on bad input)."""
        return binding.bind(self.get(name), values)

    def describe(self, base: str = "") -> list[dict]:
        """The list served at GET /queries (JSON)."""
        return [
            {
                "name": query.name,
                "url": f"{base}/queries/{query.name}",
                "summary": query.summary,
                "description": query.description,
                "tags": list(query.tags),
                "form": query.form,
                "parameters": [parameter_dict(p) for p in query.parameters],
            }
            for query in self
        ]


def parameter_dict(parameter: Parameter) -> dict:
    described = {
        "name": parameter.name,
        "type": parameter.kind,
        "required": parameter.required,
    }
    if parameter.datatype:
        described["datatype"] = parameter.datatype
    if parameter.lang:
        described["lang"] = parameter.lang
    if parameter.enum:
        described["enum"] = list(parameter.enum)
    if parameter.default is not None:
        described["default"] = parameter.default
    if parameter.description:
        described["description"] = parameter.description
    return described
