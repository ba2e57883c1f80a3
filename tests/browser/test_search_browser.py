"""Material's search box in Chromium finds the page a customer is looking for (the queries of the index test)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from ..site.test_search import SEARCH_CASES

pytestmark = pytest.mark.browser

# The index test asks for the top 3 of a model of lunr's scoring; the real lunr ranks a little differently
# (it weighs section titles and term frequency its own way), so the browser asks for the first five results.
TOP = 5
SEARCH_TIMEOUT_MS = 90_000


@pytest.mark.parametrize(("lang", "query", "expected"), SEARCH_CASES, ids=[f"{c[0]}:{c[1]}" for c in SEARCH_CASES])
def test_search_box_finds_the_expected_page(
    page: Page, base_url: str, lang: str, query: str, expected: tuple[str, ...]
) -> None:
    """Typing the query into the search box lists each expected page among the first results."""
    page.goto(base_url + ("en/" if lang == "en" else ""))
    page.click("label.md-search__icon, .md-search__input")
    page.fill("input.md-search__input", query)
    # Material reads the box on keyup, focus and when its index is ready; fill() sends only `input`. A reader's last
    # key sends keyup: without it the query was never read when the index was ready before the fill (CI, 90 s).
    page.press("input.md-search__input", "End")
    # The theme's search worker builds the index first: 30 s was not enough while the machine was loaded.
    page.wait_for_selector(".md-search-result__item", timeout=SEARCH_TIMEOUT_MS)
    page.wait_for_timeout(300)  # results render in one go after the worker answers
    links = page.eval_on_selector_all(
        ".md-search-result__list > .md-search-result__item > a", "items => items.map(a => a.href)"
    )
    pages = []
    for link in links:
        path = urlsplit(link).path.lstrip("/")
        if path not in pages:
            pages.append(path)
    missing = [item for item in expected if item not in pages[:TOP]]
    assert not missing, f"{query!r} ({lang}): {missing} not in the first {TOP}: {pages[:8]}"
