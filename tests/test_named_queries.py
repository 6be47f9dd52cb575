"""Named queries: grlc metadata and parameters, typed binding (no injection), expected rows, HTTP and OpenAPI."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from inclusion_kg.named_queries import grlc, sparql_text
from inclusion_kg.named_queries.binding import ParameterError, bind, bind_terms
from test_eligibility_fixtures import QUERIES, catalog, evaluator, select, store  # noqa: F401 (fixtures)

ID = "https://w3id.org/inclusion-kg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"

EXAMPLE = """#+ summary: Things by kind
#+ description: A longer text.
#+ tags:
#+   - first
#+   - second
#+ enumerate:
#+   - kind
#+   - lang:
#+     - en
#+     - nl
#+ defaults:
#+   - lang: en
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE {
  ?thing a ?_kind_iri ; rdfs:label ?label .   # ?_kind_iri in a comment stays
  FILTER(LANGMATCHES(LANG(?label), ?_lang))
  FILTER(?label != "?_lang" && ?__min_integer < 3 && ?__when_xsd_date != ?__name && ?kind_iri = ?__note_en)
}
"""


def test_decorators_and_parameters_follow_grlc():
    query = grlc.parse("example", EXAMPLE)
    assert (query.summary, query.description, query.tags, query.form) == (
        "Things by kind", "A longer text.", ("first", "second"), "SELECT")  # fmt: skip
    by_name = {p.name: p for p in query.parameters}
    assert by_name["kind"].kind == "iri" and by_name["kind"].required and by_name["kind"].enumerate_from_data
    assert by_name["lang"].enum == ("en", "nl") and by_name["lang"].default == "en" and not by_name["lang"].required
    assert by_name["min"].datatype == XSD + "integer" and not by_name["min"].required
    assert by_name["when"].datatype == XSD + "date"
    assert by_name["name"].kind == "literal" and by_name["name"].datatype is None
    assert by_name["note"].lang == "en"
    assert "kind_iri" not in by_name  # no leading underscore: an ordinary variable


def test_binding_replaces_whole_variable_tokens_only():
    query = grlc.parse("example", EXAMPLE)
    text = bind(query, {"kind": "http://example.org/K", "lang": "nl"}, strict=True)
    assert "?thing a <http://example.org/K> ;" in text
    assert "# ?_kind_iri in a comment stays" in text  # comments untouched
    assert '?label != "?_lang"' in text  # strings untouched
    assert "?kind_iri = " in text  # another variable with a similar name is untouched
    assert 'LANG(?label), "nl")' in text
    assert "?__min_integer" in text  # optional and absent: stays a variable (grlc's behaviour)


def test_a_cut_query_is_shared_by_every_binding_and_cannot_be_changed_by_one():
    parts, places = sparql_text.template("SELECT ?a WHERE { ?a ?b ?a } # ?a")
    assert [parts[i] for i in places["a"]] == ["?a"] * 3 and places["b"] == (5,)  # the comment is not cut
    with pytest.raises(TypeError):
        places["c"] = (0,)  # type: ignore[index]
    assert sparql_text.replace_variables("SELECT ?a WHERE { ?a ?b ?a } # ?a", {"a": "<urn:x>"}) == (
        "SELECT <urn:x> WHERE { <urn:x> ?b <urn:x> } # ?a")


@pytest.mark.parametrize(
    "value",
    [
        'x" } UNION { ?s ?p ?o } #',
        "x\n} UNION {\n?s ?p ?o",
        "a'b\"c{}<>\\",
        "# comment\nSELECT * WHERE { ?s ?p ?o }",
        '"""',
    ],
)
def test_literals_cannot_inject(value, store):
    query = grlc.parse("example", EXAMPLE)
    text = bind(query, {"kind": "http://example.org/K", "name": value, "note": value})
    found = [t for t in sparql_text.tokens(text) if t.kind == "string" and value[:1] in t.text]
    assert found, text
    store.query(text)  # still one valid query: the value stayed inside its literal
    assert "UNION" not in [t.text.upper() for t in sparql_text.tokens(text) if t.kind == "word"]


