"""`inclusion-kg eligibility`: the /eligibility answer in the terminal (a table, or the same JSON).

Its input options are those of the ontology: one per information concept with `ikg:inputName` (and its
`ikg:dateInputName`), read from the project's ontology/ when the parser is built, so adding an input needs no
change here. `--input NAME=VALUE` gives any input by name (e.g. one a `--root` tree adds).
`--write-query` rewrites the input lines of queries/eligibility.rq and eligibility-lookup.rq from the ontology
(query_inputs.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from inclusion_kg.namespaces import sparql_prologue

OPTIONS_QUERY = sparql_prologue("ikg", "skos") + """
SELECT ?input ?dateInput ?label ?hint WHERE {
  ?concept ikg:inputName ?input .
  OPTIONAL { ?concept ikg:dateInputName ?dateInput }
  OPTIONAL { ?concept skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?concept skos:scopeNote ?hint FILTER(LANGMATCHES(LANG(?hint), "en")) }
}
ORDER BY ?input
"""
FIXED = ("region", "date", "lang")  # not information concepts: the domicile, the day, the language


def ontology_inputs(root: Path | None = None) -> list[tuple[str, str]]:
    """(input name, help) for every input the ontology defines, its date inputs included."""
    from rdflib import Graph

    from inclusion_kg.graph import project_root

    graph = Graph()
    for path in sorted(((root or project_root()) / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    found: list[tuple[str, str]] = []
    for row in graph.query(OPTIONS_QUERY):
        text = f"{row.label or row.input}" + (f": {row.hint}" if row.hint else "")
        found.append((str(row.input), text.replace("%", "%%")))
        if row.dateInput:
            found.append((str(row.dateInput), f"instead of --{str(row.input).replace('_', '-')}: the date (YYYY-MM-DD) "
                                              "it is counted from, in calendar months up to --date"))  # fmt: skip
    return found


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", help="where the staff member is domiciled (e.g. wallonia); required")
    for name, text in ontology_inputs():
        parser.add_argument("--" + name.replace("_", "-"), dest=name, help=text)
    parser.add_argument("--input", action="append", default=[], metavar="NAME=VALUE", help="any input by its name")
    parser.add_argument("--date", help="rules in force on this day, YYYY-MM-DD (default today)")
    parser.add_argument("--lang", default="en", help="language of the answer: nl, fr, de, en (default en)")
    parser.add_argument("--json", action="store_true", help="print the JSON answer of GET /eligibility")
    parser.add_argument("--write-query", action="store_true",
                        help="rewrite the input lines of queries/eligibility.rq and eligibility-lookup.rq from the ontology, then stop")  # fmt: skip


def raw_inputs(args: argparse.Namespace) -> dict[str, str]:
    """The inputs given on the command line, by name (options, then --input NAME=VALUE)."""
    skip = {"root", "no_validate", "json", "write_query", "input", "func", "command"}
    raw = {name: value for name, value in vars(args).items()
           if name not in skip and isinstance(value, str)}  # fmt: skip
    for item in args.input:
        name, _, value = item.partition("=")
        raw[name.strip()] = value
    return raw


def run(args: argparse.Namespace) -> int:
    from inclusion_kg import eligibility
    from inclusion_kg.eligibility import query_inputs
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
    select = store_select(store_from_graph(graph))
    if args.write_query:
        vocabulary = eligibility.load_vocabulary(select)
        for name in (eligibility.QUERY_NAME, eligibility.LOOKUP_NAME):
            path = root / "queries" / f"{name}.rq"
            changed = query_inputs.write(path, vocabulary)
            print(f"{path}: {'rewritten' if changed else 'already up to date'}")
        return 0
    try:
        evaluator = eligibility.build(select, root / "queries")
    except ValueError as error:  # the query's input lines are not the ontology's: say how to mend it
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        answer = evaluator.answer(eligibility.parse_inputs(evaluator.vocabulary, raw_inputs(args)))
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
