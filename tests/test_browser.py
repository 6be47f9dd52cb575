"""In a real browser (Debian's headless chromium, driven by Playwright): the home page, switching language,
the eligibility form, a measure page and the SPARQL query UI, each checked with axe-core and kept as a
screenshot in tests/artifacts/.

Locally the test skips, saying why, when chromium, Playwright or axe-core is missing; under CI (CI=true) it
fails instead. `.ci/run` installs all three (apt `chromium`, pip `playwright`, `npm ci` in tests/browser/);
Playwright's own browser download (`playwright install`) is never used.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import require

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts" / "browser"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Inputs of the form and what the brochure says about them (Wallonia, employment contract, 5% employment
# rate, 8 months inactive): the integration premium applies; the awareness funding is not for a hire.
# The form takes the rate as a percentage; /eligibility as a fraction.
FORM = {"region": "wallonia", "contract": "employment", "employment_rate_percent": "5", "inactive_months": "8"}
API = {"region": "wallonia", "contract": "employment", "employment_rate": "0.05", "inactive_months": "8"}
EXPECTED = {
    "https://w3id.org/inclusion-kg/id/measure/aviq-integratiepremie": "eligible",
    "https://w3id.org/inclusion-kg/id/measure/aviq-sensibilisering-handicap": "not-eligible",
}


def missing_prerequisite() -> str | None:
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        return f"chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (pip) is not installed"
    if not AXE.exists():
        return f"axe-core is not installed ({AXE}; run `npm ci --prefix tests/browser`)"
    return None


@pytest.fixture(scope="module")
def browser():
    require(missing_prerequisite())
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def fill(page, answers: dict) -> None:
    for name, value in answers.items():
        field = page.locator(f"#f-{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def statuses(page) -> dict[str, str]:
    """The measures of the result on the page and the status each is shown with."""
    results = page.locator("#result li.measure-result")
    results.first.wait_for()
    return {results.nth(i).get_attribute("data-measure"): results.nth(i).get_attribute("data-status")
            for i in range(results.count())}


def block_other_hosts(context) -> list[str]:
    """Abort every request to a host other than this machine (as offline); returns the list of those asked."""
    outside = []

    def only_local(route):
        if route.request.url.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost"):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    context.route("**/*", only_local)
    return outside


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def axe_violations(page, include: str | dict | None = None) -> list[dict]:
    """axe-core's serious and critical violations of WCAG 2.1 A/AA rules on the current page."""
    page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    result = page.evaluate("([context, options]) => axe.run(context || document, options)",
                           [include, options])
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def site(browser, make_app, start_server) -> str:
    """A server of its own: the browser's parallel requests never share query workers with other tests."""
    return start_server(make_app())


