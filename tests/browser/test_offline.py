"""Offline repeat visits: the service worker (docs/sw.js, registered by docs/assets/offline.js) in Chromium.

One online visit to the checklist and to a step page, then the browser goes offline (``context.set_offline``):
saved pages load from the worker's cache, Python starts, ticks save; unsaved pages show the offline page of their
language. Online, the worker never serves stale HTML, leaves other origins alone and keeps the strict CSP.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bench import TransferLog, serve  # scripts/bench.py (conftest puts scripts/ on the path)

from .conftest import (
    ACTION_TIMEOUT_MS,
    PYTHON_READY_TIMEOUT_MS,
    document,
    make_server,
    open_checklist,
    preset_storage,
    record,
    stored,
    tick,
    wait_python,
    wait_shown,
)

# One pytest-xdist worker runs this file (`make test-py` uses --dist loadgroup): the offline profile is made once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("offline")]

SAVED = document({"domain": "offline.example", "items": {1: {"done": True, "date": "2026-12-01", "note": "保存済み"}}})
STEP = "steps/2-domain-transfer/"
KEPT_TIMEOUT_MS = 90_000


def wait_kept(page: Page) -> None:
    """Wait until offline.js reports that the service worker has kept what this page loaded."""
    page.wait_for_selector("html[data-nc-offline='kept']", state="attached", timeout=KEPT_TIMEOUT_MS)


def python_state(page: Page) -> str:
    """Wait until Python is ready or has failed on ``page``; returns the state and says why when it failed."""
    page.wait_for_selector("html[data-nc-python]", state="attached", timeout=PYTHON_READY_TIMEOUT_MS)
    state = str(page.get_attribute("html", "data-nc-python"))
    if state != "ready":
        console = getattr(page, "nc", None) and page.nc.console  # type: ignore[attr-defined]
        pytest.fail(f"Python {state} offline: {page.evaluate('JSON.stringify(window.ncPython || null)')} {console}")
    return state


def cache_names(page: Page) -> list[str]:
    """The Cache Storage names of the page's origin."""
    return list(page.evaluate("caches.keys()"))


def _context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP", timezone_id="Asia/Tokyo")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context


@pytest.fixture(scope="module")
def offline_context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """A profile that visited /checklist/ (Python ready) and one step page online once, now offline."""
    context = _context(browser)
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    page = context.new_page()
    open_checklist(page, base_url)
    wait_kept(page)
    page.goto(base_url + STEP)
    wait_kept(page)
    page.close()
    context.set_offline(True)
    yield context
    context.close()


@pytest.fixture
def offline_page(offline_context: BrowserContext) -> Iterator[Page]:
    """A new tab in the offline profile, recording like ``page``."""
    tab = offline_context.new_page()
    record(tab)
    yield tab
    tab.close()


@pytest.fixture
def site_copy(site_root: Path, tmp_path: Path) -> Path:
    """A copy of the built site a test may change ("deploy"), sharing the runtime folder by a symlink."""
    copy = tmp_path / "site"
    shutil.copytree(site_root, copy, ignore=shutil.ignore_patterns("pyodide"))
    (copy / "pyodide").symlink_to(site_root / "pyodide", target_is_directory=True)
    return copy


def _serve(root: Path, **options: object) -> Iterator[str]:
    server = make_server(root, "127.0.0.1", 0, **options)  # type: ignore[arg-type]
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, name="offline-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def copy_url(site_copy: Path) -> Iterator[str]:
    """The changeable copy, served with the production headers."""
    yield from _serve(site_copy)


# --- offline ------------------------------------------------------------------------------------------------------


def test_checklist_shows_the_saved_state_offline(offline_page: Page, base_url: str) -> None:
    """Offline, the checklist page loads from the worker's cache and shows the saved ticks, date and note."""
    open_checklist(offline_page, base_url, ready=False)
    expect(offline_page.locator("#checklist-domain")).to_have_value("offline.example")
    expect(offline_page.locator("#done-1")).to_be_checked()
    expect(offline_page.locator("#date-1")).to_have_value("2026-12-01")
    expect(offline_page.locator("#note-1")).to_have_value("保存済み")


def test_python_starts_offline(offline_page: Page, base_url: str) -> None:
    """Offline, the runtime and our wheel come from the worker's cache and Python becomes ready."""
    open_checklist(offline_page, base_url, ready=False)
    assert python_state(offline_page) == "ready"


