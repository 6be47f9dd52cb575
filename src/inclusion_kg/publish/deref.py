"""Dereferencing: every IRI under the base answers at the server, in the format the client asks for.

- `GET /id/{kind}/{slug}`: Turtle, N-Triples, JSON-LD, RDF/XML or an HTML page (Accept, ?format=, or a
  suffix: `/id/agency/vdab.ttl`, `.nt`, `.jsonld`, `.rdf`, `.html`); unknown IRIs get a 404 page.
- `GET /ontology`: the ontology as RDF, or its HTML documentation (each term has an anchor: ikg:X is
  /ontology#X).
- `GET /shapes`: the SHACL shapes (ikgsh:X is /shapes#X), as RDF or HTML.
- `GET /context.jsonld`: the JSON-LD context our JSON-LD uses.
- `GET /catalog` and `GET /.well-known/void`: the DCAT-AP catalogue and the VoID description.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import Graph, URIRef

from inclusion_kg.namespaces import BASE, DATASET
from inclusion_kg.publish.catalog import CATALOG
from inclusion_kg.publish.describe import describe, known
from inclusion_kg.publish.formats import HTML, PAGE_FORMATS, RDF_FORMATS, split_suffix
from inclusion_kg.publish.ontology_doc import SHAPE_SECTIONS, SHAPES, ontology_graph, ontology_view
from inclusion_kg.publish.resource import format_links, resource_view
from inclusion_kg.publish.view import Link, Text
from inclusion_kg.publish.web import choose, html_response, not_found, page_for, publication, rdf_response

router = APIRouter(tags=["linked data"])
# For the catalogue and VoID, harvesters that send */* get Turtle; browsers ask for HTML by name.
METADATA_FORMATS = (*RDF_FORMATS, HTML)


@router.get("/id/{path:path}", summary="A resource of the graph, as RDF or as a page (by Accept)")
def resource(path: str, request: Request) -> Response:
    pub = publication(request)
    node = URIRef(f"{BASE}id/{path}")
    suffixed = None
    if not known(node, pub.data, pub.metadata):  # /id/agency/vdab.ttl: that resource, in that format
        stem, suffixed = split_suffix(path)
        node = URIRef(f"{BASE}id/{stem}")
    if not path or not known(node, pub.data, pub.metadata):
        return not_found(request, str(node))
    fmt = suffixed or choose(request, PAGE_FORMATS)
    if isinstance(fmt, Response):
        return fmt
    if fmt is HTML:
        graph = pub.data if (node, None, None) in pub.data else pub.metadata
        view = resource_view(graph, page_for(request), node)
        return html_response(request, "resource.html", view=view)
    engine = getattr(request.app.state, "engine", None)
    return rdf_response(request, describe(node, pub.data, pub.metadata, engine), fmt)


def vocabulary_response(request: Request, rdf: Graph, document: Callable[[str], object]) -> Response:
    """A vocabulary (the ontology or the shapes): its RDF, or its HTML documentation in the page's language."""
    fmt = choose(request, PAGE_FORMATS)
    if isinstance(fmt, Response):
        return fmt
    if fmt is HTML:
        page = page_for(request)
        return html_response(request, "ontology.html", page=page, doc=document(page), formats=format_links(page))
    return rdf_response(request, rdf, fmt)


@router.get("/ontology", summary="The ontology: RDF, or HTML documentation of every class and property")
def ontology(request: Request) -> Response:
    pub = publication(request)
    return vocabulary_response(request, ontology_graph(pub.data), lambda page: ontology_view(pub.data, page))


@router.get("/shapes", summary="The SHACL shapes the data must pass: RDF, or HTML documentation")
def shapes(request: Request) -> Response:
    pub = publication(request)
    return vocabulary_response(
        request, pub.shapes, lambda page: ontology_view(pub.shapes, page, SHAPES, SHAPE_SECTIONS, "ikgsh")
    )


@router.get("/context.jsonld", summary="The JSON-LD context of our JSON-LD")
def context(request: Request) -> Response:
    body = json.dumps({"@context": publication(request).context}, indent=2, sort_keys=True)
    return Response(body, media_type="application/ld+json; charset=utf-8",
                    headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=3600"})


@router.get("/catalog", summary="The DCAT-AP 3 catalogue: Turtle, N-Triples, JSON-LD, RDF/XML or HTML")
def catalog(request: Request) -> Response:
    pub = publication(request)
    fmt = choose(request, METADATA_FORMATS)
    if isinstance(fmt, Response):
        return fmt
    if fmt is HTML:
        page = page_for(request)
        return html_response(request, "catalog.html", page=page, view=resource_view(pub.catalog, page, CATALOG),
                             dumps=dump_rows(request), service=Link(page.href("/sparql"), Text("SPARQL")))
    return rdf_response(request, pub.catalog, fmt)


@router.get("/.well-known/void", summary="The VoID description of the dataset")
def void(request: Request) -> Response:
    pub = publication(request)
    fmt = choose(request, METADATA_FORMATS)
    if isinstance(fmt, Response):
        return fmt
    if fmt is HTML:
        page = page_for(request)
        return html_response(request, "resource.html", page=page, view=resource_view(pub.void, page, DATASET))
    return rdf_response(request, pub.void, fmt)


def dump_rows(request: Request) -> list[dict]:
    page = page_for(request)
    return [
        {"href": page.href(f"/dumps/{d.filename}"), "filename": d.filename, "format": d.format.label,
         "media_type": d.format.media_type, "size": d.size, "sha256": d.sha256}
        for d in publication(request).dumps.values()
    ]