def test_home_language_form_measure_and_query_ui(page, site):
    # 1. the home page, in the browser's language, with the brochure's tables
    page.goto(f"{site}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("table.measures").count() >= 4
    shot(page, "1-home")
    assert axe_violations(page) == []

    # 2. switch to French with the language switcher (keyboard: focus the link, press Enter)
    page.get_by_role("link", name="Français").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**lang=fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Aides régionales aux employeurs"
    shot(page, "2-home-fr")

    # 3. the eligibility form: the statuses shown are those /eligibility gives, and the brochure's
    fill(page, FORM)
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url("**#result")
    measures = page.request.get(f"{site}/eligibility", params={**API, "lang": "fr"}).json()["measures"]
    shown = statuses(page)
    assert shown == {m["measure"]: m["status"] for m in measures}
    for measure, status in EXPECTED.items():
        assert shown[measure] == status
    integration = page.locator(f'li.measure-result[data-measure="{next(iter(EXPECTED))}"]')
    assert "éligible" in integration.locator("h5").inner_text()
    assert integration.locator("ul.condition-results li").count() >= 2  # reasons, one per condition
    assert integration.get_by_role("link", name="AVIQ").count() >= 1  # sources
    mentoring = page.locator('li.measure-result[data-measure$="/aviq-mentoring-premie"]')
    assert "requis : oui" in mentoring.inner_text()  # a boolean in the page's language, not "true"
    awareness = page.locator(f'li.measure-result[data-measure="{list(EXPECTED)[1]}"]').inner_text()
    assert "Vrai lorsque la mesure" in awareness  # the reason, in French
    shot(page, "3-eligibility")
    assert axe_violations(page) == []

    # 4. open the measure's page from the result, still in French
    integration.locator("h5 a").click()
    page.wait_for_url("**/id/measure/aviq-integratiepremie**")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Prime d'intégration"
    assert page.get_by_role("link", name="Turtle").count() == 1
    shot(page, "4-measure")
    assert axe_violations(page) == []

    # 5. run an example query in the SPARQL query UI
    page.goto(f"{site}/sparql")
    with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST") as run:
        page.locator("[data-example]").first.click()
    assert run.value.status == 200
    rows = page.locator(".yasr tbody tr")
    rows.first.wait_for(timeout=15000)
    assert rows.count() == len(run.value.json()["results"]["bindings"]) > 0
    shot(page, "5-query-ui")


# The eligibility question as an HR officer asks it: the rate typed as people write it in that language.
FLOW = {"fr": ({"region": "brussels", "contract": "employment", "employment_rate_percent": "3,5"}, "Vérifier",
               "3,5\u00a0%"),
        "nl": ({"region": "flanders", "contract": "internship", "employment_rate_percent": "2,5"}, "Controleer",
               "2,5\u00a0%")}


@pytest.mark.parametrize("lang", FLOW)
def test_eligibility_flow_bookmark_and_no_javascript(browser, site, lang):
    """Percentage in, headline out; the URL reopened in a fresh browser and, without JavaScript, the same page."""
    answers, button, shown = FLOW[lang]
    fraction = str(float(answers["employment_rate_percent"].replace(",", ".")) / 100)
    api = {k: v for k, v in answers.items() if k != "employment_rate_percent"} | {"employment_rate": fraction}
    results = {}
    for javascript in (True, False):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
        page = context.new_page()
        page.goto(f"{site}/?lang={lang}")
        fill(page, answers)
        page.get_by_role("button", name=button).click()
        page.wait_for_url("**#result")
        url = page.url
        if javascript:  # the script leaves the unanswered fields out: a short URL to share
            assert "=&" not in url and not url.split("#")[0].endswith("=")
        assert f"employment_rate_percent={answers['employment_rate_percent'].replace(',', '%2C')}" in url
        answer = page.request.get(f"{site}/eligibility", params={**api, "lang": lang}).json()
        counts = {s: sum(m["status"] == s for m in answer["measures"])
                  for s in ("eligible", "undetermined", "not-eligible")}
        headline = page.locator("#result ul.headline li").all_inner_texts()
        assert [int(h.split()[0]) for h in headline] == list(counts.values())
        assert shown in page.locator("#result").inner_text()
        assert statuses(page) == {m["measure"]: m["status"] for m in answer["measures"]}
        assert "SELECT" not in page.content() and '"measures":' not in page.content()  # no JSON, no query
        results[javascript] = statuses(page)
        shot(page, f"6-eligibility-{lang}-{'js' if javascript else 'nojs'}")
        if javascript:  # axe-core runs as a script
            assert axe_violations(page) == []
        page.emulate_media(media="print")  # the printout for an HR file: the answer, not the form
        assert not page.locator("#eligibility-form").is_visible() and page.locator("#result").is_visible()
        context.close()

        reopened = browser.new_context(java_script_enabled=javascript)  # the bookmark, in another browser
        again = reopened.new_page()
        again.goto(url)
        assert again.locator("html").get_attribute("lang") == lang
        assert statuses(again) == results[javascript]
        reopened.close()
    assert results[True] == results[False]


# A rule that needs a narrower kind than the answer (an "internship" where a table's column is the discovery
# internship, or VDAB's WES/BVS/BIS/IBO/IBO+): the page asks which kind, listing the kinds that would meet it.
WHICH_KIND = {"fr": ("brussels", "Quel type de contrat ?"), "nl": ("wallonia", "Welk soort type contract?")}


@pytest.mark.parametrize("lang", WHICH_KIND)
def test_an_answer_broader_than_the_rule_asks_which_kind(page, site, lang):
    region, question = WHICH_KIND[lang]
    answer = page.request.get(f"{site}/eligibility", params={"region": region, "contract": "internship",
                                                             "lang": lang}).json()
    asked = {m["measure"]: [o["label"] for c in m["conditions"] for o in c.get("options", [])]
             for m in answer["measures"]}
    asked = {measure: labels for measure, labels in asked.items() if labels}
    assert asked, "the brochure's tables ask a narrower kind of internship in this region"
    page.goto(f"{site}/?lang={lang}&region={region}&contract=internship#result")
    for measure, labels in asked.items():
        shown = page.locator(f'#result li.measure-result[data-measure="{measure}"]')
        assert shown.get_attribute("data-status") == "undetermined"
        text = shown.inner_text()
        assert question in text and all(label in text for label in labels), text
    shot(page, f"6-which-kind-{lang}")
    assert axe_violations(page) == []


def test_api_docs_work_offline_and_run_a_call(browser, site):
    """/docs with every request to another host blocked: Swagger UI loads and runs GET /health."""
    context = browser.new_context()
    outside = block_other_hosts(context)
    page = context.new_page()
    page.goto(f"{site}/docs")
    operation = page.locator("#operations-service-health_health_get")
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda r: r.url.endswith("/health")) as called:
        page.get_by_role("button", name="Execute").click()
    assert called.value.status == 200 and called.value.json()["status"] == "ok"
    operation.locator(".live-responses-table .response-col_status").first.wait_for()
    shot(page, "7-api-docs-offline")
    assert outside == [], f"the API docs asked another host: {outside}"
    context.close()


