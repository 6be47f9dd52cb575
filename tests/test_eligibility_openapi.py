"""The typed contract of GET /eligibility: schemathesis generates questions from /openapi.json and checks
every answer (200 and errors) against the JSON Schemas the route declares (models.py); the statuses the
models allow are those of the SKOS scheme in the data, with a label in each language."""

from __future__ import annotations

import atexit
import typing

import schemathesis
from hypothesis import HealthCheck, settings
from rdflib import Literal, URIRef
from schemathesis.checks import not_a_server_error, response_schema_conformance

from inclusion_kg.app import create_app
from inclusion_kg.eligibility.models import ConditionStatus, MeasureStatus
from inclusion_kg.eligibility.vocabulary import LANGUAGES, STATUS_SCHEME
from inclusion_kg.graph import load_graph
from inclusion_kg.namespaces import DCTERMS, SKOS
from inclusion_kg.settings import Settings

APP = create_app(Settings(query_workers=1, query_timeout=5))
atexit.register(APP.state.engine.close)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(path="/eligibility")


@schema.parametrize()
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_eligibility_answers_conform_to_their_declared_schemas(case):
    response = case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
    if response.status_code >= 400:
        assert response.text.strip(), f"{response.status_code} without a message"


def test_the_statuses_are_the_skos_scheme_with_a_label_in_every_language():
    graph = load_graph(validate=False)
    concepts = set(graph.subjects(SKOS.inScheme, URIRef(STATUS_SCHEME)))
    identifiers = {str(graph.value(concept, DCTERMS.identifier)) for concept in concepts}
    assert identifiers == set(typing.get_args(MeasureStatus)) | set(typing.get_args(ConditionStatus))
    for concept in concepts:
        languages = {label.language for label in graph.objects(concept, SKOS.prefLabel) if isinstance(label, Literal)}
        assert languages == set(LANGUAGES), concept
