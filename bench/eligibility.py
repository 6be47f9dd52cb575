"""Benchmark GET /eligibility with wrk (the load tool of bench/run.py), 8 concurrent clients by default.

    .venv/bin/python bench/eligibility.py [--duration 10] [--connections 8] [--rounds 3] [--against REV]

Starts `inclusion-kg serve` on a free loopback port and loads it with a mix of eligibility questions: every
region x contract type (broad and narrow) x quota reached / not / unknown, with organisation types,
appointments and months of inactivity (300 distinct questions), in two modes:
- `repeated`: the mix over and over, as a form's users ask it (answers are kept per question: the dataset
  is frozen while serving);
- `distinct`: a different employment rate in every request (0.03 + a unique tiny amount), so every request
  is a new question and eligibility.rq runs each time.
Prints a Markdown table (medians over rounds) and writes bench/results/eligibility.json.

`--against REV` also starts a second server whose queries/eligibility.rq is the one of git revision REV (the
same code and data; `INCLUSION_KG_HOME` points it at a copy of the project folder with that query) and
interleaves the runs of both, round by round, so that the two are measured under the same machine load.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from run import BIN, free_port, wrk  # noqa: E402  (bench/run.py's helpers)

HERE = Path(__file__).parent

# A new employment rate per request (0.03 + a unique tiny amount) makes each a new question.
DISTINCT_RATE_SUFFIX = '"&employment_rate=0.03" .. string.format("%02d%09d", id, counter)'


def questions(distinct: bool) -> list[str]:
    regions = ["flanders", "brussels", "wallonia", "german-speaking-community"]
    contracts = ["internship", "adaptation-contract", "employment", "discovery-internship", "ibo"]
    rates = [None] if distinct else ["0.035", "0.02", None]
    extras = [{}, {"employer": "municipality", "appointment": "contractual"},
              {"employer": "federal-administration", "appointment": "statutory"},
              {"inactive_months": "8"}, {"employer": "education-institution", "staff": "teaching"}]  # fmt: skip
    paths = []
    for region, contract, rate, extra in itertools.product(regions, contracts, rates, extras):
        params = {"region": region, "contract": contract, **extra}
        if rate:
            params["employment_rate"] = rate
        paths.append("/eligibility?" + urlencode(params))
    return paths


def wait_up(url: str, process: subprocess.Popen, seconds: float = 180) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def home_with_query(revision: str, folder: Path) -> Path:
    """A project folder (links to ours) whose queries/eligibility.rq is the one of `revision`."""
    root = HERE.parent
    home = folder / "home"
    home.mkdir()
    for name in ("ontology", "data", "shapes"):
        (home / name).symlink_to(root / name)
    shutil.copytree(root / "queries", home / "queries")
    text = subprocess.run(["git", "show", f"{revision}:queries/eligibility.rq"], cwd=root, check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    (home / "queries" / "eligibility.rq").write_text(text, encoding="utf-8")
    return home


def start(args, home: Path | None = None) -> tuple[str, subprocess.Popen]:
    port = free_port()
    env = {**os.environ, "INCLUSION_KG_HOME": str(home)} if home else None
    server = subprocess.Popen([BIN / "inclusion-kg", "serve", "--port", str(port), "--workers", str(args.workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
    return f"http://127.0.0.1:{port}", server


def run(url: str, distinct: bool, args, work: Path) -> dict:
    """One wrk run over the question mix, with bench/run.py's runner."""
    script = work / f"eligibility-{'distinct' if distinct else 'repeated'}.lua"
    return wrk(url, questions(distinct), distinct, DISTINCT_RATE_SUFFIX, "application/json", args, script)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="HTTP worker processes of the server")
    parser.add_argument("--against", help="git revision whose eligibility.rq a second server runs, interleaved")
    parser.add_argument("--out", default=str(HERE / "results" / "eligibility.json"))
    args = parser.parse_args()
    modes = ("repeated", "distinct")
    results: dict[str, list[dict]] = {}
    servers: dict[str, tuple[str, subprocess.Popen]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        try:
            servers["working copy"] = start(args)
            if args.against:
                servers[args.against] = start(args, home_with_query(args.against, work))
            for name, (url, server) in servers.items():
                wait_up(url, server)
                for path in questions(False):  # every question answers 200 before it is timed
                    assert httpx.get(url + path, timeout=30).status_code == 200, (name, path)
            for number in range(args.rounds):
                order = list(servers.items())
                if number % 2:
                    order.reverse()  # neither server always runs first
                for mode in modes:
                    for name, (url, _) in order:
                        key = f"{mode} ({name})" if args.against else mode
                        results.setdefault(key, []).append(run(url, mode == "distinct", args, work))
        finally:
            for _, server in servers.values():
                server.terminate()
                server.wait(30)
    table = ["| mode | requests/s | p50 ms | p90 ms | p99 ms | non-2xx |", "|---|---:|---:|---:|---:|---:|"]
    summary = {}
    for mode, runs in sorted(results.items()):
        median = {key: statistics.median(r[key] for r in runs)
                  for key in ("requests_per_second", "p50_ms", "p90_ms", "p99_ms")}  # fmt: skip
        median["non_2xx"] = sum(r["non_2xx"] for r in runs)
        summary[mode] = median
        table.append(f"| {mode} | {median['requests_per_second']:.0f} | {median['p50_ms']:.2f} | "
                     f"{median['p90_ms']:.2f} | {median['p99_ms']:.2f} | {median['non_2xx']} |")  # fmt: skip
    print(f"GET /eligibility, {args.connections} concurrent clients, {args.duration} s x {args.rounds} rounds, "
          f"{args.workers} HTTP worker(s)")  # fmt: skip
    print("\n".join(table))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"settings": vars(args), "runs": results, "median": summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
