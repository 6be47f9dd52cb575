"""The eligibility page an HR officer acts on: the form in the order people answer, a percentage for the
employment rate, the question in the URL, the answer rendered by the server (no JSON, no query), errors in
the page's language naming the field by its label, and the answer's newer fields read when present.

Counts and statuses are compared with /eligibility's JSON for the same question, never written here."""

import re
from collections import Counter
from html import unescape

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from inclusion_kg.graph import load_graph
from inclusion_kg.namespaces import BASE, CPSV, IKG
from inclusion_kg.publish.answer_view import result_view
from inclusion_kg.publish.home import FORM_ORDER, home_view
from inclusion_kg.publish.view import Page

HTML = {"Accept": "text/html"}
QUESTION = {"region": "wallonia", "contract": "employment", "inactive_months": "8"}


@pytest.fixture(scope="module")
def data():
    return load_graph(validate=False)


def text(html: str) -> str:
    return re.sub(r"[ \t\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))  # keeps no-break spaces


def result_part(html: str) -> str:
    start = html.index('id="result"')
    return html[start:html.index('aria-labelledby="tables-title"')]


def field_ids(html: str) -> list[str]:
    form = html[html.index('id="eligibility-form"'):html.index("</form>")]
    return re.findall(r'<(?:select|input) id="f-([a-z_]+)"', form)


def test_the_form_asks_in_the_order_people_answer(client, data):
    ids = field_ids(client.get("/?lang=nl", headers=HTML).text)
    inputs = {str(n) for n in data.objects(None, IKG.inputName)}
    expected = [n for n in FORM_ORDER if n in inputs or n == "region"]
    asked = [i.removesuffix("_percent") for i in ids]
    assert asked[:len(expected)] == expected and asked[-1] == "date"


def test_every_field_has_a_plain_hint(client):
    for lang in ("nl", "fr", "de", "en"):
        html = client.get(f"/?lang={lang}", headers=HTML).text
        for name in field_ids(html):
            hint = re.search(rf'<small id="f-{name}-hint" class="hint">([^<]+)</small>', html)
            assert hint and hint.group(1).strip(), (lang, name)
            assert f'aria-describedby="f-{name}-hint"' in html


@pytest.mark.parametrize("lang, percent, shown", [("fr", "3,5", "3,5\u00a0%"), ("nl", "4", "4\u00a0%"),
                                                   ("en", "3.5", "3.5%")])
def test_the_question_in_the_url_is_answered_on_the_page(client, lang, percent, shown):
    """A percentage in the form is the API's fraction; the counts are /eligibility's for the same question."""
    page = client.get("/", params={**QUESTION, "employment_rate_percent": percent, "lang": lang}, headers=HTML)
    assert page.status_code == 200
    fraction = str(float(percent.replace(",", ".")) / 100)
    answer = client.get("/eligibility", params={**QUESTION, "employment_rate": fraction, "lang": lang}).json()
    counts = Counter(m["status"] for m in answer["measures"])
    result = result_part(page.text)
    headline = text(result[result.index('class="headline"'):result.index("</ul>")])
    for status in ("eligible", "undetermined", "not-eligible"):
        assert re.search(rf"(^|\D){counts[status]}\D", headline), (status, headline)
    for measure in answer["measures"]:
        card = re.search(rf'data-status="([a-z-]+)" data-measure="{re.escape(measure["measure"])}"', result)
        assert card and card.group(1) == measure["status"]
    assert shown in text(result)  # the rate as people write it, in the page's language
    assert "SELECT" not in page.text and '"measures":' not in page.text  # no query, no JSON


def test_what_each_measure_gives_is_shown(client, data):
    result = text(result_part(client.get("/", params={**QUESTION, "lang": "en"}, headers=HTML).text))
    measures = [m for m in client.get("/eligibility", params={**QUESTION, "lang": "en"}).json()["measures"]]
    for measure in measures:
        for output in data.objects(URIRef(measure["measure"]), CPSV.produces):
            name = next(str(v) for v in data.objects(output, SKOS.prefLabel) if v.language == "en")
            assert name in result, name


@pytest.mark.parametrize("lang, label", [("fr", "Taux d'emploi"), ("nl", "Tewerkstellingsgraad"),
                                         ("de", "Beschäftigungsquote")])
def test_a_bad_answer_is_named_by_its_label_in_the_page_language(client, lang, label):
    page = client.get("/", params={"region": "wallonia", "employment_rate_percent": "150", "lang": lang},
                      headers=HTML)
    assert page.status_code == 400
    error = text(re.search(r'<p class="error" role="alert">(.*?)</p>', page.text, re.S).group(1))
    assert label in error and "employment_rate" not in error and "150" in error


def test_an_unknown_slug_in_the_url_is_a_page_error_not_a_crash(client):
    page = client.get("/", params={"region": "atlantis", "lang": "en"}, headers=HTML)
    assert page.status_code == 400 and "Region of domicile" in text(page.text)


def test_without_a_region_no_question_is_asked(client):
    page = client.get("/", params={"contract": "employment"}, headers=HTML)
    assert page.status_code == 200 and 'id="result"' not in page.text


def test_a_guarded_condition_reads_as_one_sentence(client, data):
    """Actiris's staff condition applies only in education institutions: said so, and dropped elsewhere."""
    guard = next(data.objects(None, IKG.appliesOnlyIf))
    guard_label = next(str(v) for v in data.objects(guard, SKOS.prefLabel) if v.language == "en")
    unknown = text(result_part(client.get("/", params={"region": "brussels", "lang": "en"}, headers=HTML).text))
    assert f"Only in this case: {guard_label}. Then:" in unknown
    elsewhere = client.get("/", params={"region": "brussels", "employer": "municipality", "lang": "en"},
                           headers=HTML)
    assert f"Not relevant to this hire (only in this case: {guard_label})" in text(result_part(elsewhere.text))


def test_the_answer_fields_are_rendered(data):
    """What the answer says (summary, status_label, gives, quota_free, options, not_covered) is what the page
    shows, whatever the graph holds (a measure the graph does not know)."""
    page = Page("fr", "/", explicit_lang=True)
    fields = home_view(data, page)["fields"]
    measure = BASE + "id/measure/x"
    answer = {"release": "2025-10", "summary": {"eligible": 0, "undetermined": 2, "not-eligible": 0}, "measures": [
        {"measure": measure, "label": "Prime X", "agency": None, "status": "undetermined",
         "status_label": "à préciser", "gives": [{"output": measure + "-o", "label": "Une prime",
                                                    "description": None, "beneficiaries": []}],
         "quota_free": {"label": "Pas liée au quota de 3 %", "source": None},
         "conditions": [{"condition": measure + "-c", "label": "Stage de découverte", "status": "unknown",
                         "status_label": "inconnue", "input": "contract", "given": BASE + "id/contract-type/internship",
                         "options": [{"concept": "x", "label": "Stage de découverte"}]}],
         "missing": ["contract"], "sources": []},
        {"measure": measure + "2", "label": "Prime Y", "status": "undetermined", "status_label": "à préciser",
         "gives": [], "quota_free": None, "conditions": [
            {"condition": measure + "-d", "label": "Contrat", "status": "unknown", "status_label": "inconnue",
             "input": "contract", "given": BASE + "id/contract-type/adaptation-contract", "not_covered": True}],
         "missing": [], "sources": [], "agency_label": "VDAB"}]}
    result = result_view(answer, data, page, fields, {})
    assert result.release == "2025-10" and result.headline[1][1].startswith("2 ")
    x, y = result.groups[0][2]
    assert x.status_label == "à préciser" and x.gives[0].to_whom == "à qui : non précisé dans la source"
    assert x.quota_free[0] == "Pas liée au quota de 3 %"
    assert x.to_decide[0][0] == "Quel type de contrat ? L'un de : Stage de découverte."
    assert "VDAB" in y.why and not y.to_decide  # the source has no column for it: no answer decides it


def test_a_question_asked_again_is_not_modified(client):
    params = {**QUESTION, "lang": "nl"}
    first = client.get("/", params=params, headers=HTML)
    again = client.get("/", params=params, headers={**HTML, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    other = client.get("/", params={**params, "date": "2025-10-01"}, headers={"If-None-Match": first.headers["etag"],
                                                                              **HTML})
    assert other.status_code == 200  # another day's rules: another answer
