"""Server settings, shared by the CLI and the app factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inclusion_kg.namespaces import BASE


@dataclass(frozen=True)
class Settings:
    store: str = "memory"  # "memory", a folder for Oxigraph on disk, or sparql+http(s)://... (a remote store)
    data: tuple[Path, ...] = field(default_factory=tuple)  # extra RDF files served beside ours
    query_timeout: float = 10.0  # seconds
    # Request limits (limits.py; defaults and why: docs/reliability.md)
    max_body_bytes: int = 1 << 20  # larger request bodies get 413
    max_url_bytes: int = 65_535  # longer URLs get 414 (the most the HTTP parser reads: http_protocol.py)
    max_concurrent: int = 64  # requests to /sparql, /queries, /eligibility in the app at once
    max_queue: int = 256  # more wait this many deep, first come first served; beyond: 503 + Retry-After
    queue_timeout: float = 5.0  # seconds a request may wait in that queue before 503 + Retry-After
    retry_after: int = 5  # seconds, the Retry-After of every 503
    base_url: str = BASE  # the public address our IRIs are served at
    root: Path | None = None  # project folder (ontology/, data/, shapes/, queries/); None: the package's
    max_rows: int = 10_000  # rows (SELECT) or triples (CONSTRUCT, DESCRIBE) an answer may have
    max_query_bytes: int = 100_000  # larger queries get 413
    query_workers: int = 0  # queries evaluated at once in each HTTP worker (threads); 0: sparql.engine.THREADS
    cache_bytes: int = 64 << 20  # answer bytes kept in memory (0: no cache); `serve` shares it among its workers
    graphs: tuple[str, ...] = ()  # remote store: graphs served beside ours (in the default graph)
