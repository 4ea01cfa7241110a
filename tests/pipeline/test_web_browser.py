"""The pages in a real browser: Debian's chromium driven by Playwright against ``veille serve``
over a real ingest of the fixture site (SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.web import HOSTILE_TITLE

pytestmark = pytest.mark.parametrize("site_db_url", ["sqlite"], indirect=True)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    tab = context.new_page()
    tab.dialogs = []  # type: ignore[attr-defined]
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def test_entity_page_shows_facts_and_chart_and_a_click_reaches_the_source(page: Any, served: str) -> None:
    page.goto(served + "/entity/meta")
    assert page.locator("h1").inner_text().startswith("Meta")
    section = page.locator("#metric-gpu_count")
    values = section.locator("table.facts .value").all_inner_texts()
    assert sorted(values) == sorted(["600,000 GPU", "~350,000 GPU", "150,000 GPU"])
    assert section.locator("svg.chart circle").count() == 3
    assert section.locator("svg.chart polyline").count() == 1
    page.locator("#metric-gpu_count a.source", has_text="Chip Archive").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == "Meta's fleet at the end of 2023"
    figure = page.locator("a.figure").first
    assert figure.inner_text() == "150,000"
    figure.click()
    page.wait_for_url("**/entity/Meta#fact-*")
    assert page.locator(":target .value").inner_text() == "150,000 GPU"


def test_search_finds_an_article_by_a_word_of_its_text(page: Any, served: str) -> None:
    page.goto(served + "/")
    page.fill("input[name=q]", "warehouse")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=warehouse")
    hits = page.locator("ol.hits li")
    assert hits.count() == 1
    assert hits.locator("mark").first.inner_text().lower() == "warehouse"
    hits.locator("a").first.click()
    page.wait_for_url("**/articles/*")
    assert "warehouse robots" in page.locator(".text").inner_text()


def test_a_hostile_title_stays_text(page: Any, served: str) -> None:
    page.goto(served + "/search?q=markup")
    link = page.locator("ol.hits li a").first
    assert link.inner_text() == HOSTILE_TITLE
    link.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert "<script>alert(3)</script>" in page.locator(".text").inner_text()
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    assert page.title().startswith(HOSTILE_TITLE)
    page.goto(served + "/")
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_pages_fit_a_phone(page: Any, served: str) -> None:
    for path in ("/", "/entity/xAI", "/contradictions", "/feeds"):
        page.goto(served + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
