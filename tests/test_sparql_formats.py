"""Units: row counting of serialized tables (the row limit) and Accept parsing (negotiation)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from inclusion_kg.errors import NotAcceptableError
from inclusion_kg.sparql import formats
from inclusion_kg.sparql.negotiation import choose_media_type, engine_media_type


@pytest.fixture(scope="module")
def tricky_store():
    store = ox.Store()
    for i, text in enumerate(['a,"b"\r\nc', "{ } {{", "x\ty\nz", "<result>", "plain"]):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(text)))
    return store


@pytest.mark.parametrize("media_type", formats.RESULTS_FORMATS)
@pytest.mark.parametrize("limit", [0, 4, 5, 100])
def test_count_rows_is_exact_or_a_bound_within_the_limit(tricky_store, media_type, limit):
    body = tricky_store.query("SELECT ?s ?o { ?s ?p ?o }").serialize(format=formats.RESULTS_FORMATS[media_type])
    counted = formats.count_rows(body, media_type, limit)
    assert (counted > limit) == (5 > limit)
    if counted > limit:
        assert counted == 5


@pytest.mark.parametrize(
    "accept, form, fmt, expected",
    [
        ("text/turtle;q=0.2, application/rdf+xml;q=0.8", "CONSTRUCT", None, "application/rdf+xml"),
        ("application/json", "DESCRIBE", None, "application/ld+json"),
        ("text/*", "CONSTRUCT", None, "text/turtle"),
        ("text/*", "SELECT", None, "text/csv"),
        ("text/html", "CONSTRUCT", None, "text/html"),
        ("*/*;q=0, text/csv", "SELECT", None, "text/csv"),
        ("garbage", "SELECT", "tsv", "text/tab-separated-values"),
        ("", "ASK", None, "application/sparql-results+json"),
        ("application/n-triples", "CONSTRUCT", "application/n-quads", "application/n-quads"),
    ],
)
def test_choose_media_type(accept, form, fmt, expected):
    assert choose_media_type(accept, form, fmt) == expected


@pytest.mark.parametrize("accept, form", [("text/turtle", "SELECT"), ("text/csv", "DESCRIBE"), ("*/*;q=0", "ASK")])
def test_nothing_acceptable_is_406(accept, form):
    with pytest.raises(NotAcceptableError):
        choose_media_type(accept, form)


def test_html_is_drawn_from_json_or_turtle():
    assert engine_media_type("text/html", "SELECT") == formats.JSON
    assert engine_media_type("text/html", "DESCRIBE") == formats.TURTLE
    assert engine_media_type(formats.CSV, "SELECT") == formats.CSV
