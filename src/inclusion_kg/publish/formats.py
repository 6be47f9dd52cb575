"""RDF formats of a resource description, and content negotiation between them and HTML.

One table maps each format we serve to its media type, rdflib serializer and file extension; `negotiate`
picks one from `?format=` (which wins) or the `Accept` header (q-values honoured, order breaks ties).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import Graph

from inclusion_kg.namespaces import PREFIXES, bind_prefixes


@dataclass(frozen=True)
class RdfFormat:
    key: str  # the ?format= value
    media_type: str
    rdflib: str  # rdflib serializer name
    extension: str
    label: str
    aliases: tuple[str, ...] = ()  # other media types that ask for the same format


HTML = RdfFormat("html", "text/html", "", "html", "HTML", ("application/xhtml+xml",))
TURTLE = RdfFormat("ttl", "text/turtle", "turtle", "ttl", "Turtle", ("application/x-turtle",))
NTRIPLES = RdfFormat("nt", "application/n-triples", "nt", "nt", "N-Triples", ("text/plain",))
JSONLD = RdfFormat("jsonld", "application/ld+json", "json-ld", "jsonld", "JSON-LD", ("application/json",))
RDFXML = RdfFormat("rdf", "application/rdf+xml", "xml", "rdf", "RDF/XML", ("application/xml", "text/xml"))
NQUADS = RdfFormat("nq", "application/n-quads", "nquads", "nq", "N-Quads")

SPDX = "http://spdx.org/rdf/terms#"
RDF_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML)
PAGE_FORMATS = (HTML, *RDF_FORMATS)
BY_KEY = {f.key: f for f in PAGE_FORMATS} | {"turtle": TURTLE, "ntriples": NTRIPLES, "json-ld": JSONLD,
                                             "xml": RDFXML, "rdfxml": RDFXML, "nquads": NQUADS, "nq": NQUADS}


# A file suffix on a resource's address asks for that format, as a file name would: /id/agency/vdab.ttl
SUFFIXES = {f".{f.extension}": f for f in (*RDF_FORMATS, HTML)}


def split_suffix(path: str) -> tuple[str, RdfFormat | None]:
    """`path` without a known format suffix, and the format it names (None when it has no such suffix)."""
    stem, dot, extension = path.rpartition(".")
    fmt = SUFFIXES.get(f".{extension.lower()}") if dot and "/" not in extension else None
    return (stem, fmt) if fmt is not None else (path, None)


class NotAcceptable(ValueError):
    """Neither ?format= nor Accept names a format we serve; the message lists those we do."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q-values, best first (stable for equal q)."""
    ranges = []
    for index, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q, index))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, q) for media, q, _ in ranges if q > 0]


def negotiate(accept: str | None, format_param: str | None = None,
              offered: tuple[RdfFormat, ...] = PAGE_FORMATS) -> RdfFormat:
    """The format to answer with: ?format= first, then the best Accept match, the first offered for */*."""
    if format_param:
        chosen = BY_KEY.get(format_param.lower())
        if chosen is None or chosen not in offered:
            raise NotAcceptable(
                f"unknown format {format_param!r}; use one of: " + ", ".join(f.key for f in offered)
            )
        return chosen
    for media, _ in parse_accept(accept):
        if media in ("*/*", "*"):
            return offered[0]
        for candidate in offered:
            if media == candidate.media_type or media in candidate.aliases:
                return candidate
        major = media.split("/")[0]
        if media.endswith("/*"):
            for candidate in offered:
                if candidate.media_type.startswith(major + "/"):
                    return candidate
    raise NotAcceptable("no acceptable format; we serve: " + ", ".join(f.media_type for f in offered))


def jsonld_context() -> dict:
    """The JSON-LD context we publish at /context.jsonld: our prefixes, the same as in Turtle."""
    return {prefix: iri for prefix, iri in sorted({**PREFIXES, "spdx": SPDX}.items())}


def _sorted_json(value, in_list: bool = False):
    """JSON with object keys and set-like arrays sorted (never the members of an @list)."""
    if isinstance(value, dict):
        return {key: _sorted_json(item, key == "@list") for key, item in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return items if in_list else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def serialize(graph: Graph, fmt: RdfFormat, context: dict | None = None) -> bytes:
    """`graph` in `fmt` with our prefixes; JSON-LD compacted with our context, its arrays sorted."""
    graph = bind_prefixes(graph)
    graph.bind("spdx", SPDX)  # checksums in the catalogue
    if fmt is JSONLD:
        context = jsonld_context() if context is None else context
        document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
        document = _sorted_json({key: value for key, value in document.items() if key != "@context"})
        return json.dumps({"@context": context, **document}, ensure_ascii=False, indent=2).encode("utf-8")
    return graph.serialize(format=fmt.rdflib, encoding="utf-8")


def content_type(fmt: RdfFormat) -> str:
    return f"{fmt.media_type}; charset=utf-8"
