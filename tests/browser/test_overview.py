"""The reseller's overview (/checklist/#overview) in real Chromium: rows painted from Python's view, sorting,
the 要対応 filter, warnings that come and go as the dates change, the CSV and .ics exports read back by real
parsers, the planner opened from a row or a domain picked on it and saving its dates back, and the printed page."""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar
from playwright.sync_api import BrowserContext, Page, expect

from checklist_app.schedule import is_switch_day

from .conftest import (
    browser_today,
    document,
    open_checklist,
    preset_storage,
    stored,
    wait_folded,
)

BOM = b"\xef\xbb\xbf"


def _switch_day_after(day: date) -> date:
    while not is_switch_day(day):
        day += timedelta(days=1)
    return day


def _weekday_after(day: date, weekday: int) -> date:
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def _three_domains(today: date) -> str:
    """Three resellers' domains: one just applied, one half-way with an agreed switch, one all but done."""
    return document(*_domains(today))


def _domains(today: date) -> list[dict[str, Any]]:
    switch = _switch_day_after(today + timedelta(days=40))
    done = {str(n): {"done": True, "date": (today - timedelta(days=30 - n)).isoformat()} for n in range(1, 13)}
    del done["12"]
    return [
        {"id": "m-1", "domain": "alpha.example.jp", "label": "アルファ商事様", "application_date": today.isoformat()},
        {
            "id": "m-2",
            "domain": "日本語.jp",
            "label": "ベータ様",
            "application_date": (today - timedelta(days=20)).isoformat(),
            "switch_date": switch.isoformat(),
            "cancellation_date": (switch + timedelta(days=20)).isoformat(),
            "items": {str(n): {"done": True, "date": str(today - timedelta(days=20 - n))} for n in range(1, 6)},
        },
        {"id": "m-3", "domain": "gamma.example.com", "items": done},
    ]


def _open(page: Page, context: BrowserContext, base_url: str, text: str, lang: str = "ja") -> None:
    preset_storage(context, base_url, {"netcom-checklist": text})
    open_checklist(page, base_url, lang)
    wait_folded(page)


def _rows(page: Page) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = page.evaluate(
        """() => [...document.querySelectorAll('#nc-overview-table tbody tr')]
          .filter((tr) => tr.getBoundingClientRect().height > 0)
          .map((tr) => ({
            head: tr.querySelector('th').textContent,
            cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
            warnings: [...tr.querySelectorAll('a.nc-warning')].map((a) => a.getAttribute('href')),
            attention: tr.dataset.attention,
          }))"""
    )
    return result


