"""The query engine: every safety rule in one place, then a worker process, then a cache.

`QueryEngine.execute(query, media_type, default_graph_uris=..., named_graph_uris=...)` is the one way a
query reaches the store, for /sparql and for the named queries alike:

1. size: over `max_query_bytes` -> QueryTooLargeError (413);
2. safety (`safety.analyze`, a tokenizer): SERVICE and LOAD -> ForbiddenQueryError, an update ->
   UpdateNotAllowedError (403). A named query bound from one of our templates passes the template's
   `analysis` instead: binding writes RDF terms in place of variables only, so it can change neither the
   query's form nor its keywords, and re-reading its text (2 ms for eligibility.rq) would find the same;
3. cache: the dataset never changes while serving, so a deterministic answer is kept per
   (query, media type, protocol dataset) and the data version is part of its ETag;
4. a worker process evaluates it with a hard deadline (QueryTimeoutError, 504, and the worker is killed)
   and a row limit (TooManyResultsError, 422); syntax errors come back as QuerySyntaxError (400).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict

from inclusion_kg.errors import (
    EngineError,
    NotAcceptableError,
    QuerySyntaxError,
    QueryTooLargeError,
    TooManyResultsError,
)
from inclusion_kg.namespaces import PREFIXES
from inclusion_kg.sparql import formats
from inclusion_kg.sparql.pool import WorkerPool
from inclusion_kg.sparql.safety import QueryInfo, analyze
from inclusion_kg.sparql.worker import Job, StoreSpec


class AnswerCache:
    """A thread-safe LRU of answers, bounded in entries and in total bytes."""

    def __init__(self, max_entries: int = 4096, max_bytes: int = 64 << 20, max_entry_bytes: int = 4 << 20):
        self.max_entries, self.max_bytes, self.max_entry_bytes = max_entries, max_bytes, max_entry_bytes
        self._items: OrderedDict[tuple, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: tuple, body, size: int | None = None) -> None:
        """Keep `body` (bytes, or any value of `size` bytes) under `key`, evicting the least recently used."""
        size = len(body) if size is None else size
        if size > self.max_entry_bytes or self.max_entries <= 0:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (body, size)
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, old_size) = self._items.popitem(last=False)
                self._bytes -= old_size


class QueryEngine:
    def __init__(
        self,
        spec: StoreSpec,
        *,
        data_version: str,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        max_query_bytes: int = 100_000,
        workers: int = 0,
        base_iri: str | None = None,
        cache_entries: int = 4096,
    ):
        self.data_version = data_version
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_query_bytes = max_query_bytes
        self.base_iri = base_iri
        self.cache = AnswerCache(max_entries=cache_entries)
        self.pool = WorkerPool(spec, size=workers or max(2, os.cpu_count() or 2))
        self._prefixes = tuple(PREFIXES.items())

    # -- what E and the router use -------------------------------------------------------------------
    def analyze(self, query: str, analysis: QueryInfo | None = None) -> QueryInfo:
        """The query's form; raises the size and safety errors (413, 403, 400) without running it.
        `analysis`: that of the template a named query was bound from (see the module's docstring)."""
        if analysis is not None:
            return analysis
        if len(query) > self.max_query_bytes or len(query.encode("utf-8")) > self.max_query_bytes:
            raise QueryTooLargeError(
                f"the query is larger than {self.max_query_bytes} bytes (the limit)"
            )
        return analyze(query)

    def etag(
        self,
        query: str,
        media_type: str,
        *,
        default_graph_uris: list[str] | tuple[str, ...] = (),
        named_graph_uris: list[str] | tuple[str, ...] = (),
        analysis: QueryInfo | None = None,
    ) -> str | None:
        """A strong ETag for the answer (None for answers that change per call, e.g. RAND() or NOW())."""
        if not self.analyze(query, analysis).deterministic:
            return None
        key = "\x1f".join(
            (self.data_version, media_type, query, "\x1e".join(default_graph_uris), "\x1e".join(named_graph_uris))
        )
        return '"' + hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest() + '"'

    def cached(
        self,
        query: str,
        media_type: str,
        *,
        default_graph_uris: list[str] | tuple[str, ...] = (),
        named_graph_uris: list[str] | tuple[str, ...] = (),
        analysis: QueryInfo | None = None,
    ) -> bytes | None:
        """The cached answer, if any (no work, no thread hop): the fast path of the HTTP layer."""
        if not self.analyze(query, analysis).deterministic:
            return None
        return self.cache.get(self._key(query, media_type, default_graph_uris, named_graph_uris))

    @staticmethod
    def _key(query: str, media_type: str, default_graph_uris, named_graph_uris) -> tuple:
        dataset = bool(default_graph_uris or named_graph_uris)
        default_graphs = tuple(default_graph_uris) if dataset else None
        named_graphs = tuple(named_graph_uris) if dataset else None
        return (query, media_type, default_graphs, named_graphs)

    def execute(
        self,
        query: str,
        media_type: str,
        *,
        default_graph_uris: list[str] | tuple[str, ...] = (),
        named_graph_uris: list[str] | tuple[str, ...] = (),
        analysis: QueryInfo | None = None,
    ) -> bytes:
        """The answer to `query` written as `media_type`, with every safety rule applied (blocking)."""
        prepared = self._prepare(query, media_type, default_graph_uris, named_graph_uris, analysis)
        if isinstance(prepared, bytes):
            return prepared
        return self._finish(*prepared, self.pool.run(prepared[2], self.timeout))

    async def execute_async(
        self,
        query: str,
        media_type: str,
        *,
        default_graph_uris: list[str] | tuple[str, ...] = (),
        named_graph_uris: list[str] | tuple[str, ...] = (),
        analysis: QueryInfo | None = None,
    ) -> bytes:
        """`execute` for the event loop: waits on the worker's pipe without a thread."""
        prepared = self._prepare(query, media_type, default_graph_uris, named_graph_uris, analysis)
        if isinstance(prepared, bytes):
            return prepared
        return self._finish(*prepared, await self.pool.run_async(prepared[2], self.timeout))

    def _prepare(self, query, media_type, default_graph_uris, named_graph_uris, analysis=None):
        """The cached answer (bytes), or (info, cache key, job) to run."""
        info = self.analyze(query, analysis)
        allowed = formats.RDF_FORMATS if info.is_graph else formats.TABLE_TYPES
        if media_type not in allowed:
            raise NotAcceptableError(
                f"a {info.form} answer cannot be written as {media_type}; use one of {', '.join(allowed)}"
            )
        key = self._key(query, media_type, default_graph_uris, named_graph_uris)
        _, _, default_graphs, named_graphs = key
        if info.deterministic and (body := self.cache.get(key)) is not None:
            return body
        job = Job(
            query=query,
            media_type=media_type,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            max_rows=self.max_rows,
            base_iri=self.base_iri,
            prefixes=self._prefixes if media_type in (formats.TURTLE, formats.TRIG, formats.RDFXML) else (),
        )
        return info, key, job

    def _finish(self, info: QueryInfo, key: tuple, job: Job, answer: tuple) -> bytes:
        if answer[0] == "ok":
            if info.deterministic:
                self.cache.put(key, answer[1])
            return answer[1]
        kind, message = answer[0], answer[1]
        if kind == "syntax":
            raise QuerySyntaxError(message, answer[2] if len(answer) > 2 else None)
        if kind == "too-many":
            raise TooManyResultsError(message)
        if kind == "not-acceptable":
            raise NotAcceptableError(message)
        raise EngineError(message)

    def close(self) -> None:
        self.pool.close()
