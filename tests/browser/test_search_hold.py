"""Material's search index waits for Python on the pages that start it (docs/assets/javascripts/workers/nc-search.js).

Building the index is about a second of CPU, which slowed Python's start on two cores. On the checklist and tool pages
the build hook points Material at nc-search.js, which runs Material's worker unchanged but holds what Material sends it
until the page says "go" (app.js): Python ready or failed, or the reader turns to search. Other pages keep Material's
own worker. Nothing here is timed: the worker's own state (``self.ncSearchHold``) and the requests say what happened.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Worker

from .conftest import PYTHON_READY_TIMEOUT_MS, PythonGate, wait_python, wait_shown
from .test_python_start import hold

pytestmark = pytest.mark.browser

LUNR = "/assets/javascripts/lunr/"  # the worker imports these first when it builds the index
HOSTS_MANUAL = "/manuals/hosts/"


def open_with_search_worker(page: Page, url: str) -> Worker:
    """Open ``url`` and return Material's search worker (nc-search.js or Material's own)."""
    with page.expect_worker(lambda worker: "/workers/" in worker.url) as info:
        page.goto(url)
    return info.value


def hold_state(worker: Worker) -> dict[str, Any]:
    return dict(worker.evaluate("({...self.ncSearchHold})"))


def wait_hold(worker: Worker, condition: str) -> dict[str, Any]:
    """Poll the worker's hold state until the JS ``condition`` on ``s`` is true; return the state."""
    expression = f"(() => {{ const s = self.ncSearchHold; return Boolean(s && ({condition})); }})()"
    deadline = time.monotonic() + PYTHON_READY_TIMEOUT_MS / 1000
    while not worker.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"search worker never reached {condition}: {hold_state(worker)}")
        time.sleep(0.05)
    return hold_state(worker)


def index_requests(page: Page) -> list[str]:
    return [url for url in page.nc.requests if LUNR in url]  # type: ignore[attr-defined]


def search(page: Page, query: str) -> list[str]:
    """Type ``query`` into Material's search box as a reader does; the result links."""
    page.click("label.md-search__icon, .md-search__input")
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")  # Material reads the box on keyup
    page.wait_for_selector(".md-search-result__item", timeout=PYTHON_READY_TIMEOUT_MS)
    return list(
        page.eval_on_selector_all(".md-search-result__list > .md-search-result__item > a", "a => a.map(x => x.href)")
    )


def test_the_index_is_built_once_python_is_ready(context: BrowserContext, page: Page, base_url: str) -> None:
    """Checklist page: Material's index arrives and is held while Python starts; Python ready → "go", the index is
    built and a search finds the hosts manual."""
    gate = PythonGate(context)
    worker = open_with_search_worker(page, base_url + "checklist/")
    assert worker.url.split("#")[0].endswith("/assets/javascripts/workers/nc-search.js")
    wait_shown(page)
    state = wait_hold(worker, "s.held >= 1")  # Material's SETUP (the whole index) reached the worker and is held
    assert state["released"] is False
    assert index_requests(page) == []
    gate.release()
    wait_python(page)
    assert wait_hold(worker, "s.released")["reason"] == "go"
    assert any(HOSTS_MANUAL in href for href in search(page, "hosts"))
    assert index_requests(page)


def test_turning_to_search_builds_the_index_at_once(context: BrowserContext, page: Page, base_url: str) -> None:
    """A reader who opens search while Python is still starting gets results without waiting for Python."""
    PythonGate(context)  # never released: Python stays "starting" for the whole test
    worker = open_with_search_worker(page, base_url + "en/checklist/")
    wait_hold(worker, "s.held >= 1")
    assert any(HOSTS_MANUAL in href for href in search(page, "hosts"))
    assert wait_hold(worker, "s.released")["released"] is True
    assert page.get_attribute("html", "data-nc-python") != "ready"


def test_python_failing_releases_the_index(context: BrowserContext, page: Page, base_url: str) -> None:
    """When Python cannot start (its worker script is missing) search is not held back: "go" on the failure."""
    context.route("**/py-worker.js", lambda route: route.fulfill(status=404, body="missing"))
    worker = open_with_search_worker(page, base_url + "tools/hosts/")
    wait_python(page, "failed")
    assert wait_hold(worker, "s.released")["reason"] == "go"
    assert search(page, "hosts")


def test_a_search_worker_started_after_python_asks_and_is_released(
    context: BrowserContext, page: Page, base_url: str
) -> None:
    """Python ready before the search worker runs (its script held back): the worker asks, the page answers "go"."""
    release_search = hold(context, "**/workers/nc-search.js")
    with page.expect_worker(lambda worker: "nc-search.js" in worker.url) as info:
        page.goto(base_url + "checklist/")
        wait_python(page)
        release_search()
    assert wait_hold(info.value, "s.released")["reason"] == "go"
    assert any(HOSTS_MANUAL in href for href in search(page, "hosts"))


@pytest.mark.parametrize("path", ["", "steps/2-domain-transfer/", "faq/"])
def test_pages_without_python_build_the_index_with_materials_own_worker(page: Page, base_url: str, path: str) -> None:
    """Pages that never start Python keep Material's worker as it is: nothing is held, search works."""
    worker = open_with_search_worker(page, base_url + path)
    assert "/workers/search." in worker.url and "nc-search" not in worker.url
    assert worker.evaluate("typeof self.ncSearchHold") == "undefined"
    assert search(page, "hosts")
