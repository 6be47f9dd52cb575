"""The eligibility answer (the JSON of /eligibility, docs/eligibility.md) as an HR officer reads it.

A headline count per status, then per measure: what it gives and to whom, why it applies or not in one
sentence, what to answer to decide an undetermined one, each condition as a sentence, and its sources.
It reads the answer as eligibility/models.py types it; labels and statuses come from the answer itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from inclusion_kg.publish.home import PERCENT_INPUTS, Field
from inclusion_kg.publish.i18n import format_number, format_percent, parse_number
from inclusion_kg.publish.view import Link, Page, Text, label, site_path

STATUSES = ("eligible", "undetermined", "not-eligible")
BOUND_WORDS = {"min-inclusive": "at_least", "min-exclusive": "more_than", "max-inclusive": "at_most",
               "max-exclusive": "less_than"}


@dataclass
class Gives:
    text: str
    description: str | None
    to_whom: str


@dataclass
class Card:
    link: Link
    status: str
    status_label: str
    agency: Link | None
    why: str
    gives: list[Gives] = field(default_factory=list)
    quota_free: tuple[str, Link | None] | None = None
    to_decide: list[tuple[str, str]] = field(default_factory=list)  # (sentence, the field's anchor)
    conditions: list[tuple[str, str, str]] = field(default_factory=list)  # (status, status label, sentence)
    sources: list[Link] = field(default_factory=list)


@dataclass
class Result:
    headline: list[tuple[str, str]]  # (status, "4 measures you can get")
    groups: list[tuple[str, str, list[Card]]]  # (status, heading, cards)
    asked: list[tuple[str, str]]  # (field label, the answer as typed or chosen)
    release: str | None = None


class Reader:
    """Words for the values of one answer, in the page's language."""

    def __init__(self, graph: Graph, page: Page, fields: list[Field]):
        self.graph, self.page, self.t = graph, page, page.t
        self.fields = {f.input: f for f in fields}

    def link(self, iri: str | None, text: str | None = None) -> Link | None:
        if not iri:
            return None
        path = site_path(iri)
        return Link(self.page.href(path) if path else iri, Text(text or self.name(iri)), iri=iri)

    def name(self, iri: str) -> str:
        return label(self.graph, URIRef(iri), self.page.lang).text

    def value(self, value, input_name: str = "") -> str:
        """A given or expected value: a concept's label, yes/no, a localised number or percentage."""
        if value is None:
            return self.t("not_given")
        if isinstance(value, bool) or value in ("true", "false"):
            return self.t("yes") if value in (True, "true") else self.t("no")
        if isinstance(value, (int, float)) or re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", str(value)):
            return format_percent(value, self.page.lang) if input_name in PERCENT_INPUTS \
                else format_number(value, self.page.lang)
        if str(value).startswith(("http://", "https://")):
            return self.name(str(value))
        return str(value)

    def field_label(self, input_name: str, answered: str | None = None) -> str:
        """The label of the form's field for an input; else the answer's `input_label`, else its name."""
        f = self.fields.get(input_name)
        return f.label.text.removesuffix(" (%)") if f is not None else answered or input_name

    def expected(self, c: dict) -> str:
        """What a condition requires, in words: "employment; or internship", "at least 3 %"."""
        name, joiner = c.get("input", ""), f" {self.t('or')} "
        if c.get("allowed"):
            return joiner.join(a["label"] for a in c["allowed"])
        if c.get("bounds"):
            return " ".join(f"{self.t(BOUND_WORDS.get(b['kind'], 'at_least'))} {self.value(b['value'], name)}"
                            for b in c["bounds"])
        text = c.get("expected") or ""  # e.g. a boolean's "true"
        return joiner.join(self.value(part.strip(), name) for part in text.split(" | ") if part.strip())

    def condition(self, c: dict) -> str:
        """One sentence: the condition, what it requires and what was answered; a guard first, if any."""
        details = [f"{self.t('required')}{self.t('colon')}{self.expected(c)}"] if self.expected(c) else []
        if c.get("given") is not None:
            details.append(f"{self.t('your_answer')}{self.t('colon')}{self.value(c['given'], c.get('input', ''))}")
        sentence = c["label"] + (f" ({'; '.join(details)})" if details else "")
        guard = c.get("applies_only_if")
        if guard:
            if guard.get("status") == "unmet":
                return self.t("guard_unmet").format(guard=guard.get("label", ""))
            return self.t("only_in_case").format(guard=guard.get("label", ""), condition=sentence)
        return sentence


