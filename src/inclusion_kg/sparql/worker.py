"""A query worker: a separate process holding the store, answering one query at a time over a pipe.

pyoxigraph cannot be cancelled from Python (it releases the GIL and has no timeout), so every query runs
in a worker process; the parent kills a worker that overruns its deadline and starts a fresh one.
Only plain data crosses the pipe: a job tuple in, an ("ok", bytes) or (error kind, message) tuple out.

Each worker also keeps a small in-memory copy of our dataset's named graph (a few thousand triples):
queries whose dataset is that graph alone (`/eligibility`, the named queries, the pages) run on it, so
they cost the same whatever `serve --data` put beside ours, on disk as in memory (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from inclusion_kg.namespaces import DATASET
from inclusion_kg.sparql import formats

OURS_ONLY = ((str(DATASET),), ())  # a protocol dataset of our graph alone: (default graphs, named graphs)


@dataclass(frozen=True)
class StoreSpec:
    """How a worker opens the store: an N-Quads dump to load in memory, or an on-disk store to read."""

    dump: str | None = None  # path of an N-Quads file (memory store)
    path: str | None = None  # folder of an on-disk Oxigraph store (opened read-only)


@dataclass(frozen=True)
class Job:
    query: str
    media_type: str
    default_graphs: tuple[str, ...] | None  # None: the store's default graph (or the query's FROM)
    named_graphs: tuple[str, ...] | None  # None: every named graph (or the query's FROM NAMED)
    max_rows: int
    base_iri: str | None
    prefixes: tuple[tuple[str, str], ...] = ()
    max_bytes: int = 64 << 20  # a table answer larger than this is refused


_POSITION = re.compile(r"error at (\d+:\d+)")


def open_store(spec: StoreSpec) -> ox.Store:
    if spec.path:
        return ox.Store.read_only(spec.path)
    store = ox.Store()
    if spec.dump:
        store.bulk_load(path=spec.dump, format=ox.RdfFormat.N_QUADS)
    return store


def copy_of_our_graph(store: ox.Store) -> ox.Store:
    """An in-memory store holding the quads of our dataset's named graph (under the same graph name)."""
    ours = ox.Store()
    ours.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(str(DATASET))))
    return ours


def store_for(job: Job, store: ox.Store, ours: ox.Store) -> ox.Store:
    """`ours` for a job over our graph alone (the same answer, from a few thousand quads), else `store`."""
    return ours if (job.default_graphs, job.named_graphs) == OURS_ONLY else store


def _graphs(iris: tuple[str, ...] | None):
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def run(store: ox.Store, job: Job) -> tuple:
    """Evaluate one job: ("ok", bytes), or (kind, message[, position]) for an error."""
    try:
        options = {}
        if job.default_graphs is not None or job.named_graphs is not None:
            # A protocol dataset replaces the query's FROM / FROM NAMED entirely (SPARQL 1.1 Protocol 2.1.4).
            options["default_graph"] = _graphs(job.default_graphs or ())
            options["named_graphs"] = _graphs(job.named_graphs or ())
        result = store.query(job.query, base_iri=job.base_iri, **options)
        limit = job.max_rows
        if isinstance(result, (ox.QueryBoolean, ox.QuerySolutions)):
            if job.media_type not in formats.RESULTS_FORMATS:
                return ("not-acceptable", f"a table or boolean answer cannot be written as {job.media_type}")
            output = formats.BoundedOutput(job.max_bytes)
            try:
                result.serialize(output, format=formats.RESULTS_FORMATS[job.media_type])
            except formats.AnswerTooLarge:
                return ("too-many", f"the answer is larger than {job.max_bytes} bytes (the limit); add a LIMIT")
            body = output.getvalue()
            if isinstance(result, ox.QuerySolutions) and formats.count_rows(body, job.media_type, limit) > limit:
                return ("too-many", f"the answer has more than {limit} rows (the limit); add a LIMIT")
            return ("ok", body)
        if job.media_type not in formats.RDF_FORMATS:
            return ("not-acceptable", f"a graph answer cannot be written as {job.media_type}")
        triples = []
        for triple in result:
            if len(triples) == limit:
                return ("too-many", f"the answer has more than {limit} triples (the limit); narrow the query")
            triples.append(triple)
        return ("ok", formats.write_graph(triples, job.media_type, formats.used_prefixes(triples, job.prefixes)))
    except SyntaxError as error:
        message = str(error)
        match = _POSITION.search(message)
        return ("syntax", message, match.group(1) if match else None)
    except Exception as error:  # noqa: BLE001 - reported to the client, the worker keeps serving
        return ("engine", f"{type(error).__name__}: {error}")


def main(receiver: Connection, sender: Connection, spec: StoreSpec) -> None:
    """The worker's loop: open the store, say ready, answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which then stops us
    store = open_store(spec)
    ours = copy_of_our_graph(store)
    sender.send(("ready", os.getpid()))
    while True:
        try:
            job = receiver.recv()
        except (EOFError, OSError):
            return  # the parent closed the pipe or died: stop
        sender.send(run(store_for(job, store, ours), job))


if __name__ == "__main__":
    main(
        Connection(int(sys.argv[1]), writable=False),
        Connection(int(sys.argv[2]), readable=False),
        StoreSpec(**json.loads(sys.argv[3])),
    )
