"""The linked-open-data publication layer: dereferenceable IRIs, pages in nl/fr/de/en, the home page,
the DCAT-AP 3 catalogue, VoID and dumps (docs/publishing.md).

`install_publication(app, graph, settings, data_version)` computes the dumps, catalogue and VoID once and
adds the routers; `export` (the CLI) writes the same files to a folder.
"""

from __future__ import annotations

from fastapi import FastAPI
from rdflib import Graph

from inclusion_kg.publish.state import Publication, build_publication


def install_publication(app: FastAPI, graph: Graph, settings, data_version: str, history=None) -> Publication:
    from inclusion_kg.publish import deref, site

    publication = build_publication(graph, settings.base_url, data_version, root=settings.root, history=history)
    app.state.publication = publication
    app.include_router(deref.router)
    app.include_router(site.router)
    return publication


__all__ = ["Publication", "build_publication", "install_publication"]
