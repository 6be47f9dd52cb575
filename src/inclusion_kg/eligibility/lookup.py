"""Shape the /eligibility answer from the lookup's statuses and the rules table read once per dataset version.

queries/eligibility-lookup.rq gives, for a question, one row per measure of the region in force: its rank
(0 not-eligible, 1 undetermined, 2 eligible) and a line per condition with its rank after its guard's
(0 unmet, 1 unknown, 2 met) and its guard's rank. The statuses are the query's: nothing is folded here.
Everything that does not depend on the question (labels in each language, expected values, sources, agency,
what a measure gives, the options of each value) is read once, when the evaluator is built for a dataset
version, by queries/eligibility-rules.rq (and vocabulary.py), and kept here as the parts of the answer's
JSON, by language; a reload builds a new evaluator, hence a new table. Python joins the two: names the ranks,
orders the measures (eligible, undetermined, not-eligible, then by label), and lists the options and the
inputs that would decide an unknown condition. Nothing here names a measure, agency or region.
"""

from __future__ import annotations

from decimal import Decimal

from inclusion_kg.eligibility.inputs import Inputs
from inclusion_kg.eligibility.vocabulary import LANGUAGES, Vocabulary, pick
from inclusion_kg.named_queries.results import Row, Select
from inclusion_kg.namespaces import IKG, IKGC

RULES_NAME = "eligibility-rules"  # queries/eligibility-rules.rq
LOOKUP_NAME = "eligibility-lookup"  # queries/eligibility-lookup.rq: the query /eligibility runs
ALWAYS = str(IKGC.always)  # the line of a measure itself (no condition)
CONDITION_STATUS = ("unmet", "unknown", "met")  # by rank
MEASURE_STATUS = ("not-eligible", "undetermined", "eligible")  # by rank
STATUS_ORDER = {"eligible": 0, "undetermined": 1, "not-eligible": 2}
TRUE = ("true", "1")  # Virtuoso writes true as 1


def given_value(value):
    """An input's value as the answer echoes it for a condition: as the reference's bound term reads back."""
    if isinstance(value, Decimal):
        text = str(value)
        return int(value) if value == value.to_integral_value() and "." not in text else float(value)
    return value