@pytest.mark.parametrize(
    "name, value",
    [
        ("kind", "http://example.org/a> } UNION { ?s ?p ?o"),
        ("kind", "http://example.org/a b"),
        ("kind", "<http://example.org/a>"),
        ("kind", "not an iri"),
        ("min", "3 } UNION { ?s ?p ?o"),
        ("min", "1.5"),
        ("when", "2025-02-30"),
        ("when", '2025-01-01"^^<http://x>'),
        ("lang", "fr"),
        ("lang", 'en") || true || ("'),
        ("unknown", "x"),
    ],
)
def test_values_that_do_not_fit_are_refused(name, value):
    query = grlc.parse("example", EXAMPLE)
    with pytest.raises(ParameterError) as error:
        bind(query, {"kind": "http://example.org/K", name: value})
    assert error.value.parameter == name and error.value.accepted


def test_a_required_parameter_must_be_given():
    with pytest.raises(ParameterError, match="required"):
        bind(grlc.parse("example", EXAMPLE), {"lang": "en"})


def test_every_query_file_parses_and_binds(catalog, store):
    """Every queries/*.rq binds with each enumerated parameter set and runs (the folder is a grlc repository)."""
    assert {"measures-by-region", "measures-by-agency", "measures-for-contract-type", "conditions-of-measure",
            "measures-without-quota-condition", "agencies-and-regions", "sources-of-measure",
            "eligibility"} <= set(catalog.queries)  # fmt: skip
    for query in catalog:
        values = {p.name: p.enum[0] for p in query.parameters if p.enum}
        store.query(catalog.bind(query.name, values))
        assert query.summary != query.name, f"{query.name} has no #+ summary"


def rows(select, catalog, name, **values):
    return [{k: v["value"].removeprefix(ID) for k, v in row.items()} for row in select(catalog.bind(name, values))]


def column(found, name):
    return [row.get(name) for row in found]


def test_the_enumerations_written_in_the_files_are_the_values_in_the_data(select, evaluator):
    """Our files list their IRI enumerations (grlc cannot build an API from a bare `- name`: tests/test_grlc.py).
    Each list is what the bare form finds in the data; for eligibility.rq's inputs, the concepts of their
    scheme in the graph."""
    from inclusion_kg import eligibility
    from inclusion_kg.named_queries.catalog import data_enumeration

    from_schemes = eligibility.enumerations(evaluator.vocabulary)
    checked = 0
    for name, query in grlc.load_folder(QUERIES).items():
        for parameter in query.parameters:
            if parameter.kind != "iri" or not parameter.enum:
                continue
            found = from_schemes.get((name, parameter.name))
            if found is None:
                found = data_enumeration(query, parameter, select)
            assert sorted(parameter.enum) == sorted(found or ()), (name, parameter.name)
            checked += 1
    assert checked >= 13  # every IRI parameter our files enumerate


def test_measures_by_region(select, catalog):
    found = rows(select, catalog, "measures-by-region", region="brussels", lang="nl")
    assert sorted(column(found, "measure")) == sorted(f"measure/{m}" for m in (
        "actiris-handicappremie", "actiris-premie-activa-brussels", "phare-arbeidspost-aanpassingen",
        "phare-inzetpremie", "phare-mentoring-premie", "phare-premie-sensibilisering-inclusie",
        "phare-tussenkomst-verplaatsingskosten"))  # fmt: skip
    assert "Inzetpremie" in column(found, "measureLabel")
    assert column(rows(select, catalog, "measures-by-region", region="flanders"), "measure") == ["measure/vdab-jobcoaches"]


