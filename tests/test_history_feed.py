"""The history over HTTP: /feed (LDES 1.0 on TREE), the pages, /id/.../history and /version/..., the change log
in its own named graph at /sparql, the named query, the catalogue's releases, and the release named by /health
and /eligibility; then the same after a second release built in a temporary copy (tests/history_edits.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SH

from history_edits import ADDED, QUOTA, RELABELLED, WITHDRAWN, second_release
from inclusion_kg.history.log import load_log
from inclusion_kg.namespaces import ADMS, AS, DATASET, HISTORY, IKGSH, LDES, SD, TREE

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/inclusion-kg/"
STREAM = URIRef(f"{DATASET}/feed")
DCAT3 = "http://www.w3.org/ns/dcat#"
TURTLE = {"Accept": "text/turtle"}
HTML = {"Accept": "text/html"}


def turtle(client, path: str) -> Graph:
    response = client.get(path, headers=TURTLE)
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format="turtle")


def page_paths(root: Graph) -> list[str]:
    return sorted(str(node).removeprefix(BASE) for node in root.objects(None, TREE.node))


def sparql_count(client, query: str) -> int:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    return int(response.text.splitlines()[1])


@pytest.fixture(scope="module")
def second_client(make_app, tmp_path_factory):
    from fastapi.testclient import TestClient

    root = second_release(tmp_path_factory.mktemp("feed-second"))
    return TestClient(make_app(root=root))


def test_the_root_describes_the_event_stream(client):
    root = turtle(client, "/feed")
    view = URIRef(BASE + "feed")
    assert (STREAM, RDF.type, LDES.EventStream) in root
    assert (STREAM, TREE.view, view) in root
    assert root.value(STREAM, LDES.timestampPath) == PROV.generatedAtTime
    assert root.value(STREAM, LDES.versionOfPath) == DCTERMS.isVersionOf
    objects = ("versionCreateObject", "versionUpdateObject", "versionDeleteObject")
    assert {root.value(STREAM, LDES[p]) for p in objects} == {AS.Create, AS.Update, AS.Delete}
    assert root.value(STREAM, TREE.shape) == IKGSH.VersionShape
    assert (IKGSH.VersionShape, RDF.type, SH.NodeShape) in root  # on the page: no second fetch
    log = load_log(ROOT)
    first = log.releases[0]
    relations = list(root.objects(view, TREE.relation))
    assert relations and all(root.value(r, TREE.path) == PROV.generatedAtTime for r in relations)
    lower = {str(root.value(r, TREE.node)): root.value(r, TREE.value) for r in relations
             if root.value(r, RDF.type) == TREE.GreaterThanOrEqualToRelation}
    first_pages = [p for p in lower if f"/feed/{first.version}/" in p]
    assert first_pages and all(lower[p] == first.time for p in first_pages)


def test_the_pages_hold_every_version_object_once(client):
    members = []
    for path in page_paths(turtle(client, "/feed")):
        page = turtle(client, "/" + path)
        assert (URIRef(BASE + path), RDF.type, TREE.Node) in page
        for member in page.objects(STREAM, TREE.member):
            assert page.value(member, DCTERMS.isVersionOf) is not None
            assert page.value(member, PROV.generatedAtTime) is not None
            members.append(member)
    assert len(members) == len(set(members)) == len(load_log(ROOT).versions)


@pytest.mark.parametrize("accept,fmt", [("application/n-quads", "nquads"), ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt")])
def test_formats_by_content_negotiation(client, accept, fmt):
    path = "/" + page_paths(turtle(client, "/feed"))[0]
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert "Accept" in response.headers["vary"]
    other = Graph().parse(data=response.content, format=fmt)
    assert isomorphic(other, turtle(client, path))


def test_etags_and_caching(client):
    first = client.get("/feed", headers=TURTLE)
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get("/feed", headers={**TURTLE, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    newest = client.get("/" + page_paths(turtle(client, "/feed"))[-1], headers=TURTLE)
    assert newest.headers["cache-control"] == "public, max-age=60"  # the latest release's pages
    assert client.get("/feed", headers={"Accept": "image/png"}).status_code == 406


def test_the_feed_for_browsers_lists_the_releases(client):
    log = load_log(ROOT)
    page = client.get("/feed?lang=fr", headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for release in log.releases:
        assert release.version in page.text and release.notes["fr"].replace("'", "&#39;") in page.text


@pytest.mark.parametrize("path", [
    "/feed/2099.01/1", "/feed/2025.10/0", "/feed/2025.10/x", "/feed/2025.10/999", "/feed/2025.10/²",
    "/id/measure/no-such-measure/history", "/id/measure/phare-inzetpremie/version/1999.01",
])
def test_unknown_pages_are_404_with_a_page_for_browsers(client, path):
    response = client.get(path, headers=HTML)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert client.get(path, headers=TURTLE).status_code == 404


def test_a_resource_history_and_its_versions(client):
    iri = URIRef(BASE + "id/measure/phare-inzetpremie")
    history = turtle(client, "/id/measure/phare-inzetpremie/history")
    versions = set(history.subjects(DCTERMS.isVersionOf, iri))
    assert versions
    version = sorted(versions)[0]
    one = turtle(client, "/" + str(version).removeprefix(BASE))
    assert (version, DCTERMS.isVersionOf, iri) in one
    assert one.value(version, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")) is not None
    page = client.get("/id/measure/phare-inzetpremie/history", headers=HTML)
    assert page.status_code == 200 and "2025.10" in page.text
    resource_page = client.get("/id/measure/phare-inzetpremie", headers=HTML).text
    assert 'id="history"' in resource_page and "phare-inzetpremie/history" in resource_page
    assert client.get("/id/measure/phare-inzetpremie/history?lang=nl", headers=HTML).text.count("Geschiedenis") >= 1


def test_the_log_is_a_named_graph_apart_from_the_default_graph(client):
    is_version = "<http://purl.org/dc/terms/isVersionOf>"
    assert sparql_count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?v {is_version} ?r }}") == 0
    in_log = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{HISTORY}> {{ ?v {is_version} ?r }} }}"
    assert sparql_count(client, in_log) == len(load_log(ROOT).versions)
    described = turtle(client, "/sparql")
    assert URIRef(str(HISTORY)) in set(described.objects(None, SD.name))


def test_the_named_query_lists_changes_between_two_dates(client):
    first = load_log(ROOT).releases[0]
    day = str(first.time)[:10]
    rows = client.get("/queries/changes-between", params={"from": day, "to": day},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert len(rows) == len([v for v in load_log(ROOT).versions if v.release == first.version])
    assert {r["change"]["value"] for r in rows} == {"created"}
    none = client.get("/queries/changes-between", params={"from": "1999-01-01", "to": "1999-12-31"},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert none == []
    bad = client.get("/queries/changes-between", params={"from": "yesterday"})
    assert bad.status_code == 400 and "date" in bad.text


def test_health_and_eligibility_name_the_release(client):
    latest = load_log(ROOT).latest.version
    release = client.get("/health").json()["release"]
    assert release == latest or release.startswith(latest + "+data.")
    answer = client.get("/eligibility", params={"region": "brussels"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["release"] == release


def test_the_eligibility_command_names_the_release_too(client, capsys):
    import json

    from inclusion_kg.cli import main

    assert main(["eligibility", "--no-validate", "--region", "brussels", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["release"] == client.get("/health").json()["release"]


def test_the_catalogue_and_void_name_the_releases_and_the_feed(client):
    catalog = turtle(client, "/catalog")
    first = URIRef(f"{DATASET}/release/2025.10")
    assert (DATASET, URIRef(DCAT3 + "hasVersion"), first) in catalog
    assert catalog.value(first, URIRef(DCAT3 + "version")) == Literal("2025.10")
    assert {n.language for n in catalog.objects(first, ADMS.versionNotes)} == {"nl", "fr", "de", "en"}
    feeds = [d for d in catalog.objects(DATASET, DCAT.distribution)
             if (d, DCTERMS.conformsTo, URIRef("https://w3id.org/ldes/specification")) in catalog]
    assert [catalog.value(d, DCAT.accessURL) for d in feeds] == [URIRef(BASE + "feed")]
    void = turtle(client, "/.well-known/void")
    assert URIRef(BASE + "feed") in set(void.objects(None, DCAT.accessURL))


# -- after a second release ------------------------------------------------------------------------------

def test_a_second_release_adds_pages_and_keeps_the_old_ones_byte_for_byte(client, second_client):
    old, new = page_paths(turtle(client, "/feed")), page_paths(turtle(second_client, "/feed"))
    added = [p for p in new if p not in old]
    assert added and all(p.startswith("feed/2026.03/") for p in added)
    assert set(old) <= set(new)
    for path in old:
        for accept in ("text/turtle", "application/n-quads", "application/ld+json"):
            before = client.get("/" + path, headers={"Accept": accept})
            after = second_client.get("/" + path, headers={"Accept": accept})
            assert after.content == before.content, (path, accept)
            assert after.headers["etag"] == before.headers["etag"]
            assert "immutable" in after.headers["cache-control"]
    newest = second_client.get("/" + added[0], headers=TURTLE)
    assert newest.headers["cache-control"] == "public, max-age=60"
    page = Graph().parse(data=newest.content, format="turtle")
    kinds = {page.value(m, DCTERMS.isVersionOf): set(page.objects(m, RDF.type))
             for m in page.objects(STREAM, TREE.member)}
    assert AS.Delete in kinds[WITHDRAWN] and AS.Update in kinds[QUOTA] and AS.Create in kinds[ADDED]
    root = turtle(second_client, "/feed")
    upper = [r for r in root.objects(None, TREE.relation) if root.value(r, RDF.type) == TREE.LessThanRelation]
    assert {str(root.value(r, TREE.node)).removeprefix(BASE) for r in upper} == set(old)


def test_history_of_a_withdrawn_and_a_relabelled_measure(second_client):
    slug = str(WITHDRAWN).rsplit("/", 1)[1]
    assert second_client.get(f"/id/measure/{slug}", headers=HTML).status_code == 404  # gone from the data
    history = turtle(second_client, f"/id/measure/{slug}/history")
    changes = {str(v).rsplit("/", 1)[1]: set(history.objects(v, RDF.type))
               for v in history.subjects(DCTERMS.isVersionOf, WITHDRAWN)}
    assert AS.Create in changes["2025.10"] and AS.Delete in changes["2026.03"]
    page = second_client.get(f"/id/measure/{slug}/history", headers=HTML).text
    assert "withdrawn" in page and "2026.03" in page
    relabelled = second_client.get("/" + str(RELABELLED).removeprefix(BASE) + "/history", headers=HTML).text
    assert "Integration premium" in relabelled and "Insertion premium" in relabelled


def test_the_catalogue_after_a_second_release(second_client):
    catalog = turtle(second_client, "/catalog")
    first, second = URIRef(f"{DATASET}/release/2025.10"), URIRef(f"{DATASET}/release/2026.03")
    assert catalog.value(DATASET, URIRef(DCAT3 + "hasCurrentVersion")) == second
    assert catalog.value(second, URIRef(DCAT3 + "previousVersion")) == first
    assert catalog.value(DATASET, URIRef(DCAT3 + "version")) == Literal("2026.03")
    assert second_client.get("/health").json()["release"] == "2026.03"
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(ROOT / "tests" / "standards" / "dcat-ap-3.0.1" / name, format="turtle")
    conforms, report, text = validate(catalog, shacl_graph=shapes, inference="none")
    assert not list(report.subjects(SH.resultSeverity, SH.Violation)), text
    rows = second_client.get("/queries/changes-between", params={"from": "2027-01-01"},
                             headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert {(r["resource"]["value"], r["change"]["value"]) for r in rows} >= {
        (str(WITHDRAWN), "deleted"), (str(QUOTA), "updated"), (str(ADDED), "created"), (str(RELABELLED), "updated")}
    assert {r["release"]["value"] for r in rows} == {"2026.03"}


def test_the_bytes_are_the_same_in_every_process(client):
    """A page's bytes (and so its ETag) do not depend on the process: blank nodes and order are canonical."""
    import hashlib
    import os
    import subprocess
    import sys

    script = ("import hashlib; from inclusion_kg.graph import load_graph; from inclusion_kg.history import "
              "prepare_history; from inclusion_kg.publish.formats import TURTLE, NQUADS, JSONLD; "
              "f = prepare_history(load_graph(validate=False), 'x', None).feed; "
              "print(' '.join(hashlib.sha256(f.body(f.pages[0], m).content).hexdigest() "
              "for m in (TURTLE, NQUADS, JSONLD)))")
    path = "/" + page_paths(turtle(client, "/feed"))[0]
    served = " ".join(hashlib.sha256(client.get(path, headers={"Accept": a}).content).hexdigest()
                      for a in ("text/turtle", "application/n-quads", "application/ld+json"))
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == served
