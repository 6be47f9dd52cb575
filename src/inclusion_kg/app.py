"""The FastAPI application: one router per concern, assembled here."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from inclusion_kg import __version__
from inclusion_kg.eligibility import install_answers
from inclusion_kg.graph import data_files, data_version, load_graph, project_root
from inclusion_kg.history import install_history, prepare_history
from inclusion_kg.limits import install_limits
from inclusion_kg.namespaces import HISTORY
from inclusion_kg.publish import install_publication
from inclusion_kg.remote.location import is_remote
from inclusion_kg.settings import Settings
from inclusion_kg.sparql.backend import EmbeddedBackend, Limits
from inclusion_kg.sparql.engine import QueryEngine
from inclusion_kg.sparql.router import install_sparql
from inclusion_kg.store import build_store

STATIC = Path(__file__).parent / "static"
CORS_OPTIONS = {  # browser notebooks may query us
    "allow_origins": ["*"],
    "allow_methods": ["GET", "HEAD", "POST", "OPTIONS"],
    "allow_headers": ["*"],
    "expose_headers": ["ETag", "Content-Type"],
    "max_age": 3600,
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app over a validated dataset (refuses invalid data, and a remote store holding other data)."""
    settings = settings or Settings()
    graph = load_graph(root=settings.root)
    version = data_version(data_files(settings.root))
    history = prepare_history(graph, version, settings.base_url, settings.root)  # the change log, validated
    if is_remote(settings.store):  # sparql+http(s)://...: an existing SPARQL store (remote/, docs/deploy.md)
        from inclusion_kg.remote.backend import build_remote  # httpx and the rest: only with a remote store
        from inclusion_kg.remote.command import published_graphs

        store, backend = build_remote(settings, published_graphs(graph))
        engine_version = version + "@remote"
    else:
        store = build_store(graph, settings.store, settings.data, source_version=version + history.log.digest,
                            graphs_by_name={str(HISTORY): history.log.graph})  # the log: its own named graph
        backend = EmbeddedBackend(store.store, store.ours, settings.base_url, store.path)
        engine_version = version + store.data_digest
    engine = QueryEngine(backend, data_version=engine_version, max_query_bytes=settings.max_query_bytes,
                         limits=Limits(settings.max_rows, timeout=settings.query_timeout),
                         cache_bytes=settings.cache_bytes, threads=settings.query_workers)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        engine.close()  # this process's evaluation threads; started again by the next query

    # /docs and /redoc load Swagger UI and ReDoc from the files of the fastapi-offline package, served under
    # /static/api-docs: the API docs work without internet (FastAPI's default pages load them from a CDN).
    app = FastAPIOffline(
        static_url="/static/api-docs",
        lifespan=lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False},
        title="inclusion-kg",
        version=__version__,
        description="Regional support for Belgian employers who hire or keep a person with a disability: "
        "a SPARQL 1.1 endpoint, named queries and eligibility answers.",
    )
    app.state.settings = settings
    app.state.data_version = version
    app.state.reload_status = None  # set by a reload (reload.py)
    app.state.store = store
    app.state.engine = engine  # the one way to run a query: every safety rule applies (sparql/engine.py)
    # The routes that answer queries come first: a request is matched against the table in order.
    install_sparql(app)  # /sparql, first in the route table
    install_answers(app, engine, (settings.root or project_root()) / "queries")  # /queries/..., /eligibility
    install_history(app, history)  # /feed, /id/.../history: before the publication's catch-all /id/{path}
    install_publication(app, graph, settings, version, history=history)  # /id/..., /ontology, /catalog, void, dumps, home
    app.add_middleware(CORSMiddleware, **CORS_OPTIONS)
    app.state.limiter = install_limits(app, settings)  # URL/body size, bounded queue, Retry-After
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/health", tags=["service"], summary="Liveness and what is served")
    async def health() -> dict:  # on the event loop: no thread to wait for while queries run
        body = {
            "status": "ok",
            "triples": store.quads,  # quads in the store: our graph twice (default + named graph), the log, --data
            "graph_triples": store.graph_triples,
            "data_version": version,
            "release": history.release,  # the release the served data is (history/state.py)
            "version": __version__,
            "worker": os.getpid(),  # the HTTP worker process that answered
            "cache": engine.cache.status(),  # that worker's answer cache
        }
        if is_remote(settings.store):  # is the store answering?
            body["store"] = await run_in_threadpool(engine.status)
            if body["store"]["status"] != "up":
                body["status"] = "degraded"  # still 200; queries answer 503 until the store is back
        if app.state.reload_status is not None:  # the last reload, ok or failed
            body["reload"] = app.state.reload_status
        return body

    return app
