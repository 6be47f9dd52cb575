"""The dumps at /dumps/ hold the served dataset in four formats, and `inclusion-kg export` writes the very
same bytes (with the catalogue and VoID)."""

import hashlib
import json

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from inclusion_kg.cli import main
from inclusion_kg.graph import load_graph
from inclusion_kg.namespaces import DATASET

DUMPS = {
    "inclusion-kg.ttl": ("text/turtle", "turtle"),
    "inclusion-kg.nt": ("application/n-triples", "nt"),
    "inclusion-kg.jsonld": ("application/ld+json", "json-ld"),
    "inclusion-kg.nq": ("application/n-quads", "nquads"),
}


@pytest.fixture(scope="module")
def served() -> Graph:
    return load_graph(validate=False)


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_dump_is_the_served_dataset(client, served, name):
    media_type, fmt = DUMPS[name]
    response = client.get(f"/dumps/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    if fmt == "nquads":
        quads = Dataset()
        quads.parse(data=response.content, format="nquads")
        assert [g.identifier for g in quads.graphs() if len(g)] == [URIRef(str(DATASET))]
        graph = quads.graph(URIRef(str(DATASET)))
    else:
        graph = Graph().parse(data=response.content, format=fmt)
    assert len(graph) == len(served)
    if fmt == "turtle":
        assert isomorphic(graph, served)


def test_jsonld_dump_uses_the_published_context(client):
    document = client.get("/dumps/inclusion-kg.jsonld").json()
    assert document["@context"] == client.get("/context.jsonld").json()["@context"]


def test_dump_revalidates_with_its_etag(client):
    etag = client.get("/dumps/inclusion-kg.ttl").headers["etag"]
    assert client.get("/dumps/inclusion-kg.ttl", headers={"If-None-Match": etag}).status_code == 304


def test_unknown_dump_is_404(client):
    assert client.get("/dumps/secrets.txt").status_code == 404


def test_dumps_index_lists_every_file_with_its_hash(client):
    page = client.get("/dumps/").text
    for name in DUMPS:
        assert name in page
        assert hashlib.sha256(client.get(f"/dumps/{name}").content).hexdigest() in page


def test_export_writes_the_same_files(client, tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path)]) == 0
    for name in DUMPS:
        assert (tmp_path / name).read_bytes() == client.get(f"/dumps/{name}").content, name
    catalog = Graph().parse(tmp_path / "catalog.ttl", format="turtle")
    served_catalog = Graph().parse(data=client.get("/catalog", headers={"Accept": "text/turtle"}).content,
                                   format="turtle")
    assert isomorphic(catalog, served_catalog)
    assert len(Graph().parse(tmp_path / "void.ttl", format="turtle")) > 0
    assert "catalog.ttl" in capsys.readouterr().out


def test_export_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["export", "--out", str(first)]) == 0
    assert main(["export", "--out", str(second)]) == 0
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    json.loads((first / "inclusion-kg.jsonld").read_text(encoding="utf-8"))
