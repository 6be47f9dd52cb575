"""Dumps of the served dataset (Turtle, N-Triples, JSON-LD, N-Quads), built once with size and SHA-256.

The bytes are deterministic: blank nodes get canonical labels and line-based formats are sorted, so the
files `inclusion-kg export` writes are byte for byte the ones the server offers at /dumps/.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph

from inclusion_kg.namespaces import DATASET, bind_prefixes
from inclusion_kg.publish.formats import JSONLD, NQUADS, NTRIPLES, TURTLE, RdfFormat, serialize

STEM = "inclusion-kg"
DUMP_FORMATS: tuple[RdfFormat, ...] = (TURTLE, NTRIPLES, JSONLD, NQUADS)


@dataclass(frozen=True)
class Dump:
    format: RdfFormat
    filename: str
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def canonical(graph: Graph) -> Graph:
    """A copy of `graph` whose blank nodes have labels derived from the data, not from the parse."""
    copy = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in to_canonical_graph(graph):
        copy.add(triple)
    return copy


def sorted_lines(text: str) -> bytes:
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def render(graph: Graph, fmt: RdfFormat, context: dict | None = None) -> bytes:
    """One dump: `graph` already canonical. N-Quads puts the triples in the named graph of the dataset IRI."""
    if fmt is NQUADS:  # N-Triples lines with the graph's name: rdflib's N-Quads writer calls deprecated APIs
        name = URIRef(str(DATASET)).n3()
        lines = graph.serialize(format="nt").splitlines()
        return sorted_lines("\n".join(f"{line.removesuffix(' .')} {name} ." for line in lines if line.strip()))
    if fmt is NTRIPLES:
        return sorted_lines(graph.serialize(format="nt"))
    if fmt is TURTLE:
        return graph.serialize(format="longturtle", encoding="utf-8")
    return serialize(graph, fmt, context)


def build_dumps(graph: Graph, context: dict | None = None) -> dict[str, Dump]:
    """The dumps of `graph`, by file name."""
    canon = canonical(graph)
    dumps = {}
    for fmt in DUMP_FORMATS:
        content = render(canon, fmt, context)
        filename = f"{STEM}.{fmt.extension}"
        dumps[filename] = Dump(fmt, filename, content, hashlib.sha256(content).hexdigest())
    return dumps


def write_dumps(dumps: dict[str, Dump], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for dump in dumps.values():
        path = out / dump.filename
        path.write_bytes(dump.content)
        written.append(path)
    return written
