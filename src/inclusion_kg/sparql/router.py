"""/sparql: the SPARQL 1.1 Protocol (query operation) over the engine, plus the error handler.

GET ?query=, POST application/x-www-form-urlencoded (query=), POST application/sparql-query; the protocol
dataset (default-graph-uri, named-graph-uri) selects graphs of the store. Updates are refused (403); a GET
without a query gets the Service Description, or the query UI in a browser.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from inclusion_kg.errors import (
    BadRequestError,
    SparqlError,
    UnsupportedMediaTypeError,
    UpdateNotAllowedError,
)
from inclusion_kg.sparql import formats as f
from inclusion_kg.sparql import html, service_description
from inclusion_kg.sparql.backend import Dataset
from inclusion_kg.sparql.negotiation import choose_media_type, engine_media_type, not_modified, sparql_response
from inclusion_kg.sparql.safety import QueryInfo

PARAMETERS = [{"name": name, "in": "query", "required": False, "description": text, "schema": {"type": "string"}}
              for name, text in (("query", "a SPARQL 1.1 query (without it: the Service Description, or the UI)"),
                                 ("default-graph-uri", "a graph of the store as the default graph (repeatable)"),
                                 ("named-graph-uri", "a graph of the store as a named graph (repeatable)"),
                                 ("format", "json, xml, csv, tsv, html, turtle, nt, jsonld, rdfxml, nquads, trig"))]
OPENAPI = {  # /sparql is a plain Starlette route (FastAPI's request handling cost 40% of a cached answer)
    "get": {"tags": ["sparql"], "summary": "SPARQL 1.1 query (GET), Service Description, UI",
            "operationId": "sparql_get", "parameters": PARAMETERS, "responses": {"200": {"description": "The answer"}}},
    "post": {"tags": ["sparql"], "summary": "SPARQL 1.1 query (POST form or application/sparql-query)",
             "operationId": "sparql_post", "responses": {"200": {"description": "The answer"}},
             "requestBody": {"content": {
                 "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                     "query": {"type": "string"}}}},
                 "application/sparql-query": {"schema": {"type": "string"}}}}},
}

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
READ_ONLY = "SPARQL Update is not allowed: this endpoint is read-only."


def error_response(request: Request, error: SparqlError) -> Response:
    """A 4xx/5xx body that says what was wrong: JSON when the client reads JSON, else plain text."""
    # A 503 says when to come back (the same Retry-After as the limits' own 503: limits.py).
    headers = {"Retry-After": str(request.app.state.limiter.retry_after)} if error.status == 503 else None
    if "json" in request.headers.get("accept", ""):
        return JSONResponse(error.to_dict(), status_code=error.status, headers=headers)
    text = f"{error.status} {error.kind}: {error.message}"
    if getattr(error, "position", None):
        text += f"\nposition (line:column): {error.position}"
    return PlainTextResponse(text + "\n", status_code=error.status, headers=headers)


def install_sparql(app: FastAPI) -> None:
    """/sparql (first in the route table: most requests take it), its OpenAPI entry, the error handler."""
    app.router.routes.insert(0, Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]))
    previous = app.openapi

    def openapi() -> dict:
        schema = previous()
        schema.setdefault("paths", {})["/sparql"] = OPENAPI
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(SparqlError)
    async def _sparql_error(request: Request, error: SparqlError) -> Response:
        return error_response(request, error)


def _media_type(header: str | None) -> tuple[str, dict[str, str]]:
    if not header:
        return "", {}
    media, *params = header.split(";")
    parsed = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"')
    return media.strip().lower(), parsed


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequestError(f"the request body is not UTF-8 (byte {error.start}); send UTF-8") from None


def query_pairs(raw: bytes, errors: str = "replace") -> list[tuple[str, str]]:
    """The (name, value) pairs of a query string or form body, as `parse_qsl(..., keep_blank_values=True)`
    gives them: split on & and on the first =, then each part percent-decoded."""
    pairs = []
    for field in raw.split(b"&"):
        if field:
            name, _, value = field.partition(b"=")
            pairs.append((_unquote(name, errors), _unquote(value, errors)))
    return pairs


def _unquote(part: bytes, errors: str) -> str:
    """`part` with + as space and %XX decoded, as UTF-8. Every %XX becomes an \\xXX escape for the
    unicode_escape codec, so the decoding runs in C: a query in a URL is mostly escapes, and urllib steps
    through them in Python (5x slower, a tenth of the CPU of a small /sparql request). A malformed escape is
    left to urllib, which keeps it as it is."""
    try:
        text = part.replace(b"\\", b"\\\\").replace(b"+", b" ").replace(b"%", b"\\x").decode("unicode_escape")
    except UnicodeDecodeError:
        return unquote_plus(part.decode("utf-8", errors), encoding="utf-8", errors=errors)
    return text.encode("latin-1").decode("utf-8", errors)


def _all(pairs: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in pairs if key == name]


async def sparql(request: Request) -> Response:
    if request.method == "POST":
        return await sparql_post(request)
    return await _answer(request, query_pairs(request.scope["query_string"]))


async def sparql_post(request: Request) -> Response:
    # The body is whole and within --max-body-bytes (limits.py); the engine refuses a query too large (413).
    media, params = _media_type(request.headers.get("content-type"))
    pairs = query_pairs(request.scope["query_string"])
    if media == FORM:
        try:
            pairs += query_pairs(await request.body(), errors="strict")
        except UnicodeDecodeError:
            raise BadRequestError("the form is not UTF-8 once percent-decoded; send UTF-8") from None
        return await _answer(request, pairs)
    if media == QUERY:
        charset = params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise BadRequestError(f"the query must be sent as UTF-8, not {charset}")
        if _all(pairs, "query"):
            raise BadRequestError("give the query either in the body or in the URL, not both")
        return await _answer(request, pairs + [("query", _utf8(await request.body()))])
    if media == UPDATE:
        raise UpdateNotAllowedError(READ_ONLY)
    raise UnsupportedMediaTypeError(
        f"POST a query as {FORM} (query=...) or as {QUERY}, not as {media or 'a body without Content-Type'}"
    )


async def _answer(request: Request, pairs: list[tuple[str, str]]) -> Response:
    if _all(pairs, "update") or _all(pairs, "using-graph-uri") or _all(pairs, "using-named-graph-uri"):
        raise UpdateNotAllowedError(READ_ONLY)
    queries = _all(pairs, "query")
    formats = _all(pairs, "format")
    fmt = formats[0] if formats else None
    if len(queries) > 1:
        raise BadRequestError("more than one query was given; send exactly one")
    if not queries:
        if request.method == "POST":
            raise BadRequestError("no query was given (use the 'query' parameter or an application/sparql-query body)")
        return _service_description(request, fmt)
    dataset = Dataset.of(_all(pairs, "default-graph-uri"), _all(pairs, "named-graph-uri"))
    return await respond(request, queries[0], fmt, dataset)


async def respond(request: Request, query: str, fmt: str | None, dataset: Dataset, *,
                  analysis: QueryInfo | None = None, title: str = "SPARQL results") -> Response:
    """The one way a query route answers (/sparql, /queries/{name}): safety check, negotiation, 304 or cached
    bytes, else evaluation in an evaluation thread (engine.py), then the response with its ETag."""
    engine = request.app.state.engine
    info = engine.analyze(query, analysis)
    media_type = choose_media_type(request.headers.get("accept"), info.form, fmt)
    _, key, etag = engine.prepare(query, engine_media_type(media_type, info.form), dataset, info)
    page_etag = etag and media_type == f.HTML and etag[:-1] + '-html"'  # a page is another representation
    if (early := not_modified(request, page_etag or etag)) is not None:
        return early
    body = engine.cached(key, etag)
    if body is None:
        body = await engine.evaluate(key, etag)
    return sparql_response(request, body, media_type, form=info.form, etag=page_etag or etag, query=query,
                           title=title)


def _service_description(request: Request, fmt: str | None) -> Response:
    media_type = choose_media_type(request.headers.get("accept"), "DESCRIBE", fmt)
    if media_type == f.HTML:
        return html.ui_page(request)
    if media_type not in service_description.SD_FORMATS:
        media_type = f.TURTLE
    state = request.app.state
    endpoint = str(request.url.replace(query=""))
    store = state.store
    body = service_description.describe(endpoint, media_type, store.default_triples, store.named_graphs)
    return Response(body, media_type=f.CONTENT_TYPES[media_type], headers={"Vary": "Accept"})
