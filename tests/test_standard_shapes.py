"""The served graph against the official SEMIC shapes of CPSV-AP 3.2.0 and CCCEV 2.1.0.

The shapes and vocabularies are copies in tests/standards/ (see the README there). The vocabularies are
mixed into the data graph, so that a shape targeting cv:Requirement also reaches our cv:Constraint
conditions and one targeting foaf:Agent our agencies. Every sh:Violation must be a documented deviation
(DEVIATIONS, explained in docs/shacl-deviations.md) or a known gap in the data (DATA_GAPS, to be fixed in
the data); a new violation fails, and so does an entry that no longer occurs, so the lists stay short.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from inclusion_kg.graph import data_files, parse_files
from inclusion_kg.namespaces import CPSV, CV, PREFIXES

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = Path(__file__).resolve().parent / "standards"
VOCABULARIES = [STANDARDS / "cpsv-ap-3.2.0" / "cpsv-ap.ttl", STANDARDS / "cccev-2.1.0" / "cccev.ttl"]
SHAPES = {
    "CPSV-AP 3.2.0": STANDARDS / "cpsv-ap-3.2.0" / "cpsv-ap-SHACL.ttl",
    "CCCEV 2.1.0": STANDARDS / "cccev-2.1.0" / "cccev-ap-SHACL.ttl",
}
DEVIATIONS_DOC = ROOT / "docs" / "shacl-deviations.md"


@dataclass(frozen=True)
class Deviation:
    standard: str
    shape: str  # the standard's node shape, e.g. "RequirementShape"
    path: str  # prefixed name of the result path
    component: str  # prefixed name of the constraint component
    reason: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.standard, self.shape, expand(self.path), expand(self.component))


def expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


MULTILINGUAL = (
    "CCCEV types names and descriptions xsd:string; we give them in nl, fr, de and en as language-tagged "
    "strings (rdf:langString), which CPSV-AP 3.2 itself asks for on dct:title and dct:description."
)

DEVIATIONS = (
    Deviation("CCCEV 2.1.0", "RequirementShape", "skos:prefLabel", "sh:DatatypeConstraintComponent", MULTILINGUAL),
    Deviation("CCCEV 2.1.0", "RequirementShape", "dct:description", "sh:DatatypeConstraintComponent", MULTILINGUAL),
    Deviation("CCCEV 2.1.0", "InformationConceptShape", "skos:prefLabel", "sh:DatatypeConstraintComponent", MULTILINGUAL),
)

DATA_GAPS: tuple = ()


@dataclass(frozen=True)
class Result:
    key: tuple[str, str, str, str]
    focus: str
    severity: str
    message: str

    def __str__(self) -> str:
        standard, shape, path, component = self.key
        return f"[{standard} {shape}] {self.focus}\n    {path} ({component.split('#')[-1]}): {self.message}"


@pytest.fixture(scope="module")
def served() -> Graph:
    return parse_files(data_files())


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    graph = Graph()
    for path in VOCABULARIES:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def results(served, vocabularies) -> dict[str, list[Result]]:
    found = {}
    for standard, path in SHAPES.items():
        shapes = Graph().parse(path, format="turtle")
        _, report, _ = validate(served, shacl_graph=shapes, ont_graph=vocabularies, inference="none")
        found[standard] = [read_result(standard, report, r) for r in report.subjects(RDF.type, SH.ValidationResult)]
    return found


def read_result(standard: str, report: Graph, result) -> Result:
    shape = str(report.value(result, SH.sourceShape))
    node_shape = shape.split("#")[-1].split("/")[0]  # "...#RequirementShape/263a..." -> "RequirementShape"
    return Result(
        key=(standard, node_shape, str(report.value(result, SH.resultPath)),
             str(report.value(result, SH.sourceConstraintComponent))),
        focus=str(report.value(result, SH.focusNode)),
        severity=str(report.value(result, SH.resultSeverity)).split("#")[-1],
        message=str(report.value(result, SH.resultMessage)),
    )


def test_the_standards_reach_our_resources(served, vocabularies):
    """Guard against a vacuous pass: measures are public services, conditions requirements, agencies agents."""
    graph = served + vocabularies

    def instances(cls: URIRef) -> set:
        subclasses = set(graph.transitive_subjects(RDFS.subClassOf, cls))
        return {s for c in subclasses for s in graph.subjects(RDF.type, c)}

    assert len(instances(CPSV.PublicService)) >= 10
    assert instances(CV.Constraint) and instances(CV.Constraint) <= instances(CV.Requirement)
    assert instances(CV.PublicOrganisation) and instances(CV.PublicOrganisation) <= instances(URIRef(PREFIXES["foaf"] + "Agent"))


@pytest.mark.parametrize("standard", SHAPES)
def test_no_violation_but_the_listed_deviations(standard, results):
    allowed = {d.key for d in DEVIATIONS + DATA_GAPS}
    new = [r for r in results[standard] if r.severity == "Violation" and r.key not in allowed]
    assert not new, f"{len(new)} new violation(s) of {standard}:\n" + "\n".join(str(r) for r in new[:20])


def test_every_listed_deviation_still_occurs(results):
    """When the data comes to conform, the entry goes (and its section of docs/shacl-deviations.md)."""
    seen = {r.key for found in results.values() for r in found}
    stale = [d for d in DEVIATIONS + DATA_GAPS if d.key not in seen]
    assert not stale, f"no longer occurs, remove from the list: {stale}"


def test_every_deviation_is_documented():
    text = DEVIATIONS_DOC.read_text(encoding="utf-8")
    for deviation in DEVIATIONS + DATA_GAPS:
        assert deviation.reason
        row = f"| {deviation.standard} | {deviation.shape} | `{deviation.path}` |"
        assert row in text, f"docs/shacl-deviations.md has no row starting {row!r}"
