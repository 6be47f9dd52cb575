"""Faults: large answers through the event loop's pipe, the data going bad on reload, the store going away.

See docs/reliability.md (what the server does on each fault) and docs/security.md.
"""

from __future__ import annotations

import threading

import httpx


def test_large_answers_under_concurrency_never_fail_half_read(live_server):
    """Regression (soak): the event loop made the worker pipe non-blocking, so an answer larger than the pipe
    buffer failed half-read with 'the query worker stopped unexpectedly (BlockingIOError)', a 500."""
    statuses = []

    def ask(i):
        for j in range(4):
            query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(?o != {i * 100 + j}) }} LIMIT 4000"
            response = httpx.post(f"{live_server}/sparql", data={"query": query}, timeout=60,
                                  headers={"accept": "application/sparql-results+json"})
            statuses.append((response.status_code, response.text[:200] if response.status_code != 200 else ""))

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [s for s in statuses if s[0] != 200] == []
    assert len(statuses) == 24
