"""Scale benchmark: synthetic data linked to ours (1M, optionally 10M triples) served beside our graph.

    .venv/bin/python bench/scale.py --triples 1000000 [--virtuoso] [--out bench/results/scale-1m.json]

Measures, on the same N-Triples file:
- load time and peak memory (RSS, /usr/bin/time): `oxigraph load` (Oxigraph's CLI, on disk) against our
  `build_store` with `--data` (in memory and on disk), and our `publish --data` into Virtuoso;
- /eligibility and /queries latency (p50, p99 over distinct questions, so no cache answers) on the small
  graph alone and with the extra data: in memory, on disk, and (named queries) on Virtuoso.
The data: measures of other (fictional) agencies in our regions, organisations with their types and
staff figures, yearly statistics; every entity links to our regions, agencies, contract and organisation types.
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
            if i % 10_000 == 0:
                bar.update(100_000 if i else 0)
        bar.done = entities * 10


def timed(command: list[str], env: dict | None = None) -> dict:
    """Wall seconds and peak RSS (MB) of a command, by /usr/bin/time; the command may print one JSON line."""
    started = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", *command], capture_output=True, text=True, env=env)
    wall = time.monotonic() - started
    if done.returncode:
        raise RuntimeError(f"{command} failed:\n{done.stdout}\n{done.stderr[-2000:]}")
    line = [l for l in done.stderr.splitlines() if l.startswith("TIME ")][-1].split()
    result = {"seconds": round(wall, 2), "peak_mb": round(int(line[2]) / 1024)}
    inner = [l for l in done.stdout.splitlines() if l.startswith("{")]
    if inner:
        result.update(json.loads(inner[-1]))
    return result


OUR_LOAD = """
import json, sys, time
from pathlib import Path
from rdflib import Graph
from inclusion_kg.store import build_store
started = time.monotonic()
built = build_store(Graph(), sys.argv[1], (Path(sys.argv[2]),))
print(json.dumps({"load_seconds": round(time.monotonic() - started, 2), "quads": built.quads}))
built.close()
"""


def latency(settings: dict, questions: int) -> dict:
    """p50/p99 (ms) of /eligibility (distinct dates: no cached answer) and of a named query, in-process."""
    from fastapi.testclient import TestClient

    from inclusion_kg.app import create_app
    from inclusion_kg.settings import Settings

    settings = dict(settings)
    skip_eligibility = settings.pop("skip_eligibility", False)
    app = create_app(Settings(cache_entries=0, **settings))
    result = {}
    with TestClient(app) as client:
        runs = {
            "eligibility": lambda i: client.get("/eligibility", params={
                "region": REGIONS[i % 4], "contract": "employment", "date": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}"}),
            "named_query": lambda i: client.get("/queries/measures-by-region", params={"region": REGIONS[i % 4]},
                                                headers={"Accept": "application/sparql-results+json"}),
        }
        if skip_eligibility:
            runs.pop("eligibility")
        for name, run in runs.items():
            times = []
            for i in range(questions):
                started = time.perf_counter()
                response = run(i)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.text[:300]
            times.sort()
            result[name] = {"p50_ms": round(statistics.median(times), 1),
                            "p99_ms": round(times[int(len(times) * 0.99) - 1], 1), "n": questions}
    app.state.engine.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000, help="1000000; 10000000 is long on 2 cores")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--virtuoso", action="store_true", help="also load into and query a throwaway Virtuoso")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ikg-scale-"))
    python = sys.executable
    oxigraph = str(Path(python).parent / "oxigraph")
    report: dict = {"triples": args.triples, "cpu": os.cpu_count()}
    try:
        data = work / "synthetic.nt"
        generate(data, args.triples)
        report["load"] = {
            "oxigraph load (CLI, disk)": timed([oxigraph, "load", "--location", str(work / "ox-cli"), "--file", str(data)]),
            "inclusion-kg --data (memory)": timed([python, "-c", OUR_LOAD, "memory", str(data)]),
            "inclusion-kg --data (disk)": timed([python, "-c", OUR_LOAD, str(work / "ours"), str(data)]),
        }
        print(json.dumps(report["load"], indent=1), file=sys.stderr)
        shutil.rmtree(work / "ox-cli", ignore_errors=True)
        report["latency"] = {
            "small graph (memory)": latency({}, args.questions),
            "with data (memory)": latency({"data": (data,)}, args.questions),
            "with data (disk)": latency({"data": (data,), "store": str(work / "ours")}, args.questions),
        }
        if args.virtuoso:
            report["virtuoso"] = virtuoso(work, data, args.questions)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


def virtuoso(work: Path, data: Path, questions: int) -> dict:
    from inclusion_kg.remote import servers

    started = servers.start_published("virtuoso", work / "virtuoso")
    try:
        env = {**os.environ, "INCLUSION_KG_STORE_USER": "dba", "INCLUSION_KG_STORE_PASSWORD": started.password,
               "INCLUSION_KG_STORE_AUTH": "digest"}
        load = timed([python_bin(), "-m", "inclusion_kg.cli", "publish", "--to", started.store, "--update",
                      started.update, "--gsp", started.gsp, "--data", str(data), "--graph", EX + "graph"], env=env)
        settings = {"store": started.store, "graphs": (EX + "graph",), "skip_eligibility": True}
        return {"publish --data (load, verify)": load,
                "small graph": latency({"store": started.store, "skip_eligibility": True}, questions),
                "with data": latency(settings, questions)}
    finally:
        started.stop()


def python_bin() -> str:
    return sys.executable


if __name__ == "__main__":
    sys.exit(main())
