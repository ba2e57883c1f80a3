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
    journal,
    open_checklist,
    preset_storage,
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
    preset_storage(context, base_url, {STORAGE_KEY: "{this is not json"}, view=False)
    page = context.new_page()
    open_checklist(page, base_url)
    expect(page.locator("#nc-alerts")).to_contain_text("読めませんでした")
    expect(page.locator("#nc-alerts")).to_contain_text("JSON ではありません")
    assert stored_text(page, BACKUP_KEY) == "{this is not json"
    assert stored(page)["migrations"] == []


def test_partly_broken_data_shows_what_could_be_recovered(context: BrowserContext, base_url: str) -> None:
    """A document with one readable and one broken migration shows the readable one; the original is backed up."""
    preset_storage(context, base_url, {STORAGE_KEY: GOOD_AND_BROKEN}, view=False)
    page = context.new_page()
    open_checklist(page, base_url)
    expect(page.locator("#checklist-domain")).to_have_value("good.example")
    expect(page.locator("#done-1")).to_be_checked()
    expect(page.locator("#nc-alerts .nc-problems li")).to_have_count(1)
    assert stored_text(page, BACKUP_KEY) == GOOD_AND_BROKEN
    assert [m["domain"] for m in stored(page)["migrations"]] == ["good.example"]


def test_version_1_is_kept_until_python_migrates_it(context: BrowserContext, base_url: str) -> None:
    """The older format (stored before the view existed): the page says it is reading it and rewrites nothing; Python
    then writes version 2, keeps the original as a backup, and the rows show."""
    preset_storage(context, base_url, {STORAGE_KEY: VERSION_1}, view=False)
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    expect(page.locator("#nc-progress-text")).to_have_text("保存されている内容を読み込んでいます…")
    assert stored_text(page) == VERSION_1  # nothing rewritten before Python has made the backup
    gate.release()
    wait_python(page)
    expect(page.locator("#nc-alerts")).to_contain_text("以前の形式")
    expect(page.locator("#done-2")).to_be_checked()
    expect(page.locator("#date-1")).to_have_value("2026-11-01")
    data = stored(page)
    assert data["version"] == 2 and data["migrations"][0]["items"]["2"]["note"] == "旧形式のメモ"
    assert stored_text(page, BACKUP_KEY) == VERSION_1


def test_actions_on_old_data_before_python_are_replayed_after_migration(context: BrowserContext, base_url: str) -> None:
    """A tick made on version-1 data while Python starts is recorded and folded in after the migration."""
    preset_storage(context, base_url, {STORAGE_KEY: VERSION_1}, view=False)
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


def test_full_storage_before_python_is_ready_keeps_the_old_value(context: BrowserContext, base_url: str) -> None:
    """Storage full for every key while Python starts: the tick cannot be recorded, the page says so and shows what
    is saved (the box is not left ticked as if it were); the stored text is the old one."""
    saved = document({"domain": "full.example"})
    preset_storage(context, base_url, {STORAGE_KEY: saved})
    context.add_init_script(FULL_QUOTA.replace('key === "netcom-checklist"', 'key.startsWith("netcom-checklist")'))
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    page.locator("#done-1").click()
    expect(page.locator("#nc-alerts")).to_contain_text("保存容量が足りない")
    expect(page.locator("#done-1")).not_to_be_checked()
    assert stored_text(page) == saved and journal(page) == {}
    gate.release()


def _assert_python_failed_but_ticking_works(page: Page, base_url: str) -> None:
    """Without Python: the status says what still works; a domain and a tick are recorded and survive a reload."""
    expect(page.locator("[data-nc-python-status]")).to_contain_text("開始できませんでした")
    page.fill("#checklist-domain", "fallback.example")
    page.press("#checklist-domain", "Tab")
    tick(page, "#done-1")
    page.reload()
    wait_shown(page)
    expect(page.locator("#done-1")).to_be_checked()
    expect(page.locator("#checklist-domain")).to_have_value("fallback.example")
    assert sorted(entry["edit"] for entry in journal(page).values()) == ["domain", "done"]


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


def test_without_python_damaged_data_is_never_overwritten(context: BrowserContext, base_url: str) -> None:
    """Python cannot start and the data is damaged: nothing rewrites it (only Python writes the document), and the
    customer's ticks are recorded beside it, for the next page where Python starts."""
    preset_storage(context, base_url, {STORAGE_KEY: "{broken"}, view=False)
    context.add_init_script("delete globalThis.WebAssembly;")
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    wait_python(page, "failed")
    tick(page, "#done-2")
    assert stored_text(page) == "{broken" and stored_text(page, BACKUP_KEY) is None
    assert [entry["edit"] for entry in journal(page).values()] == ["done"]
