"""Fixtures of the eligibility and named-query tests: the project's data in an in-process Oxigraph store.

Imported by tests/test_eligibility*.py and tests/test_named_queries*.py (`from test_eligibility_fixtures
import ...`); kept out of conftest.py, which is shared. It holds no test itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusion_kg import eligibility
from inclusion_kg.graph import load_graph, project_root
from inclusion_kg.named_queries.catalog import Catalog
from inclusion_kg.named_queries.results import store_from_graph, store_select

QUERIES = project_root() / "queries"


@pytest.fixture(scope="session")
def store():
    return store_from_graph(load_graph(validate=False))


@pytest.fixture(scope="session")
def select(store):
    return store_select(store)


@pytest.fixture(scope="session")
def evaluator(select):
    return eligibility.build(select, QUERIES)


@pytest.fixture(scope="session")
def catalog(select, evaluator) -> Catalog:
    return Catalog(QUERIES, select, eligibility.enumerations(evaluator.vocabulary))


def queries_folder() -> Path:
    return QUERIES
