"""What the serving path costs per query, how fast a worker is replaced, how fast `serve` starts.

    .venv/bin/python bench/overhead.py [--repeat 2000]

- in-process: `EmbeddedBackend.evaluate` (pyoxigraph, answer written) in this thread;
- engine: `QueryEngine.execute` with the cache off: tokenizer + a hop to an evaluation thread and back;
- replace: `serve --workers 1`, a runaway query: from its 504 to the first answer of the new worker, and from
  the old worker's exit to that answer;
- start: exec to the first /health, with the validation verdict not kept (first start) and kept (second).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).parent))
from queries import MIX  # noqa: E402

from inclusion_kg.app import create_app  # noqa: E402
from inclusion_kg.settings import Settings  # noqa: E402
from inclusion_kg.sparql.backend import NO_DATASET  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def per_query_us(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def start(port: int, env: dict, *args: str) -> tuple[subprocess.Popen, float]:
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "inclusion_kg.cli", "serve", "--port", str(port), *args],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process, time.monotonic() - started
        except httpx.HTTPError:
            time.sleep(0.02)


def replacement(port: int, env: dict) -> dict:
    process, _ = start(port, env, "--workers", "1", "--query-timeout", "0.5")
    url = f"http://127.0.0.1:{port}"
    try:
        old = httpx.get(url + "/health").json()["worker"]
        assert httpx.post(url + "/sparql", data={"query": RUNAWAY}, timeout=30).status_code == 504
        answered_504 = time.monotonic()
        exited = None
        while True:
            if exited is None and not psutil.pid_exists(old):
                exited = time.monotonic()
            with httpx.Client() as http:
                if http.get(url + "/health", timeout=5).json()["worker"] != old:
                    answered = time.monotonic()
                    break
        while exited is None:
            if not psutil.pid_exists(old):
                exited = time.monotonic()
            time.sleep(0.005)
        return {"504_to_new_worker_answering_ms": round((answered - answered_504) * 1000, 1),
                "old_exit_to_new_worker_answering_ms": round((answered - exited) * 1000, 1)}
    finally:
        process.terminate()
        process.wait(20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    app = create_app(Settings(cache_bytes=0))
    engine, backend = app.state.engine, app.state.engine.backend
    report = {"per_query_us": {}}
    for name, query in MIX:
        inproc = per_query_us(lambda: backend.evaluate(query, NO_DATASET, "application/sparql-results+json",
                                                       engine.limits), args.repeat)
        through = per_query_us(lambda: engine.execute(query, "application/sparql-results+json"), args.repeat)
        report["per_query_us"][name] = {"in_process": round(inproc), "engine": round(through),
                                        "difference": round(through - inproc)}
    with tempfile.TemporaryDirectory() as verdicts:
        env = {**os.environ, "INCLUSION_KG_CACHE": verdicts}
        port = 18000 + os.getpid() % 1000
        starts = []
        for _ in range(2):
            process, seconds = start(port, env)
            starts.append(round(seconds, 2))
            process.terminate()
            process.wait(20)
        report["start_to_health_s"] = {"verdict_not_kept": starts[0], "verdict_kept": starts[1]}
        report["replace"] = replacement(port, env)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
