"""Cookies and site data blocked in Chromium's own settings: every page without an uncaught error, the palette toggles.

With storage blocked, merely reading ``window.localStorage`` throws a SecurityError. Material's head scripts read it
(docs/assets/theme/init.js guards them now); the checklist keeps working in memory and says so. The setting is the
real one (``profile.default_content_setting_values.cookies = 2``, "Block third-party and first-party cookies and site
data"), written into a fresh profile before Chromium starts, not a script that imitates it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from .conftest import ACTION_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "checklist/",
    "steps/1-application/",
    "steps/6-dns-switch/",
    "propagation/",
    "faq/",
    "manuals/hosts/",
    "tools/",
    "tools/hosts/",
    "tools/mail/",
    "tools/schedule/",
    "tools/dns-check/",
    "tools/staff-link/",
    "offline/",
    "en/",
    "en/checklist/",
    "en/tools/hosts/",
]


@pytest.fixture
def blocked(playwright_instance: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    """A Chromium profile whose settings block every site's cookies and data."""
    profile = tmp_path / "blocked-profile"
    (profile / "Default").mkdir(parents=True)
    preferences = {"profile": {"default_content_setting_values": {"cookies": 2}}}
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences), encoding="utf-8")
    context = playwright_instance.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 1280, "height": 900},
        locale="ja-JP",
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    yield context
    context.close()


def _errors_on(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_storage_really_is_blocked_in_that_profile(blocked: BrowserContext, base_url: str) -> None:
    """Sanity check of the fixture the other tests rely on: reading localStorage throws a SecurityError."""
    page = blocked.new_page()
    page.goto(base_url + "faq/")
    name = page.evaluate("() => { try { localStorage.length; return 'readable'; } catch (e) { return e.name; } }")
    assert name == "SecurityError"


def test_no_page_raises_an_uncaught_error_with_storage_blocked(blocked: BrowserContext, base_url: str) -> None:
    """Every kind of page loads and settles without one uncaught error when storage is blocked."""
    page = blocked.new_page()
    errors = _errors_on(page)
    seen: dict[str, list[str]] = {}
    for path in PAGES:
        before = len(errors)
        page.goto(base_url + path, wait_until="load")
        page.wait_for_timeout(300)  # the theme's bundle and our module run after load events
        if len(errors) > before:
            seen[path] = errors[before:]
    assert seen == {}


def test_the_palette_toggles_with_storage_blocked(blocked: BrowserContext, base_url: str) -> None:
    """The dark-mode switch still changes the scheme (it just cannot be remembered)."""
    page = blocked.new_page()
    errors = _errors_on(page)
    page.goto(base_url)
    body = page.locator("body")
    before = body.get_attribute("data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette_']:visible").first.click()
    expect(body).not_to_have_attribute("data-md-color-scheme", before or "")
    assert errors == []


def test_the_checklist_ticks_in_memory_and_says_nothing_is_saved(blocked: BrowserContext, base_url: str) -> None:
    """The checklist works with storage blocked, and tells the customer that nothing will be kept."""
    page = blocked.new_page()
    errors = _errors_on(page)
    page.goto(base_url + "checklist/")
    expect(page.locator("#nc-alerts")).to_contain_text("保存できない")
    page.fill("#checklist-domain", "example.co.jp")
    page.press("#checklist-domain", "Enter")
    box = page.locator("#done-1")
    expect(box).to_be_enabled()
    box.check()
    expect(box).to_be_checked()
    assert errors == []
