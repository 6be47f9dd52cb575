"""The backend contract (sparql/backend.py) over a remote SPARQL 1.1 store (Virtuoso, Oxigraph's server,
Fuseki, GraphDB, ...), and the start-up check that the store holds the data we validated.

Every rule of the engine applies before a query leaves this process (size, the tokenizer's refusal of
SERVICE, LOAD and updates, the cache and its ETags). Evaluation sends the query over the protocol with
- the protocol dataset: our graph lives in the named graph `namespaces.DATASET` of the store (written by
  `inclusion-kg publish`); a query without `default-graph-uri`/`named-graph-uri` is sent with our graph (and
  the `--graph`s served beside it) as its default graph and as its named graphs, so it sees what the
  embedded store would show. Queries are never rewritten;
- a deadline: the client gives up after the timeout (504), and the store is told the same limit where it
  has a parameter for it (`timeout`, milliseconds: Virtuoso, Fuseki); Virtuoso's partial "anytime" answers
  are refused as timeouts;
- answers parsed by Oxigraph and written again by `formats.write_answer`, so every store answers byte for
  byte as the embedded one does, and the row and size limits apply the same way.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from inclusion_kg.errors import EngineError, QuerySyntaxError, QueryTimeoutError, ServiceBusyError, TooManyResultsError
from inclusion_kg.namespaces import DATASET
from inclusion_kg.remote import RemoteStoreError
from inclusion_kg.remote.digest import content_digest, digest_of_ntriples
from inclusion_kg.remote.location import RemoteStore, parse_store
from inclusion_kg.sparql import formats
from inclusion_kg.sparql.backend import NO_DATASET, PREFIX_ITEMS, Dataset, Limits

TABLE_REQUEST = "application/sparql-results+xml"  # what every store writes the same way
GRAPH_REQUEST = "application/n-triples"
GRACE = 1.0  # seconds the client waits past the store's own deadline
PROBE_EVERY = 1.0  # seconds /health reuses its last look at the store


class StoreUnreachableError(ServiceBusyError):
    """The store does not answer (stopped, restarting, network): 503 + Retry-After; answers come back by
    themselves when it does (every query opens or reuses a connection afresh)."""

    kind = "store-unreachable"


class RemoteBackend:
    stopped_by_exit = False  # the store stops its own queries; our thread gives up at the deadline

    def __init__(self, store: RemoteStore, graphs: tuple[str, ...] = (), timeout: float = 10.0):
        self.store = store
        self.served_graphs = (str(DATASET), *graphs)
        self.timeout = timeout
        self._client: tuple[int, httpx.Client] | None = None
        self._probe: tuple[float, dict] | None = None

    @property
    def client(self) -> httpx.Client:
        """This process's client (connections must not be shared across a fork)."""
        if self._client is None or self._client[0] != os.getpid():
            limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)
            self._client = (os.getpid(), httpx.Client(auth=self.store.auth(), limits=limits,
                                                      timeout=self.timeout + GRACE))
        return self._client[1]

    def status(self) -> dict:
        """{"status": "up"} or {"status": "down", "message": ...}, looked at most once a second."""
        now = time.monotonic()
        if self._probe is not None and now - self._probe[0] < PROBE_EVERY:
            return self._probe[1]
        try:
            response = self.client.post(self.store.query_url, data={"query": "ASK {}"},
                                        headers={"Accept": TABLE_REQUEST}, timeout=2.0)
            status = {"status": "up"} if response.status_code < 400 else {
                "status": "down", "message": f"the SPARQL store at {self.store.describe()} answered "
                                             f"{response.status_code}"}
        except httpx.HTTPError as error:
            status = {"status": "down", "message": self._unreachable(error).message}
        self._probe = (time.monotonic(), status)
        return status

    def _unreachable(self, error: Exception) -> StoreUnreachableError:
        return StoreUnreachableError(
            f"the SPARQL store at {self.store.describe()} cannot be reached ({type(error).__name__}); "
            "try again in a moment")

    def protocol_dataset(self, dataset: Dataset) -> list[tuple[str, str]]:
        if dataset is NO_DATASET:
            default = named = self.served_graphs
        else:
            default, named = dataset.default_graphs or (), dataset.named_graphs or ()
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    def evaluate(self, query: str, dataset: Dataset, media_type: str, limits: Limits) -> bytes:
        graph = media_type in formats.RDF_FORMATS
        form = [("query", query), *self.protocol_dataset(dataset), ("timeout", str(int(limits.timeout * 1000)))]
        headers = {"Accept": GRAPH_REQUEST if graph else TABLE_REQUEST,
                   "Content-Type": "application/x-www-form-urlencoded"}
        payload = urlencode(form).encode("ascii")
        for attempt in (1, 2):  # a query only reads: one retry, for a kept-alive connection the store closed
            try:
                with self.client.stream("POST", self.store.query_url, content=payload, headers=headers) as response:
                    body = self._read(response, limits)
                self._probe = (time.monotonic(), {"status": "up"})  # /health tells what queries see
                break
            except formats.AnswerTooLarge:
                raise TooManyResultsError(
                    f"the answer is larger than {limits.max_bytes} bytes (the limit); add a LIMIT") from None
            except httpx.ConnectTimeout as error:
                raise self._unreachable(error) from None
            except httpx.TimeoutException:
                raise self._timed_out(limits) from None
            except httpx.TransportError as error:  # refused, reset, closed: the store is down or restarting
                if attempt == 2:
                    unreachable = self._unreachable(error)
                    self._probe = (time.monotonic(), {"status": "down", "message": unreachable.message})
                    raise unreachable from None
            except httpx.HTTPError as error:
                raise EngineError(f"the SPARQL store failed ({type(error).__name__})") from None
        try:
            if graph:
                result = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            else:
                result = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
            return formats.write_answer(result, media_type, limits.max_rows, limits.max_bytes, PREFIX_ITEMS)
        except (SyntaxError, ValueError) as error:
            raise EngineError(f"the store's answer does not parse: {error}") from None

    @staticmethod
    def _timed_out(limits: Limits) -> QueryTimeoutError:
        return QueryTimeoutError(f"the query timed out: it ran longer than {limits.timeout:g} s (the limit)")

    def _read(self, response: httpx.Response, limits: Limits) -> bytes:
        if response.headers.get("x-sql-state") in ("S1TAT", "S1T00"):  # Virtuoso's partial "anytime" answer
            raise self._timed_out(limits)
        output = formats.BoundedOutput(limits.max_bytes)
        for chunk in response.iter_bytes():
            output.write(chunk)
        body = output.getvalue()
        if response.status_code >= 400:
            message = " ".join(body.decode("utf-8", "replace").split())[:500] or f"HTTP {response.status_code}"
            lowered = message.lower()
            if response.status_code in (504, 408) or "timeout" in lowered or "timed out" in lowered or "S1TAT" in message:
                raise self._timed_out(limits)
            if response.status_code in (503, 429):
                raise ServiceBusyError("the SPARQL store is busy; try again")
            if response.status_code == 400 or "37000" in message or "syntax" in lowered or "parse" in lowered:
                raise QuerySyntaxError(f"the store refused the query: {message}")
            raise EngineError(f"the SPARQL store answered {response.status_code}: {message}")
        return body

    def close(self) -> None:
        if self._client is not None and self._client[0] == os.getpid():
            self._client[1].close()
        self._client = None


