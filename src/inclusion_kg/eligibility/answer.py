"""The /eligibility answer: the lookup (queries/eligibility-lookup.rq) joined to the rules table (lookup.py);
and the shaping of the reference's rows (queries/eligibility.rq), which the tests hold the lookup to.

The reference's rows (one per measure and condition, statuses included) are grouped into measures; each
measure gets the least status of its conditions (unmet < unknown < met: Kleene logic; not-eligible when
independent of hiring); they are ordered (eligible, undetermined, not-eligible, then by label)
and the `missing` inputs of undetermined measures added. It names no measure, agency or region.
"""

from __future__ import annotations

from decimal import Decimal

from starlette.concurrency import run_in_threadpool

from inclusion_kg.eligibility.inputs import Inputs, query_values
from inclusion_kg.eligibility.lookup import LOOKUP_NAME, STATUS_ORDER, Rules, measures_from_lookup
from inclusion_kg.eligibility.vocabulary import Vocabulary, pick
from inclusion_kg.named_queries.catalog import Catalog
from inclusion_kg.named_queries.results import AsyncSelect, Row, Select, python_value
from inclusion_kg.namespaces import IKG

QUERY_NAME = "eligibility"
# What a condition's status makes of its measure; the measure takes the worst (STATUS_ORDER) of its conditions.
MEASURE_STATUS = {"unmet": "not-eligible", "unknown": "undetermined", "met": "eligible"}


def _value(row: Row, name: str):
    term = row.get(name)
    return None if term is None else term["value"]


def inputs_json(inputs: Inputs) -> dict:
    """The inputs as the answer echoes them: IRIs, numbers, booleans, the date and the language."""
    echoed: dict = {}
    for name, value in inputs.values.items():
        if isinstance(value, Decimal):
            echoed[name] = float(value)
        else:
            echoed[name] = value
    for name, since in inputs.since.items():
        echoed[name] = since.isoformat()
    echoed["date"] = inputs.date.isoformat()
    echoed["lang"] = inputs.lang
    return echoed


def _concepts(iris, vocabulary: Vocabulary, lang: str) -> list[dict]:
    return [{"concept": iri, "label": vocabulary.concept_label(iri, lang)} for iri in sorted(set(iris))]


def condition_from_row(row: Row, vocabulary: Vocabulary, lang: str) -> dict:
    condition, name = _value(row, "condition"), _value(row, "input")
    status = _value(row, "conditionStatus")
    details = vocabulary.conditions.get(condition, {"allowed": [], "bounds": []})
    spec = vocabulary.inputs.get(name or "")
    entry = {
        "condition": condition,
        "label": _value(row, "conditionLabel"),
        "status": status,
        "status_label": vocabulary.status_label(status, lang),
        "input": name,
        "input_label": spec.title(lang) if spec else name,
        "expected": " | ".join(sorted((_value(row, "expected") or "").split(" | "))) or None,
        "allowed": _concepts(details["allowed"], vocabulary, lang),
        "bounds": details["bounds"],
        "given": python_value(row.get("given")),
        "source": _value(row, "conditionSource"),
        "options": _concepts((_value(row, "options") or "").split(), vocabulary, lang),
        "not_covered": python_value(row.get("notCovered")) in (True, 1),
    }
    if "guard" in row:
        guard = _value(row, "guard")
        entry["applies_only_if"] = {"condition": guard, "label": vocabulary.guard_label(guard, lang),
                                    "status": _value(row, "guardStatus")}  # fmt: skip
    return entry