def test_measures_by_agency(select, catalog):
    found = rows(select, catalog, "measures-by-agency", agency="aviq")
    assert len(found) == 7 and set(column(found, "region")) == {"region/wallonia"}
    assert column(rows(select, catalog, "measures-by-agency", agency="dsl"), "measure") == ["measure/dsl-redelijke-aanpassingen"]


def test_measures_for_contract_type_reasons_up_to_broader_types(select, catalog):
    # The brochure ticks the discovery internship ("Ontdekkingsstage") for these; the German-speaking
    # Community's text says any internship ("stage- of arbeidscontract").
    discovery = {"measure/aviq-ondersteuning-op-het-werk", "measure/aviq-tussenkomst-verplaatsingskosten",
                 "measure/phare-tussenkomst-verplaatsingskosten", "measure/dsl-redelijke-aanpassingen"}  # fmt: skip
    expected = {"discovery-internship": discovery, "internship": {"measure/dsl-redelijke-aanpassingen"},
                "ibo": {"measure/dsl-redelijke-aanpassingen"}}  # fmt: skip
    for contract, measures in expected.items():
        assert set(column(rows(select, catalog, "measures-for-contract-type", contract=contract), "measure")) == measures
    walloon = rows(select, catalog, "measures-for-contract-type", contract="adaptation-contract", region="wallonia")
    assert set(column(walloon, "measure")) == {"measure/aviq-aanpassing-arbeidspost",
        "measure/aviq-ondersteuning-op-het-werk", "measure/aviq-tussenkomst-verplaatsingskosten"}  # fmt: skip


def test_conditions_of_measure(select, catalog):
    found = rows(select, catalog, "conditions-of-measure", measure="aviq-integratiepremie")
    by_input = {row["input"]: row for row in found}
    assert set(by_input) == {"contract", "employment_rate", "inactive_months"}
    assert by_input["employment_rate"]["minInclusive"] == "0.03"
    assert by_input["inactive_months"]["minExclusive"] == "6"
    guarded = rows(select, catalog, "conditions-of-measure", measure="actiris-handicappremie")
    assert {row.get("guard") for row in guarded if row["input"] == "staff"} == {"condition/actiris-education-institution-guard"}


def test_measures_without_quota_condition(select, catalog):
    found = set(column(rows(select, catalog, "measures-without-quota-condition"), "measure"))
    quota = {"measure/phare-inzetpremie", "measure/aviq-integratiepremie", "measure/aviq-aanpassing-arbeidsomstandigheden",
             "measure/aviq-aanpassing-arbeidspost", "measure/aviq-sensibilisering-handicap"}  # fmt: skip
    assert len(found) == 16 - len(quota) and not found & quota
    walloon = set(column(rows(select, catalog, "measures-without-quota-condition", region="wallonia"), "measure"))
    assert walloon == {"measure/aviq-mentoring-premie", "measure/aviq-ondersteuning-op-het-werk",
                       "measure/aviq-tussenkomst-verplaatsingskosten"}  # fmt: skip


def test_agencies_and_regions(select, catalog):
    found = {(row["agency"], row["region"], row["measures"]) for row in rows(select, catalog, "agencies-and-regions")}
    assert found == {("agency/vdab", "region/flanders", "1"), ("agency/phare", "region/brussels", "5"),
                     ("agency/actiris", "region/brussels", "2"), ("agency/aviq", "region/wallonia", "7"),
                     ("agency/dsl", "region/german-speaking-community", "1")}  # fmt: skip


def test_sources_of_measure(select, catalog):
    found = {(row["role"], row["source"]) for row in rows(select, catalog, "sources-of-measure", measure="phare-inzetpremie")}
    assert ("source", "source/brochure-2025-phare") in found
    assert ("condition source", "source/brochure-2025-phare") in found
    assert any(role == "further information" for role, _ in found)


def test_policy_layer_queries_are_served(catalog, select):
    for name in ("recommendation-responses", "initiatives-by-organisation", "policy-timeline"):
        if name in catalog.queries:
            assert select(catalog.bind(name, {})), name


