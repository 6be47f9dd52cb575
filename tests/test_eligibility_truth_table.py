"""The brochure's "Type contract" tables as a truth table, per contract-type concept, over GET /eligibility and
over /queries/eligibility (tests/test_remote_backends.py runs it again against Oxigraph's server and Virtuoso).

Written by hand from "Regionale steun voor federale werkgevers" (October 2025), table by table; each line
quotes the table row it comes from. The columns of each table are what it covers: PHARE, Actiris and AVIQ have
"Ontdekkingsstage | Contract voor beroepsmatige aanpassing | Werk(contract)", VDAB "Stages (WES, BVS, BIS,
IBO et IBO+) | Werk", and the German-speaking Community's text says "in het kader van een stage- of
arbeidscontract". For every concept of the contract-type scheme the expected status of the measure's
contract condition is one of:
  ✓  met (a ticked column, or a kind of it);
  ✗  unmet (an X column, or broader than X columns only: no kind of it is ticked);
  ?  unknown: broader than a ticked column; the answer asks which kind (`options`: the ticked narrower ones);
  –  not covered: the table has no column for it (nor for a kind of it, nor a broader one), so the brochure
     does not say; unknown, and no answer decides it.
"""

from __future__ import annotations

import pytest

ID = "https://w3id.org/inclusion-kg/id/"
# The order of the symbols in each row below.
CONCEPTS = ("internship", "discovery-internship", "wes", "bvs", "bis", "ibo", "ibo-plus", "adaptation-contract",
            "employment")  # fmt: skip

#                       region, measure                                  int disc wes bvs bis ibo ibo+ adapt empl
TRUTH_TABLE = {
    # VDAB: "Jobcoaches** | X | ✓" under "Stages (WES, BVS, BIS, IBO et IBO+) | Werk"
    ("flanders", "vdab-jobcoaches"):                                  "✗   –    ✗   ✗   ✗   ✗   ✗    –     ✓",
    # Dienst PHARE, under "Ontdekking sstage | Contract voor beroepsmatige aanpassing | Werk":
    # "Inzetpremie* | X | X | ✓"
    ("brussels", "phare-inzetpremie"):                                "✗   ✗    –   –   –   –   –    ✗     ✓",
    # "Mentoring-premie ** | X | X | ✓"
    ("brussels", "phare-mentoring-premie"):                           "✗   ✗    –   –   –   –   –    ✗     ✓",
    # "Premie voor de sensibilisering voor inclusie** | X | ✓ | ✓"
    ("brussels", "phare-premie-sensibilisering-inclusie"):            "✗   ✗    –   –   –   –   –    ✓     ✓",
    # "Arbeidspost-aanpassingen** | X | ✓ | ✓"
    ("brussels", "phare-arbeidspost-aanpassingen"):                   "✗   ✗    –   –   –   –   –    ✓     ✓",
    # "Tussenkost bij verplaatsingskosten** | ✓ | ✓ | ✓"
    ("brussels", "phare-tussenkomst-verplaatsingskosten"):            "?   ✓    –   –   –   –   –    ✓     ✓",
    # Actiris, under "Ontdekkingsstage | Contract voor beroepsmatige aanpassing | Werkcontract":
    # "Premie activa.brussels Actiris ** | X | X | ✓"
    ("brussels", "actiris-premie-activa-brussels"):                   "✗   ✗    –   –   –   –   –    ✗     ✓",
    # "Handicappremie Actiris ** | X | X | ✓"
    ("brussels", "actiris-handicappremie"):                           "✗   ✗    –   –   –   –   –    ✗     ✓",
    # AVIQ, under "Ontdekkingsstage | Contract voor beroepsmatige aanpassing | Werk":
    # "Integratiepremie * | X | X | ✓"
    ("wallonia", "aviq-integratiepremie"):                            "✗   ✗    –   –   –   –   –    ✗     ✓",
    # "Aanpassing arbeidsomstandigheden * | X | X | ✓"
    ("wallonia", "aviq-aanpassing-arbeidsomstandigheden"):            "✗   ✗    –   –   –   –   –    ✗     ✓",
    # "Mentoring premie ** | X | X | ✓"
    ("wallonia", "aviq-mentoring-premie"):                            "✗   ✗    –   –   –   –   –    ✗     ✓",
    # "Aanpassing arbeidspost * | X | ✓ | ✓"
    ("wallonia", "aviq-aanpassing-arbeidspost"):                      "✗   ✗    –   –   –   –   –    ✓     ✓",
    # "Ondersteuning op het werk ** | ✓ | ✓ | ✓"
    ("wallonia", "aviq-ondersteuning-op-het-werk"):                   "?   ✓    –   –   –   –   –    ✓     ✓",
    # "Tussenkost bij verplaatsingskosten ** | ✓ | ✓ | ✓"
    ("wallonia", "aviq-tussenkomst-verplaatsingskosten"):             "?   ✓    –   –   –   –   –    ✓     ✓",
    # German-speaking Community: "ondersteuning ... in het kader van een stage- of arbeidscontract"
    ("german-speaking-community", "dsl-redelijke-aanpassingen"):      "✓   ✓    ✓   ✓   ✓   ✓   ✓    –     ✓",
}  # fmt: skip
# "?": the narrower concepts that would meet it, as the table ticks them.
OPTIONS = {"internship": ["discovery-internship"]}
# AVIQ's "Sensibilisering handicap *" has no ✓/X: it is "onafhankelijk van de aanwerving" (no contract condition).
NO_CONTRACT_CONDITION = {("wallonia", "aviq-sensibilisering-handicap")}

