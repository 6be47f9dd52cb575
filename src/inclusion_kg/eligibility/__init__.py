"""Eligibility answers: which support measures apply to a hire, looked up by queries/eligibility-lookup.rq in
the rules compiled from the graph (compiled.py); queries/eligibility.rq is the reference it is held to.

`build(select, queries_folder)` reads what the inputs accept from the graph and returns an `Evaluator`;
`Evaluator.answer(parse_inputs(...))` gives the JSON of GET /eligibility.
"""

from __future__ import annotations

from pathlib import Path

from inclusion_kg.eligibility.answer import QUERY_NAME, Evaluator
from inclusion_kg.eligibility.inputs import InputError, Inputs, parse_inputs
from inclusion_kg.eligibility.lookup import LOOKUP_NAME, RULES_NAME, Rules
from inclusion_kg.eligibility.query_inputs import camel, check
from inclusion_kg.eligibility.vocabulary import REGION, Vocabulary, load_vocabulary
from inclusion_kg.named_queries.catalog import Catalog
from inclusion_kg.named_queries.results import AsyncSelect, Select

__all__ = ["LOOKUP_NAME", "QUERY_NAME", "Evaluator", "InputError", "Inputs", "build", "enumerations", "install_answers",
           "load_vocabulary", "parse_inputs"]


def enumerations(vocabulary: Vocabulary) -> dict[tuple[str, str], tuple[str, ...]]:
    """The parameters of eligibility.rq and eligibility-lookup.rq that take concepts, with the concepts the
    graph lists for them."""
    return {
        (query, camel(name)): tuple(sorted(spec.values.values()))
        for query in (QUERY_NAME, LOOKUP_NAME)
        for name, spec in vocabulary.inputs.items()
        if spec.is_concept
    }


def build(
    select: Select,
    queries: Path,
    catalog: Catalog | None = None,
    vocabulary: Vocabulary | None = None,
    select_async: AsyncSelect | None = None,
) -> Evaluator:
    """An evaluator over `select` (and `select_async`, for the event loop); reads the vocabulary and the
    catalogue of `queries` unless given."""
    vocabulary = vocabulary or load_vocabulary(select)
    for query_name in (QUERY_NAME, LOOKUP_NAME):
        check(queries / f"{query_name}.rq", vocabulary)  # their input lines are those the ontology gives
    catalog = catalog or Catalog(queries, select, enumerations(vocabulary))
    for query_name in (QUERY_NAME, LOOKUP_NAME):
        query = catalog.get(query_name)
        for name in vocabulary.names():
            if query.parameter(camel(name)) is None:
                raise ValueError(f"{query_name}.rq has no parameter for the input {name!r} "
                                 f"(expected ?__{camel(name)}_...)")
    rules = Rules(select, catalog.get(RULES_NAME).text, vocabulary)  # once per dataset version
    if vocabulary.inputs.get(REGION) and vocabulary.inputs[REGION].values and not any(rules.measure_parts.values()):
        raise ValueError("the store has measures but no compiled eligibility rules (the graph "
                         "dataset:eligibility-rules): a remote store gets them from `inclusion-kg publish`")
    return Evaluator(catalog, vocabulary, select, rules, select_async=select_async)


def install_answers(app, engine, queries: Path) -> Evaluator:
    """Serve /queries, /queries/{name} and /eligibility over the app's engine (start-up look-ups included)."""
    from inclusion_kg.eligibility.routes import install_eligibility
    from inclusion_kg.named_queries.results import engine_select, engine_select_async
    from inclusion_kg.named_queries.routes import install_named_queries

    select = engine_select(engine)
    vocabulary = load_vocabulary(select)
    catalog = Catalog(queries, select, enumerations(vocabulary))
    select_async = engine_select_async(engine, catalog.get(LOOKUP_NAME).text)
    evaluator = build(select, queries, catalog, vocabulary, select_async)
    install_named_queries(app, catalog)
    install_eligibility(app, evaluator)
    return evaluator
