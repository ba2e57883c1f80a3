"""The interactive checklist in Chromium: instant saved state, Python hand-over, migrations, items, files, print."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from checklist_app.storage import loads

from .conftest import (
    BACKUP_KEY,
    EDIT_PREFIX,
    PYTHON_READY_TIMEOUT_MS,
    REPO,
    STORAGE_KEY,
    VIEW_KEY,
    PythonGate,
    browser_today,
    document,
    journal,
    open_checklist,
    preset_storage,
    start_checklist,
    stored,
    stored_text,
    tick,
    wait_folded,
    wait_python,
    wait_shown,
)

pytestmark = pytest.mark.browser

SAVED = document(
    {
        "domain": "example.co.jp",
        "label": "Example 商事様",
        "cancellation_date": "2027-01-31",
        "items": {1: {"done": True, "date": "2026-12-01"}, 2: {"done": True, "date": "2026-12-02", "note": "受領"}},
    },
    {"domain": "second.example"},
)


def test_pyodide_version_of_the_page_matches_package_json(site_root: Path) -> None:
    """The runtime folder the pages point at is the one package.json pins and the build wrote."""
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    html = (site_root / "checklist" / "index.html").read_text(encoding="utf-8")
    match = re.search(r'data-nc-pyodide="([^"]+)"', html)
    assert match and match.group(1) == pinned
    assert (site_root / "pyodide" / pinned / "pyodide-lock.json").is_file()


def test_saved_state_is_visible_before_python_starts(context: BrowserContext, base_url: str) -> None:
    """Ticks, dates, notes, the domain and the progress show from localStorage while Python is held back."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    assert page.get_attribute("html", "data-nc-python") is None
    expect(page.locator("#done-1")).to_be_checked()
    expect(page.locator("#done-3")).not_to_be_checked()
    expect(page.locator("#date-2")).to_have_value("2026-12-02")
    expect(page.locator("#note-2")).to_have_value("受領")
    expect(page.locator("#cancel-date-2")).to_have_value("2027-01-31")
    expect(page.locator("#checklist-domain")).to_have_value("example.co.jp")
    expect(page.locator("#nc-progress-text")).to_have_text("2 / 12 完了")
    expect(page.locator("#nc-progress")).to_have_attribute("value", "2")
    gate.release()


def test_saved_state_is_shown_before_the_page_glue_loads(context: BrowserContext, base_url: str) -> None:
    """checklist-view.js (run right after the form) shows ticks, notes and progress while app.js is held back."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    held: list[Any] = []
    context.route("**/assets/app.js", lambda route: held.append(route))
    page = context.new_page()
    page.goto(base_url + "checklist/", wait_until="commit")
    page.wait_for_selector("html[data-nc-state='visible']", state="attached")
    expect(page.locator("#done-2")).to_be_checked()
    expect(page.locator("#note-2")).to_have_value("受領")
    expect(page.locator("#nc-progress-text")).to_have_text("2 / 12 完了")
    expect(page.locator("#nc-migration-select option")).to_have_count(2)
    assert held, "app.js was never requested"
    assert page.get_attribute("html", "data-nc-state") == "visible"
    for route in held:
        route.continue_()
    wait_shown(page)


def test_edits_made_before_the_page_glue_loads_are_kept(context: BrowserContext, base_url: str) -> None:
    """A tick and a note made while only the early render is on the page are saved once app.js arrives."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    held: list[Any] = []
    context.route("**/assets/app.js", lambda route: held.append(route))
    page = context.new_page()
    page.goto(base_url + "checklist/", wait_until="commit")
    page.wait_for_selector("html[data-nc-state='visible']", state="attached")
    tick(page, "#done-3")
    page.fill("#note-3", "早めに確認")
    assert held and page.get_attribute("html", "data-nc-state") == "visible"
    for route in held:
        route.continue_()
    wait_shown(page)
    page.wait_for_function(
        "() => { const d = JSON.parse(localStorage.getItem('netcom-checklist'));"
        " const i = d.migrations.find(m => m.id === d.active).items['3'];"
        " return i.done && i.note === '早めに確認'; }"
    )
    expect(page.locator("#done-3")).to_be_checked()
    expect(page.locator("#nc-progress-text")).to_have_text("3 / 12 完了")


