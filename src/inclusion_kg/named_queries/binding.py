"""Check parameter values against their type and enumeration, and bind them as RDF terms.

A value never reaches the query as text: it is parsed into a pyoxigraph term (IRIs validated, literals
of a numeric, boolean or date type parsed and written in canonical form, every literal escaped by the
term's own serialiser), and the term replaces the parameter's variable tokens (`sparql_text`). Quotes,
braces, `} UNION {`, newlines or `#` in a value therefore stay inside one literal, or are refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pyoxigraph as ox

from inclusion_kg.named_queries import sparql_text
from inclusion_kg.named_queries.grlc import NamedQuery, Parameter
from inclusion_kg.namespaces import PREFIXES, XSD
from inclusion_kg.sparql import safety

MAX_LITERAL = 2000  # characters; longer values are refused

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER_TYPES = {
    str(XSD[t]): t
    for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
              "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
              "unsignedByte")
}  # fmt: skip


class ParameterError(ValueError):
    """A value that does not fit its parameter; `accepted` says what would."""

    def __init__(self, parameter: str, message: str, accepted: list[str] | str | None = None):
        super().__init__(f"parameter '{parameter}': {message}")
        self.parameter = parameter
        self.message = str(self)
        self.accepted = accepted

    def as_dict(self) -> dict:
        body: dict = {"error": "bad-parameter", "parameter": self.parameter, "message": self.message}
        if self.accepted is not None:
            body["accepted"] = self.accepted
        return body


def slug_of(iri: str) -> str:
    """The last segment of an IRI: `.../id/region/wallonia` -> `wallonia`."""
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def expand_curie(value: str) -> str | None:
    """`region:wallonia` -> the full IRI, for our own prefixes only."""
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


def accepted_values(enum: tuple[str, ...]) -> list[str]:
    """What a message lists as accepted: slugs where they are unambiguous, else the values."""
    slugs = [slug_of(v) for v in enum]
    if all("://" in v for v in enum) and len(set(slugs)) == len(slugs):
        return sorted(slugs)
    return sorted(enum)


def resolve_iri(parameter: str, raw: str, enum: tuple[str, ...] | None) -> ox.NamedNode:
    """A full IRI, one of our prefixed names, or (for an enumerated parameter) a slug of a listed IRI."""
    value = raw.strip()
    if enum:
        if value in enum:
            return ox.NamedNode(value)
        expanded = expand_curie(value)
        if expanded in enum:
            return ox.NamedNode(expanded)
        matches = [iri for iri in enum if slug_of(iri) == value]
        if len(matches) == 1:
            return ox.NamedNode(matches[0])
        raise ParameterError(parameter, f"{raw!r} is not an accepted value", accepted_values(enum))
    candidate = expand_curie(value) or value
    try:
        return ox.NamedNode(candidate)
    except ValueError:
        raise ParameterError(parameter, f"{raw!r} is not an absolute IRI", "an absolute IRI") from None


def literal_for(parameter: str, raw: str, datatype: str | None, lang: str | None) -> ox.Literal:
    if len(raw) > MAX_LITERAL:
        raise ParameterError(parameter, f"the value is longer than {MAX_LITERAL} characters")
    if lang:
        return ox.Literal(raw, language=lang)
    if datatype is None or datatype == str(XSD.string):
        return ox.Literal(raw)
    value = raw.strip()
    local = datatype.removeprefix(str(XSD))
    if datatype in _INTEGER_TYPES:
        if not _INTEGER.fullmatch(value):
            raise ParameterError(parameter, f"{raw!r} is not a whole number", f"a whole number ({local})")
        number = int(value)
        if (local in {"nonNegativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"}
                and number < 0) or (local == "positiveInteger" and number < 1):  # fmt: skip
            raise ParameterError(parameter, f"{raw!r} is out of range", f"a whole number ({local})")
        return ox.Literal(str(number), datatype=ox.NamedNode(datatype))
    if local == "decimal":
        if not _DECIMAL.fullmatch(value):
            raise ParameterError(parameter, f"{raw!r} is not a decimal number", "a decimal number such as 0.03")
        return ox.Literal(str(Decimal(value)), datatype=ox.NamedNode(datatype))
    if local in {"double", "float"}:
        if not _DOUBLE.fullmatch(value):
            raise ParameterError(parameter, f"{raw!r} is not a number", "a number such as 0.5 or 1e3")
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    if local == "boolean":
        lowered = value.lower()
        if lowered not in {"true", "false", "1", "0"}:
            raise ParameterError(parameter, f"{raw!r} is not a boolean", ["true", "false"])
        return ox.Literal("true" if lowered in {"true", "1"} else "false", datatype=ox.NamedNode(datatype))
    if local == "date":
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            raise ParameterError(parameter, f"{raw!r} is not a date", "a date YYYY-MM-DD, e.g. 2025-10-01") from None
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    if local == "dateTime":
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ParameterError(parameter, f"{raw!r} is not a date-time", "e.g. 2025-10-01T09:00:00") from None
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(raw, datatype=ox.NamedNode(datatype))


def term_for(parameter: Parameter, raw: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for a raw value of `parameter`; ParameterError when it does not fit."""
    if parameter.kind == "iri":
        return resolve_iri(parameter.name, raw, parameter.enum)
    if parameter.kind == "number":
        value = raw.strip()
        if _INTEGER.fullmatch(value):
            term = ox.Literal(str(int(value)), datatype=ox.NamedNode(str(XSD.integer)))
        elif _DECIMAL.fullmatch(value):
            term = ox.Literal(str(Decimal(value)), datatype=ox.NamedNode(str(XSD.decimal)))
        else:
            try:
                Decimal(value)
                if not _DOUBLE.fullmatch(value):
                    raise InvalidOperation
            except InvalidOperation:
                raise ParameterError(parameter.name, f"{raw!r} is not a number", "a number") from None
            term = ox.Literal(value, datatype=ox.NamedNode(str(XSD.double)))
    else:
        term = literal_for(parameter.name, raw, parameter.datatype, parameter.lang)
    if parameter.enum and term.value not in parameter.enum:
        raise ParameterError(parameter.name, f"{raw!r} is not an accepted value", sorted(parameter.enum))
    return term


