"""Content negotiation and the HTTP response of a SPARQL answer, shared by /sparql and /queries/{name}.

- `choose_media_type(accept, form, fmt)`: the media type to answer with, from a `format` parameter (which
  wins) or the Accept header with q-values; NotAcceptableError (406) when nothing fits.
- `engine_media_type(media_type, form)`: what to ask the engine for (an HTML page is drawn from JSON or
  Turtle).
- `sparql_response(request, body, media_type, ...)`: the Response, with ETag, Cache-Control, Vary, the HTML
  page for browsers; `not_modified(request, etag)` answers If-None-Match with 304 before any work.
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import Request
from fastapi.responses import Response

from inclusion_kg.errors import NotAcceptableError
from inclusion_kg.sparql import formats as f

TABLE_CHOICES = (f.JSON, f.XML, f.CSV, f.TSV, f.HTML)
GRAPH_CHOICES = (f.TURTLE, f.NTRIPLES, f.JSONLD, f.RDFXML, f.NQUADS, f.TRIG, f.HTML)

# Other names clients send for the same formats.
TABLE_ALIASES = {
    f.JSON: ("application/json", "text/javascript", "application/javascript"),
    f.XML: ("application/xml", "text/xml"),
    f.CSV: (),
    f.TSV: (),
    f.HTML: ("application/xhtml+xml",),
}
GRAPH_ALIASES = {
    f.TURTLE: ("application/x-turtle",),
    f.NTRIPLES: ("text/plain",),
    f.JSONLD: ("application/json",),
    f.RDFXML: ("application/xml", "text/xml"),
    f.NQUADS: ("text/x-nquads",),
    f.TRIG: (),
    f.HTML: ("application/xhtml+xml",),
}
FORMAT_NAMES = {  # the `format` parameter: (for SELECT/ASK, for CONSTRUCT/DESCRIBE)
    "json": (f.JSON, f.JSONLD),
    "xml": (f.XML, f.RDFXML),
    "csv": (f.CSV, None),
    "tsv": (f.TSV, None),
    "html": (f.HTML, f.HTML),
    "turtle": (None, f.TURTLE),
    "ttl": (None, f.TURTLE),
    "nt": (None, f.NTRIPLES),
    "ntriples": (None, f.NTRIPLES),
    "n-triples": (None, f.NTRIPLES),
    "jsonld": (None, f.JSONLD),
    "json-ld": (None, f.JSONLD),
    "rdfxml": (None, f.RDFXML),
    "rdf": (None, f.RDFXML),
    "nquads": (None, f.NQUADS),
    "nq": (None, f.NQUADS),
    "trig": (None, f.TRIG),
}
CACHE_CONTROL = "public, max-age=300"


def is_graph_form(form: str) -> bool:
    return form.upper() in ("CONSTRUCT", "DESCRIBE")


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, position) for every range in an Accept header; bad q-values count as 0."""
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return ranges


@lru_cache(maxsize=512)  # clients send a handful of Accept headers, over and over
def choose_media_type(accept: str | None, form: str, fmt: str | None = None) -> str:
    """The media type to answer a query of `form` with; NotAcceptableError when none fits."""
    graph = is_graph_form(form)
    choices = GRAPH_CHOICES if graph else TABLE_CHOICES
    if fmt:
        name = fmt.strip().lower()
        if name in FORMAT_NAMES and FORMAT_NAMES[name][graph]:
            return FORMAT_NAMES[name][graph]
        if name in choices:
            return name
        names = sorted(n for n, pair in FORMAT_NAMES.items() if pair[graph]) + list(choices)
        raise NotAcceptableError(f"format={fmt!r} cannot answer a {form.upper()} query; use one of {', '.join(names)}")
    ranges = parse_accept(accept)
    if not ranges:
        return choices[0]
    aliases = GRAPH_ALIASES if graph else TABLE_ALIASES
    best, best_key = None, None
    for preference, choice in enumerate(choices):
        names = (choice, *aliases[choice])
        match = None  # (specificity, q, position) of the most specific range that covers this choice
        for media, q, position in ranges:
            if media in names:
                specificity = 2
            elif choice != f.HTML and media == choice.split("/")[0] + "/*":
                specificity = 1
            elif choice != f.HTML and media == "*/*":
                specificity = 0
            else:
                continue
            if match is None or specificity > match[0]:
                match = (specificity, q, position)
        if match is None or match[1] <= 0:
            continue
        key = (match[1], match[0], -match[2], -preference)
        if best_key is None or key > best_key:
            best, best_key = choice, key
    if best is None:
        raise NotAcceptableError(
            f"none of the media types in Accept ({accept}) can answer a {form.upper()} query; "
            f"use one of {', '.join(choices)}"
        )
    return best


def engine_media_type(media_type: str, form: str) -> str:
    """What the engine writes for `media_type`: HTML pages are drawn from JSON results or Turtle."""
    if media_type != f.HTML:
        return media_type
    return f.TURTLE if is_graph_form(form) else f.JSON


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [c.strip() for c in header.split(",")]
    return "*" in candidates or any(c.removeprefix("W/") == etag for c in candidates)


def not_modified(request: Request, etag: str | None) -> Response | None:
    """A 304 when a GET/HEAD request's If-None-Match names `etag`, else None."""
    header = request.headers.get("if-none-match")
    if etag and header and request.method in ("GET", "HEAD") and _etag_matches(header, etag):
        return Response(status_code=304, headers=cache_headers(etag))
    return None


def cache_headers(etag: str | None) -> dict[str, str]:
    headers = {"Vary": "Accept"}
    if etag:
        headers["ETag"] = etag
        headers["Cache-Control"] = CACHE_CONTROL
    else:
        headers["Cache-Control"] = "no-store"
    return headers


def sparql_response(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    form: str,
    etag: str | None = None,
    query: str | None = None,
    title: str = "SPARQL results",
) -> Response:
    """The HTTP answer for engine output `body` (asked with `engine_media_type(media_type, form)`)."""
    if (early := not_modified(request, etag)) is not None:
        return early
    if media_type == f.HTML:
        from inclusion_kg.sparql import html

        return html.results_response(request, body, form=form, query=query, title=title, etag=etag)
    return Response(content=body, media_type=f.CONTENT_TYPES.get(media_type, media_type), headers=cache_headers(etag))
