"""Adding an input is a change to the ontology and the data, with no Python change: in a temporary copy of
the project, a fictitious information concept (a literal input) and a fictitious measure's condition on it
are added, and a fictitious hierarchy on the employer's concepts; `inclusion-kg eligibility --write-query` regenerates the query's
input lines, and the CLI and GET /eligibility then take the new inputs, check their range and answer by them.
Nothing here is written to the project's own data."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from inclusion_kg.app import create_app
from inclusion_kg.cli import main
from inclusion_kg.graph import project_root
from inclusion_kg.settings import Settings

FICTITIOUS = """
PREFIX cpsv: <http://purl.org/vocab/cpsv#>
PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

ikg:weeklyHours a cv:InformationConcept ;
    dct:identifier "weekly-hours" ;
    skos:prefLabel "Wochenstunden"@de , "weekly hours"@en , "heures par semaine"@fr , "uren per week"@nl ;
    skos:scopeNote "Hours a week, 0 to 60."@en ;
    ikg:inputName "weekly_hours" ;
    ikg:minimumValue 0 ;
    ikg:maximumValue 60 ;
    ikg:valueDatatype xsd:decimal .

<https://w3id.org/inclusion-kg/id/measure/test-fictitious-premium> a cpsv:PublicService , ikg:SupportMeasure ;
    dct:identifier "test-fictitious-premium" ;
    skos:prefLabel "Fictieve premie"@nl , "Prime fictive"@fr , "Fiktive Prämie"@de , "Fictitious premium"@en ;
    dct:title "Fictieve premie"@nl , "Prime fictive"@fr , "Fiktive Prämie"@de , "Fictitious premium"@en ;
    dct:description "Test."@nl , "Test."@fr , "Test."@de , "Test."@en ;
    dct:source <https://w3id.org/inclusion-kg/id/source/brochure-2025-aviq> ;
    dct:spatial <https://w3id.org/inclusion-kg/id/region/wallonia> ;
    cv:hasCompetentAuthority <https://w3id.org/inclusion-kg/id/agency/aviq> ;
    cpsv:produces <https://w3id.org/inclusion-kg/id/output/aviq-integratiepremie> ;
    cv:holdsRequirement <https://w3id.org/inclusion-kg/id/condition/test-fictitious-half-time> ,
        <https://w3id.org/inclusion-kg/id/condition/aviq-mentoring-premie-contract-type> .

<https://w3id.org/inclusion-kg/id/condition/test-fictitious-half-time> a cv:Constraint ;
    dct:identifier "test-fictitious-half-time" ;
    skos:prefLabel "Halbzeit"@de , "At least half time"@en , "Mi-temps"@fr , "Halftijds"@nl ;
    dct:title "Halbzeit"@de , "At least half time"@en , "Mi-temps"@fr , "Halftijds"@nl ;
    dct:description "Test."@nl , "Test."@fr , "Test."@de , "Test."@en ;
    cv:isDerivedFrom <https://w3id.org/inclusion-kg/id/source/brochure-2025-aviq> ;
    cv:constrains ikg:weeklyHours ;
    ikg:minInclusive 19.0 .

# A hierarchy on another concept input (employer): a fictitious kind broader than two of Actiris's kinds,
# and one narrower than the education institution.
<https://w3id.org/inclusion-kg/id/organisation-type/test-local-authority> a skos:Concept ;
    dct:identifier "test-local-authority" ;
    dct:source <https://w3id.org/inclusion-kg/id/source/brochure-2025-actiris> ;
    skos:inScheme <https://w3id.org/inclusion-kg/id/scheme/organisation-type> ;
    skos:prefLabel "Lokale Behörde"@de , "Local authority"@en , "Pouvoir local"@fr , "Lokaal bestuur"@nl .
<https://w3id.org/inclusion-kg/id/organisation-type/municipality>
    skos:broader <https://w3id.org/inclusion-kg/id/organisation-type/test-local-authority> .
<https://w3id.org/inclusion-kg/id/organisation-type/province>
    skos:broader <https://w3id.org/inclusion-kg/id/organisation-type/test-local-authority> .
