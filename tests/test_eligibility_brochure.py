"""Every case of the brochure, answered by queries/eligibility.rq (in process, over the project's data).

The expected statuses are written here from the brochure "Regionale steun voor federale werkgevers"
(October 2025), its tables (the ✓/X of the "Type contract" columns) and footnotes (* the 3% quota, ** not
on condition of the quota), and the conditions its text states (Actiris: contractual hire, seven kinds of
organisation, in education only maintenance/administrative/service staff; AVIQ's integration premium:
inactive for more than six months; mentoring premiums: a mentor is appointed; AVIQ's travel costs: in case
of individual transport; AVIQ's awareness funding: independent of hiring). Nothing here is read from the
data or computed by the code under test: the `brochure_status` oracle below only combines these facts
with the Kleene rule of docs/eligibility.md.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest

from inclusion_kg.eligibility import parse_inputs
from test_eligibility_fixtures import evaluator, select, store  # noqa: F401 (fixtures)

ID = "https://w3id.org/inclusion-kg/id/"
INTERNSHIP, ADAPTATION, EMPLOYMENT = "internship", "adaptation-contract", "employment"
DISCOVERY = "discovery-internship"
FLEMISH_STAGES = ("wes", "bvs", "bis", "ibo", "ibo-plus")
# The brochure's columns: "Ontdekkingsstage" and the Flemish "Stages (WES, BVS, BIS, IBO et IBO+)" are internships.
BROADER = {DISCOVERY: INTERNSHIP} | {stage: INTERNSHIP for stage in FLEMISH_STAGES}
# The "Type contract" columns of each region's table (the German-speaking Community: "stage- of arbeidscontract").
COLUMNS = {
    "flanders": {*FLEMISH_STAGES, EMPLOYMENT},  # VDAB: Stages (WES, BVS, BIS, IBO et IBO+) | Werk
    "brussels": {DISCOVERY, ADAPTATION, EMPLOYMENT},  # Ontdekkingsstage | beroepsmatige aanpassing | Werk(contract)
    "wallonia": {DISCOVERY, ADAPTATION, EMPLOYMENT},  # Ontdekkingsstage | beroepsmatige aanpassing | Werk
    "german-speaking-community": {INTERNSHIP, EMPLOYMENT},
}
ACTIRIS_EMPLOYERS = {"autonomous-public-company", "public-credit-institution", "public-transport-company",
                     "province", "municipality", "public-social-welfare-centre", "education-institution"}  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One line of a brochure table: the ticked contract columns, the footnote, the conditions in its text."""

    contracts: frozenset[str]
    quota: bool = False  # * (3% employment rate) rather than **
    inactive_more_than_six_months: bool = False
    mentor: bool = False
    individual_transport: bool = False
    actiris: bool = False  # contractual hire, seven kinds of organisation, education: support staff only
    independent_of_hiring: bool = False


def row(*contracts: str, **conditions) -> Row:
    return Row(frozenset(contracts), **conditions)


BROCHURE: dict[str, dict[str, Row]] = {
    "flanders": {  # VDAB: Stages X, Werk ✓; **
        "vdab-jobcoaches": row(EMPLOYMENT),  # Stages X, Werk ✓
    },
    "brussels": {
        # Dienst PHARE: Ontdekkingsstage | Contract voor beroepsmatige aanpassing | Werk
        "phare-inzetpremie": row(EMPLOYMENT, quota=True),  # X X ✓ *
        "phare-mentoring-premie": row(EMPLOYMENT, mentor=True),  # X X ✓ **
        "phare-premie-sensibilisering-inclusie": row(ADAPTATION, EMPLOYMENT),  # X ✓ ✓ **
        "phare-arbeidspost-aanpassingen": row(ADAPTATION, EMPLOYMENT),  # X ✓ ✓ **
        "phare-tussenkomst-verplaatsingskosten": row(DISCOVERY, ADAPTATION, EMPLOYMENT),  # ✓ ✓ ✓ **
        # Actiris: Ontdekkingsstage | Contract voor beroepsmatige aanpassing | Werkcontract
        "actiris-premie-activa-brussels": row(EMPLOYMENT, actiris=True),  # X X ✓ **
        "actiris-handicappremie": row(EMPLOYMENT, actiris=True),  # X X ✓ **
    },
    "wallonia": {  # AVIQ: Ontdekkingsstage | Contract voor beroepsmatige aanpassing | Werk
        "aviq-integratiepremie": row(EMPLOYMENT, quota=True, inactive_more_than_six_months=True),  # X X ✓ *
        "aviq-aanpassing-arbeidsomstandigheden": row(EMPLOYMENT, quota=True),  # X X ✓ *
        "aviq-mentoring-premie": row(EMPLOYMENT, mentor=True),  # X X ✓ **
        "aviq-aanpassing-arbeidspost": row(ADAPTATION, EMPLOYMENT, quota=True),  # X ✓ ✓ *
        "aviq-ondersteuning-op-het-werk": row(DISCOVERY, ADAPTATION, EMPLOYMENT),  # ✓ ✓ ✓ **
        "aviq-tussenkomst-verplaatsingskosten": row(DISCOVERY, ADAPTATION, EMPLOYMENT, individual_transport=True),
        "aviq-sensibilisering-handicap": row(quota=True, independent_of_hiring=True),  # * , no columns
    },
    "german-speaking-community": {  # "in het kader van een stage- of arbeidscontract"
        "dsl-redelijke-aanpassingen": row(INTERNSHIP, EMPLOYMENT),
    },
}


