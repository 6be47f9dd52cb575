"""HTTP routes of the history (docs/history.md).

- `GET /feed`: the event stream's root node (Turtle, N-Quads, N-Triples, JSON-LD), or for browsers a page
  listing the releases; `GET /feed/{VERSION}/{N}`: a page of version objects (RDF only).
- `GET /id/{kind}/{slug}/history`: a resource's version objects, as RDF or a page.
- `GET /id/{kind}/{slug}/version/{VERSION}`: one version object, as RDF or a page.

Pages of the latest release and the root get a short max-age; older pages never change (immutable). Unknown
pages, resources and versions get a 404 (the site's page for browsers).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from inclusion_kg.history.feed import FEED_FORMATS, FeedPage
from inclusion_kg.graph import closure
from inclusion_kg.history.log import new_graph, version_iri
from inclusion_kg.history.state import History, word
from inclusion_kg.namespaces import BASE
from inclusion_kg.publish.formats import HTML, PAGE_FORMATS, NotAcceptable, content_type, negotiate
from inclusion_kg.publish.resource import resource_view
from inclusion_kg.publish.web import choose, html_response, not_found, page_for, rdf_response

router = APIRouter(tags=["history"])
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"


def history(request: Request) -> History:
    return request.app.state.history


def feed_response(request: Request, page: FeedPage | None) -> Response:
    """A node of the feed in the negotiated RDF format, with its ETag; 304 when the client has it."""
    feed = history(request).feed
    try:
        fmt = negotiate(request.headers.get("accept"), request.query_params.get("format"), FEED_FORMATS)
    except NotAcceptable as error:
        return Response(str(error), status_code=406, media_type="text/plain; charset=utf-8",
                        headers={"Vary": "Accept"})
    body = feed.body(page, fmt)
    cache = IMMUTABLE if page is not None and not feed.is_newest(page) else SHORT
    headers = {"ETag": body.etag, "Vary": "Accept", "Cache-Control": cache}
    if body.etag in [tag.strip().removeprefix("W/") for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body.content, media_type=content_type(fmt), headers=headers)


def wants_html(request: Request) -> bool:
    try:
        return negotiate(request.headers.get("accept"), request.query_params.get("format"),
                         (*FEED_FORMATS, HTML)) is HTML
    except NotAcceptable:
        return False


@router.get("/feed", summary="The change log as a Linked Data Event Stream (LDES 1.0): the root node")
def feed_root(request: Request) -> Response:
    if wants_html(request):
        page = page_for(request)
        releases = [{"version": r.version, "iri": str(r.iri), "date": str(r.time)[:10],
                     "notes": r.notes.get(page.lang, r.notes.get("en", "")),
                     "pages": [p.path for p in history(request).feed.pages if p.release == r.version]}
                    for r in reversed(history(request).log.releases)]
        return html_response(request, "feed.html", page=page, releases=releases,
                             words={k: word(k, page.lang) for k in ("feed", "release", "date", "no_release")})
    return feed_response(request, None)


@router.get("/feed/{version}/{number}", summary="A page of the event stream: a release's version objects")
def feed_page(version: str, number: str, request: Request) -> Response:
    page = history(request).feed.page(version, int(number)) if number.isascii() and number.isdigit() else None
    if page is None:
        releases = ", ".join(history(request).log.names()) or "none"
        return not_found(request, f"{request.url.path} (no such page of the feed; releases: {releases}; "
                                  "the pages are listed at /feed)")
    return feed_response(request, page)


def resource_iri(kind: str, slug: str) -> URIRef:
    return URIRef(f"{BASE}id/{kind}/{slug}")


@router.get("/id/{kind}/{slug}/history", summary="A resource's versions, release by release (RDF or a page)")
def resource_history(kind: str, slug: str, request: Request) -> Response:
    state = history(request)
    resource = resource_iri(kind, slug)
    versions = state.versions_of(resource)
    if not versions:
        return not_found(request, f"{request.url.path} (no version of {resource} in the change log)")
    fmt = choose(request, PAGE_FORMATS)
    if isinstance(fmt, Response):
        return fmt
    if fmt is HTML:
        page = page_for(request)
        words = {k: word(k, page.lang) for k in ("history", "release", "date", "change", "feed")}
        return html_response(request, "history.html", page=page, rows=state.rows(resource, page.lang),
                             resource=str(resource), words=words,
                             resource_href=f"../{slug}")  # the resource's page, one level up
    graph = new_graph()
    for version in versions:
        closure(state.log.graph, version.iri, graph)
        graph.add((state.log.release(version.release).iri, DCTERMS.hasPart, version.iri))
    return rdf_response(request, graph, fmt)


@router.get("/id/{kind}/{slug}/version/{version}", summary="One version object of a resource (RDF or a page)")
def resource_version(kind: str, slug: str, version: str, request: Request) -> Response:
    state = history(request)
    node = version_iri(resource_iri(kind, slug), version)
    if not any(v.iri == node for v in state.versions_of(resource_iri(kind, slug))):
        return not_found(request, f"{node} (versions: {', '.join(state.log.names()) or 'none'})")
    fmt = choose(request, PAGE_FORMATS)
    if isinstance(fmt, Response):
        return fmt
    graph = closure(state.log.graph, node, new_graph())
    if fmt is HTML:
        return html_response(request, "resource.html", view=resource_view(graph, page_for(request), node))
    return rdf_response(request, graph, fmt)
