"""HTTP plumbing shared by the publication routers: the Jinja2 templates, the page context of a request,
and responses for negotiated RDF and HTML (Vary, ETag, 304)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from rdflib import Graph

from inclusion_kg.publish.formats import HTML, NotAcceptable, RdfFormat, content_type, negotiate, serialize
from inclusion_kg.publish.i18n import choose_language
from inclusion_kg.publish.state import Publication
from inclusion_kg.publish.view import Page

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))
CACHE_CONTROL = "public, max-age=300"
PAGE_VARY = "Accept, Accept-Language"


def publication(request: Request) -> Publication:
    return request.app.state.publication


def page_for(request: Request) -> Page:
    lang, explicit = choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    path = request.url.path
    root = request.scope.get("root_path") or ""
    if root and path.startswith(root):
        path = path[len(root):] or "/"
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    return Page(lang=lang, path=path, explicit_lang=explicit, query=query)


def etag_for(request: Request, *parts: str) -> str:
    key = "\x1f".join((publication(request).data_version, request.url.path, *parts))
    return '"' + hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest() + '"'


def not_modified(request: Request, etag: str, vary: str) -> Response | None:
    header = request.headers.get("if-none-match", "")
    if etag in [c.strip().removeprefix("W/") for c in header.split(",")]:
        return Response(status_code=304, headers={"ETag": etag, "Vary": vary, "Cache-Control": CACHE_CONTROL})
    return None


def choose(request: Request, offered: tuple[RdfFormat, ...]) -> RdfFormat | Response:
    """The negotiated format, or a 406 response that lists what we serve."""
    try:
        return negotiate(request.headers.get("accept"), request.query_params.get("format"), offered)
    except NotAcceptable as error:
        return Response(str(error), status_code=406, media_type="text/plain; charset=utf-8",
                        headers={"Vary": "Accept"})


def rdf_response(request: Request, graph: Graph, fmt: RdfFormat) -> Response:
    etag = etag_for(request, fmt.key)
    if (early := not_modified(request, etag, "Accept")) is not None:
        return early
    body = serialize(graph, fmt, publication(request).context)
    return Response(body, media_type=content_type(fmt),
                    headers={"Vary": "Accept", "ETag": etag, "Cache-Control": CACHE_CONTROL})


def page_etag(request: Request, page: Page, extra: str = "") -> str:
    """The ETag of a page: the data version, the path, the language, the query and `extra`."""
    return etag_for(request, HTML.key, page.lang, str(sorted(page.query.items())), extra)


def page_not_modified(request: Request, page: Page, extra: str = "") -> Response | None:
    return not_modified(request, page_etag(request, page, extra), PAGE_VARY)


def html_response(request: Request, template: str, status_code: int = 200, etag_extra: str = "",
                  **context) -> Response:
    page = context.pop("page", None) or page_for(request)
    etag = page_etag(request, page, etag_extra)
    if status_code == 200 and (early := not_modified(request, etag, PAGE_VARY)) is not None:
        return early
    response = TEMPLATES.TemplateResponse(request, template, {"page": page, "t": page.t, **context},
                                          status_code=status_code)
    response.headers["Vary"] = PAGE_VARY
    response.headers["Content-Language"] = page.lang
    if status_code == 200:
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def not_found(request: Request, iri: str) -> Response:
    return html_response(request, "not_found.html", status_code=404, iri=iri)