def test_sparql_ui_and_queries_page_share_the_site(page, site):
    """The query UI and /queries have the site's header, navigation and language switch, and pass axe-core."""
    page.goto(f"{site}/queries?lang=nl")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("navigation", name="Taal").get_by_role("link", name="Français").count() == 1
    measure = page.locator("#sources-of-measure-measure")
    assert "(phare-inzetpremie)" in measure.inner_text() and "https://" not in measure.inner_text()
    assert page.locator("#eligibility-mentor option").all_inner_texts()[1:] == ["ja", "nee"]
    shot(page, "8-queries-nl")
    assert axe_violations(page) == []
    measure.select_option("phare-inzetpremie")
    page.locator("#sources-of-measure").get_by_role("button", name="Uitvoeren").click()
    page.wait_for_url("**/queries/sources-of-measure?**")
    assert page.locator("table tbody tr").count() > 0
    # the answer is a page of the site too (in the browser's language: the query's parameters are its own)
    assert page.locator("nav.languages").count() == 1 and page.locator("h1").count() == 1
    assert axe_violations(page) == []

    outside = block_other_hosts(page.context)
    page.goto(f"{site}/sparql?lang=fr")
    assert page.get_by_role("heading", level=1).inner_text() == "Point d'accès SPARQL"
    # completing a class (YASGUI declares foaf: itself, then looks the term up) must not ask another site
    page.evaluate("() => { yasgui.getTab().setQuery('SELECT * WHERE {\\n?s a '); }")
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("foaf:P", delay=80)
    page.wait_for_timeout(1500)
    assert "PREFIX foaf:" in page.evaluate("() => yasgui.getTab().getQuery()")
    assert outside == [], f"the query UI asked another host: {outside}"
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="Deutsch").click()
    page.wait_for_url("**lang=de")
    assert page.get_by_role("heading", level=1).inner_text() == "SPARQL-Endpunkt"
    assert "PREFIX ikg:" in page.locator(".yasqe").inner_text()  # the starting query uses our prefixes
    shot(page, "9-sparql-de")
    # YASGUI's tab strip (a tablist whose tabs are links) is not ours to rebuild; the rest must pass
    assert axe_violations(page, {"exclude": [[".tabsList"]]}) == []
