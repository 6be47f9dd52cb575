"""GET /eligibility: which support measures apply to a hire, with the status of each condition and why.

The parameters are documented from the graph (what each input accepts), checked by `inputs.py` (a 400
that says what is accepted, never a 5xx) and answered by queries/eligibility-lookup.rq through the engine,
joined to the rules table read once per dataset version (lookup.py).
"""

from __future__ import annotations

import hashlib

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response

from inclusion_kg.eligibility.answer import Evaluator
from inclusion_kg.eligibility.inputs import DATE, LANG, InputError, Inputs, parse_inputs
from inclusion_kg.eligibility.models import BadInputBody, EligibilityAnswer, ErrorBody
from inclusion_kg.eligibility.vocabulary import LANGUAGES, REGION, Vocabulary
from inclusion_kg.namespaces import XSD
from inclusion_kg.sparql.negotiation import not_modified

DESCRIPTION = """Every support measure offered to employees domiciled in `region`, each with its status
(`eligible`, `undetermined` or `not-eligible`) and the status of each of its conditions (`met`, `unmet` or
`unknown`, with the expected and the given value and the source the condition comes from), in three-valued
(Kleene) logic: a measure is not-eligible if any condition is unmet, else undetermined if any is unknown,
else eligible. `summary` counts the measures of each status. `missing` lists, for an undetermined measure,
the inputs whose absence (or too broad a value) keeps it undetermined. Measures come eligible first, then
undetermined, then not-eligible, each by label.

Concept inputs take a slug (`wallonia`, `employment`), a prefixed name (`region:wallonia`) or the full IRI.
A narrower concept meets a condition that allows its broader one (an `ibo` is an internship); a broader
concept than the condition allows is `unknown`, and the condition's `options` list the narrower concepts
that would meet it (an `internship` where the table ticks only the discovery internship). When the source
has no answer for the given value (VDAB's table has no column for the adaptation contract), the condition is
`unknown` with `not_covered: true`. `inactive_months` takes a decimal, or give `inactive_since` (a date),
counted in calendar months up to `date`. A measure that is independent of hiring (`independent_of_hiring:
true`) is listed as not-eligible, with a `reason`: it is never offered for a hire.

The statuses are looked up by `queries/eligibility-lookup.rq` in the rules compiled from the graph once per
dataset version (also served at /queries/eligibility-lookup); `query` is the SPARQL that ran. The reference,
`queries/eligibility.rq` (/queries/eligibility), gives the same answers from the graph itself. A bad input
is a 400 whose message lists what is accepted."""

EXAMPLE = {
    "inputs": {
        "region": "https://w3id.org/inclusion-kg/id/region/wallonia",
        "contract": "https://w3id.org/inclusion-kg/id/contract-type/employment",
        "employment_rate": 0.035,
        "inactive_months": 8,
        "date": "2025-10-01",
        "lang": "en",
    },
    "summary": {"eligible": 1, "undetermined": 0, "not-eligible": 0},
    "measures": [
        {
            "measure": "https://w3id.org/inclusion-kg/id/measure/aviq-integratiepremie",
            "label": "Integration premium",
            "agency": "https://w3id.org/inclusion-kg/id/agency/aviq",
            "agency_label": "AVIQ",
            "status": "eligible",
            "status_label": "eligible",
            "independent_of_hiring": False,
            "reason": None,
            "gives": [
                {
                    "output": "https://w3id.org/inclusion-kg/id/output/aviq-integratiepremie",
                    "label": "Contribution to wage costs (25%)",
                    "description": None,
                    "beneficiaries": [],
                }
            ],
            "conditions": [
                {
                    "condition": "https://w3id.org/inclusion-kg/id/condition/aviq-integratiepremie-inactivity",
                    "label": "Inactive for more than six months",
                    "status": "met",
                    "status_label": "met",
                    "input": "inactive_months",
                    "input_label": "months of inactivity",
                    "expected": "> 6",
                    "allowed": [],
                    "bounds": [{"kind": "min-exclusive", "value": 6}],
                    "given": 8,
                    "source": "https://w3id.org/inclusion-kg/id/source/brochure-2025-aviq",
                    "options": [],
                    "not_covered": False,
                }
            ],
            "missing": [],
            "sources": ["https://w3id.org/inclusion-kg/id/source/brochure-2025-aviq"],
        }
    ],
    "query": "PREFIX dataset: <https://w3id.org/inclusion-kg/id/dataset/> ... SELECT ?measure (MIN(?conditionRank) ...",
    "release": "2025.10",
}


