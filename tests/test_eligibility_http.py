"""GET /eligibility and `inclusion-kg eligibility`: the answer's shape, order, labels, edges, bad inputs."""

from __future__ import annotations

import json

import pytest

from inclusion_kg.cli import main

ID = "https://w3id.org/inclusion-kg/id/"
WALLONIA = {"region": "wallonia", "contract": "employment", "employment_rate": "0.035", "inactive_months": "8"}


def measures(answer: dict) -> dict[str, dict]:
    return {m["measure"].removeprefix(ID + "measure/"): m for m in answer["measures"]}


def test_answer_shape_and_order(client):
    response = client.get("/eligibility", params=WALLONIA)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    answer = response.json()
    assert answer["inputs"] == {"region": ID + "region/wallonia", "contract": ID + "contract-type/employment",
                                "employment_rate": 0.035, "inactive_months": 8,
                                "date": answer["inputs"]["date"], "lang": "en"}  # fmt: skip
    assert "SELECT" in answer["query"] and "<https://w3id.org/inclusion-kg/id/region/wallonia>" in answer["query"]
    statuses = [m["status"] for m in answer["measures"]]
    assert statuses == sorted(statuses, key=["eligible", "undetermined", "not-eligible"].index)
    for status in set(statuses):
        labels = [m["label"] for m in answer["measures"] if m["status"] == status]
        assert labels == sorted(labels, key=str.casefold)
    premium = measures(answer)["aviq-integratiepremie"]
    assert premium["status"] == "eligible" and premium["agency"] == ID + "agency/aviq" and premium["agency_label"] == "AVIQ"
    assert premium["sources"] and all(s.startswith(ID + "source/") for s in premium["sources"])
    for condition in premium["conditions"]:
        assert set(condition) >= {"condition", "label", "status", "expected", "given", "source"}
        assert condition["status"] == "met" and condition["source"].startswith(ID + "source/")
    months = next(c for c in premium["conditions"] if c["input"] == "inactive_months")
    assert (months["given"], months["expected"]) == (8, "> 6")


def test_independent_of_hiring_is_listed_not_eligible_with_a_reason(client):
    awareness = measures(client.get("/eligibility", params=WALLONIA).json())["aviq-sensibilisering-handicap"]
    assert awareness["status"] == "not-eligible" and awareness["independent_of_hiring"] is True
    assert awareness["reason"]["property"].endswith("#independentOfHiring") and awareness["reason"]["label"]


def test_labels_follow_lang_and_accept_language(client):
    dutch = measures(client.get("/eligibility", params={**WALLONIA, "lang": "nl"}).json())
    assert dutch["aviq-integratiepremie"]["label"] == "Integratiepremie"
    french = client.get("/eligibility", params=WALLONIA, headers={"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"}).json()
    assert french["inputs"]["lang"] == "fr"
    assert measures(french)["aviq-integratiepremie"]["label"] != "Integration premium"


@pytest.mark.parametrize(
    "params, measure, status",
    [
        ({"employment_rate": "0.03"}, "aviq-aanpassing-arbeidspost", "eligible"),  # exactly 3% reaches the quota
        ({"employment_rate": "0.0299"}, "aviq-aanpassing-arbeidspost", "not-eligible"),
        ({"inactive_months": "6"}, "aviq-integratiepremie", "not-eligible"),  # six months is not more than six
        ({"inactive_months": "7"}, "aviq-integratiepremie", "eligible"),
        ({"inactive_months": "0"}, "aviq-integratiepremie", "not-eligible"),
        ({"inactive_months": "6.5"}, "aviq-integratiepremie", "eligible"),  # decimals: six and a half is more
        ({"inactive_months": "6.0"}, "aviq-integratiepremie", "not-eligible"),
        # Counted in calendar months up to `date` (2025-10-01): exactly six months, then one day more.
        ({"inactive_since": "2025-04-01", "inactive_months": "", "date": "2025-10-01"}, "aviq-integratiepremie", "not-eligible"),
        ({"inactive_since": "2025-03-31", "inactive_months": "", "date": "2025-10-01"}, "aviq-integratiepremie", "eligible"),
    ],
)
def test_edges(client, params, measure, status):
    answer = client.get("/eligibility", params={**WALLONIA, **params}).json()
    assert measures(answer)[measure]["status"] == status