# What a term written by pyoxigraph (N-Triples syntax) is made of: an IRI, or a string with a language tag or
# ^^ and a datatype IRI. No bare word (a keyword), brace or comment can be part of it.
TERM_TOKENS = {"iri", "string", "langtag"}


def written_term(name: str, term: ox.NamedNode | ox.Literal) -> str:
    """The term as SPARQL text, checked to be one term: the engine keeps the template's safety analysis for
    the bound query (sparql/engine.py), so a value must not be able to add a keyword to it."""
    text = str(term)
    if not _is_one_term(text):
        raise ParameterError(name, f"{text!r} cannot be written as one SPARQL term")
    return text


@lru_cache(maxsize=1024)  # the same concepts are bound over and over
def _is_one_term(text: str) -> bool:
    return all(m.lastgroup in TERM_TOKENS or m.group() == "^" for m in safety.TOKEN.finditer(text))


def bind_terms(query: NamedQuery, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query text with each parameter in `terms` (by name) replaced by its term."""
    by_variable = {}
    for name, term in terms.items():
        parameter = query.parameter(name)
        if parameter is None:
            raise ParameterError(name, "unknown parameter", [p.name for p in query.parameters])
        by_variable[parameter.variable] = written_term(name, term)
    return sparql_text.replace_variables(query.text, by_variable)


def bind(query: NamedQuery, values: Mapping[str, str], *, strict: bool = True) -> str:
    """Check `values` (raw text by parameter name) and return the query to run.

    Defaults fill absent parameters; a required parameter still absent is an error; an optional one
    stays an unbound variable (grlc's behaviour). With `strict`, unknown parameter names are refused.
    """
    known = {p.name for p in query.parameters}
    if strict:
        for name in values:
            if name not in known:
                raise ParameterError(name, "unknown parameter", sorted(known) or "no parameters")
    terms = {}
    for parameter in query.parameters:
        raw = values.get(parameter.name)
        if raw is None or raw == "":
            raw = parameter.default
        if raw is None:
            if parameter.required:
                raise ParameterError(parameter.name, "is required", _describe(parameter))
            continue
        terms[parameter.name] = term_for(parameter, raw)
    return bind_terms(query, terms)


def _describe(parameter: Parameter) -> list[str] | str:
    if parameter.enum:
        return accepted_values(parameter.enum)
    if parameter.kind == "iri":
        return "an absolute IRI"
    return f"a {parameter.datatype.removeprefix(str(XSD)) if parameter.datatype else 'text'} value"