@dataclass(frozen=True)
class Case:
    region: str
    contract: str | None = None
    employment_rate: str | None = None
    inactive_months: int | None = None
    mentor: bool | None = None
    individual_transport: bool | None = None
    employer: str | None = None
    appointment: str | None = None
    staff: str | None = None

    def raw(self) -> dict[str, str]:
        raw = {"region": self.region, "date": "2025-10-01"}
        for name in ("contract", "employment_rate", "inactive_months", "employer", "appointment", "staff"):
            if getattr(self, name) is not None:
                raw[name] = str(getattr(self, name))
        for name in ("mentor", "individual_transport"):
            if getattr(self, name) is not None:
                raw[name] = "true" if getattr(self, name) else "false"
        return raw


@dataclass
class Expected:
    statuses: list[str] = field(default_factory=list)  # of the conditions: met | unmet | unknown
    missing: set[str] = field(default_factory=set)

    def add(self, status: str, *missing: str) -> None:
        self.statuses.append(status)
        if status == "unknown":
            self.missing.update(missing)

    def measure(self) -> str:
        if "unmet" in self.statuses:
            return "not-eligible"
        return "undetermined" if "unknown" in self.statuses else "eligible"


def boolean_condition(value: bool | None) -> str:
    return "unknown" if value is None else ("met" if value else "unmet")


def related(given: str, values: set[str]) -> tuple[bool, bool]:
    """(given is one of `values` or narrower than one, given is broader than one of them)."""
    narrower_or_same = given in values or BROADER.get(given) in values
    broader = any(BROADER.get(value) == given for value in values)
    return narrower_or_same, broader


def contract_status(ticked: frozenset[str], columns: set[str], given: str | None) -> tuple[str, list[str]]:
    """Kleene over the hierarchy: a ticked column (or narrower) is met; broader than a ticked column is unknown
    (the contract must be said more precisely); a value none of the table's columns answers for (nor
    narrower or broader than one) is unknown for good (not covered); any other is unmet."""
    if given is None:
        return "unknown", ["contract"]
    meets, too_broad = related(given, set(ticked))
    if meets:
        return "met", []
    if too_broad:
        return "unknown", ["contract"]
    covered, covers_part = related(given, columns)
    return ("unmet", []) if covered or covers_part else ("unknown", [])


