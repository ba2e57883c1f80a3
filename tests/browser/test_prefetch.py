"""Fetch ahead, politely (docs/assets/py-prefetch.js): a page that links to a Python page warms the runtime into the
HTTP cache at idle time, never on saveData or a 2G/3G connection, at most once per runtime version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from bench import TransferLog, serve  # scripts/bench.py (conftest puts scripts/ on the path)

from .conftest import record, wait_python

pytestmark = pytest.mark.browser

STEP = "steps/6-dns-switch/"  # links to the hosts tool and the checklist
PREFETCH_TIMEOUT_MS = 120_000


def connection(save_data: bool = False, effective_type: str = "4g") -> str:
    """An init script making navigator.connection say what a phone's browser would."""
    return (
        "Object.defineProperty(Navigator.prototype, 'connection', {configurable: true, get: () => "
        f"({{saveData: {str(save_data).lower()}, effectiveType: {effective_type!r}}})}});"
    )


def prefetch_state(page: Page) -> str:
    page.wait_for_selector(
        "html[data-nc-prefetch]:not([data-nc-prefetch='running'])", state="attached", timeout=PREFETCH_TIMEOUT_MS
    )
    return str(page.get_attribute("html", "data-nc-prefetch"))


def runtime_requests(page: Page) -> list[str]:
    return [url.rsplit("/", 1)[1] for url in page.nc.requests if "/pyodide/" in url]  # type: ignore[attr-defined]


def new_page(context: BrowserContext, init: str | None = None) -> Page:
    page = context.new_page()
    if init:
        page.add_init_script(init)
    record(page)
    return page


def test_a_step_page_warms_the_runtime_and_the_tool_then_starts_from_the_cache(
    context: BrowserContext, site_root: Path
) -> None:
    """After a step page has been read, the hosts tool gets the wasm, the stdlib and our wheel from the HTTP cache:
    the server sends each of them once, during the step page; the step page itself never starts Python."""
    log = TransferLog()
    with serve(site_root, log) as base:
        page = new_page(context, connection())
        page.goto(base + STEP)
        assert prefetch_state(page) == "done"
        assert page.locator("script[data-nc-python]").count() == 0  # no Python started here
        names = runtime_requests(page)
        assert "pyodide.asm.wasm" in names and "pyodide.mjs" in names
        assert [n for n in names if re.fullmatch(r"python_stdlib-[0-9a-f]{12}\.zip", n)]
        assert [n for n in names if n.startswith("checklist_app-")] and [n for n in names if n.startswith("idna-")]
        assert "python_stdlib.zip" not in names and not [n for n in names if n.startswith("icalendar-")]
        during_step = log.mark()
        page.goto(base + "tools/hosts/")
        wait_python(page)
        sent_later = {t.path.rsplit("/", 1)[1] for t in log.since(during_step) if t.status == 200}
    assert "pyodide.asm.wasm" not in sent_later, sent_later
    assert not [n for n in sent_later if n.startswith(("python_stdlib-", "checklist_app-"))], sent_later


@pytest.mark.parametrize(
    ("init", "state"),
    [
        (connection(save_data=True), "skipped-save-data"),
        (connection(effective_type="2g"), "skipped-slow"),
        (connection(effective_type="3g"), "skipped-slow"),
        (connection(effective_type="slow-2g"), "skipped-slow"),
    ],
)
def test_no_prefetch_on_save_data_or_a_slow_connection(
    context: BrowserContext, base_url: str, init: str, state: str
) -> None:
    page = new_page(context, init)
    page.goto(base_url + STEP)
    assert prefetch_state(page) == state
    page.wait_for_timeout(1500)
    assert runtime_requests(page) == []


def test_at_most_once_per_runtime_version_in_both_languages(context: BrowserContext, base_url: str) -> None:
    page = new_page(context, connection())
    page.goto(base_url + STEP)
    assert prefetch_state(page) == "done"
    other = new_page(context, connection())
    other.goto(base_url + "en/" + STEP)
    assert prefetch_state(other) == "skipped-done"
    other.wait_for_timeout(1500)
    assert runtime_requests(other) == []
    # A new runtime version (the mark names another one) is fetched again.
    other.evaluate("localStorage.setItem('nc-prefetched-runtime', '0.0.1')")
    other.goto(base_url + STEP)
    assert prefetch_state(other) == "done"


def test_pages_that_link_to_no_python_page_and_python_pages_do_not_prefetch(page: Page, base_url: str) -> None:
    """A step page without a link to a tool or the checklist has no prefetch; nor has a Python page itself."""
    for path in ("steps/2-domain-transfer/", "tools/hosts/"):
        page.goto(base_url + path, wait_until="load")
        assert page.locator("script[src*='py-prefetch.js']").count() == 0
