"""A real LDES client replicates /feed from a live server: the `ldes-client` package from npm (pinned in
tests/ldes/package-lock.json, installed by `npm ci --prefix tests/ldes`, as .ci/run does).

The members it emits, materialised (the latest version per dct:isVersionOf, deletions removed, the version
triples dropped), must be the served graph's resources, triple for triple: over the committed log, and over a
copy with a second release (a measure withdrawn, one added, a threshold and a label changed).
Locally the test skips, saying why, when node or the client is missing; under CI it fails instead.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from conftest import LiveServer, free_port, require
from history_edits import WITHDRAWN, second_release
from inclusion_kg.history.log import closure, is_versioned, new_graph
from inclusion_kg.history.release import descriptions, fingerprint
from inclusion_kg.namespaces import AS

CLIENT = Path(__file__).parent / "ldes" / "node_modules" / ".bin" / "ldes-client"


def missing_client() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not CLIENT.exists():
        return f"the LDES client is not installed ({CLIENT}; run `npm ci --prefix tests/ldes`)"
    return None


@pytest.fixture(scope="module", autouse=True)
def client_installed():
    require(missing_client())


@pytest.fixture(scope="module", params=["committed log", "second release"])
def live(request, make_app, tmp_path_factory):
    settings = {}
    if request.param == "second release":
        settings["root"] = second_release(tmp_path_factory.mktemp("ldes-second"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"  # the app's --base-url is its own address: the feed's links
    server = LiveServer(make_app(base_url=url, **settings), port).start()
    yield url, request.param
    server.stop()


def replicate(url: str) -> Graph:
    """Run the client over the feed, oldest first; its members, as the triples it prints (n3.js)."""
    done = subprocess.run([str(CLIENT), url + "feed", "--ordered", "ascending"], capture_output=True, text=True,
                          timeout=180, cwd=CLIENT.parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    return Graph().parse(data=done.stdout, format="turtle")  # one triple a line, numbers unquoted


def materialise(members: Graph) -> dict[URIRef, Graph]:
    """Per resource, its latest version's description (deleted resources left out)."""
    latest: dict = {}
    for version, resource in members.subject_objects(DCTERMS.isVersionOf):
        time = members.value(version, PROV.generatedAtTime).toPython()
        if resource not in latest or time > latest[resource][0]:
            latest[resource] = (time, version)
    state = {}
    for resource, (_, version) in latest.items():
        if (version, RDF.type, AS.Delete) in members:
            continue
        description = closure(members, version, new_graph(), rename=resource)
        for predicate in (DCTERMS.isVersionOf, PROV.generatedAtTime):
            description.remove((resource, predicate, None))
        for kind in (AS.Create, AS.Update):
            description.remove((resource, RDF.type, kind))
        state[resource] = description
    return state


def test_the_replicated_members_are_the_served_resources(live):
    url, kind = live
    members = replicate(url)
    assert len(set(members.subjects(DCTERMS.isVersionOf, None))) > 100
    served = Graph().parse(data=httpx.get(url + "dumps/inclusion-kg.nt", timeout=30).content, format="nt")
    expected = descriptions(served)
    replicated = materialise(members)
    assert sorted(replicated) == sorted(expected)
    different = [str(r) for r in expected if fingerprint(replicated[r]) != fingerprint(expected[r])]
    assert different == []
    assert all(is_versioned(r) for r in replicated)
    if kind == "second release":  # the withdrawn measure came as a deletion, after its creation
        versions = set(members.subjects(DCTERMS.isVersionOf, WITHDRAWN))
        assert {str(v).rsplit("/", 1)[1] for v in versions} == {"2025.10", "2026.03"}
        assert any((v, RDF.type, AS.Delete) in members for v in versions)
        assert WITHDRAWN not in replicated
