"""A pyoxigraph result is consumed in the thread that made it: one consumed elsewhere aborts the process.

Every kind of answer and refusal is asked of `inclusion-kg serve` itself, concurrently: a code path that
handed a result object to another thread would kill an HTTP worker (its pid would change, requests would
fail). And the engine only ever hands bytes (or an exception without its traceback) out of its threads.
"""

from __future__ import annotations

import itertools
import threading

import httpx
import psutil
import pytest

from inclusion_kg.sparql.backend import NO_DATASET

FORMS = {
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50": ("json", "xml", "csv", "tsv", "html"),
    "ASK { ?s ?p ?o }": ("json", "xml", "csv", "tsv", "html"),
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 50": ("turtle", "nt", "jsonld", "rdfxml", "nquads", "trig", "html"),
    "DESCRIBE <https://w3id.org/inclusion-kg/id/agency/vdab>": ("turtle", "nt", "jsonld"),
    "SELECT * WHERE { ?s ?p ?o }": ("json", "csv"),  # over the row limit: refused while being written
    "CONSTRUCT WHERE { ?s ?p ?o }": ("turtle",),  # over the row limit
    "SELECT * WHERE { ?s ?p }": ("json",),  # a syntax error
}


def test_no_answer_or_refusal_kills_a_worker(serve_cli):
    served = serve_cli("--workers", "2", "--max-rows", "1000")
    before = {p.pid for p in psutil.Process(served.process.pid).children()}
    statuses = []
    counter = itertools.count()

    def ask(query: str, fmt: str) -> None:
        with httpx.Client(timeout=30) as http:
            for _ in range(3):
                text = f"{query} # {next(counter)}"  # new each time: evaluated, never from the cache
                statuses.append(http.get(served.url + "/sparql", params={"query": text, "format": fmt}).status_code)

    threads = [threading.Thread(target=ask, args=(q, f)) for q, formats in FORMS.items() for f in formats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert set(statuses) == {200, 400, 422} and len(statuses) == 3 * sum(len(f) for f in FORMS.values())
    assert {p.pid for p in psutil.Process(served.process.pid).children()} == before


@pytest.mark.parametrize("query, media_type", [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 3", "application/sparql-results+json"),
    ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3", "text/turtle"),
    ("SELECT * WHERE { ?s ?p }", "application/sparql-results+json"),
    ("SELECT * WHERE { ?s ?p ?o }", "text/csv"),
])
def test_only_bytes_or_a_bare_exception_leave_an_evaluation_thread(app, query, media_type):
    engine = app.state.engine
    key = (query, media_type, NO_DATASET)
    future = engine._executor().submit(engine._run, [], *key)
    try:
        assert type(future.result(30)) is bytes
    except Exception as error:  # noqa: BLE001 - a refusal: no frame (and so no result object) comes with it
        assert error.__traceback__ is None or all(
            "result" not in frame.f_locals for frame, _ in _frames(error.__traceback__))
        assert error.__context__ is None and error.__cause__ is None


def _frames(traceback):
    while traceback is not None:
        yield traceback.tb_frame, traceback.tb_lineno
        traceback = traceback.tb_next