def test_while_python_starts_only_controls_that_need_it_wait(context: BrowserContext, base_url: str) -> None:
    """No loading line over the checklist while Python starts (ticking works meanwhile); "export" is marked busy while
    it waits for Python, then downloads; the status region stays empty and never says 「準備ができました」."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    status = page.locator("[data-nc-python-status]")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_be_hidden()
    export = page.locator("#nc-export-all")
    with page.expect_download(timeout=PYTHON_READY_TIMEOUT_MS) as download:
        export.click()
        expect(export).to_have_attribute("aria-busy", "true")
        gate.release()
    assert download.value.suggested_filename.startswith("netcom-checklist-all")
    expect(export).not_to_have_attribute("aria-busy", "true")
    expect(status).to_be_hidden()
    assert "準備ができました" not in page.content()


def test_hand_over_keeps_the_same_values(context: BrowserContext, base_url: str) -> None:
    """When Python takes over, the shown values stay the same and the statuses appear (no flicker, no loss)."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    page.evaluate(
        """() => { window.__changes = 0; new MutationObserver((records) => {
             for (const r of records) if (r.type === 'attributes' && r.attributeName === 'value') window.__changes++;
           }).observe(document.querySelector('#checklist-form'), {attributes: true, subtree: true}); }"""
    )
    before = page.evaluate("Array.from(document.querySelectorAll('.nc-done')).map(b => b.checked)")
    wait_python(page)
    expect(page.locator("#status-3")).to_have_text("未着手")
    after = page.evaluate("Array.from(document.querySelectorAll('.nc-done')).map(b => b.checked)")
    assert before == after
    assert stored(page)["migrations"][0]["items"]["2"]["note"] == "受領"


