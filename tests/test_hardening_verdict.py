"""The validation verdict is kept per content hash (graph.load_graph): a second start of the same data skips
pyshacl; changed data is validated again; data that does not conform is never kept, so always refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import inclusion_kg.graph as graph_module
from inclusion_kg.graph import InvalidDataError, load_graph

ROOT = Path(__file__).resolve().parents[1]
MEASURE = Path("data") / "measures" / "actiris.ttl"
AGENCY = "    cv:hasCompetentAuthority agency:actiris ;\n"


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / "project" / folder)
    monkeypatch.setenv("INCLUSION_KG_CACHE", str(tmp_path / "verdicts"))
    return tmp_path / "project"


@pytest.fixture
def validations(monkeypatch) -> list:
    ran = []
    real = graph_module.validate_dataset

    def counted(data, root=None):
        ran.append(root)
        return real(data, root)

    monkeypatch.setattr(graph_module, "validate_dataset", counted)
    return ran


def test_a_conforming_verdict_is_kept_and_reused_until_the_data_changes(root, validations):
    first = load_graph(root=root)
    second = load_graph(root=root)
    assert len(validations) == 1 and len(first) == len(second)
    path = root / MEASURE
    path.write_text(path.read_text(encoding="utf-8") + "\n# a changed file is another data version\n")
    load_graph(root=root)
    assert len(validations) == 2  # changed: validated again


def test_data_that_does_not_conform_is_refused_every_time(root, validations):
    path = root / MEASURE
    path.write_text(path.read_text(encoding="utf-8").replace(AGENCY, "", 1), encoding="utf-8")
    for attempt in (1, 2):
        with pytest.raises(InvalidDataError):
            load_graph(root=root)
        assert len(validations) == attempt  # never kept: validated (and refused) each time


def test_shapes_are_part_of_the_verdict(root, validations):
    load_graph(root=root)
    shapes = sorted((root / "shapes").glob("*.ttl"))[0]
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# changed shapes\n", encoding="utf-8")
    load_graph(root=root)
    assert len(validations) == 2


@pytest.fixture
def log_validations(monkeypatch) -> list:
    import inclusion_kg.history.log as log_module

    ran = []
    real = log_module.validate_graph

    def counted(data, shapes):
        ran.append(len(data))
        return real(data, shapes)

    monkeypatch.setattr(log_module, "validate_graph", counted)
    return ran


def test_the_change_log_verdict_is_kept_until_the_log_changes(root, log_validations):
    from inclusion_kg.history.log import load_log

    first, second = load_log(root), load_log(root)
    assert len(log_validations) == 1 and first.digest == second.digest
    release = sorted((root / "data" / "history").glob("*.ttl"))[0]
    release.write_text(release.read_text(encoding="utf-8") + "\n# a changed log\n", encoding="utf-8")
    load_log(root)
    assert len(log_validations) == 2  # changed: checked again


def test_a_change_log_that_does_not_conform_is_refused_every_time(root, log_validations):
    from inclusion_kg.history.log import LogError, load_log

    release = sorted((root / "data" / "history").glob("*.ttl"))[0]
    text = release.read_text(encoding="utf-8")
    broken = text.replace("dct:isVersionOf", "dct:references", 1)
    assert broken != text
    release.write_text(broken, encoding="utf-8")
    for attempt in (1, 2):
        with pytest.raises(LogError):
            load_log(root)
        assert len(log_validations) == attempt  # never kept: checked (and refused) each time


def test_a_second_start_of_the_same_data_loads_neither_pyshacl_nor_the_remote_store_client(root, tmp_path):
    """What a server imports, every HTTP worker holds in memory: a start on a kept verdict with the embedded
    store needs no validator and no HTTP client."""
    script = ("import sys; from pathlib import Path; from inclusion_kg.app import create_app; "
              "from inclusion_kg.settings import Settings; "
              f"create_app(Settings(root=Path({str(root)!r}))); "
              "print(sorted(m for m in ('pyshacl', 'httpx') if m in sys.modules))")
    env = {**os.environ, "INCLUSION_KG_CACHE": str(tmp_path / "verdicts")}
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split("\n")[-2] == "['pyshacl']"  # the first start validates
    assert second.stdout.split("\n")[-2] == "[]"
