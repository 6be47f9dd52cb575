"""The SHACL shapes of shapes/inclusion-kg.ttl.

- The shipped data conforms (through `load_graph`, the gate `make serve` uses).
- Every fixture in tests/fixtures/valid/ gives no result at all; every fixture in tests/fixtures/invalid/
  gives exactly the results its `# expect: <focus> <shape> [Warning]` header lines name, for the focus
  nodes they name (scaffolding nodes of a fixture may have results of their own; they are not looked at).
  Fixtures are validated with the ontology only, never with the data.
- Every class shape is proven by at least one invalid fixture; shapes and properties are named for people.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from inclusion_kg.graph import data_files, load_graph, parse_files, validate_graph
from inclusion_kg.namespaces import IKGSH, PREFIXES

ROOT = Path(__file__).resolve().parents[1]
SHAPES_FILE = ROOT / "shapes" / "inclusion-kg.ttl"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))

EXPECT = re.compile(r"^# expect: (\S+) (\S+)(?: (Violation|Warning))?\s*$")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return parse_files([SHAPES_FILE])


def ontology_files() -> list[Path]:
    return sorted((ROOT / "ontology").glob("*.ttl"))


def validate_fixture(path: Path, shapes: Graph):
    return validate_graph(parse_files(ontology_files() + [path]), shapes)


def expand(term: str) -> str:
    """`<iri>` or `prefix:local` (a prefix of inclusion_kg.namespaces) as a full IRI."""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    prefix, _, local = term.partition(":")
    return PREFIXES[prefix] + local


def expectations(path: Path) -> set[tuple[str, str, str]]:
    """(focus node, source shape, severity) for each `# expect:` line of the fixture's header."""
    expected = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = EXPECT.match(line)
        if match:
            focus, shape, severity = match.groups()
            expected.add((expand(focus), expand(shape), severity or "Violation"))
    return expected


def test_fixtures_exist():
    assert VALID and INVALID


# --- the shipped data


def test_shipped_data_conforms():
    """The gate of `make serve`: all shapes in shapes/ and the check queries over ontology + data."""
    load_graph(validate=True)


def test_shipped_data_has_no_violation_of_these_shapes(shapes):
    report = validate_graph(parse_files(data_files()), shapes)
    violations = [v for v in report.violations if v.severity == "Violation"]
    assert not violations, "\n".join(str(v) for v in violations)


# --- fixtures, Brick style: one test per file


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_gives_no_result(path, shapes):
    report = validate_fixture(path, shapes)
    assert report.conforms
    assert report.violations == [], str(report)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_fails_as_its_header_says(path, shapes):
    expected = expectations(path)
    assert expected, f"{path.name} declares no `# expect:` line"
    report = validate_fixture(path, shapes)
    focus_nodes = {focus for focus, _, _ in expected}
    got = {(v.focus, v.shape, v.severity) for v in report.violations if v.focus in focus_nodes}
    assert got == expected, (
        f"missing: {sorted(expected - got)}\nunexpected: {sorted(got - expected)}"
    )
    if any(severity == "Violation" for _, _, severity in expected):
        assert not report.conforms
    for violation in report.violations:
        if violation.focus in focus_nodes:
            assert violation.message and "{?" not in violation.message and "{$" not in violation.message


def test_every_class_shape_is_proven_by_an_invalid_fixture(shapes):
    """Each node shape has an expected result from itself or one of its property shapes, on a focus node
    of its own target class."""
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    covered = set()
    for path in INVALID:
        graph = parse_files([path])
        for focus, shape, _ in expectations(path):
            for node_shape in node_shapes:
                owned = {node_shape, *shapes.objects(node_shape, SH.property)}
                if URIRef(shape) not in owned:
                    continue
                classes = set(shapes.objects(node_shape, SH.targetClass))
                if not classes or any((URIRef(focus), RDF.type, c) in graph for c in classes):
                    covered.add(node_shape)
    missing = sorted(str(s) for s in node_shapes - covered)
    assert not missing, f"no invalid fixture proves {missing}"


# --- the shapes themselves


def test_class_shapes_are_named_after_their_class(shapes):
    for shape, target in shapes.subject_objects(SH.targetClass):
        local = re.split(r"[#/]", str(target))[-1]
        assert shape == IKGSH[f"{local}Shape"], f"{shape} targets {target}"


def test_the_classes_of_the_brochure_have_a_shape(shapes):
    targets = {shapes.qname(t) for t in shapes.objects(None, SH.targetClass)}
    assert targets >= {
        "ikg:SupportMeasure", "cv:PublicOrganisation", "cv:Constraint", "cv:InformationConcept", "cv:Output",
        "skos:Concept", "skos:ConceptScheme", "dct:Location", "foaf:Document", "ikg:Note", "dct:PeriodOfTime",
    }


def test_shapes_and_properties_speak_to_people(shapes):
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, RDFS.label), f"{shape} has no rdfs:label"
        if shapes.value(shape, SH.pattern) is not None:
            assert shapes.value(shape, SH.message), f"{shape} has no sh:message"
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        assert shapes.value(shape, SH.name), f"{shape} has no sh:name"
        assert shapes.value(shape, SH.message), f"{shape} has no sh:message"
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message), f"a SPARQL constraint of {shape} has no sh:message"


def test_property_shapes_are_named(shapes):
    """Blank property shapes would make `make format` unstable and results name no sh:sourceShape."""
    for owner, shape in shapes.subject_objects(SH.property):
        assert isinstance(shape, URIRef), f"{owner} has a blank property shape"


def test_sparql_constraints_run_only_on_their_sparql_target(shapes):
    """pyshacl parses a SPARQL constraint again for each focus node (about 20 ms): a shape with one selects
    its focus nodes with a SPARQL target that finds only the resources breaking the rule."""
    for shape in shapes.subjects(SH.sparql, None):
        assert (shape, RDF.type, SH.NodeShape) in shapes, f"{shape}: SPARQL constraint on a property shape"
        assert shapes.value(shape, SH.targetClass) is None, f"{shape}: SPARQL constraint on a class target"
        target = shapes.value(shape, SH.target)
        assert target is not None and (target, RDF.type, SH.SPARQLTarget) in shapes, shape


def test_severity_is_violation_unless_advisory(shapes):
    advisory = {IKGSH["Constraint-usedBy"], IKGSH["Output-producedBy"]}
    for shape, severity in shapes.subject_objects(SH.severity):
        assert shape in advisory and severity == SH.Warning, f"{shape} has severity {severity}"
