"""The query engine: the one way a query reaches a backend, for /sparql, the named queries, /eligibility and
the pages alike.

1. size: over `max_query_bytes` -> QueryTooLargeError (413);
2. safety (`safety.analyze`, a tokenizer): SERVICE and LOAD -> ForbiddenQueryError, an update ->
   UpdateNotAllowedError (403). A named query bound from one of our templates passes the template's
   `analysis` instead: binding writes RDF terms in place of variables only, so it can change neither the
   query's form nor its keywords;
3. cache: the dataset never changes while an engine serves it (a reload makes a new engine), so the answer
   bytes of a deterministic query are kept per (query, media type, protocol dataset), bounded in bytes, with
   an ETag derived from the data version and that key;
4. evaluation: `backend.evaluate` (backend.py) in one of this process's evaluation threads, which evaluates
   *and* serializes, so only bytes or an exception leave it. At the deadline (`timeout` after the request
   asked) a running query gets QueryTimeoutError (504) at once and, for a backend that cannot stop a query
   (the embedded store), `on_runaway()` runs: the HTTP worker stops accepting and is replaced (server.py).
   A query that is still waiting for a free thread then gets ServiceBusyError (503) and never runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import NoReturn

from inclusion_kg.errors import (
    EngineError,
    NotAcceptableError,
    QueryTimeoutError,
    QueryTooLargeError,
    ServiceBusyError,
    SparqlError,
)
from inclusion_kg.sparql import formats
from inclusion_kg.sparql.backend import Backend, Dataset, Limits
from inclusion_kg.sparql.safety import QueryInfo, analyze

log = logging.getLogger(__name__)
THREADS = 16  # evaluation threads per process: pyoxigraph releases the GIL while it evaluates


class AnswerCache:
    """A thread-safe LRU of (ETag, body) by key, bounded in bytes; one per engine (per data version)."""

    def __init__(self, max_bytes: int = 64 << 20, max_entry_bytes: int = 4 << 20):
        self.max_entry_bytes = max_entry_bytes
        self._items: OrderedDict[tuple, tuple[str, bytes, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.resize(max_bytes)
        self.hits = self.misses = 0

    def status(self) -> dict:
        return {"answers": len(self._items), "bytes": self._bytes, "max_bytes": self.max_bytes,
                "hits": self.hits, "misses": self.misses}

    def resize(self, max_bytes: int) -> None:
        """Set the bound (`serve` shares its budget among its HTTP workers), dropping what no longer fits."""
        with self._lock:
            self.max_bytes, self.max_entry_bytes = max_bytes, min(self.max_entry_bytes, max_bytes)
            self._evict()

    def get(self, key: tuple) -> tuple[str, bytes] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0], item[1]

    def put(self, key: tuple, etag: str, body: bytes) -> None:
        size = len(body) + len(key[0]) + 200  # the body, the query text and the entry's own overhead
        if size > self.max_entry_bytes:
            return
        with self._lock:
            if key not in self._items:
                self._items[key] = (etag, body, size)
                self._bytes += size
            self._evict()

    def _evict(self) -> None:
        while self._bytes > self.max_bytes:
            self._bytes -= self._items.popitem(last=False)[1][2]


class QueryEngine:
    def __init__(self, backend: Backend, *, data_version: str, limits: Limits = Limits(),
                 max_query_bytes: int = 100_000, cache_bytes: int = 64 << 20, threads: int = 0):
        self.backend = backend
        self.data_version = data_version
        self.limits = limits
        self.max_query_bytes = max_query_bytes
        self.cache = AnswerCache(cache_bytes)
        self.threads = threads or THREADS
        self.on_runaway: Callable[[], None] = self._cannot_stop
        self.runaways = 0
        self._pool: tuple[int, ThreadPoolExecutor] | None = None

    # -- steps 1-3 --------------------------------------------------------------------------------------
    def analyze(self, query: str, analysis: QueryInfo | None = None) -> QueryInfo:
        """The query's form; raises the size and safety errors (413, 403, 400) without running it."""
        if analysis is not None:
            return analysis
        if len(query) > self.max_query_bytes or len(query.encode("utf-8")) > self.max_query_bytes:
            raise QueryTooLargeError(f"the query is larger than {self.max_query_bytes} bytes (the limit)")
        return analyze(query)

    def prepare(self, query: str, media_type: str, dataset: Dataset, analysis: QueryInfo | None = None,
                keep: bool = True):
        """(info, cache key, ETag or None: never cached) of a query that may run; raises what refuses it."""
        info = self.analyze(query, analysis)
        allowed = formats.RDF_FORMATS if info.is_graph else formats.TABLE_TYPES
        if media_type not in allowed:
            raise NotAcceptableError(
                f"a {info.form} answer cannot be written as {media_type}; use one of {', '.join(allowed)}")
        key = (query, media_type, dataset)
        if not info.deterministic or not keep:  # RAND(), NOW(), ... or kept by the caller: not here
            return info, key, None
        text = "\x1f".join((self.data_version, media_type, query, "\x1e".join(dataset.default_graphs or ()),
                            "\x1e".join(dataset.named_graphs or ()), str(dataset.default_graphs is None)))
        return info, key, '"' + hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest() + '"'

    def cached(self, key: tuple, etag: str | None) -> bytes | None:
        hit = self.cache.get(key) if etag else None
        return hit[1] if hit else None

    # -- step 4 -----------------------------------------------------------------------------------------
    async def evaluate(self, key: tuple, etag: str | None) -> bytes:
        """The answer for a key from `prepare` (not cached), from an evaluation thread, for the event loop."""
        started, future = self._submit(key)
        waited = time.monotonic()
        try:
            async with asyncio.timeout(self.limits.timeout):
                body = await asyncio.wrap_future(future)  # a cancelled wait cancels a job not yet started
        except TimeoutError:
            self._deadline(started, future)
        except asyncio.CancelledError:  # the client went away: a runaway is still stopped at its deadline
            left = max(0.0, waited + self.limits.timeout - time.monotonic())
            asyncio.get_running_loop().call_later(left, self._watch, started, future)
            raise
        return self._keep(key, etag, body)

    def evaluate_blocking(self, key: tuple, etag: str | None) -> bytes:
        """`evaluate` for a caller outside the event loop (start-up look-ups, synchronous routes)."""
        started, future = self._submit(key)
        try:
            body = future.result(self.limits.timeout)  # only bytes or a SparqlError come out of _run
        except TimeoutError:
            self._deadline(started, future)
        return self._keep(key, etag, body)

    def _keep(self, key, etag, body: bytes) -> bytes:
        if etag:
            self.cache.put(key, etag, body)
        return body

    def _submit(self, key: tuple) -> tuple[list, Future]:
        started: list[float] = []  # set by the evaluation thread when it takes the job
        return started, self._executor().submit(self._run, started, *key)

    def _deadline(self, started: list, future: Future) -> NoReturn:
        """At the deadline (counted from the request, as its client counts): 503 if the query never got a
        thread (it will not run), else 504, and the runaway is dealt with."""
        if not started and future.cancel():
            raise ServiceBusyError(f"every query thread stayed busy for {self.limits.timeout:g} s; try again soon")
        self._runaway()
        raise QueryTimeoutError(f"the query timed out: it ran longer than {self.limits.timeout:g} s (the limit)")

    def _run(self, started: list, query: str, media_type: str, dataset: Dataset) -> bytes:
        """In an evaluation thread: evaluate and serialize; only bytes or a bare exception leave."""
        started.append(time.monotonic())
        try:
            return self.backend.evaluate(query, dataset, media_type, self.limits)
        except SparqlError as error:
            failure = error
        except Exception as error:  # noqa: BLE001 - a 500 that says what failed
            failure = EngineError(f"{type(error).__name__}: {error}")
        # Its traceback holds this thread's frames, and with them the query's result objects: dropped here.
        failure.__traceback__ = failure.__context__ = failure.__cause__ = None
        raise failure

    def _watch(self, started: list, future: Future) -> None:
        if not future.done() and (started or not future.cancel()):
            self._runaway()

    def _runaway(self) -> None:
        self.runaways += 1
        if self.backend.stopped_by_exit:
            self.on_runaway()

    @staticmethod
    def _cannot_stop() -> None:
        log.warning("a query passed its deadline; it keeps a thread of this process busy until it ends "
                    "(`inclusion-kg serve` replaces the process instead)")

    def _executor(self) -> ThreadPoolExecutor:
        """This process's evaluation threads (a forked HTTP worker starts its own)."""
        if self._pool is None or self._pool[0] != os.getpid():
            self._pool = (os.getpid(), ThreadPoolExecutor(self.threads, thread_name_prefix="inclusion-kg-query"))
        return self._pool[1]

    def before_fork(self) -> None:
        """Stop this process's (idle) evaluation threads: a forked child must not inherit their locks."""
        if self._pool is not None and self._pool[0] == os.getpid():
            self._pool[1].shutdown(wait=True)
        self._pool = None

    # -- for callers that want the answer bytes only ---------------------------------------------------
    def execute(self, query: str, media_type: str, *, default_graph_uris=(), named_graph_uris=(),
                analysis: QueryInfo | None = None) -> bytes:
        """The answer to `query` as `media_type`, every rule applied (blocking)."""
        _, key, etag = self.prepare(query, media_type, Dataset.of(default_graph_uris, named_graph_uris), analysis)
        cached = self.cached(key, etag)
        return cached if cached is not None else self.evaluate_blocking(key, etag)

    async def execute_async(self, query: str, media_type: str, *, default_graph_uris=(), named_graph_uris=(),
                            analysis: QueryInfo | None = None, keep: bool = True) -> bytes:
        """`execute` from the event loop; `keep=False` for a caller that keeps what it makes of the answer."""
        _, key, etag = self.prepare(query, media_type, Dataset.of(default_graph_uris, named_graph_uris), analysis, keep)
        cached = self.cached(key, etag)
        return cached if cached is not None else await self.evaluate(key, etag)

    def status(self) -> dict:
        return self.backend.status()

    def close(self) -> None:
        if self._pool is not None and self._pool[0] == os.getpid():
            self._pool[1].shutdown(wait=False, cancel_futures=True)
        self._pool = None
        self.backend.close()
