"""A query past --query-timeout is answered 504 at once and really stopped: the HTTP worker that ran it is
replaced (server.py), while the server keeps answering every other request. Against `inclusion-kg serve`
itself, over --data of 100k triples."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import httpx
import psutil
import pytest

TIMEOUT = 2.0  # seconds
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # 10^10 pairs over --data: minutes of CPU
LIGHT = "SELECT ?s WHERE {{ ?s a ?type }} LIMIT {limit}"
JSON = {"accept": "application/sparql-results+json"}
OVERSIZE = b"x" * (2 << 20)  # over the 1 MiB body limit
QUERY_BODY = {"content-type": "application/sparql-query"}


@pytest.fixture(scope="module")
def big_data(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.nt"
    with path.open("w") as out:
        for i in range(100_000):
            out.write(f"<urn:x:s{i % 5000}> <urn:x:p{i % 7}> \"{i}\" .\n")
    return path


@pytest.fixture(scope="module")
def served(serve_cli, big_data):
    return serve_cli("--workers", "2", "--query-timeout", str(TIMEOUT), "--data", str(big_data))


def server_cpu(served) -> float:
    """CPU seconds used so far by the supervisor and all its HTTP workers (dead ones are gone from the sum)."""
    processes = [psutil.Process(served.process.pid)]
    processes += processes[0].children(recursive=True)
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def workers(served) -> set[int]:
    return {p.pid for p in psutil.Process(served.process.pid).children()}


def runaway(url: str, i: int, outcome: list) -> None:
    started = time.monotonic()
    response = httpx.post(f"{url}/sparql", data={"query": RUNAWAY + f" # {i}"}, headers=JSON, timeout=60)
    outcome.append((response.status_code, response.text, time.monotonic() - started, response.headers))


@pytest.mark.parametrize("runaways", [1, 4])
def test_runaways_get_504_in_time_while_everything_else_is_answered(served, runaways):
    url = served.url
    before = workers(served)
    outcome: list = []
    threads = [threading.Thread(target=runaway, args=(url, i, outcome)) for i in range(runaways)]
    for thread in threads:
        thread.start()
    light: list = []
    stop = threading.Event()

    def ordinary(client_number: int) -> None:  # kept-alive connections, as real clients keep them
        with httpx.Client(timeout=30) as http:
            n = 0
            while not stop.is_set():
                n += 1
                query = LIGHT.format(limit=client_number * 1000 + n)  # every question new: evaluated
                try:
                    light.append(http.get(f"{url}/sparql", params={"query": query}, headers=JSON).status_code)
                except httpx.HTTPError as error:
                    light.append(repr(error))

    clients = [threading.Thread(target=ordinary, args=(c,)) for c in range(8)]
    for client in clients:
        client.start()
    health_times = []
    while any(thread.is_alive() for thread in threads):
        started = time.monotonic()
        assert httpx.get(f"{url}/health", timeout=5).status_code == 200
        health_times.append(time.monotonic() - started)
        time.sleep(0.2)
    ended = time.monotonic()
    time.sleep(0.5)  # ordinary queries go on while the workers that held runaways retire
    stop.set()
    for client in clients:
        client.join(30)
    assert len(outcome) == runaways
    for status, text, seconds, _ in outcome:
        assert status == 504 and "timed out" in text and f"{TIMEOUT:g} s" in text
        assert TIMEOUT - 0.1 < seconds < TIMEOUT + 1, outcome
    assert max(health_times) < 1.0, health_times
    assert len(light) > 50 and set(light) == {200}, [s for s in light if s != 200][:5]
    assert before - workers(served), "no worker was replaced"
    time.sleep(max(0.0, ended + 1.5 - time.monotonic()))
    used = server_cpu(served)  # from 1.5 s to 2 s after the last 504: idle, no runaway left evaluating
    time.sleep(0.5)
    assert server_cpu(served) - used < 0.1
    assert len(workers(served)) == 2


def test_uploads_refused_while_workers_retire_get_their_413(served):
    """A body over the limit is refused (413) as it arrives; on a retiring worker the connection then closes,
    which must not reset it before the client has read the answer."""
    outcome: list = []

    async def scenario() -> None:
        stop = asyncio.Event()

        async def uploader(http: httpx.AsyncClient) -> None:  # kept-alive, pooled connections
            while not stop.is_set():
                try:
                    outcome.append((await http.post("/sparql", content=OVERSIZE, headers=QUERY_BODY)).status_code)
                except httpx.HTTPError as error:
                    outcome.append(repr(error))

        async with httpx.AsyncClient(base_url=served.url, timeout=30) as http:
            uploads = [asyncio.create_task(uploader(http)) for _ in range(8)]
            for i in range(3):  # three runaways, one after the other: three workers retire
                await asyncio.to_thread(runaway, served.url, 100 + i, [])
            stop.set()
            await asyncio.gather(*uploads)

    asyncio.run(scenario())
    assert len(outcome) > 50 and set(outcome) == {413}, [s for s in outcome if s != 413][:5]


def test_a_worker_that_dies_is_replaced(served):
    victim = next(iter(workers(served)))
    os.kill(victim, 9)
    deadline = time.monotonic() + 5
    while (victim in workers(served) or len(workers(served)) < 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert victim not in workers(served) and len(workers(served)) == 2
    for i in range(10):
        with httpx.Client() as http:  # new connections: whichever worker accepts
            assert http.get(f"{served.url}/sparql", params={"query": f"ASK {{ FILTER({i} >= 0) }}"},
                            headers=JSON).json()["boolean"] is True


def test_direct_callers_of_the_engine_get_query_timeout_error(make_app):
    """In a process that is not served (a script, these tests), the deadline still answers: 504 at once."""
    from inclusion_kg.errors import QueryTimeoutError

    app = make_app(query_timeout=0.3)
    engine = app.state.engine
    stopped = []
    engine.on_runaway = lambda: stopped.append(True)
    started = time.monotonic()
    quick_runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # about 1 s over our graph
    with pytest.raises(QueryTimeoutError, match="timed out"):
        engine.execute(quick_runaway, "application/sparql-results+json")
    assert time.monotonic() - started < 0.8 and stopped == [True]


def test_when_every_query_thread_is_busy_a_query_waits_then_gets_503(serve_cli, big_data):
    served = serve_cli("--workers", "1", "--query-workers", "1", "--query-timeout", str(TIMEOUT),
                       "--data", str(big_data), "--retry-after", "9")
    outcome: list = []
    threads = [threading.Thread(target=runaway, args=(served.url, i, outcome)) for i in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.3)
    for thread in threads:
        thread.join(30)
    assert sorted(status for status, *_ in outcome) == [503, 504], outcome
    busy = next(headers for status, *_, headers in outcome if status == 503)
    assert busy["retry-after"] == "9"  # as the limits' own 503: when to come back
    assert httpx.get(f"{served.url}/health", timeout=5).status_code == 200
    served.stop()
    assert os.getpid()  # the server and its workers are gone with it
