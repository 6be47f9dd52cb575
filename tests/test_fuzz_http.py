"""Hostile input against /sparql, /queries and /eligibility: generated and mutated SPARQL, parameters and
headers, and the known blow-ups as fixed cases.

For every request: no 500 (a deliberate 503 or 504 is allowed only where a query is heavy, and says so), an
answer within the query timeout plus a margin, and every 4xx/5xx with a message. Bounded and derandomized
(the same examples on every run) so `make test` stays within minutes on two cores.
"""

from __future__ import annotations

import time

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TIMEOUT = 2.0  # seconds: the app of this module stops queries after this
MARGIN = 3.0  # a worker respawn and the test client's own overhead
FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
IKG = "https://w3id.org/inclusion-kg/ontology#"


@pytest.fixture(scope="module")
def fuzz_client(serve_cli):
    """`inclusion-kg serve` itself: a generated query may run away, and only a served process stops one."""
    served = serve_cli("--workers", "2", "--query-timeout", str(TIMEOUT), "--max-rows", "1000")
    with httpx.Client(base_url=served.url, timeout=TIMEOUT + MARGIN + 10) as client:
        yield client


def check(response, started: float, *, heavy: bool = False) -> None:
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT + MARGIN, f"{elapsed:.1f} s: past the timeout"
    allowed_5xx = (503, 504) if heavy else ()
    assert response.status_code < 500 or response.status_code in allowed_5xx, (response.status_code, response.text)
    if response.status_code >= 400:
        assert response.text.strip(), f"{response.status_code} without a message"
    if response.status_code == 503:
        assert response.headers.get("retry-after")


# -- SPARQL: a small grammar of fragments, then byte-level mutation -----------------------------------------
TERMS = st.sampled_from([
    "?s", "?p", "?o", "?x", "<urn:a>", f"<{IKG}SupportMeasure>", "a", '"x"', '"x"@nl', "1", "2.5", "true",
    "_:b", "ikg:SupportMeasure", "<http://127.0.0.1:9/>", "<file:///etc/passwd>", '"\\u0053ERVICE"',
])
PATHS = st.sampled_from(["?p", "a", "<urn:p>", "(<urn:p>|^<urn:p>)*", "<urn:p>+", "!(<urn:p>)", "^a/a?"])
FILTERS = st.sampled_from([
    "FILTER(?o > 1)", 'FILTER(REGEX(STR(?o), "(a+)+$"))', "FILTER(STRLEN(STR(?s)) < 0)", "BIND(RAND() AS ?r)",
    "OPTIONAL { ?o ?p2 ?o2 }", "MINUS { ?s a <urn:x> }", "FILTER NOT EXISTS { ?s ?p ?s }", "VALUES ?x { 1 2 }",
])
TRIPLE = st.builds(lambda s, p, o: f"{s} {p} {o} .", TERMS, PATHS, TERMS)
GROUP = st.recursive(
    st.builds(lambda ts, f: " ".join(ts) + " " + f, st.lists(TRIPLE, min_size=0, max_size=3), FILTERS),
    lambda inner: st.one_of(
        st.builds(lambda a: "{ " + a + " }", inner),
        st.builds(lambda a, b: "{ " + a + " } UNION { " + b + " }", inner, inner),
        st.builds(lambda a: "OPTIONAL { " + a + " }", inner),
        st.builds(lambda a: "GRAPH ?g { " + a + " }", inner),
    ),
    max_leaves=6,
)
FORMS = st.sampled_from(["SELECT *", "SELECT DISTINCT ?s", "SELECT (COUNT(*) AS ?n)", "ASK", "CONSTRUCT",
                         "DESCRIBE ?s", "select reduced ?o"])
MODIFIERS = st.sampled_from(["", "LIMIT 5", "ORDER BY ?s LIMIT 3", "OFFSET 2 LIMIT 1", "GROUP BY ?s", "LIMIT 0"])


