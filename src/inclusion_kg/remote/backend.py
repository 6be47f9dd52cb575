"""Glue for `create_app`: the engine and the store summary when `--store` is a remote SPARQL store."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from inclusion_kg.namespaces import DATASET
from inclusion_kg.remote.engine import RemoteEngine
from inclusion_kg.remote.location import parse_store
from inclusion_kg.settings import Settings


class RemoteStoreError(RuntimeError):
    """The remote store cannot serve: unreachable, or our graph was never published to it."""


@dataclass
class RemoteSummary:
    """What /health and the Service Description say about the store (as `store.BuiltStore`)."""

    quads: int  # triples in the served graphs (ours and --graph)
    graph_triples: int  # triples of our graph in the store
    data_digest: str = ""

    @property
    def default_triples(self) -> int:  # the default graph of a query is the served graphs, merged
        return self.quads

    @property
    def named_graphs(self) -> dict[str, int]:
        return {str(DATASET): self.graph_triples}

    def close(self) -> None:
        pass


def _count(engine: RemoteEngine, graphs: tuple[str, ...]) -> int:
    values = " ".join(f"<{g}>" for g in graphs)
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    body = engine.execute(query, "application/sparql-results+xml", default_graph_uris=graphs, named_graph_uris=graphs)
    return int(next(iter(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)))["n"].value)


def build_remote(settings: Settings, data_version: str) -> tuple[RemoteSummary, RemoteEngine]:
    if settings.data:
        raise RemoteStoreError(
            "--data is for the embedded store; with a remote store, load the files into it "
            "(inclusion-kg publish --to ... --data FILE --graph IRI) and serve them with --graph IRI"
        )
    store = parse_store(settings.store)
    engine = RemoteEngine(
        store,
        data_version=data_version + "@remote",
        timeout=settings.query_timeout,
        max_rows=settings.max_rows,
        max_query_bytes=settings.max_query_bytes,
        base_iri=settings.base_url,
        cache_entries=settings.cache_entries,
        graphs=tuple(settings.graphs),
    )
    try:
        ours = _count(engine, (str(DATASET),))
        total = _count(engine, engine.served_graphs) if settings.graphs else ours
    except Exception as error:  # noqa: BLE001 - any failure here means: cannot serve from this store
        engine.close()
        message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        raise RemoteStoreError(f"the SPARQL store at {store.describe()} cannot serve: {message}") from None
    if ours == 0:
        engine.close()
        raise RemoteStoreError(
            f"the SPARQL store at {store.describe()} has no triples in <{DATASET}>: "
            "publish the graph first (inclusion-kg publish --to ...)"
        )
    return RemoteSummary(quads=total, graph_triples=ours), engine


__all__ = ["RemoteStoreError", "RemoteSummary", "build_remote"]
