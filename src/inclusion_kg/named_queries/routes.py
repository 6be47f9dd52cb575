"""/queries (the list, JSON or HTML) and /queries/{name} (GET or POST form): named queries over the engine.

Parameters are checked and bound by `binding.py`; the bound query then takes the same way as a /sparql
query (engine safety rules, cache, ETag/304, format negotiation).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from inclusion_kg.errors import BadRequestError, SparqlError, UnsupportedMediaTypeError
from inclusion_kg.named_queries.binding import ParameterError
from inclusion_kg.named_queries.catalog import Catalog, UnknownQuery
from inclusion_kg.named_queries.openapi import install_openapi
from inclusion_kg.named_queries.page import queries_page
from inclusion_kg.sparql.backend import OURS_ONLY
from inclusion_kg.sparql.router import respond
from inclusion_kg.sparql.safety import analyze

RESERVED = {"format"}  # protocol parameters, not query parameters
MAX_FORM_BYTES = 64 * 1024


class BadParameterError(BadRequestError):
    kind = "bad-parameter"

    def __init__(self, error: ParameterError):
        accepted = error.accepted
        listed = ", ".join(accepted) if isinstance(accepted, list) else accepted
        super().__init__(error.message + (f"; accepted: {listed}" if listed else ""))
        self.parameter = error.parameter
        self.accepted = accepted

    def to_dict(self) -> dict:
        return {**super().to_dict(), "parameter": self.parameter, "accepted": self.accepted}


class UnknownQueryError(SparqlError):
    status = 404
    kind = "not-found"


router = APIRouter(tags=["named queries"])


def _catalog(request: Request) -> Catalog:
    return request.app.state.named_queries


def wants_html(request: Request) -> bool:
    fmt = request.query_params.get("format")
    if fmt:
        return fmt.lower() == "html"
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept.split("text/html")[0]


@router.get("/queries", summary="The named queries, their parameters and where they are served")
def list_queries(request: Request) -> Response:
    catalog = _catalog(request)
    listed = catalog.describe()
    if wants_html(request):
        return queries_page(request, listed)
    return JSONResponse({"queries": listed}, headers={"Vary": "Accept"})


def _values(pairs: list[tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in pairs:
        if name in RESERVED:
            continue
        if name in values:
            raise BadRequestError(f"parameter '{name}' is given more than once; give it once")
        values[name] = value
    return values


async def _run(request: Request, name: str, pairs: list[tuple[str, str]]) -> Response:
    catalog = _catalog(request)
    try:
        query = catalog.get(name)
    except UnknownQuery as error:
        raise UnknownQueryError(f"{error}; see /queries") from None
    try:
        text = catalog.bind(name, _values(pairs))
    except ParameterError as error:
        raise BadParameterError(error) from None
    fmt = next((v for k, v in pairs if k == "format"), None)
    # Over our dataset's graph only, as /eligibility: files served beside ours (`serve --data`) neither add
    # to nor slow down the project's answers (researchers join their data with ours at /sparql).
    analysis = analyze(query.text)  # the template's, read once (see sparql/engine.py)
    return await respond(request, text, fmt, OURS_ONLY, analysis=analysis, title=query.summary)


@router.api_route("/queries/{name}", methods=["GET", "HEAD"], include_in_schema=False)
async def run_get(name: str, request: Request) -> Response:
    return await _run(request, name, list(request.query_params.multi_items()))


@router.post("/queries/{name}", include_in_schema=False)
async def run_post(name: str, request: Request) -> Response:
    pairs = list(request.query_params.multi_items())
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            raise BadRequestError(f"the form is larger than {MAX_FORM_BYTES} bytes")
        try:
            pairs += parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise BadRequestError("the form is not UTF-8; send UTF-8") from None
    elif media:
        raise UnsupportedMediaTypeError(f"POST the parameters as application/x-www-form-urlencoded, not {media}")
    return await _run(request, name, pairs)


def install_named_queries(app: FastAPI, catalog: Catalog) -> None:
    """Serve `catalog` at /queries and document each query in /openapi.json."""
    app.state.named_queries = catalog
    app.include_router(router)
    install_openapi(app, catalog)

