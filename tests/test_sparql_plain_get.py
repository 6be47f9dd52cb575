"""The plain GET /sparql?query=... is answered in front of the middleware stack (sparql/plain_get.py): the
same answers, headers and errors as the stack gives, which still answers everything else."""

from __future__ import annotations

import pytest

from inclusion_kg.sparql import plain_get

QUERY = "SELECT ?s WHERE { ?s a <http://www.w3.org/2004/02/skos/core#ConceptScheme> } ORDER BY ?s LIMIT 3"
CONSTRUCT = "CONSTRUCT WHERE { ?s a <http://www.w3.org/2004/02/skos/core#ConceptScheme> }"


@pytest.fixture
def answered_in_front(monkeypatch):
    """The plain GETs that PlainGet answered itself (True) or passed down the stack (False)."""
    seen = []
    real = plain_get.PlainGet._answered

    async def spy(self, *args):
        done = await real(self, *args)
        seen.append(done)
        return done

    monkeypatch.setattr(plain_get.PlainGet, "_answered", spy)
    return seen


def comparable(response) -> dict:
    return {name: value for name, value in response.headers.items() if name != "date"}


@pytest.mark.parametrize(
    "query, accept",
    [(QUERY, "application/sparql-results+json"), (QUERY, "text/csv"), (QUERY, "application/sparql-results+xml"),
     (CONSTRUCT, "text/turtle"), (CONSTRUCT, "application/n-triples"), ("ASK { ?s ?p ?o }", "*/*")],
)  # fmt: skip
def test_same_answer_and_headers_as_the_stack(client, answered_in_front, query, accept):
    # A unique comment makes each request a new query text: neither answer comes from a cache.
    plain = client.get("/sparql", params={"query": query + "\n# plain"}, headers={"accept": accept})
    # An empty default-graph-uri list is the same dataset; an unknown parameter sends it down the stack.
    stack = client.get("/sparql", params={"query": query + "\n# stack", "extra": "1"}, headers={"accept": accept})
    assert answered_in_front == [True, False]
    assert plain.status_code == stack.status_code == 200
    assert plain.content == stack.content
    plain_headers, stack_headers = comparable(plain), comparable(stack)
    assert plain_headers.pop("etag") != stack_headers.pop("etag")  # two query texts, two answers
    assert plain_headers == stack_headers


def test_cached_answers_are_replayed(client, answered_in_front):
    query = QUERY + "\n# replayed"
    first = client.get("/sparql", params={"query": query})
    again = client.get("/sparql", params={"query": query})
    assert answered_in_front == [True, True] and first.content == again.content
    assert again.headers["etag"] == first.headers["etag"]


@pytest.mark.parametrize(
    "params, headers, status",
    [({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, {}, 403),  # refused unrun
     ({"query": QUERY}, {"accept": "image/png"}, 406),
     ({"query": QUERY, "format": "html"}, {}, 200),  # an HTML page: the stack draws it
     ({"query": QUERY}, {"origin": "https://notebook.example"}, 200),  # CORS: the stack's middleware
     ({"query": QUERY, "update": "CLEAR ALL"}, {}, 403)],
)  # fmt: skip
def test_everything_else_goes_down_the_stack(client, answered_in_front, params, headers, status):
    response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == status
    assert True not in answered_in_front  # looked at and passed down, or not even looked at (Origin)
    if "origin" in headers:
        assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    "query, status, words",
    [("SELECT * WHERE { ?s ?p }", 400, "1:"),  # the parser's message and position, from the worker
     ("SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 20000", 422, "LIMIT")],  # more rows than --max-rows
)  # fmt: skip
def test_an_error_once_the_query_ran_is_answered_in_front(client, answered_in_front, query, status, words):
    response = client.get("/sparql", params={"query": query}, headers={"accept": "application/json"})
    assert answered_in_front == [True]
    assert response.status_code == status and words in response.json()["message"]


def test_it_takes_a_slot_at_the_concurrency_gate(client, app, answered_in_front):
    limiter = app.state.limiter
    admitted = limiter.stats.admitted
    assert client.get("/sparql", params={"query": QUERY + "\n# gate"}).status_code == 200
    assert answered_in_front == [True] and limiter.stats.admitted == admitted + 1 and limiter.active == 0


def test_replay_front_answers_kept_answers_before_the_app(app):
    """What `serve` runs: kept answers come back from `ReplayFront` without entering the app at all."""
    from fastapi.testclient import TestClient

    from inclusion_kg.sparql.fastpath import ReplayFront

    entered = []

    async def counted(scope, receive, send):
        entered.append(scope["type"])
        await app(scope, receive, send)

    front = TestClient(ReplayFront(counted, lambda: app.state.response_cache))
    params = {"query": QUERY + "\n# front"}
    first = front.get("/sparql", params=params, headers={"accept": "text/csv"})
    again = front.get("/sparql", params=params, headers={"accept": "text/csv"})
    other_accept = front.get("/sparql", params=params, headers={"accept": "application/sparql-results+json"})
    with_origin = front.get("/sparql", params=params, headers={"accept": "text/csv", "origin": "https://a.example"})
    assert entered == ["http", "http", "http"]  # the second request was replayed in front
    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"] and again.headers["vary"] == "Accept, Origin"
    assert other_accept.headers["content-type"].startswith("application/sparql-results+json")
    assert with_origin.headers["access-control-allow-origin"] == "*" and with_origin.content == first.content


def test_a_503_answered_in_front_says_when_to_come_back(client, app, answered_in_front, monkeypatch):
    """Every 503 carries Retry-After (limits.py); the stack's limits middleware is behind the plain GET."""
    from inclusion_kg.errors import ServiceBusyError

    async def busy(*args, **kwargs):
        raise ServiceBusyError("every query worker stayed busy for 10 s; try again in a moment")

    monkeypatch.setattr(app.state.engine, "execute_async", busy)
    response = client.get("/sparql", params={"query": QUERY + "\n# busy"})
    assert answered_in_front == [True]
    assert response.status_code == 503 and response.headers["retry-after"] == str(app.state.limiter.retry_after)
