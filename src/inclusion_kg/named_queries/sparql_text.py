"""A small lexer for SPARQL query text: where the variables, strings, IRIs and comments are.

Parameters are bound by replacing whole variable tokens (never text inside a string, an IRI or a
comment, never a longer variable that merely starts with the same name) with RDF terms that
`binding.py` has already validated and serialised. The lexer is only as clever as that needs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

# Longest strings first, so '''...''' is not read as '' followed by '...
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"
               |'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<variable>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<word>[A-Za-z]+)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # comment | string | iri | variable | open | close | word
    text: str
    start: int
    end: int


def tokens(query: str) -> list[Token]:
    """The tokens that matter for binding; anything else (punctuation, numbers, space) is skipped."""
    found = []
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None:
            position += 1
            continue
        kind = match.lastgroup or ""
        found.append(Token(kind, match.group(), match.start(), match.end()))
        position = match.end()
    return found


def variables(query: str) -> list[str]:
    """Variable names (without ? or $) in order of first appearance."""
    seen: dict[str, None] = {}
    for token in tokens(query):
        if token.kind == "variable":
            seen.setdefault(token.text[1:], None)
    return list(seen)


@lru_cache(maxsize=256)
def template(query: str) -> tuple[tuple[str, ...], Mapping[str, tuple[int, ...]]]:
    """The query cut at its variable tokens, t0 ?v1 t1 ... ?vn tn, and where each variable's tokens are in
    that list (by name, without ? or $).

    Lexing a long query takes milliseconds; it is done once per query text, binding is then a join.
    """
    parts: list[str] = []
    at: dict[str, list[int]] = {}
    last = 0
    for token in tokens(query):
        if token.kind == "variable":
            parts.append(query[last : token.start])
            at.setdefault(token.text[1:], []).append(len(parts))
            parts.append(token.text)
            last = token.end
    parts.append(query[last:])
    return tuple(parts), MappingProxyType({name: tuple(places) for name, places in at.items()})  # cached: read-only


def replace_variables(query: str, terms: dict[str, str]) -> str:
    """`query` with every token of a variable named in `terms` replaced by its (serialised) term."""
    parts, at = template(query)
    bound = list(parts)
    for name, term in terms.items():
        for place in at.get(name, ()):
            bound[place] = term
    return "".join(bound)


def prologue_and_where(query: str) -> tuple[str, str]:
    """The text before the query form keyword (PREFIX/BASE lines) and the outer WHERE group's body.

    Used to list the values a parameter takes in the data (grlc's bare `enumerate`).
    """
    found = tokens(query)
    form = next(
        (t for t in found if t.kind == "word" and t.text.upper() in {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}),
        None,
    )
    if form is None:
        raise ValueError("not a SELECT, CONSTRUCT, DESCRIBE or ASK query")
    after = [t for t in found if t.start > form.start]
    # CONSTRUCT { template } WHERE { ... }: skip the template, take the group after WHERE.
    where = next((t for t in after if t.kind == "word" and t.text.upper() == "WHERE"), None)
    if where is not None:
        after = [t for t in after if t.start > where.start]
    depth = 0
    opening = None
    for token in after:
        if token.kind == "open":
            if depth == 0:
                opening = token
            depth += 1
        elif token.kind == "close":
            depth -= 1
            if depth == 0 and opening is not None:
                return query[: form.start], query[opening.end : token.start]
    raise ValueError("the query has no WHERE group")
