"""`inclusion-kg publish`: the validated graph and the change log (or, with --data, other files) into a remote
store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

from inclusion_kg.namespaces import DATASET, ELIGIBILITY_RULES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", required=True, metavar="URL",
                        help="the store's query URL, sparql+http(s)://[user[:password]@]HOST:PORT/PATH")
    parser.add_argument("--update", required=True, metavar="URL", help="its SPARQL 1.1 Update URL")
    parser.add_argument("--gsp", metavar="URL",
                        help="its Graph Store Protocol URL (faster loads; without it: INSERT DATA)")
    parser.add_argument("--data", nargs="*", default=[], metavar="FILE",
                        help="publish these RDF files (not validated: not ours) instead of our graph")
    parser.add_argument("--graph", metavar="IRI", help=f"the graph to replace (default: ours, {DATASET})")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")


def _triples(args: argparse.Namespace) -> list:
    if not args.data:
        from inclusion_kg.graph import load_graph

        graph = load_graph(root=Path(args.root) if args.root else None)  # refuses data that does not conform
        return [q.triple for q in ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)]
    from inclusion_kg.store import rdf_format

    triples = []
    for path in args.data:
        path = Path(path)
        triples += [q.triple for q in ox.parse(path=path, format=rdf_format(path), base_iri=path.resolve().as_uri())]
    return triples


def run(args: argparse.Namespace) -> int:
    from inclusion_kg.graph import DataParseError, InvalidDataError
    from inclusion_kg.remote.location import parse_store
    from inclusion_kg.remote.publish import PublishError, publish
    from inclusion_kg.store import DataFileError

    if args.data and not args.graph:
        print("error: --data needs --graph IRI (our own graph is only ever our validated data)", file=sys.stderr)
        return 2
    try:
        store = parse_store(args.to, update=args.update, gsp=args.gsp)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        triples = _triples(args)
    except InvalidDataError as error:
        print("refusing to publish: the data does not conform to the shapes.", file=sys.stderr)
        print(error.report, file=sys.stderr)
        return 1
    except (DataParseError, DataFileError, SyntaxError, OSError) as error:
        print(f"refusing to publish: {error}", file=sys.stderr)
        return 1
    try:
        done = publish(store, triples, args.graph or str(DATASET), progress=args.progress)
    except PublishError as error:
        print(f"publish failed, the previous graph still serves: {error}", file=sys.stderr)
        return 1
    print(f"published <{done.graph}> to {store.describe()}: {done.triples} triples, {done.digest}")
    if args.data:
        return 0
    from inclusion_kg.eligibility.compiled import rules_of

    rules = rules_of(triples)  # what /eligibility's lookup reads (eligibility/compiled.py)
    return (_publish_beside(args, store, publish, PublishError, rules, ELIGIBILITY_RULES, "the eligibility rules")
            or _publish_history(args, store, publish, PublishError))


def _publish_beside(args: argparse.Namespace, store, publish, PublishError, triples: list, graph, what: str) -> int:
    """With our graph, `what` goes to its own named graph, the same way (staging, switch, checks)."""
    try:
        done = publish(store, triples, str(graph), progress=args.progress)
    except PublishError as error:
        print(f"publish of {what} failed, the previous ones still serve: {error}", file=sys.stderr)
        return 1
    print(f"published <{done.graph}> to {store.describe()}: {done.triples} triples, {done.digest}")
    return 0


def _publish_history(args: argparse.Namespace, store, publish, PublishError) -> int:
    """With our graph, the change log (data/history/) goes to its own named graph, the same way."""
    from inclusion_kg.history.log import LogError, load_log
    from inclusion_kg.namespaces import HISTORY

    try:
        log = load_log(Path(args.root) if args.root else None)
    except LogError as error:
        print(f"refusing to publish the change log: {error}", file=sys.stderr)
        return 1
    if not log.releases:
        return 0
    data = log.graph.serialize(format="nt", encoding="utf-8")
    triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return _publish_beside(args, store, publish, PublishError, triples, HISTORY, "the change log")
