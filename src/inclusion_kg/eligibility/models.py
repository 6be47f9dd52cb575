"""The JSON of GET /eligibility and of its error answers, as pydantic models: /openapi.json carries their
JSON Schemas (the route declares them), clients and code generators get types, and schemathesis checks
the answers against them (tests/test_eligibility_openapi.py).

The answer itself is built as plain dicts (answer.py) and written once per question; these models describe
it, they are not instantiated per request. Status values are those of scheme:eligibility-status
(data/eligibility-statuses.ttl); the literals below are checked against the scheme by a test.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MeasureStatus = Literal["eligible", "undetermined", "not-eligible"]
ConditionStatus = Literal["met", "unmet", "unknown"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")  # a NEW field may appear before its model knows it


class Concept(_Model):
    concept: str = Field(description="The concept's IRI")
    label: str = Field(description="Its label in the answer's language")


class Bound(_Model):
    kind: Literal["min-inclusive", "min-exclusive", "max-inclusive"]
    value: float


class Guard(_Model):
    condition: str = Field(description="The guard condition's IRI (ikg:appliesOnlyIf)")
    label: str
    status: ConditionStatus


class Condition(_Model):
    condition: str = Field(description="The condition's IRI")
    label: str
    status: ConditionStatus
    status_label: str = Field(description="The status's label in the answer's language (scheme:eligibility-status)")
    input: str = Field(description="The input the condition is about")
    input_label: str = Field(description="The input's label in the answer's language")
    expected: str | None = Field(description="What meets it, as a person reads it")
    allowed: list[Concept] = Field(description="The concepts that meet it (a narrower one meets it too)")
    bounds: list[Bound] = Field(description="The bounds a number must reach")
    given: Any = Field(description="The value given for its input (an IRI, a number or a boolean), or null")
    source: str | None = Field(description="The source the condition comes from")
    options: list[Concept] = Field(
        description="When unknown because the given concept is broader than the rule: the narrower concepts that "
        "would meet it (e.g. the discovery internship for an internship)"
    )
    not_covered: bool = Field(
        description="The source has no answer for the given value (e.g. no column in its table): the status is "
        "unknown and no answer can decide it"
    )
    applies_only_if: Guard | None = Field(default=None, description="Only on guarded conditions")


class Beneficiary(_Model):
    concept: str
    label: str


class Output(_Model):
    output: str = Field(description="The IRI of what the measure gives (cpsv:produces)")
    label: str
    description: str | None
    beneficiaries: list[Beneficiary] = Field(description="Who receives it; [] = the source does not state it")


class Reason(_Model):
    property: str
    label: str
    explanation: str


class QuotaFree(_Model):
    label: str = Field(description="The statement, in the answer's language")
    source: str = Field(description="The source that declares it")


class Measure(_Model):
    measure: str = Field(description="The measure's IRI")
    label: str
    agency: str
    agency_label: str
    status: MeasureStatus
    status_label: str = Field(description="The status's label in the answer's language (scheme:eligibility-status)")
    independent_of_hiring: bool
    reason: Reason | None = Field(description="Why a measure independent of hiring is not offered for a hire")
    gives: list[Output]
    quota_free: QuotaFree | None = Field(
        default=None,
        description="The source declares the measure is not conditional on the 3% quota (the brochure's **); "
        "null: the source says nothing about it (not the same as quota-free)",
    )
    conditions: list[Condition]
    missing: list[str] = Field(description="The inputs whose absence (or too broad a value) keeps it undetermined")
    sources: list[str]


class Summary(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    eligible: int
    undetermined: int
    not_eligible: int = Field(alias="not-eligible")


class EligibilityAnswer(_Model):
    release: str | None = Field(default=None, description="The data release answered on, when known")
    inputs: dict[str, Any] = Field(description="The inputs as understood: IRIs, numbers, booleans, date, lang")
    summary: Summary = Field(description="How many measures have each status")
    measures: list[Measure]
    query: str = Field(description="The SPARQL that ran (queries/eligibility-lookup.rq, bound)")


class ErrorBody(_Model):
    """Every error answer: its kind, HTTP status and a message saying what went wrong."""

    error: str = Field(description="The kind of error, e.g. bad-input, store-unreachable, timeout, busy")
    status: int
    message: str


class BadInputBody(ErrorBody):
    """A bad input (400): names the input and what it accepts."""

    error: Literal["bad-input"]
    input: str
    accepted: str | list[str]
