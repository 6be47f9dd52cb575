"""Pipelined jobs (WorkerPool.run_async): every caller gets its own answer, and a killed worker loses none."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from inclusion_kg.errors import QueryTimeoutError, ServiceBusyError
from inclusion_kg.sparql.pool import PIPELINE_HEAD_AGE

JSON = "application/sparql-results+json"
TIMEOUT = 2.0
VALUES = " ".join(str(i) for i in range(100))
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {VALUES} }}" for i in range(5)) + " }"


def numbered(i: int) -> str:
    """A query of its own (no cache hit) whose answer names it."""
    return f"SELECT ?n WHERE {{ BIND({i} AS ?n) }} # {time.monotonic_ns()}"


def answer_number(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def one_worker(make_app):
    app = make_app(query_timeout=TIMEOUT, query_workers=1)
    yield app.state.engine
    app.state.engine.close()


@pytest.fixture(scope="module")
def two_workers(make_app):
    app = make_app(query_workers=2)
    yield app.state.engine
    app.state.engine.close()


def test_concurrent_callers_each_get_their_own_answer(two_workers):
    deepest = 0

    async def main():
        nonlocal deepest
        pool = two_workers.pool

        async def watch():  # how many jobs were queued on one worker at once
            nonlocal deepest
            while True:
                deepest = max([deepest, *(len(w.queue) for w in list(pool._all))])
                await asyncio.sleep(0)

        watcher = asyncio.create_task(watch())
        bodies = await asyncio.gather(*(two_workers.execute_async(numbered(i), JSON) for i in range(200)))
        watcher.cancel()
        return bodies

    bodies = asyncio.run(main())
    assert [answer_number(body) for body in bodies] == list(range(200))
    assert deepest > 1  # they were pipelined, not only handed out one per idle worker


def test_jobs_queued_behind_a_runaway_are_answered_by_the_replacement_worker(one_worker):
    pool = one_worker.pool
    kills = pool.kills

    async def main():
        runaway = asyncio.ensure_future(one_worker.execute_async(RUNAWAY, JSON))
        await asyncio.sleep(0)  # the runaway is the worker's head job, just started
        queued = [asyncio.ensure_future(one_worker.execute_async(numbered(i), JSON)) for i in range(5)]
        await asyncio.sleep(PIPELINE_HEAD_AGE / 4)
        depth = max(len(w.queue) for w in pool._all)
        results = await asyncio.gather(runaway, *queued, return_exceptions=True)
        return depth, results

    started = time.monotonic()
    depth, (runaway, *answers) = asyncio.run(main())
    assert depth == 6  # the five were queued behind the runaway on the only worker
    assert isinstance(runaway, QueryTimeoutError) and "timed out" in runaway.message
    assert [answer_number(body) for body in answers] == list(range(5))  # none lost, none mixed up
    assert pool.kills == kills + 1
    assert time.monotonic() - started < TIMEOUT + 30


def test_a_caller_that_goes_away_while_queued_is_dropped_and_the_others_answered(one_worker):
    async def main():
        first = asyncio.ensure_future(one_worker.execute_async(numbered(0), JSON))
        await asyncio.sleep(0)
        gone = asyncio.ensure_future(one_worker.execute_async(numbered(1), JSON))
        last = asyncio.ensure_future(one_worker.execute_async(numbered(2), JSON))
        await asyncio.sleep(0)
        gone.cancel()
        return await asyncio.gather(first, gone, last, return_exceptions=True)

    kills = one_worker.pool.kills
    first, gone, last = asyncio.run(main())
    assert isinstance(gone, asyncio.CancelledError)
    assert (answer_number(first), answer_number(last)) == (0, 2)
    assert one_worker.pool.kills == kills  # a queued job is dropped, its worker is not killed


def test_an_old_query_is_not_queued_behind(one_worker):
    """A worker whose current query is older than PIPELINE_HEAD_AGE takes no more jobs: callers wait for a
    free worker instead (and get 503 if none frees up in time), never stuck behind a long query."""

    async def main():
        runaway = asyncio.ensure_future(one_worker.execute_async(RUNAWAY.replace("?n", "?m"), JSON))
        await asyncio.sleep(PIPELINE_HEAD_AGE * 5)
        later = asyncio.ensure_future(one_worker.execute_async(numbered(7), JSON))
        await asyncio.sleep(PIPELINE_HEAD_AGE)
        depth = max(len(w.queue) for w in one_worker.pool._all)
        results = await asyncio.gather(runaway, later, return_exceptions=True)
        return depth, results

    depth, (runaway, later) = asyncio.run(main())
    assert depth == 1
    assert isinstance(runaway, QueryTimeoutError)
    # it waited for a free worker: the replacement's answer, or 503 when that takes longer than the deadline
    assert isinstance(later, ServiceBusyError) or answer_number(later) == 7