def test_a_tick_saves_offline_and_survives_a_reload(offline_page: Page, base_url: str) -> None:
    """Offline, with Python ready, a tick is saved to localStorage and is still there after an offline reload."""
    open_checklist(offline_page, base_url, ready=False)
    python_state(offline_page)
    tick(offline_page, "#done-3")
    offline_page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('netcom-checklist')).migrations[0].items['3'].done === true"
    )
    offline_page.reload()
    wait_shown(offline_page)
    expect(offline_page.locator("#done-3")).to_be_checked()
    assert stored(offline_page)["migrations"][0]["items"]["1"]["note"] == "保存済み"


def test_a_step_page_visited_before_loads_offline(offline_page: Page, base_url: str, site_root: Path) -> None:
    """Offline, a step page opened once before is served from the cache (its own page, not the offline page)."""
    heading = re.search(r"<h1[^>]*>([^<]+)", (site_root / STEP / "index.html").read_text(encoding="utf-8"))
    assert heading is not None
    response = offline_page.goto(base_url + STEP)
    assert response is not None and response.status == 200
    expect(offline_page.locator("h1")).to_contain_text(heading.group(1).strip())


def test_an_unsaved_japanese_page_shows_the_japanese_offline_page(offline_page: Page, base_url: str) -> None:
    """Offline, a Japanese page never opened shows the Japanese offline message at its own URL, not a browser error."""
    response = offline_page.goto(base_url + "faq/")
    assert response is not None and response.status == 503
    assert offline_page.url == base_url + "faq/"
    expect(offline_page.locator("html")).to_have_attribute("lang", "ja")
    expect(offline_page.locator("h1")).to_contain_text("オフラインです")


def test_an_unsaved_english_page_shows_the_english_offline_page(offline_page: Page, base_url: str) -> None:
    """Offline, an English page never opened shows the English offline message."""
    response = offline_page.goto(base_url + "en/faq/")
    assert response is not None and response.status == 503
    expect(offline_page.locator("html")).to_have_attribute("lang", "en")
    expect(offline_page.locator("h1")).to_contain_text("You are offline")


def test_the_offline_page_lists_the_saved_pages_of_its_language(offline_page: Page, base_url: str) -> None:
    """The offline page links to the pages saved on this device (the checklist, the step page) by their titles."""
    offline_page.goto(base_url + "propagation/")
    saved = offline_page.locator("[data-nc-offline-saved]")
    expect(saved).to_be_visible()
    hrefs = saved.locator("a").evaluate_all("(links) => links.map((a) => a.href)")
    assert base_url + "checklist/" in hrefs and base_url + STEP in hrefs
    assert not any("/en/" in href for href in hrefs)
    expect(saved.locator("a", has_text="チェックリスト")).to_have_count(1)


def test_search_works_offline_on_the_checklist(offline_page: Page, base_url: str) -> None:
    """The search index, its worker and its scripts were kept on the first visit (built after Python started), so
    search finds the hosts manual offline."""
    open_checklist(offline_page, base_url, ready=False)
    offline_page.click("label.md-search__icon, .md-search__input")
    offline_page.fill("input.md-search__input", "hosts")
    offline_page.press("input.md-search__input", "End")  # Material reads the box on keyup
    offline_page.wait_for_selector(".md-search-result__item", timeout=PYTHON_READY_TIMEOUT_MS)
    links = offline_page.eval_on_selector_all(".md-search-result__item > a", "a => a.map(x => x.href)")
    assert any("/manuals/hosts/" in href for href in links)


def test_offline_pages_have_no_csp_violation_or_script_error(offline_page: Page, base_url: str) -> None:
    """The cached checklist and the offline page keep the strict CSP and run without a violation or error."""
    open_checklist(offline_page, base_url, ready=False)
    python_state(offline_page)
    offline_page.goto(base_url + "faq/")
    expect(offline_page.locator("h1")).to_contain_text("オフラインです")
    assert offline_page.nc.csp_violations(offline_page) == []  # type: ignore[attr-defined]
    assert offline_page.nc.errors == []  # type: ignore[attr-defined]


# --- online, with the worker in control -------------------------------------------------------------------------


