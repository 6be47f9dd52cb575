"""The compiled lookup (queries/eligibility-lookup.rq over the rules queries/eligibility-compile.rq builds,
joined to the rules table eligibility-rules.rq reads) gives the answers of the reference
(queries/eligibility.rq) on the whole question grid, and a measure with a kind of bound no measure of data/
has is answered right with no change to the compiler or the lookup.

The grid is read from the graph, not written here: every region, every concept (and none) of each concept
input, each number input at, just below and just above each bound the data sets on it (and none), true, false
and none for the booleans, and the dates at, before and after each edge of a validity period. Both queries
answer as /eligibility gives it (measures, conditions, statuses, labels, options, missing inputs).
tests/test_remote_backends.py runs the comparison again against Oxigraph's server and Virtuoso (on a sparser
grid: the machine is shared, and Virtuoso compiles each new question's query anew).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal
from itertools import cycle, islice

import pytest

from inclusion_kg import eligibility
from inclusion_kg.graph import load_graph, project_root
from inclusion_kg.eligibility.inputs import query_values
from inclusion_kg.named_queries.results import store_from_graph, store_select
from inclusion_kg.namespaces import IKGC, sparql_prologue
from test_eligibility_fixtures import QUERIES, evaluator, select, store  # noqa: F401 (fixtures)

DEFAULT_DATE = "2025-10-01"
BOUNDS = sparql_prologue("cv", "ikg") + """
SELECT DISTINCT ?input ?bound WHERE {
  ?condition cv:constrains/ikg:inputName ?input ; ?kind ?bound .
  VALUES ?kind { ikg:minInclusive ikg:minExclusive ikg:maxInclusive }
}"""
EDGES = sparql_prologue("dct", "dcat") + """
SELECT DISTINCT ?edge WHERE { [] dct:temporal ?period . ?period dcat:startDate|dcat:endDate ?edge }"""


def input_values(select, vocabulary) -> dict[str, list[str | None]]:
    """What each input is asked with in the grid (None: not given)."""
    near: dict[str, set[Decimal]] = {}
    for row in select(BOUNDS):
        bound = Decimal(row["bound"]["value"])
        step = Decimal("0.001") if bound < 1 else Decimal("0.5")  # a fraction, or months
        near.setdefault(row["input"]["value"], set()).update({bound - step, bound, bound + step})
    values: dict[str, list[str | None]] = {}
    for name, spec in vocabulary.inputs.items():
        if name == "region":
            continue
        if spec.is_concept:
            values[name] = [None, *sorted(spec.values)]
        elif spec.datatype and spec.datatype.endswith("#boolean"):
            values[name] = [None, "true", "false"]
        elif spec.datatype and spec.datatype.endswith("#date"):
            continue  # given as a number of months instead (inactive_since becomes inactive_months)
        else:
            values[name] = [None, *(str(v) for v in sorted(near.get(name, {Decimal(0)})) if v >= 0)]
    return values


def dates(select) -> list[str]:
    found = {DEFAULT_DATE}
    for row in select(EDGES):
        edge = date.fromisoformat(row["edge"]["value"][:10])
        found.update(str(edge + timedelta(days=d)) for d in (-1, 0, 1))
    return sorted(found)


def question_grid(select, vocabulary, per_region: int | None = None) -> list[dict[str, str]]:
    """Every region with every value of every input at least once (each input cycles through its values
    at its own pace, so that they meet in many combinations), and every combination of the concept inputs
    that a guard reads with the one it guards (organisation type, staff category, appointment)."""
    values = input_values(select, vocabulary)
    days = dates(select)
    langs = ["en", "nl", "fr", "de"]
    rounds = per_region or 3 * max(len(v) for v in [*values.values(), days])
    questions = []
    for region in sorted(vocabulary.inputs["region"].slugs()):
        streams = {name: islice(cycle(v), index, None) for index, (name, v) in enumerate(sorted(values.items()))}
        day, lang = cycle(days), cycle(langs)
        for _ in range(rounds):
            question = {"region": region, "date": next(day), "lang": next(lang)}
            question.update({name: value for name, stream in streams.items() if (value := next(stream)) is not None})
            questions.append(question)
    if per_region is None:
        for employer in values.get("employer", [None]):
            for staff in values.get("staff", [None]):
                for appointment in values.get("appointment", [None]):
                    asked = {"employer": employer, "staff": staff, "appointment": appointment}
                    questions.append({"region": "brussels", "date": DEFAULT_DATE, "lang": "en",
                                      **{k: v for k, v in asked.items() if v is not None}})  # fmt: skip
    return questions


@pytest.fixture
def grid_size() -> int | None:
    """Questions per region (None: the whole grid); tests/test_remote_backends.py asks for fewer."""
    return None


def differences(evaluator, questions) -> list:
    """The questions whose answer (measures) differs between the reference and the lookup."""
    found = []
    for raw in questions:
        inputs = eligibility.parse_inputs(evaluator.vocabulary, raw)
        answers = [evaluator.reference_measures(inputs), evaluator.answer(inputs)["measures"]]
        if answers[0] != answers[1]:
            found.append((raw, answers))
    return found


def test_the_lookup_answers_as_the_reference_on_the_question_grid(select, evaluator, grid_size):
    questions = question_grid(select, evaluator.vocabulary, grid_size)
    assert len(questions) >= (4 * grid_size if grid_size else 200)
    # The grid reaches every kind of status (so that agreeing is not agreeing on nothing).
    statuses = set()
    for raw in questions[:: max(1, len(questions) // 40)]:
        inputs = eligibility.parse_inputs(evaluator.vocabulary, raw)
        for measure in evaluator.reference_measures(inputs):
            statuses.add(measure["status"])
            statuses.update(c["status"] for c in measure["conditions"])
    assert statuses >= {"eligible", "undetermined", "not-eligible", "met", "unmet", "unknown"}
    found = differences(evaluator, questions)
    assert not found, f"{len(found)} of {len(questions)} questions differ; first: {found[0][0]}"


def test_the_named_lookup_gives_the_statuses_of_the_answer(client, select, evaluator, grid_size):
    """GET /queries/eligibility-lookup (the query, as a user runs it) gives for each measure and condition the
    status GET /eligibility gives: the statuses are the query's own (ranks 0, 1, 2 in Kleene order)."""
    measure_words, condition_words = ("not-eligible", "undetermined", "eligible"), ("unmet", "unknown", "met")
    questions = question_grid(select, evaluator.vocabulary, grid_size or 4)
    seen = set()
    for raw in questions[:: max(1, len(questions) // 24)]:
        answer = client.get("/eligibility", params=raw)
        assert answer.status_code == 200, raw
        expected = {m["measure"]: (m["status"], {c["condition"]: c["status"] for c in m["conditions"]})
                    for m in answer.json()["measures"]}  # fmt: skip
        params = {k: v for k, v in query_values(eligibility.parse_inputs(evaluator.vocabulary, raw)).items()
                  if k != "lang"}  # fmt: skip
        response = client.get("/queries/eligibility-lookup", params=params, headers={"Accept": "application/json"})
        assert response.status_code == 200, response.text
        given = {}
        for row in response.json()["results"]["bindings"]:
            lines = [line.split(" ") for line in row["conditions"]["value"].split("\n")]
            given[row["measure"]["value"]] = (measure_words[int(row["measureRank"]["value"])],
                                              {line[0]: condition_words[int(line[1])] for line in lines
                                               if line[0] != str(IKGC.always)})  # fmt: skip
        assert given == expected, raw
        seen.update(status for status, _ in expected.values())
    assert seen == set(measure_words)  # the sample reaches every status


def test_the_lookup_reads_the_same_inputs_as_the_reference_but_the_language(evaluator):
    reference = evaluator.catalog.get(eligibility.QUERY_NAME)
    lookup = evaluator.catalog.get(eligibility.LOOKUP_NAME)
    assert sorted((p.name, p.variable, p.enum) for p in reference.parameters if p.name != "lang") == sorted(
        (p.name, p.variable, p.enum) for p in lookup.parameters
    )


def test_the_compiled_rules_are_a_named_graph_of_their_own(store):
    from inclusion_kg.namespaces import ELIGIBILITY_RULES

    import pyoxigraph as ox

    rules = ox.NamedNode(str(ELIGIBILITY_RULES))
    assert store.contains_named_graph(rules)
    assert len(list(store.quads_for_pattern(None, None, None, rules))) > 500
    # Nothing compiled leaks into our graph (the default graph here).
    assert not list(store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/inclusion-kg/compiled#case"), None,
                                            ox.DefaultGraph()))  # fmt: skip


def test_a_store_without_the_compiled_rules_is_refused_with_what_to_do():
    import pyoxigraph as ox

    bare = ox.Store()  # our graph, but not the graph dataset:eligibility-rules
    bare.bulk_load(load_graph(validate=False).serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    with pytest.raises(ValueError, match="inclusion-kg publish"):
        eligibility.build(store_select(bare), QUERIES)


def test_the_answer_reports_the_lookup_bound_with_the_question(evaluator):
    inputs = eligibility.parse_inputs(evaluator.vocabulary, {"region": "wallonia", "contract": "employment",
                                                             "date": DEFAULT_DATE})  # fmt: skip
    query = evaluator.answer(inputs)["query"]
    assert query == evaluator.query_for(inputs)
    assert "ikgc:offeredIn <https://w3id.org/inclusion-kg/id/region/wallonia>" in query
    assert "eligibility-rules" in query and '"2025-10-01"^^' in query


# A measure whose rule is an upper bound (ikg:maxInclusive: no measure of data/ has one) on the employment
# rate, in force for the year 2026 only, and a condition of its own in force from 1 July 2026.
FICTITIOUS = """
PREFIX cpsv: <http://purl.org/vocab/cpsv#>
PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

<https://w3id.org/inclusion-kg/id/measure/test-capped-premium> a cpsv:PublicService , ikg:SupportMeasure ;
    dct:identifier "test-capped-premium" ;
    skos:prefLabel "Begrensde premie"@nl , "Prime plafonnée"@fr , "Begrenzte Prämie"@de , "Capped premium"@en ;
    dct:title "Begrensde premie"@nl , "Prime plafonnée"@fr , "Begrenzte Prämie"@de , "Capped premium"@en ;
    dct:description "Test."@nl , "Test."@fr , "Test."@de , "Test."@en ;
    dct:source <https://w3id.org/inclusion-kg/id/source/brochure-2025-aviq> ;
    dct:spatial <https://w3id.org/inclusion-kg/id/region/wallonia> ;
    dct:temporal <https://w3id.org/inclusion-kg/id/measure/test-capped-premium-period> ;
    cv:hasCompetentAuthority <https://w3id.org/inclusion-kg/id/agency/aviq> ;
    cv:holdsRequirement <https://w3id.org/inclusion-kg/id/condition/test-capped-rate> ,
        <https://w3id.org/inclusion-kg/id/condition/test-capped-mentor> .

<https://w3id.org/inclusion-kg/id/measure/test-capped-premium-period> a dct:PeriodOfTime ;
    dcat:startDate "2026-01-01"^^xsd:date ;
    dcat:endDate "2026-12-31"^^xsd:date .

<https://w3id.org/inclusion-kg/id/condition/test-capped-rate> a cv:Constraint ;
    dct:identifier "test-capped-rate" ;
    skos:prefLabel "Hoogstens 50%"@nl , "Au plus 50 %"@fr , "Höchstens 50 %"@de , "At most 50%"@en ;
    cv:isDerivedFrom <https://w3id.org/inclusion-kg/id/source/brochure-2025-aviq> ;
    cv:constrains ikg:employmentRate ;
    ikg:maxInclusive 0.5 .

<https://w3id.org/inclusion-kg/id/condition/test-capped-mentor> a cv:Constraint ;
    dct:identifier "test-capped-mentor" ;
    skos:prefLabel "Mentor"@nl , "Mentor"@fr , "Mentor"@de , "Mentor"@en ;
    cv:isDerivedFrom <https://w3id.org/inclusion-kg/id/source/brochure-2025-aviq> ;
    cv:constrains ikg:mentorAppointed ;
    ikg:allowedValue true ;
    dct:temporal <https://w3id.org/inclusion-kg/id/condition/test-capped-mentor-period> .

<https://w3id.org/inclusion-kg/id/condition/test-capped-mentor-period> a dct:PeriodOfTime ;
    dcat:startDate "2026-07-01"^^xsd:date .
"""


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    """An evaluator over a temporary copy of the project with the fictitious measure (data/ untouched)."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project_root() / folder, root / folder)
    (root / "data" / "test-capped.ttl").write_text(FICTITIOUS, encoding="utf-8")
    for name in ("eligibility-compile.rq", "eligibility-lookup.rq", "eligibility-rules.rq"):  # as they are
        assert (root / "queries" / name).read_bytes() == (QUERIES / name).read_bytes()
    chosen = store_select(store_from_graph(load_graph(validate=False, root=root)))
    return eligibility.build(chosen, root / "queries")


@pytest.mark.parametrize(
    "rate, day, expected",
    [  # written from the fictitious rule: rate <= 0.5, in force in 2026, the mentor rule from 1 July 2026
        ("0.5", "2026-03-01", "met"),
        ("0.499", "2026-03-01", "met"),
        ("0.501", "2026-03-01", "unmet"),
        (None, "2026-03-01", "unknown"),
        ("0.2", "2025-12-31", None),  # the day before the measure's period: not offered
        ("0.2", "2026-01-01", "met"),
        ("0.2", "2026-12-31", "met"),
        ("0.2", "2027-01-01", None),  # the day after
    ],
)
def test_a_new_kind_of_bound_is_answered_by_the_unchanged_compiler_and_lookup(capped, rate, day, expected):
    capped_evaluator = capped
    raw = {"region": "wallonia", "date": day, "mentor": "true", **({"employment_rate": rate} if rate else {})}
    inputs = eligibility.parse_inputs(capped_evaluator.vocabulary, raw)
    answer = capped_evaluator.answer(inputs)
    assert answer["query"] == capped_evaluator.query_for(inputs)  # the lookup ran
    measure = next((m for m in answer["measures"] if m["measure"].endswith("/test-capped-premium")), None)
    if expected is None:
        assert measure is None
        return
    rule = next(c for c in measure["conditions"] if c["condition"].endswith("/test-capped-rate"))
    assert rule["status"] == expected
    assert rule["bounds"] == [{"kind": "max-inclusive", "value": 0.5}]
    # The mentor rule counts only from 1 July 2026.
    mentor = [c for c in measure["conditions"] if c["condition"].endswith("/test-capped-mentor")]
    assert bool(mentor) == (day >= "2026-07-01")
    assert differences(capped_evaluator, [raw]) == []


def test_a_condition_counts_from_the_first_day_of_its_period(capped):
    capped_evaluator = capped
    for day, counted in [("2026-06-30", False), ("2026-07-01", True)]:
        raw = {"region": "wallonia", "date": day, "employment_rate": "0.2", "mentor": "false"}
        measure = next(m for m in capped_evaluator.answer(eligibility.parse_inputs(capped_evaluator.vocabulary, raw))
                       ["measures"] if m["measure"].endswith("/test-capped-premium"))  # fmt: skip
        mentor = [c for c in measure["conditions"] if c["condition"].endswith("/test-capped-mentor")]
        assert bool(mentor) == counted, day
        assert measure["status"] == ("not-eligible" if counted else "eligible"), day
        assert differences(capped_evaluator, [raw]) == []


def test_the_lookup_answers_as_the_reference_around_each_period_edge(capped):
    """The grid again over the data with the fictitious measure: its periods add dates around each edge."""
    questions = question_grid(capped.select, capped.vocabulary)
    edges = {"2025-12-31", "2026-01-01", "2026-01-02", "2026-06-30", "2026-07-01", "2026-07-02", "2026-12-31",
             "2027-01-01"}  # fmt: skip
    assert edges <= {q["date"] for q in questions}
    found = differences(capped, questions)
    assert not found, f"{len(found)} of {len(questions)} questions differ; first: {found[0][0]}"