def measures_from_rows(rows: list[Row], vocabulary: Vocabulary, lang: str) -> list[dict]:
    measures: dict[str, dict] = {}
    missing: dict[str, set[str]] = {}
    for row in rows:
        iri = _value(row, "measure")
        measure = measures.get(iri)
        if measure is None:
            independent = python_value(row.get("independentOfHiring")) is True
            measure = measures[iri] = {
                "measure": iri,
                "label": _value(row, "measureLabel"),
                "agency": _value(row, "agency"),
                "agency_label": _value(row, "agencyLabel"),
                "status": "not-eligible" if independent else "eligible",
                "independent_of_hiring": independent,
                "reason": _independence_reason(vocabulary, lang) if independent else None,
                "gives": vocabulary.gives(iri, lang),
                "quota_free": vocabulary.quota_free_statement(iri, lang),
                "conditions": [],
                "missing": [],
                "sources": sorted((_value(row, "sources") or "").split()),
            }
            missing[iri] = set()
        if _value(row, "condition") is None:
            continue
        entry = condition_from_row(row, vocabulary, lang)
        measure["conditions"].append(entry)
        measure["status"] = max(measure["status"], MEASURE_STATUS[entry["status"]], key=STATUS_ORDER.__getitem__)
        missing[iri].update((_value(row, "missing") or "").split())
    ordered = sorted(measures.values(), key=lambda m: (STATUS_ORDER.get(m["status"], 3), (m["label"] or "").casefold()))
    order = vocabulary.names()
    for measure in ordered:
        measure["status_label"] = vocabulary.status_label(measure["status"], lang)
        if measure["status"] == "undetermined":
            measure["missing"] = sorted(missing[measure["measure"]], key=lambda n: (order.index(n) if n in order else 99, n))
    return ordered


def summary(measures: list[dict]) -> dict[str, int]:
    """The headline: how many measures have each status."""
    return {status: sum(m["status"] == status for m in measures) for status in STATUS_ORDER}


def _independence_reason(vocabulary: Vocabulary, lang: str) -> dict:
    """Why a measure independent of hiring is not offered for a hire, in the ontology's own words."""
    term = vocabulary.independent_of_hiring
    return {
        "property": str(IKG.independentOfHiring),
        "label": pick(term["label"], lang),
        "explanation": pick(term["definition"], lang),
    }


class Evaluator:
    """Answers eligibility questions over one frozen dataset (the rules table is read for it once). It keeps
    no answers: the HTTP layer keeps each answer's JSON in the engine's answer cache (eligibility/routes.py),
    the one cache of the server.

    `select` runs the lookup (blocking); `select_async`, when given, runs it from the event loop."""

    def __init__(self, catalog: Catalog, vocabulary: Vocabulary, select: Select, rules: Rules,
                 select_async: AsyncSelect | None = None):  # fmt: skip
        self.catalog = catalog
        self.vocabulary = vocabulary
        self.select = select
        self.rules = rules
        self.select_async = select_async

    def query_for(self, inputs: Inputs, query_name: str = LOOKUP_NAME) -> str:
        """The bound lookup (or, for the tests that hold the two together, the reference QUERY_NAME). The
        lookup has no `lang`: its statuses are the same in every language (one query text for the four)."""
        query = self.catalog.get(query_name)
        return self.catalog.bind(query_name, {k: v for k, v in query_values(inputs).items() if query.parameter(k)})

    def reference_measures(self, inputs: Inputs) -> list[dict]:
        """The measures as the reference query (eligibility.rq) gives them."""
        return measures_from_rows(self.select(self.query_for(inputs, QUERY_NAME)), self.vocabulary, inputs.lang)

    def answer(self, inputs: Inputs, query: str | None = None) -> dict:
        query = query or self.query_for(inputs)
        return self._answer(inputs, measures_from_lookup(self.select(query), self.rules, inputs), query)

    async def answer_async(self, inputs: Inputs, query: str | None = None) -> dict:
        """`answer` from the event loop: with `select_async`, without a thread of the pool per question."""
        if self.select_async is None:
            return await run_in_threadpool(self.answer, inputs, query)
        query = query or self.query_for(inputs)
        rows = await self.select_async(query)
        return self._answer(inputs, measures_from_lookup(rows, self.rules, inputs), query)

    @staticmethod
    def _answer(inputs: Inputs, measures: list[dict], query: str) -> dict:
        return {"inputs": inputs_json(inputs), "summary": summary(measures), "measures": measures, "query": query}
