"""Two tabs on the same checklist: changes sync through the storage event and no tick is lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

from .conftest import (
    PYTHON_READY_TIMEOUT_MS,
    PythonGate,
    document,
    journal,
    open_checklist,
    preset_storage,
    record,
    stored,
    stored_text,
    tick,
    wait_folded,
    wait_python,
)

pytestmark = pytest.mark.browser

SAVED = document({"domain": "tabs.example"})


def _two_tabs(context: BrowserContext, base_url: str, *, ready: bool = True) -> tuple:
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        record(tab)
        open_checklist(tab, base_url, ready=ready)
    return first, second


def test_a_tick_in_one_tab_shows_in_the_other(context: BrowserContext, base_url: str) -> None:
    """Ticking in tab A updates tab B through the storage event, without a reload."""
    first, second = _two_tabs(context, base_url)
    tick(first, "#done-1")
    expect(second.locator("#done-1")).to_be_checked()
    expect(second.locator("#nc-progress-text")).to_have_text("1 / 12 完了")


def test_ticks_in_both_tabs_at_once_are_all_kept(context: BrowserContext, base_url: str) -> None:
    """Both tabs tick different items without waiting for each other; every tick ends up stored and shown."""
    first, second = _two_tabs(context, base_url)
    first.evaluate("document.querySelector('#done-1').click()")
    second.evaluate("document.querySelector('#done-2').click()")
    first.evaluate("document.querySelector('#done-5').click()")
    second.evaluate("document.querySelector('#done-7').click()")
    # Four ticks from two tabs go through Python one after another: generous on a loaded machine (30 s was hit).
    first.wait_for_function(
        "() => ['1','2','5','7'].every(n => JSON.parse(localStorage.getItem('netcom-checklist')).migrations[0]"
        ".items[n].done)",
        timeout=PYTHON_READY_TIMEOUT_MS,
    )
    for tab in (first, second):
        for number in (1, 2, 5, 7):
            expect(tab.locator(f"#done-{number}")).to_be_checked()
    assert sum(item["done"] for item in stored(first)["migrations"][0]["items"].values()) == 4


# Another tab's write as this tab's storage event reports it: localStorage holds `newValue`, written over `oldValue`.
_OTHER_TAB_WRITES = """([oldValue, newValue]) => {
  localStorage.setItem('netcom-checklist', newValue);
  window.dispatchEvent(new StorageEvent('storage', {
    key: 'netcom-checklist', oldValue, newValue, storageArea: localStorage, url: location.href }));
}"""
_WITH_ITEM = """([text, item, done]) => {
  const doc = JSON.parse(text);
  doc.migrations[0].items[item].done = done;
  return JSON.stringify(doc);
}"""


def test_a_tick_lost_to_a_stale_write_of_the_other_tab_is_written_again(context: BrowserContext, base_url: str) -> None:
    """The other tab read the text from before this tab's tick (localStorage reaches tabs late) and wrote its own
    tick over it: its write started from the same text as ours, so this tab applies its tick again to the other's
    text and both ticks are kept (the race the test above runs into about 1 time in 10)."""
    (tab,) = _two_tabs(context, base_url)[:1]
    before = stored_text(tab)
    tick(tab, "#done-1")
    tab.wait_for_function("() => JSON.parse(localStorage.getItem('netcom-checklist')).migrations[0].items['1'].done")
    theirs = tab.evaluate(_WITH_ITEM, [before, "3", True])  # their tick 3, on the text without our tick 1
    tab.evaluate(_OTHER_TAB_WRITES, [before, theirs])
    tab.wait_for_function(
        "() => ['1', '3'].every(n => JSON.parse(localStorage.getItem('netcom-checklist')).migrations[0].items[n].done)",
        timeout=PYTHON_READY_TIMEOUT_MS,
    )
    expect(tab.locator("#done-1")).to_be_checked()
    expect(tab.locator("#done-3")).to_be_checked()


def test_an_untick_in_the_other_tab_after_seeing_the_tick_is_kept(context: BrowserContext, base_url: str) -> None:
    """The other tab saw this tab's tick and unticked the box on purpose: that is not a race, nothing is repeated."""
    (tab,) = _two_tabs(context, base_url)[:1]
    tick(tab, "#done-1")
    tab.wait_for_function("() => JSON.parse(localStorage.getItem('netcom-checklist')).migrations[0].items['1'].done")
    ours = stored_text(tab)
    theirs = tab.evaluate(_WITH_ITEM, [ours, "1", False])
    tab.evaluate(_OTHER_TAB_WRITES, [ours, theirs])
    expect(tab.locator("#done-1")).not_to_be_checked()
    tab.wait_for_timeout(1500)  # a repeated tick would be written within a few hundred ms
    assert stored(tab)["migrations"][0]["items"]["1"]["done"] is False
    expect(tab.locator("#done-1")).not_to_be_checked()