def test_first_visit_keeps_the_runtime_without_downloading_it_twice(context: BrowserContext, site_root: Path) -> None:
    """After one visit the runtime and our wheel are in the worker's cache, each sent by the server only once."""
    log = TransferLog()
    with serve(site_root, log) as base:  # the benchmark's server: counts what is sent
        page = context.new_page()
        open_checklist(page, base)
        wait_kept(page)
        kept = page.evaluate("async () => (await (await caches.open('nc-runtime')).keys()).map((r) => r.url)")
    names = {url.rsplit("/", 1)[1] for url in kept}
    assert {"pyodide.asm.wasm", "pyodide.mjs", "pyodide.asm.mjs", "pyodide-lock.json"} <= names
    assert [name for name in names if re.fullmatch(r"python_stdlib-[0-9a-f]{12}\.zip", name)]  # the trimmed stdlib
    assert "python_stdlib.zip" not in names  # the fallback was never needed
    assert any(name.startswith("checklist_app-") for name in names)
    sent = [t.path.rsplit("/", 1)[1] for t in log.since(0) if t.path.startswith("/pyodide/") and t.status == 200]
    assert sorted(sent) == sorted(set(sent)), sent
    assert "pyodide.asm.wasm" in sent


def test_a_new_deploy_is_shown_online(browser: Browser, site_copy: Path, copy_url: str) -> None:
    """Online, a page the worker has cached shows the newly deployed HTML at once, not the cached copy."""
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(copy_url + STEP)
        wait_kept(page)
        page.reload(wait_until="load")
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        target = site_copy / STEP / "index.html"
        target.write_text(target.read_text(encoding="utf-8").replace("</h1>", " (deployed)</h1>", 1), encoding="utf-8")
        page.reload()
        expect(page.locator("h1")).to_contain_text("(deployed)")
    finally:
        context.close()


def test_a_new_worker_version_drops_the_old_caches(browser: Browser, site_copy: Path, copy_url: str) -> None:
    """A deploy with a new sw.js version activates at the next visit and deletes the caches of the old version."""
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(copy_url + STEP)
        wait_kept(page)
        old = re.search(r'const VERSION = "([^"]+)";', (site_copy / "sw.js").read_text(encoding="utf-8"))
        assert old is not None and f"nc-pages-{old.group(1)}" in cache_names(page)
        worker = site_copy / "sw.js"
        worker.write_text(worker.read_text(encoding="utf-8").replace(old.group(1), "0123456789abcdef"), "utf-8")
        page.reload()
        wait_kept(page)
        dropped = page.evaluate(
            """async (old) => {
                 for (let i = 0; i < 600; i++) {
                   if (!(await caches.keys()).some((name) => name.endsWith(old))) return true;
                   await new Promise((resolve) => setTimeout(resolve, 100));
                 }
                 return false;
               }""",
            old.group(1),
        )
        assert dropped, cache_names(page)
        assert "nc-offline-0123456789abcdef" in cache_names(page)  # installed by the new worker
    finally:
        context.close()


def test_a_controlled_page_requests_only_the_site(context: BrowserContext, base_url: str) -> None:
    """With the worker in control, the checklist (Python running) and a step page request nothing off-site."""
    page = context.new_page()
    open_checklist(page, base_url)
    wait_kept(page)
    recorder = record(page)
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    page.reload()
    wait_python(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    page.goto(base_url + STEP)
    page.wait_for_load_state("networkidle")
    offsite = [u for u in recorder.requests + seen if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname != "127.0.0.1"]  # fmt: skip
    assert any(u.endswith(".wasm") for u in recorder.requests) and offsite == []
    assert recorder.csp_violations(page) == [] and recorder.errors == []


def test_other_origins_pass_the_worker_untouched(browser: Browser, site_root: Path) -> None:
    """A controlled page's request to another origin (as the DNS check's DoH requests) is not handled by the worker."""
    other_server = _serve(site_root)
    other = next(other_server)
    site_server = _serve(site_root, connect_src=(other.rstrip("/"),))
    base = next(site_server)
    context = _context(browser)
    try:
        from_worker: list[str] = []
        context.on("request", lambda request: from_worker.append(request.url) if request.service_worker else None)
        page = context.new_page()
        page.goto(base + STEP)
        wait_kept(page)
        page.reload(wait_until="load")
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        kind = page.evaluate("async (url) => (await fetch(url, {mode: 'no-cors'})).type", other + "sitemap.xml")
        same = page.evaluate("async (url) => (await fetch(url)).status", base + "sitemap.xml")
        assert kind == "opaque" and same == 200
        assert base + "sitemap.xml" in from_worker  # the worker does fetch for same-origin requests...
        assert not any(url.startswith(other) for url in from_worker)  # ...and never for another origin
    finally:
        context.close()
        for server in (site_server, other_server):
            server.close()
