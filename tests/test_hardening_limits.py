"""Request limits (limits.py): URL and body size, a bounded queue then 503 + Retry-After, the serve options.

The query-size (413), row (422) and timeout (504) limits of the engine are proven in test_sparql_*.py;
here: what the middleware adds in front of every route, and that it is configurable from the command line.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import httpx
import pytest

from inclusion_kg.cli import build_parser
from inclusion_kg.limits import Limiter, RequestLimits

VALUES = " ".join(str(i) for i in range(100))
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {VALUES} }}" for i in range(5)) + " }"

SMALL = "SELECT (1 AS ?x) {}"


def test_a_declared_body_over_the_limit_gets_413_before_it_is_read(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1 << 20)
    response = client.post("/sparql", content=big.encode(), headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert "larger than" in response.text
    response = client.post("/eligibility", content=b"x" * (2 << 20), headers={"accept": "application/json"})
    assert response.status_code == 413 and response.json()["message"]


def test_a_chunked_body_over_the_limit_gets_413(client):
    def chunks():
        for _ in range(20):
            yield b"x" * 100_000

    response = client.post("/queries/measures-by-region", content=chunks(), headers={"content-type": FORM})
    assert response.status_code == 413 and "larger than" in response.text


def test_a_body_within_the_limit_reaches_the_app_unchanged(client):
    def chunks():
        yield b"query=SELECT%20%28"
        yield b"7%20AS%20%3Fx%29%20%7B%7D"

    response = client.post("/sparql", content=chunks(), headers={"content-type": FORM})
    assert response.status_code == 200 and response.json()["results"]["bindings"][0]["x"]["value"] == "7"


def test_a_bad_content_length_is_refused(client):
    response = client.post("/sparql", content=b"query=x", headers={"content-type": FORM, "content-length": "-1"})
    assert response.status_code in (400, 413)


def call(middleware, path: str, query: bytes = b"", headers=()) -> list[dict]:
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": query,
             "headers": list(headers)}
    asyncio.run(middleware(scope, receive, send))
    return sent


async def ok_app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_an_overlong_url_gets_414_with_a_message():
    middleware = RequestLimits(ok_app, Limiter(), max_url_bytes=1000)
    sent = call(middleware, "/sparql", b"query=" + b"x" * 1000, [(b"accept", b"application/json")])
    assert sent[0]["status"] == 414 and b"POST the query" in sent[1]["body"]
    assert call(middleware, "/sparql", b"query=x")[0]["status"] == 200


FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def narrow(serve_cli):
    """One HTTP worker, one request at a time in it, one more may wait 1 s; queries stop after 2.5 s."""
    return serve_cli("--workers", "1", "--query-timeout", "2.5", "--max-concurrent", "1", "--max-queue", "1",
                     "--queue-timeout", "1", "--retry-after", "7")


def test_past_the_queue_requests_get_503_with_retry_after_and_the_rest_keeps_working(narrow):
    url = narrow.url
    results: dict[int, httpx.Response] = {}

    def heavy(i):
        results[i] = httpx.post(f"{url}/sparql", data={"query": HEAVY.replace("?n", f"?n{i}")}, timeout=30,
                                headers={"accept": "application/json"})

    threads = [threading.Thread(target=heavy, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(0.2)
    started = time.monotonic()
    assert httpx.get(f"{url}/health", timeout=5).status_code == 200  # not a costly path: never queued
    assert time.monotonic() - started < 1.0
    for thread in threads:
        thread.join(30)
    statuses = sorted(r.status_code for r in results.values())
    assert statuses == [503, 503, 504], statuses
    for response in results.values():
        if response.status_code == 503:
            assert response.headers["retry-after"] == "7"
            assert response.json()["message"]
    assert httpx.get(f"{url}/sparql", params={"query": SMALL}, timeout=10).status_code == 200


def test_the_queue_is_first_come_first_served_and_bounded():
    async def scenario():
        limiter = Limiter(max_concurrent=1, max_queue=2, queue_timeout=5)
        assert await limiter.acquire()
        order = []

        async def waiter(name):
            if await limiter.acquire():
                order.append(name)
                await asyncio.sleep(0)
                limiter.release()
            else:
                order.append(f"{name}-refused")

        tasks = [asyncio.create_task(waiter(n)) for n in ("a", "b", "c")]
        await asyncio.sleep(0.05)
        assert order == ["c-refused"]  # the queue holds two
        limiter.release()
        await asyncio.gather(*tasks)
        assert order == ["c-refused", "a", "b"]
        assert limiter.active == 0

    asyncio.run(scenario())


def test_a_client_that_leaves_the_queue_frees_its_place():
    async def scenario():
        limiter = Limiter(max_concurrent=1, max_queue=1, queue_timeout=5)
        assert await limiter.acquire()
        task = asyncio.create_task(limiter.acquire())
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        limiter.release()
        assert limiter.active == 0 and await limiter.acquire()

    asyncio.run(scenario())


def test_serve_options_reach_the_settings():
    args = build_parser().parse_args(
        ["serve", "--max-query-bytes", "5000", "--max-body-bytes", "9000", "--max-concurrent", "3",
         "--max-queue", "4", "--queue-timeout", "1.5", "--retry-after", "2"]
    )
    defaults = build_parser().parse_args(["serve"])
    assert (args.max_query_bytes, args.max_body_bytes, args.max_concurrent, args.max_queue) == (5000, 9000, 3, 4)
    assert (args.queue_timeout, args.retry_after) == (1.5, 2)
    assert (defaults.max_concurrent, defaults.max_queue, defaults.queue_timeout) == (64, 256, 5.0)


@pytest.mark.parametrize("accept, kind", [("application/json", "application/json"), ("*/*", "text/plain")])
def test_a_url_too_long_for_the_http_parser_gets_414_with_a_message(live_server, accept, kind):
    """httptools reads request targets of at most 65,535 bytes; a longer GET query is told to POST."""
    query = "ASK {} #" + "x" * 70_000
    url = f"{live_server}/sparql?" + urllib.parse.urlencode({"query": query})  # httpx refuses such a URL
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(url, headers={"accept": accept}), timeout=30)
    text = refused.value.read().decode()
    assert refused.value.code == 414 and refused.value.headers["content-type"].startswith(kind)
    assert "65535 bytes" in text and "POST the query instead" in text
    assert httpx.post(f"{live_server}/sparql", data={"query": query}, timeout=30).json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("request_line", [
    b"GET /sparql?query=SELECT * WHERE { ?s ?p ?o } HTTP/1.1",  # a query pasted into the URL with its spaces
    "GET /sparql?query=ASK{?s?p\"café\"} HTTP/1.1".encode(),  # raw UTF-8 in the URL
    b"NOT HTTP",
])
def test_a_request_the_http_parser_refuses_gets_400_saying_how_to_send_a_query(live_server, request_line):
    port = int(live_server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as refused:
        refused.sendall(request_line + b"\r\nHost: localhost\r\n\r\n")
        answer = b""
        while chunk := refused.recv(4096):  # the server closes the connection after its answer
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert body.decode().startswith("400 bad-request: the request is not valid HTTP/1.1")
    assert b"--data-urlencode" in body and b"application/sparql-query" in body
    assert httpx.get(f"{live_server}/sparql", params={"query": "ASK { ?s ?p \"café\" }"}).status_code == 200
