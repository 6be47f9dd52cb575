"""Turtle and SPARQL hygiene: one source of truth for prefixes, deterministic formatting."""

import re
from pathlib import Path

import pytest

from inclusion_kg.namespaces import PREFIXES
from inclusion_kg.turtle_format import check_file, format_turtle, turtle_files

ROOT = Path(__file__).resolve().parents[1]
DECLARATION = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)

AUTHORED = sorted(
    list(turtle_files(ROOT))
    + list((ROOT / "queries").rglob("*.rq"))
    + list((ROOT / "tests" / "fixtures").rglob("*.ttl"))
)


def test_there_are_files_to_check():
    assert any(p.suffix == ".ttl" for p in AUTHORED) and any(p.suffix == ".rq" for p in AUTHORED)


@pytest.mark.parametrize("path", AUTHORED, ids=lambda p: str(p.relative_to(ROOT)))
def test_prefixes_match_the_registry(path):
    wrong = [
        f"{name}: <{iri}> (registry: {PREFIXES.get(name, 'unknown prefix')})"
        for name, iri in DECLARATION.findall(path.read_text(encoding="utf-8"))
        if PREFIXES.get(name) != iri
    ]
    assert not wrong, f"{path.name} declares prefixes unlike src/inclusion_kg/namespaces.py: {wrong}"


@pytest.mark.parametrize("path", turtle_files(ROOT), ids=lambda p: str(p.relative_to(ROOT)))
def test_turtle_is_formatted(path):
    assert check_file(path) is None


def test_formatter_is_deterministic_and_keeps_the_header():
    messy = (
        "# what this file covers\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/inclusion-kg/id/region/b> skos:prefLabel \"B\"@nl, \"A\"@en .\n"
        "<https://w3id.org/inclusion-kg/id/region/a> skos:prefLabel \"A\"@nl .\n"
    )
    once = format_turtle(messy)
    assert once.startswith("# what this file covers\n")
    assert once == format_turtle(once)
    assert once.index("region:a") < once.index("region:b")
    assert once.index('"A"@en') < once.index('"B"@nl')


def test_unformatted_file_is_reported(tmp_path):
    path = tmp_path / "messy.ttl"
    path.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    assert "not formatted" in check_file(path)


def test_formatting_of_blank_nodes_is_the_same_in_every_process():
    import subprocess
    import sys

    messy = (
        "@prefix ex: <http://example.org/> .\n"
        "[] ex:p 1 . [] ex:p 2 .\n"
        "ex:s ex:p [ ex:q 2 ], [ ex:q 1 ] .\n"
        "ex:t ex:o _:x, _:y . _:x ex:q 5 . _:y ex:q 4 . _:x ex:w _:y .\n"
    )
    script = "import sys; from inclusion_kg.turtle_format import format_turtle; print(format_turtle(sys.stdin.read()))"
    outputs = {
        subprocess.run([sys.executable, "-c", script], input=messy, capture_output=True, text=True, check=True).stdout
        for _ in range(4)
    }
    assert len(outputs) == 1
