"""Benchmark /sparql against Oxigraph's own server and rdflib-endpoint: same triples, same load, interleaved.

    .venv/bin/python bench/run.py [--duration 10] [--connections 8] [--rounds 3]

1. exports the validated graph (what `serve` puts in the default graph) as N-Triples;
2. starts `inclusion-kg serve`, `oxigraph serve-read-only` (after `oxigraph load`) and `rdflib-endpoint serve`
   on free loopback ports, and checks that all three give the same answers to the query mix (bench/queries.py);
3. runs `wrk` (Debian package) with the same concurrency against each server in turn, rotating the order every
   round, in two modes: `repeated` (the mix as analysts' dashboards send it, so our answer cache serves it) and
   `distinct` (a unique comment makes every request a new query text: every one is evaluated, no cache);
4. prints a Markdown table of medians over rounds and writes bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from queries import MIX  # noqa: E402

from inclusion_kg.graph import load_graph  # noqa: E402

BIN = Path(sys.executable).parent
HERE = Path(__file__).parent
ACCEPT = "application/sparql-results+json"

LUA = """
local paths = {%s}
local distinct = %s
local i = 0
local id = %d  -- distinct runs: unique per run, so no run repeats an earlier run's requests
local counter = 0
function setup(thread) id = id + 1; thread:set("id", id) end
function init(args) i = 0; counter = 0 end
function request()
  i = i %% #paths + 1
  local path = paths[i]
  if distinct then
    counter = counter + 1
    path = path .. %s
  end
  return wrk.format("GET", path, {["Accept"] = "%s"})
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            httpx.get(url, params={"query": "ASK {}"}, headers={"accept": ACCEPT}, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start_servers(work: Path, http_workers: int) -> tuple[dict[str, str], list[subprocess.Popen]]:
    data = work / "dataset.nt"
    data.write_bytes(load_graph().serialize(format="nt", encoding="utf-8"))
    subprocess.run([BIN / "oxigraph", "load", "--location", work / "oxigraph", "--file", data], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ports = {name: free_port() for name in ("inclusion-kg", "oxigraph", "rdflib-endpoint")}
    commands = {
        "inclusion-kg": [BIN / "inclusion-kg", "serve", "--port", str(ports["inclusion-kg"]),
                         "--workers", str(http_workers)],
        "oxigraph": [BIN / "oxigraph", "serve-read-only", "--location", work / "oxigraph",
                     "--bind", f"127.0.0.1:{ports['oxigraph']}"],
        "rdflib-endpoint": [BIN / "rdflib-endpoint", "serve", data, "--host", "127.0.0.1",
                            "--port", str(ports["rdflib-endpoint"])],
    }
    urls = {
        "inclusion-kg": f"http://127.0.0.1:{ports['inclusion-kg']}/sparql",
        "oxigraph": f"http://127.0.0.1:{ports['oxigraph']}/query",
        "rdflib-endpoint": f"http://127.0.0.1:{ports['rdflib-endpoint']}/",
    }
    processes = []
    for name, command in commands.items():
        log = open(work / f"{name}.log", "wb")
        processes.append(subprocess.Popen([str(c) for c in command], stdout=log, stderr=log))
        wait_up(urls[name], processes[-1])
    return urls, processes


def answer_shape(url: str, query: str):
    response = httpx.get(url, params={"query": query}, headers={"accept": ACCEPT}, timeout=60)
    response.raise_for_status()
    body = response.json()
    if "boolean" in body:
        return body["boolean"]
    return sorted(json.dumps(row, sort_keys=True) for row in body["results"]["bindings"])


def check_same_answers(urls: dict[str, str]) -> None:
    for name, query in MIX:
        shapes = {server: answer_shape(url, query) for server, url in urls.items()}
        reference = shapes["oxigraph"]
        for server, shape in shapes.items():
            same = shape == reference if isinstance(shape, bool) else len(shape) == len(reference)
            if not same:
                raise SystemExit(f"{server} answers {name} differently from oxigraph")


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


# What makes each request of a "distinct" run a new query: a unique SPARQL comment line. The thread ids of
# each wrk run start from a new number: a later run (or round) never asks what an earlier one asked, which
# the server may still have in its caches.
DISTINCT_QUERY_SUFFIX = '"%0A%23" .. id .. "-" .. counter'
RUN_IDS = itertools.count(random.randrange(1, 10_000) * 100, 100)


def wrk(base_url: str, paths: list[str], distinct: bool, distinct_suffix: str, accept: str, args, script: Path) -> dict:
    """One wrk run cycling over `paths`; in a distinct run each request gets `distinct_suffix` (Lua) appended."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    script.write_text(LUA % (quoted, "true" if distinct else "false", next(RUN_IDS), distinct_suffix, accept))
    return wrk_script(base_url, script, args)


def wrk_script(base_url: str, script: Path, args) -> dict:
    """One wrk run of a Lua script: requests/s, latency percentiles in ms, non-2xx answers, socket errors."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
               "--timeout", "30s", "-s", str(script), base_url]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(latency["50"]),
        "p90_ms": to_ms(latency["90"]),
        "p99_ms": to_ms(latency["99"]),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def run_wrk(url: str, distinct: bool, args, work: Path) -> dict:
    base = re.match(r"(https?://[^/]+)(/.*)", url)
    paths = [f"{base.group(2)}?query={quote(query, safe='')}" for _, query in MIX]
    script = work / f"mix-{'distinct' if distinct else 'repeated'}.lua"
    return wrk(base.group(1), paths, distinct, DISTINCT_QUERY_SUFFIX, ACCEPT, args, script)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--http-workers", type=int, default=0, help="`inclusion-kg serve --workers` (0: its default)")
    parser.add_argument("--out", default=str(HERE / "results" / "latest.json"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="ikg-bench-"))
    urls, processes = start_servers(work, args.http_workers)
    try:
        check_same_answers(urls)
        servers = list(urls)
        for server in servers:  # warm-up, not measured
            run_wrk(urls[server], False, argparse.Namespace(**{**vars(args), "duration": 2}), work)
        runs: dict[str, dict[str, list[dict]]] = {m: {s: [] for s in servers} for m in ("repeated", "distinct")}
        for round_number in range(args.rounds):
            order = servers[round_number % len(servers):] + servers[: round_number % len(servers)]
            for mode in runs:
                for server in order:
                    result = run_wrk(urls[server], mode == "distinct", args, work)
                    runs[mode][server].append(result)
                    print(f"round {round_number + 1} {mode:8} {server:16} {result['requests_per_second']:9.1f} req/s "
                          f"p50 {result['p50_ms']:7.2f} ms p99 {result['p99_ms']:8.2f} ms non-2xx {result['non_2xx']}",
                          flush=True)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    summary = {}
    for mode, by_server in runs.items():
        summary[mode] = {
            server: {key: statistics.median(r[key] for r in results)
                     for key in ("requests_per_second", "p50_ms", "p99_ms")}
            | {"non_2xx": sum(r["non_2xx"] for r in results)}
            for server, results in by_server.items()
        }
        ours = summary[mode]["inclusion-kg"]["requests_per_second"]
        summary[mode]["ratio_vs_oxigraph"] = ours / summary[mode]["oxigraph"]["requests_per_second"]
        summary[mode]["ratio_vs_rdflib_endpoint"] = ours / summary[mode]["rdflib-endpoint"]["requests_per_second"]
    record = {
        "command": "bench/run.py " + " ".join(sys.argv[1:]),
        "settings": vars(args),
        "cpus": os.cpu_count(),
        "queries": [name for name, _ in MIX],
        "summary": summary,
        "runs": runs,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n")
    print("\n| mode | server | req/s (median) | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|---|")
    for mode in summary:
        for server in servers:
            s = summary[mode][server]
            print(f"| {mode} | {server} | {s['requests_per_second']:.0f} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} "
                  f"| {s['non_2xx']} |")
    for mode in summary:
        print(f"{mode}: inclusion-kg / oxigraph = {summary[mode]['ratio_vs_oxigraph']:.2f}x, "
              f"inclusion-kg / rdflib-endpoint = {summary[mode]['ratio_vs_rdflib_endpoint']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
