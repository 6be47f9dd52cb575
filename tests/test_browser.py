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

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts" / "browser"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Inputs of the form and what the brochure says about them (Wallonia, employment contract, 5% employment
# rate, 8 months inactive): the integration premium applies; the awareness funding is not for a hire.
FORM = {"region": "wallonia", "contract": "employment", "employment_rate": "0.05", "inactive_months": "8"}
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
    reason = missing_prerequisite()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the browser test must run under CI: {reason}")
        pytest.skip(reason)
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


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def axe_violations(page, include: str | None = None) -> list[dict]:
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
    for name, value in FORM.items():
        field = page.locator(f"#f-{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_response(lambda r: "/eligibility?" in r.url) as answer:
        page.get_by_role("button", name="Vérifier").click()
    measures = answer.value.json()["measures"]
    results = page.locator("#eligibility-results li.measure-result")
    results.first.wait_for()
    shown = {results.nth(i).get_attribute("data-measure"): results.nth(i).get_attribute("data-status")
             for i in range(results.count())}
    assert shown == {m["measure"]: m["status"] for m in measures}
    for measure, status in EXPECTED.items():
        assert shown[measure] == status
    integration = page.locator(f'li.measure-result[data-measure="{next(iter(EXPECTED))}"]')
    assert "éligible" in integration.locator("h4").inner_text()
    assert integration.locator("ul.condition-results li").count() >= 2  # reasons, one per condition
    assert integration.get_by_role("link", name="AVIQ").count() >= 1  # sources
    mentoring = page.locator('li.measure-result[data-measure$="/aviq-mentoring-premie"]')
    assert "attendu: oui" in mentoring.inner_text()  # a boolean in the page's language, not "true"
    awareness = page.locator(f'li.measure-result[data-measure="{list(EXPECTED)[1]}"]').inner_text()
    assert "indépendant de l'engagement: Vrai lorsque la mesure" in awareness  # the reason, in French
    shot(page, "3-eligibility")
    assert axe_violations(page) == []

    # 4. open the measure's page from the result, still in French
    integration.locator("h4 a").click()
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
