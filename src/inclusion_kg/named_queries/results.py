"""Run a SELECT and get its rows as SPARQL JSON terms, from a pyoxigraph Store or from the app's engine.

Both go through the standard `application/sparql-results+json` serialisation, so code above this
module sees one shape of row: {variable: {"type": "uri"|"literal"|"bnode", "value": ..., ...}}.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from inclusion_kg.namespaces import XSD
from inclusion_kg.sparql.backend import OURS_ONLY
from inclusion_kg.sparql.safety import analyze

JSON_RESULTS = "application/sparql-results+json"
OURS = {"default_graph_uris": OURS_ONLY.default_graphs, "named_graph_uris": OURS_ONLY.named_graphs}

Row = dict[str, dict[str, str]]
Select = Callable[[str], list[Row]]
AsyncSelect = Callable[[str], Awaitable[list[Row]]]


def rows_from_json(payload: bytes | str) -> list[Row]:
    return json.loads(payload)["results"]["bindings"]


def store_select(store: ox.Store) -> Select:
    """A `Select` over a pyoxigraph store (tests, the CLI, start-up look-ups)."""

    def select(query: str) -> list[Row]:
        results = store.query(query)
        return rows_from_json(results.serialize(format=ox.QueryResultsFormat.JSON))

    return select


def engine_select(engine: Any) -> Select:
    """A `Select` over our own graph in the app's query engine.

    The dataset is OURS_ONLY: our graph as the default graph, its change log and the eligibility rules
    compiled from it by name. Files served beside ours (`--data`) can neither change an eligibility answer
    nor the accepted inputs, and do not slow them down.
    """

    def select(query: str) -> list[Row]:
        return rows_from_json(engine.execute(query, JSON_RESULTS, **OURS))

    return select


def engine_select_async(engine: Any, template: str) -> AsyncSelect:
    """`engine_select` for the event loop (no thread), for queries bound from the named query `template`:
    its safety analysis stands for theirs (sparql/engine.py). Their answers are not kept: the caller keeps
    what it makes of them (/eligibility, its answer's JSON), one cache entry per question."""
    analysis = analyze(template)

    async def select(query: str) -> list[Row]:
        answer = await engine.execute_async(query, JSON_RESULTS, **OURS, analysis=analysis, keep=False)
        return rows_from_json(answer)

    return select


def store_from_graph(graph) -> ox.Store:
    """An in-memory pyoxigraph store holding an rdflib graph (serialised as N-Triples), and the eligibility
    rules compiled from it (a named graph, eligibility/compiled.py)."""
    from inclusion_kg.eligibility.compiled import add_compiled_rules
    from inclusion_kg.graph import sorted_ntriples

    store = ox.Store()
    store.bulk_load(sorted_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    add_compiled_rules(store)
    return store


def python_value(term: dict[str, str] | None) -> Any:
    """A JSON-friendly value: IRIs as strings, numbers as numbers, booleans as booleans."""
    if term is None:
        return None
    if term["type"] != "literal":
        return term["value"]
    datatype = term.get("datatype", "")
    value = term["value"]
    if datatype == str(XSD.boolean):
        return value in {"true", "1"}
    if datatype in {str(XSD.integer), str(XSD.int), str(XSD.long), str(XSD.nonNegativeInteger)}:
        return int(value)
    if datatype == str(XSD.decimal):
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() and "." not in value else float(number)
    if datatype in {str(XSD.double), str(XSD.float)}:
        return float(value)
    return value
