"""Storage faults in Chromium: no localStorage, corrupted data, the older format, a full quota, no Python."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import (
    BACKUP_KEY,
    STORAGE_KEY,
    PythonGate,
    document,
    open_checklist,
    preset_storage,
    start_checklist,
    stored,
    stored_text,
    tick,
    wait_python,
    wait_shown,
)

pytestmark = pytest.mark.browser

NO_LOCAL_STORAGE = """
Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("The user denied storage", "SecurityError"); },
});
"""

FULL_QUOTA = """
(() => {
  const original = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (key === "netcom-checklist") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    return original.call(this, key, value);
  };
})();
"""

GOOD_AND_BROKEN = json.dumps(
    {
        "format": "netcom-checklist",
        "version": 2,
        "active": "m-1",
        "next_id": 3,
        "migrations": [
            json.loads(document({"domain": "good.example", "items": {1: {"done": True, "date": "2026-12-01"}}}))[
                "migrations"
            ][0],
            {"id": "m-2", "domain": 12345, "items": "garbage"},
        ],
    },
    ensure_ascii=False,
)

VERSION_1 = json.dumps(
    {
        "version": 1,
        "domain": "old.example",
        "checked": [1, 2],
        "dates": {"1": "2026-11-01"},
        "notes": {"2": "旧形式のメモ"},
        "cancellation_date": "2027-01-31",
    },
    ensure_ascii=False,
)


def test_without_local_storage_the_checklist_works_in_memory_and_says_so(
    context: BrowserContext, base_url: str
) -> None:
    """With localStorage throwing, ticking still works (in memory) and an alert says nothing is saved."""
    context.add_init_script(NO_LOCAL_STORAGE)
    page = context.new_page()
    open_checklist(page, base_url)
    expect(page.locator("#nc-alerts")).to_contain_text("保存できない")
    page.fill("#checklist-domain", "memory.example")
    page.press("#checklist-domain", "Tab")
    tick(page, "#done-1")
    expect(page.locator("#status-1")).to_have_text("完了")
    expect(page.locator("#nc-progress-text")).to_have_text("1 / 12 完了")


def test_corrupted_json_is_backed_up_and_the_user_told(context: BrowserContext, base_url: str) -> None:
    """Text that is not JSON is kept under the backup key, replaced by an empty checklist, and reported."""
    preset_storage(context, base_url, {STORAGE_KEY: "{this is not json"})
    page = context.new_page()
    open_checklist(page, base_url)
    expect(page.locator("#nc-alerts")).to_contain_text("読めませんでした")
    expect(page.locator("#nc-alerts")).to_contain_text("JSON ではありません")
    assert stored_text(page, BACKUP_KEY) == "{this is not json"
    assert stored(page)["migrations"] == []


def test_partly_broken_data_shows_what_could_be_recovered(context: BrowserContext, base_url: str) -> None:
    """A document with one readable and one broken migration shows the readable one; the original is backed up."""
    preset_storage(context, base_url, {STORAGE_KEY: GOOD_AND_BROKEN})
    page = context.new_page()
    open_checklist(page, base_url)
    expect(page.locator("#checklist-domain")).to_have_value("good.example")
    expect(page.locator("#done-1")).to_be_checked()
    expect(page.locator("#nc-alerts .nc-problems li")).to_have_count(1)
    assert stored_text(page, BACKUP_KEY) == GOOD_AND_BROKEN
    assert [m["domain"] for m in stored(page)["migrations"]] == ["good.example"]


def test_version_1_is_shown_at_once_then_migrated(context: BrowserContext, base_url: str) -> None:
    """The older format shows before Python is ready; Python then writes version 2 and keeps the original."""
    preset_storage(context, base_url, {STORAGE_KEY: VERSION_1})
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    expect(page.locator("#done-2")).to_be_checked()
    expect(page.locator("#date-1")).to_have_value("2026-11-01")
    assert stored_text(page) == VERSION_1  # nothing rewritten before Python has made the backup
    gate.release()
    wait_python(page)
    expect(page.locator("#nc-alerts")).to_contain_text("以前の形式")
    data = stored(page)
    assert data["version"] == 2 and data["migrations"][0]["items"]["2"]["note"] == "旧形式のメモ"
    assert stored_text(page, BACKUP_KEY) == VERSION_1


def test_actions_on_old_data_before_python_are_replayed_after_migration(context: BrowserContext, base_url: str) -> None:
    """A tick made on version-1 data while Python starts is queued and applied after the migration."""
    preset_storage(context, base_url, {STORAGE_KEY: VERSION_1})
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    tick(page, "#done-3")
    gate.release()
    wait_python(page)
    page.wait_for_function("() => JSON.parse(localStorage.getItem('netcom-checklist')).version === 2")
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('netcom-checklist')).migrations[0].items['3'].done === true"
    )
    expect(page.locator("#done-3")).to_be_checked()


def test_full_quota_tells_the_user_and_leaves_the_old_value_intact(context: BrowserContext, base_url: str) -> None:
    """When setItem throws QuotaExceededError, the stored text is exactly the old one and an alert says so."""
    saved = document({"domain": "full.example", "items": {1: {"done": True, "date": "2026-12-01"}}})
    preset_storage(context, base_url, {STORAGE_KEY: saved})
    page = context.new_page()
    open_checklist(page, base_url)
    page.evaluate(FULL_QUOTA)
    tick(page, "#done-2")
    expect(page.locator("#nc-alerts")).to_contain_text("保存容量が足りない")
    assert stored_text(page) == saved
    expect(page.locator("#done-2")).to_be_checked()  # the change is still on screen, to export


def test_full_quota_before_python_is_ready_also_keeps_the_old_value(context: BrowserContext, base_url: str) -> None:
    """The JavaScript writer (used while Python starts) fails the same way: old value intact, user told."""
    saved = document({"domain": "full.example"})
    preset_storage(context, base_url, {STORAGE_KEY: saved})
    context.add_init_script(FULL_QUOTA)
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    tick(page, "#done-1")
    expect(page.locator("#nc-alerts")).to_contain_text("保存容量が足りない")
    assert stored_text(page) == saved
    gate.release()


def _assert_python_failed_but_ticking_works(page: Page, base_url: str) -> None:
    expect(page.locator("[data-nc-python-status]")).to_contain_text("開始できませんでした")
    start_checklist(page, "fallback.example")
    tick(page, "#done-1")
    expect(page.locator("#nc-progress-text")).to_have_text("1 / 12 完了")
    page.reload()
    wait_shown(page)
    expect(page.locator("#done-1")).to_be_checked()
    assert stored(page)["migrations"][0]["items"]["1"]["done"] is True


def test_without_webassembly_a_clear_message_and_ticking_still_works(context: BrowserContext, base_url: str) -> None:
    """With WebAssembly removed (an old or locked-down browser) the page says so and ticks are still saved."""
    context.add_init_script("delete globalThis.WebAssembly;")
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    wait_python(page, "failed")
    _assert_python_failed_but_ticking_works(page, base_url)


def test_when_the_worker_is_missing_a_clear_message_and_ticking_still_works(
    context: BrowserContext, base_url: str
) -> None:
    """A worker script that 404s is reported in words; the checklist keeps working without Python."""
    context.route("**/py-worker.js", lambda route: route.fulfill(status=404, body="missing"))
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    wait_python(page, "failed")
    _assert_python_failed_but_ticking_works(page, base_url)


def test_without_python_corrupted_data_is_still_backed_up(context: BrowserContext, base_url: str) -> None:
    """Python cannot start and the data is damaged: JavaScript keeps the original as a backup before writing."""
    preset_storage(context, base_url, {STORAGE_KEY: "{broken"})
    context.add_init_script("delete globalThis.WebAssembly;")
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    wait_python(page, "failed")
    expect(page.locator("#nc-alerts")).to_contain_text("読めませんでした")
    assert stored_text(page, BACKUP_KEY) == "{broken"
    start_checklist(page, "after.example")
    assert stored(page)["migrations"][0]["domain"] == "after.example"
