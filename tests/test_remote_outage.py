"""The remote store goes away and comes back: clear 503s with Retry-After meanwhile, /health says the store is
down, and answers recover by themselves when it is back (same port, same location), without a restart."""

from __future__ import annotations

import itertools
import subprocess
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

import stores as servers

JSON = {"Accept": "application/json"}
FRESH = itertools.count(1)  # every question is new: never answered from a cache


def sparql(client):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {next(FRESH)}"
    return client.get("/sparql", params={"query": query}, headers=JSON)


def eligibility(client):
    params = {"region": "brussels", "contract": "employment", "employment_rate": f"0.{next(FRESH):06d}"}
    return client.get("/eligibility", params=params, headers=JSON)


def restart(started: servers.StoreProcess) -> subprocess.Popen:
    """`oxigraph serve` again on the port and the folder of `started`."""
    port = urlsplit(started.query_url).port
    command = [servers.oxigraph_binary() or "oxigraph", "serve", "--location", str(started.folder / "db"),
               "--bind", f"127.0.0.1:{port}", "--timeout-s", "5"]
    process = subprocess.Popen(command, stdout=started.log.open("ab"), stderr=subprocess.STDOUT)
    servers._wait_http(started.query_url, process, started.log)
    return process


@pytest.fixture
def store(tmp_path):
    reason = servers.missing("oxigraph")
    if reason:
        pytest.skip(reason)
    started = servers.start_published("oxigraph", tmp_path / "oxigraph")
    yield started
    started.stop()


def test_store_outage_answers_503_then_recovers(store, make_app):
    client = TestClient(make_app(store=store.store, retry_after=7))
    assert sparql(client).status_code == 200 and eligibility(client).status_code == 200
    assert client.get("/health").json()["store"] == {"status": "up"}

    store.stop()
    for answer in (sparql(client), eligibility(client)):
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == "7"
        assert answer.json()["error"] == "store-unreachable"
        assert "cannot be reached" in answer.json()["message"] and store.query_url in answer.json()["message"]
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded" and health.json()["store"]["status"] == "down"
    assert "cannot be reached" in health.json()["store"]["message"]
    page = client.get("/id/agency/vdab", headers={"Accept": "text/turtle"})  # pages read the store too
    assert page.status_code == 503 and page.headers["retry-after"] == "7" and "cannot be reached" in page.text

    store.process = restart(store)  # the same port and folder: our server is not restarted
    assert sparql(client).status_code == 200
    answer = eligibility(client)
    assert answer.status_code == 200 and answer.json()
    health = client.get("/health")  # what the last query saw (or a look at the store, once a second)
    assert health.json()["status"] == "ok" and health.json()["store"] == {"status": "up"}