class Rules:
    """The question-independent parts of the answer, by language, read from the compiled rules once per
    dataset version (queries/eligibility-rules.rq)."""

    def __init__(self, select: Select, query: str, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        texts: dict[str, dict] = {}
        measures: dict[str, dict] = {}
        self.conditions: dict[str, dict] = {}  # condition or guard -> its input, source, guard
        self.cases: dict[tuple[str, str], tuple[str, bool]] = {}  # (check, key) -> (options, answerable)
        for row in select(query):
            subject = row["subject"]["value"]
            if "agency" in row:
                measures[subject] = {"agency": row["agency"]["value"],
                                     "independent": row["independentOfHiring"]["value"] in TRUE,
                                     "sources": sorted(row["sources"]["value"].split())}  # fmt: skip
            elif "input" in row:
                self.conditions[subject] = {"input": row["input"]["value"], "source": _value(row, "source"),
                                            "guard": _value(row, "guard")}  # fmt: skip
            elif "key" in row:
                self.cases[(subject, row["key"]["value"])] = (row["options"]["value"],
                                                              row["answerable"]["value"] in TRUE)  # fmt: skip
            elif "lang" in row:
                entry = texts.setdefault(subject, {"label": {}, "agency_label": {}, "expected": {}})
                lang = row["lang"]["value"]
                entry["label"][lang] = row["label"]["value"]
                if "agencyLabel" in row:
                    entry["agency_label"][lang] = row["agencyLabel"]["value"]
                if "expected" in row:
                    entry["expected"][lang] = " | ".join(sorted(row["expected"]["value"].split(" | "))) or None
        self.measure_parts = {lang: {iri: self._measure(iri, m, texts.get(iri), lang) for iri, m in measures.items()}
                              for lang in LANGUAGES}  # fmt: skip
        self.condition_parts = {lang: {iri: self._condition(iri, c, texts.get(iri), lang)
                                       for iri, c in self.conditions.items()} for lang in LANGUAGES}  # fmt: skip

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


def _value(row: Row, name: str) -> str | None:
    term = row.get(name)
    return None if term is None else term["value"]


def _concepts(iris, vocabulary: Vocabulary, lang: str) -> list[dict]:
    return [{"concept": iri, "label": vocabulary.concept_label(iri, lang)} for iri in sorted(set(iris))]


def case_key(name: str, inputs: Inputs) -> str:
    """The key of the value given for an input, as eligibility-compile.rq writes a case's key and the lookup
    the question's: "input=IRI", "input=true" or "input=false", "input=number" for any number, "input=" for
    none."""
    value = inputs.values.get(name)
    if value is None:
        return f"{name}="
    if isinstance(value, bool):
        return f"{name}={'true' if value else 'false'}"
    return f"{name}={'number' if isinstance(value, (int, Decimal)) else value}"


def _condition_entry(line: str, rules: Rules, inputs: Inputs, missing: set[str]) -> dict:
    """The JSON of a condition from its line of the lookup ("condition rank guard-rank"). When it is unknown,
    the options of the value given for it and, added to `missing`, the inputs an answer could decide it by:
    its own, or its guard's when the guard is unknown, when the compiled case of the value given says so
    (ikgc:answerable: no value, or one broader than an allowed value). A case that lists options or is
    answerable is never unmet (eligibility-compile.rq), and a met one makes the condition met; so when the
    guard makes a condition unknown whose own case is unmet, that case adds nothing."""
    condition, rank, guard_rank = line.split(" ")
    rank, guard_rank = int(rank), int(guard_rank)
    lang, vocabulary = inputs.lang, rules.vocabulary
    facts, parts = rules.conditions[condition], rules.condition_parts[lang][condition]
    status, name = CONDITION_STATUS[rank], facts["input"]
    options, deciding = [], []
    if rank == 1:
        listed, answerable = rules.cases.get((condition, case_key(name, inputs)), ("", False))
        options = _concepts(listed.split(), vocabulary, lang)
        if answerable:
            deciding.append(name)
        if guard_rank == 1:
            guard_input = rules.conditions[facts["guard"]]["input"]
            if rules.cases.get((facts["guard"], case_key(guard_input, inputs)), ("", False))[1]:
                deciding.append(guard_input)
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
    if guard_rank >= 0:
        entry["applies_only_if"] = {"condition": facts["guard"], "label": vocabulary.guard_label(facts["guard"], lang),
                                    "status": CONDITION_STATUS[guard_rank]}  # fmt: skip
    return entry


def measures_from_lookup(rows: list[Row], rules: Rules, inputs: Inputs) -> list[dict]:
    """The answer's measures: the lookup's statuses, joined to the rules table."""
    lang, vocabulary = inputs.lang, rules.vocabulary
    order = vocabulary.names()
    measures = []
    for row in sorted(rows, key=lambda r: (rules.measure_parts[lang][r["measure"]["value"]]["label"].lower(),
                                           r["measure"]["value"])):  # fmt: skip
        iri = row["measure"]["value"]
        parts, missing = rules.measure_parts[lang][iri], set()
        conditions = [_condition_entry(line, rules, inputs, missing) for line in row["conditions"]["value"].split("\n")
                      if not line.startswith(ALWAYS + " ")]  # fmt: skip
        status = MEASURE_STATUS[int(row["measureRank"]["value"])]
        conditions.sort(key=lambda c: (c["label"].lower(), c["condition"]))
        measures.append({
            "measure": iri, "label": parts["label"], "agency": parts["agency"], "agency_label": parts["agency_label"],
            "status": status, "independent_of_hiring": parts["independent_of_hiring"], "reason": parts["reason"],
            "gives": parts["gives"], "quota_free": parts["quota_free"], "conditions": conditions,
            "missing": sorted(missing, key=lambda n: (order.index(n) if n in order else 99, n))
            if status == "undetermined" else [],
            "sources": parts["sources"], "status_label": vocabulary.status_label(status, lang),
        })  # fmt: skip
    measures.sort(key=lambda m: (STATUS_ORDER[m["status"]], m["label"].casefold()))
    return measures
