"""The query engine over a remote SPARQL 1.1 store (Virtuoso, Oxigraph server, Fuseki, GraphDB, ...).

`RemoteEngine` has the interface of `sparql.engine.QueryEngine` and keeps every rule of it: the size limit,
the tokenizer's refusal of SERVICE, LOAD and updates (`QueryEngine.analyze`, run before anything leaves
this process), the answer cache and its ETags, the row limit. Only evaluation differs: the query goes to
the store over the SPARQL 1.1 Protocol, with

- the protocol dataset: our graph lives in the named graph `namespaces.DATASET` of the store (written by
  `inclusion-kg publish`); a query without `default-graph-uri`/`named-graph-uri` is sent with our graph
  (and the `--graph`s served beside it) as its default graph and as its named graphs, so it sees what the
  embedded store would show. Queries are never rewritten;
- a deadline: the client gives up after `timeout` (504), and the store is told the same limit where it has
  a parameter for it (`timeout`, milliseconds: Virtuoso, Fuseki); Virtuoso's partial "anytime" answers are
  refused as timeouts;
- answers parsed by Oxigraph and written again by our own serializers (`sparql.formats`), so every store
  answers byte for byte as the embedded engine does (Virtuoso's JSON, with its "typed-literal", never
  reaches a client), and the row and size limits apply the same way.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from inclusion_kg.errors import EngineError, QuerySyntaxError, QueryTimeoutError, ServiceBusyError
from inclusion_kg.namespaces import DATASET, PREFIXES
from inclusion_kg.remote.location import RemoteStore
from inclusion_kg.sparql import formats
from inclusion_kg.sparql.engine import AnswerCache, QueryEngine
from inclusion_kg.sparql.worker import Job

TABLE_REQUEST = "application/sparql-results+xml"  # what every store writes the same way
GRAPH_REQUEST = "application/n-triples"
GRACE = 1.0  # seconds the client waits past the store's own deadline
PROBE_EVERY = 1.0  # seconds /health reuses its last look at the store


class StoreUnreachableError(ServiceBusyError):
    """The store does not answer (stopped, restarting, network): 503 + Retry-After; answers come back by
    themselves when it does (every query opens or reuses a connection afresh)."""

    kind = "store-unreachable"


class _NoPool:
    """The embedded engine's worker pool has nothing to do here (the app's lifespan opens it)."""

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass


class RemoteEngine(QueryEngine):
    def __init__(
        self,
        store: RemoteStore,
        *,
        data_version: str,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        max_query_bytes: int = 100_000,
        base_iri: str | None = None,
        cache_entries: int = 4096,
        graphs: tuple[str, ...] = (),
        max_bytes: int = 64 << 20,
    ):
        self.store = store
        self.data_version = data_version
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_query_bytes = max_query_bytes
        self.max_bytes = max_bytes
        self.base_iri = base_iri
        self.cache = AnswerCache(max_entries=cache_entries)
        self.pool = _NoPool()
        self.served_graphs = (str(DATASET), *graphs)
        self._prefixes = tuple(PREFIXES.items())
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)
        self.client = httpx.Client(auth=store.auth(), limits=limits, timeout=timeout + GRACE)
        self._probe: tuple[float, dict] | None = None

    def store_status(self) -> dict:
        """For /health: {"status": "up"} or {"status": "down", "message": ...}, looked at most once a second."""
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

    def execute(self, query, media_type, *, default_graph_uris=(), named_graph_uris=(), analysis=None) -> bytes:
        prepared = self._prepare(query, media_type, default_graph_uris, named_graph_uris, analysis)
        if isinstance(prepared, bytes):
            return prepared
        return self._finish(*prepared, self._evaluate(prepared[0], prepared[2]))

    async def execute_async(
        self, query, media_type, *, default_graph_uris=(), named_graph_uris=(), analysis=None
    ) -> bytes:
        """`execute` in a thread: a synchronous client works with every event loop the app may run in."""
        return await run_in_threadpool(
            self.execute, query, media_type, default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris, analysis=analysis,
        )

    # -- evaluation at the store -------------------------------------------------------------------------
    def protocol_dataset(self, job: Job) -> list[tuple[str, str]]:
        if job.default_graphs is None and job.named_graphs is None:
            default, named = self.served_graphs, self.served_graphs
        else:
            default, named = job.default_graphs or (), job.named_graphs or ()
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    def _evaluate(self, info, job: Job) -> tuple:
        """("ok", bytes) or (kind, message[, position]), as a worker of the embedded engine answers."""
        accept = GRAPH_REQUEST if info.is_graph else TABLE_REQUEST
        form = [("query", job.query), *self.protocol_dataset(job), ("timeout", str(int(self.timeout * 1000)))]
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        payload = urlencode(form).encode("ascii")
        for attempt in (1, 2):  # a query only reads: one retry, for a kept-alive connection the store closed
            try:
                with self.client.stream("POST", self.store.query_url, content=payload, headers=headers) as response:
                    body = self._read(response)
                self._probe = (time.monotonic(), {"status": "up"})  # /health tells what queries see
                break
            except formats.AnswerTooLarge:
                return ("too-many", f"the answer is larger than {self.max_bytes} bytes (the limit); add a LIMIT")
            except httpx.ConnectTimeout as error:
                raise self._unreachable(error) from None
            except httpx.TimeoutException:
                raise QueryTimeoutError(
                    f"the query ran longer than {self.timeout:g} s (the limit) and was stopped") from None
            except httpx.TransportError as error:  # refused, reset, closed: the store is down or restarting
                if attempt == 2:
                    unreachable = self._unreachable(error)
                    self._probe = (time.monotonic(), {"status": "down", "message": unreachable.message})
                    raise unreachable from None
            except httpx.HTTPError as error:
                raise EngineError(f"the SPARQL store failed ({type(error).__name__})") from None
        if info.is_graph:
            return self._graph(body, job)
        return self._table(body, job)

    def _read(self, response: httpx.Response) -> bytes:
        if response.headers.get("x-sql-state") in ("S1TAT", "S1T00"):  # Virtuoso's partial "anytime" answer
            raise QueryTimeoutError(f"the query ran longer than {self.timeout:g} s (the limit) and was stopped")
        output = formats.BoundedOutput(self.max_bytes)
        for chunk in response.iter_bytes():
            output.write(chunk)
        body = output.getvalue()
        if response.status_code >= 400:
            self._raise_for(response.status_code, body.decode("utf-8", "replace"))
        return body

    def _raise_for(self, status: int, text: str) -> None:
        message = " ".join(text.split())[:500] or f"HTTP {status}"
        lowered = message.lower()
        if status in (504, 408) or "timeout" in lowered or "timed out" in lowered or "S1TAT" in message:
            raise QueryTimeoutError(f"the query ran longer than {self.timeout:g} s (the limit) and was stopped")
        if status in (503, 429):
            raise ServiceBusyError("the SPARQL store is busy; try again")
        if status == 400 or "37000" in message or "syntax" in lowered or "parse" in lowered:
            raise QuerySyntaxError(f"the store refused the query: {message}")
        raise EngineError(f"the SPARQL store answered {status}: {message}")

    def _table(self, body: bytes, job: Job) -> tuple:
        try:
            result = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        except (SyntaxError, ValueError) as error:
            return ("engine", f"the store's answer does not parse: {error}")
        if job.media_type not in formats.RESULTS_FORMATS:
            return ("not-acceptable", f"a table or boolean answer cannot be written as {job.media_type}")
        output = formats.BoundedOutput(self.max_bytes)
        try:
            result.serialize(output, format=formats.RESULTS_FORMATS[job.media_type])
        except formats.AnswerTooLarge:
            return ("too-many", f"the answer is larger than {self.max_bytes} bytes (the limit); add a LIMIT")
        body = output.getvalue()
        if isinstance(result, ox.QuerySolutions) and formats.count_rows(body, job.media_type, job.max_rows) > job.max_rows:
            return ("too-many", f"the answer has more than {job.max_rows} rows (the limit); add a LIMIT")
        return ("ok", body)

    def _graph(self, body: bytes, job: Job) -> tuple:
        if job.media_type not in formats.RDF_FORMATS:
            return ("not-acceptable", f"a graph answer cannot be written as {job.media_type}")
        triples = []
        try:
            for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
                if len(triples) == job.max_rows:
                    return ("too-many", f"the answer has more than {job.max_rows} triples (the limit); narrow the query")
                triples.append(quad.triple)
        except SyntaxError as error:
            return ("engine", f"the store's answer does not parse: {error}")
        return ("ok", formats.write_graph(triples, job.media_type, formats.used_prefixes(triples, job.prefixes)))

    def close(self) -> None:
        self.client.close()

