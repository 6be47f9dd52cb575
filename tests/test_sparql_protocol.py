"""/sparql speaks the SPARQL 1.1 Protocol: operations, result formats, negotiation, errors, caching, CORS."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from urllib.parse import parse_qsl
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SKOS

from inclusion_kg.namespaces import DATASET, ELIGIBILITY_RULES, HISTORY, IKG, SD
from inclusion_kg.sparql.router import query_pairs

SELECT = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s ?label WHERE { ?s skos:prefLabel ?label FILTER(isIRI(?s)) } ORDER BY ?s ?label LIMIT 5"
CONSTRUCT = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s skos:prefLabel ?l } LIMIT 20"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}


def rows(response) -> list[dict]:
    return response.json()["results"]["bindings"]


def test_get_post_form_and_post_direct_give_the_same_answer(client):
    get = client.get("/sparql", params={"query": SELECT})
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post("/sparql", content=SELECT.encode(), headers=DIRECT)
    assert get.status_code == form.status_code == direct.status_code == 200
    assert rows(get) == rows(form) == rows(direct)
    assert len(rows(get)) == 5


# Pieces of query strings: escapes right and wrong, escaped and raw UTF-8, '+', '&', '=', backslashes.
PIECES = st.sampled_from(["a", "query", "=", "&", "+", "%", "%2", "%20", "%zz", "%C3%A9", "%E2%82", "%e2%82%ac",
                          "%5C", "%25", "%%41", "%26", "%3D", "%3d", "%2B", "\\", "\\x41", "\\u00e9", "é", "€",
                          " ", "?", "#"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(PIECES, max_size=24))
def test_query_strings_and_forms_are_read_as_urllib_reads_them(pieces):
    raw = "".join(pieces).encode("utf-8")
    for errors in ("replace", "strict"):
        try:
            expected = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors=errors)
        except UnicodeDecodeError:
            with pytest.raises(UnicodeDecodeError):
                query_pairs(raw, errors)
        else:
            assert query_pairs(raw, errors) == expected


def test_a_form_query_with_ampersands_equals_signs_and_pluses_is_read_whole(client):
    query = 'SELECT ?x WHERE { VALUES ?x { "a&b=c+d" } FILTER(STRLEN(?x) = 7 && true || false) }'
    for response in (client.post("/sparql", data={"query": query}, headers={"accept": "application/json"}),
                     client.get("/sparql", params={"query": query}, headers={"accept": "application/json"})):
        assert response.status_code == 200, response.text
        assert rows(response) == [{"x": {"type": "literal", "value": "a&b=c+d"}}]


def test_our_graph_is_the_default_graph_and_the_dataset_named_graph(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    default = int(rows(client.get("/sparql", params={"query": count}))[0]["n"]["value"])
    named = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DATASET}> {{ ?s ?p ?o }} }}"
    in_named = int(rows(client.get("/sparql", params={"query": named}))[0]["n"]["value"])
    chosen = client.get("/sparql", params={"query": count, "default-graph-uri": str(DATASET)})
    assert default == in_named == int(rows(chosen)[0]["n"]["value"]) > 1000
    log = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{HISTORY}> {{ ?s ?p ?o }} }}"  # the change log: its own graph
    in_log = int(rows(client.get("/sparql", params={"query": log}))[0]["n"]["value"])
    rules = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ELIGIBILITY_RULES}> {{ ?s ?p ?o }} }}"  # compiled from ours
    in_rules = int(rows(client.get("/sparql", params={"query": rules}))[0]["n"]["value"])
    health = client.get("/health").json()
    assert health["triples"] == 2 * default + in_log + in_rules and health["graph_triples"] == default  # in both


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/csv;q=0.9, */*;q=0.1", "text/csv"),
        ("*/*", "application/sparql-results+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        (None, "application/sparql-results+json"),
    ],
)
def test_select_negotiates_by_accept_with_q_values(client, accept, expected):
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": SELECT}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


def test_select_formats_are_well_formed(client):
    def get(fmt):
        response = client.get("/sparql", params={"query": SELECT, "format": fmt})
        assert response.status_code == 200, response.text
        return response

    as_json = rows(get("json"))
    xml = ET.fromstring(get("xml").content)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in xml.findall("r:head/r:variable", ns)] == ["s", "label"]
    assert len(xml.findall("r:results/r:result", ns)) == 5
    table = list(csv.reader(io.StringIO(get("csv").text)))
    assert table[0] == ["s", "label"] and len(table) == 6
    assert table[1] == [as_json[0]["s"]["value"], as_json[0]["label"]["value"]]
    tsv = get("tsv").text.splitlines()
    assert tsv[0] == "?s\t?label" and tsv[1].startswith(f"<{as_json[0]['s']['value']}>\t")
    assert f'@{as_json[0]["label"]["xml:lang"]}' in tsv[1]


def test_ask_in_json_and_xml(client):
    yes = client.get("/sparql", params={"query": f"ASK {{ ?m a <{IKG.SupportMeasure}> }}"})
    assert yes.json() == {"head": {}, "boolean": True}
    no = client.get("/sparql", params={"query": "ASK { <urn:nothing> ?p ?o }", "format": "xml"})
    assert ET.fromstring(no.content).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
def test_construct_in_every_rdf_format(client, accept, rdflib_format):
    response = client.post("/sparql", data={"query": CONSTRUCT}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    parsed = Dataset() if rdflib_format in ("nquads", "trig") else Graph()
    parsed.parse(data=response.content, format=rdflib_format)
    assert len(parsed) == 20 if not isinstance(parsed, Dataset) else len(list(parsed.quads())) == 20
    assert all(p == SKOS.prefLabel for _, p, _ in Graph().parse(data=client.post(
        "/sparql", data={"query": CONSTRUCT}, headers={"accept": "text/turtle"}).content, format="turtle"))


def test_describe_is_a_bounded_description_of_the_resource(client):
    measure = "https://w3id.org/inclusion-kg/id/measure/phare-inzetpremie"
    response = client.get("/sparql", params={"query": f"DESCRIBE <{measure}>"}, headers={"accept": "text/turtle"})
    graph = Graph().parse(data=response.content, format="turtle")
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    assert subjects == {URIRef(measure)}
    assert (URIRef(measure), RDF.type, IKG.SupportMeasure) in graph


def test_format_parameter_wins_over_accept_and_unknown_formats_are_406(client):
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"}, headers={"accept": "application/json"})
    assert response.headers["content-type"].startswith("text/csv")
    bad = client.get("/sparql", params={"query": SELECT, "format": "turtle"})
    assert bad.status_code == 406 and "turtle" in bad.text
    unacceptable = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": "text/csv"})
    assert unacceptable.status_code == 406 and "CONSTRUCT" in unacceptable.text


def test_browser_gets_an_html_table(client):
    browser = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    response = client.get("/sparql", params={"query": SELECT}, headers=browser)
    assert response.headers["content-type"].startswith("text/html")
    assert "<table>" in response.text and response.text.count("<tr>") == 6
    assert '<html lang="en"' in response.text and "<nav" in response.text  # the site's layout
    french = client.get("/sparql", params={"query": "ASK {}", "lang": "fr"}, headers=browser)
    assert '<html lang="fr"' in french.text and "Réponse" in french.text and "oui" in french.text
    again = client.get("/sparql", params={"query": "ASK {}", "lang": "fr"},
                       headers={**browser, "if-none-match": french.headers["etag"]})
    assert again.status_code == 304
    other = client.get("/sparql", params={"query": "ASK {}", "lang": "nl"},
                       headers={**browser, "if-none-match": french.headers["etag"]})
    assert other.status_code == 200 and '<html lang="nl"' in other.text  # the page's ETag names its language
    attack = client.get("/sparql", params={"query": 'SELECT ("<script>x</script>" AS ?x) {}'}, headers=browser)
    assert "<script>x</script>" not in attack.text and "&lt;script&gt;" in attack.text


def test_service_description_without_query(client):
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="turtle")
    service = next(graph.subjects(RDF.type, SD.Service))
    assert str(service).endswith("/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) not in graph  # the default graph is its own set
    assert (None, SD.name, URIRef(str(DATASET))) in graph
    as_jsonld = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert len(Graph().parse(data=as_jsonld.content, format="json-ld")) == len(graph)


def test_browser_without_query_gets_the_offline_query_ui(client):
    page = client.get("/sparql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "yasgui.min.js" in page.text and "Example queries" in page.text
    # nothing is loaded from outside (links to other sites, such as the licence's, are not loads)
    assert not re.search(r"""(src=|<link[^>]*href=)["']?(https?:)?//""", page.text)
    script = client.get("/static/yasgui/yasgui.min.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/static/yasgui/yasgui.min.css").status_code == 200