def test_narrower_contract_types_and_iris(client):
    # VDAB's table: "Stages (WES, BVS, BIS, IBO et IBO+)" X, "Werk" ✓.
    for contract in ("ibo", ID + "contract-type/ibo-plus", "contract-type:wes"):
        answer = client.get("/eligibility", params={"region": "flanders", "contract": contract}).json()
        assert measures(answer)["vdab-jobcoaches"]["status"] == "not-eligible", contract
    # AVIQ's table: "Ontdekkingsstage" ✓ for support at work; it has no column for a Flemish IBO.
    wallonia = {"region": ID + "region/wallonia"}
    answer = client.get("/eligibility", params={**wallonia, "contract": "discovery-internship"}).json()
    assert measures(answer)["aviq-ondersteuning-op-het-werk"]["status"] == "eligible"
    support = measures(client.get("/eligibility", params={**wallonia, "contract": "ibo"}).json())["aviq-ondersteuning-op-het-werk"]
    assert (support["status"], support["missing"]) == ("undetermined", [])
    assert [(c["status"], c["not_covered"], c["options"]) for c in support["conditions"]] == [("unknown", True, [])]


def test_an_answer_broader_than_the_rule_is_undetermined_with_the_options_that_meet_it(client):
    answer = client.get("/eligibility", params={"region": "wallonia", "contract": "internship", "lang": "fr"}).json()
    support = measures(answer)["aviq-ondersteuning-op-het-werk"]
    assert (support["status"], support["missing"]) == ("undetermined", ["contract"])
    (condition,) = support["conditions"]
    assert (condition["status"], condition["not_covered"]) == ("unknown", False)
    assert condition["options"] == [{"concept": ID + "contract-type/discovery-internship", "label": "Stage de découverte"}]
    assert condition["status_label"] == "inconnue" and support["status_label"] == "indéterminé"
    # An internship never meets a rule that ticks only employment: unmet, not unknown.
    assert measures(answer)["aviq-integratiepremie"]["status"] == "not-eligible"


def test_a_value_the_table_has_no_column_for_is_not_covered(client):
    answer = client.get("/eligibility", params={"region": "flanders", "contract": "adaptation-contract"}).json()
    jobcoaches = measures(answer)["vdab-jobcoaches"]
    assert (jobcoaches["status"], jobcoaches["missing"]) == ("undetermined", [])
    (condition,) = jobcoaches["conditions"]
    assert (condition["status"], condition["not_covered"], condition["source"]) == (
        "unknown", True, ID + "source/brochure-2025-vdab")  # fmt: skip


def test_missing_lists_the_inputs_that_keep_a_measure_undetermined(client):
    answer = measures(client.get("/eligibility", params={"region": "brussels"}).json())
    assert answer["actiris-handicappremie"]["missing"] == ["appointment", "contract", "employer", "staff"]
    assert answer["phare-inzetpremie"]["missing"] == ["contract", "employment_rate"]
    decided = measures(client.get("/eligibility", params={"region": "brussels", "contract": "employment",
                                                          "employer": "federal-administration"}).json())  # fmt: skip
    assert decided["actiris-handicappremie"]["status"] == "not-eligible" and decided["actiris-handicappremie"]["missing"] == []
    guard = next(c for c in decided["actiris-handicappremie"]["conditions"] if c.get("applies_only_if"))
    assert guard["status"] == "met" and guard["applies_only_if"]["status"] == "unmet"


def test_a_guard_is_named_by_its_label_in_the_answers_language(client):
    params = {"region": "brussels", "contract": "employment", "employer": "education-institution", "lang": "fr"}
    answer = measures(client.get("/eligibility", params=params).json())
    guard = next(c for c in answer["actiris-handicappremie"]["conditions"] if c.get("applies_only_if"))
    iri = guard["applies_only_if"]["condition"]
    query = f'SELECT ?l WHERE {{ <{iri}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(LANG(?l) = "fr") }}'
    labels = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert guard["applies_only_if"]["label"] == labels[0]["l"]["value"] and guard["applies_only_if"]["status"] == "met"


def test_date_picks_rules_in_force(client):
    answer = client.get("/eligibility", params={**WALLONIA, "date": "2025-10-01"}).json()
    assert answer["inputs"]["date"] == "2025-10-01" and "2025-10-01" in answer["query"]


