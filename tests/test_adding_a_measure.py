"""docs/adding-a-measure.md, followed step by step in a temporary copy of the project.

The measure is a fictitious one (tests/fixtures/adding-a-measure/), never in data/. Its file is dropped
into the copy's data/measures/; `format`, `format --check` and `validate` run as the document says; then the
copy is served, unchanged Python and all, and the measure is found in /eligibility (with the statuses its
conditions give), its page, the home page's tables and answer, the dumps and the catalogue's counts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef, namespace  # not DCAT/VOID as globals: pytest's collection probes them

from inclusion_kg.namespaces import BASE, DATASET

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "adding-a-measure" / "example-measure.ttl"
MEASURE = BASE + "id/measure/vdab-example-premie"
STEPS = (ROOT / "docs" / "adding-a-measure.md").read_text(encoding="utf-8")


def copy_of_project(root: Path) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "inclusion_kg.cli", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_of_project(tmp_path_factory.mktemp("project"))
    shutil.copy(FIXTURE, root / "data" / "measures" / FIXTURE.name)  # step: one file in data/measures/
    for step in (("format",), ("format", "--check"), ("validate",)):  # the commands the document gives
        assert f"inclusion-kg {' '.join(step)}" in STEPS
        done = cli(root, *step)
        assert done.returncode == 0, (step, done.stdout, done.stderr)
    return root


@pytest.fixture(scope="module")
def served(project, make_app):
    with TestClient(make_app(root=project)) as client:
        yield client


def status_of(client, **question) -> dict:
    answer = client.get("/eligibility", params={"region": "flanders", "lang": "en", **question})
    assert answer.status_code == 200
    return next(m for m in answer.json()["measures"] if m["measure"] == MEASURE)


def test_the_measure_is_answered_by_eligibility(served):
    assert status_of(served, contract="employment", employment_rate="0.04")["status"] == "eligible"
    assert status_of(served, contract="employment", employment_rate="0.02")["status"] == "not-eligible"
    undecided = status_of(served, contract="employment")
    assert undecided["status"] == "undetermined" and undecided["missing"] == ["employment_rate"]


def test_the_measure_has_its_page_and_its_row(served):
    page = served.get("/id/measure/vdab-example-premie?lang=nl", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Voorbeeldpremie" in page.text and "Voorbeeldbetaling" in page.text
    home = served.get("/?lang=nl", headers={"Accept": "text/html"}).text
    assert "Voorbeeldpremie" in home.split('id="agency-vdab"')[1].split("</table>")[0]
    answer = served.get("/", params={"lang": "nl", "region": "flanders", "contract": "employment",
                                     "employment_rate_percent": "4"}, headers={"Accept": "text/html"}).text
    assert f'data-status="eligible" data-measure="{MEASURE}"' in answer


def test_the_measure_is_in_the_dumps_the_catalogue_and_void(served, client):
    """The catalogue describes the dumps that now hold the measure; VoID counts the new file's triples."""
    dump = served.get("/dumps/inclusion-kg.nt").content
    assert f"<{MEASURE}>".encode() in dump
    catalogue = Graph().parse(data=served.get("/catalog", headers={"Accept": "text/turtle"}).text, format="turtle")
    nt = URIRef(BASE + "dumps/inclusion-kg.nt")
    distribution = catalogue.value(None, namespace.DCAT.downloadURL, nt)
    assert int(catalogue.value(distribution, namespace.DCAT.byteSize)) == len(dump)

    def triples(c) -> int:
        void = Graph().parse(data=c.get("/.well-known/void", headers={"Accept": "text/turtle"}).text,
                             format="turtle")
        return int(void.value(URIRef(str(DATASET)), namespace.VOID.triples))

    assert triples(served) == triples(client) + len(Graph().parse(FIXTURE))


def test_a_missing_label_is_named_by_validate(tmp_path):
    """The document's promise: `validate` names the node at fault and what it lacks."""
    root = copy_of_project(tmp_path)
    text = FIXTURE.read_text(encoding="utf-8")
    broken = text.replace(' ,\n        "Voorbeeldpremie"@nl ;', " ;", 1)  # the measure's first Dutch label
    assert broken != text
    (root / "data" / "measures" / FIXTURE.name).write_text(broken, encoding="utf-8")
    done = cli(root, "validate")
    assert done.returncode == 1 and MEASURE in done.stdout, done.stdout + done.stderr
