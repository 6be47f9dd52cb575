"""A content hash of a graph that the store and we agree on, whatever the store does to literals.

Stores keep values, not spellings: Virtuoso answers "1.0"^^xsd:decimal as "1" and may drop ^^xsd:string.
So each triple is written in N-Triples with its literal in a canonical form (numbers by value, booleans as
true/false, date-times in UTC with "Z", xsd:string as a plain literal) and blank-node labels erased (stores rename them); the hash is
SHA-256 over the sorted lines. With the triple count it tells that the store holds what was sent.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
)}
DECIMALS = {XSD + "decimal"}
FLOATS = {XSD + "double", XSD + "float"}


def _value(literal: ox.Literal) -> str:
    datatype = literal.datatype.value
    text = literal.value.strip()
    try:
        if datatype in INTEGERS:
            return f'"{int(text)}"^^<{datatype}>'
        if datatype in DECIMALS:
            return f'"{Decimal(text).normalize():f}"^^<{datatype}>'
        if datatype in FLOATS:
            return f'"{float(text)!r}"^^<{datatype}>'
    except (ValueError, InvalidOperation):
        pass
    if datatype == XSD + "dateTime":  # Oxigraph writes a UTC time with "Z", rdflib with "+00:00"
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return str(literal)
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
            return f'"{moment.isoformat()}Z"^^<{datatype}>'
        return f'"{moment.isoformat()}"^^<{datatype}>'
    if datatype == XSD + "boolean":
        return f'"{str(text in ("true", "1")).lower()}"^^<{datatype}>'
    if datatype == XSD + "string":
        return str(ox.Literal(literal.value))
    return str(literal)


def _term(term) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal) and term.language is None:
        return _value(term)
    return str(term)


def canonical_lines(triples) -> list[str]:
    return sorted(f"{_term(t.subject)} {_term(t.predicate)} {_term(t.object)}" for t in triples)


def content_digest(triples) -> tuple[int, str]:
    """(number of triples, "sha256:...") of an iterable of pyoxigraph triples or quads."""
    lines = canonical_lines(triples)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return len(lines), "sha256:" + digest.hexdigest()


def digest_of_ntriples(data: bytes) -> tuple[int, str]:
    return content_digest(quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
