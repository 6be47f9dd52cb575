"""The served dataset in an embedded Oxigraph store, built once at start-up.

Our validated graph is the default graph and also the named graph `namespaces.DATASET` (a few thousand
triples: stored twice). Files given with `serve --data` are stored once, as `oxigraph load` stores them:
their triples (Turtle, N-Triples, JSON-LD, RDF/XML, and the default graph of TriG and N-Quads) in the
default graph, beside ours, and TriG/N-Quads named graphs under their names. The default graph is a set of
triples: one that is in ours and in a file is there once (Oxigraph's union of named graphs would repeat it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from inclusion_kg.eligibility.compiled import add_compiled_rules
from inclusion_kg.graph import sorted_ntriples
from inclusion_kg.eligibility.compiled import version as compiled_version
from inclusion_kg.namespaces import DATASET, ELIGIBILITY_RULES, HISTORY
from inclusion_kg.rdf_input import UnsafeRdfError, check_rdf_bytes, xml_error_position

EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


LAYOUT = "default-graph-merged:"  # prefix of the on-disk marker's key: another layout is rebuilt
SIZES_FILE = "inclusion-kg.graphs.json"  # beside the marker: the graph sizes, not counted again at each start


class DataFileError(ValueError):
    """An extra data file that cannot be served (unknown extension or a parse error)."""


@dataclass
class BuiltStore:
    store: ox.Store | None  # the in-memory store (None on disk: each process opens `path` read-only)
    path: str | None  # folder of the on-disk store
    quads: int  # triples in all graphs of the store
    graph_triples: int  # triples of our own graph
    data_digest: str  # hash of the extra data files ("" when none)
    default_triples: int = 0  # triples in the default graph: ours and the --data files' (a set)
    named_graphs: dict[str, int] = field(default_factory=dict)  # triples per IRI-named graph, ours included
    ours: ox.Store | None = None  # our graph alone, in memory (sparql/backend.py)


def graph_sizes(store: ox.Store) -> tuple[int, dict[str, int]]:
    """Triples in the default graph, and in each IRI-named graph, for the Service Description.

    Only the named graphs are scanned: the default graph is the rest of the store (it may hold millions of
    --data triples). A graph named by a blank node counts, but has no name to list."""
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    named: dict[str, int] = {}
    in_named = 0
    for row in store.query(per_graph):
        size = int(row["n"].value)
        in_named += size
        if isinstance(row["g"], ox.NamedNode):
            named[row["g"].value] = size
    return len(store) - in_named, dict(sorted(named.items()))


def _kept_sizes(folder: Path, reader: ox.Store) -> tuple[int, dict[str, int]]:
    """The sizes written when the store was built; counted again if that file is missing or unreadable."""
    try:
        kept = json.loads((folder / SIZES_FILE).read_text())
        return int(kept["default"]), {str(name): int(size) for name, size in kept["named"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return graph_sizes(reader)


def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise DataFileError(f"{path}: unknown RDF extension (use one of {', '.join(sorted(EXTENSIONS))})")
    return fmt


def _hash_file(digest, path: Path) -> None:
    """Feed a file to `digest` in chunks: a 10M-triple file is not held in memory (twice) to be hashed."""
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError as error:
        raise DataFileError(f"{path}: cannot read it ({error.strerror})") from error


def load_files(store: ox.Store, paths: tuple[Path, ...] | list[Path], bulk: bool = False) -> str:
    """Load extra RDF files into `store` (`bulk`: with `Store.bulk_load`, not transactional, for a store being
    built on disk); return a digest of their content."""
    load = store.bulk_load if bulk else store.load
    digest = hashlib.sha256()
    for path in paths:
        path = Path(path)
        fmt = rdf_format(path)
        digest.update(path.name.encode() + b"\0")
        _hash_file(digest, path)
        base = path.resolve().as_uri()
        options = {"format": fmt, "base_iri": base}  # triples to the default graph; quads keep their graph
        kind = {ox.RdfFormat.RDF_XML: "rdfxml", ox.RdfFormat.JSON_LD: "jsonld"}.get(fmt, "")
        data = b""
        try:
            if kind:  # parser bombs (entity expansion, deep JSON) would abort the process: checked first
                data = path.read_bytes()
                check_rdf_bytes(data, kind)
                load(data, **options)
            else:  # the line-based formats are parsed from the file (streamed), not from a copy in memory
                load(path=str(path), **options)
        except UnsafeRdfError as error:
            raise DataFileError(f"{path}: refused: {error}") from None
        except OSError as error:
            raise DataFileError(f"{path}: cannot load it ({error})") from error
        except (SyntaxError, ValueError) as error:
            message = str(error)
            if kind == "rdfxml" and "line" not in message and (where := xml_error_position(data)):
                message += f" (at {where})"
            raise DataFileError(f"{path}: {message}") from None
    return digest.hexdigest()[:12] if paths else ""


def _content_key(source: bytes, extra: tuple[Path, ...]) -> str:
    digest = hashlib.sha256(source)
    for path in extra:
        digest.update(b"\0" + str(Path(path)).encode() + b"\0")
        _hash_file(digest, Path(path))
    return digest.hexdigest()


def build_store(
    graph: Graph, location: str = "memory", extra: tuple[Path, ...] = (), source_version: str = "",
    graphs_by_name: dict[str, Graph] | None = None,
) -> BuiltStore:
    """Put `graph` (default graph and DATASET graph), `graphs_by_name` (only in their named graph: the change
    log) and the `extra` files in an Oxigraph store.

    On disk, the store is rebuilt only when its content would change (a marker file holds the content key:
    `source_version`, the hash of the source files, else the graph's N-Triples, and the extra files), so the
    HTTP worker processes of `serve --workers N` share the store their parent built, read-only.
    """
    ours = sorted_ntriples(graph)  # the same rules compiled from the same data, as `publish` writes them
    if location != "memory":
        marker = Path(location) / "inclusion-kg.content"
        # rdflib names blank nodes afresh in every process: the source files' hash is the stable key
        # and the eligibility compiler: a store kept on disk is rebuilt when it changes
        key = LAYOUT + compiled_version() + _content_key(source_version.encode() if source_version else ours,
                                                         tuple(extra))
        if marker.exists() and marker.read_text() == key:
            for path in extra:
                rdf_format(Path(path))  # still refuse what could not be served
            reader = ox.Store.read_only(str(Path(location).resolve()))
            quads = len(reader)
            default_triples, named = _kept_sizes(Path(location), reader)
            copy = our_graph_copy(reader)
            del reader
            digest = hashlib.sha256(key.encode()).hexdigest()[:12] if extra else ""
            return BuiltStore(None, str(Path(location).resolve()), quads, len(graph), digest, default_triples,
                              named, copy)
    try:
        store = ox.Store() if location == "memory" else ox.Store(location)
    except (OSError, RuntimeError) as error:  # not a folder, not an Oxigraph store, or a corrupt one
        raise DataFileError(
            f"--store {location}: cannot open it as an Oxigraph store ({error}). It is rebuilt from the "
            "sources at every start: remove that folder, or give another one, and start again."
        ) from None
    if location != "memory":
        store.clear()  # the served data is rebuilt from the sources when they change
    # On disk the store is built from scratch (the marker is written only once it is complete): bulk_load,
    # as `oxigraph load` does, instead of one transaction per file.
    bulk = location != "memory"
    load = store.bulk_load if bulk else store.load
    load(ours, format=ox.RdfFormat.N_TRIPLES)
    load(ours, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(DATASET)))
    add_compiled_rules(store, our_graph=str(DATASET))  # the eligibility lookup's graph (eligibility/compiled.py)
    for name, own_graph in (graphs_by_name or {}).items():  # not in the default graph: data queries unchanged
        triples = own_graph.serialize(format="nt", encoding="utf-8")
        load(triples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    digest = load_files(store, extra, bulk=bulk)
    quads = len(store)
    default_triples, named = graph_sizes(store)
    if location == "memory":  # built before the HTTP workers are forked: they share it
        return BuiltStore(store, None, quads, len(graph), digest, default_triples, named, our_graph_copy(store))
    store.flush()
    copy = our_graph_copy(store)
    del store  # each serving process opens it read-only
    (Path(location) / SIZES_FILE).write_text(json.dumps({"default": default_triples, "named": named}))
    marker.write_text(key)  # last: the marker says the store (and its sizes) are complete
    if extra:
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return BuiltStore(None, str(Path(location).resolve()), quads, len(graph), digest, default_triples, named, copy)


def our_graph_copy(store: ox.Store) -> ox.Store:
    """An in-memory store holding the quads of our dataset's graph, of its change log and of the eligibility
    rules compiled from it (under their names)."""
    ours = ox.Store()
    for name in (DATASET, HISTORY, ELIGIBILITY_RULES):
        ours.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))
    return ours