@pytest.mark.parametrize(
    "request_kwargs, status, words",
    [
        ({"method": "GET", "params": {"query": "ASK {"}}, 400, "1:6"),
        ({"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "more than one"),
        ({"method": "POST", "content": b"ASK {}", "headers": {"content-type": "text/plain"}}, 415, "application/sparql-query"),
        ({"method": "POST", "content": b"query=ASK%20%7B%7D"}, 415, "Content-Type"),
        ({"method": "POST", "content": "ASK {}".encode("utf-16"), "headers": DIRECT}, 400, "UTF-8"),
        ({"method": "POST", "content": "ASK {}".encode("utf-16"), "headers": {"content-type": "application/sparql-query; charset=UTF-16"}}, 400, "UTF-8"),
        ({"method": "POST", "content": b"query=ASK%20%7B%FF%7D", "headers": FORM}, 400, "UTF-8"),
        ({"method": "POST", "content": b"", "headers": FORM}, 400, "no query"),
        ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 403, "read-only"),
        ({"method": "POST", "content": b"update=CLEAR%20ALL", "headers": FORM}, 403, "read-only"),
        ({"method": "POST", "content": b"CLEAR ALL", "headers": {"content-type": "application/sparql-update"}}, 403, "read-only"),
        ({"method": "GET", "params": {"query": "DROP ALL"}}, 403, "read-only"),
        ({"method": "PUT", "params": {"query": "ASK {}"}}, 405, "Method Not Allowed"),
    ],
)
def test_bad_requests_get_a_4xx_that_says_why(client, request_kwargs, status, words):
    method = request_kwargs.pop("method")
    response = client.request(method, "/sparql", **request_kwargs)
    assert response.status_code == status, response.text
    assert words in response.text


def test_syntax_error_as_json_has_message_and_position(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE {\n ?s ?p }"}, headers={"accept": "application/json"})
    body = response.json()
    assert response.status_code == 400
    assert body["error"] == "query-syntax" and body["position"] == "2:9" and "expected" in body["message"]


def test_queries_over_100_kb_get_413(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_001
    assert client.post("/sparql", content=big.encode(), headers=DIRECT).status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413
    padded = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 90_000
    assert client.post("/sparql", content=padded.encode(), headers=DIRECT).status_code == 200


@pytest.fixture
def three_rows(app, client):
    """The session app, its row limit set to 3 (at start-up its own look-ups need more)."""
    engine = app.state.engine
    saved, engine.limits = engine.limits, replace(engine.limits, max_rows=3)
    yield client
    engine.limits = saved


def test_row_limit_refuses_huge_answers(three_rows):
    client = three_rows
    many = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 4"})
    few = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"})
    for fmt in ("xml", "csv", "tsv"):
        query = "SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT %d"
        assert client.get("/sparql", params={"query": query % 4, "format": fmt}).status_code == 422, fmt
        assert client.get("/sparql", params={"query": query % 3, "format": fmt}).status_code == 200, fmt
    graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 4"})
    assert many.status_code == 422 and "more than 3 rows" in many.text
    assert few.status_code == 200 and len(rows(few)) == 3
    assert graph.status_code == 422 and "more than 3 triples" in graph.text


def test_etag_cache_control_and_304(client):
    first = client.get("/sparql", params={"query": SELECT})
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"] and "Accept" in first.headers["vary"]
    again = client.get("/sparql", params={"query": SELECT}, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other_format = client.get("/sparql", params={"query": SELECT, "format": "csv"}, headers={"if-none-match": etag})
    assert other_format.status_code == 200 and other_format.headers["etag"] != etag
    random = client.get("/sparql", params={"query": "SELECT (RAND() AS ?r) {}"})
    assert "etag" not in random.headers and random.headers["cache-control"] == "no-store"


def test_answers_are_kept_in_the_one_answer_cache(app, client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . FILTER(isIRI(?o)) }"
    cache = app.state.engine.cache
    first = client.get("/sparql", params={"query": query})
    hits = cache.hits
    again = client.get("/sparql", params={"query": query})
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert client.post("/sparql", data={"query": query}).content == first.content
    assert cache.hits == hits + 2  # GET and POST: the same answer, kept once
    csv = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")  # the Accept header is part of the key
    random = "SELECT (RAND() AS ?r) {}"
    client.get("/sparql", params={"query": random})
    hits = cache.hits
    assert client.get("/sparql", params={"query": random}).status_code == 200 and cache.hits == hits


def test_cors_for_get_post_and_preflight(client):
    origin = {"origin": "https://notebook.example"}
    assert client.get("/sparql", params={"query": SELECT}, headers=origin).headers["access-control-allow-origin"] == "*"
    post = client.post("/sparql", data={"query": SELECT}, headers=origin)
    assert post.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={**origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type"},
    )
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_engine_contract_for_named_queries(app):
    """What the named queries build on: execute() -> bytes, and errors from inclusion_kg.errors."""
    from inclusion_kg import errors

    engine = app.state.engine
    body = json.loads(engine.execute(SELECT, "application/sparql-results+json"))
    assert body["head"]["vars"] == ["s", "label"]
    with pytest.raises(errors.QuerySyntaxError) as syntax:
        engine.execute("SELECT * {", "application/sparql-results+json")
    assert syntax.value.position == "1:11"
    with pytest.raises(errors.ForbiddenQueryError):
        engine.execute("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "application/sparql-results+json")
    with pytest.raises(errors.UpdateNotAllowedError):
        engine.execute("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-results+json")
    with pytest.raises(errors.NotAcceptableError):
        engine.execute(CONSTRUCT, "application/sparql-results+json")
    dataset = engine.execute(
        "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "text/csv", default_graph_uris=["urn:no-such-graph"]
    )
    assert dataset.decode().splitlines() == ["n", "0"]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_answers_larger_than_a_pipe_buffer_come_back_whole(live_server, fmt):
    """Hundreds of kB cross the worker pipe (64 kB buffer) on the event loop's path, under real uvicorn."""
    import httpx

    query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} # {fmt} large"
    response = httpx.get(f"{live_server}/sparql", params={"query": query, "format": fmt}, timeout=30)
    assert response.status_code == 200, response.text
    assert len(response.content) > 200_000
    if fmt == "json":
        assert len(response.json()["results"]["bindings"]) > 3000