<https://w3id.org/inclusion-kg/id/organisation-type/test-school> a skos:Concept ;
    dct:identifier "test-school" ;
    dct:source <https://w3id.org/inclusion-kg/id/source/brochure-2025-actiris> ;
    skos:inScheme <https://w3id.org/inclusion-kg/id/scheme/organisation-type> ;
    skos:broader <https://w3id.org/inclusion-kg/id/organisation-type/education-institution> ;
    skos:prefLabel "Schule"@de , "School"@en , "École"@fr , "School"@nl .
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project_root() / folder, root / folder)
    (root / "data" / "test-fictitious.ttl").write_text(FICTITIOUS, encoding="utf-8")
    return root


def test_a_new_input_needs_the_query_regenerated_and_nothing_else(tree, capsys):
    query = tree / "queries" / "eligibility.rq"
    assert "?__weeklyHours_xsd_decimal" not in query.read_text(encoding="utf-8")
    # Before regenerating, the evaluator refuses to start: the query's input lines are not the ontology's.
    assert main(["--root", str(tree), "eligibility", "--no-validate", "--region", "wallonia"]) == 1
    assert "--write-query" in capsys.readouterr().err
    assert main(["--root", str(tree), "eligibility", "--write-query"]) == 0
    assert 'IF(?input = "weekly_hours", ?__weeklyHours_xsd_decimal, ?none)' in query.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(tree), "eligibility", "--region", "wallonia", "--input", "weekly_hours=19",
                 "--contract", "employment", "--date", "2025-10-01", "--json"]) == 0  # fmt: skip
    answer = json.loads(capsys.readouterr().out)
    premium = next(m for m in answer["measures"] if m["measure"].endswith("/test-fictitious-premium"))
    assert premium["status"] == "eligible"
    assert "weekly hours" in [c["input_label"] for c in premium["conditions"]]


def test_every_concept_input_reasons_over_its_hierarchy(tree, capsys):
    """Kleene over skos:broader for the employer too (nothing in the query names an input): a kind broader
    than allowed ones is unknown with them as options; a narrower one meets the rule and its guard."""
    if "?__weeklyHours" not in (tree / "queries" / "eligibility.rq").read_text(encoding="utf-8"):
        assert main(["--root", str(tree), "eligibility", "--write-query"]) == 0
    capsys.readouterr()
    for employer, status, options, staff_guard in [
        ("test-local-authority", "unknown", ["municipality", "province"], "unmet"),  # not a school at all
        ("test-school", "met", [], "met"),  # a school is an education institution: the staff rule applies
    ]:
        assert main(["--root", str(tree), "eligibility", "--no-validate", "--region", "brussels", "--date",
                     "2025-10-01", "--employer", employer, "--json"]) == 0  # fmt: skip
        answer = json.loads(capsys.readouterr().out)
        premium = next(m for m in answer["measures"] if m["measure"].endswith("/actiris-handicappremie"))
        by_input = {c["input"]: c for c in premium["conditions"] if not c.get("applies_only_if")}
        kind = by_input["employer"]
        assert kind["status"] == status, employer
        assert [o["concept"].rsplit("/", 1)[1] for o in kind["options"]] == options
        guarded = next(c for c in premium["conditions"] if c.get("applies_only_if"))
        assert guarded["applies_only_if"]["status"] == staff_guard, employer
        assert "employer" in premium["missing"] if status == "unknown" else "employer" not in premium["missing"]


def test_the_server_takes_the_new_input_and_its_range(tree):
    if "?__weeklyHours" not in (tree / "queries" / "eligibility.rq").read_text(encoding="utf-8"):
        assert main(["--root", str(tree), "eligibility", "--write-query"]) == 0
    app = create_app(Settings(root=tree, query_workers=1))
    try:
        with TestClient(app) as client:
            base = {"region": "wallonia", "date": "2025-10-01"}
            short = client.get("/eligibility", params={**base, "weekly_hours": "18.5"}).json()
            premium = next(m for m in short["measures"] if m["measure"].endswith("/test-fictitious-premium"))
            assert premium["status"] == "not-eligible"
            refused = client.get("/eligibility", params={**base, "weekly_hours": "61"}, headers={"Accept": "application/json"})
            assert refused.status_code == 400 and refused.json()["input"] == "weekly_hours"
            assert "0 to 60" in refused.json()["message"]
    finally:
        app.state.engine.close()
