"""The FastAPI application: one router per concern, assembled here."""

from __future__ import annotations

from fastapi import FastAPI

from inclusion_kg import __version__
from inclusion_kg.graph import data_files, data_version, load_graph
from inclusion_kg.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app over a validated, frozen dataset (refuses invalid data)."""
    settings = settings or Settings()
    graph = load_graph(root=settings.root)
    version = data_version(data_files(settings.root))

    app = FastAPI(
        title="inclusion-kg",
        version=__version__,
        description="Regional support for Belgian employers who hire or keep a person with a disability: "
        "a SPARQL 1.1 endpoint, named queries and eligibility answers.",
    )
    app.state.settings = settings
    app.state.data_version = version

    @app.get("/health", tags=["service"], summary="Liveness and what is served")
    def health() -> dict:
        return {"status": "ok", "triples": len(graph), "data_version": version, "version": __version__}

    return app