def test_every_domain_is_one_visible_row_with_its_progress_and_dates(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    today = date.fromisoformat(browser_today(page))
    _open(page, context, base_url, _three_domains(today))
    table = page.locator("#nc-overview-table")
    expect(table).to_be_visible()
    box = table.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 60
    rows = _rows(page)
    assert [row["head"] for row in rows] == ["alpha.example.jp", "日本語.jp", "gamma.example.com"]
    assert [row["cells"][1] for row in rows] == ["0 / 12", "5 / 12", "11 / 12"]
    alpha, beta, gamma = rows
    assert alpha["cells"][0] == "アルファ商事様" and alpha["cells"][3] == "お客様"
    assert "未定" in alpha["cells"][4] and "目安" in alpha["cells"][4]  # an estimate is never shown as the date
    assert beta["cells"][4] == _switch_day_after(today + timedelta(days=40)).isoformat()
    # gamma's DNS was switched (item 9's date): that date, said as done.
    assert (
        gamma["cells"][2].startswith("12.")
        and gamma["cells"][4] == f"{(today - timedelta(days=21)).isoformat()}（切り替え済み）"
    )
    assert page.locator("#nc-overview-summary").inner_text() == "3 ドメイン（要対応 3）"
    # Row headers are real row headers; the link shows that domain's checklist.
    assert page.locator("#nc-overview-table tbody th[scope=row]").count() == 3
    page.locator("#nc-overview-table tbody th a", has_text="gamma.example.com").click()
    wait_folded(page)
    assert stored(page)["active"] == "m-3"
    expect(page.locator("#checklist-domain")).to_have_value("gamma.example.com")


def test_sorting_by_switch_date_and_by_progress_and_the_attention_filter(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    today = date.fromisoformat(browser_today(page))
    _open(page, context, base_url, _three_domains(today))
    page.select_option("#nc-overview-sort", "switch")
    # gamma switched three weeks ago, alpha's earliest possible switch is before beta's agreed date.
    assert [row["head"] for row in _rows(page)] == ["gamma.example.com", "alpha.example.jp", "日本語.jp"]
    page.select_option("#nc-overview-sort", "progress")
    assert [row["cells"][1] for row in _rows(page)] == ["0 / 12", "5 / 12", "11 / 12"]
    page.select_option("#nc-overview-sort", "")
    assert [row["head"] for row in _rows(page)] == ["alpha.example.jp", "日本語.jp", "gamma.example.com"]
    # All three wait on the customer (items 1, 6 and 12 are theirs): the filter keeps them all.
    page.check("#nc-overview-attention")
    assert len(_rows(page)) == 3


def test_the_filter_hides_rows_where_net_com_acts_next(page: Page, context: BrowserContext, base_url: str) -> None:
    today = date.fromisoformat(browser_today(page))
    waiting = {str(n): {"done": True, "date": today.isoformat()} for n in (1, 2)}  # item 3 is Net-com's
    text = document(
        {"id": "m-1", "domain": "wait.example.jp", "items": waiting},
        {"id": "m-2", "domain": "act.example.jp"},
    )
    _open(page, context, base_url, text)
    assert [row["head"] for row in _rows(page)] == ["wait.example.jp", "act.example.jp"]
    assert _rows(page)[0]["cells"][3] == "弊社"
    page.check("#nc-overview-attention")
    assert [row["head"] for row in _rows(page)] == ["act.example.jp"]
    page.uncheck("#nc-overview-attention")
    assert len(_rows(page)) == 2


def _set_date(page: Page, selector: str, value: str) -> None:
    page.fill(selector, value)
    page.dispatch_event(selector, "change")
    wait_folded(page)


def test_warnings_appear_and_disappear_as_the_dates_change(page: Page, context: BrowserContext, base_url: str) -> None:
    today = date.fromisoformat(browser_today(page))
    text = document({"id": "m-1", "domain": "warn.example.jp", "application_date": today.isoformat()})
    _open(page, context, base_url, text)
    assert _rows(page)[0]["warnings"] == []

    friday = _weekday_after(today + timedelta(days=40), 4)
    _set_date(page, "#switch-date-8", friday.isoformat())
    assert _rows(page)[0]["warnings"] == ["../steps/6-dns-switch/#request-switch-date"]
    assert "金曜日" in page.locator("#nc-overview-table a.nc-warning").inner_text()
    monday = _switch_day_after(friday + timedelta(days=3))
    _set_date(page, "#switch-date-8", monday.isoformat())
    assert _rows(page)[0]["warnings"] == []

    # ご解約日 less than 14 days after the switch, then 14 days after.
    _set_date(page, "#cancel-date-2", (monday + timedelta(days=13)).isoformat())
    assert _rows(page)[0]["warnings"] == ["../steps/1-application/#cancel-current-host"]
    _set_date(page, "#cancel-date-2", (monday + timedelta(days=14)).isoformat())
    assert _rows(page)[0]["warnings"] == []

    # A switch whose notice deadline has passed (tomorrow's switch, item 8 not done), then item 8 done.
    soon = _switch_day_after(today + timedelta(days=1))
    _set_date(page, "#switch-date-8", soon.isoformat())
    codes = _rows(page)[0]["warnings"]
    assert "../steps/6-dns-switch/#request-switch-date" in codes
    page.check("#done-8")
    wait_folded(page)
    assert "../steps/6-dns-switch/#request-switch-date" not in _rows(page)[0]["warnings"]

    # Item 12 ticked while the DNS switch (item 9) is not done: too early; untick and it goes.
    page.check("#done-12")
    wait_folded(page)
    assert "../steps/7-old-account/#disable-old-account" in _rows(page)[0]["warnings"]
    page.uncheck("#done-12")
    wait_folded(page)
    assert "../steps/7-old-account/#disable-old-account" not in _rows(page)[0]["warnings"]

    # Website checked with hosts entries, DNS switched: the hosts reminder.
    page.check("#done-9")
    page.check("#done-11")
    wait_folded(page)
    assert "../manuals/hosts/#remove" in _rows(page)[0]["warnings"]
    # Every warning link leads to a page and anchor that exist.
    for href in _rows(page)[0]["warnings"]:
        page.goto(base_url + "checklist/" + href)
        anchor = href.split("#")[1]
        expect(page.locator(f"#{anchor}")).to_be_attached()


def test_each_item_shows_its_expected_date_from_the_plan(page: Page, context: BrowserContext, base_url: str) -> None:
    today = date.fromisoformat(browser_today(page))
    switch = _switch_day_after(today + timedelta(days=40))
    text = document(
        {"id": "m-1", "domain": "plan.example.jp", "application_date": str(today), "switch_date": str(switch)}
    )
    _open(page, context, base_url, text)
    expect(page.locator("#expected-9")).to_have_text(f"目安 {switch.isoformat()}")
    expect(page.locator("#expected-9")).to_be_visible()
    expect(page.locator("#expected-1")).to_have_text(f"目安 {today.isoformat()}")
    page.check("#done-1")
    wait_folded(page)
    expect(page.locator("#expected-1")).to_have_text("")


def test_csv_export_opens_in_excel_and_reads_back(
    page: Page, context: BrowserContext, base_url: str, tmp_path: Path
) -> None:
    today = date.fromisoformat(browser_today(page))
    _open(page, context, base_url, _three_domains(today))
    with page.expect_download() as info:
        page.click("[data-nc-export=csv]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == f"netcom-overview-{today.isoformat()}.csv"
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "ドメイン名" and len(rows) == 4
    assert [row[0] for row in rows[1:]] == ["alpha.example.jp", "日本語.jp", "gamma.example.com"]
    beta = dict(zip(rows[0], rows[2], strict=True))
    assert beta["DNS 切り替え日"] == _switch_day_after(today + timedelta(days=40)).isoformat()
    assert date.fromisoformat(beta["ご解約日"]) and beta["完了数"] == "5"


def test_ics_export_has_every_dated_domain_with_stable_uids(
    page: Page, context: BrowserContext, base_url: str, tmp_path: Path
) -> None:
    today = date.fromisoformat(browser_today(page))
    _open(page, context, base_url, _three_domains(today))

    def export() -> Calendar:
        with page.expect_download() as info:
            page.click("[data-nc-export=ics]")
        path = tmp_path / "x.ics"
        info.value.save_as(path)
        return Calendar.from_ical(path.read_bytes())

    first = export()
    events = {str(e["UID"]): e for e in first.walk("VEVENT")}
    switch = _switch_day_after(today + timedelta(days=40))
    by_summary = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in events.values()}
    assert any("日本語.jp" in s and s.startswith("DNS 切り替え日") for s in by_summary)
    assert switch in by_summary.values()
    assert len(events) == 3  # m-2: notice deadline, switch, cancellation; the others have no agreed dates
    page.wait_for_timeout(1100)  # a later DTSTAMP
    second = export()
    assert {str(e["UID"]) for e in second.walk("VEVENT")} == set(events)


def test_the_planner_opens_a_domains_plan_and_saves_it_back(page: Page, context: BrowserContext, base_url: str) -> None:
    today = date.fromisoformat(browser_today(page))
    _open(page, context, base_url, _three_domains(today))
    page.locator("#nc-overview-table tbody tr", has_text="日本語.jp").locator("td a").first.click()
    page.wait_for_url("**/tools/schedule/**")
    expect(page.locator("#schedule-applied")).to_have_value((today - timedelta(days=20)).isoformat())
    later = _switch_day_after(today + timedelta(days=60))
    page.fill("#schedule-switch-date", later.isoformat())
    save = page.locator("[data-nc-save-plan]")
    expect(save).to_be_visible()
    save.click()
    expect(page.locator("[data-nc-python-status]")).to_contain_text("ベータ様")
    wait_folded(page)
    migration = next(m for m in stored(page)["migrations"] if m["id"] == "m-2")
    assert migration["switch_date"] == later.isoformat()


def test_the_planner_picks_a_domain_opens_its_saved_plan_and_saves_into_it(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    """On /tools/schedule/ itself (no link from the overview): the domains are offered above the form and nothing is
    chosen (the form stays as the customer leaves it); a domain picked opens with its own saved dates (none left
    over from the previous one), the save goes to the domain picked, and the saved plan opens again after a reload."""
    today = date.fromisoformat(browser_today(page))
    fresh = {"id": "m-4", "domain": "delta.example.net", "label": "デルタ様"}  # no date at all: no plan yet
    preset_storage(context, base_url, {"netcom-checklist": document(*_domains(today), fresh)})
    page.goto(base_url + "tools/schedule/")
    pick, save = page.locator("#nc-plan-domain"), page.locator("[data-nc-save-plan]")
    expect(pick).to_be_visible()
    options = pick.locator("option").all_inner_texts()  # first "no domain", then the checklist selector's words
    domains = ["alpha.example.jp", "日本語.jp", "gamma.example.com", "delta.example.net"]
    assert len(options) == 5 and all(domain in text for domain, text in zip(domains, options[1:], strict=True)), options
    applied, switch_field = page.locator("#schedule-applied"), page.locator("#schedule-switch-date")
    answer = page.locator("[data-nc-output=switch]")
    expect(pick).to_have_value("")
    expect(applied).to_have_value("")
    expect(save).to_be_hidden()
    pick.select_option("m-2")
    expect(applied).to_have_value((today - timedelta(days=20)).isoformat())
    expect(switch_field).to_have_value(_switch_day_after(today + timedelta(days=40)).isoformat())
    expect(answer).to_be_visible()  # Python answered with m-2's plan, drawn with a size
    later = _switch_day_after(today + timedelta(days=60))
    switch_field.fill(later.isoformat())
    expect(save).to_be_visible()
    save.click()
    expect(page.locator("[data-nc-python-status]")).to_contain_text("ベータ様")
    wait_folded(page)
    saved = stored(page)
    assert saved["active"] == "m-2"
    assert next(m for m in saved["migrations"] if m["id"] == "m-2")["switch_date"] == later.isoformat()
    assert next(m for m in saved["migrations"] if m["id"] == "m-1").get("switch_date") is None
    page.reload()
    expect(pick).to_have_value("")
    expect(applied).to_have_value("")  # the address kept no values of the plan opened before
    pick.select_option("m-2")
    expect(switch_field).to_have_value(later.isoformat())  # what was saved
    # A domain without a plan: an empty form, and the previous domain's result is no longer shown.
    pick.select_option("m-4")
    expect(applied).to_have_value("")
    expect(switch_field).to_have_value("")
    expect(answer).to_be_hidden()
    wait_folded(page)
    assert stored(page)["active"] == "m-4"
    pick.select_option("")
    expect(save).to_be_hidden()


def test_printed_overview_is_a_landscape_page(
    page: Page, context: BrowserContext, base_url: str, tmp_path: Path
) -> None:
    today = date.fromisoformat(browser_today(page))
    _open(page, context, base_url, _three_domains(today))
    page.emulate_media(media="print")
    expect(page.locator("#nc-overview-table")).to_be_visible()
    expect(page.locator("#nc-overview-sort")).to_be_hidden()
    # The picture a reviewer looks at (NC_PRINT_SHOT=path keeps it); drawn with a size, so it prints.
    shot = Path(os.environ.get("NC_PRINT_SHOT") or tmp_path / "overview-print.png")
    page.locator("#nc-overview").screenshot(path=str(shot))
    assert shot.stat().st_size > 5000
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    # Pages in PDF order: the overview on A4 landscape (842 × 595 pt), then the checklist on A4 portrait.
    boxes = [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)]
    assert boxes, pdf[:200]
    assert any(abs(w - 842) < 3 and abs(h - 595) < 3 for w, h in boxes), boxes
    assert any(abs(w - 595) < 3 and abs(h - 842) < 3 for w, h in boxes), boxes
