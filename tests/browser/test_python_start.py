"""Where and when Python's Worker starts (docs/assets/py-start.js, the page's Python client, taken by the modules).

py-start.js is loaded ``async`` in the head of the pages that use Python only (the checklist, the tool pages): it
creates the one Worker while the page is still loading and is the client the modules (run after parsing) use.
Nothing here is timed: "early" is tested as "while app.js is held back".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import (
    PYTHON_READY_TIMEOUT_MS,
    document,
    journal,
    preset_storage,
    stored,
    wait_python,
    wait_shown,
)

pytestmark = pytest.mark.browser

SAVED = document({"domain": "example.co.jp", "items": {1: {"done": True, "date": "2026-12-01"}}})


def python_workers(page: Page) -> list[str]:
    """URLs of the Python workers this page creates (Material's search worker is left out)."""
    urls: list[str] = []
    page.on("worker", lambda worker: urls.append(worker.url) if "py-worker.js" in worker.url else None)
    return urls


def hold(context: BrowserContext, pattern: str) -> Callable[[], None]:
    """Hold every request for ``pattern``; the returned function lets them (and later ones) through."""
    held: list[Any] = []
    released = False

    def handle(route: Any) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    def release() -> None:
        nonlocal released
        released = True
        for route in held:
            route.continue_()
        held.clear()

    context.route(pattern, handle)
    return release


@pytest.mark.parametrize("path", ["checklist/", "en/checklist/", "tools/hosts/", "tools/dns-check/"])
def test_the_worker_starts_before_the_page_glue_and_once(context: BrowserContext, base_url: str, path: str) -> None:
    """The Python worker exists and has its start mark while app.js is still held back (the client in the head started
    it); app.js then uses that client (no second worker) and Python becomes ready through it."""
    release_app = hold(context, "**/assets/app.js")
    page = context.new_page()
    workers = python_workers(page)
    with page.expect_worker(lambda worker: "py-worker.js" in worker.url):
        page.goto(base_url + path, wait_until="commit")
    assert page.evaluate("performance.getEntriesByName('nc-python-start').length") == 1
    assert page.get_attribute("html", "data-nc-python") is None  # not ready within the first milliseconds
    release_app()
    wait_python(page)
    assert len(workers) == 1 and workers[0].endswith("/assets/py-worker.js")
    assert page.evaluate("performance.getEntriesByName('nc-python-start').length") == 1


def test_the_tool_page_loads_the_wheels_its_forms_name(page: Page, base_url: str) -> None:
    """What to load comes from the page (data-nc-packages on the DNS check's form): dnspython there, not elsewhere."""
    page.goto(base_url + "tools/dns-check/")
    wait_python(page)
    assert page.get_attribute("script[data-nc-python]", "data-nc-packages") == "idna dnspython"
    assert [url for url in page.nc.requests if "/wheels/dnspython-" in url]  # type: ignore[attr-defined]
    before = len(page.nc.requests)  # type: ignore[attr-defined]
    page.goto(base_url + "tools/hosts/")
    wait_python(page)
    assert page.get_attribute("script[data-nc-python]", "data-nc-python") == "tools"
    assert page.get_attribute("script[data-nc-python]", "data-nc-packages") == "idna"
    # Only the hosts tool's wheels: not the calendar's (icalendar, dateutil, tzdata, jpholiday) nor dnspython.
    wheels = {url.rsplit("/", 1)[1].split("-")[0] for url in page.nc.requests[before:] if "/wheels/" in url}  # type: ignore[attr-defined]
    assert wheels <= {"idna", "checklist_app", "jpholiday"}, wheels  # jpholiday: every page folds the checklist
    # The trimmed standard library (the import audit's modules), never the full python_stdlib.zip (the fallback).
    stdlib = [url for url in page.nc.requests if "/python_stdlib" in url]  # type: ignore[attr-defined]
    assert stdlib and all(re.search(r"/python_stdlib-[0-9a-f]{12}\.zip$", url) for url in stdlib), stdlib
    page.goto(base_url + "checklist/")
    wait_python(page)
    assert page.get_attribute("script[data-nc-python]", "data-nc-python") == "checklist"


@pytest.mark.parametrize("path", ["", "steps/2-domain-transfer/", "faq/", "tools/"])
def test_pages_without_python_do_not_load_the_starter(page: Page, base_url: str, path: str) -> None:
    """The home page, a step page, the FAQ and the tools' index never load py-start.js nor start a worker."""
    # Pages linking to a Python page would warm its runtime at idle time (test_prefetch.py): saveData holds that back.
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'connection', {get: () => ({saveData: true})})")
    workers = python_workers(page)
    page.goto(base_url + path, wait_until="load")  # app.js (a module) has run: it would have started Python by now
    assert page.locator("script[data-nc-python]").count() == 0
    assert not [url for url in page.nc.requests if "py-start.js" in url or "/pyodide/" in url]  # type: ignore[attr-defined]
    assert workers == []
    assert page.evaluate("performance.getEntriesByName('nc-python-start').length") == 0


def test_python_ready_before_the_page_glue_runs_is_used_at_once(context: BrowserContext, base_url: str) -> None:
    """Python becomes ready while app.js is held back (the client in the head started it): a tick made meanwhile on
    the early render is recorded, and folded in as soon as app.js runs."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    release_app = hold(context, "**/assets/app.js")
    page = context.new_page()
    page.goto(base_url + "checklist/", wait_until="commit")
    page.wait_for_selector("html[data-nc-python='ready']", state="attached", timeout=PYTHON_READY_TIMEOUT_MS)
    page.wait_for_selector("html[data-nc-state='visible']", state="attached")
    page.check("#done-3")
    release_app()
    wait_shown(page)
    expect(page.locator("#done-3")).to_be_checked()
    expect(page.locator("#status-3")).to_have_text("完了")
    page.wait_for_function(
        "() => { const d = JSON.parse(localStorage.getItem('netcom-checklist'));"
        " return d.migrations[0].items['3'].done === true; }"
    )
    # What the worker says after "ready" reaches the page too (the snapshot report follows "ready").
    page.wait_for_selector("html[data-nc-snapshot]", state="attached", timeout=PYTHON_READY_TIMEOUT_MS)
    page.locator("#done-4").click()
    expect(page.locator("#done-4")).to_be_checked()
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('netcom-checklist')).migrations[0].items['4'].date !== null"
    )
    assert stored(page)["migrations"][0]["items"]["1"]["done"] is True


def test_when_the_starter_is_missing_a_clear_message_and_ticking_still_works(
    context: BrowserContext, base_url: str
) -> None:
    """py-start.js cannot load: app.js finds out (whether it ran before or after the failure) and says so in
    words; no worker is created and ticks are still saved."""
    context.route("**/assets/py-start.js", lambda route: route.fulfill(status=404, body="missing"))
    page = context.new_page()
    workers = python_workers(page)
    page.goto(base_url + "checklist/")
    wait_shown(page)
    wait_python(page, "failed")
    expect(page.locator("[data-nc-python-status]")).to_contain_text("開始できませんでした")
    page.locator("#done-1").click()
    expect(page.locator("#done-1")).to_be_checked()
    assert [entry["edit"] for entry in journal(page).values()] == ["done"]
    assert workers == []
