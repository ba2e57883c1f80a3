"""User text is shown as text, never as HTML: an XSS corpus in every field executes and injects nothing.

These run WITHOUT the CSP header: the policy would block inline handlers anyway, and the point here is that
the page itself never turns user text into markup.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import document, open_checklist, preset_storage, record, start_checklist, stored, wait_shown

pytestmark = pytest.mark.browser

# Each payload flips window.__xss and logs a marker if it ever runs.
MARK = "window.__xss=1;console.log('XSS-MARKER')"
CORPUS = (
    f'<img src=x onerror="{MARK}">',
    f'<svg onload="{MARK}"></svg>',
    f'"><script>{MARK}</script>',
    f'</textarea><img src=x onerror="{MARK}">',
    f'<iframe srcdoc="<script>parent.{MARK}</script>"></iframe>',
    f'<a href="javascript:{MARK}">link</a>',
    f'<details open ontoggle="{MARK}">',
    f"'-alert(1)-'`${{{MARK}}}`",
)
# Domains refuse spaces and / : @ # ?, so the markup that passes validation is tag-like text without them.
DOMAIN_PAYLOADS = ("<b>bold<b>.example", "<img<svg>.example", "x\"onmouseover='1'.example")
INJECTED = "#nc-app img, #nc-app svg, #nc-app script, #nc-app iframe, #checklist-form img, " + (
    "#checklist-form iframe, #checklist-form script, #checklist-form details, #nc-app b, .nc-step-items b"
)


def _assert_nothing_ran(page: Page) -> None:
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert not [text for _, text in page.nc.console if "XSS-MARKER" in text]  # type: ignore[attr-defined]
    assert page.nc.dialogs == []  # type: ignore[attr-defined]
    assert page.locator(INJECTED).count() == 0


def test_payloads_in_labels_and_notes_stay_text(page: Page, base_url_no_csp: str) -> None:
    """Every payload as a display name and as a note is shown literally, and nothing runs."""
    open_checklist(page, base_url_no_csp)
    start_checklist(page, "xss.example")
    for number, payload in enumerate(CORPUS, start=1):
        page.fill(f"#note-{number}", payload)
        page.locator(f"#note-{number}").blur()
    page.click("#nc-rename")
    page.fill("#nc-form-label", CORPUS[0])
    page.click("#nc-migration-form button[type=submit]")
    # Every note and the rename go through Python one after another: a loaded CI machine needs more than 15 s.
    expect(page.locator("#nc-migration-select option")).to_have_text([f"{CORPUS[0]} (xss.example)"], timeout=90_000)
    page.wait_for_function("(p) => (localStorage.getItem('netcom-checklist') || '').includes(p)", arg=CORPUS[-1])
    page.reload()
    wait_shown(page)
    for number, payload in enumerate(CORPUS, start=1):
        expect(page.locator(f"#note-{number}")).to_have_value(payload)
    page.emulate_media(media="print")
    expect(page.locator("#item-1 .nc-note__print")).to_have_text(CORPUS[0])
    _assert_nothing_ran(page)


def test_payloads_in_domains_stay_text(page: Page, base_url_no_csp: str) -> None:
    """Tag-like domains are accepted as text, listed literally in the selector, and nothing is injected."""
    open_checklist(page, base_url_no_csp)
    start_checklist(page, DOMAIN_PAYLOADS[0])
    for domain in DOMAIN_PAYLOADS[1:]:
        page.click("#nc-add")
        page.fill("#nc-form-domain", domain)
        page.click("#nc-migration-form button[type=submit]")
        expect(page.locator("#checklist-domain")).to_have_value(domain)
    expect(page.locator("#nc-migration-select option")).to_have_text(list(DOMAIN_PAYLOADS))
    page.click("#nc-delete")
    expect(page.locator("#nc-confirm p")).to_contain_text(DOMAIN_PAYLOADS[-1])
    _assert_nothing_ran(page)


def test_payloads_in_an_imported_file_stay_text(page: Page, base_url_no_csp: str, tmp_path: Path) -> None:
    """A hostile import file (markup in domain, label, notes, dates) adds text only; problems are listed as text."""
    open_checklist(page, base_url_no_csp)
    start_checklist(page, "here.example")
    items = {str(n): {"done": False, "date": CORPUS[n % 8], "note": CORPUS[n % 8]} for n in range(1, 13)}
    hostile = {
        "format": "netcom-checklist",
        "version": 2,
        "active": "m-9",
        "next_id": 10,
        "migrations": [
            {
                "id": "m-9",
                "domain": DOMAIN_PAYLOADS[0],
                "label": CORPUS[1],
                "cancellation_date": CORPUS[2],
                "items": items,
            }
        ],
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile, ensure_ascii=False), encoding="utf-8")
    page.set_input_files("#nc-import", str(path))
    expect(page.locator("#nc-message")).to_contain_text("追加しました")
    expect(page.locator("#nc-message li").first).to_contain_text(DOMAIN_PAYLOADS[0])
    expect(page.locator("#note-1")).to_have_value(CORPUS[1])
    assert stored(page)["migrations"][1]["items"]["1"]["date"] is None  # the date payload was dropped, not shown
    _assert_nothing_ran(page)


def test_payloads_on_a_step_page_stay_text(context: BrowserContext, base_url_no_csp: str) -> None:
    """A step page names the checklist by its (hostile) label as text."""
    saved = document({"domain": "a.example", "label": CORPUS[0]})
    preset_storage(context, base_url_no_csp, {"netcom-checklist": saved})
    page = context.new_page()
    record(page)
    page.goto(base_url_no_csp + "steps/1-application/")
    wait_shown(page)
    expect(page.locator(".nc-step-items__for")).to_contain_text(CORPUS[0])
    _assert_nothing_ran(page)
