"""The eligibility and named-query tests, unchanged, against each remote store: Oxigraph's server, Virtuoso.

The test functions are imported from their modules (every one that asks for `client`, `select`,
`evaluator` or `catalog`), and this module's fixtures of those names give them an app whose `--store` is a
throwaway store started by the `remote_store` fixture (tests/conftest.py). Pytest collects them here a
second time, once per backend, e.g. `test_edges[virtuoso-...]`.
"""

from __future__ import annotations

import inspect

import pytest
from fastapi.testclient import TestClient

import test_eligibility_brochure
import test_eligibility_http
import test_eligibility_lookup
import test_eligibility_truth_table
import test_named_queries
from inclusion_kg import eligibility
from inclusion_kg.named_queries.catalog import Catalog
from inclusion_kg.named_queries.results import engine_select
from test_eligibility_fixtures import QUERIES, store  # noqa: F401 (fixture: the local store some tests compare with)

BACKENDS = ["oxigraph", "virtuoso"]
REMOTE_FIXTURES = {"client", "select", "evaluator", "catalog"}

for _module in (test_eligibility_http, test_eligibility_brochure, test_eligibility_truth_table, test_named_queries,
                test_eligibility_lookup):
    for _name, _function in inspect.getmembers(_module, inspect.isfunction):
        if _name.startswith("test_") and REMOTE_FIXTURES & set(inspect.signature(_function).parameters):
            globals()[_name] = _function


@pytest.fixture
def grid_size() -> int:
    """Questions per region of test_eligibility_lookup's grid (with every combination of the guarded inputs
    left out): the machine is shared, and Virtuoso compiles each new question's query anew."""
    return 6


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, remote_store, make_app):
    """(kind, app) for each remote store; the app and its look-ups are built once per backend."""
    started = remote_store(request.param)
    return request.param, make_app(store=started.store)


@pytest.fixture(scope="session")
def _answers():
    return {}


@pytest.fixture
def client(backend):
    return TestClient(backend[1])


@pytest.fixture
def select(backend):
    return engine_select(backend[1].state.engine)


@pytest.fixture
def evaluator(backend, select, _answers):
    if backend[0] not in _answers:
        _answers[backend[0]] = eligibility.build(select, QUERIES)
    return _answers[backend[0]]


@pytest.fixture
def catalog(select, evaluator) -> Catalog:
    return Catalog(QUERIES, select, eligibility.enumerations(evaluator.vocabulary))


def test_the_remote_app_really_uses_the_store(backend):
    from inclusion_kg.remote.backend import RemoteBackend

    assert isinstance(backend[1].state.engine.backend, RemoteBackend)