@pytest.mark.parametrize(
    "params, name, accepted",
    [
        ({}, "region", "wallonia"),
        ({"region": "mars"}, "region", "german-speaking-community"),
        ({"region": "wallonia", "contract": "freelance"}, "contract", "discovery-internship"),
        ({"region": "wallonia", "employment_rate": "3"}, "employment_rate", "3% is 0.03"),
        ({"region": "wallonia", "employment_rate": "3%"}, "employment_rate", "3% is 0.03"),
        ({"region": "wallonia", "employment_rate": "-0.1"}, "employment_rate", "3% is 0.03"),
        ({"region": "wallonia", "employment_rate": "abc"}, "employment_rate", "3% is 0.03"),
        ({"region": "wallonia", "inactive_months": "-1"}, "inactive_months", "0 or more"),
        ({"region": "wallonia", "inactive_months": "six"}, "inactive_months", "decimals allowed"),
        ({"region": "wallonia", "inactive_since": "2025-13-01"}, "inactive_since", "YYYY-MM-DD"),
        ({"region": "wallonia", "inactive_since": "2025-10-02", "date": "2025-10-01"}, "inactive_since", "on or before"),
        ({"region": "wallonia", "inactive_since": "2025-01-01", "inactive_months": "3"}, "inactive_since", "inactive_months"),
        ({"region": "wallonia", "date": "2025-02-30"}, "date", "YYYY-MM-DD"),
        ({"region": "wallonia", "date": "1/10/2025"}, "date", "YYYY-MM-DD"),
        ({"region": "wallonia", "mentor": "maybe"}, "mentor", "true"),
        ({"region": "wallonia", "lang": "es"}, "lang", "nl"),
        ({"region": "wallonia", "employment-rate": "0.03"}, "employment-rate", "employment_rate"),
        ({"region": 'wallonia" } UNION { ?s ?p ?o'}, "region", "wallonia"),
    ],
)
def test_bad_inputs_are_4xx_that_say_what_is_accepted(client, params, name, accepted):
    response = client.get("/eligibility", params=params, headers={"Accept": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert body["input"] == name and accepted in body["message"]
    plain = client.get("/eligibility", params=params)
    assert plain.status_code == 400 and accepted in plain.text


def test_openapi_documents_eligibility_with_an_example(client):
    operation = client.get("/openapi.json").json()["paths"]["/eligibility"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["region"]["required"] and "wallonia" in params["region"]["schema"]["enum"]
    assert "ibo" in params["contract"]["schema"]["enum"]
    assert params["employment_rate"]["schema"]["maximum"] == 1.0
    assert operation["responses"]["200"]["content"]["application/json"]["example"]["measures"]
    assert params["inactive_since"]["schema"]["format"] == "date"


def test_openapi_types_the_answer_and_the_errors(client):
    document = client.get("/openapi.json").json()
    responses = document["paths"]["/eligibility"]["get"]["responses"]
    schemas = document["components"]["schemas"]
    answer = responses["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"inputs", "summary", "measures", "query"} <= set(schemas[answer]["properties"])
    condition = schemas["Condition"]["properties"]
    assert {"options", "not_covered", "allowed", "bounds", "status_label", "input_label"} <= set(condition)
    assert schemas["Condition"]["properties"]["status"]["enum"] == ["met", "unmet", "unknown"]
    bad_input = responses["400"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"error", "message", "input", "accepted"} <= set(schemas[bad_input]["required"])
    for status in ("413", "503", "504"):
        assert responses[status]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")


def test_etag_and_304(client):
    first = client.get("/eligibility", params=WALLONIA)
    again = client.get("/eligibility", params=WALLONIA, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_each_language_is_its_own_representation_with_its_own_etag(client, monkeypatch):
    """The lookup's text is the same in every language; the answer and its ETag are not. A revalidation
    is answered before any query."""
    params = {**WALLONIA, "employment_rate": "0.0317777"}
    english = client.get("/eligibility", params=params, headers={"accept-language": "en"})
    french = client.get("/eligibility", params=params, headers={"accept-language": "fr",
                                                                 "if-none-match": english.headers["etag"]})
    assert french.status_code == 200 and french.content != english.content
    assert french.headers["etag"] != english.headers["etag"]
    monkeypatch.setattr(client.app.state.engine.cache, "get", lambda key: None)  # nothing kept: only the ETag
    ran = []
    monkeypatch.setattr(client.app.state.eligibility, "select_async", lambda query: ran.append(query))
    revalidated = client.get("/eligibility", params=params, headers={"accept-language": "fr",
                                                                      "if-none-match": french.headers["etag"]})
    assert revalidated.status_code == 304 and ran == []


def test_cli_table_and_json(capsys):
    assert main(["eligibility", "--no-validate", "--region", "wallonia", "--contract", "employment",
                 "--employment-rate", "0.035", "--inactive-months", "8"]) == 0  # fmt: skip
    table = capsys.readouterr().out
    assert "eligible" in table and "Integration premium" in table and "to decide, answer: mentor appointed" in table
    assert main(["eligibility", "--no-validate", "--region", "wallonia", "--contract", "employment", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert measures(answer)["aviq-integratiepremie"]["missing"] == ["employment_rate", "inactive_months"]
    assert main(["eligibility", "--no-validate", "--region", "wallonia", "--employment-rate", "3"]) == 2
    assert "3% is 0.03" in capsys.readouterr().err


def test_data_served_beside_ours_cannot_change_an_answer(make_app, tmp_path):
    """A `--data` file that claims a measure in Wallonia is queryable at /sparql but never an eligibility or a
    named-query answer."""
    intruder = tmp_path / "intruder.ttl"
    intruder.write_text(
        "@prefix ikg: <https://w3id.org/inclusion-kg/ontology#> .\n"
        "@prefix cpsv: <http://purl.org/vocab/cpsv#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix cv: <http://data.europa.eu/m8g/> .\n"
        "<http://example.org/fake-premium> a ikg:SupportMeasure, cpsv:PublicService ;\n"
        "  skos:prefLabel \"Fake premium\"@en ;\n"
        "  cv:hasCompetentAuthority <https://w3id.org/inclusion-kg/id/agency/aviq> ;\n"
        "  dct:source <https://w3id.org/inclusion-kg/id/source/brochure-2025-aviq> ;\n"
        "  dct:spatial <https://w3id.org/inclusion-kg/id/region/wallonia> .\n",
        encoding="utf-8",
    )
    from fastapi.testclient import TestClient

    with TestClient(make_app(data=(intruder,))) as client:
        seen = client.get(
            "/sparql", params={"query": "ASK { <http://example.org/fake-premium> a ?type }"}
        ).json()["boolean"]
        answer = client.get("/eligibility", params={"region": "wallonia", "lang": "en"})
        named = client.get("/queries/measures-by-region", params={"region": "wallonia"},
                           headers={"accept": "application/sparql-results+json"})
    assert seen is True
    assert answer.status_code == 200
    measures = {m["measure"] for m in answer.json()["measures"]}
    assert measures and "http://example.org/fake-premium" not in measures
    listed = {row["measure"]["value"] for row in named.json()["results"]["bindings"]}
    assert listed and "http://example.org/fake-premium" not in listed


def test_bound_named_queries_are_not_tokenized_again(client, monkeypatch):
    """A question binds eligibility.rq's template (RDF terms in place of variables only), so the template's
    safety analysis stands for it: the 10 kB query is not read again by the tokenizer for every new question
    (2 ms each). A query sent to /sparql still is."""
    import inclusion_kg.sparql.engine as engine_module

    calls = []
    real = engine_module.analyze
    monkeypatch.setattr(engine_module, "analyze", lambda text: calls.append(text) or real(text))
    for rate in ("0.0301234", "0.0298765"):
        assert client.get("/eligibility", params={**WALLONIA, "employment_rate": rate}).status_code == 200
    assert client.get("/queries/measures-by-region", params={"region": "flanders", "lang": "de"}).status_code == 200
    assert calls == []
    query = "ASK { ?s ?p 'bound named queries are not tokenized again' }"
    assert client.get("/sparql", params={"query": query}).status_code == 200
    assert set(calls) == {query}  # (read by the ETag and by the run; the tokenizer keeps recent analyses)


def test_a_repeated_question_is_answered_from_its_kept_body(client, monkeypatch):
    """A question asked again is answered from its JSON body (bytes) in the engine's answer cache: no query."""
    evaluator = client.app.state.eligibility  # the app this client asks (also a remote store's, elsewhere)
    ran = []
    real = evaluator.select_async

    async def counted(query):
        ran.append(query)
        return await real(query)

    monkeypatch.setattr(evaluator, "select_async", counted)
    params = {**WALLONIA, "employment_rate": "0.0312121"}
    cache = client.app.state.engine.cache
    entries = cache.status()["answers"]
    first = client.get("/eligibility", params=params)
    assert first.status_code == 200, first.text
    assert cache.status()["answers"] == entries + 1, cache.status()  # the answer's JSON, not the lookup's
    again = client.get("/eligibility", params=params)
    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert len(ran) == 1
