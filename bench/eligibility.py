"""Benchmark GET /eligibility with wrk, every request a new question, three servers side by side in one run.

    .venv/bin/python bench/eligibility.py [--duration 10] [--rounds 3] [--connections 8] [--against REV]

- `lookup`: `inclusion-kg serve` of the working copy (the compiled rules and queries/eligibility-lookup.rq);
- `reference (REV)`, with `--against REV` (e.g. `main`, or the revision before the lookup): the same command
  run from a checkout of REV (`git worktree add` in a temporary folder, its own code, queries and data on
  PYTHONPATH), so its queries/eligibility.rq is checked against its own ontology and runs for each question;
- `oxigraph serve-read-only`: Oxigraph's own server over the same store (our graph and the compiled rules),
  running the bound lookup of each question (what `query` in our answer reports), POSTed as
  application/sparql-query: how near the serving path stays to the engine.

3,000 distinct questions (region x contract type x organisation type x appointment x staff category x
inactivity x booleans, with and without each input); for our two servers each request also gets a unique
employment rate (0.03 + a unique tiny amount), so no request is ever answered from the answer cache. wrk,
8 connections by default; the servers' runs are interleaved round by round (their order rotating), so all
are measured under the same machine load, and the load average is printed with the table. Besides wrk's
figures, `CPU ms/req` is the server processes' CPU time (/proc, user + system) over the requests answered.
Prints a Markdown table (medians over rounds) and writes bench/results/eligibility.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from run import BIN, free_port, wrk, wrk_script  # noqa: E402  (bench/run.py's helpers)

HERE = Path(__file__).parent
ROOT = HERE.parent
QUESTIONS = 3000
# A new employment rate per request (0.03 + a unique tiny amount) makes each a new question.
DISTINCT_RATE_SUFFIX = '"&employment_rate=0.03" .. string.format("%02d%09d", id, counter)'
POST_LUA = """
local bodies = {%s}
local i = 0
function request()
  i = i %% #bodies + 1
  return wrk.format("POST", "/query", {["Content-Type"] = "application/sparql-query",
                                       ["Accept"] = "application/sparql-results+json"}, bodies[i])