def test_ticks_in_both_tabs_before_python_is_ready_are_all_kept(context: BrowserContext, base_url: str) -> None:
    """While Python starts, both tabs record their ticks as entries (each tab shows the other's at once); once Python
    is ready every tick is in the document."""
    gate = PythonGate(context)
    first, second = _two_tabs(context, base_url, ready=False)
    tick(first, "#done-1")
    tick(second, "#done-2")
    tick(first, "#done-3")
    expect(second.locator("#done-3")).to_be_checked()
    expect(first.locator("#done-2")).to_be_checked()
    assert len(journal(first)) == 3 and stored_text(first) == SAVED
    gate.release()
    for tab in (first, second):
        wait_python(tab)
    wait_folded(first)
    items = stored(first)["migrations"][0]["items"]
    assert [items[n]["done"] for n in ("1", "2", "3")] == [True, True, True]


# Twenty edits in a row from one tab, all starting at the same instant in both tabs (a timer at an agreed time): ticks,
# dates and notes on this tab's own items, each edit made as the user makes it (the field's value, then its event).
_TWENTY_EDITS = """([at, items, tag]) => { setTimeout(async () => {
  const made = [];
  for (let i = 0; i < 20; i++) {
    const item = items[i % items.length];
    const kind = ["done", "date", "note"][Math.floor(i / items.length) % 3];
    const field = document.getElementById(`${kind === "note" ? "note" : kind}-${item}`);
    const date = `2026-12-${String(10 + i).padStart(2, "0")}`;
    const value = kind === "done" ? i % 2 === 0 : kind === "date" ? date : `${tag}-${i}`;
    if (kind === "done") field.checked = value; else field.value = value;
    field.dispatchEvent(new Event("change", { bubbles: true }));
    made.push([item, kind, value]);
    await new Promise((r) => setTimeout(r, i % 3));
  }
  window.__made = made;
}, Math.max(0, at - Date.now())); }"""


def test_twenty_edits_from_each_of_two_tabs_at_once_lose_nothing(context: BrowserContext, base_url: str) -> None:
    """Two tabs make 20 edits each at the same moment (ticks, dates, notes on different items): once both have folded,
    every field holds the last value its tab gave it, in the document and on both pages."""
    first, second = _two_tabs(context, base_url)
    at = first.evaluate("Date.now()") + 600
    first.evaluate(_TWENTY_EDITS, [at, [1, 2, 3, 4, 5, 6], "A"])  # returns at once: the edits start at `at`
    second.evaluate(_TWENTY_EDITS, [at, [7, 8, 9, 10, 11, 12], "B"])
    last: dict[tuple[int, str], object] = {}
    for tab in (first, second):
        tab.wait_for_function("() => window.__made !== undefined")
        for item, kind, value in tab.evaluate("window.__made"):
            last[(item, kind)] = value
    for tab in (first, second):
        wait_folded(tab)
    first.wait_for_timeout(500)  # a last storage event may still be folding
    wait_folded(first)
    items = stored(first)["migrations"][0]["items"]
    key = {"done": "done", "date": "date", "note": "note"}
    lost = [(item, kind, value) for (item, kind), value in last.items() if items[str(item)][key[kind]] != value]
    assert lost == []
    for tab in (first, second):
        for (item, kind), value in last.items():
            if kind == "done":
                expect(tab.locator(f"#done-{item}")).to_be_checked(checked=bool(value))
            else:
                expect(tab.locator(f"#{kind}-{item}")).to_have_value(str(value))


def test_a_new_migration_in_one_tab_appears_in_the_other_selector(context: BrowserContext, base_url: str) -> None:
    """Adding a domain in tab A adds it to tab B's domain selector."""
    first, second = _two_tabs(context, base_url)
    first.click("#nc-add")
    first.fill("#nc-form-domain", "another.example")
    first.click("#nc-migration-form button[type=submit]")
    expect(second.locator("#nc-migration-select option")).to_have_text(["tabs.example", "another.example"])
