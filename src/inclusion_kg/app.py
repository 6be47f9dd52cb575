"""The FastAPI application: one router per concern, assembled here."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from inclusion_kg import __version__
from inclusion_kg.eligibility import install_answers
from inclusion_kg.graph import data_files, data_version, load_graph, project_root
from inclusion_kg.history import install_history, prepare_history
from inclusion_kg.limits import install_limits
from inclusion_kg.namespaces import HISTORY
from inclusion_kg.publish import install_publication
from inclusion_kg.remote.backend import build_remote
from inclusion_kg.remote.location import is_remote
from inclusion_kg.settings import Settings
from inclusion_kg.sparql.engine import AnswerCache, QueryEngine
from inclusion_kg.sparql.fastpath import CORS_OPTIONS, FastPath
from inclusion_kg.sparql.plain_get import PlainGet
from inclusion_kg.sparql.router import install_error_handler
from inclusion_kg.sparql.router import router as sparql_router
from inclusion_kg.store import build_store

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app over a validated, frozen dataset (refuses invalid data)."""
    settings = settings or Settings()
    graph = load_graph(root=settings.root)
    version = data_version(data_files(settings.root))
    history = prepare_history(graph, version, settings.base_url, settings.root)  # the change log, validated
    if is_remote(settings.store):  # sparql+http(s)://...: an existing SPARQL store (remote/, docs/deploy.md)
        store, engine = build_remote(settings, version)
    else:
        store = build_store(graph, settings.store, settings.data, source_version=version + history.log.digest,
                            graphs_by_name={str(HISTORY): history.log.graph})  # the log: its own named graph
        engine = QueryEngine(
            store.spec,
            data_version=version + store.data_digest,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
            max_query_bytes=settings.max_query_bytes,
            workers=settings.query_workers,
            base_iri=settings.base_url,
            cache_entries=settings.cache_entries,
        )

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        engine.pool.open()
        yield
        engine.close()  # stops the query workers; they start again if the app is started again

    # /docs and /redoc load Swagger UI and ReDoc from the files of the fastapi-offline package, served under
    # /static/api-docs: the API docs work without internet (FastAPI's default pages load them from a CDN).
    app = FastAPIOffline(
        static_url="/static/api-docs",
        lifespan=lifespan,
        title="inclusion-kg",
        version=__version__,
        description="Regional support for Belgian employers who hire or keep a person with a disability: "
        "a SPARQL 1.1 endpoint, named queries and eligibility answers.",
    )
    app.state.settings = settings
    app.state.data_version = version
    install_history(app, history)  # /feed, /id/.../history: before the publication's catch-all /id/{path}
    install_publication(app, graph, settings, version, history=history)  # /id/..., /ontology, /catalog, void, dumps, home
    app.state.store = store
    app.state.engine = engine  # the one way to run a query: every safety rule applies (sparql/engine.py)
    app.add_middleware(CORSMiddleware, **CORS_OPTIONS)
    app.state.response_cache = AnswerCache(max_entries=settings.cache_entries)
    app.add_middleware(FastPath, cache=app.state.response_cache)  # /sparql: cached replay, direct dispatch
    app.state.limiter = install_limits(app, settings)  # URL/body size, bounded queue, Retry-After
    app.add_middleware(PlainGet)  # outermost: GET /sparql?query=... answered with the same rules, leaner
    install_error_handler(app)
    app.include_router(sparql_router)
    install_answers(app, engine, (settings.root or project_root()) / "queries")  # /queries/..., /eligibility
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/health", tags=["service"], summary="Liveness and what is served")
    def health() -> dict:
        body = {
            "status": "ok",
            "triples": store.quads,  # quads in the store: our graph twice (default + named graph), the log, --data
            "graph_triples": store.graph_triples,
            "data_version": version,
            "release": history.release,  # the release the served data is (history/state.py)
            "version": __version__,
        }
        if (probe := getattr(engine, "store_status", None)) is not None:  # a remote store: is it answering?
            body["store"] = probe()
            if body["store"]["status"] != "up":
                body["status"] = "degraded"  # still 200; queries answer 503 until the store is back
        if (status := getattr(engine.pool, "status", None)) is not None:  # the embedded store's query workers
            body["query_workers"] = status()
            if body["query_workers"]["ready"] < body["query_workers"]["size"]:
                body["status"] = "degraded"  # a killed worker is being replaced: fewer queries run at once
        reloader = getattr(app.state, "reloader", None)  # reload.py: the last reload, ok or failed
        if reloader is not None and reloader.status is not None:
            body["reload"] = reloader.status
        return body

    return app
