"""The eligibility rules compiled once per dataset version into a named graph of their own.

`queries/eligibility-compile.rq` (a CONSTRUCT, nothing named in it) works out from our graph what each value
of each input makes of each condition, and what a person reads of each measure and condition;
`add_compiled_rules(store, our_graph)` runs it and puts the result in the named graph ELIGIBILITY_RULES. It
is called where a store is built (store.py: start-up and each reload; `store_from_graph`, for the CLI and the
tests); `inclusion-kg publish` writes the same triples to a remote store (`rules_of`, remote/command.py). The lookup
(queries/eligibility-lookup.rq) answers a question from that graph, queries/eligibility-rules.rq reads the
question-independent part once (answer.py), and queries/eligibility.rq stays the reference
(tests/test_eligibility_lookup.py holds the two to the same answers).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from inclusion_kg.namespaces import ELIGIBILITY_RULES

COMPILE_FILE = "eligibility-compile.rq"


def compile_query(queries: Path | None = None) -> str:
    from inclusion_kg.graph import project_root

    return ((queries or project_root() / "queries") / COMPILE_FILE).read_text(encoding="utf-8")


def version(queries: Path | None = None) -> str:
    """A hash of the compiler: a store kept on disk is rebuilt when it changes."""
    return hashlib.sha256(compile_query(queries).encode()).hexdigest()[:12]


def compiled_triples(store: ox.Store, our_graph: str | None = None, queries: Path | None = None) -> list[ox.Triple]:
    """The compiled rules of the graph in `store`: its default graph, or the named graph `our_graph`."""
    options = {"default_graph": ox.NamedNode(our_graph)} if our_graph else {}
    return list(store.query(compile_query(queries), **options))


def add_compiled_rules(store: ox.Store, our_graph: str | None = None, queries: Path | None = None) -> int:
    """Replace the named graph ELIGIBILITY_RULES of `store` with the rules compiled from our graph (the
    default graph, or `our_graph`); the number of triples written."""
    triples = compiled_triples(store, our_graph, queries)
    rules = ox.NamedNode(str(ELIGIBILITY_RULES))
    if store.contains_named_graph(rules):
        store.remove_graph(rules)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, rules) for t in triples)
    return len(triples)


def rules_of(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The compiled rules of our graph given as triples (`inclusion-kg publish` writes them to a remote store)."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return compiled_triples(store)
