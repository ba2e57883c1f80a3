"""The Playwright harness every browser test reuses: one Chromium, one server, a fresh context per test.

* The site: ``$NC_SITE_DIR`` (relative to the repo) when set — ``make test`` builds ``site/`` first — else a
  strict ``mkdocs build`` plus ``scripts/build_pyodide.py`` into a temporary folder, once per session.
* The server: ``scripts/serve.py``'s ``make_server`` on 127.0.0.1 with a free port and the strict CSP.
* The browser: Debian's Chromium (``/usr/bin/chromium``; never ``playwright install``), headless, quiet.
* ``page``: a new context (empty storage) whose page records every request, console message, dialog and
  Content-Security-Policy violation (``page.nc`` — see :class:`Recorder`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from serve import make_server  # noqa: E402  (scripts/ is not a package)

from checklist_app.browser import view_text  # noqa: E402
from checklist_app.storage import loads  # noqa: E402

CHROMIUM = os.environ.get("NC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Network safety: nothing may leave the machine. Host names never resolve (no DNS query), and every
    # non-loopback request goes to a dead local proxy; loopback is always direct. Requests are still
    # recorded by Playwright, so the off-site tests see any attempt.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
]
STORAGE_KEY = "netcom-checklist"
VIEW_KEY = "netcom-checklist:view"
EDIT_PREFIX = "netcom-checklist:edit:"
BACKUP_KEY = "netcom-checklist-backup"
PYTHON_READY_TIMEOUT_MS = 90_000
# Generous waits: `make test` may share a small machine with other work (Python's start was seen to take
# 8-17 s at a load average of 4-14 on 2 cores, against ~3 s on an idle one).
ACTION_TIMEOUT_MS = 30_000
# Assertions retry this long: an answer from Python may queue behind earlier work (seen >15 s at load 13).
# A passing test never waits for it.
expect.set_options(timeout=ACTION_TIMEOUT_MS)

# Records CSP violations from the first script on; app code cannot run before it.
_RECORD_CSP = """
window.__ncCSP = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__ncCSP.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile});
});
"""


@dataclass
class Recorder:
    """What a page did: requests (URLs), console messages, dialogs opened, page errors."""

    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def csp_violations(self, page: Page) -> list[dict[str, Any]]:
        """CSP violations the page saw (collected by an init script)."""
        return list(page.evaluate("window.__ncCSP || []"))


def _build_site(dest: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    steps = (
        [str(REPO / ".venv/bin/mkdocs"), "build", "--strict", "-d", str(dest)],
        [sys.executable, str(REPO / "scripts/build_pyodide.py"), "--site-dir", str(dest)],
    )
    for command in steps:
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            pytest.fail(f"{' '.join(command[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site with the Pyodide runtime in it."""
    given = os.environ.get("NC_SITE_DIR")
    if given:
        root = (REPO / given).resolve()
        if not (root / "index.html").is_file() or not (root / "pyodide").is_dir():
            pytest.fail(f"NC_SITE_DIR={given}: no built site with pyodide/ there; run `make build` first")
        return root
    root = tmp_path_factory.mktemp("browser-site")
    _build_site(root)
    return root


