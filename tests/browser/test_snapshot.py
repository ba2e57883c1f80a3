"""Python memory snapshots in Chromium (docs/assets/py-worker.js): made after the first visit, kept in Cache Storage,
restored on the next visit; a missing, stale or corrupt snapshot falls back to a plain start and is replaced.

The snapshot options are private in Pyodide's API (``_makeSnapshot`` / ``_loadSnapshot``): these tests are what
keeps them honest when the pinned runtime changes. Which path a start took is reported by the worker in
``window.ncPython.phases.start`` ("plain", "snapshot" or "fallback"); nothing here is timed (``make bench`` is).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import document, open_checklist, preset_storage, stored, wait_python

pytestmark = pytest.mark.browser

SNAPSHOT_MS = 60_000
SAVED = document({"domain": "example.co.jp", "items": {1: {"done": True, "date": "2026-12-01"}}})

# The page and its worker share the origin's Cache Storage: the test reads and tampers with the worker's entry
# (docs/assets/py-worker.js: cache "netcom-pyodide-snapshots", entry /nc-snapshot/<slot>, key and length in headers).
_ENTRY = """
const cache = await caches.open("netcom-pyodide-snapshots");
const url = new URL(`/nc-snapshot/${encodeURIComponent(slot)}`, location.origin).href;
const response = await cache.match(url);
"""

_READ_RECORD = (
    "async (slot) => {"
    + _ENTRY
    + """if (!response) return null;
const bytes = new Uint8Array(await response.arrayBuffer());
return { key: response.headers.get("x-nc-key"), length: Number(response.headers.get("x-nc-length")),
         byteLength: bytes.byteLength, head: Array.from(bytes.subarray(0, 4)) };
}"""
)

# ``change`` is "zero" (every byte 0: not a snapshot at all), "body" (a valid header over a wiped heap) or
# "key" (an intact snapshot recorded under another key, as after a deploy with a new wheel).
_TAMPER = (
    "async ([slot, change]) => {"
    + _ENTRY
    + """const headers = new Headers(response.headers);
let bytes = new Uint8Array(await response.arrayBuffer());
if (change === "zero") bytes = new Uint8Array(bytes.byteLength);
if (change === "body") bytes.fill(0, 1 << 20);
if (change === "key") headers.set("x-nc-key", headers.get("x-nc-key").replace("#", "#0"));
await cache.put(url, new Response(bytes, { headers }));
return headers.get("x-nc-key");
}"""
)


def start_mode(page: Page) -> str:
    """How the worker started Python on this visit: plain, snapshot or fallback."""
    mode: str = page.evaluate("window.ncPython.phases.start")
    return mode


def wait_snapshot_stored(page: Page) -> None:
    """Wait until the worker reports the snapshot of this visit stored."""
    page.wait_for_selector("html[data-nc-snapshot]", state="attached", timeout=SNAPSHOT_MS)
    assert page.get_attribute("html", "data-nc-snapshot") == "stored"


def record_of(page: Page, slot: str = "checklist") -> dict[str, Any] | None:
    """The stored snapshot record's key, lengths and first bytes (``None`` when there is none)."""
    result: dict[str, Any] | None = page.evaluate(_READ_RECORD, slot)
    return result


def tick_through_python(page: Page) -> None:
    """Tick item 2 and wait until Python's answer is saved (the date Python fills in)."""
    # click, not check: right after "ready" the page redraws from Python's first answer, and a box ticked in that
    # moment may show unticked for a frame before the queued tick is applied; what counts is that it is saved.
    page.click("#done-2")
    page.wait_for_function(
        "() => { const d = JSON.parse(localStorage.getItem('netcom-checklist'));"
        " const m = d.migrations.find(x => x.id === d.active); return m.items['2'].done && m.items['2'].date; }"
    )


def test_first_visit_stores_a_snapshot_keyed_by_runtime_and_wheels(
    context: BrowserContext, base_url: str, site_root: Path
) -> None:
    """A first visit starts plainly, then stores a snapshot whose key names the runtime folder and wheel hashes."""
    page = context.new_page()
    open_checklist(page, base_url)
    assert start_mode(page) == "plain"
    wait_snapshot_stored(page)
    saved = record_of(page)
    assert saved is not None
    assert saved["length"] == saved["byteLength"] > 1_000_000
    key = json.loads(saved["key"])
    version = page.get_attribute("script[data-nc-pyodide]", "data-nc-pyodide")
    lock = json.loads((site_root / "pyodide" / str(version) / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheels = [lock["packages"][name] for name in ("checklist-app", "jpholiday")]
    assert key["runtime"] == f"/pyodide/{version}/"
    assert key["wheels"] == [f"{wheel['file_name']}#{wheel['sha256']}" for wheel in wheels]


def test_repeat_visit_restores_the_snapshot_and_the_checklist_works(context: BrowserContext, base_url: str) -> None:
    """The next visit restores Python from the snapshot; ticking through Python then saves as usual."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    page = context.new_page()
    open_checklist(page, base_url)
    wait_snapshot_stored(page)
    page.reload()
    wait_python(page)
    assert start_mode(page) == "snapshot"
    tick_through_python(page)
    expect(page.locator("#nc-progress-text")).to_have_text("2 / 12 完了")
    assert stored(page)["migrations"][0]["items"]["1"]["done"] is True


@pytest.mark.parametrize("change", ["zero", "body"])
def test_corrupt_snapshot_falls_back_to_a_plain_start_and_is_replaced(
    context: BrowserContext, base_url: str, change: str
) -> None:
    """A snapshot that is not one, or whose memory is wiped, is dropped: Python starts plainly and stores a new one."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    page = context.new_page()
    open_checklist(page, base_url)
    wait_snapshot_stored(page)
    page.evaluate(_TAMPER, ["checklist", change])
    page.reload()
    wait_python(page)
    assert start_mode(page) == "fallback"
    tick_through_python(page)
    wait_snapshot_stored(page)
    healthy = record_of(page)
    assert healthy is not None and healthy["head"] != [0, 0, 0, 0]
    page.reload()
    wait_python(page)
    assert start_mode(page) == "snapshot"


def test_snapshot_of_other_wheels_is_not_restored(context: BrowserContext, base_url: str) -> None:
    """A snapshot stored under another key (an older deploy) is ignored and replaced by one under the current key."""
    page = context.new_page()
    open_checklist(page, base_url)
    wait_snapshot_stored(page)
    current = record_of(page)
    assert current is not None
    stale_key = page.evaluate(_TAMPER, ["checklist", "key"])
    assert stale_key != current["key"]
    page.reload()
    wait_python(page)
    assert start_mode(page) == "plain"
    wait_snapshot_stored(page)
    replaced = record_of(page)
    assert replaced is not None and replaced["key"] == current["key"]


def test_tool_page_restores_its_own_snapshot(context: BrowserContext, base_url: str) -> None:
    """A tool page keeps its own snapshot (with the generators imported) and answers after restoring it."""
    page = context.new_page()
    page.goto(base_url + "tools/hosts/")
    wait_python(page)
    assert start_mode(page) == "plain"
    wait_snapshot_stored(page)
    assert record_of(page, "tools:idna") is not None  # the slot names the page's wheels (data-nc-packages)
    page.reload()
    wait_python(page)
    assert start_mode(page) == "snapshot"
    page.fill("#hosts-domain", "example.co.jp")
    page.fill("#hosts-ip", "192.0.2.10")
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    block = page.locator('[data-nc-output="block"]').first
    expect(block).to_contain_text("192.0.2.10", timeout=30_000)
    expect(block).to_contain_text("example.co.jp")
