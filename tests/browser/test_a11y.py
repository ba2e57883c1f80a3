"""Accessibility: axe-core finds no serious or critical violation on any page in either language, and the
checklist works end to end from the keyboard alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import REPO, document, open_checklist, preset_storage, stored, wait_python

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SAVED = document(
    {"domain": "a11y.example", "label": "お客様", "items": {1: {"done": True, "date": "2026-12-01", "note": "メモ"}}},
    {"domain": "second.example"},
)


def _pages(site_root: Path) -> list[str]:
    """Every built page but redirect stubs and the Pyodide folder, as site-relative URLs."""
    urls = []
    for path in sorted(site_root.rglob("index.html")):
        rel = path.relative_to(site_root)
        if rel.parts[0] == "pyodide" or 'http-equiv="refresh"' in path.read_text(encoding="utf-8")[:2000]:
            continue
        urls.append("" if rel.parent == Path(".") else rel.parent.as_posix() + "/")
    return urls


def _serious(page: Page) -> list[str]:
    if page.evaluate("typeof window.axe") == "undefined":
        # Evaluated through the DevTools protocol: not an inline script, so the page's CSP stays as it is.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_is_listed(site_root: Path) -> None:
    """The page list covers both languages (a guard against the axe test silently checking nothing)."""
    pages = _pages(site_root)
    assert "checklist/" in pages and "en/checklist/" in pages and "" in pages and "en/" in pages
    assert len(pages) >= 30


# The page list is split into shards so that both test workers share it (one shard's pages in one context,
# as before); together the shards cover every page _pages() lists, which test_every_page_is_listed guards.
SHARDS = 4


def test_shards_cover_every_page_once(site_root: Path) -> None:
    """Every listed page falls in exactly one shard."""
    pages = _pages(site_root)
    shards = [pages[shard::SHARDS] for shard in range(SHARDS)]
    assert sorted(url for shard in shards for url in shard) == sorted(pages)
    assert all(shards)


@pytest.mark.parametrize("shard", range(SHARDS), ids=lambda shard: f"shard{shard + 1}of{SHARDS}")
def test_no_serious_violation_on_any_page(page: Page, base_url: str, site_root: Path, shard: int) -> None:
    """axe-core: no serious or critical violation on any built page, Japanese and English (a quarter each)."""
    problems = {}
    for url in _pages(site_root)[shard::SHARDS]:
        page.goto(base_url + url)
        page.wait_for_load_state("load")
        found = _serious(page)
        if found:
            problems[url] = found
    assert problems == {}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violation_on_the_live_checklist(new_context, base_url: str, lang: str, scheme: str) -> None:
    """The checklist with saved data, Python running and the add form open: no serious violation."""
    context = new_context(color_scheme=scheme)
    preset_storage(context, base_url, {"netcom-checklist": SAVED})
    page = context.new_page()
    open_checklist(page, base_url, lang)
    page.click("#nc-add")
    assert _serious(page) == []


def _tab_to(page: Page, selector: str, limit: int = 80, back: bool = False) -> None:
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{selector} not reachable with the keyboard")


def test_keyboard_only_flow(page: Page, base_url: str) -> None:
    """Tab, Enter and Space alone: add a domain, tick, date, note, delete with confirmation, undo."""
    open_checklist(page, base_url)
    page.locator("body").focus()
    _tab_to(page, "#nc-add")
    page.keyboard.press("Enter")
    expect(page.locator("#nc-form-domain")).to_be_focused()
    page.keyboard.type("keys.example")
    page.keyboard.press("Tab")
    page.keyboard.type("キーボード")
    page.keyboard.press("Enter")
    expect(page.locator("#nc-migration-select")).to_be_focused()
    _tab_to(page, "#done-1")
    page.keyboard.press("Space")
    expect(page.locator("#done-1")).to_be_checked()
    _tab_to(page, "#note-1")
    page.keyboard.type("電話済み")
    page.keyboard.press("Tab")
    page.wait_for_function("() => (localStorage.getItem('netcom-checklist') || '').includes('電話済み')")
    assert stored(page)["migrations"][0]["items"]["1"]["done"] is True
    _tab_to(page, "#nc-delete", back=True)
    page.keyboard.press("Enter")
    expect(page.locator("#nc-confirm button").last).to_be_focused()  # the safe choice is focused first
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#nc-message button.nc-undo")).to_be_focused()
    assert stored(page)["migrations"] == []
    page.keyboard.press("Enter")
    page.wait_for_function("() => JSON.parse(localStorage.getItem('netcom-checklist')).migrations.length === 1")
    expect(page.locator("#done-1")).to_be_checked()


def test_changes_are_announced_in_live_regions(page: Page, base_url: str) -> None:
    """Loading state, messages and alerts live in role=status / role=alert regions; every input has a label."""
    open_checklist(page, base_url)
    wait_python(page)
    assert page.get_attribute("[data-nc-python-status]", "role") == "status"
    assert page.get_attribute("#nc-message", "role") == "status"
    assert page.get_attribute("#nc-alerts", "role") == "alert"
    fields = "#nc-app input, #nc-app select, #checklist-form input, #checklist-form textarea, #nc-tools input"
    unlabeled = page.evaluate(
        """(fields) => Array.from(document.querySelectorAll(fields)).filter(e => !e.labels.length
             && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')).map(e => e.id)""",
        fields,
    )
    assert unlabeled == []
