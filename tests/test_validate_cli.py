"""`inclusion-kg validate` and the start-up gate, on the shipped data and on broken copies of it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import inclusion_kg
from inclusion_kg.cli import main
from inclusion_kg.graph import data_files, parse_files
from inclusion_kg.namespaces import CV, IKG

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "inclusion_kg.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_shipped_data_validates():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms" in result.stdout


def test_load_graph_returns_the_validated_graph():
    graph = inclusion_kg.load_graph()
    assert len(graph) > 1000
    assert any(graph.subjects(RDF.type, IKG.SupportMeasure))


@pytest.fixture
def broken_root(tmp_path) -> tuple[Path, URIRef]:
    """A copy of the project whose first measure has lost its competent agency."""
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    graph: Graph = parse_files([p for p in data_files(ROOT) if "ontology" not in p.parts])
    measure = sorted(graph.subjects(RDF.type, IKG.SupportMeasure))[0]
    graph.remove((measure, CV.hasCompetentAuthority, None))
    (tmp_path / "data").mkdir()
    graph.serialize(tmp_path / "data" / "all.ttl", format="turtle")
    return tmp_path, measure


def test_validate_fails_and_names_the_node(broken_root):
    root, measure = broken_root
    result = run_cli("--root", str(root), "validate")
    assert result.returncode == 1
    assert str(measure) in result.stdout
    assert "hasCompetentAuthority" in result.stdout


def test_serve_refuses_invalid_data_and_names_the_node(broken_root, capsys):
    root, measure = broken_root
    assert main(["--root", str(root), "serve", "--port", "0"]) == 1
    assert str(measure) in capsys.readouterr().err


def test_validate_reports_a_parse_error_with_its_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert "bad.ttl" in result.stderr and "line 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_paths_read_as_sparql_property_paths():
    from rdflib import BNode, Graph
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    from inclusion_kg.graph import describe_path
    from inclusion_kg.namespaces import DCTERMS, SKOS

    graph = Graph()
    inverse, alternative = BNode(), BNode()
    graph.add((inverse, SH.inversePath, CV.holdsRequirement))
    members = BNode()
    Collection(graph, members, [SKOS.prefLabel, DCTERMS.title])
    graph.add((alternative, SH.alternativePath, members))
    assert describe_path(graph, inverse) == "^cv:holdsRequirement"
    assert describe_path(graph, alternative) == "(skos:prefLabel|dct:title)"