end
"""


def questions(count: int = QUESTIONS) -> list[dict[str, str]]:
    """`count` distinct questions, spread over every input (None: not given)."""
    regions = ["flanders", "brussels", "wallonia", "german-speaking-community"]
    contracts = [None, "internship", "adaptation-contract", "employment", "discovery-internship", "ibo", "bis", "wes"]
    employers = [None, "municipality", "federal-administration", "education-institution", "province"]
    appointments = [None, "contractual", "statutory"]
    staff = [None, "teaching", "support"]
    months = [None, "3", "6", "8", "24"]
    booleans = [None, "true", "false"]
    found = []
    for combination in itertools.product(regions, contracts, employers, appointments, staff, months, booleans):
        region, contract, employer, appointment, category, inactive, mentor = combination
        asked = {"region": region, "contract": contract, "employer": employer, "appointment": appointment,
                 "staff": category, "inactive_months": inactive, "mentor": mentor}  # fmt: skip
        found.append({name: value for name, value in asked.items() if value is not None})
    step = max(1, len(found) // count)
    return found[::step][:count]


def paths(asked: list[dict[str, str]]) -> list[str]:
    return ["/eligibility?" + urlencode(question) for question in asked]


def lookups(asked: list[dict[str, str]], rate: str = "0.035") -> list[str]:
    """The bound lookup of each question, as our answer reports it (with a fixed employment rate)."""
    from inclusion_kg import eligibility
    from inclusion_kg.graph import load_graph, project_root
    from inclusion_kg.named_queries.results import store_from_graph, store_select

    select = store_select(store_from_graph(load_graph(validate=False)))
    evaluator = eligibility.build(select, project_root() / "queries")
    return [evaluator.query_for(eligibility.parse_inputs(evaluator.vocabulary, {**q, "employment_rate": rate}))
            for q in asked]  # fmt: skip


def oxigraph_store(work: Path) -> Path:
    """An Oxigraph store on disk with what our server holds: our graph and the compiled rules (N-Quads)."""
    from inclusion_kg.graph import load_graph
    from inclusion_kg.named_queries.results import store_from_graph

    import pyoxigraph as ox

    dump = work / "store.nq"
    store_from_graph(load_graph(validate=False)).dump(str(dump), format=ox.RdfFormat.N_QUADS)
    location = work / "oxigraph"
    subprocess.run([BIN / "oxigraph", "load", "--location", location, "--file", dump], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return location


def checkout(revision: str, work: Path) -> Path:
    folder = work / "reference"
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), revision], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    return folder


def start(command: list, env: dict | None = None, cwd: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen([str(c) for c in command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, cwd=cwd, start_new_session=True)  # fmt: skip


def serve(source: Path | None) -> tuple[str, subprocess.Popen]:
    """`inclusion-kg serve` of the working copy, or of the checkout `source` (its code on PYTHONPATH)."""
    port = free_port()
    if source is None:
        return f"http://127.0.0.1:{port}", start([BIN / "inclusion-kg", "serve", "--port", port])
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    command = [sys.executable, "-c", "import sys; from inclusion_kg.cli import main; sys.exit(main())",
               "serve", "--port", port]  # fmt: skip
    return f"http://127.0.0.1:{port}", start(command, env, source)


def wait_up(url: str, process: subprocess.Popen, probe: str, seconds: float = 240) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            if httpx.get(url + probe, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` and its descendants (the HTTP workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    family, grown = {pid}, True
    while grown:
        grown = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                grown = True
    return sum(times.get(p, 0.0) for p in family)


def measured(run, process: subprocess.Popen, args) -> dict:
    before = cpu_seconds(process.pid)
    result = run()
    requests = result["requests_per_second"] * args.duration
    result["cpu_ms_per_request"] = 1000 * (cpu_seconds(process.pid) - before) / requests if requests else 0.0
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", help="git revision whose server runs the reference query (e.g. main)")
    parser.add_argument("--out", default=str(HERE / "results" / "eligibility.json"))
    args = parser.parse_args()
    asked = questions()
    results: dict[str, list[dict]] = {}
    servers: dict[str, tuple[str, subprocess.Popen]] = {}
    reference = None
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="ikg-eligibility-") as folder:
        work = Path(folder)
        try:
            bodies = lookups(asked)
            location = oxigraph_store(work)
            servers["lookup"] = serve(None)
            if args.against:
                reference = checkout(args.against, work)
                servers[f"reference ({args.against})"] = serve(reference)
            port = free_port()
            servers["oxigraph serve-read-only (lookup)"] = (f"http://127.0.0.1:{port}", start(
                [BIN / "oxigraph", "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{port}"]))
            for name, (url, process) in servers.items():
                oxigraph = name.startswith("oxigraph")
                wait_up(url, process, "/query?query=ASK%7B%7D" if oxigraph else "/health")
                if not oxigraph:  # every question answers 200 before it is timed
                    for path in paths(asked)[:: len(asked) // 50]:
                        assert httpx.get(url + path, timeout=60).status_code == 200, (name, path)
            post_script = work / "oxigraph.lua"
            post_script.write_text(POST_LUA % ", ".join(f"[==[{body}]==]" for body in bodies))
            get_script = work / "eligibility.lua"
            for number in range(args.rounds):
                order = list(servers.items())
                order = order[number % len(order):] + order[: number % len(order)]  # rotate who runs first
                for name, (url, process) in order:
                    if name.startswith("oxigraph"):
                        def run(url=url):
                            return wrk_script(url, post_script, args)
                    else:
                        def run(url=url):
                            return wrk(url, paths(asked), True, DISTINCT_RATE_SUFFIX, "application/json", args,
                                       get_script)  # fmt: skip
                    results.setdefault(name, []).append(measured(run, process, args))
        finally:
            for _, process in servers.values():
                process.terminate()
                process.wait(30)
            if reference is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(reference)], cwd=ROOT, check=False)
    load_after = os.getloadavg()
    table = ["| server | requests/s | p50 ms | p90 ms | p99 ms | CPU ms/req | non-2xx |",
             "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    summary = {}
    for name, runs in results.items():
        median = {key: statistics.median(r[key] for r in runs)
                  for key in ("requests_per_second", "p50_ms", "p90_ms", "p99_ms", "cpu_ms_per_request")}  # fmt: skip
        median["non_2xx"] = sum(r["non_2xx"] for r in runs)
        summary[name] = median
        table.append(f"| {name} | {median['requests_per_second']:.0f} | {median['p50_ms']:.2f} | "
                     f"{median['p90_ms']:.2f} | {median['p99_ms']:.2f} | {median['cpu_ms_per_request']:.2f} | "
                     f"{median['non_2xx']} |")  # fmt: skip
    load = f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min), {os.cpu_count()} CPUs"
    print(f"GET /eligibility, every request a new question ({len(asked)} questions), {args.connections} "
          f"connections, {args.duration} s x {args.rounds} rounds; {load}")  # fmt: skip
    print("\n".join(table))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"settings": vars(args), "load": load, "runs": results, "median": summary},
                                         indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
