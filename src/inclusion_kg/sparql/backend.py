"""The backend contract, and the embedded store that implements it.

A backend answers one query, in the calling thread, as bytes:

    evaluate(query, dataset, media_type, limits) -> bytes     (raises a SparqlError for a 4xx/5xx)
    status() -> {"status": "up"} or {"status": "down", "message": ...}
    close()

`EmbeddedBackend` (here) evaluates with pyoxigraph in this process; `remote.backend.RemoteBackend` sends
the query to a SPARQL store. The engine (engine.py) runs `evaluate` in one of its evaluation threads, so
the query is evaluated *and serialized* in the same thread and only bytes (or an exception without its
traceback) leave it: a pyoxigraph `QuerySolutions` consumed in another thread aborts the process.

`stopped_by_exit`: pyoxigraph cannot cancel a query, so an embedded runaway is stopped by ending the
process that runs it (server.py); a remote store stops its own queries (it is told the timeout).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from inclusion_kg.errors import BadRequestError, EngineError, QuerySyntaxError
from inclusion_kg.namespaces import DATASET, ELIGIBILITY_RULES, HISTORY, PREFIXES
from inclusion_kg.sparql import formats


@dataclass(frozen=True)
class Dataset:
    """The SPARQL protocol dataset: None leaves the query's own (or the store's default graph) in force."""

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None

    @classmethod
    def of(cls, default_graphs=(), named_graphs=()) -> Dataset:
        if not default_graphs and not named_graphs:
            return NO_DATASET
        return cls(tuple(default_graphs), tuple(named_graphs))


NO_DATASET = Dataset()
# Our graph alone, and by name its change log (queries/changes-between.rq asks it with GRAPH) and the
# eligibility rules compiled from it (eligibility/compiled.py): /eligibility, the named queries, the pages.
OURS_ONLY = Dataset((str(DATASET),), (str(HISTORY), str(ELIGIBILITY_RULES)))


@dataclass(frozen=True)
class Limits:
    max_rows: int = 10_000  # rows (SELECT) or triples (CONSTRUCT, DESCRIBE)
    max_bytes: int = 64 << 20  # of a serialized answer
    timeout: float = 10.0  # seconds


class Backend(Protocol):
    stopped_by_exit: bool

    def evaluate(self, query: str, dataset: Dataset, media_type: str, limits: Limits) -> bytes: ...

    def status(self) -> dict: ...

    def close(self) -> None: ...


_POSITION = re.compile(r"error at (\d+:\d+)")
PREFIX_ITEMS = tuple(PREFIXES.items())


class EmbeddedBackend:
    """pyoxigraph in this process: an in-memory store (built before the HTTP workers are forked, shared by
    them), or an on-disk store folder (`path`), opened read-only by each process that queries it (RocksDB
    must not cross a fork). `ours`: a small in-memory store of our graph alone, which answers the queries
    over OURS_ONLY at the same cost whatever `serve --data` put beside it (docs/benchmarks.md)."""

    stopped_by_exit = True

    def __init__(self, store: ox.Store | None, ours: ox.Store | None = None, base_iri: str | None = None,
                 path: str | None = None):
        self.ours, self.base_iri, self.path = ours, base_iri, path
        self._store, self._pid = store, os.getpid()

    def _opened(self) -> ox.Store:
        if self.path and (self._store is None or self._pid != os.getpid()):
            self._store, self._pid = ox.Store.read_only(self.path), os.getpid()
        return self._store

    def evaluate(self, query: str, dataset: Dataset, media_type: str, limits: Limits) -> bytes:
        store = self.ours if dataset == OURS_ONLY and self.ours is not None else self._opened()
        options = {}
        if dataset is not NO_DATASET:  # replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol 2.1.4)
            try:
                options["default_graph"] = [ox.NamedNode(iri) for iri in dataset.default_graphs or ()]
                options["named_graphs"] = [ox.NamedNode(iri) for iri in dataset.named_graphs or ()]
            except ValueError as error:
                raise BadRequestError(f"a default-graph-uri or named-graph-uri is not an IRI ({error})") from None
        try:
            result = store.query(query, base_iri=self.base_iri, **options)
            return formats.write_answer(result, media_type, limits.max_rows, limits.max_bytes, PREFIX_ITEMS)
        except SyntaxError as error:
            message = str(error)
            position = _POSITION.search(message)
            raise QuerySyntaxError(message, position.group(1) if position else None) from None
        except (OSError, RuntimeError, ValueError) as error:  # the store could not be read
            raise EngineError(f"{type(error).__name__}: {error}") from None

    def status(self) -> dict:
        return {"status": "up"}

    def close(self) -> None:
        pass
