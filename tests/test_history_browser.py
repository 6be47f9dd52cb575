"""The history's pages in a real browser (Chromium, as tests/test_browser.py drives it), checked with axe-core:
the feed's page for people, a resource's history, one version, and the history section of a resource page."""

from __future__ import annotations

from test_browser import axe_violations, browser, page, site  # noqa: F401 (the browser test's fixtures)


def test_history_pages_are_accessible(page, site):  # noqa: F811
    for path in ("/feed", "/id/measure/phare-inzetpremie/history?lang=fr",
                 "/id/measure/phare-inzetpremie/version/2025.10", "/id/measure/phare-inzetpremie?lang=de"):
        page.goto(site + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    assert page.locator("#history").inner_text() == "Verlauf"
    page.get_by_role("link", name="Alle Versionen").click()
    page.wait_for_url("**/phare-inzetpremie/history**")
    assert page.locator("table.history tbody tr").count() >= 1
