"""Memory of a default `serve` after the same load, side by side with the server of another git revision.

    .venv/bin/python bench/memory.py [--against REV] [--questions 3000] [--queries 3000] [--rounds 2]

Starts `inclusion-kg serve` (default settings: one HTTP worker per CPU) and, with `--against REV`, the
server of git revision REV (its source, data and queries, checked out with `git worktree` in a temporary
folder, run with this virtualenv), one after the other so that they never share the machine. Each gets the
same load from 8 clients: `--questions` distinct /eligibility questions (bench/eligibility.py's mix, a
new employment rate in each) and `--queries` distinct /sparql queries (bench/queries.py's mix, a unique
comment in each), enough to fill the answer caches. Then it reads, for every process of the server (the
supervisor or HTTP process and its children), the RSS (resident pages, shared ones counted in every
process that maps them) and the PSS (shared pages divided among the processes that share them: what the
machine holds). Prints a Markdown table (medians over rounds) and writes bench/results/memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).parent))
from eligibility import paths, questions  # noqa: E402
from queries import MIX  # noqa: E402
from run import free_port  # noqa: E402

HERE = Path(__file__).parent
CLIENTS = 8


def start(source: Path | None) -> tuple[str, subprocess.Popen]:
    """`serve` with its defaults: ours, or the checkout at `source` (its src/ first on the path)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(source / "src")} if source else None
    command = [sys.executable, "-m", "inclusion_kg.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=source or HERE.parent, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return url, process
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def load(url: str, paths: list[str], accept: str) -> int:
    """GET every path once, from CLIENTS kept-alive connections; the number of answers that were not 200."""
    pending, lock, failures = iter(paths), threading.Lock(), [0]

    def client() -> None:
        with httpx.Client(base_url=url, timeout=60, headers={"Accept": accept}) as http:
            while True:
                with lock:
                    path = next(pending, None)
                if path is None:
                    return
                if http.get(path).status_code != 200:
                    with lock:
                        failures[0] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures[0]


def memory(pid: int) -> dict:
    processes = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    infos = [process.memory_full_info() for process in processes]
    return {"processes": len(infos), "rss_mb": round(sum(i.rss for i in infos) / 2**20, 1),
            "pss_mb": round(sum(i.pss for i in infos) / 2**20, 1),
            "each_rss_mb": [round(i.rss / 2**20, 1) for i in infos]}


def measure(source: Path | None, args, run: int) -> dict:
    url, process = start(source)
    try:
        mix = paths(questions())
        eligibility = [f"{mix[i % len(mix)]}&employment_rate=0.03{run:02d}{i:07d}" for i in range(args.questions)]
        texts = [MIX[i % len(MIX)][1] + f"\n#{run}-{i}" for i in range(args.queries)]
        sparql = [f"/sparql?query={quote(text, safe='')}" for text in texts]
        failures = load(url, eligibility, "application/json") + load(url, sparql, "application/sparql-results+json")
        time.sleep(1)
        return {**memory(process.pid), "non_200": failures}
    finally:
        process.terminate()
        process.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="git revision whose server is measured the same way")
    parser.add_argument("--questions", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sources: dict[str, Path | None] = {"this tree": None}
        if args.against:
            checkout = Path(folder) / "against"
            subprocess.run(["git", "worktree", "add", "--detach", str(checkout), args.against], cwd=HERE.parent,
                           check=True, capture_output=True)  # fmt: skip
            sources[args.against] = checkout
        try:
            runs = {name: [measure(source, args, run) for run in range(args.rounds)] for name, source in sources.items()}
        finally:
            if args.against:
                subprocess.run(["git", "worktree", "remove", "--force", str(sources[args.against])], cwd=HERE.parent)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{args.questions} questions and {args.queries} queries, {CLIENTS} clients; load average "
          f"{os.getloadavg()[0]:.1f}; {started}\n")
    print("| server | processes | RSS summed MB | PSS summed MB | RSS of each MB | non-200 |")
    print("|---|---:|---:|---:|---|---:|")
    for name, results in runs.items():
        rss = statistics.median(r["rss_mb"] for r in results)
        pss = statistics.median(r["pss_mb"] for r in results)
        print(f"| {name} | {results[0]['processes']} | {rss:.0f} | {pss:.0f} | "
              f"{', '.join(f'{m:.0f}' for m in results[-1]['each_rss_mb'])} | {sum(r['non_200'] for r in results)} |")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "memory.json").write_text(json.dumps(runs, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
