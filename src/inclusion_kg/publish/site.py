"""The home page (the brochure's tables and the eligibility form) and the dumps at /dumps/."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from inclusion_kg.namespaces import DATASET
from inclusion_kg.publish.deref import dump_rows
from inclusion_kg.publish.answer_view import result_view
from inclusion_kg.publish.home import home_view
from inclusion_kg.publish.question import read_question
from inclusion_kg.publish.resource import resource_view
from inclusion_kg.publish.view import Link, Text
from inclusion_kg.publish.web import html_response, page_for, page_not_modified, publication

router = APIRouter(tags=["linked data"])


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    """The brochure's tables and the eligibility form; with a question in the URL, its answer at #result."""
    page = page_for(request)
    data = publication(request).data
    view = home_view(data, page)
    evaluator = request.app.state.eligibility  # the evaluator /eligibility answers with: one way to answer
    question = read_question(request.query_params, view["fields"], evaluator.vocabulary, page)
    result, day = None, ""
    if question.inputs is not None:
        day = question.inputs.date.isoformat()  # without ?date=, the answer is today's: the ETag says which day
        if (early := page_not_modified(request, page, day)) is not None:
            return early  # asked again by the same browser: no query
        answer = await evaluator.answer_async(question.inputs)
        result = result_view(answer, data, page, view["fields"], question.values)
    return html_response(request, "home.html", status_code=400 if question.error else 200, page=page,
                         question=question, result=result, etag_extra=day, **view)


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
