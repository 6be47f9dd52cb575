"""RDF files from outside (`serve --data`, `validate FILE`): refuse the parser bombs, locate the errors.

`check_rdf_bytes` refuses, before any parser sees the bytes,
- RDF/XML whose DTD declares external (SYSTEM, PUBLIC) or parameter entities, or internal entities whose
  total expansion would exceed `MAX_ENTITY_EXPANSION` (billion laughs: pyoxigraph's RDF/XML parser expands
  entities in memory and *aborts the whole process* when the allocation fails; rdflib's is quadratic);
- JSON-LD nested deeper than `MAX_JSON_DEPTH` (pyoxigraph's JSON-LD parser exhausts memory on a 10 000-deep
  document and aborts).
`xml_error_position` finds the line and column of an XML well-formedness error (pyoxigraph's RDF/XML
messages have none), with expat, after the entity check.
"""

from __future__ import annotations

import re
from xml.parsers import expat

MAX_JSON_DEPTH = 100
MAX_ENTITY_EXPANSION = 1 << 20  # bytes all entity references of an RDF/XML file may expand to, in total

_DOCTYPE = re.compile(rb"<!DOCTYPE\s[^\[>]*\[(?P<subset>.*?)\]\s*>", re.DOTALL)
_ENTITY = re.compile(rb"<!ENTITY\s+(?P<pe>%\s+)?(?P<name>[^\s\"']+)\s+(?P<rest>[^>]*)>", re.DOTALL)
_VALUE = re.compile(rb"^\s*(\"[^\"]*\"|'[^']*')\s*$", re.DOTALL)
_REF = re.compile(rb"&([A-Za-z_][\w.\-]*);")


class UnsafeRdfError(ValueError):
    """RDF input refused before parsing; the message says why."""


def check_rdfxml(data: bytes, max_expansion: int = MAX_ENTITY_EXPANSION) -> None:
    """Refuse entity tricks in RDF/XML: external or parameter entities, and expansion past `max_expansion`.

    Internal entities used as namespace abbreviations (`<!ENTITY owl "http://www.w3.org/2002/07/owl#">`, as
    Protégé writes them) stay allowed; their total expansion is computed here, without expanding anything.
    """
    head = data[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) == 4 and head[1] == 0 and head[3] == 0):
        raise UnsafeRdfError("RDF/XML in UTF-16 is not accepted; convert the file to UTF-8")
    if b"<!ENTITY" not in data:
        return
    match = _DOCTYPE.search(data)
    if not match:
        raise UnsafeRdfError("an <!ENTITY declaration outside a DOCTYPE internal subset")
    sizes: dict[bytes, int] = {}
    refs: dict[bytes, list[bytes]] = {}
    for entity in _ENTITY.finditer(match.group("subset")):
        name, rest = entity.group("name"), entity.group("rest")
        if entity.group("pe"):
            raise UnsafeRdfError(f"parameter entity %{name.decode(errors='replace')} is not accepted")
        value = _VALUE.match(rest)
        if not value:  # SYSTEM / PUBLIC: would read a file or the network
            raise UnsafeRdfError(f"external entity {name.decode(errors='replace')} (SYSTEM or PUBLIC) is not accepted")
        text = value.group(1)[1:-1]
        sizes[name] = len(text)
        refs[name] = _REF.findall(text)
    expanded: dict[bytes, int] = {}

    def size(name: bytes, stack: tuple = ()) -> int:
        if name in expanded:
            return expanded[name]
        if name in stack:
            raise UnsafeRdfError(f"entity {name.decode(errors='replace')} refers to itself")
        total = sizes.get(name, 0) + sum(size(ref, stack + (name,)) for ref in refs.get(name, ()) if ref in sizes)
        expanded[name] = min(total, max_expansion + 1)
        return expanded[name]

    body = data[match.end():]
    total = 0
    for ref in _REF.findall(body):
        if ref in sizes:
            total += size(ref)
            if total > max_expansion:
                raise UnsafeRdfError(
                    f"its entities would expand to more than {max_expansion} bytes (an entity-expansion attack?)"
                )


def json_depth(data: bytes) -> int:
    """The deepest nesting of [ and { in a JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    for match in re.finditer(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def check_jsonld(data: bytes, max_depth: int = MAX_JSON_DEPTH) -> None:
    depth = json_depth(data)
    if depth > max_depth:
        raise UnsafeRdfError(f"the JSON-LD nests {depth} deep; more than {max_depth} is not accepted")


def check_rdf_bytes(data: bytes, kind: str) -> None:
    """`kind`: "rdfxml" or "jsonld" (other formats need no check). Raises UnsafeRdfError."""
    if kind == "rdfxml":
        check_rdfxml(data)
    elif kind == "jsonld":
        check_jsonld(data)


def xml_error_position(data: bytes) -> str | None:
    """'line L, column C' of the first XML well-formedness error, or None when the XML is well-formed."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return f"line {error.lineno}, column {error.offset + 1}: {expat.ErrorString(error.code)}"
    return None