@pytest.fixture(scope="session")
def base_url(site_root: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT/ serving the site with the production headers (strict CSP included)."""
    server = make_server(site_root, "127.0.0.1", 0)
    server.handle_error = lambda request, address: None  # a page closed mid-download is not an error here
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url_no_csp(site_root: Path) -> Iterator[str]:
    """The same site without the CSP header: for tests that must see what the page itself lets through."""
    server = make_server(site_root, "127.0.0.1", 0, csp=False)
    server.handle_error = lambda request, address: None
    thread = threading.Thread(target=server.serve_forever, name="site-server-no-csp", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    instance = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield instance
    instance.close()


def record(page: Page) -> Recorder:
    """Attach a :class:`Recorder` to ``page`` (as ``page.nc``) and return it."""
    recorder = Recorder()
    page.on("request", lambda request: recorder.requests.append(request.url))
    page.on("console", lambda message: recorder.console.append((message.type, message.text)))
    page.on("pageerror", lambda error: recorder.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        recorder.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.add_init_script(_RECORD_CSP)
    page.nc = recorder  # type: ignore[attr-defined]
    return recorder


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Factory for extra contexts (each with empty storage); all are closed after the test."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "ja-JP")
        options.setdefault("timezone_id", "Asia/Tokyo")
        context = browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    """A fresh browser context (empty localStorage) at 1280 px."""
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page in :func:`context` with a :class:`Recorder` attached as ``page.nc``."""
    tab = context.new_page()
    record(tab)
    return tab


# --- helpers the tests share -------------------------------------------------------------------------------


def wait_python(page: Page, state: str = "ready") -> None:
    """Wait until the page's Python worker is ``ready`` (or ``failed``); when it ends the other way, say why."""
    page.wait_for_selector(
        "html[data-nc-python='ready'], html[data-nc-python='failed']", state="attached", timeout=PYTHON_READY_TIMEOUT_MS
    )
    actual = page.get_attribute("html", "data-nc-python")
    if actual != state:
        recorder = getattr(page, "nc", None)
        said = [text for _, text in recorder.console if "python" in text.lower()] if recorder else "(not recorded)"
        pytest.fail(f"Python {actual}, expected {state}: window.ncPython={page.evaluate('window.ncPython')!r}; {said}")


def wait_shown(page: Page) -> None:
    """Wait until app.js has rendered the saved state."""
    page.wait_for_selector("html[data-nc-state='shown']", state="attached")


def stored(page: Page, key: str = STORAGE_KEY) -> Any:
    """The parsed JSON under ``key`` in the page's localStorage (``None`` when absent)."""
    text = page.evaluate("(key) => localStorage.getItem(key)", key)
    return None if text is None else json.loads(text)


def journal(page: Page) -> dict[str, Any]:
    """The journal entries in the page's localStorage, parsed, by key."""
    entries: dict[str, str] = page.evaluate(
        "(prefix) => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith(prefix))"
        ".map((k) => [k, localStorage.getItem(k)]))",
        EDIT_PREFIX,
    )
    return {key: json.loads(text) for key, text in entries.items()}


def wait_folded(page: Page) -> None:
    """Wait until Python has folded every journal entry in the page's localStorage into the document."""
    page.wait_for_function(
        "(prefix) => { const view = JSON.parse(localStorage.getItem('netcom-checklist:view') || 'null');"
        " const keys = Object.keys(localStorage).filter((k) => k.startsWith(prefix));"
        " return view && keys.every((k) => view.folded.includes(k) || k in view.rejected); }",
        arg=EDIT_PREFIX,
    )


def stored_text(page: Page, key: str = STORAGE_KEY) -> str | None:
    """The raw text under ``key`` in the page's localStorage."""
    result: str | None = page.evaluate("(key) => localStorage.getItem(key)", key)
    return result


def saved_view(document_text: str) -> str:
    """The view Python keeps beside ``document_text`` (what a page that folded it last wrote)."""
    return view_text(loads(document_text).workspace)


def preset_storage(context: BrowserContext, base_url: str, values: dict[str, str], *, view: bool = True) -> None:
    """Put ``values`` into localStorage for the site's origin before any page script runs.

    A document comes with the view Python wrote beside it, as the page leaves them (``view=False``: the document
    alone, as a browser holds it from before the view existed, or when it was damaged outside the page).
    """
    if view and STORAGE_KEY in values and VIEW_KEY not in values:
        values = {**values, VIEW_KEY: saved_view(values[STORAGE_KEY])}
    page = context.new_page()
    page.route("**/*", lambda route: route.fulfill(status=200, content_type="text/html", body="<!doctype html>"))
    page.goto(base_url + "__blank__")
    page.evaluate("(values) => { for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v); }", values)
    page.close()


def document(*migrations: dict[str, Any], active: str | None = None, next_id: int | None = None) -> str:
    """A version-2 storage document (the format of checklist_app/STORAGE_FORMAT.md) as compact JSON."""
    full = []
    for number, migration in enumerate(migrations, start=1):
        items = {str(n): {"done": False, "date": None, "note": ""} for n in range(1, 13)}
        for key, value in migration.get("items", {}).items():
            items[str(key)] = {"done": False, "date": None, "note": "", **value}
        full.append(
            {
                "id": migration.get("id", f"m-{number}"),
                "domain": migration["domain"],
                "label": migration.get("label", ""),
                "created": "",
                "updated": "",
                "cancellation_date": migration.get("cancellation_date"),
                "application_date": migration.get("application_date"),
                "switch_date": migration.get("switch_date"),
                "items": items,
            }
        )
    data = {
        "format": "netcom-checklist",
        "version": 2,
        "active": active if active is not None else (full[0]["id"] if full else None),
        "next_id": next_id if next_id is not None else len(full) + 1,
        "migrations": full,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class PythonGate:
    """Holds the worker's first request (the lock file) so a test can act while Python is still starting."""

    def __init__(self, context: BrowserContext) -> None:
        self.held: list[Any] = []
        self.released = False
        context.route("**/pyodide-lock.json", self._hold)

    def _hold(self, route: Any) -> None:
        if self.released:
            route.continue_()
        else:
            self.held.append(route)

    def release(self) -> None:
        """Let Python start."""
        self.released = True
        for route in self.held:
            route.continue_()
        self.held.clear()


def open_checklist(page: Page, base_url: str, lang: str = "ja", *, ready: bool = True) -> None:
    """Open /checklist/ (or /en/checklist/), wait for the saved state and, with ``ready``, for Python."""
    page.goto(base_url + ("en/" if lang == "en" else "") + "checklist/")
    wait_shown(page)
    if ready:
        wait_python(page)


def tick(page: Page, selector: str, checked: bool = True) -> None:
    """Tick (or untick) the unticked (ticked) box ``selector`` by a click, then wait until it shows so.

    Not ``page.check()``: that reads the box once, right after its click, and fails when the page redraws in that
    moment (e.g. with Python's first answer after "ready", or another tab's change) before the queued tick is drawn
    again. What the tests judge is the state that settles (and what is saved), so wait for it.
    """
    box = page.locator(selector)
    expect(box).to_be_checked(checked=not checked)
    box.click()
    expect(box).to_be_checked(checked=checked)


def start_checklist(page: Page, domain: str = "example.co.jp") -> None:
    """Create the first checklist by typing its domain into the form's domain field."""
    page.fill("#checklist-domain", domain)
    page.press("#checklist-domain", "Tab")
    page.wait_for_function(
        "(d) => { const t = localStorage.getItem('netcom-checklist');"
        " return t && JSON.parse(t).migrations.some(m => m.domain === d); }",
        arg=domain,
    )


def browser_today(page: Page) -> str:
    """The browser's own calendar day, YYYY-MM-DD."""
    result: str = page.evaluate(
        "(() => { const d = new Date(); const p = (n) => String(n).padStart(2, '0');"
        " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; })()"
    )
    return result