def openapi_parameters(vocabulary: Vocabulary) -> list[dict]:
    """The query parameters, documented from the ontology's information concepts (labels, hints, ranges)."""
    parameters = []
    kinds = {str(XSD.decimal): "number", str(XSD.integer): "integer", str(XSD.boolean): "boolean"}
    for name, spec in vocabulary.inputs.items():
        definition = spec.definitions.get("en", "")
        if spec.is_concept:
            schema = {"type": "string", "enum": spec.slugs() + sorted(spec.values.values())}
            text = f"{definition} A slug, a prefixed name or the full IRI.".strip()
        else:
            schema = {"type": kinds.get(spec.datatype or "", "string")}
            if spec.minimum is not None:
                schema["minimum"] = float(spec.minimum) if schema["type"] == "number" else int(spec.minimum)
            if spec.maximum is not None:
                schema["maximum"] = float(spec.maximum) if schema["type"] == "number" else int(spec.maximum)
            text = f"{definition} {spec.hints.get('en', '')}".strip()
        if name == REGION:
            text = "The region where the staff member is domiciled (it decides which agency's support applies)."
        parameters.append(
            {"name": name, "in": "query", "required": name == REGION, "description": text, "schema": schema}
        )
        if spec.date_input:
            parameters.append({"name": spec.date_input, "in": "query", "required": False,
                               "description": f"Instead of {name}: the date (YYYY-MM-DD, not after `date`) from "
                                              f"which {name} is counted to `date`, in calendar months.",
                               "schema": {"type": "string", "format": "date"}})  # fmt: skip
    parameters.append({"name": DATE, "in": "query", "required": False,
                       "description": "The rules in force on this day (YYYY-MM-DD); default today.",
                       "schema": {"type": "string", "format": "date"}})  # fmt: skip
    parameters.append({"name": LANG, "in": "query", "required": False,
                       "description": "The language of labels; default from Accept-Language, else en.",
                       "schema": {"type": "string", "enum": list(LANGUAGES)}})  # fmt: skip
    return parameters


def _etag(request: Request, inputs: Inputs) -> str:
    """The answer's ETag, from what decides it: the data version and the checked inputs (language included:
    the lookup's text is the same in every language, its answer is not)."""
    version = getattr(request.app.state, "data_version", "")
    return '"' + hashlib.blake2b(f"{version}\x1f{inputs.key()!r}".encode(), digest_size=12).hexdigest() + '"'


def _response(body: bytes, etag: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300", "Vary": "Accept-Language"}
    return Response(body, media_type="application/json", headers=headers)


def install_eligibility(app: FastAPI, evaluator: Evaluator) -> None:
    app.state.eligibility = evaluator

    @app.get(
        "/eligibility",
        tags=["eligibility"],
        summary="Which support applies to a hire, and why each measure is or is not available",
        description=DESCRIPTION,
        response_model=EligibilityAnswer,
        responses={
            200: {"description": "The measures and their conditions",
                  "content": {"application/json": {"example": EXAMPLE}}},  # fmt: skip
            400: {"model": BadInputBody, "description": "A bad input; the message lists what is accepted",
                  "content": {"application/json": {"example": {
                      "error": "bad-input", "status": 400, "input": "employment_rate",
                      "message": "employment_rate: '3' is out of range; accepted: a fraction from 0 to 1 ...",
                      "accepted": "a fraction from 0 to 1 ..."}}}},  # fmt: skip
            413: {"model": ErrorBody, "description": "The request is too large"},
            503: {"model": ErrorBody, "description": "Busy, or the store is unreachable; retry after Retry-After"},
            504: {"model": ErrorBody, "description": "The query took too long"},
        },
        openapi_extra={"parameters": openapi_parameters(evaluator.vocabulary)},
    )
    async def eligibility(request: Request) -> Response:
        raw: dict[str, str] = {}
        for name, value in request.query_params.multi_items():
            if name in raw and raw[name] != value:
                raise InputError(name, "is given more than once with different values", "one value")
            raw[name] = value
        inputs = parse_inputs(evaluator.vocabulary, raw, request.headers.get("accept-language"))
        # The engine's answer cache (one per data version) keeps the JSON by checked inputs (date included):
        # a question asked before costs no binding and no query.
        # A revalidation is answered before any query.
        etag = _etag(request, inputs)
        if (early := not_modified(request, etag)) is not None:
            return early
        cache, key = request.app.state.engine.cache, ("/eligibility", inputs.key())
        if (kept := cache.get(key)) is not None:
            body = kept[1]
        else:
            answer = await evaluator.answer_async(inputs)
            answer["release"] = getattr(request.app.state, "release", None)  # the data release (history/)
            body = orjson.dumps(answer)  # a tenth of json.dumps' time for an answer of 20-30 KB
            cache.put(key, etag, body)
        return _response(body, etag)
