"""Soak: a bounded load of normal, heavy and bad requests against `inclusion-kg serve`; figures and a verdict.

    .venv/bin/python bench/soak.py [--duration 300] [--clients 16] [--query-timeout 5]   (or: make soak)

Starts the server (one HTTP worker, default query workers) on a free port; a warm-up first fills the bounded
answer caches (`--warmup` distinct eligibility questions, more than the 2048 entries of the eligibility caches,
and a tenth as many heavy queries), so that the RSS criterion below measures leaks, not caches filling. Then
`--clients` concurrent clients send, for `--duration` seconds, a mix of
- normal (75%): eligibility questions (repeated and distinct), named queries, small SPARQL, pages, /health;
- heavy (10%): uncached aggregations over the whole graph, CONSTRUCT, DESCRIBE, a regex over every literal;
- bad (15%): syntax errors, SERVICE, updates, too large bodies, unknown slugs, wrong media types;
- and one runaway query (10^10 rows) every `--runaway-every` seconds, stopped by the query timeout (504).
RSS of the server's process tree (the server and its query workers, also apart) is sampled every 5 s.
Passes when there is no 5xx but the deliberate 504s of the runaway queries, and the RSS at the end is less
than 10% above the RSS after the first minute (or after 20% of the run if shorter). Writes
bench/results/soak.json and prints a Markdown summary (the figures of docs/reliability.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
IKG = "https://w3id.org/inclusion-kg/ontology#"
REGIONS = ["flanders", "brussels", "wallonia", "german-speaking-community"]
CONTRACTS = ["employment", "internship", "adaptation-contract"]
VALUES = " ".join(str(i) for i in range(100))
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {VALUES} }}" for i in range(5)) + " }"


EXAMPLES: dict[tuple, list[str]] = defaultdict(list)  # bodies of the first 5xx answers, per category and status


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def normal(rng: random.Random, n: int) -> tuple[str, str, dict]:
    kind = rng.random()
    if kind < 0.35:
        params = {"region": rng.choice(REGIONS), "contract": rng.choice(CONTRACTS)}
        if rng.random() < 0.3:  # a distinct question: evaluated, not replayed
            params["employment_rate"] = f"{0.01 + n * 1e-9:.10f}"
        return "GET", "/eligibility", {"params": params, "headers": {"accept": "application/json"}}
    if kind < 0.55:
        return "GET", "/queries/measures-by-region", {"params": {"region": rng.choice(REGIONS)},
                                                      "headers": {"accept": "application/sparql-results+json"}}
    if kind < 0.8:
        query = f"PREFIX ikg: <{IKG}> SELECT ?m WHERE {{ ?m a ikg:SupportMeasure }} LIMIT {rng.randint(1, 50)}"
        return "GET", "/sparql", {"params": {"query": query}, "headers": {"accept": "application/sparql-results+json"}}
    if kind < 0.9:
        return "GET", rng.choice(["/id/agency/vdab", "/id/region/wallonia", "/queries", "/catalog"]), {
            "headers": {"accept": rng.choice(["text/html", "text/turtle"])}}
    return "GET", "/health", {}


def heavy(rng: random.Random, n: int) -> tuple[str, str, dict]:
    queries = [
        f"SELECT ?p (COUNT(*) AS ?c) WHERE {{ ?s ?p ?o FILTER(?o != {n}) }} GROUP BY ?p ORDER BY DESC(?c)",
        f'SELECT (COUNT(*) AS ?c) WHERE {{ ?s ?p ?o FILTER(REGEX(STR(?o), "(a+)+b{n % 7}")) }}',
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {5000 + n % 1000}",
        f"DESCRIBE ?m WHERE {{ ?m a <{IKG}SupportMeasure> }} LIMIT {1 + n % 20}",
        f"SELECT (COUNT(*) AS ?c) WHERE {{ ?a a ?t . ?b a ?t FILTER(?a != <urn:{n}>) }}",
    ]
    return "POST", "/sparql", {"data": {"query": rng.choice(queries)}, "headers": {"accept": "application/json"}}


def bad(rng: random.Random, n: int) -> tuple[str, str, dict]:
    cases = [
        ("GET", "/sparql", {"params": {"query": f"SELECT * WHERE {{ ?s ?p {n}"}}),
        ("GET", "/sparql", {"params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}),
        ("POST", "/sparql", {"data": {"update": "DROP ALL"}}),
        ("POST", "/sparql", {"content": b"x" * (2 << 20), "headers": {"content-type": "application/sparql-query"}}),
        ("POST", "/sparql", {"content": b"\xff\xfe", "headers": {"content-type": "application/sparql-query"}}),
        ("GET", "/eligibility", {"params": {"region": "atlantis"}}),
        ("GET", "/eligibility", {"params": {"region": "flanders", "employment_rate": "7"}}),
        ("GET", "/queries/nope", {}),
        ("GET", "/sparql", {"params": {"query": "ASK {}"}, "headers": {"accept": "image/png"}}),
        ("GET", "/sparql", {"params": {"query": "ASK { FILTER(" + "(" * 500 + "1" + ")" * 500 + ") }"}}),
    ]
    return rng.choice(cases)


def tree_rss(pid: int) -> tuple[int, int]:
    """RSS of the server process itself, and of its children (the query workers), in bytes."""
    try:
        process = psutil.Process(pid)
        children = process.children(recursive=True)
        server = process.memory_info().rss
    except psutil.NoSuchProcess:
        return 0, 0
    workers = 0
    for p in children:
        try:
            workers += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return server, workers


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def client(index: int, url: str, deadline: float, args, results: list) -> None:
    rng = random.Random(1000 + index)
    n = index * 10_000_000
    next_runaway = time.monotonic() + 5 if index == 0 else float("inf")
    async with httpx.AsyncClient(base_url=url, timeout=args.query_timeout + 30) as http:
        while time.monotonic() < deadline:
            n += 1
            if time.monotonic() >= next_runaway:
                category, (method, path, kwargs) = "runaway", ("POST", "/sparql", {"data": {"query": RUNAWAY + f" #{n}"}})
                next_runaway = time.monotonic() + args.runaway_every
            else:
                roll = rng.random()
                category = "normal" if roll < 0.75 else "heavy" if roll < 0.85 else "bad"
                method, path, kwargs = {"normal": normal, "heavy": heavy, "bad": bad}[category](rng, n)
            started = time.monotonic()
            try:
                response = await http.request(method, path, **kwargs)
                status = response.status_code
                if status >= 400 and not response.content.strip():
                    status = -2  # an error without a message
                if status >= 500 and len(EXAMPLES[(category, status)]) < 3:
                    EXAMPLES[(category, status)].append(f"{method} {path}: {response.text[:300]}")
            except httpx.HTTPError:
                status = -1  # a transport error: the server dropped the connection
            results.append((category, status, time.monotonic() - started, started))


async def sample_rss(pid: int, deadline: float, samples: list, started: float) -> None:
    while time.monotonic() < deadline:
        samples.append((time.monotonic() - started, *tree_rss(pid)))
        await asyncio.sleep(5)
    samples.append((time.monotonic() - started, *tree_rss(pid)))


async def warm_up(url: str, args) -> float:
    """Fill the bounded answer caches before the measured run: `--warmup` distinct eligibility questions
    (more than the 2048 entries of the eligibility caches) and distinct heavy queries (the engine's 64 MB).
    Their values never recur in the mix, whose own distinct questions then replace them (LRU)."""
    started, counter = time.monotonic(), iter(range(args.warmup))

    async def one_client(index: int) -> None:
        rng = random.Random(-1 - index)
        async with httpx.AsyncClient(base_url=url, timeout=args.query_timeout + 30) as http:
            for i in counter:
                params = {"region": rng.choice(REGIONS), "contract": rng.choice(CONTRACTS),
                          "employment_rate": f"{0.5 + i * 1e-7:.10f}"}
                await http.get("/eligibility", params=params, headers={"accept": "application/json"})
                if i % 10 == 0:
                    method, path, kwargs = heavy(rng, -1 - i)
                    await http.request(method, path, **kwargs)

    await asyncio.gather(*(one_client(i) for i in range(args.clients)))
    return time.monotonic() - started


async def load(url: str, pid: int, args) -> tuple[list, list, float]:
    results: list = []
    samples: list = []
    started = time.monotonic()
    deadline = started + args.duration
    await asyncio.gather(sample_rss(pid, deadline, samples, started),
                         *(client(i, url, deadline, args, results) for i in range(args.clients)))
    return results, samples, time.monotonic() - started


def up_at_end(url: str) -> bool:
    """/health answers 200 within 10 s (three tries: the last answers of the run may still be leaving)."""
    for _ in range(3):
        try:
            if httpx.get(f"{url}/health", timeout=10).status_code == 200:
                return True
        except httpx.HTTPError as error:
            print(f"/health after the run: {type(error).__name__}", file=sys.stderr)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=float(os.environ.get("SOAK_DURATION", 300)))
    parser.add_argument("--clients", type=int, default=int(os.environ.get("SOAK_CLIENTS", 16)))
    parser.add_argument("--query-timeout", type=float, default=5.0)
    parser.add_argument("--runaway-every", type=float, default=30.0, help="seconds between runaway queries")
    parser.add_argument("--warmup", type=int, default=2500, metavar="N",
                        help="distinct eligibility questions (and N/10 heavy queries) sent before the measured run "
                             "to fill the bounded answer caches (default 2500; 0: none)")
    parser.add_argument("--cache-bytes", type=int, default=None,
                        help="answer bytes each HTTP worker keeps in its answer cache (default: the server's; 0: none)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "soak.json"))
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = f"query_timeout={args.query_timeout!r}" + (
        f", cache_bytes={args.cache_bytes}" if args.cache_bytes is not None else "")
    command = [sys.executable, "-c", "import sys; from inclusion_kg.server import serve; "
               f"from inclusion_kg.settings import Settings; sys.exit(serve(Settings({settings}), "
               f"host='127.0.0.1', port={port}))"]  # `inclusion-kg serve`, with the cache size of --cache-bytes
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                print(server.stderr.read().decode(), file=sys.stderr)
                return 2
            time.sleep(0.3)
        warmed = asyncio.run(warm_up(url, args)) if args.warmup else 0.0
        warm_rss = sum(tree_rss(server.pid)) / 2**20
        results, samples, elapsed = asyncio.run(load(url, server.pid, args))
        still_up = up_at_end(url)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    statuses = Counter((category, status) for category, status, _, _ in results)
    latencies = defaultdict(list)
    for category, status, seconds, _ in results:
        latencies[category].append(seconds * 1000)
        latencies["all"].append(seconds * 1000)
    unexpected = {f"{c} {s}": n for (c, s), n in statuses.items()
                  if (s >= 500 or s < 0) and not (c == "runaway" and s == 504)}
    baseline_at = min(60.0, args.duration * 0.2)
    totals = [(t, server + workers) for t, server, workers in samples]
    baseline = next((rss for t, rss in totals if t >= baseline_at), totals[0][1])
    final = totals[-1][1]
    growth = (final - baseline) / baseline * 100 if baseline else 0.0
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load average "
                   f"{os.getloadavg()[0]:.1f} at the end",
        "duration_s": round(elapsed, 1), "clients": args.clients, "query_timeout_s": args.query_timeout,
        "requests": len(results), "requests_per_s": round(len(results) / elapsed, 1),
        "statuses": {f"{c} {s}": n for (c, s), n in sorted(statuses.items())},
        "unexpected": unexpected,
        "examples_5xx": {f"{c} {s}": v for (c, s), v in sorted(EXAMPLES.items())},
        "latency_ms": {c: {q: round(percentile(v, q), 1) for q in (50, 90, 99)} | {"max": round(max(v), 1),
                                                                                  "count": len(v)}
                       for c, v in sorted(latencies.items())},
        "rss_mb": {"after_first_minute": round(baseline / 2**20, 1), "end": round(final / 2**20, 1),
                   "max": round(max(r for _, r in totals) / 2**20, 1), "growth_percent": round(growth, 1),
                   "samples": [(round(t), round(r / 2**20, 1)) for t, r in totals],
                   "samples_server_workers": [(round(t), round(a / 2**20, 1), round(b / 2**20, 1))
                                              for t, a, b in samples]},
        "cache_bytes": args.cache_bytes,
        "warmup": {"questions": args.warmup, "seconds": round(warmed, 1), "rss_mb_after": round(warm_rss, 1)},
        "server_up_at_end": still_up,
    }
    report["passed"] = not unexpected and growth < 10 and still_up
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")

    print(f"soak: {report['duration_s']} s, {args.clients} clients, {report['requests']} requests "
          f"({report['requests_per_s']}/s) on {report['machine']}")
    print(f"warm-up: {args.warmup} distinct eligibility questions and {args.warmup // 10} heavy queries in "
          f"{warmed:.1f} s; RSS after it {warm_rss:.1f} MB")
    print("\n| category | requests | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|")
    for category, figures in report["latency_ms"].items():
        print(f"| {category} | {figures['count']} | {figures[50]} | {figures[90]} | {figures[99]} | {figures['max']} |")
    print("\n| category status | count |\n|---|---:|")
    for key, count in report["statuses"].items():
        print(f"| {key} | {count} |")
    rss = report["rss_mb"]
    print(f"\nRSS of the server and its query workers: {rss['after_first_minute']} MB after the first minute, "
          f"{rss['end']} MB at the end ({rss['growth_percent']:+.1f}%), at most {rss['max']} MB")
    print("RSS samples (s, server MB, query workers MB): "
          + ", ".join(f"{t}:{a}+{b}" for t, a, b in rss["samples_server_workers"]))
    print(f"unexpected 5xx or transport errors: {unexpected or 'none'}; server up at the end: {still_up}")
    for key, bodies in report["examples_5xx"].items():
        print(f"  {key}: " + "\n    ".join(bodies))
    print("PASSED" if report["passed"] else "FAILED")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