@dataclass
class RemoteSummary:
    """What /health and the Service Description say about the store (as `store.BuiltStore`)."""

    quads: int  # triples in the served graphs (ours and --graph)
    graph_triples: int  # triples of our graph in the store

    @property
    def default_triples(self) -> int:  # the default graph of a query is the served graphs, merged
        return self.quads

    @property
    def named_graphs(self) -> dict[str, int]:
        return {str(DATASET): self.graph_triples}


def _count(backend: RemoteBackend, graphs: tuple[str, ...]) -> int:
    values = " ".join(f"<{g}>" for g in graphs)
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    body = backend.evaluate(query, Dataset.of(graphs, graphs), formats.XML, Limits(timeout=backend.timeout))
    return int(next(iter(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)))["n"].value)


def _digest_in_store(backend: RemoteBackend, graph: str) -> tuple[int, str]:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    limits = Limits(max_rows=10_000_000, max_bytes=1 << 30, timeout=max(backend.timeout, 60.0))
    body = backend.evaluate(query, Dataset.of((), (graph,)), formats.NTRIPLES, limits)
    return digest_of_ntriples(body)


def build_remote(settings, published: dict[str, list]) -> tuple[RemoteSummary, RemoteBackend]:
    """The backend over `settings.store`, once it is shown to hold what `inclusion-kg publish` writes there:
    `published`, the triples of each named graph (our validated graph <DATASET> and the graphs beside it), with
    the same triple count and content hash (digest.py) in each; RemoteStoreError otherwise."""
    if settings.data:
        raise RemoteStoreError(
            "--data is for the embedded store; with a remote store, load the files into it "
            "(inclusion-kg publish --to ... --data FILE --graph IRI) and serve them with --graph IRI")
    store = parse_store(settings.store)
    backend = RemoteBackend(store, tuple(settings.graphs), settings.query_timeout)
    publish = f"inclusion-kg publish --to sparql+{store.describe()} --update URL (docs/deploy.md)"
    try:
        found = {graph: _digest_in_store(backend, graph) for graph in published}
        count = found[str(DATASET)][0]
        total = _count(backend, backend.served_graphs) if settings.graphs else count
    except Exception as error:  # noqa: BLE001 - any failure here means: cannot serve from this store
        backend.close()
        message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        raise RemoteStoreError(f"the SPARQL store at {store.describe()} cannot serve: {message}") from None
    for graph, triples in published.items():
        expected = content_digest(triples)
        if found[graph] == expected:
            continue
        backend.close()
        if found[graph][0] == 0:
            raise RemoteStoreError(f"the SPARQL store at {store.describe()} has no triples in <{graph}>: "
                                   f"publish the graph first ({publish})")
        raise RemoteStoreError(
            f"the SPARQL store at {store.describe()} holds other data in <{graph}> ({found[graph][0]} triples, "
            f"{found[graph][1]}) than the validated sources ({expected[0]} triples, {expected[1]}): publish "
            f"them first ({publish})")
    return RemoteSummary(quads=total, graph_triples=count), backend
