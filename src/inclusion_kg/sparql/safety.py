"""What a query is, and whether it may run: a SPARQL tokenizer, not a text search.

The query is split into the terminals of the SPARQL 1.1 grammar (IRIs, the four kinds of string with their
escapes, comments, variables, blank-node labels, prefixed names, language tags, numbers, keywords and
punctuation). Only bare-word tokens can be keywords, so `SERVICE` inside a string, an IRI, a comment, a
variable name or a prefixed name is never mistaken for the keyword, and a keyword cannot hide in one:

- SERVICE (pyoxigraph would call the remote endpoint over HTTP) and LOAD are refused before evaluation;
- a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, WITH) is refused: read-only;
- FROM / FROM NAMED need no check: Oxigraph resolves them against the store's graphs and never fetches.

Being conservative costs nothing here: the query is also scanned a second time after decoding `\\uXXXX`
escapes everywhere (the spec's code-point pre-pass), and a SERVICE token in either reading refuses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from inclusion_kg.errors import ForbiddenQueryError, QuerySyntaxError, UpdateNotAllowedError

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
  | (?P<string>\"\"\"(?:(?:\"|\"\")?(?:[^"\\]|\\.))*\"\"\"
              | '''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
              | "(?:[^"\\\r\n]|\\.)*"
              | '(?:[^'\\\r\n]|\\.)*')
  | (?P<var>[?$][{_PN_CHARS}]+)
  | (?P<bnode>_:[{_PN_CHARS}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)
  | (?P<pname>(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?
              :(?:(?:[{_PN_CHARS}:]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)?)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
FORBIDDEN = {"SERVICE": "SERVICE (federated queries to other endpoints)", "LOAD": "LOAD"}
# Functions whose answer changes from one evaluation to the next: such answers are not cached.
NONDETERMINISTIC = {"RAND", "NOW", "UUID", "STRUUID", "BNODE"}
MAX_NESTING = 200
MEMO_QUERY_CHARS, MEMO_ENTRIES = 4096, 2048  # analyses remembered: at most 8 M characters of queries
# The same tokens, with only the bare words captured: findall gives each token's word, or "" for any other
# token, without a Python step per token (a query never asked before is tokenized on its request's path).
_WORDS = re.compile(re.sub(r"\(\?P<(?!word>)\w+>", "(?:", TOKEN.pattern).replace("(?P<word>", "("),
                    re.VERBOSE | re.DOTALL)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class QueryInfo:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    deterministic: bool  # False when it calls RAND(), NOW(), UUID(), STRUUID() or BNODE()

    @property
    def is_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE answer with RDF; SELECT and ASK with a result table."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def _decode_codepoints(text: str) -> str:
    def decode(match: re.Match) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else match.group()

    return _CODEPOINT.sub(decode, text)


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def _words(text: str) -> list[str]:
    """The bare words (keywords, function names) of `text`, upper-cased.

    Also refuses nesting deeper than MAX_NESTING: the parser recurses and would overflow its stack.
    """
    if sum(map(text.count, "({[")) > MAX_NESTING:  # else the depth cannot pass it: no need to follow it
        depth = 0
        for match in TOKEN.finditer(text):
            if match.lastgroup == "punct" and match.group() in "({[)}]":
                depth += 1 if match.group() in "({[" else -1
                if depth > MAX_NESTING:
                    raise QuerySyntaxError(f"the query nests (, {{ or [ more than {MAX_NESTING} deep (the limit)",
                                           _position(text, match.start()))
    return [word.upper() for word in _WORDS.findall(text) if word]


def _offset(text: str, word: str) -> int:
    """Where the bare word `word` first occurs in `text` (for an error message)."""
    return next(m.start() for m in TOKEN.finditer(text) if m.lastgroup == "word" and m.group().upper() == word)


def _refuse_forbidden(text: str, words: list[str]) -> None:
    for word in words:
        if word in FORBIDDEN:
            raise ForbiddenQueryError(
                f"{FORBIDDEN[word]} is not allowed: this endpoint only queries its own data "
                f"and never reaches the network or the file system (at {_position(text, _offset(text, word))})."
            )


def analyze(query: str) -> QueryInfo:
    """The query's form, or ForbiddenQueryError / UpdateNotAllowedError / QuerySyntaxError.

    The analysis of a query of at most MEMO_QUERY_CHARS is remembered (a query asked again, e.g. one whose
    answer is kept, is not tokenized again); longer ones are rare, and remembering them would let the memo
    hold MEMO_ENTRIES times the largest query allowed."""
    return _remembered(query) if len(query) <= MEMO_QUERY_CHARS else _analyze(query)



def _analyze(query: str) -> QueryInfo:
    words = _words(query)
    _refuse_forbidden(query, words)
    if "\\u" in query or "\\U" in query:
        decoded = _decode_codepoints(query)
        _refuse_forbidden(decoded, _words(decoded))
    deterministic = NONDETERMINISTIC.isdisjoint(words)
    for word in words:
        if word in QUERY_FORMS:
            return QueryInfo(form=word, deterministic=deterministic)
        if word in UPDATE_KEYWORDS:
            raise UpdateNotAllowedError(
                "SPARQL Update is not allowed: this endpoint is read-only "
                f"({word} at {_position(query, _offset(query, word))})."
            )
        if word not in ("BASE", "PREFIX"):
            break
    raise QuerySyntaxError(
        "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue", "1:1"
    )


_remembered = lru_cache(maxsize=MEMO_ENTRIES)(_analyze)
