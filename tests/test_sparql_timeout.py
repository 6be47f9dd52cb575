"""A query past --query-timeout is really stopped (its worker is killed), while the server keeps answering."""

from __future__ import annotations

import os
from pathlib import Path
import threading
import time

import httpx
import pytest

from inclusion_kg.errors import QueryTimeoutError

TIMEOUT = 2.5  # seconds; long enough that a blocked light request would be seen
VALUES = " ".join(str(i) for i in range(100))
HEAVY = (  # 10^10 rows to count: minutes of CPU
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{i} {{ {VALUES} }}" for i in range(5))
    + " }"
)


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def slow(make_app, start_server):
    app = make_app(query_timeout=TIMEOUT, query_workers=2)
    return app, start_server(app)


def wait_for_workers(pool, count: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while len(pool.pids()) < count:
        assert time.monotonic() < deadline, "the killed worker was not replaced"
        time.sleep(0.05)


def test_runaway_query_is_killed_and_answered_504_while_others_are_served(slow):
    app, url = slow
    pool = app.state.engine.pool
    wait_for_workers(pool, 2)
    before = set(pool.pids())
    outcome = {}

    def heavy():
        started = time.monotonic()
        response = httpx.post(f"{url}/sparql", data={"query": HEAVY}, timeout=30)
        outcome.update(status=response.status_code, text=response.text, seconds=time.monotonic() - started)

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.3)
    for i in range(5):  # the event loop and the other worker keep answering during the heavy query
        started = time.monotonic()
        assert httpx.get(f"{url}/health", timeout=5).status_code == 200
        light = httpx.get(f"{url}/sparql", params={"query": f"SELECT ({i} AS ?i) {{}}"}, timeout=5)
        assert light.status_code == 200 and time.monotonic() - started < 1.0
    thread.join(30)
    assert outcome["status"] == 504
    assert "timed out" in outcome["text"]
    assert TIMEOUT - 0.1 < outcome["seconds"] < TIMEOUT + 2
    killed = before - set(pool.pids())
    assert len(killed) == 1
    assert not alive(killed.pop())  # the process is gone: it no longer uses any CPU
    wait_for_workers(pool, 2)
    usage = {pid: cpu_seconds(pid) for pid in pool.pids()}
    time.sleep(0.5)
    assert sum(cpu_seconds(pid) - used for pid, used in usage.items()) < 0.2  # nothing is still running
    assert httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5).json()["boolean"] is True


def test_engine_raises_query_timeout_error_for_direct_callers(slow):
    app, _ = slow
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="timed out"):
        app.state.engine.execute(HEAVY.replace("?n", "?m"), "application/sparql-results+json")
    assert time.monotonic() - started < TIMEOUT + 2


def test_when_every_worker_is_busy_a_query_waits_then_gets_503(slow):
    app, url = slow
    pool = app.state.engine.pool
    wait_for_workers(pool, 2)
    results = []

    def heavy(i):
        response = httpx.post(f"{url}/sparql", data={"query": HEAVY.replace("?n", f"?n{i}")}, timeout=30)
        results.append(response.status_code)

    threads = [threading.Thread(target=heavy, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join(30)
    assert sorted(results) in ([503, 504, 504], [504, 504, 504])
    assert httpx.get(f"{url}/health", timeout=5).status_code == 200


def test_a_replacement_that_cannot_start_is_retried_and_health_says_so(make_app):
    """A real fault: the killed worker's replacement cannot open the store (its dump is gone); the pool keeps
    trying, /health reports it degraded meanwhile, and serves again once the store can be opened."""
    from fastapi.testclient import TestClient

    app = make_app(query_timeout=1.0, query_workers=1)
    dump = Path(app.state.store.spec.dump)
    hidden = dump.with_suffix(".hidden")
    with TestClient(app) as client:
        assert client.get("/health").json()["query_workers"]["ready"] == 1
        dump.rename(hidden)
        try:
            assert client.post("/sparql", data={"query": HEAVY}).status_code == 504
            deadline = time.monotonic() + 30
            while (health := client.get("/health").json())["query_workers"]["restart_failures"] < 1:
                assert time.monotonic() < deadline, health
                time.sleep(0.1)
            assert health["status"] == "degraded" and health["query_workers"]["ready"] == 0
        finally:
            hidden.rename(dump)
        deadline = time.monotonic() + 60
        while (health := client.get("/health").json())["status"] != "ok":
            assert time.monotonic() < deadline, health
            time.sleep(0.2)
        assert health["query_workers"]["ready"] == 1
        answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"accept": "application/json"})
        assert answer.json()["boolean"] is True