def relevant(c: dict) -> bool:
    """A guarded condition whose guard is unmet does not concern this hire."""
    return (c.get("applies_only_if") or {}).get("status") != "unmet"


def why(reader: Reader, m: dict) -> str:
    """Why a measure applies or not, in one sentence."""
    t, conditions = reader.t, [c for c in m.get("conditions", []) if relevant(c)]
    reason = m.get("reason")
    if reason:
        return reason.get("explanation") or reason.get("label") or ""
    if m["status"] == "not-eligible":
        c = next((c for c in conditions if c["status"] == "unmet"), None)
        if c is not None:
            return t("why_unmet").format(condition=c["label"], given=reader.value(c.get("given"), c.get("input", "")))
    if m["status"] == "undetermined":
        uncovered = [c for c in conditions if c.get("not_covered")]
        if uncovered:
            return t("why_not_covered").format(given=reader.value(uncovered[0].get("given")),
                                               agency=m.get("agency_label") or "")
        unknown = "; ".join(c["label"] for c in conditions if c["status"] == "unknown")
        return t("why_unknown").format(conditions=unknown)
    return t("why_eligible") if m.get("conditions") else t("why_no_conditions")


def to_decide(reader: Reader, m: dict) -> list[tuple[str, str]]:
    """What to answer to decide an undetermined measure: each missing input, or which narrower kind."""
    if m["status"] != "undetermined":
        return []
    questions, seen = [], set()
    for c in m.get("conditions", []):
        name = c.get("input", "")
        if c["status"] != "unknown" or c.get("not_covered") or not relevant(c) or name in seen:
            continue
        seen.add(name)
        anchor = "f-" + (reader.fields[name].name if name in reader.fields else name)
        field_label = reader.field_label(name, c.get("input_label"))
        if c.get("options"):  # the answer is broader than the rule: which narrower kind is it?
            options = ", ".join(o["label"] for o in c["options"])
            questions.append((reader.t("which_kind").format(field=field_label.lower(), options=options), anchor))
        else:
            expected = reader.expected(c)
            required = f" ({reader.t('required')}{reader.t('colon')}{expected})" if expected else ""
            questions.append((field_label + required, anchor))
    for name in m.get("missing", []):  # inputs a guard needs, which no condition names
        if name not in seen:
            seen.add(name)
            questions.append((reader.field_label(name), "f-" + (reader.fields[name].name
                                                                 if name in reader.fields else name)))
    return questions


def gives(reader: Reader, m: dict) -> list[Gives]:
    return [Gives(g["label"], g.get("description"),
                  ", ".join(b["label"] for b in g["beneficiaries"]) or reader.t("not_stated"))
            for g in m["gives"]]


def card(reader: Reader, m: dict) -> Card:
    quota = m.get("quota_free")
    return Card(
        link=reader.link(m["measure"], m.get("label")),
        status=m["status"],
        status_label=m["status_label"],
        agency=reader.link(m.get("agency"), m.get("agency_label")),
        why=why(reader, m),
        gives=gives(reader, m),
        quota_free=(quota["label"], reader.link(quota.get("source"))) if quota else None,
        to_decide=to_decide(reader, m),
        conditions=[(c["status"], c["status_label"], reader.condition(c))
                    for c in m.get("conditions", [])],
        sources=[reader.link(s) for s in m.get("sources", [])],
    )


def result_view(answer: dict, graph: Graph, page: Page, fields: list[Field], asked: dict[str, str]) -> Result:
    reader = Reader(graph, page, fields)
    counts = answer["summary"]
    headline = [(s, page.t(f"count_{s}_{'1' if counts.get(s, 0) == 1 else 'n'}").format(n=counts.get(s, 0)))
                for s in STATUSES]
    cards = [card(reader, m) for m in answer.get("measures", [])]
    groups = [(s, page.t(f"section_{s}"), [c for c in cards if c.status == s]) for s in STATUSES]
    return Result(headline, [g for g in groups if g[2]], asked_answers(fields, asked, page),
                  answer.get("release"))


def asked_answers(fields: list[Field], asked: dict[str, str], page: Page) -> list[tuple[str, str]]:
    """The question as the reader gave it: each answered field's label and the chosen option's label."""
    rows = []
    for f in fields:
        if f.name not in asked:
            continue
        chosen = {value: text.text for value, text, _ in f.options}
        chosen |= {"true": page.t("yes"), "false": page.t("no")}
        text = asked[f.name]
        if f.kind == "percent" and (number := parse_number(text)) is not None:
            text = format_percent(number / 100, page.lang)
        rows.append((f.label.text.removesuffix(" (%)"), chosen.get(text, text)))
    return rows
