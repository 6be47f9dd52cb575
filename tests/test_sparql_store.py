"""The store: our graph in the default graph and in its named graph; `--data` files stored once, as `oxigraph
load` stores them (triples in the default graph, a set; TriG/N-Quads graphs by name); `--store PATH` on disk;
the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from inclusion_kg.namespaces import DATASET, ELIGIBILITY_RULES, HISTORY
from inclusion_kg.store import DataFileError, load_files

import pyoxigraph

EX = "http://example.org/research/"
FILES = {
    "stats.ttl": f"<{EX}flanders> <{EX}population> 6821770 .\n",
    "more.nt": f"<{EX}brussels> <{EX}population> \"1249597\" .\n",
    "graphs.trig": f"<{EX}g1> {{ <{EX}wallonia> <{EX}population> 3692283 . }}\n<{EX}loose> <{EX}p> 1 .\n",
    "quads.nq": f"<{EX}dg> <{EX}p> \"in g2\" <{EX}g2> .\n",
    "doc.jsonld": json.dumps({"@id": f"{EX}jsonld", f"{EX}p": "from JSON-LD"}),
    "doc.rdf": (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:ex="{EX}"><rdf:Description rdf:about="{EX}rdfxml"><ex:p>from RDF/XML</ex:p></rdf:Description></rdf:RDF>'
    ),
    # a triple that is also in our graph: the default graph holds it once
    "overlap.ttl": "<https://w3id.org/inclusion-kg/id/measure/phare-inzetpremie> a "
    "<https://w3id.org/inclusion-kg/ontology#SupportMeasure> .\n",
}


@pytest.fixture(scope="module")
def data_files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("data")
    paths = []
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


@pytest.fixture(scope="module")
def disk_client(make_app, data_files, tmp_path_factory):
    location = tmp_path_factory.mktemp("oxigraph") / "store"
    return TestClient(make_app(store=str(location), data=tuple(data_files)))


def ask(client, query: str) -> bool:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


FILE_DEFAULT_TRIPLES = 5  # the triples of FILES in the default graph, besides ours (the overlap is not new)
FILE_NAMED_TRIPLES = 2  # in the named graphs of graphs.trig and quads.nq


@pytest.fixture(scope="module", params=["memory", "disk"])
def data_client(request, make_app, data_files, tmp_path_factory):
    if request.param == "memory":
        return TestClient(make_app(data=tuple(data_files)))
    return request.getfixturevalue("disk_client")


def count(client, query: str, **dataset) -> int:
    response = client.get("/sparql", params={"query": query, **dataset})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_extra_files_are_served_beside_our_graph(data_client, data_files):
    for subject in ("flanders", "brussels", "loose", "jsonld", "rdfxml"):
        assert ask(data_client, f"ASK {{ <{EX}{subject}> ?p ?o }}"), subject  # in the default graph
    for subject in ("wallonia", "dg"):  # in named graphs only
        assert not ask(data_client, f"ASK {{ <{EX}{subject}> ?p ?o }}"), subject
    assert ask(data_client, f"ASK {{ GRAPH <{EX}g1> {{ <{EX}wallonia> ?p ?o }} }}")  # TriG keeps its names
    assert ask(data_client, f"ASK {{ GRAPH <{EX}g2> {{ <{EX}dg> ?p ?o }} }}")  # N-Quads keeps its names
    assert ask(data_client, f"ASK {{ GRAPH <{DATASET}> {{ ?m a <https://w3id.org/inclusion-kg/ontology#SupportMeasure> }} }}")
    assert not ask(data_client, f"ASK {{ GRAPH <{DATASET}> {{ <{EX}flanders> ?p ?o }} }}")  # ours stays ours
    # researchers join their data with ours in one query
    joined = data_client.get(
        "/sparql",
        params={"query": f"SELECT ?n WHERE {{ <{EX}flanders> <{EX}population> ?n . ?r a ?type }} LIMIT 1"},
    )
    assert joined.json()["results"]["bindings"][0]["n"]["value"] == "6821770"


def test_the_files_are_stored_once_and_the_default_graph_is_a_set(data_client):
    health = data_client.get("/health").json()
    ours = health["graph_triples"]
    log = count(data_client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{HISTORY}> {{ ?s ?p ?o }} }}")  # change log
    assert log > 0
    # and the eligibility rules compiled from ours, a named graph of their own (eligibility/compiled.py)
    rules = count(data_client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ELIGIBILITY_RULES}> {{ ?s ?p ?o }} }}")
    assert rules > 0
    assert health["triples"] == 2 * ours + log + rules + FILE_DEFAULT_TRIPLES + FILE_NAMED_TRIPLES
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert count(data_client, everything) == ours + FILE_DEFAULT_TRIPLES  # the overlapping triple once
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(data_client, in_graphs) == ours + log + rules + FILE_NAMED_TRIPLES
    in_ours = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DATASET}> {{ ?s ?p ?o }} }}"
    assert count(data_client, in_ours) == ours


def test_the_service_description_sizes_the_default_graph_and_each_named_graph(data_client):
    """What a harvester reads of the dataset (void:triples) is what queries count in it."""
    from rdflib import Graph

    from inclusion_kg.namespaces import SD, VOID

    turtle = data_client.get("/sparql", headers={"accept": "text/turtle"}).content
    described = Graph().parse(data=turtle, format="turtle")
    default = described.value(next(described.objects(None, SD.defaultDataset)), SD.defaultGraph)
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert described.value(default, VOID.triples).toPython() == count(data_client, everything)
    sizes = {}
    for named in described.objects(None, SD.namedGraph):
        content = described.value(named, SD.graph)
        sizes[str(described.value(named, SD.name))] = described.value(content, VOID.triples).toPython()
    assert sorted(sizes) == sorted([str(DATASET), str(HISTORY), str(ELIGIBILITY_RULES), f"{EX}g1", f"{EX}g2"])
    for name, triples in sizes.items():
        assert count(data_client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}") == triples, name


def test_a_protocol_dataset_or_from_chooses_the_default_graph(data_client):
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    ours = data_client.get("/health").json()["graph_triples"]
    assert count(data_client, everything, **{"default-graph-uri": str(DATASET)}) == ours
    assert count(data_client, everything, **{"default-graph-uri": [f"{EX}g1", f"{EX}g2"]}) == 2
    assert count(data_client, everything, **{"named-graph-uri": f"{EX}g1"}) == 0  # default graph: none given
    assert count(data_client, f"SELECT (COUNT(*) AS ?n) FROM <{EX}g1> WHERE {{ ?s ?p ?o }}") == 1
    assert count(data_client, f"select (count(*) as ?n) from <{DATASET}> from <{EX}g1> {{ ?s ?p ?o }}") == ours + 1
    assert count(data_client, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{EX}g1> WHERE {{ ?s ?p ?o }}") == 0
    assert count(data_client, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{EX}g1> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == 1
    # the protocol dataset replaces the query's FROM
    protocol = {"default-graph-uri": f"{EX}g2"}
    assert count(data_client, f"SELECT (COUNT(*) AS ?n) FROM <{DATASET}> WHERE {{ ?s ?p ?o }}", **protocol) == 1
    assert not ask(data_client, f"ASK FROM <{EX}g2> {{ <{EX}flanders> ?p ?o }}")


def test_unknown_or_missing_files_are_refused(tmp_path):
    odd = tmp_path / "data.xyz"
    odd.write_text("x")
    with pytest.raises(DataFileError, match="unknown RDF extension"):
        load_files(pyoxigraph.Store(), [odd])
    with pytest.raises(DataFileError, match="cannot read"):
        load_files(pyoxigraph.Store(), [tmp_path / "missing.ttl"])
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .")
    with pytest.raises(DataFileError, match="broken.ttl"):
        load_files(pyoxigraph.Store(), [broken])


def test_inclusion_kg_serve_from_the_command_line(data_files):
    from conftest import free_port

    port = free_port()
    command = [sys.executable, "-m", "inclusion_kg.cli", "serve", "--port", str(port), "--query-timeout", "3",
               "--data", str(data_files[0])]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        answer = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": f"ASK {{ <{EX}flanders> ?p ?o }}"})
        assert answer.json()["boolean"] is True
    finally:
        server.terminate()
        server.wait(10)


def test_a_disk_store_is_rebuilt_only_when_its_content_changes(tmp_path):
    from rdflib import Graph, Literal, URIRef

    from inclusion_kg.store import build_store

    graph = Graph()
    graph.add((URIRef(f"{EX}a"), URIRef(f"{EX}p"), Literal(1)))
    extra = tmp_path / "extra.ttl"
    extra.write_text(f"<{EX}b> <{EX}p> 2 .\n")
    location = str(tmp_path / "store")
    first = build_store(graph, location, (extra,))
    marker = (tmp_path / "store" / "inclusion-kg.content").stat().st_mtime_ns
    again = build_store(graph, location, (extra,))  # e.g. the second HTTP worker of `serve --workers 2`
    assert (again.quads, again.data_digest) == (first.quads, first.data_digest) == (3, first.data_digest)
    first_sizes = (first.default_triples, first.named_graphs)
    assert (again.default_triples, again.named_graphs) == first_sizes == (2, {str(DATASET): 1})
    sizes = tmp_path / "store" / "inclusion-kg.graphs.json"
    sizes.write_text('{"default": 7, "named": {"http://example.org/g": 9}}')  # what a reopened store says is kept
    kept = build_store(graph, location, (extra,))
    assert (kept.default_triples, kept.named_graphs) == (7, {"http://example.org/g": 9})  # read, not counted
    sizes.write_text("{")  # unreadable: the sizes are counted again
    recounted = build_store(graph, location, (extra,))
    assert (recounted.default_triples, recounted.named_graphs) == (2, {str(DATASET): 1})
    assert (tmp_path / "store" / "inclusion-kg.content").stat().st_mtime_ns == marker  # not rebuilt
    extra.write_text(f"<{EX}b> <{EX}p> 2, 3 .\n")
    changed = build_store(graph, location, (extra,))
    assert changed.quads == 4 and changed.data_digest != first.data_digest


def test_a_disk_store_of_another_layout_is_rebuilt(tmp_path):
    """A store written with another layout (its marker's key without this layout's prefix) is rebuilt."""
    from rdflib import Graph, Literal, URIRef

    from inclusion_kg.store import LAYOUT, build_store

    graph = Graph()
    graph.add((URIRef(f"{EX}a"), URIRef(f"{EX}p"), Literal(1)))
    location = tmp_path / "store"
    build_store(graph, str(location), source_version="v1")
    marker = location / "inclusion-kg.content"
    other_key = "named-graphs-only:" + marker.read_text().removeprefix(LAYOUT)
    store = pyoxigraph.Store(str(location))
    store.remove(pyoxigraph.Quad(pyoxigraph.NamedNode(f"{EX}a"), pyoxigraph.NamedNode(f"{EX}p"), pyoxigraph.Literal(1)))
    del store  # that layout: our triple in the dataset's graph only
    marker.write_text(other_key)
    rebuilt = build_store(graph, str(location), source_version="v1")
    assert rebuilt.quads == 2 and marker.read_text().startswith(LAYOUT)
    reader = pyoxigraph.Store.read_only(str(location))
    assert sorted(str(q.graph_name) for q in reader) == sorted([str(pyoxigraph.DefaultGraph()), f"<{DATASET}>"])


def test_the_disk_store_key_ignores_blank_node_names(tmp_path):
    """Every process parses the sources afresh, with new blank node names: the store must still be reused."""
    from rdflib import Graph

    from inclusion_kg.store import build_store

    turtle = f"<{EX}a> <{EX}p> [ <{EX}q> 1 ] ."
    location = str(tmp_path / "store")
    build_store(Graph().parse(data=turtle, format="turtle"), location, source_version="v1")
    marker = tmp_path / "store" / "inclusion-kg.content"
    written = marker.stat().st_mtime_ns
    again = build_store(Graph().parse(data=turtle, format="turtle"), location, source_version="v1")
    assert marker.stat().st_mtime_ns == written and again.quads == 4  # two triples, in both graphs


def test_validate_reads_a_non_turtle_file_as_serve_loads_it(data_files):
    """`validate FILE` parses JSON-LD, RDF/XML, N-Triples, TriG with `load_files`: the default graph is what it
    checks (a TriG file's named graphs are not part of it)."""
    from rdflib import Graph, URIRef

    from inclusion_kg.graph import _parse_other

    for path, subject in ((data_files[1], "brussels"), (data_files[4], "jsonld"), (data_files[2], "loose")):
        graph = Graph()
        _parse_other(graph, path)
        assert len(graph) == 1 and (URIRef(f"{EX}{subject}"), None, None) in graph, path.name


def test_queries_over_our_graph_alone_run_on_a_copy_of_it(tmp_path):
    """A query whose dataset is our named graph alone runs on a small in-memory copy of it (the same answer,
    however much `--data` sits beside ours); any other query runs on the whole store."""
    from inclusion_kg.sparql.backend import NO_DATASET, OURS_ONLY, EmbeddedBackend, Limits
    from inclusion_kg.store import our_graph_copy

    store = pyoxigraph.Store(str(tmp_path / "store"))
    ours = pyoxigraph.NamedNode(str(DATASET))
    triple = (pyoxigraph.NamedNode(f"{EX}a"), pyoxigraph.NamedNode(f"{EX}p"), pyoxigraph.Literal(1))
    store.add(pyoxigraph.Quad(*triple, ours))
    store.add(pyoxigraph.Quad(*triple))  # our graph is also the default graph
    for i in range(100):  # data served beside ours
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(f"{EX}x{i}"), triple[1], pyoxigraph.Literal(i)))
    copy = our_graph_copy(store)
    assert list(copy) == [pyoxigraph.Quad(*triple, ours)]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with_copy, without = EmbeddedBackend(store, copy), EmbeddedBackend(store)
    json = "application/sparql-results+json"
    assert with_copy.evaluate(count, OURS_ONLY, json, Limits()) == without.evaluate(count, OURS_ONLY, json, Limits())
    assert b'"101"' in with_copy.evaluate(count, NO_DATASET, json, Limits())
