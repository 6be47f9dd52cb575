"""`inclusion-kg publish`: the validated graph, the eligibility rules compiled from it and the change log (or,
with --data, other files) into a remote store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

from inclusion_kg.namespaces import DATASET, ELIGIBILITY_RULES, HISTORY


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


def published_graphs(graph, log=None) -> dict[str, list]:
    """What `publish` writes, by named graph: our validated graph (rdflib), the eligibility rules compiled from
    it (what /eligibility's lookup reads), and the change log `log` when it has releases. `serve --store`
    reads the first two from the store, and checks that it holds them (remote/backend.build_remote)."""
    from inclusion_kg.eligibility.compiled import rules_of

    ours = _ntriples(graph)
    graphs = {str(DATASET): ours, str(ELIGIBILITY_RULES): rules_of(ours)}
    if log is not None and log.releases:
        graphs[str(HISTORY)] = _ntriples(log.graph)
    return graphs


def _ntriples(graph) -> list:
    from inclusion_kg.graph import sorted_ntriples  # in the order every store of our graph is loaded in

    return [quad.triple for quad in ox.parse(sorted_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)]


def _graphs(args: argparse.Namespace) -> dict[str, list]:
    if not args.data:
        from inclusion_kg.graph import load_graph
        from inclusion_kg.history.log import load_log

        root = Path(args.root) if args.root else None
        return published_graphs(load_graph(root=root), load_log(root))  # refuses data that does not conform
    from inclusion_kg.store import rdf_format

    triples = []
    for path in args.data:
        path = Path(path)
        triples += [q.triple for q in ox.parse(path=path, format=rdf_format(path), base_iri=path.resolve().as_uri())]
    return {args.graph: triples}


def run(args: argparse.Namespace) -> int:
    from inclusion_kg.graph import DataParseError, InvalidDataError
    from inclusion_kg.history.log import LogError
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
        graphs = _graphs(args)
    except InvalidDataError as error:
        print("refusing to publish: the data does not conform to the shapes.", file=sys.stderr)
        print(error.report, file=sys.stderr)
        return 1
    except (DataParseError, DataFileError, LogError, SyntaxError, OSError) as error:
        print(f"refusing to publish: {error}", file=sys.stderr)
        return 1
    if args.graph and not args.data:  # our graph under another name (the graphs beside it keep theirs)
        graphs = {(args.graph if name == str(DATASET) else name): triples for name, triples in graphs.items()}
    for name, triples in graphs.items():  # each staged, switched and checked (remote/publish.py)
        try:
            done = publish(store, triples, name, progress=args.progress)
        except PublishError as error:
            print(f"publish of <{name}> failed, the previous one still serves: {error}", file=sys.stderr)
            return 1
        print(f"published <{done.graph}> to {store.describe()}: {done.triples} triples, {done.digest}")
    return 0
