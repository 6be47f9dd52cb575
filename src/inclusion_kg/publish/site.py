"""The home page (the brochure's tables and the eligibility form) and the dumps at /dumps/."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from inclusion_kg.namespaces import DATASET
from inclusion_kg.publish.deref import dump_rows
from inclusion_kg.publish.home import home_view, script_labels
from inclusion_kg.publish.i18n import TEXT
from inclusion_kg.publish.resource import resource_view
from inclusion_kg.publish.view import Link, Text
from inclusion_kg.publish.web import html_response, page_for, publication

router = APIRouter(tags=["linked data"])
# The words the eligibility script shows, in the page's language.
SCRIPT_WORDS = ("eligible", "not-eligible", "undetermined", "met", "unmet", "unknown", "missing", "expected",
                "given", "sources", "agency", "conditions", "error", "results", "only_if", "yes", "no")


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    page = page_for(request)
    words = {key: TEXT[key].get(page.lang, TEXT[key]["en"]) for key in SCRIPT_WORDS}
    data = publication(request).data
    return html_response(request, "home.html", page=page, i18n_json=json.dumps(words, ensure_ascii=False),
                         labels_json=json.dumps(script_labels(data, page.lang), ensure_ascii=False),
                         **home_view(data, page))


@router.get("/favicon.ico", include_in_schema=False)
def favicon(request: Request) -> Response:
    """Clients that ask for /favicon.ico without reading the page's <link rel="icon"> get the same icon."""
    return RedirectResponse(page_for(request).asset("/static/site/favicon.svg"), status_code=301)


@router.get("/dumps/", summary="The dumps of the dataset, with size and SHA-256")
def dumps_index(request: Request) -> Response:
    pub = publication(request)
    page = page_for(request)
    return html_response(request, "catalog.html", page=page, view=resource_view(pub.metadata, page, DATASET),
                         dumps=dump_rows(request), service=Link(page.href("/sparql"), Text("SPARQL")))


@router.get("/dumps/{filename}", summary="One dump: inclusion-kg.ttl, .nt, .jsonld or .nq")
def dump(filename: str, request: Request) -> Response:
    found = publication(request).dumps.get(filename)
    if found is None:
        page = page_for(request)
        return html_response(request, "not_found.html", status_code=404, page=page, iri=filename)
    etag = f'"{found.sha256}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*",
               "Content-Disposition": f'inline; filename="{found.filename}"'}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(found.content, media_type=f"{found.format.media_type}; charset=utf-8", headers=headers)
