"""queries/eligibility.rq in-process: the same answers as an earlier version of it, and how long it takes.

    .venv/bin/python bench/eligibility_query.py compare [--old REV] [--new FILE]
    .venv/bin/python bench/eligibility_query.py time [--old REV] [--new FILE] [--rounds 20]

The store is built as `inclusion_kg.store.build_store` builds it (our graph in the default graph and in the
dataset's named graph) and queried as /eligibility queries it (`default_graph` = the dataset IRI). Our data
has no validity periods yet, so a few are added for this bench only (`PERIODS`: a measure that has ended,
one not yet started, a condition not yet in force) so that dates outside them are compared too.

- `compare`: the /eligibility JSON (without `query`, the SPARQL text, which differs by design) of every
  question of `questions()` from the old query (`git show REV:queries/eligibility.rq`, default HEAD) and the
  new one (default the working copy), interleaved; the old answers' digests are kept in bench/results/ per
  revision, so a second comparison only runs the new query. Exit 1 and the first differences when any differ.
- `time`: `Store.query` + JSON serialisation of the bound query, old and new interleaved question by
  question, over a sample of the questions; median and p90 in ms.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from inclusion_kg import eligibility
from inclusion_kg.eligibility.inputs import parse_inputs
from inclusion_kg.graph import load_graph, project_root
from inclusion_kg.named_queries.catalog import Catalog
from inclusion_kg.named_queries.results import rows_from_json
from inclusion_kg.namespaces import DATASET

ROOT = project_root()
RESULTS = Path(__file__).parent / "results"

# Validity periods for this bench only (our data has none): (subject, start, end); a measure that has ended,
# one that starts later, a condition not yet in force, one with a dateTime end.
PERIODS = [
    ("measure/aviq-integratiepremie", None, '"2024-12-31"^^xsd:date'),
    ("measure/actiris-handicappremie", '"2026-01-01"^^xsd:date', None),
    ("condition/phare-employment-quota", '"2026-01-01"^^xsd:date', '"2030-12-31"^^xsd:date'),
    ("condition/actiris-education-support-staff", None, '"2025-06-30T23:59:59"^^xsd:dateTime'),
    ("measure/vdab-jobcoaches", '"2024-01-01"^^xsd:date', '"2027-01-01"^^xsd:date'),
]
DATES = ["2024-06-01", "2025-10-01", "2026-06-01"]


def periods_turtle() -> str:
    lines = ["@prefix dct: <http://purl.org/dc/terms/> .", "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."]  # fmt: skip
    for number, (subject, start, end) in enumerate(PERIODS):
        period = f"<https://w3id.org/inclusion-kg/id/period/bench-{number}>"
        lines.append(f"<https://w3id.org/inclusion-kg/id/{subject}> dct:temporal {period} .")
        if start:
            lines.append(f"{period} dcat:startDate {start} .")
        if end:
            lines.append(f"{period} dcat:endDate {end} .")
    return "\n".join(lines)


def build_store(periods: bool = True) -> ox.Store:
    graph = load_graph(validate=False)
    if periods:
        graph.parse(data=periods_turtle(), format="turtle")
    ours = graph.serialize(format="nt", encoding="utf-8")
    store = ox.Store()
    store.load(ours, format=ox.RdfFormat.N_TRIPLES)
    store.load(ours, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(DATASET)))
    return store


def run_query(store: ox.Store, query: str) -> bytes:
    """What a query worker does for /eligibility: the query over our graph, written as SPARQL JSON results."""
    result = store.query(query, default_graph=[ox.NamedNode(str(DATASET))])
    return result.serialize(format=ox.QueryResultsFormat.JSON)


def questions() -> list[dict[str, str]]:
    """Every region x contract type (none, broad, narrow) x quota (exactly 3%, above, below, unknown) x
    organisation type x appointment x staff x months of inactivity (6, 7, none) x date; the language, mentor
    and individual transport cycle through their values along the table."""
    regions = ["flanders", "brussels", "wallonia", "german-speaking-community"]
    contracts = [None, "internship", "adaptation-contract", "employment", "discovery-internship", "ibo", "wes"]
    rates = [None, "0.03", "0.035", "0.02"]
    employers = [None, "federal-administration", "education-institution", "municipality"]
    appointments = [None, "contractual", "statutory"]
    staff = [None, "teaching", "support"]
    months = [None, "6", "7"]
    cycles = {"lang": itertools.cycle(["en", "nl", "fr", "de", "en"]),
              "mentor": itertools.cycle([None, "true", "false", None]),
              "individual_transport": itertools.cycle(["true", None, "false"])}  # fmt: skip
    table = []
    for values in itertools.product(regions, contracts, rates, employers, appointments, staff, months, DATES):
        names = ("region", "contract", "employment_rate", "employer", "appointment", "staff", "inactive_months", "date")
        question = {name: value for name, value in zip(names, values) if value is not None}
        for name, cycle in cycles.items():
            if (value := next(cycle)) is not None:
                question[name] = value
        table.append(question)
    return table


def query_at(revision: str) -> str:
    return subprocess.run(["git", "show", f"{revision}:queries/eligibility.rq"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout  # fmt: skip


def evaluators(store: ox.Store, old: str, new: Path, folder: Path):
    def select(query: str):
        return rows_from_json(run_query(store, query))

    (folder / "eligibility.rq").write_text(old, encoding="utf-8")
    first = eligibility.build(select, folder)
    (folder / "eligibility.rq").write_text(new.read_text(encoding="utf-8"), encoding="utf-8")
    vocabulary = first.vocabulary
    second = eligibility.build(select, folder, Catalog(folder, select, eligibility.enumerations(vocabulary)), vocabulary)
    return first, second


def canonical(answer: dict) -> str:
    return json.dumps({k: v for k, v in answer.items() if k != "query"}, sort_keys=True, ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def compare(args, store, old_evaluator, new_evaluator) -> int:
    table = questions()
    cache_file = RESULTS / f"eligibility-answers-{args.revision_id}{'' if args.periods else '-noperiods'}.json"
    known: dict[str, str] = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    differences = []
    started = time.perf_counter()
    for number, raw in enumerate(table):
        key = json.dumps(raw, sort_keys=True)
        inputs = parse_inputs(new_evaluator.vocabulary, raw)
        new = canonical(new_evaluator.answer(inputs))
        if key not in known:
            same = old_evaluator.query_for(inputs) == new_evaluator.query_for(inputs)
            known[key] = digest(new if same else canonical(old_evaluator.answer(inputs)))
        if digest(new) != known[key]:
            differences.append((raw, canonical(old_evaluator.answer(inputs)), new))
        if number % 5000 == 4999:
            print(f"  {number + 1} questions, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps(known))
    print(f"{len(table)} questions compared (old {args.old}, new {args.new}): {len(differences)} differ")
    for raw, old, new in differences[:3]:
        print("question:", raw)
        for a, b in zip(json.loads(old)["measures"], json.loads(new)["measures"]):
            if a != b:
                print("  old:", json.dumps(a, ensure_ascii=False))
                print("  new:", json.dumps(b, ensure_ascii=False))
    return 1 if differences else 0


def timing(args, store, old_evaluator, new_evaluator) -> int:
    sample = random.Random(5).sample(questions(), args.questions)
    pairs = []
    for raw in sample:
        inputs = parse_inputs(new_evaluator.vocabulary, raw)
        pairs.append((old_evaluator.query_for(inputs), new_evaluator.query_for(inputs)))
    samples: dict[str, list[float]] = {"old": [], "new": []}
    for round_number in range(args.rounds):
        for old_query, new_query in pairs:
            order = [("old", old_query), ("new", new_query)]
            if round_number % 2:
                order.reverse()  # neither always runs first
            for name, query in order:
                started = time.perf_counter()
                run_query(store, query)
                samples[name].append((time.perf_counter() - started) * 1000)
    print(f"{args.questions} questions x {args.rounds} rounds, interleaved (old {args.old}, new {args.new}):")
    print("| query | median ms | p90 ms | p99 ms |\n|---|---:|---:|---:|")
    for name, values in samples.items():
        cuts = statistics.quantiles(values, n=100)
        print(f"| {name} | {statistics.median(values):.2f} | {cuts[89]:.2f} | {cuts[98]:.2f} |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["compare", "time"])
    parser.add_argument("--old", default="HEAD", help="git revision of queries/eligibility.rq, or a file")
    parser.add_argument("--new", default=str(ROOT / "queries" / "eligibility.rq"), help="the query file")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--questions", type=int, default=60, help="questions timed (a fixed sample)")
    parser.add_argument("--no-periods", dest="periods", action="store_false", help="our data only")
    args = parser.parse_args()
    old = Path(args.old).read_text(encoding="utf-8") if Path(args.old).is_file() else query_at(args.old)
    args.revision_id = digest(old)  # the old answers' digests are kept per query text
    store = build_store(args.periods)
    with tempfile.TemporaryDirectory() as folder:
        old_evaluator, new_evaluator = evaluators(store, old, Path(args.new), Path(folder))
    return (compare if args.mode == "compare" else timing)(args, store, old_evaluator, new_evaluator)


if __name__ == "__main__":
    sys.exit(main())