def test_ticks_made_before_python_is_ready_are_kept(context: BrowserContext, base_url: str) -> None:
    """A tick and a note made while Python starts are recorded at once and folded into the document once it is ready."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    tick(page, "#done-3")
    page.fill("#note-4", "待ち")
    page.locator("#note-4").blur()
    recorded = {(e["edit"], e["item"], e["value"], e["migration"]) for e in journal(page).values()}
    assert recorded == {("done", 3, True, "m-1"), ("note", 4, "待ち", "m-1")}
    expect(page.locator("#status-3")).to_be_hidden()  # no status claimed before Python decides one
    gate.release()
    wait_python(page)
    wait_folded(page)
    items = stored(page)["migrations"][0]["items"]
    assert items["3"]["done"] is True and items["4"]["note"] == "待ち"
    expect(page.locator("#done-3")).to_be_checked()
    expect(page.locator("#status-3")).to_have_text("完了")


def test_tick_date_note_survive_a_reload(page: Page, base_url: str) -> None:
    """The customer flow: domain, tick (date defaults to the browser's today), a typed date, a note, reload."""
    open_checklist(page, base_url)
    start_checklist(page)
    tick(page, "#done-1")
    expect(page.locator("#date-1")).to_have_value(browser_today(page))
    page.fill("#date-5", "2026-12-10")
    page.locator("#date-5").blur()
    page.fill("#note-5", "メモ 1\n2 行目")
    page.locator("#note-5").blur()
    page.wait_for_function("() => (localStorage.getItem('netcom-checklist') || '').includes('2 行目')")
    page.reload()
    wait_shown(page)
    expect(page.locator("#done-1")).to_be_checked()
    expect(page.locator("#date-1")).to_have_value(browser_today(page))
    expect(page.locator("#date-5")).to_have_value("2026-12-10")
    expect(page.locator("#note-5")).to_have_value("メモ 1\n2 行目")
    expect(page.locator("#checklist-domain")).to_have_value("example.co.jp")


def test_unticking_keeps_the_date(page: Page, base_url: str) -> None:
    """Unticking an item keeps its completion date (the model's rule), shown as 対応中."""
    open_checklist(page, base_url)
    start_checklist(page)
    tick(page, "#done-1")
    expect(page.locator("#date-1")).to_have_value(browser_today(page))
    tick(page, "#done-1", checked=False)
    expect(page.locator("#status-1")).to_have_text("対応中")
    expect(page.locator("#date-1")).to_have_value(browser_today(page))


def test_cancellation_date_of_item_2_is_saved(page: Page, base_url: str) -> None:
    """Item 2's ご解約日 is stored on the migration."""
    open_checklist(page, base_url)
    start_checklist(page)
    page.fill("#cancel-date-2", "2027-02-15")
    page.locator("#cancel-date-2").blur()
    page.wait_for_function("() => (localStorage.getItem('netcom-checklist') || '').includes('2027-02-15')")
    assert stored(page)["migrations"][0]["cancellation_date"] == "2027-02-15"


def test_status_badges_progress_and_next_step(page: Page, base_url: str) -> None:
    """Badges follow the GOV.UK wording, n / 12 with a bar, the next step links to its step page section."""
    open_checklist(page, base_url)
    start_checklist(page)
    tick(page, "#done-1")
    tick(page, "#done-2")
    expect(page.locator("#status-1")).to_have_text("完了")
    expect(page.locator("#status-3")).to_have_text("未着手")
    expect(page.locator("#status-4")).to_have_text("まだ開始できません")
    expect(page.locator("#item-4")).to_have_attribute("data-status", "cannot_start_yet")
    expect(page.locator("#nc-progress-text")).to_have_text("2 / 12 完了")
    expect(page.locator("#nc-progress")).to_have_attribute("value", "2")
    link = page.locator("#nc-next a")
    expect(link).to_have_text(re.compile(r"^3\. ドメイン移管の完了"))
    assert link.get_attribute("href").endswith("steps/3-transfer-approval/#transfer-complete")


def test_english_page_speaks_english(page: Page, base_url: str) -> None:
    """On /en/checklist/ the badges, the progress text and the messages are in English."""
    open_checklist(page, base_url, "en")
    start_checklist(page)
    tick(page, "#done-1")
    expect(page.locator("#status-1")).to_have_text("Completed")
    expect(page.locator("#status-4")).to_have_text("Cannot start yet")
    expect(page.locator("#nc-progress-text")).to_have_text("1 of 12 completed")


def test_add_and_switch_between_migrations(page: Page, base_url: str) -> None:
    """A second domain is added from the selector's form; switching shows each one's own ticks."""
    open_checklist(page, base_url)
    start_checklist(page, "first.example")
    tick(page, "#done-1")
    page.click("#nc-add")
    page.fill("#nc-form-domain", "second.example")
    page.fill("#nc-form-label", "二社目")
    page.click("#nc-migration-form button[type=submit]")
    expect(page.locator("#nc-migration-form")).to_be_hidden()
    expect(page.locator("#checklist-domain")).to_have_value("second.example")
    expect(page.locator("#done-1")).not_to_be_checked()
    expect(page.locator("#nc-migration-select option")).to_have_text(["first.example", "二社目 (second.example)"])
    page.select_option("#nc-migration-select", label="first.example")
    expect(page.locator("#done-1")).to_be_checked()


def test_adding_a_domain_twice_is_refused_beside_the_field(page: Page, base_url: str) -> None:
    """The same domain (case and width ignored) cannot be added twice; the error sits beside the field."""
    open_checklist(page, base_url)
    start_checklist(page, "example.co.jp")
    page.click("#nc-add")
    page.fill("#nc-form-domain", "EXAMPLE.co.jp")
    page.click("#nc-migration-form button[type=submit]")
    expect(page.locator("#nc-form-domain-error")).to_contain_text("すでにあります")
    expect(page.locator("#nc-form-domain")).to_have_attribute("aria-invalid", "true")
    assert len(stored(page)["migrations"]) == 1


def test_rename_changes_domain_and_label(page: Page, base_url: str) -> None:
    """Rename sets a new domain and display name for the active migration."""
    open_checklist(page, base_url)
    start_checklist(page, "old.example")
    page.click("#nc-rename")
    expect(page.locator("#nc-form-domain")).to_have_value("old.example")
    page.fill("#nc-form-domain", "new.example")
    page.fill("#nc-form-label", "新しい名前")
    page.click("#nc-migration-form button[type=submit]")
    expect(page.locator("#nc-migration-select option")).to_have_text(["新しい名前 (new.example)"])
    migration = stored(page)["migrations"][0]
    assert (migration["domain"], migration["label"]) == ("new.example", "新しい名前")


def test_delete_asks_first_then_can_be_undone(page: Page, base_url: str) -> None:
    """Delete asks for confirmation; after deleting, undo brings the migration back with its ticks."""
    open_checklist(page, base_url)
    start_checklist(page, "keep.example")
    tick(page, "#done-1")
    page.click("#nc-delete")
    expect(page.locator("#nc-confirm")).to_contain_text("keep.example")
    assert len(stored(page)["migrations"]) == 1  # nothing deleted before confirming
    page.click("#nc-confirm button:has-text('削除する')")
    page.wait_for_function("() => JSON.parse(localStorage.getItem('netcom-checklist')).migrations.length === 0")
    expect(page.locator("#nc-message")).to_contain_text("削除しました")
    page.click("#nc-message button.nc-undo")
    page.wait_for_function("() => JSON.parse(localStorage.getItem('netcom-checklist')).migrations.length === 1")
    expect(page.locator("#done-1")).to_be_checked()
    expect(page.locator("#checklist-domain")).to_have_value("keep.example")


def test_delete_can_be_cancelled(page: Page, base_url: str) -> None:
    """Choosing やめる in the confirmation keeps the migration."""
    open_checklist(page, base_url)
    start_checklist(page, "keep.example")
    page.click("#nc-delete")
    page.click("#nc-confirm button:has-text('やめる')")
    expect(page.locator("#nc-confirm")).to_be_hidden()
    assert len(stored(page)["migrations"]) == 1


def test_reset_empties_the_checklist_and_undo_restores_it(page: Page, base_url: str) -> None:
    """Reset clears ticks, dates and notes after confirmation; undo puts them back."""
    open_checklist(page, base_url)
    start_checklist(page)
    tick(page, "#done-1")
    page.click("#nc-reset")
    page.click("#nc-confirm button:has-text('空にする')")
    expect(page.locator("#done-1")).not_to_be_checked()
    assert stored(page)["migrations"][0]["items"]["1"]["done"] is False
    page.click("#nc-message button.nc-undo")
    expect(page.locator("#done-1")).to_be_checked()
    assert stored(page)["migrations"][0]["items"]["1"]["done"] is True


def test_export_downloads_the_checklist_as_a_file(page: Page, base_url: str) -> None:
    """Export gives a .json file named after the domain holding the stored document."""
    open_checklist(page, base_url)
    start_checklist(page, "日本語.jp")
    tick(page, "#done-1")
    with page.expect_download() as info:
        page.click("#nc-export")
    download = info.value
    assert download.suggested_filename.startswith("netcom-checklist-xn--wgv71a119e.jp-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["migrations"][0]["domain"] == "日本語.jp" and data["migrations"][0]["items"]["1"]["done"] is True


def test_import_merges_a_file(page: Page, base_url: str, tmp_path: Path) -> None:
    """An exported file read through <input type=file> adds its migration and says so."""
    open_checklist(page, base_url)
    start_checklist(page, "here.example")
    export = tmp_path / "in.json"
    export.write_text(document({"domain": "imported.example", "items": {1: {"done": True}}}), encoding="utf-8")
    page.set_input_files("#nc-import", str(export))
    expect(page.locator("#nc-message")).to_contain_text("1 件を追加しました")
    expect(page.locator("#checklist-domain")).to_have_value("imported.example")
    assert [m["domain"] for m in stored(page)["migrations"]] == ["here.example", "imported.example"]


def test_print_view_shows_the_filled_in_values(page: Page, base_url: str) -> None:
    """Printed, the date boxes and the cancellation box carry the dates typed on the page; controls are hidden."""
    open_checklist(page, base_url)
    start_checklist(page)
    page.fill("#date-1", "2026-12-01")
    page.locator("#date-1").blur()
    page.fill("#cancel-date-2", "2027-01-31")
    page.locator("#cancel-date-2").blur()
    page.wait_for_function("() => (localStorage.getItem('netcom-checklist') || '').includes('2027-01-31')")
    page.emulate_media(media="print")
    expect(page.locator("#item-1 .nc-print-blank")).to_be_visible()
    expect(page.locator("#item-1 .nc-print-blank")).to_have_text("2026年12月1日")
    expect(page.locator("#item-2 .nc-print-value")).to_have_text("2027年1月31日")
    expect(page.locator("#item-3 .nc-print-blank")).to_have_text("")
    expect(page.locator("#date-1")).to_be_hidden()
    expect(page.locator("#nc-app")).to_be_hidden()


def test_step_page_shows_its_items_synced_with_the_checklist(context: BrowserContext, base_url: str) -> None:
    """A step page's items get checkboxes bound to the same storage; a tick there shows on /checklist/."""
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    step = context.new_page()
    step.goto(base_url + "steps/5-customer-setup/")
    wait_shown(step)
    boxes = step.locator(".nc-step-items input.nc-done")
    expect(boxes).to_have_count(3)
    expect(step.locator(".nc-step-items__for")).to_contain_text("Example 商事様")
    tick(step, "#step-done-5")
    checklist = context.new_page()
    open_checklist(checklist, base_url, ready=False)
    expect(checklist.locator("#done-5")).to_be_checked()
    tick(checklist, "#done-5", checked=False)
    expect(step.locator("#step-done-5")).not_to_be_checked()


def test_step_page_does_not_start_python(page: Page, base_url: str) -> None:
    """A plain step page never starts Python, and with saveData it loads no Pyodide runtime at all (it stays light).

    Without saveData it may warm the runtime into the HTTP cache at idle time (py-prefetch.js, test_prefetch.py).
    """
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'connection', {get: () => ({saveData: true})})")
    page.goto(base_url + "steps/1-application/")
    wait_shown(page)
    page.wait_for_load_state("networkidle")
    assert not [url for url in page.nc.requests if "/pyodide/" in url or "py-worker" in url]  # type: ignore[attr-defined]
    assert page.evaluate("typeof globalThis.ncPythonClient") == "undefined"


def test_javascript_writes_only_journal_entries_python_writes_the_document(
    context: BrowserContext, base_url: str
) -> None:
    """While Python starts, a domain, a tick, a note and a date become journal entries and nothing else is written;
    once Python is ready it folds them into its canonical document (the note's CR LF as LF) and removes nothing yet."""
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    page.fill("#checklist-domain", "ｆｕｌｌ.example")
    page.press("#checklist-domain", "Tab")
    tick(page, "#done-1")
    page.fill("#note-2", "改行\r\nあり\tタブ")
    page.locator("#note-2").blur()
    page.fill("#cancel-date-2", "2027-01-31")
    page.locator("#cancel-date-2").blur()
    assert stored(page) is None and stored(page, VIEW_KEY) is None
    kinds = sorted(entry["edit"] for entry in journal(page).values())
    assert kinds == ["cancellation_date", "domain", "done", "note"]
    expect(page.locator("#checklist-domain-error")).to_have_text("確認中…")
    gate.release()
    wait_python(page)
    wait_folded(page)
    (migration,) = stored(page)["migrations"]
    assert migration["domain"] == "ｆｕｌｌ.example"
    assert migration["items"]["2"]["note"] == "改行\nあり\tタブ"
    assert migration["items"]["1"]["done"] is True and migration["cancellation_date"] == "2027-01-31"
    assert len(journal(page)) == 4  # kept a minute, for the other tabs
    expect(page.locator("#checklist-domain-error")).to_be_hidden()
    assert stored(page, BACKUP_KEY) is None


def test_first_tick_on_a_fresh_browser_works_and_survives_a_reload(page: Page, base_url: str) -> None:
    """A new customer ticks 1 at once: the 12 items are enabled, the tick stays after a reload, its checklist is
    「ドメイン未入力」 until the domain typed above the list names it."""
    page.goto(base_url + "checklist/")
    page.wait_for_selector("html[data-nc-state]", state="attached")
    assert page.locator(".nc-done:disabled").count() == 0
    tick(page, "#done-1")
    expect(page.locator("#date-1")).to_have_value(browser_today(page))
    page.reload()
    wait_shown(page)
    expect(page.locator("#done-1")).to_be_checked()
    wait_python(page)
    wait_folded(page)
    expect(page.locator("#nc-migration-select option")).to_have_text(["ドメイン未入力"])
    expect(page.locator("#status-1")).to_have_text("完了")
    page.fill("#checklist-domain", "example.co.jp")
    page.press("#checklist-domain", "Tab")
    expect(page.locator("#nc-migration-select option")).to_have_text(["example.co.jp"])
    expect(page.locator("#done-1")).to_be_checked()
    assert [m["domain"] for m in stored(page)["migrations"]] == ["example.co.jp"]


def test_old_entries_are_removed_once_folded(context: BrowserContext, base_url: str) -> None:
    """An entry older than a minute (every tab has folded it by then) is folded in and then removed."""
    old_key = f"{EDIT_PREFIX}{int(time.time() * 1000) - 120_000:013d}-old"
    entry = {"edit": "done", "migration": "m-1", "item": 4, "value": True, "day": "2026-12-01", "now": ""}
    preset_storage(context, base_url, {STORAGE_KEY: SAVED, old_key: json.dumps(entry)})
    page = context.new_page()
    open_checklist(page, base_url)
    page.wait_for_function("(k) => localStorage.getItem(k) === null", arg=old_key)
    assert stored(page)["migrations"][0]["items"]["4"]["done"] is True
    expect(page.locator("#done-4")).to_be_checked()


def test_a_document_stored_before_the_view_existed_is_shown_once_python_read_it(
    context: BrowserContext, base_url: str
) -> None:
    """An upgrade: a saved document without a view says it is being read, then shows everything, unchanged."""
    preset_storage(context, base_url, {STORAGE_KEY: SAVED}, view=False)
    gate = PythonGate(context)
    page = context.new_page()
    open_checklist(page, base_url, ready=False)
    expect(page.locator("#nc-progress-text")).to_have_text("保存されている内容を読み込んでいます…")
    gate.release()
    wait_python(page)
    expect(page.locator("#nc-progress-text")).to_have_text("2 / 12 完了")
    expect(page.locator("#note-2")).to_have_value("受領")
    assert loads(stored_text(page)).workspace == loads(SAVED).workspace
