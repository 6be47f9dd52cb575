"""`inclusion-kg eligibility`: the /eligibility answer in the terminal (a table, or the same JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# The inputs of DESIGN.md, as options (--employment-rate gives the input employment_rate).
INPUTS = ("region", "contract", "employer", "appointment", "staff", "employment_rate", "inactive_months",
          "mentor", "individual_transport", "date", "lang")  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", required=True, help="where the staff member is domiciled (e.g. wallonia)")
    parser.add_argument("--contract", help="contract type slug or IRI (internship, adaptation-contract, employment, ibo ...)")
    parser.add_argument("--employer", help="organisation type slug or IRI (federal-administration, municipality ...)")
    parser.add_argument("--appointment", help="contractual or statutory")
    parser.add_argument("--staff", help="staff category: teaching or support")
    parser.add_argument("--employment-rate", help="share of the employer's staff with a disability, 0..1 (3%% is 0.03)")
    parser.add_argument("--inactive-months", help="whole months the person was inactive before the hire")
    parser.add_argument("--mentor", help="true if a mentor is appointed")
    parser.add_argument("--individual-transport", help="true if the employee travels by individual transport")
    parser.add_argument("--date", help="rules in force on this day, YYYY-MM-DD (default today)")
    parser.add_argument("--lang", default="en", help="language of the labels: nl, fr, de, en (default en)")
    parser.add_argument("--json", action="store_true", help="print the JSON answer of GET /eligibility")


def run(args: argparse.Namespace) -> int:
    from inclusion_kg import eligibility
    from inclusion_kg.eligibility.table import render
    from inclusion_kg.errors import SparqlError
    from inclusion_kg.graph import InvalidDataError, load_graph, project_root
    from inclusion_kg.named_queries.results import store_from_graph, store_select

    root = Path(args.root) if args.root else project_root()
    try:
        graph = load_graph(validate=not args.no_validate, root=root)
    except InvalidDataError as error:
        print("error: the data does not conform to the shapes:", file=sys.stderr)
        print(error.report, file=sys.stderr)
        return 1
    evaluator = eligibility.build(store_select(store_from_graph(graph)), root / "queries")
    raw = {name: getattr(args, name) for name in INPUTS if getattr(args, name, None) is not None}
    try:
        answer = evaluator.answer(eligibility.parse_inputs(evaluator.vocabulary, raw))
    except SparqlError as error:  # a bad input: say what is accepted, no traceback
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    if args.json:  # as GET /eligibility, with the release the data is (docs/history.md)
        from inclusion_kg.graph import data_files, data_version
        from inclusion_kg.history.log import load_log
        from inclusion_kg.history.state import release_name

        answer["release"] = release_name(load_log(root, validate=False), graph, data_version(data_files(root)))
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render(answer, evaluator.vocabulary))
    return 0
