"""Check the inputs of an eligibility question and turn them into typed values.

Accepted values and ranges come from the graph (`vocabulary.py`); a value that does not fit is an
`InputError` whose message says what is accepted. An input given as a date (`inactive_since`) becomes the
months it names up to the question's date (`months.py`). Concept inputs take a slug (`wallonia`), one of
our prefixed names (`region:wallonia`) or the full IRI; a concept is accepted as itself, and the query
reasons over its broader and narrower concepts (skos:broader+).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from inclusion_kg.eligibility.months import months_between
from inclusion_kg.eligibility.query_inputs import camel
from inclusion_kg.eligibility.vocabulary import LANGUAGES, REGION, Input, Vocabulary
from inclusion_kg.errors import BadRequestError
from inclusion_kg.named_queries.binding import expand_curie
from inclusion_kg.namespaces import XSD

DATE, LANG = "date", "lang"

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


class InputError(BadRequestError):
    """A bad eligibility input (400): names the input and what it accepts."""

    kind = "bad-input"

    def __init__(self, name: str, problem: str, accepted: str | list[str]):
        listed = ", ".join(accepted) if isinstance(accepted, list) else accepted
        super().__init__(f"{name}: {problem}; accepted: {listed}")
        self.name = name
        self.accepted = accepted

    def to_dict(self) -> dict:
        return {**super().to_dict(), "input": self.name, "accepted": self.accepted}


@dataclass(frozen=True)
class Inputs:
    """Checked inputs: IRIs for concepts, Decimal/int/bool for literals; absent inputs are left out."""

    values: dict[str, str | Decimal | int | bool]
    date: date
    lang: str
    since: dict[str, date] = field(default_factory=dict)  # inputs given as a date (inactive_since), as given

    def key(self) -> tuple:
        given = sorted((k, str(v)) for k, v in self.values.items()) + sorted((k, str(v)) for k, v in self.since.items())
        return tuple(given) + (self.date.isoformat(), self.lang)


def accepted_concepts(vocabulary: Vocabulary, name: str) -> list[str]:
    return vocabulary.inputs[name].slugs() + ["or the full IRI"]


def parse_concept(vocabulary: Vocabulary, name: str, raw: str) -> str:
    known = vocabulary.inputs[name].values
    value = raw.strip()
    iri = known.get(value) or known.get(value.lower())
    if iri is None and value in known.values():
        iri = value
    if iri is None and (expanded := expand_curie(value)) in known.values():
        iri = expanded
    if iri is None:
        raise InputError(name, f"{raw!r} is not known", accepted_concepts(vocabulary, name))
    return iri


def parse_literal(spec: Input, raw: str) -> Decimal | int | bool:
    """A literal input by its datatype, within the range the ontology gives it (ikg:minimumValue/maximumValue);
    messages say what is accepted in the ontology's words (skos:scopeNote)."""
    name, datatype, value = spec.name, spec.datatype or "", raw.strip()
    low, high, meaning = spec.minimum, spec.maximum, spec.hints.get("en", "")
    if datatype == str(XSD.boolean):
        if value.lower() in TRUE | FALSE:
            return value.lower() in TRUE
        raise InputError(name, f"{raw!r} is not true or false", ["true", "false"])
    if datatype == str(XSD.integer):
        if not _INTEGER.fullmatch(value):
            raise InputError(name, f"{raw!r} is not a whole number", meaning or "a whole number")
        number: Decimal | int = int(value)
    elif datatype == str(XSD.decimal):
        if value.endswith("%"):
            raise InputError(name, f"{raw!r} is a percentage, give a fraction", meaning or "a decimal number")
        if not _DECIMAL.fullmatch(value):
            raise InputError(name, f"{raw!r} is not a number", meaning or "a decimal number")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise InputError(name, f"{raw!r} is not a number", meaning or "a decimal number") from None
    else:
        raise InputError(name, f"inputs of datatype {datatype} are not supported", "no value")
    if (low is not None and number < low) or (high is not None and number > high):
        raise InputError(name, f"{raw!r} is out of range", meaning)
    return number


def parse_date(raw: str | None, name: str = DATE) -> date:
    if raw is None or raw.strip() == "":
        return date.today()
    value = raw.strip()
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(name, f"{raw!r} is not a date", "a date YYYY-MM-DD that exists, e.g. 2025-10-01") from None


def language_from(accept_language: str | None) -> str:
    """The first of nl, fr, de, en in an Accept-Language header (by q), else en."""
    best, best_q = "en", -1.0
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > best_q and q > 0:
            best, best_q = primary, q - position * 1e-6
    return best


def parse_inputs(vocabulary: Vocabulary, raw: dict[str, str], accept_language: str | None = None) -> Inputs:
    """Check raw inputs (by input name, as the ontology gives it); InputError for an unknown name or a value that does not fit."""
    dated = vocabulary.date_inputs()  # inactive_since -> inactive_months
    allowed = vocabulary.names() + sorted(dated) + [DATE, LANG]
    for name in raw:
        if name not in allowed:
            raise InputError(name, "is not an input", allowed)
    if not (raw.get(REGION) or "").strip():
        raise InputError(REGION, "is required (the region where the staff member is domiciled)",
                         accepted_concepts(vocabulary, REGION))  # fmt: skip
    values: dict[str, str | Decimal | int | bool] = {}
    for name, spec in vocabulary.inputs.items():
        text = raw.get(name)
        if text is None or text.strip() == "":
            continue
        values[name] = parse_concept(vocabulary, name, text) if spec.is_concept else parse_literal(spec, text)
    lang = (raw.get(LANG) or "").strip().lower() or language_from(accept_language)
    if lang not in LANGUAGES:
        raise InputError(LANG, f"{raw.get(LANG)!r} is not a language we label in", list(LANGUAGES))
    on = parse_date(raw.get(DATE))
    since: dict[str, date] = {}
    for date_name, name in dated.items():
        text = (raw.get(date_name) or "").strip()
        if not text:
            continue
        if name in values:
            raise InputError(date_name, f"is given with {name}; give one of them", [name, date_name])
        since[date_name] = parse_date(text, date_name)
        if since[date_name] > on:
            raise InputError(date_name, f"{text!r} is after the question's date {on.isoformat()}",
                             f"a date YYYY-MM-DD on or before {on.isoformat()}")  # fmt: skip
        values[name] = parse_literal(vocabulary.inputs[name], str(months_between(since[date_name], on)))
    return Inputs(values=values, date=on, lang=lang, since=since)


def query_values(inputs: Inputs) -> dict[str, str]:
    """The checked inputs as the parameter values of eligibility.rq and eligibility-lookup.rq (canonical text,
    bound as typed terms; the lookup takes no `lang`)."""
    values = {}
    for name, value in inputs.values.items():
        if isinstance(value, bool):
            values[camel(name)] = "true" if value else "false"
        else:
            values[camel(name)] = str(value)
    values[DATE] = inputs.date.isoformat()
    values[LANG] = inputs.lang
    return values