# -- HTTP ------------------------------------------------------------------------------------------------


def test_list_json_and_html(client):
    listed = client.get("/queries").json()["queries"]
    names = {q["name"] for q in listed}
    assert "measures-by-region" in names and "eligibility" in names
    region = next(q for q in listed if q["name"] == "measures-by-region")["parameters"][0]
    assert region["name"] == "region" and region["type"] == "iri" and ID + "region/wallonia" in region["enum"]
    page = client.get("/queries", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "measures-by-region" in page.text


def test_run_with_negotiated_formats(client):
    url = "/queries/measures-by-region?region=wallonia"
    answer = client.get(url, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and len(answer.json()["results"]["bindings"]) == 7
    table = client.get(url, headers={"Accept": "text/csv"})
    assert len(list(csv.DictReader(io.StringIO(table.text)))) == 7
    assert client.get(url + "&format=html").headers["content-type"].startswith("text/html")
    assert client.get(url, headers={"If-None-Match": answer.headers["etag"]}).status_code == 304
    iri = client.get("/queries/measures-by-region", params={"region": ID + "region/wallonia"}, headers={"Accept": "application/json"})
    assert iri.json() == answer.json()


def test_post_form(client):
    answer = client.post("/queries/measures-by-agency", data={"agency": "vdab"}, headers={"Accept": "application/json"})
    assert answer.status_code == 200 and len(answer.json()["results"]["bindings"]) == 1


@pytest.mark.parametrize("value", ['wallonia" } UNION { ?s ?p ?o', "wallonia>", "wallonia\n#", "} UNION {"])
def test_http_injection_is_a_400(client, value):
    answer = client.get("/queries/measures-by-region", params={"region": value}, headers={"Accept": "application/json"})
    assert answer.status_code == 400 and answer.json()["parameter"] == "region"
    assert "wallonia" in answer.json()["accepted"]


def test_http_errors(client):
    assert client.get("/queries/nope").status_code == 404
    assert client.get("/queries/measures-by-region").status_code == 400  # region is required
    assert client.get("/queries/measures-by-region?region=wallonia&lang=xx").status_code == 400
    assert client.get("/queries/measures-by-region?region=wallonia&bogus=1").status_code == 400


def test_openapi_documents_each_query(client):
    paths = client.get("/openapi.json").json()["paths"]
    for name in ("measures-by-region", "conditions-of-measure", "eligibility"):
        operation = paths[f"/queries/{name}"]["get"]
        assert operation["summary"] and "post" in paths[f"/queries/{name}"]
    params = {p["name"]: p for p in paths["/queries/measures-by-region"]["get"]["parameters"]}
    assert params["region"]["required"] and "wallonia" in params["region"]["schema"]["enum"]
    assert params["lang"]["schema"]["default"] == "en" and not params["lang"]["required"]
    months = {p["name"]: p for p in paths["/queries/eligibility"]["get"]["parameters"]}["inactiveMonths"]
    assert months["schema"]["type"] == "number"  # a decimal: six and a half months is 6.5


class _Forged:
    """Not a term pyoxigraph would write: what a bug in a term's writing could produce."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text


@pytest.mark.parametrize("text", ["<http://example.org/a> } UNION { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }",
                                  '"x" # comment', "true", '"1"^^xsd:integer'])  # fmt: skip
def test_a_bound_value_is_one_term_or_refused(text):
    """The engine keeps a template's safety analysis for its bound queries; that holds because a bound value
    is one term (IRI, string with a language tag or datatype IRI), which bind_terms checks."""
    query = grlc.parse("example", EXAMPLE)
    with pytest.raises(ParameterError, match="one SPARQL term"):
        bind_terms(query, {"kind": _Forged(text)})
    for term in (ox.NamedNode("http://example.org/K"), ox.Literal("x } UNION {", language="nl"),
                 ox.Literal("8", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))):  # fmt: skip
        assert str(term) in bind_terms(query, {"kind": term})
