"""schemathesis over our own OpenAPI document, in-process (ASGI): no 5xx, and answers that conform.

Every operation of /openapi.json (/sparql, /queries/..., /eligibility, /id/..., /dumps/..., ...) gets
generated and mutated parameters; the app must never answer 5xx (a deliberate 503/504 would carry a
message, but none is expected from these cheap operations), and every answer must match its declared schema where the document
declares one. Bounded and derandomized: the same cases on every run.
"""

from __future__ import annotations

import atexit

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from inclusion_kg.app import create_app
from inclusion_kg.settings import Settings

# Built at collection (schemathesis reads the document then); one query worker is enough for cheap calls.
APP = create_app(Settings(query_workers=1, query_timeout=5))
atexit.register(APP.state.engine.close)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_and_errors_say_why(case):
    # content_type_conformance is left out: the document does not declare the media types of every error
    # answer (text/plain, HTML by Accept) for 8 operations; see docs/security.md.
    response = case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
    if response.status_code >= 400:
        assert response.text.strip(), f"{response.status_code} without a message"