def brochure_status(spec: Row, case: Case) -> tuple[str, list[str]]:
    """The measure's status and missing inputs for `case`, from the brochure's facts in `spec`."""
    e = Expected()
    if spec.contracts:
        status, missing = contract_status(spec.contracts, COLUMNS[case.region], case.contract)
        e.add(status, *missing)
    if spec.quota:
        rate = case.employment_rate
        e.add("unknown" if rate is None else ("met" if float(rate) >= 0.03 else "unmet"), "employment_rate")
    if spec.inactive_more_than_six_months:
        months = case.inactive_months
        e.add("unknown" if months is None else ("met" if months > 6 else "unmet"), "inactive_months")
    if spec.mentor:
        e.add(boolean_condition(case.mentor), "mentor")
    if spec.individual_transport:
        e.add(boolean_condition(case.individual_transport), "individual_transport")
    if spec.actiris:
        e.add(boolean_condition(None if case.appointment is None else case.appointment == "contractual"),
              "appointment")  # fmt: skip
        e.add(boolean_condition(None if case.employer is None else case.employer in ACTIRIS_EMPLOYERS), "employer")
        # In an education institution, only maintenance, administrative or service staff.
        support = None if case.staff is None else case.staff == "support"
        if case.employer is None:
            if support:
                e.add("met")
            else:
                e.add("unknown", *(["employer"] + (["staff"] if support is None else [])))
        elif case.employer == "education-institution":
            e.add(boolean_condition(support), "staff")
        else:
            e.add("met")
    status = "not-eligible" if spec.independent_of_hiring else e.measure()
    order = ["region", "appointment", "contract", "employer", "employment_rate", "inactive_months",
             "individual_transport", "mentor", "staff"]  # fmt: skip
    return status, (sorted(e.missing, key=order.index) if status == "undetermined" else [])


CONTRACTS = [None, DISCOVERY, "ibo", INTERNSHIP, ADAPTATION, EMPLOYMENT]
RATES = [None, "0.03", "0.0299"]  # exactly 3% reaches the quota; just under it does not


def cases(region: str) -> list[Case]:
    if region == "wallonia":
        grid = itertools.product(CONTRACTS, RATES, [None, 6, 7], [None, True, False], [None, True, False])
        return [Case(region, c, r, m, mentor=mt, individual_transport=t) for c, r, m, mt, t in grid]
    if region == "brussels":
        employers = [None, "federal-administration", "municipality", "education-institution"]
        grid = itertools.product([None, DISCOVERY, INTERNSHIP, ADAPTATION, EMPLOYMENT], RATES, employers,
                                 [None, "contractual", "statutory"], [None, "teaching", "support"], [None, True, False])  # fmt: skip
        return [Case(region, c, r, employer=e, appointment=a, staff=s, mentor=m) for c, r, e, a, s, m in grid]
    grid = itertools.product(CONTRACTS + ["wes", "ibo-plus"], RATES + ["0.035", "0", "1"])
    return [Case(region, c, r) for c, r in grid]


@pytest.mark.parametrize("region", sorted(BROCHURE))
def test_every_case_of_the_brochure(evaluator, region):
    """Each measure's status and `missing` inputs, for every combination of the inputs that matter."""
    mismatches = []
    all_cases = cases(region)
    for case in all_cases:
        answer = evaluator.answer(parse_inputs(evaluator.vocabulary, case.raw()))
        got = {m["measure"].removeprefix(ID + "measure/"): m for m in answer["measures"]}
        if set(got) != set(BROCHURE[region]):
            mismatches.append(f"{case}: measures {sorted(got)}")
            continue
        for name, spec in BROCHURE[region].items():
            status, missing = brochure_status(spec, case)
            if (got[name]["status"], got[name]["missing"]) != (status, missing):
                mismatches.append(
                    f"{case}: {name} is {got[name]['status']} missing {got[name]['missing']}, "
                    f"the brochure says {status} missing {missing}"
                )
    assert not mismatches, f"{len(mismatches)} of {len(all_cases)} cases differ:\n" + "\n".join(mismatches[:25])


def test_the_cases_cover_every_measure_status(evaluator):
    """The grid reaches all three statuses for every measure that can have them (so it tests something)."""
    seen: dict[str, set[str]] = {}
    for region in BROCHURE:
        for case in cases(region)[::5]:
            for m in evaluator.answer(parse_inputs(evaluator.vocabulary, case.raw()))["measures"]:
                seen.setdefault(m["measure"].removeprefix(ID + "measure/"), set()).add(m["status"])
    for region, measures in BROCHURE.items():
        for name, spec in measures.items():
            # Every column ticked and no other condition: no contract makes it fail (an uncovered one is unknown).
            can_fail = spec.contracts != COLUMNS[region] or spec != row(*spec.contracts)
            wanted = {"eligible", "undetermined"} | ({"not-eligible"} if can_fail else set())
            assert seen[name] == ({"not-eligible"} if spec.independent_of_hiring else wanted), name