EXPECTED = {"✓": ("met", False), "✗": ("unmet", False), "?": ("unknown", False), "–": ("unknown", True)}


def cells():
    for (region, measure), line in TRUTH_TABLE.items():
        symbols = line.split()
        assert len(symbols) == len(CONCEPTS), (region, measure)
        for concept, symbol in zip(CONCEPTS, symbols):
            yield region, measure, concept, symbol


REGIONS = sorted({region for region, _ in TRUTH_TABLE})


def expectation(concept: str, symbol: str) -> tuple[str, bool, list[str]]:
    status, not_covered = EXPECTED[symbol]
    return status, not_covered, OPTIONS.get(concept, []) if symbol == "?" else []


@pytest.mark.parametrize("region", REGIONS)
def test_the_tables_over_get_eligibility(client, region):
    wrong = []
    for concept in CONCEPTS:
        answer = client.get("/eligibility", params={"region": region, "contract": concept, "date": "2025-10-01"})
        assert answer.status_code == 200, answer.text
        measures = {m["measure"].removeprefix(ID + "measure/"): m for m in answer.json()["measures"]}
        expected_measures = {m for r, m in TRUTH_TABLE if r == region} | {m for r, m in NO_CONTRACT_CONDITION if r == region}
        assert set(measures) == expected_measures, (region, concept)
        for (row_region, name), line in TRUTH_TABLE.items():
            if row_region != region:
                continue
            symbol = line.split()[CONCEPTS.index(concept)]
            (condition,) = [c for c in measures[name]["conditions"] if c["input"] == "contract"]
            got = (condition["status"], condition["not_covered"],
                   [o["concept"].removeprefix(ID + "contract-type/") for o in condition["options"]])  # fmt: skip
            if got != expectation(concept, symbol):
                wrong.append(f"{name} x {concept}: got {got}, the brochure gives {symbol}")
            measure = measures[name]
            if symbol == "✗" and measure["status"] != "not-eligible":
                wrong.append(f"{name} x {concept}: measure {measure['status']}, an X decides not-eligible")
            if symbol in "?–" and (measure["status"] == "eligible"):
                wrong.append(f"{name} x {concept}: measure eligible though the contract is undecided")
            if symbol == "?" and "contract" not in measure["missing"]:
                wrong.append(f"{name} x {concept}: 'contract' not in missing {measure['missing']}")
            if symbol == "–" and "contract" in measure["missing"]:
                wrong.append(f"{name} x {concept}: 'contract' in missing, but no answer decides it")
        for row_region, name in NO_CONTRACT_CONDITION:
            if row_region == region:
                assert not [c for c in measures[name]["conditions"] if c["input"] == "contract"]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("region", REGIONS)
def test_the_tables_over_the_named_query(client, region):
    wrong = []
    for concept in CONCEPTS:
        response = client.get("/queries/eligibility", params={
            "region": region, "contract": concept, "date": "2025-10-01", "lang": "en"},
            headers={"Accept": "application/sparql-results+json"})  # fmt: skip
        assert response.status_code == 200, response.text
        rows = {
            row["measure"]["value"].removeprefix(ID + "measure/"): row
            for row in response.json()["results"]["bindings"]
            if row.get("input", {}).get("value") == "contract"
        }
        for (row_region, name), line in TRUTH_TABLE.items():
            if row_region != region:
                continue
            row = rows[name]
            symbol = line.split()[CONCEPTS.index(concept)]
            not_covered = row["notCovered"]["value"] in ("true", "1")
            options = [o.removeprefix(ID + "contract-type/") for o in row.get("options", {}).get("value", "").split()]
            got = (row["conditionStatus"]["value"], not_covered, sorted(options))
            if got != expectation(concept, symbol):
                wrong.append(f"{name} x {concept}: got {got}, the brochure gives {symbol}")
    assert not wrong, "\n".join(wrong)
