"""Media types of SPARQL answers; row counting of serialized tables; graph answers in any RDF format.

Tables are written by Oxigraph's own serializers (W3C SPARQL 1.1 Query Results JSON, XML, CSV, TSV) into a
bounded buffer; `count_rows` then enforces the row limit without parsing in the common case.
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from inclusion_kg.errors import NotAcceptableError, TooManyResultsError

# Result tables (SELECT, ASK), the server's preference first.
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TABLE_TYPES = (JSON, XML, CSV, TSV)

# RDF graphs (CONSTRUCT, DESCRIBE), the server's preference first.
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
NQUADS = "application/n-quads"
TRIG = "application/trig"
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)

HTML = "text/html"

RESULTS_FORMATS = {
    JSON: ox.QueryResultsFormat.JSON,
    XML: ox.QueryResultsFormat.XML,
    CSV: ox.QueryResultsFormat.CSV,
    TSV: ox.QueryResultsFormat.TSV,
}

RDF_FORMATS = {
    TURTLE: ox.RdfFormat.TURTLE,
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    JSONLD: ox.RdfFormat.JSON_LD,
    RDFXML: ox.RdfFormat.RDF_XML,
    NQUADS: ox.RdfFormat.N_QUADS,
    TRIG: ox.RdfFormat.TRIG,
}

# What the Content-Type header says: every format is text, in UTF-8.
CONTENT_TYPES = {media: f"{media}; charset=utf-8" for media in (*TABLE_TYPES, *GRAPH_TYPES, HTML)}


def count_rows(body: bytes, media_type: str, limit: int) -> int:
    """The rows of a serialized SELECT answer: exact, or an upper bound when that is within `limit`."""
    if media_type == XML:
        return body.count(b"<result>")  # '<' is always escaped inside XML text
    if media_type == TSV:
        return body.count(b"\n") - 1  # TSV escapes new lines inside terms
    if media_type == CSV:
        bound = body.count(b"\r\n") - 1  # a quoted value may hold CRLF: an upper bound
        return bound if bound <= limit else sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1
    bound = body.count(b"{") - 3  # every row and every bound value opens a '{': an upper bound
    return bound if bound <= limit else len(json.loads(body)["results"]["bindings"])


class AnswerTooLarge(Exception):
    """Raised by BoundedOutput past its limit."""


class BoundedOutput(io.BytesIO):
    """A byte buffer that refuses to grow past `limit` (stops serializing a huge answer early)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def write(self, data) -> int:
        if self.tell() + len(data) > self.limit:
            raise AnswerTooLarge()
        return super().write(data)


def used_prefixes(triples: list, prefixes: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Only the prefixes whose namespace some IRI of the answer is in (all our namespaces end in / or #)."""
    if not prefixes:
        return {}
    namespaces = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iri = term.value
                namespaces.add(iri[: max(iri.rfind("/"), iri.rfind("#")) + 1])
            elif isinstance(term, ox.Literal) and term.datatype:
                iri = term.datatype.value
                namespaces.add(iri[: max(iri.rfind("/"), iri.rfind("#")) + 1])
    return {name: iri for name, iri in prefixes if iri in namespaces}


def write_answer(result, media_type: str, max_rows: int, max_bytes: int, prefixes=()) -> bytes:
    """Any pyoxigraph query result (or one parsed from a remote store) as `media_type`, within the row and
    size limits (TooManyResultsError, NotAcceptableError). Call it in the thread that made `result`: a
    `QuerySolutions` consumed in another thread aborts the process."""
    if isinstance(result, (ox.QueryBoolean, ox.QuerySolutions)):
        if media_type not in RESULTS_FORMATS:
            raise NotAcceptableError(f"a table or boolean answer cannot be written as {media_type}")
        output = BoundedOutput(max_bytes)
        try:
            result.serialize(output, format=RESULTS_FORMATS[media_type])
        except AnswerTooLarge:
            raise TooManyResultsError(f"the answer is larger than {max_bytes} bytes (the limit); add a LIMIT") from None
        body = output.getvalue()
        if isinstance(result, ox.QuerySolutions) and count_rows(body, media_type, max_rows) > max_rows:
            raise TooManyResultsError(f"the answer has more than {max_rows} rows (the limit); add a LIMIT")
        return body
    if media_type not in RDF_FORMATS:
        raise NotAcceptableError(f"a graph answer cannot be written as {media_type}")
    triples = []
    for triple in result:
        if len(triples) == max_rows:
            raise TooManyResultsError(f"the answer has more than {max_rows} triples (the limit); narrow the query")
        triples.append(getattr(triple, "triple", triple))  # a parsed quad, or a CONSTRUCT's triple
    fmt = RDF_FORMATS[media_type]
    used = used_prefixes(triples, prefixes) if media_type in (TURTLE, TRIG, RDFXML) else None
    if fmt.supports_datasets:  # N-Quads, TriG: the triples in the default graph
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    return ox.serialize(triples, format=fmt, prefixes=used)
