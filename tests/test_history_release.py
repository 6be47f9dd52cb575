"""`inclusion-kg release` and `diff`: the committed first release describes the data, a second release is
built in a temporary copy (tests/history_edits.py), the bytes are deterministic, and bad input is refused
with the exit status and message docs/history.md gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from history_edits import (
    ADDED, NEW_LABEL, OLD_LABEL, QUOTA, RELABELLED, SECOND, WITHDRAWN, WITHDRAWN_PARTS, copy_project, next_edition,
    rewrite, second_release,
)
from inclusion_kg.cli import main
from inclusion_kg.graph import load_graph
from inclusion_kg.history.log import load_log, version_iri
from inclusion_kg.history.release import descriptions, fingerprint
from inclusion_kg.namespaces import AS, IKG, SKOS

ROOT = Path(__file__).resolve().parents[1]
def run(capsys, root: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def second(tmp_path_factory) -> Path:
    return second_release(tmp_path_factory.mktemp("second-release"))


def test_the_first_release_is_the_committed_data():
    log = load_log(ROOT)
    assert log.names()[0] == "2025.10"
    first = log.releases[0]
    assert set(first.notes) == {"nl", "fr", "de", "en"}
    followed = {str(s).rsplit("/", 1)[1] for s in first.follows}
    assert followed >= {"brochure-2025", "schriftelijke-vraag-17-2018-werkbaar-werk"}
    state = log.state("2025.10")
    graph = load_graph(root=ROOT)
    current = descriptions(graph)
    # every resource of the data has a version object in the first release (a later release may follow)
    assert set(current) <= set(state) | {v.resource for v in log.versions if v.release != "2025.10"}
    measure = next(iter(sorted(r for r in current if "/measure/" in str(r))))
    created = [v for v in log.versions_of(measure) if v.release == "2025.10"][0]
    assert created.change == "created"
    assert (created.iri, RDF.type, AS.Create) in log.graph
    assert (created.iri, DCTERMS.isVersionOf, measure) in log.graph
    assert (created.iri, PROV.generatedAtTime, first.time) in log.graph


def test_release_with_nothing_changed_writes_nothing(capsys, tmp_path):
    root = copy_project(tmp_path)
    before = sorted(p.name for p in (root / "data" / "history").iterdir())
    code, out, _ = run(capsys, root, "release", *SECOND)
    assert code == 0
    assert "nothing changed" in out
    assert sorted(p.name for p in (root / "data" / "history").iterdir()) == before


def test_second_release_records_what_changed(second):
    log = load_log(second)
    assert log.names()[-1] == "2026.03"
    changes = {v.resource: v.change for v in log.versions if v.release == "2026.03"}
    assert changes[QUOTA] == "updated"
    assert changes[RELABELLED] == "updated"
    assert changes[ADDED] == "created"
    assert changes[WITHDRAWN] == "deleted"
    assert {changes[p] for p in WITHDRAWN_PARTS} == {"deleted"}
    deletion = version_iri(WITHDRAWN, "2026.03")
    assert set(log.graph.predicates(deletion)) == {RDF.type, DCTERMS.isVersionOf, PROV.generatedAtTime}
    # the log's state after 2026.03 is the edited data, resource for resource
    state, current = log.state(), descriptions(load_graph(root=second))
    assert set(state) == set(current)
    assert all(fingerprint(state[r]) == fingerprint(current[r]) for r in current)
    # and the first release's file is untouched
    assert (second / "data/history/2025.10.ttl").read_bytes() == (ROOT / "data/history/2025.10.ttl").read_bytes()


def test_release_is_deterministic(tmp_path, second):
    again = copy_project(tmp_path)
    next_edition(again)
    assert main(["--root", str(again), "release", *SECOND]) == 0
    assert (again / "data/history/2026.03.ttl").read_bytes() == (second / "data/history/2026.03.ttl").read_bytes()
    assert main(["format", "--check", str(again / "data/history/2026.03.ttl")]) == 0


def test_diff_in_words(capsys, second):
    code, out, _ = run(capsys, second, "diff", "2025.10", "2026.03")
    assert code == 0
    lines = out.splitlines()
    assert any("minimum (inclusive) changed from 0.03 to 0.025" in line for line in lines)
    assert any(line.endswith(": withdrawn") and "travel costs" in line.lower() for line in lines)
    assert "Test premium: new" in lines
    assert any(f"changed from {OLD_LABEL} to {NEW_LABEL}" in line for line in lines)


def test_diff_as_json(capsys, second):
    code, out, _ = run(capsys, second, "diff", "2025.10", "current", "--json")
    assert code == 0
    body = json.loads(out)
    assert (body["from"], body["to"]) == ("2025.10", "current")
    by_resource = {c["resource"]: c for c in body["changes"]}
    quota = by_resource[str(QUOTA)]
    assert quota["change"] == "updated"
    assert quota["properties"] == [{"property": str(IKG.minInclusive), "language": None,
                                    "removed": ["0.03"], "added": ["0.025"]}]
    label = by_resource[str(RELABELLED)]["properties"]
    assert {"property": str(SKOS.prefLabel), "language": "en", "removed": [str(OLD_LABEL)],
            "added": [str(NEW_LABEL)]} in label
    assert by_resource[str(ADDED)]["change"] == "created"
    assert by_resource[str(WITHDRAWN)]["change"] == "deleted"
    code, out, _ = run(capsys, second, "diff", "2026.03", "current", "--json")
    assert json.loads(out)["changes"] == []


@pytest.mark.parametrize("argv", [
    ["diff", "2024.01", "current"], ["diff", "current", "not-a-version"], ["release", "2026-03", *SECOND[1:]],
    ["release", "2025.10", *SECOND[1:]], ["release", "2025.09", *SECOND[1:]],
])
def test_unknown_or_malformed_versions_exit_2_listing_the_releases(capsys, second, argv):
    code, out, err = run(capsys, second, *argv)
    assert code == 2
    assert "2025.10" in err and out == ""


@pytest.mark.parametrize("time", ["2027-03-01T09:00:00Z", "2027-03-01T10:00:00+01:00", "yesterday", "2027-04-01T09:00"])
def test_a_release_time_not_after_the_latest_or_malformed_exits_2(capsys, second, time):
    code, _, err = run(capsys, second, "release", "2026.04", "--time", time, *SECOND[3:])
    assert code == 2 and "--time" in err
    assert not (second / "data/history/2026.04.ttl").exists()


def test_release_refuses_invalid_data_naming_the_node(capsys, tmp_path):
    root = copy_project(tmp_path)
    measures = root / "data" / "measures" / "phare.ttl"
    rewrite(measures, lambda graph: graph.remove((RELABELLED, SKOS.prefLabel, Literal("Inzetpremie", lang="nl"))))
    assert not any(o.language == "nl" for o in Graph().parse(measures).objects(RELABELLED, SKOS.prefLabel))
    code, _, err = run(capsys, root, "release", *SECOND)
    assert code == 1
    assert str(RELABELLED) in err
    assert not (root / "data/history/2026.03.ttl").exists()


def test_a_resource_using_the_version_predicates_is_refused(capsys, tmp_path):
    root = copy_project(tmp_path)
    rewrite(root / "data/measures/phare.ttl", lambda graph: graph.add((RELABELLED, DCTERMS.isVersionOf, QUOTA)))
    code, _, err = run(capsys, root, "release", *SECOND)
    assert code == 1 and str(RELABELLED) in err
    assert not (root / "data/history/2026.03.ttl").exists()


def test_a_log_that_does_not_conform_is_refused(capsys, tmp_path):
    from inclusion_kg.app import create_app
    from inclusion_kg.history.log import LogError
    from inclusion_kg.settings import Settings

    root = copy_project(tmp_path)
    rewrite(root / "data/history/2025.10.ttl",
            lambda graph: graph.remove((None, URIRef("http://www.w3.org/ns/adms#versionNotes"), None)))
    code, out, _ = run(capsys, root, "validate")
    assert code == 1 and "release notes" in out
    code, _, err = run(capsys, root, "release", *SECOND)
    assert code == 1 and "release notes" in err
    with pytest.raises(LogError):
        create_app(Settings(root=root))
