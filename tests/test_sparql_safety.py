"""No query reaches the network or the file system: a canary HTTP server on loopback must receive nothing."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph
import pytest

from inclusion_kg.errors import ForbiddenQueryError, QuerySyntaxError, UpdateNotAllowedError
from inclusion_kg.sparql.safety import analyze


class Canary:
    """An HTTP server that records every request it gets (and answers like a SPARQL endpoint would)."""

    def __init__(self):
        self.requests: list[str] = []
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                canary.requests.append(f"{self.command} {self.path}")
                body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
                self.send_response(200)
                self.send_header("content-type", "application/sparql-results+json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _record

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def canary():
    canary = Canary()
    yield canary
    canary.close()


def test_the_canary_works(canary):
    """The canary does record a SERVICE call made by a plain pyoxigraph store (so silence means something)."""
    before = len(canary.requests)
    list(pyoxigraph.Store().query(f"SELECT * WHERE {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}"))
    assert len(canary.requests) == before + 1
    canary.requests.clear()


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX c: <{url}> SELECT * WHERE {{ SeRvIcE c: {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<?p) SERVICE<{url}>{{}} }}",
        f'SELECT * WHERE {{ ?s ?p "a\\"" SERVICE <{url}> {{ }} }}',
        f"SELECT * WHERE {{ ?s ?p ?o }} #\n SERVICE <{url}> {{ }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def test_service_is_refused_in_every_spelling_and_the_canary_hears_nothing(client, canary):
    for query in service_queries(canary.url):
        for response in (
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post("/sparql", content=query.encode(), headers={"content-type": "application/sparql-query"}),
        ):
            assert response.status_code == 403, (query, response.text)
            assert "SERVICE" in response.text
    assert canary.requests == []


def test_load_and_updates_are_refused(client, canary):
    for update in (f"LOAD <{canary.url}>", f"LOAD SILENT <{canary.url}> INTO GRAPH <urn:g>", "CLEAR ALL"):
        assert client.post("/sparql", data={"update": update}).status_code == 403
        assert client.get("/sparql", params={"query": update}).status_code == 403
    assert canary.requests == []


def test_from_and_protocol_graphs_are_resolved_only_in_the_store(client, canary):
    queries = [
        f"SELECT * FROM <{canary.url}data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{canary.url}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ]
    for query in queries:
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    for param in ("default-graph-uri", "named-graph-uri"):
        response = client.get(
            "/sparql", params={"query": "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", param: canary.url}
        )
        assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    assert canary.requests == []


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <http://127.0.0.1:9/> {}",
        "PREFIX ex: <http://example.org/> SELECT ?service WHERE { ?service a ex:SERVICE . ex:a.SERVICE ex:load _:service }",
        "PREFIX cpsv: <http://purl.org/vocab/cpsv#> SELECT * WHERE { ?s a cpsv:PublicService }",
        "SELECT * WHERE { ?s ?p '''it's a public service: LOAD it''' }",
        "SELECT ?load WHERE { ?load ?p ?o } LIMIT 1",
    ],
)
def test_words_in_strings_iris_comments_and_names_are_not_keywords(query):
    assert analyze(query).form == "SELECT"


@pytest.mark.parametrize(
    "query, error",
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", UpdateNotAllowedError),
        ("PREFIX ex: <http://e/> DELETE WHERE { ?s ?p ?o }", UpdateNotAllowedError),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", UpdateNotAllowedError),
        ("LOAD <http://127.0.0.1:9/>", ForbiddenQueryError),
        ("nonsense", QuerySyntaxError),
    ],
)
def test_updates_and_non_queries_are_refused(query, error):
    with pytest.raises(error):
        analyze(query)


def test_query_forms_and_determinism():
    assert analyze("PREFIX : <http://e/> BASE <http://b/> CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert analyze("DESCRIBE <urn:x>").is_graph
    assert analyze("ask {}").form == "ASK"
    assert not analyze("SELECT (NOW() AS ?t) {}").deterministic
    assert analyze('SELECT ("NOW()" AS ?t) {}').deterministic


def test_deep_nesting_is_refused_before_it_can_crash_the_parser(client):
    deep = "SELECT * WHERE { FILTER(" + "(" * 30_000 + "1" + ")" * 30_000 + ") }"
    response = client.post("/sparql", content=deep.encode(), headers={"content-type": "application/sparql-query"})
    assert response.status_code == 400 and "nests" in response.text
    fine = "SELECT * WHERE " + "{" * 150 + "}" * 150
    assert client.post("/sparql", data={"query": fine}).status_code == 200


def test_remembered_analyses_stay_bounded_whatever_the_size_of_the_queries():
    from inclusion_kg.sparql import safety

    filler = "# " + "x" * safety.MEMO_QUERY_CHARS + "\n"
    before = safety._remembered.cache_info().currsize
    for number in range(20):  # large queries are analysed every time, never remembered
        assert safety.analyze(f"{filler}SELECT * WHERE {{ ?s ?p {number} }}").form == "SELECT"
    assert safety._remembered.cache_info().currsize == before
    for number in range(safety.MEMO_ENTRIES + 50):
        safety.analyze(f"ASK {{ ?s ?p {number} }}")
    assert safety._remembered.cache_info().currsize == safety.MEMO_ENTRIES
