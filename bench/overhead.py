"""What the worker-process hop and the kill-and-replace cost, per query.

    .venv/bin/python bench/overhead.py [--repeat 2000]

- in-process: pyoxigraph in this process, answer written by the same writers (no timeout possible);
- engine: `QueryEngine.execute` with the cache off: tokenizer + pipe to a worker process + back;
- the difference is the price of being able to kill a runaway query;
- kill and replace: time from a timed-out query to a fresh worker ready (the pool runs one short meanwhile);
- wake-up: a 300-byte round trip over two pipes to an echo process, sent at once after the previous answer
  (the echo process has no time to sleep) or after this process stayed busy for a while (it has gone to
  sleep and must be woken): what pipelining jobs (sparql/pool.py) saves under load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from queries import MIX  # noqa: E402

from inclusion_kg.graph import load_graph  # noqa: E402
from inclusion_kg.sparql import formats  # noqa: E402
from inclusion_kg.sparql.engine import QueryEngine  # noqa: E402
from inclusion_kg.sparql.worker import Job, open_store, run  # noqa: E402
from inclusion_kg.store import build_store  # noqa: E402


def per_query_us(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


ECHO = """
import os, sys
inbox, outbox = int(sys.argv[1]), int(sys.argv[2])
while data := os.read(inbox, 4096):
    os.write(outbox, data)
"""


def wake_up_us(busy_us: float, repeat: int) -> float:
    """Median round trip to an echo process, each sent after staying busy (not sleeping) for `busy_us`."""
    to_echo_r, to_echo_w = os.pipe()
    from_echo_r, from_echo_w = os.pipe()
    echo = subprocess.Popen([sys.executable, "-c", ECHO, str(to_echo_r), str(from_echo_w)],
                            pass_fds=(to_echo_r, from_echo_w))
    os.close(to_echo_r)
    os.close(from_echo_w)
    samples = []
    for _ in range(repeat):
        until = time.perf_counter() + busy_us / 1e6
        while time.perf_counter() < until:
            pass
        started = time.perf_counter()
        os.write(to_echo_w, b"x" * 300)
        os.read(from_echo_r, 4096)
        samples.append(time.perf_counter() - started)
    os.close(to_echo_w)
    echo.wait(5)
    os.close(from_echo_r)
    return statistics.median(samples) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    built = build_store(load_graph())
    store = open_store(built.spec)
    engine = QueryEngine(built.spec, data_version="bench", workers=1, cache_entries=0, timeout=1.0)
    rows = []
    for name, query in MIX:
        job = Job(query, formats.JSON, None, None, 10_000, None)
        direct = per_query_us(lambda: run(store, job), args.repeat)
        hop = per_query_us(lambda: engine.execute(query, formats.JSON), args.repeat)
        rows.append({"query": name, "in_process_us": round(direct), "engine_us": round(hop),
                     "overhead_us": round(hop - direct)})
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
        f"VALUES ?v{i} {{ {' '.join(map(str, range(100)))} }}" for i in range(5)) + " }"
    started = time.perf_counter()
    try:
        engine.execute(heavy, formats.JSON)
    except Exception as error:  # noqa: BLE001 - the expected QueryTimeoutError
        timed_out = time.perf_counter() - started
        kind = type(error).__name__
    while len(engine.pool.pids()) < 1:
        time.sleep(0.005)
    replaced = time.perf_counter() - started - timed_out
    engine.close()
    built.close()
    wake = {f"after {busy} µs busy": round(wake_up_us(busy, min(args.repeat, 1000)), 1) for busy in (0, 200, 1000)}
    print("| query | in-process µs | via worker µs | hop overhead µs |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row['query']} | {row['in_process_us']} | {row['engine_us']} | {row['overhead_us']} |")
    print(f"\ntimeout: {kind} after {timed_out * 1000:.0f} ms (limit 1000 ms); "
          f"fresh worker ready {replaced * 1000:.0f} ms later")
    print("pipe round trip to another process (median µs): " + ", ".join(f"{k}: {v}" for k, v in wake.items()))
    out = Path(__file__).parent / "results" / "overhead.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"command": "bench/overhead.py " + " ".join(sys.argv[1:]), "queries": rows,
                               "timeout_ms": timed_out * 1000, "replace_ms": replaced * 1000,
                               "round_trip_us": wake}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
