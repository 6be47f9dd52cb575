"""The W3C SPARQL 1.1 Protocol test suite (tests/w3c/sparql11-protocol/manifest.ttl) against our app.

The graphs of the dataset tests are served with `--data` (as N-Quads under their test IRIs). Every query
test and every negative test must pass; the update tests must get a 4xx (the endpoint is read-only).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS

SUITE = Path(__file__).parent / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

MANIFEST = Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=(SUITE / "manifest.ttl").as_uri())


def entries() -> list[URIRef]:
    manifest = next(MANIFEST.subjects(MF.entries, None))
    return list(Collection(MANIFEST, MANIFEST.value(manifest, MF.entries)))


def graph_data() -> dict[str, Path]:
    """Graph IRI -> data file, over every test of the manifest."""
    found = {}
    for node in MANIFEST.objects(None, UT.graphData):
        found[str(MANIFEST.value(node, RDFS.label))] = Path(unquote(str(MANIFEST.value(node, UT.graph))[7:]))
    return found


def requests_of(test: URIRef) -> list[dict]:
    action = MANIFEST.value(test, MF.action)
    out = []
    for request in Collection(MANIFEST, MANIFEST.value(action, HT.requests)):
        headers = {}
        if (header_list := MANIFEST.value(request, HT.headers)) is not None:
            for header in Collection(MANIFEST, header_list):
                headers[str(MANIFEST.value(header, HT.fieldName))] = str(MANIFEST.value(header, HT.fieldValue))
        body = None
        if (content := MANIFEST.value(request, HT.body)) is not None:
            encoding = str(MANIFEST.value(content, CNT.characterEncoding) or "UTF-8")
            body = str(MANIFEST.value(content, CNT.chars)).encode(encoding)
        response = MANIFEST.value(request, HT.resp)
        out.append(
            {
                "method": str(MANIFEST.value(request, HT.methodName)),
                "path": str(MANIFEST.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                "headers": headers,
                "body": body,
                "status": {str(s).rsplit("StatusCode", 1)[1] for s in MANIFEST.objects(response, MF.expectedStatus)},
                "format": str(MANIFEST.value(response, MF.expectedFormat) or "") or None,
                "boolean": MANIFEST.value(response, MF.expectedBoolean),
            }
        )
    return out


TESTS = {str(test).rsplit("#", 1)[1]: test for test in entries()}


@pytest.fixture(scope="module")
def w3c_client(make_app, tmp_path_factory):
    quads = tmp_path_factory.mktemp("w3c") / "protocol-graphs.nq"
    lines = []
    for name, path in sorted(graph_data().items()):
        for triple_line in path.read_text(encoding="utf-8").splitlines():
            if triple_line.strip():
                lines.append(triple_line.rstrip().removesuffix(".").rstrip() + f" <{name}> .")
    quads.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return TestClient(make_app(data=(quads,)))


def check_format(response, expected: str) -> None:
    kind = response.headers["content-type"].split(";")[0]
    allowed = {
        "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
        "tabular": {
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        },
        "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
    }[expected]
    assert kind in allowed


def boolean_of(response) -> bool:
    if "json" in response.headers["content-type"]:
        return json.loads(response.content)["boolean"]
    node = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return node.text == "true"


def test_the_whole_suite_is_here():
    assert len(TESTS) == 34
    assert sum(name.startswith("update_") for name in TESTS) == 7


@pytest.mark.parametrize("name", sorted(TESTS))
def test_w3c_protocol(w3c_client, name):
    for step, request in enumerate(requests_of(TESTS[name])):
        response = w3c_client.request(
            request["method"], request["path"], content=request["body"], headers=request["headers"]
        )
        if name.startswith("update_"):  # read-only by design: the update is refused, with a reason
            assert 400 <= response.status_code < 500 and "read-only" in response.text
            return
        status_class = f"{response.status_code // 100}xx"
        assert status_class in request["status"], (step, response.status_code, response.text)
        if status_class == "4xx":
            assert response.text.strip()  # every 4xx says why
        if request["format"]:
            check_format(response, request["format"])
        if request["boolean"] is not None:
            assert boolean_of(response) == request["boolean"].toPython()
