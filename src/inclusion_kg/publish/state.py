"""What the publication layer computes once at start-up (or at export) and serves unchanged: the dumps
with their sizes and hashes, the DCAT-AP catalogue, the VoID description, the JSON-LD context."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from inclusion_kg.graph import data_files, parse_files, project_root, shape_files
from inclusion_kg.namespaces import BASE, bind_prefixes
from inclusion_kg.publish.catalog import build_catalog, build_void, data_modified
from inclusion_kg.publish.dumps import Dump, build_dumps
from inclusion_kg.publish.formats import jsonld_context


@dataclass(frozen=True)
class Publication:
    data: Graph  # the served dataset (ontology and data), validated
    catalog: Graph  # DCAT-AP 3
    void: Graph
    metadata: Graph  # catalogue and VoID together: what /id/dataset/... describes
    dumps: dict[str, Dump]
    context: dict
    base_url: str
    data_version: str
    shapes: Graph  # the SHACL shapes the data is validated with, served at /shapes


def normalise_base_url(base_url: str | None) -> str:
    base_url = base_url or BASE
    return base_url if base_url.endswith("/") else base_url + "/"


def build_publication(data: Graph, base_url: str | None, data_version: str,
                      root: Path | None = None, modified: datetime.date | None = None, history=None) -> Publication:
    root = root or project_root()
    base_url = normalise_base_url(base_url)
    context = jsonld_context()
    dumps = build_dumps(data, context)
    when = modified or data_modified(root, data_files(root))
    log, release = (history.log, history.release) if history is not None else (None, None)
    catalog = build_catalog(data, dumps, base_url, data_version, when, log=log, release=release)
    void = build_void(data, dumps, base_url, feed=log is not None)
    metadata = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in catalog:
        metadata.add(triple)
    for triple in void:
        metadata.add(triple)
    shapes = parse_files(shape_files(root))
    return Publication(data, catalog, void, metadata, dumps, context, base_url, data_version, shapes)
