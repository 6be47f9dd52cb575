"""The change history: releases of the data as an append-only log of version objects (log, release, diff),
served as a Linked Data Event Stream at /feed and per resource at /id/{kind}/{slug}/history (feed, routes).

`install_history(app, ...)` builds the history once at start-up and adds its routes; it must come before the
publication's catch-all /id/{path} route.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from rdflib import Graph

from inclusion_kg.history.state import History, build_history, word


def prepare_history(data: Graph, data_version: str, base_url: str | None, root: Path | None = None) -> History:
    """The validated change log, its feed and the release name (refuses a log that does not conform)."""
    from inclusion_kg.graph import parse_files, shape_files
    from inclusion_kg.publish.formats import jsonld_context
    from inclusion_kg.publish.state import normalise_base_url

    shapes = parse_files(shape_files(root))
    return build_history(data, data_version, normalise_base_url(base_url), shapes, jsonld_context(), root)


def install_history(app: FastAPI, state: History) -> None:
    """The history routes (before the publication's catch-all /id/{path}); app.state.history and .release."""
    from inclusion_kg.history import routes
    from inclusion_kg.publish.web import TEMPLATES

    app.state.history = state
    app.state.release = state.release
    TEMPLATES.env.globals["history_word"] = word
    app.include_router(routes.router)


__all__ = ["History", "install_history", "prepare_history"]
