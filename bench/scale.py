"""Scale benchmark: synthetic data linked to ours (1M, 10M triples) served beside our graph.

    .venv/bin/python bench/scale.py --triples 1000000 [--repeat 3] [--virtuoso] [--out bench/results/scale-1m.json]
    .venv/bin/python bench/scale.py --triples 10000000 --named-questions 10 --out bench/results/scale-10m.json

Measures, on the same N-Triples file, side by side in one run:
- load: wall time and peak memory (RSS, /usr/bin/time) of `oxigraph load` (Oxigraph's CLI, on disk) and of
  our `build_store` with the file as `--data`, on disk (`bulk_load`) and in memory; `--repeat N` interleaves
  the three N times (the machine is shared: compare within a round). Our process also loads our own graph
  (rdflib) first: `build_s` is the store build alone, `seconds` the whole process;
- latency: /eligibility and /queries/measures-by-region p50/p99 over distinct questions (no cached answer),
  in-process, for our graph alone and with the extra data in memory and on disk (the on-disk store the load
  step built is reused), and on Virtuoso (`--virtuoso`, after `publish --data`).
An answer other than 200 (504: past the 10 s query timeout) is counted in `failed`, its time kept. In memory,
every query worker loads the whole store (two workers: about 2 x 5 GB at 10M; `--no-memory-latency` skips it).
The data: measures of other (fictional) agencies in our regions, organisations with their types and
staff figures, yearly statistics; every entity links to our regions, agencies, contract and organisation types.
The load average (`/proc/loadavg`, 1 minute) is recorded before every step.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from inclusion_kg.remote.progress import Progress  # noqa: E402

ID = "https://w3id.org/inclusion-kg/id/"
EX = "https://example.org/synthetic/"
REGIONS = ["flanders", "brussels", "wallonia", "german-speaking-community"]
AGENCIES = ["vdab", "phare", "actiris", "aviq", "dsl"]
ORG_TYPES = ["federal-administration", "province", "municipality", "public-social-welfare-centre"]
CONTRACTS = ["internship", "employment", "adaptation-contract"]
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"


def generate(path: Path, triples: int) -> None:
    """About `triples` N-Triples lines: 10 per entity, entities cycling measure / organisation / statistic."""
    entities = triples // 10
    with path.open("w") as out, Progress(entities * 10, f"generate {path.name}", enabled=True) as bar:
        for i in range(entities):
            region, agency = REGIONS[i % 4], AGENCIES[i % 5]
            kind = ("measure", "organisation", "statistic")[i % 3]
            s = f"<{EX}{kind}/{i}>"
            lines = [f"{s} {RDF_TYPE} <{EX}{kind.capitalize()}> ."]
            lines.append(f'{s} {LABEL} "{kind} {i}"@en .')
            lines.append(f'{s} {LABEL} "{kind} {i}"@nl .')
            lines.append(f"{s} <http://purl.org/dc/terms/spatial> <{ID}region/{region}> .")
            lines.append(f"{s} <http://data.europa.eu/m8g/hasCompetentAuthority> <{ID}agency/{agency}> .")
            lines.append(f"{s} <{EX}contractType> <{ID}contract-type/{CONTRACTS[i % 3]}> .")
            lines.append(f"{s} <{EX}organisationType> <{ID}organisation-type/{ORG_TYPES[i % 4]}> .")
            lines.append(f'{s} <{EX}value> "{i % 997}.{i % 100:02d}"^^<http://www.w3.org/2001/XMLSchema#decimal> .')
            lines.append(f'{s} <{EX}year> "{2000 + i % 26}"^^<http://www.w3.org/2001/XMLSchema#gYear> .')
            lines.append(f"{s} <{EX}related> <{EX}{kind}/{(i * 7919) % entities}> .")
            out.write("\n".join(lines) + "\n")
            if i % 10_000 == 9_999:
                bar.update(100_000)
        bar.done = entities * 10


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def step(name: str) -> float:
    """Say which step starts (stderr) and return the 1-minute load average before it."""
    load = loadavg()
    print(f"{time.strftime('%H:%M:%S')} {name} (loadavg {load})", file=sys.stderr, flush=True)
    return load


def timed(command: list[str], env: dict | None = None) -> dict:
    """Wall seconds and peak RSS (MB) of a command, by /usr/bin/time; the command may print one JSON line."""
    result = {"loadavg_before": loadavg()}
    started = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", *command], capture_output=True, text=True, env=env)
    wall = time.monotonic() - started
    if done.returncode:
        raise RuntimeError(f"{command} failed:\n{done.stdout}\n{done.stderr[-2000:]}")
    line = [l for l in done.stderr.splitlines() if l.startswith("TIME ")][-1].split()
    result.update({"seconds": round(wall, 2), "peak_mb": round(int(line[2]) / 1024)})
    inner = [l for l in done.stdout.splitlines() if l.startswith("{")]
    if inner:
        result.update(json.loads(inner[-1]))
    return result


# What `serve --data FILE [--store PATH]` builds at start-up (app.create_app), with the same content key,
# so the latency step reuses the on-disk store instead of building it again.
OUR_LOAD = """
import json, sys, time
from pathlib import Path
from inclusion_kg.graph import data_files, data_version, load_graph
from inclusion_kg.store import build_store
graph = load_graph(validate=False)
started = time.monotonic()
built = build_store(graph, sys.argv[1], (Path(sys.argv[2]),), source_version=data_version(data_files()))
print(json.dumps({"build_s": round(time.monotonic() - started, 2), "quads": built.quads}))
built.close()
"""


def latency(settings: dict, questions: int, named_questions: int) -> dict:
    """p50/p99 (ms) of /eligibility (distinct dates: no cached answer) and of a named query, in-process."""
    from fastapi.testclient import TestClient

    from inclusion_kg.app import create_app
    from inclusion_kg.settings import Settings

    result: dict = {"loadavg_before": loadavg()}
    started = time.monotonic()
    app = create_app(Settings(cache_bytes=0, **settings))
    with TestClient(app) as client:
        result["start_s"] = round(time.monotonic() - started, 1)  # build (or reuse) the store, start the workers
        runs = {
            "eligibility": lambda i: client.get("/eligibility", params={
                "region": REGIONS[i % 4], "contract": "employment", "date": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}"}),
            "named_query": lambda i: client.get("/queries/measures-by-region", params={"region": REGIONS[i % 4]},
                                                headers={"Accept": "application/sparql-results+json"}),
        }
        for name, run in runs.items():
            times, failed = [], {}
            for i in range(questions if name == "eligibility" else named_questions):
                started = time.perf_counter()
                response = run(i)
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:  # e.g. 504: past --query-timeout; counted, and in the times
                    failed[response.status_code] = failed.get(response.status_code, 0) + 1
            times.sort()
            result[name] = {"p50_ms": round(statistics.median(times), 1),
                            "p99_ms": round(times[max(int(len(times) * 0.99) - 1, 0)], 1), "n": len(times)}
            if failed:
                result[name]["failed"] = failed
    app.state.engine.close()
    if hasattr(app.state.store, "close"):
        app.state.store.close()  # the in-memory store's N-Quads dump
    return result


def loads(work: Path, data: Path, repeat: int) -> dict:
    """`repeat` interleaved rounds of the three loads of the same file; every figure kept."""
    python, oxigraph = sys.executable, str(Path(sys.executable).parent / "oxigraph")
    rounds: dict = {"oxigraph load (CLI, disk)": [], "inclusion-kg --data (disk)": [],
                    "inclusion-kg --data (memory)": []}
    for number in range(repeat):
        for name, command, folder in (
            ("oxigraph load (CLI, disk)", [oxigraph, "load", "--location", str(work / "ox-cli"), "--file", str(data)],
             work / "ox-cli"),
            ("inclusion-kg --data (disk)", [python, "-c", OUR_LOAD, str(work / "ours"), str(data)], work / "ours"),
            ("inclusion-kg --data (memory)", [python, "-c", OUR_LOAD, "memory", str(data)], None),
        ):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)  # every load starts from an empty folder
            step(f"load {number + 1}/{repeat}: {name}")
            rounds[name].append(timed(command))
            print(f"  {json.dumps(rounds[name][-1])}", file=sys.stderr, flush=True)
    shutil.rmtree(work / "ox-cli", ignore_errors=True)
    return rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000, help="1000000 or 10000000")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the three loads (interleaved)")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--named-questions", type=int, help="for the named query (default: --questions)")
    parser.add_argument("--no-latency", action="store_true", help="loads only")
    parser.add_argument("--no-memory-latency", action="store_true",
                        help="skip the in-memory latency run (each query worker holds the whole store)")
    parser.add_argument("--virtuoso", action="store_true", help="also publish into and query a throwaway Virtuoso")
    parser.add_argument("--work", type=Path, help="folder for the data and stores (default: a temporary one)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ikg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"triples": args.triples, "cpu": os.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M"),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}
    try:
        data = work / f"synthetic-{args.triples}.nt"
        if not data.exists():
            step(f"generate {args.triples:,} triples")
            generate(data, args.triples)
        report["load"] = loads(work, data, args.repeat)
        if not args.no_latency:
            report["latency"] = {}
            runs = [("our graph alone (memory)", {}),
                    ("our graph alone (disk)", {"store": str(work / "alone")}),
                    ("with data (disk)", {"data": (data,), "store": str(work / "ours")})]
            if not args.no_memory_latency:
                runs.append(("with data (memory)", {"data": (data,)}))
            for name, settings in runs:
                step(f"latency: {name}")
                report["latency"][name] = latency(settings, args.questions, args.named_questions or args.questions)
                print(f"  {json.dumps(report['latency'][name])}", file=sys.stderr, flush=True)
        if args.virtuoso:
            report["virtuoso"] = virtuoso(work, data, args.questions)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


def virtuoso(work: Path, data: Path, questions: int) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the throwaway store launchers
    import stores as servers

    shutil.rmtree(work / "virtuoso", ignore_errors=True)
    started = servers.start_published("virtuoso", work / "virtuoso")
    try:
        env = {**os.environ, "INCLUSION_KG_STORE_USER": "dba", "INCLUSION_KG_STORE_PASSWORD": started.password,
               "INCLUSION_KG_STORE_AUTH": "digest"}
        result = {}
        step("virtuoso: our graph alone")
        result["our graph alone"] = latency({"store": started.store}, questions, questions)
        step("virtuoso: publish --data")
        result["publish --data (load, switch, verify)"] = timed(
            [sys.executable, "-m", "inclusion_kg.cli", "publish", "--to", started.store, "--update", started.update,
             "--gsp", started.gsp, "--data", str(data), "--graph", EX + "graph", "--no-progress"], env=env)
        step("virtuoso: with data")
        result["with data"] = latency({"store": started.store, "graphs": (EX + "graph",)}, questions, questions)
        return result
    finally:
        started.stop()


if __name__ == "__main__":
    sys.exit(main())