@st.composite
def sparql(draw) -> str:
    form = draw(FORMS)
    where = draw(GROUP)
    if form == "CONSTRUCT":
        head = "CONSTRUCT { ?s ?p ?o } WHERE"
    else:
        head = form + " WHERE"
    text = f"PREFIX ikg: <{IKG}> {head} {{ {where} }} {draw(MODIFIERS)}"
    for at, drop, insert in draw(st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 4),
                  st.sampled_from(["", "{", "}", "(", ")", "SERVICE", "LOAD", "#", '"', "<", "\\u", "\x00", "é",
                                   "INSERT DATA", ".", ";", "*", "?", "@", "\n", "\ud800"])),
        max_size=3)):
        at %= len(text) + 1
        text = text[:at] + insert + text[at + drop:]
    return text


@FUZZ
@given(query=sparql(), how=st.sampled_from(["get", "form", "body"]),
       accept=st.sampled_from(["", "application/json", "text/csv", "text/turtle", "text/html", "*/*", "x/y;q=0",
                               "application/sparql-results+xml;q=0.5, text/tab-separated-values"]))
def test_generated_and_mutated_sparql_never_gets_a_500(fuzz_client, query, how, accept):
    headers = {"accept": accept} if accept else {}
    started = time.monotonic()
    safe = query.encode("utf-8", errors="surrogatepass")
    if how == "get":
        response = fuzz_client.get("/sparql", params={"query": query.encode("utf-8", "replace")}, headers=headers)
    elif how == "form":
        response = fuzz_client.post("/sparql", data={"query": query.encode("utf-8", "replace")}, headers=headers)
    else:
        response = fuzz_client.post("/sparql", content=safe,
                                    headers={**headers, "content-type": "application/sparql-query"})
    check(response, started, heavy=True)
    if "SERVICE" in query.upper().replace("\\U0053", "S") and response.status_code == 200:
        pytest.fail("a query naming SERVICE was answered")  # a forbidden word must never be evaluated


# -- parameters and headers -------------------------------------------------------------------------------
ELIGIBILITY = ["region", "contract", "employer", "appointment", "staff", "employment_rate", "inactive_months",
               "date", "lang", "mentor", "individual_transport", "format", "unknown"]
VALUES = st.one_of(
    st.sampled_from(["flanders", "wallonia", "brussels", "german-speaking-community", "employment", "0.03",
                     "-1", "1e308", "NaN", "2025-02-30", "9999-12-31", "nl", "fr", "xx", "", " ", "true",
                     "<script>", "' OR 1=1 --", '"} . ?s ?p ?o . {"', "%00", "../../etc/passwd"]),
    st.text(max_size=40),
)
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60)


@FUZZ
@given(params=st.lists(st.tuples(st.sampled_from(ELIGIBILITY), VALUES), max_size=8),
       accept_language=HEADER_TEXT, accept=HEADER_TEXT, if_none_match=HEADER_TEXT)
def test_eligibility_with_any_parameters_and_headers_answers_4xx_with_a_message_or_200(
        fuzz_client, params, accept_language, accept, if_none_match):
    started = time.monotonic()
    response = fuzz_client.get("/eligibility", params=params, headers={
        "accept-language": accept_language, "accept": accept, "if-none-match": if_none_match})
    check(response, started)
    assert response.status_code in (200, 304, 400, 404, 406, 422), (response.status_code, response.text)


QUERY_NAMES = ["measures-by-region", "eligibility", "conditions-of-measure", "sources-of-measure",
               "measures-by-agency", "policy-timeline", "nope", "..%2F..%2Fetc%2Fpasswd", "checks", "eligibility.rq"]
QUERY_PARAMS = ["region", "measure", "agency", "contract", "lang", "format", "date", "employmentRate",
                "inactiveMonths", "organisation", "query"]


@FUZZ
@given(name=st.sampled_from(QUERY_NAMES), params=st.lists(st.tuples(st.sampled_from(QUERY_PARAMS), VALUES),
                                                          max_size=6),
       post=st.booleans(), origin=st.sampled_from(["", "https://evil.example", "null"]))
