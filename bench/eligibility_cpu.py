"""CPU per eligibility question in-process: the lookup, the reference, and the whole /eligibility answer.

    .venv/bin/python bench/eligibility_cpu.py [--questions 500]

`time.process_time` over distinct questions (bench/eligibility.py's, each with a unique employment rate):
- `lookup` and `reference`: pyoxigraph `Store.query` + JSON serialisation of the bound
  queries/eligibility-lookup.rq and queries/eligibility.rq, over the store the server builds (our graph and
  the compiled rules), as /eligibility runs them;
- `answer`: checking, binding, lookup and shaping (`Evaluator.answer`), without HTTP;
- `request`: GET /eligibility through the ASGI app in a loop (routing, middleware, the engine, JSON, the
  answer cache's put), without a socket.
A quick loop to iterate on the query and the Python path; bench/eligibility.py measures over HTTP with wrk.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))
from eligibility import questions  # noqa: E402  (bench/eligibility.py's 3,000 questions)

from inclusion_kg import eligibility  # noqa: E402
from inclusion_kg.graph import load_graph, project_root  # noqa: E402
from inclusion_kg.named_queries.results import store_from_graph, store_select  # noqa: E402
from inclusion_kg.namespaces import DATASET, ELIGIBILITY_RULES  # noqa: E402


def per_question(function, items) -> float:
    started = time.process_time()
    for item in items:
        function(item)
    return 1000 * (time.process_time() - started) / len(items)


async def get(app, query_string: str) -> int:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/eligibility", "raw_path": b"/eligibility", "query_string": query_string.encode(),
             "root_path": "", "headers": [(b"host", b"localhost"), (b"accept", b"application/json")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}  # fmt: skip
    status = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=500)
    args = parser.parse_args()
    asked = [{**q, "employment_rate": f"0.03{n:09d}"} for n, q in enumerate(questions()[: args.questions])]
    store = store_from_graph(load_graph(validate=False))
    evaluator = eligibility.build(store_select(store), project_root() / "queries")
    inputs = [eligibility.parse_inputs(evaluator.vocabulary, q) for q in asked]
    dataset = {"default_graph": ox.NamedNode(str(DATASET)), "named_graphs": [ox.NamedNode(str(ELIGIBILITY_RULES))]}

    def run(query: str) -> None:
        store.query(query, **dataset).serialize(format=ox.QueryResultsFormat.JSON)

    print(f"{len(asked)} distinct questions, CPU ms per question (time.process_time)")
    print(f"lookup     {per_question(run, [evaluator.query_for(i) for i in inputs]):.3f}")
    print(f"reference  {per_question(run, [evaluator.query_for(i, eligibility.QUERY_NAME) for i in inputs]):.3f}")
    print(f"answer     {per_question(evaluator.answer, inputs):.3f}")

    from inclusion_kg.app import create_app
    from inclusion_kg.settings import Settings

    app = create_app(Settings())

    async def requests() -> float:
        for q in asked[:20]:  # warm up
            assert await get(app, urlencode({**q, "employment_rate": "0.0299" + q["employment_rate"][4:]})) == 200
        started = time.process_time()
        for q in asked:
            assert await get(app, urlencode(q)) == 200
        return 1000 * (time.process_time() - started) / len(asked)

    print(f"request    {asyncio.run(requests()):.3f}")
    app.state.engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
