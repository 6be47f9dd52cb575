"""The remote backend's own rules: safety before the network, timeouts, dataset, publish that fails safely."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from inclusion_kg.cli import main
from inclusion_kg.history.log import load_log
from inclusion_kg.app import create_app
from inclusion_kg.graph import load_graph
from inclusion_kg.namespaces import DATASET, ELIGIBILITY_RULES, HISTORY, SD, VOID
from inclusion_kg.remote.command import published_graphs
from inclusion_kg.remote.digest import content_digest
from inclusion_kg.settings import Settings
from inclusion_kg.remote import RemoteStoreError
from inclusion_kg.remote import publish as publish_module
import stores as servers
from inclusion_kg.remote.location import parse_store

JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def oxigraph(remote_store):
    return remote_store("oxigraph")


@pytest.fixture(scope="module")
def remote_client(oxigraph, make_app):
    return TestClient(make_app(store=oxigraph.store))


def test_location_parsing(monkeypatch):
    monkeypatch.setenv("INCLUSION_KG_STORE_PASSWORD", "secret")
    store = parse_store("sparql+https://reader@db.example:8890/sparql")
    assert (store.query_url, store.user, store.password) == ("https://db.example:8890/sparql", "reader", "secret")
    assert "secret" not in store.describe()
    with pytest.raises(ValueError):
        parse_store("http://db.example/sparql")


def test_default_dataset_is_our_graph(remote_client):
    answer = remote_client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, headers=JSON)
    named = remote_client.get("/sparql", params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"}, headers=JSON)
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 1000
    assert [row["g"]["value"] for row in named.json()["results"]["bindings"]] == [str(DATASET)]
    assert remote_client.get("/health").json()["graph_triples"] > 1000
    # the Service Description gives the same sizes: our graph, as the default graph and by its name
    turtle = remote_client.get("/sparql", headers={"accept": "text/turtle"}).content
    described = Graph().parse(data=turtle, format="turtle")
    triples = int(answer.json()["results"]["bindings"][0]["n"]["value"])
    sizes = {str(described.value(node, SD.name)): described.value(described.value(node, SD.graph), VOID.triples)
             for node in described.objects(None, SD.namedGraph)}
    assert {name: size.toPython() for name, size in sizes.items()} == {str(DATASET): triples}
    default = described.value(next(described.objects(None, SD.defaultDataset)), SD.defaultGraph)
    assert described.value(default, VOID.triples).toPython() == triples


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "LOAD <http://example.org/data.ttl>",
    "DROP GRAPH <https://w3id.org/inclusion-kg/id/dataset/inclusion-kg>",
])
def test_service_load_and_updates_refused_before_the_store(remote_client, query):
    assert remote_client.get("/sparql", params={"query": query}, headers=JSON).status_code == 403
    assert remote_client.get("/health").json()["graph_triples"] > 1000  # still there


def test_syntax_error_is_400_and_pages_work(remote_client):
    assert remote_client.get("/sparql", params={"query": "SELECT * { ?s ?p }"}, headers=JSON).status_code == 400
    page = remote_client.get("/id/agency/vdab", headers={"Accept": "text/turtle"})
    assert page.status_code == 200 and "vdab" in page.text


def test_timeout_is_504(oxigraph, make_app):
    client = TestClient(make_app(store=oxigraph.store, query_timeout=0.5, cache_bytes=0))
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    assert client.get("/sparql", params={"query": slow}, headers=JSON).status_code == 504


def test_row_limit_is_422(oxigraph, make_app):
    client = TestClient(make_app(store=oxigraph.store, max_rows=1000))  # our graph: ~3,300 triples
    assert client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"}, headers=JSON).status_code == 422


def test_a_failed_publish_leaves_the_previous_graph(oxigraph, monkeypatch):
    store = servers.location(oxigraph)
    before = publish_module.Publisher(store).count(str(DATASET))
    broken = publish_module.Publisher.upload

    def lose_a_triple(self, triples, graph):
        broken(self, triples[:-1], graph)

    monkeypatch.setattr(publish_module.Publisher, "upload", lose_a_triple)
    triples = [ox.Triple(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal(str(i))) for i in range(5)]
    with pytest.raises(publish_module.PublishError, match="holds 4 triples, not the 5"):
        publish_module.publish(store, triples, str(DATASET))
    assert publish_module.Publisher(store).count(str(DATASET)) == before


def test_publish_command_replaces_and_verifies(oxigraph, tmp_path, capsys):
    data = tmp_path / "extra.ttl"
    data.write_text("<urn:x:s> <urn:x:p> 1.50 , true , 'x' .\n")
    args = ["publish", "--to", oxigraph.store, "--update", oxigraph.update, "--gsp", oxigraph.gsp]
    assert main(args + ["--data", str(data), "--graph", "urn:x:extra"]) == 0
    assert "3 triples, sha256:" in capsys.readouterr().out
    assert main(args + ["--data", str(data)]) == 2  # our graph is only ever our validated data
    assert main(args) == 0  # our own graph, validated first
    out = capsys.readouterr().out
    assert "published <" + str(DATASET) in out
    assert "published <" + str(HISTORY) in out  # and the change log, in its own named graph
    assert publish_module.Publisher(servers.location(oxigraph)).count(str(HISTORY)) == len(load_log().graph)


def test_serve_refuses_a_store_without_our_graph(tmp_path):
    started = servers.start_oxigraph(tmp_path / "empty")
    try:
        assert main(["serve", "--store", started.store, "--port", "0"]) == 1
    finally:
        started.stop()


def test_serve_refuses_a_store_holding_other_data_and_names_the_command(tmp_path, capsys):
    """Our graph in the store must be the data we validated (same count and content hash, remote/digest.py):
    pages and answers would disagree otherwise."""
    started = servers.start_oxigraph(tmp_path / "other")
    try:
        other = [ox.Triple(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("stale"))]
        publish_module.publish(servers.location(started), other, str(DATASET))
        assert main(["serve", "--store", started.store, "--port", "0"]) == 1
        error = capsys.readouterr().err
        assert "holds other data" in error and "1 triples" in error and "inclusion-kg publish --to" in error
    finally:
        started.stop()


def test_serve_refuses_a_store_whose_eligibility_rules_are_stale(tmp_path):
    """The rules `publish` writes beside our graph must be what our validated data makes of them: stale rules
    would answer /eligibility from other data than the pages describe."""
    started = servers.start_oxigraph(tmp_path / "stale")
    try:
        location = servers.location(started)
        assert main(["publish", "--to", started.store, "--update", started.update, "--gsp", started.gsp]) == 0
        assert set(published_graphs(load_graph(), load_log())) == {str(DATASET), str(ELIGIBILITY_RULES), str(HISTORY)}
        rules = published_graphs(load_graph())[str(ELIGIBILITY_RULES)]
        create_app(Settings(store=started.store)).state.engine.close()  # as published: served
        publish_module.publish(location, rules[:-1], str(ELIGIBILITY_RULES))  # one triple short: stale
        with pytest.raises(RemoteStoreError, match=f"holds other data in <{ELIGIBILITY_RULES}>.*inclusion-kg publish"):
            create_app(Settings(store=started.store))
        publish_module.Publisher(location).update(f"DROP SILENT GRAPH <{ELIGIBILITY_RULES}>")  # none at all
        with pytest.raises(RemoteStoreError, match=f"no triples in <{ELIGIBILITY_RULES}>.*inclusion-kg publish"):
            create_app(Settings(store=started.store))
    finally:
        started.stop()


def test_served_with_forked_workers_each_worker_reaches_the_store(oxigraph, serve_cli):
    """`serve --store sparql+http://...`: every forked HTTP worker opens its own connections to the store;
    a query past the timeout is stopped by the store, so no worker is replaced."""
    import httpx
    import psutil

    served = serve_cli("--store", oxigraph.store, "--workers", "2", "--query-timeout", "1")
    before = {p.pid for p in psutil.Process(served.process.pid).children()}
    for i in range(8):
        with httpx.Client() as http:  # new connections: both workers answer
            answer = http.get(served.url + "/sparql", headers=JSON,
                              params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {i}"})
            assert answer.status_code == 200 and int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 1000
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    assert httpx.get(served.url + "/sparql", params={"query": slow}, headers=JSON, timeout=30).status_code == 504
    assert {p.pid for p in psutil.Process(served.process.pid).children()} == before
    served.stop()


def test_the_compiled_rules_are_the_same_in_every_process_and_as_published():
    """rdflib gives a graph's triples in another order in every process; the rules compiled from them must not
    change with it (the check at `serve --store` compares them, harvesters compare releases)."""
    script = ("import pyoxigraph as ox; from inclusion_kg.store import build_store; "
              "from inclusion_kg.graph import load_graph; from inclusion_kg.namespaces import ELIGIBILITY_RULES; "
              "from inclusion_kg.remote.digest import content_digest; "
              "store = build_store(load_graph()).store; "
              "print(content_digest(store.quads_for_pattern(None, None, None, ox.NamedNode(str(ELIGIBILITY_RULES)))))")
    served = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
              for _ in range(2)}
    published = str(content_digest(published_graphs(load_graph())[str(ELIGIBILITY_RULES)]))
    assert served == {published + "\n"}