def test_named_queries_with_any_parameters_never_get_a_500(fuzz_client, name, params, post, origin):
    headers = {"origin": origin} if origin else {}
    started = time.monotonic()
    if post:
        response = fuzz_client.post(f"/queries/{name}", data=dict(params), headers=headers)
    else:
        response = fuzz_client.get(f"/queries/{name}", params=params, headers=headers)
    check(response, started)


@FUZZ
@given(content_type=st.one_of(HEADER_TEXT, st.sampled_from([
    "application/sparql-query; charset=latin-1", "application/x-www-form-urlencoded; charset=utf-16",
    "multipart/form-data; boundary=x", "application/sparql-update", "text/plain", ""])),
    body=st.binary(max_size=300))
def test_any_post_body_and_content_type_never_gets_a_500(fuzz_client, content_type, body):
    started = time.monotonic()
    response = fuzz_client.post("/sparql", content=body, headers={"content-type": content_type})
    check(response, started, heavy=True)


# -- the known blow-ups, as fixed cases ---------------------------------------------------------------------
BLOWUPS = {
    "cartesian product": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "cartesian count": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "alternative inverse path star": "SELECT * WHERE { ?s (<urn:p>|^<urn:p>|?p)* ?o }".replace("|?p", ""),
    "any-predicate path star": "SELECT (COUNT(*) AS ?n) WHERE { ?s (!<urn:x>|^!<urn:x>)* ?o }",
    "catastrophic regex": 'SELECT * WHERE { ?s ?p ?o FILTER(REGEX(CONCAT(STR(?o), "' + "a" * 5000
                          + '!"), "^(a+)+$")) } LIMIT 10',
    "catastrophic regex backrefs": 'ASK { FILTER(REGEX("' + "a" * 3000 + '", "^(a|aa)*(b|\\\\1)$")) }',
    "40 nested groups": "SELECT * WHERE " + "{ " * 40 + "?s ?p ?o " + "} " * 40 + "LIMIT 1",
    "40 nested optionals": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 40 + "}" * 40 + "} LIMIT 1",
    "huge VALUES": "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(str(i) for i in range(15_000)) + " } }",
    "huge VALUES join": "SELECT * WHERE { VALUES ?a { " + " ".join(f"<urn:{i}>" for i in range(4000))
                        + " } VALUES ?b { " + " ".join(str(i) for i in range(4000)) + " } } LIMIT 5",
    "deep FILTER nesting": "ASK { FILTER(" + "(" * 190 + "1" + ")" * 190 + ") }",
    "too deep nesting": "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "long string literal": 'SELECT ("' + "x" * 90_000 + '" AS ?x) {}',
    "many unions": "SELECT * WHERE { " + " UNION ".join("{ ?s ?p ?o }" for _ in range(2000)) + " } LIMIT 3",
    "describe everything": "DESCRIBE ?s WHERE { ?s ?p ?o }",
    "construct everything twice": "CONSTRUCT { ?s ?p ?o . ?o ?p ?s } WHERE { ?s ?p ?o . ?x ?y ?z }",
    "group concat blow-up": "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?a ?b ?c . ?s ?p ?o }",
    "string doubling": "SELECT (STRLEN(" + "CONCAT(" * 30 + '"ab"' + ', "ab")' * 30 + ") AS ?n) {}",
}


@pytest.mark.parametrize("name", sorted(BLOWUPS))
def test_known_blowups_end_within_the_timeout_with_a_message(fuzz_client, name):
    query = BLOWUPS[name]
    started = time.monotonic()
    response = fuzz_client.post("/sparql", data={"query": query}, headers={"accept": "application/json"})
    check(response, started, heavy=True)
    assert response.status_code in (200, 400, 413, 422, 503, 504), (response.status_code, response.text)
    if response.status_code >= 400:
        assert response.json()["message"]
    health = fuzz_client.get("/health")
    assert health.status_code == 200  # and the server is still there
