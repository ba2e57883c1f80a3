"""The site under the strict Content-Security-Policy: header sent, pages and Python work, no violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .conftest import open_checklist, start_checklist, tick, wait_shown

pytestmark = pytest.mark.browser


def test_pages_are_served_with_the_strict_policy(page: Page, base_url: str) -> None:
    """The test server sends script-src 'self' 'wasm-unsafe-eval' without 'unsafe-inline'."""
    response = page.goto(base_url + "checklist/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    scripts = next(part for part in policy.split(";") if part.strip().startswith("script-src")).split()
    assert scripts[1:] == ["'self'", "'wasm-unsafe-eval'"]


def test_the_violation_recorder_sees_a_blocked_inline_script(page: Page, base_url: str) -> None:
    """Sanity check of the recorder the other tests rely on: an inline script is blocked and recorded."""
    page.goto(base_url + "faq/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.append(s); }"
    )
    page.wait_for_function("() => window.__ncCSP.length > 0")
    assert page.evaluate("window.__ran") is None
    assert page.nc.csp_violations(page)[0]["directive"].startswith("script-src")  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_checklist_with_python_has_no_violation(page: Page, base_url: str, lang: str) -> None:
    """The checklist page starts Python in its worker and runs a change under the CSP with no violation."""
    open_checklist(page, base_url, lang)
    start_checklist(page, "csp.example")
    tick(page, "#done-1")
    # The tick is saved, with its date, before the page is judged (not a fixed sleep).
    page.wait_for_function(
        "() => { const m = JSON.parse(localStorage.getItem('netcom-checklist')).migrations[0];"
        " return m.items['1'].done && m.items['1'].date; }"
    )
    assert page.nc.csp_violations(page) == []  # type: ignore[attr-defined]
    assert page.nc.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["", "steps/3-transfer-approval/", "en/steps/7-old-account/", "propagation/"])
def test_content_pages_have_no_violation(page: Page, base_url: str, path: str) -> None:
    """Overview, step pages and others load under the CSP with no violation and no script error."""
    page.goto(base_url + path)
    if path.startswith(("steps/", "en/steps/")):
        wait_shown(page)
    page.wait_for_load_state("networkidle")
    assert page.nc.csp_violations(page) == []  # type: ignore[attr-defined]
    assert page.nc.errors == []  # type: ignore[attr-defined]
