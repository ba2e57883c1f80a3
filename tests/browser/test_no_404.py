"""No request of a page fails: Material's language integration asks no <page>/sitemap.xml, the switcher no redirect."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Response

pytestmark = pytest.mark.browser

STEP = "steps/6-dns-switch/"


def _responses(page: Page) -> list[Response]:
    seen: list[Response] = []
    page.on("response", lambda response: seen.append(response))
    return seen


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_step_page_gets_no_error_response(page: Page, base_url: str, prefix: str) -> None:
    """A step page, Japanese and English: every request it makes is answered without a 4xx/5xx."""
    seen = _responses(page)
    page.goto(base_url + prefix + STEP)
    page.wait_for_load_state("networkidle")
    assert [(r.status, r.url) for r in seen if r.status >= 400] == []


def test_language_switcher_goes_straight_to_the_twin(page: Page, base_url: str) -> None:
    """Choosing English on a step page loads /en/<page>/ itself: no redirect from a slashless URL on the way."""
    page.goto(base_url + STEP)
    page.wait_for_load_state("networkidle")
    seen = _responses(page)
    page.locator("a.md-select__link[hreflang='en']").dispatch_event("click")
    page.wait_for_url(base_url + "en/" + STEP)
    documents = [(r.status, r.url) for r in seen if r.request.resource_type == "document"]
    assert documents == [(200, base_url + "en/" + STEP)]
