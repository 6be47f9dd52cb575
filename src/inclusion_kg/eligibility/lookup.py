"""Shape the /eligibility answer from the lookup's statuses and the rules table read once per dataset version.

queries/eligibility-lookup.rq gives, for a question, one row per measure and condition with the condition's
rank (0 unmet, 1 unknown, 2 met) and its parts; everything that does not depend on the question (labels in
each language, expected values, sources, agency, what a measure gives) is read once, when the evaluator is
built for a dataset version, by queries/eligibility-rules.rq (and vocabulary.py), and kept here as the parts
of the answer's JSON, by language. A reload builds a new evaluator, hence a new table. Python joins the two:
the measure takes the least rank of its conditions (Kleene logic; not-eligible when independent of hiring),
measures are ordered (eligible, undetermined, not-eligible, then by label), and the inputs that would decide
an undetermined measure are listed. Nothing here names a measure, an agency or a region.
"""

from __future__ import annotations

from decimal import Decimal

from inclusion_kg.eligibility.inputs import Inputs
from inclusion_kg.eligibility.vocabulary import LANGUAGES, Vocabulary, pick
from inclusion_kg.named_queries.results import Row, Select
from inclusion_kg.namespaces import IKG, IKGC

RULES_NAME = "eligibility-rules"  # queries/eligibility-rules.rq
LOOKUP_NAME = "eligibility-lookup"  # queries/eligibility-lookup.rq: the query /eligibility runs
ALWAYS = str(IKGC.always)  # the slot of a measure itself (no condition)
CONDITION_STATUS = ("unmet", "unknown", "met")  # by rank
MEASURE_STATUS = ("not-eligible", "undetermined", "eligible")  # by the least rank of its conditions
STATUS_ORDER = {"eligible": 0, "undetermined": 1, "not-eligible": 2}
TRUE = ("true", "1")  # Virtuoso writes true as 1


def given_value(value):
    """An input's value as the answer echoes it for a condition: as the reference's bound term reads back."""
    if isinstance(value, Decimal):
        text = str(value)
        return int(value) if value == value.to_integral_value() and "." not in text else float(value)
    return value


class Rules:
    """The question-independent parts of the answer, by language (read once per dataset version)."""

    def __init__(self, select: Select, query: str, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        measures: dict[str, dict] = {}
        conditions: dict[str, dict] = {}
        texts: dict[str, dict] = {}
        for row in select(query):
            subject = row["subject"]["value"]
            if "agency" in row:
                measures[subject] = {"agency": row["agency"]["value"],
                                     "independent": row["independentOfHiring"]["value"] in TRUE,
                                     "sources": sorted(row["sources"]["value"].split())}  # fmt: skip
            elif "input" in row:
                conditions[subject] = {"input": row["input"]["value"], "source": _value(row, "source"),
                                       "guard": _value(row, "guard")}  # fmt: skip
            else:
                entry = texts.setdefault(subject, {"label": {}, "agency_label": {}, "expected": {}})
                lang = row["lang"]["value"]
                entry["label"][lang] = row["label"]["value"]
                if "agencyLabel" in row:
                    entry["agency_label"][lang] = row["agencyLabel"]["value"]
                if "expected" in row:
                    entry["expected"][lang] = " | ".join(sorted(row["expected"]["value"].split(" | "))) or None
        self.conditions = conditions
        self.measure_parts = {lang: {iri: self._measure(iri, m, texts.get(iri), lang) for iri, m in measures.items()}
                              for lang in LANGUAGES}  # fmt: skip
        self.condition_parts = {lang: {iri: self._condition(iri, c, texts.get(iri), lang)
                                       for iri, c in conditions.items()} for lang in LANGUAGES}  # fmt: skip

    def _measure(self, iri: str, measure: dict, text: dict | None, lang: str) -> dict:
        vocabulary, text = self.vocabulary, text or {"label": {}, "agency_label": {}}
        independent = measure["independent"]
        term = vocabulary.independent_of_hiring
        return {
            "label": pick(text["label"], lang, iri),
            "agency": measure["agency"],
            "agency_label": pick(text["agency_label"], lang, measure["agency"]),
            "independent_of_hiring": independent,
            "reason": {"property": str(IKG.independentOfHiring), "label": pick(term["label"], lang),
                       "explanation": pick(term["definition"], lang)} if independent else None,  # fmt: skip
            "gives": vocabulary.gives(iri, lang),
            "quota_free": vocabulary.quota_free_statement(iri, lang),
            "sources": measure["sources"],
        }

    def _condition(self, iri: str, condition: dict, text: dict | None, lang: str) -> dict:
        vocabulary, text = self.vocabulary, text or {"label": {}, "expected": {}}
        details = vocabulary.conditions.get(iri, {"allowed": [], "bounds": []})
        spec = vocabulary.inputs.get(condition["input"])
        return {
            "label": pick(text["label"], lang, iri),
            "input_label": spec.title(lang) if spec else condition["input"],
            "expected": pick(text["expected"], lang) or None,
            "allowed": _concepts(details["allowed"], vocabulary, lang),
            "bounds": details["bounds"],
        }


def _value(row: Row, name: str):
    term = row.get(name)
    return None if term is None else term["value"]


def _concepts(iris, vocabulary: Vocabulary, lang: str) -> list[dict]:
    return [{"concept": iri, "label": vocabulary.concept_label(iri, lang)} for iri in sorted(set(iris))]


def _condition_entry(row: Row, rules: Rules, inputs: Inputs, missing: set[str]) -> tuple[int, dict]:
    """The condition's JSON and its rank; adds to `missing` the inputs that would decide it."""
    condition, lang, vocabulary = row["condition"]["value"], inputs.lang, rules.vocabulary
    facts, parts = rules.conditions[condition], rules.condition_parts[lang][condition]
    rank, own, guard = int(row["rank"]["value"]), int(row["ownRank"]["value"]), int(row["guardRank"]["value"])
    status, name = CONDITION_STATUS[rank], facts["input"]
    options, deciding = [], []
    if rank == 1:
        if own == 1:
            options = _concepts(_value(row, "options").split(), vocabulary, lang)
            if row["ownAnswerable"]["value"] in TRUE:
                deciding.append(name)
        if guard == 1 and row["guardAnswerable"]["value"] in TRUE:
            deciding.append(rules.conditions[facts["guard"]]["input"])
    missing.update(deciding)
    entry = {
        "condition": condition,
        "label": parts["label"],
        "status": status,
        "status_label": vocabulary.status_label(status, lang),
        "input": name,
        "input_label": parts["input_label"],
        "expected": parts["expected"],
        "allowed": parts["allowed"],
        "bounds": parts["bounds"],
        "given": given_value(inputs.values.get(name)),
        "source": facts["source"],
        "options": options,
        "not_covered": rank == 1 and not deciding,
    }
    if guard >= 0:
        entry["applies_only_if"] = {"condition": facts["guard"], "label": vocabulary.guard_label(facts["guard"], lang),
                                    "status": CONDITION_STATUS[guard]}  # fmt: skip
    return rank, entry


def measures_from_lookup(rows: list[Row], rules: Rules, inputs: Inputs) -> list[dict]:
    """The answer's measures: the lookup's rows joined to the rules table."""
    lang, vocabulary = inputs.lang, rules.vocabulary
    ranks: dict[str, int] = {}
    conditions: dict[str, list[dict]] = {}
    missing: dict[str, set[str]] = {}
    for row in rows:
        measure = row["measure"]["value"]
        if measure not in ranks:
            ranks[measure], conditions[measure], missing[measure] = 2, [], set()
        if row["condition"]["value"] == ALWAYS:
            continue
        rank, entry = _condition_entry(row, rules, inputs, missing[measure])
        ranks[measure] = min(ranks[measure], rank)
        conditions[measure].append(entry)
    order = vocabulary.names()
    measures = []
    for iri in sorted(ranks, key=lambda m: (rules.measure_parts[lang][m]["label"].lower(), m)):
        parts = rules.measure_parts[lang][iri]
        status = "not-eligible" if parts["independent_of_hiring"] else MEASURE_STATUS[ranks[iri]]
        conditions[iri].sort(key=lambda c: (c["label"].lower(), c["condition"]))
        measures.append({
            "measure": iri, "label": parts["label"], "agency": parts["agency"], "agency_label": parts["agency_label"],
            "status": status, "independent_of_hiring": parts["independent_of_hiring"], "reason": parts["reason"],
            "gives": parts["gives"], "quota_free": parts["quota_free"], "conditions": conditions[iri],
            "missing": sorted(missing[iri], key=lambda n: (order.index(n) if n in order else 99, n))
            if status == "undetermined" else [],
            "sources": parts["sources"], "status_label": vocabulary.status_label(status, lang),
        })  # fmt: skip
    measures.sort(key=lambda m: (STATUS_ORDER[m["status"]], m["label"].casefold()))
    return measures
