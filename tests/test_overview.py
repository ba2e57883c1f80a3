"""checklist_app.overview: a reseller's rows, their warnings, the expected dates, the CSV and the calendar.

Each warning rule is checked on both sides of its edge (the date that raises it and the next one that does not),
then Hypothesis checks every rule on any workspace against a re-statement of it written here from the rules in
overview.py's docstrings and comments (business days from jpholiday and provider.toml's closed days, not from the
module's own helpers).
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import jpholiday
import pytest
from icalendar import Calendar

from checklist_app.errors import ChecklistError
from checklist_app.overview import (
    CSV_COLUMNS,
    PROPAGATION_DAYS,
    SORT_KEYS,
    WARNING_CODES,
    Expected,
    Row,
    expected_dates,
    overview,
    plan_of,
    row_of,
    rows_data,
    sort_rows,
    to_csv,
    to_ics,
    warnings_of,
)
from checklist_app.progress import ItemState, Migration, Workspace
from checklist_app.provider import PROVIDER
from checklist_app.schedule import plan_schedule
from tests.properties import MANY

NOW = "2026-12-01T09:00:00+09:00"
BOM = b"\xef\xbb\xbf"
STAMP = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
MONDAY = date(2027, 1, 18)  # a Monday business day: a valid DNS switch day


def fresh(domain: str = "example.co.jp", ident: str = "m-1", label: str = "") -> Migration:
    return Migration.new(ident, domain, label, now=NOW)


def dated(migration: Migration, **dates: date | None) -> Migration:
    """The migration with the given checklist-wide dates (application_date, cancellation_date, switch_date)."""
    for name, value in dates.items():
        migration = migration.set_extra_date(name, value, now=NOW)
    return migration


def done(migration: Migration, *numbers: int, on: date) -> Migration:
    """Rows ``numbers`` ticked with the date ``on``."""
    for number in numbers:
        migration = migration.set_date(number, on, now=NOW).set_done(number, True, today=on, now=NOW)
    return migration


def codes(migration: Migration, today: date | None = None) -> list[str]:
    return [w.code for w in warnings_of(migration, today)]


def at_switch(migration: Migration, switched: date) -> Migration:
    """Rows 1–9 done (row 9, the switch, on ``switched``): the state after the DNS switch."""
    return done(done(migration, 1, 2, 3, 4, 5, 6, 7, 8, on=switched - timedelta(days=10)), 9, on=switched)


# --- cancellation_early ----------------------------------------------------------------------------------------


def test_cancellation_13_days_after_the_agreed_switch_warns_and_14_does_not() -> None:
    """The ご解約日 needs 2 weeks after the switch: 13 days warns (naming the safe date), 14 days is fine."""
    early = dated(fresh(), switch_date=MONDAY, cancellation_date=MONDAY + timedelta(days=13))
    (warning,) = warnings_of(early, None)
    assert warning.code == "cancellation_early"
    assert "2027-01-31" in warning.text.ja and "2027-02-01" in warning.text.ja  # the date, and 14 days after
    assert "2027-02-01 or later" in warning.text.en
    assert warning.url == "steps/1-application/#cancel-current-host"
    assert codes(dated(early, cancellation_date=MONDAY + timedelta(days=14))) == []


def test_cancellation_is_measured_from_the_real_switch_once_row_9_is_done() -> None:
    """Row 9 done two days later than agreed: the 2 weeks count from that day."""
    migration = dated(fresh(), switch_date=MONDAY, cancellation_date=MONDAY + timedelta(days=14))
    assert "cancellation_early" not in codes(migration)
    late = at_switch(migration, MONDAY + timedelta(days=2))
    assert "cancellation_early" in codes(late)
    assert "cancellation_early" not in codes(dated(late, cancellation_date=MONDAY + timedelta(days=16)))


def test_cancellation_without_any_switch_date_is_silent() -> None:
    """No agreed switch and row 9 not done: nothing to measure from, no warning."""
    assert codes(dated(fresh(), cancellation_date=date(2026, 12, 2))) == []


# --- switch_day -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason_ja", "reason_en"),
    [
        (date(2027, 1, 15), "金曜日", "Friday"),
        (date(2027, 1, 16), "土曜日", "Saturday"),
        (date(2027, 1, 11), "成人の日", "Coming of Age Day"),  # a Monday, but a public holiday
        (date(2026, 12, 29), "12月29日", "29 December"),  # a Tuesday, but Net-com is closed
    ],
)
def test_switch_on_a_day_that_cannot_be_a_switch_day_warns(day: date, reason_ja: str, reason_en: str) -> None:
    """An agreed switch on a Friday, a weekend, a public holiday or a closed day: switch_day, with the reason."""
    (warning,) = warnings_of(dated(fresh(), switch_date=day), date(2026, 12, 1))
    assert warning.code == "switch_day"
    assert day.isoformat() in warning.text.ja and reason_ja in warning.text.ja
    assert reason_en in warning.text.en
    assert warning.url == "steps/6-dns-switch/#request-switch-date"


@pytest.mark.parametrize("day", [date(2027, 1, 12), date(2027, 1, 13), date(2027, 1, 14), MONDAY])
def test_switch_on_a_monday_to_thursday_business_day_is_fine(day: date) -> None:
    """Monday to Thursday, no holiday, no closed day: no switch_day warning."""
    assert "switch_day" not in codes(dated(fresh(), switch_date=day), date(2026, 12, 1))


def test_a_switch_day_that_cannot_be_one_is_left_out_of_the_plan() -> None:
    """The plan ignores an impossible agreed date (the warning says why) and shows the earliest possible switch."""
    migration = dated(fresh(), application_date=date(2026, 12, 1), switch_date=date(2027, 1, 15))
    plan = plan_of(migration)
    assert plan is not None and not plan.switch_requested
    row = row_of(migration, None)
    assert row.switch == date(2027, 1, 15) and row.switch_estimate is None


# --- notice_late ------------------------------------------------------------------------------------------------


def test_notice_deadline_is_three_business_days_before_and_warns_only_after_it() -> None:
    """A Monday switch: the deadline is the Wednesday before; that day is fine, the Thursday is late."""
    migration = dated(fresh(), switch_date=MONDAY)
    assert row_of(migration, None).notice_by == date(2027, 1, 13)
    assert codes(migration, date(2027, 1, 13)) == []
    (warning,) = warnings_of(migration, date(2027, 1, 14))
    assert warning.code == "notice_late"
    assert "2027-01-13" in warning.text.ja and "3 営業日前" in warning.text.ja
    assert "3 business days before" in warning.text.en
    assert warning.url == "steps/6-dns-switch/#request-switch-date"


@pytest.mark.parametrize(
    ("switch", "deadline"),
    [
        (date(2027, 1, 12), date(2027, 1, 6)),  # the Monday before is 成人の日
        (date(2027, 1, 5), date(2026, 12, 25)),  # 12-29 to 1-3 closed, 1-1 a holiday too
    ],
)
def test_notice_deadline_skips_holidays_and_closed_days(switch: date, deadline: date) -> None:
    """Public holidays and Net-com's closed days are not business days for the notice."""
    migration = dated(fresh(), switch_date=switch)
    assert row_of(migration, None).notice_by == deadline
    assert codes(migration, deadline) == []
    assert codes(migration, deadline + timedelta(days=1)) == ["notice_late"]


def test_notice_late_is_silent_once_row_8_or_row_9_is_done_or_without_today() -> None:
    """The date was told (row 8), the switch happened (row 9), or no day given: nothing to warn about."""
    migration = dated(fresh(), switch_date=MONDAY)
    late = date(2027, 1, 14)
    assert codes(done(migration, 8, on=date(2027, 1, 10)), late) == []
    assert codes(done(migration, 9, on=MONDAY), late) == []
    assert codes(migration, None) == []


# --- retired_early ----------------------------------------------------------------------------------------------


def test_retiring_the_old_account_6_days_after_the_switch_warns_and_7_days_does_not() -> None:
    """Row 12 ticked less than a week after row 9's date warns, naming the last day of that week."""
    switched = at_switch(fresh(), MONDAY)
    early = done(switched, 10, 11, on=MONDAY + timedelta(days=1))
    early = done(early, 12, on=MONDAY + timedelta(days=PROPAGATION_DAYS - 1))
    (warning,) = warnings_of(early, None)
    assert warning.code == "retired_early"
    assert "2027-01-18" in warning.text.ja and "2027-01-24" in warning.text.ja
    assert "until 2027-01-24" in warning.text.en
    assert warning.url == "steps/7-old-account/#disable-old-account"
    on_time = done(done(switched, 10, 11, on=MONDAY + timedelta(days=1)), 12, on=MONDAY + timedelta(days=7))
    assert codes(on_time) == []


def test_retiring_on_or_after_the_cancellation_date_is_fine_even_within_the_week() -> None:
    """The step says: after the propagation period, or on or after the ご解約日."""
    # A ご解約日 that early warns on its own (cancellation_early); here only row 12's rule is looked at.
    switched = dated(at_switch(fresh(), MONDAY), cancellation_date=MONDAY + timedelta(days=5))
    ticked = done(switched, 12, on=MONDAY + timedelta(days=5))
    assert "retired_early" not in codes(ticked)
    before = done(switched, 12, on=MONDAY + timedelta(days=4))
    assert "retired_early" in codes(before)


def test_retiring_before_the_switch_warns_that_row_9_is_not_done() -> None:
    """Row 12 ticked while row 9 is open: retired_early, saying the switch is not done."""
    (warning,) = warnings_of(done(fresh(), 12, on=date(2026, 12, 3)), None)
    assert warning.code == "retired_early"
    assert "No.9" in warning.text.ja and "item 9, is not done yet" in warning.text.en


def test_row_12_ticked_without_a_date_is_judged_on_today() -> None:
    """A tick whose date was cleared counts from the day given; with no day, the rule is silent."""
    switched = at_switch(fresh(), MONDAY)
    undated = replace(switched, items=(*switched.items[:11], ItemState(done=True)))
    assert "retired_early" in codes(undated, MONDAY + timedelta(days=6))
    assert "retired_early" not in codes(undated, MONDAY + timedelta(days=7))
    assert "retired_early" not in codes(undated, None)


def test_retiring_is_silent_when_row_9_is_done_without_a_date() -> None:
    """Row 9 is done but nobody entered its day: the week cannot be measured, so the rule stays silent (module doc:
    a rule that needs a date nobody entered stays silent) — and it must not say row 9 is not done."""
    switched = at_switch(fresh(), MONDAY)
    items = list(switched.items)
    items[8] = ItemState(done=True)
    items[11] = ItemState(done=True, completed_on=MONDAY + timedelta(days=1))
    assert "retired_early" not in codes(replace(switched, items=tuple(items)), MONDAY + timedelta(days=1))


# --- hosts_left -------------------------------------------------------------------------------------------------


def test_hosts_reminder_after_the_switch_once_the_website_is_checked() -> None:
    """Row 11 done and row 9 done: remind to delete the hosts lines; silent once all 12 are done."""
    switched = at_switch(fresh(), MONDAY)
    assert "hosts_left" not in codes(switched, MONDAY)
    checked = done(switched, 11, on=MONDAY + timedelta(days=1))
    (warning,) = warnings_of(checked, MONDAY + timedelta(days=1))
    assert warning.code == "hosts_left" and "hosts" in warning.text.ja
    assert warning.url == "manuals/hosts/#remove"
    finished = done(checked, 10, 12, on=MONDAY + timedelta(days=10))
    assert "hosts_left" not in codes(finished, MONDAY + timedelta(days=10))


def test_hosts_reminder_from_the_agreed_switch_day_when_row_9_is_not_ticked() -> None:
    """Row 11 ticked, row 9 not: the reminder starts on the agreed switch day."""
    migration = done(dated(fresh(), switch_date=MONDAY), 11, on=MONDAY)
    assert "hosts_left" not in codes(migration, MONDAY - timedelta(days=1))
    assert "hosts_left" in codes(migration, MONDAY)
    assert "hosts_left" not in codes(migration, None)


# --- rows -------------------------------------------------------------------------------------------------------


def test_a_row_holds_progress_next_action_and_dates() -> None:
    """row_of: done count, the next action and who acts, the application date (row 1's date without one)."""
    migration = done(fresh(), 1, on=date(2026, 12, 2))
    row = row_of(migration, None)
    assert (row.done, row.next_item, row.next_actor) == (1, 2, "customer")
    assert row.applied == date(2026, 12, 2)
    assert row.switch is None and row.notice_by is None and row.cancellation is None
    assert row.plan is not None and row.switch_estimate == row.plan.switch
    assert row_of(dated(migration, application_date=date(2026, 12, 1)), None).applied == date(2026, 12, 1)
    assert row_of(fresh(), None).plan is None and row_of(fresh(), None).switch_estimate is None


def test_attention_when_the_customer_acts_next_or_a_warning_stands() -> None:
    """要対応: the customer's move, or a warning; waiting on Net-com with no warning is not."""
    waiting = done(fresh(), 1, 2, on=date(2026, 12, 2))
    row = row_of(waiting, None)
    assert (row.next_item, row.next_actor, row.warnings, row.attention) == (3, "netcom", (), False)
    assert row_of(fresh(), None).attention
    warned = dated(waiting, switch_date=date(2027, 1, 15))
    assert row_of(warned, None).next_actor == "netcom" and row_of(warned, None).attention
    finished = done(done(at_switch(fresh(), MONDAY), 10, 11, on=MONDAY), 12, on=MONDAY + timedelta(days=7))
    all_done = row_of(finished, MONDAY + timedelta(days=7))
    assert (all_done.done, all_done.next_item, all_done.next_actor, all_done.attention) == (12, None, None, False)


def test_overview_keeps_the_workspace_order() -> None:
    workspace = Workspace((fresh("b.example", "m-1"), fresh("a.example", "m-2")))
    assert [row.migration.domain for row in overview(workspace, None)] == ["b.example", "a.example"]


# --- plan and expected dates ------------------------------------------------------------------------------------


def test_expected_dates_without_an_application_date_are_empty() -> None:
    assert plan_of(fresh()) is None and expected_dates(fresh()) == {}


def test_expected_dates_follow_the_plan_for_every_open_row() -> None:
    """Each open row gets the plan's date: row 1 on the application day, row 8 by the notice deadline, row 9 the
    switch window, rows 10–11 after the switch, row 12 after the earliest removal day, the others their stage."""
    migration = dated(fresh(), application_date=date(2026, 12, 1))
    plan = plan_schedule(date(2026, 12, 1))
    expected = expected_dates(migration)
    assert sorted(expected) == list(range(1, 13))
    assert expected[1] == Expected("on", plan.applied, plan.applied)
    assert expected[8] == Expected("by", plan.switch_request_by, plan.switch_request_by)
    assert expected[9] == Expected("range", plan.switch, plan.latest_switch)
    assert expected[10] == expected[11] == Expected("after", plan.switch, plan.switch)
    assert expected[12] == Expected("after", plan.old_account_removal, plan.old_account_removal)
    for number, step in ((2, 1), (3, 3), (4, 4), (5, 5), (6, 5), (7, 5)):
        stage = plan.stage(step)
        assert expected[number] == Expected("range", stage.earliest_end, stage.latest_end)


def test_expected_dates_leave_out_done_rows_and_use_the_agreed_switch() -> None:
    migration = done(dated(fresh(), application_date=date(2026, 12, 1), switch_date=MONDAY), 1, 2, on=date(2026, 12, 1))
    expected = expected_dates(migration)
    assert 1 not in expected and 2 not in expected
    assert expected[9] == Expected("range", MONDAY, MONDAY)
    assert expected[8] == Expected("by", date(2027, 1, 13), date(2027, 1, 13))


def test_an_agreed_switch_before_the_earliest_possible_one_is_planned_with_a_warning() -> None:
    """A date agreed with Net-com is what the checklist records: planned as given (schedule's agreed_switch)."""
    migration = dated(fresh(), application_date=date(2027, 1, 4), switch_date=date(2027, 1, 7))
    plan = plan_of(migration)
    assert plan is not None and plan.switch == date(2027, 1, 7) and plan.switch_requested
    assert any("2027-01-07" in w.ja for w in plan.warnings)


D1, D2 = date(2027, 1, 4), date(2027, 1, 8)


@pytest.mark.parametrize(
    ("expected", "ja", "en"),
    [
        (Expected("on", D1, D1), "目安 2027-01-04", "Expected 2027-01-04"),
        (Expected("range", D1, D1), "目安 2027-01-04", "Expected 2027-01-04"),
        (Expected("range", D1, D2), "目安 2027-01-04～2027-01-08", "Expected 2027-01-04 – 2027-01-08"),
        (Expected("by", D1, D1), "目安 2027-01-04 まで", "Expected by 2027-01-04"),
        (Expected("after", D1, D1), "目安 2027-01-04 以降", "Expected on or after 2027-01-04"),
    ],
)
def test_expected_text_in_both_languages(expected: Expected, ja: str, en: str) -> None:
    assert (expected.text("ja"), expected.text("en")) == (ja, en)


# --- sorting and data -------------------------------------------------------------------------------------------


def four_rows() -> list[Row]:
    """Agreed switch 2027-02-01; an estimate only (applied 2026-12-01); no date at all; applied like the second."""
    agreed = dated(fresh("agreed.example", "m-1"), switch_date=date(2027, 2, 1))
    estimate = dated(fresh("estimate.example", "m-2"), application_date=date(2026, 12, 1))
    estimate = done(estimate, 1, 2, on=date(2026, 12, 1))
    nothing = done(fresh("nothing.example", "m-3"), 2, on=date(2026, 12, 1))
    twin = dated(fresh("twin.example", "m-4"), application_date=date(2026, 12, 1))
    return [row_of(m, None) for m in (agreed, estimate, nothing, twin)]


def test_sort_by_switch_puts_the_soonest_first_and_rows_without_a_date_last() -> None:
    rows = four_rows()
    assert rows[1].switch_estimate is not None and rows[1].switch_estimate < date(2027, 2, 1)
    ordered = [r.migration.domain for r in sort_rows(rows, "switch")]
    assert ordered == ["estimate.example", "twin.example", "agreed.example", "nothing.example"]


def test_sort_by_progress_puts_the_fewest_done_first_and_keeps_ties_in_order() -> None:
    ordered = [r.migration.domain for r in sort_rows(four_rows(), "progress")]
    assert ordered == ["agreed.example", "twin.example", "nothing.example", "estimate.example"]
    assert SORT_KEYS == ("switch", "progress")
    with pytest.raises(ValueError):
        sort_rows(four_rows(), "domain")


def test_rows_data_gives_texts_in_the_language_and_dates_as_iso() -> None:
    no_domain = dated(Migration("m-9", ""), switch_date=date(2027, 1, 15), cancellation_date=date(2027, 1, 20))
    rows = [*four_rows()[:3], row_of(no_domain, None)]
    ja = rows_data(rows, "ja")
    en = rows_data(rows, "en")
    assert ja[0]["switch_date"] == "2027-02-01" and ja[0]["switch_text"] == "2027-02-01"
    assert ja[0]["notice_by"] == "2027-01-27" and ja[0]["switch_estimate"] == ""
    estimate = rows[1].switch_estimate
    assert estimate is not None
    assert ja[1]["switch_text"] == f"未定（最短 {estimate.isoformat()} の目安）"
    assert en[1]["switch_text"] == f"Not agreed (earliest {estimate.isoformat()}, estimate)"
    assert ja[1]["application_date"] == "2026-12-01" and ja[1]["switch_estimate"] == estimate.isoformat()
    assert (ja[2]["switch_text"], en[2]["switch_text"]) == ("未定", "Not agreed")
    assert ja[1]["next"] == "3. ドメイン移管の完了" and en[1]["next"] == "3. Domain transfer completed"
    assert (ja[1]["actor"], ja[1]["actor_text"], en[1]["actor_text"]) == ("netcom", "弊社", "Net-com")
    assert (ja[1]["done"], ja[1]["total"], ja[1]["progress"]) == (2, 12, "2 / 12")
    assert (ja[3]["domain"], en[3]["domain"]) == ("ドメイン未入力", "No domain yet")
    assert [w["code"] for w in ja[3]["warnings"]] == ["cancellation_early", "switch_day"]
    assert ja[3]["warnings"][1]["url"] == "steps/6-dns-switch/#request-switch-date"
    assert "金曜日" in ja[3]["warnings"][1]["text"] and "Friday" in en[3]["warnings"][1]["text"]
    assert [d["attention"] for d in ja] == [r.attention for r in rows] == [True, False, True, True]
    assert ja[3]["cancellation_date"] == "2027-01-20" and ja[0]["cancellation_date"] == ""


# --- CSV --------------------------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_a_bom_crlf_lines_and_one_row_per_domain() -> None:
    """Excel reads UTF-8 with a BOM: Japanese stays intact; dates are YYYY-MM-DD; one row per checklist."""
    first = dated(fresh("日本語.jp", "m-1", "山田商事様"), switch_date=MONDAY, cancellation_date=date(2027, 1, 25))
    rows = [row_of(first, None), *four_rows()[1:]]
    data = to_csv(rows, "ja")
    assert data.startswith(BOM) and data.count(b"\r\n") == len(rows) + 1 and b"\n" not in data.replace(b"\r\n", b"")
    table = read_csv(data)
    assert table[0] == [title.ja for title in CSV_COLUMNS.values()]
    assert len(table) == len(rows) + 1
    records = [dict(zip(CSV_COLUMNS, line, strict=True)) for line in table[1:]]
    assert [r["domain"] for r in records] == ["日本語.jp", "estimate.example", "nothing.example", "twin.example"]
    line = records[0]
    assert (line["label"], line["switch_date"], line["cancellation_date"]) == ("山田商事様", "2027-01-18", "2027-01-25")
    assert (line["notice_by"], line["done"], line["total"]) == ("2027-01-13", "0", "12")
    assert (line["next"], line["actor"]) == ("1. お申込み", "お客様")
    assert "2 週間未満" in line["warnings"] and records[1]["warnings"] == ""
    for record in records:
        for name in (
            "application_date",
            "switch_date",
            "switch_estimate",
            "switched_on",
            "notice_by",
            "cancellation_date",
        ):
            assert record[name] == "" or date.fromisoformat(record[name]).isoformat() == record[name]
    assert records[1]["application_date"] == "2026-12-01" and records[1]["switch_estimate"]


def test_csv_in_english_and_a_formula_like_label_is_text() -> None:
    """English headers; a label Excel would run as a formula is written with a leading apostrophe."""
    row = row_of(fresh("example.co.jp", "m-1", "=HYPERLINK(1)"), None)
    table = read_csv(to_csv([row], "en"))
    assert table[0] == [title.en for title in CSV_COLUMNS.values()]
    assert table[1][1] == "'=HYPERLINK(1)" and table[1][4] == "1. Application"


def test_csv_and_ics_refuse_an_unknown_language() -> None:
    with pytest.raises(ChecklistError) as caught:
        to_csv([], "fr")
    assert caught.value.field == "lang"
    with pytest.raises(ChecklistError):
        to_ics([], "fr", dtstamp=STAMP)


# --- iCalendar --------------------------------------------------------------------------------------------------


def events(data: bytes) -> dict[str, object]:
    return {str(event["uid"]): event for event in Calendar.from_ical(data).walk("VEVENT")}


def test_ics_has_all_day_events_per_domain_with_stable_uids() -> None:
    """Notice deadline, switch and ご解約日 per domain, all-day; two exports at different times share the UIDs."""
    first = dated(fresh("日本語.jp", "m-1"), switch_date=MONDAY, cancellation_date=date(2027, 2, 5))
    second = dated(fresh("example.co.jp", "m-2"), cancellation_date=date(2027, 3, 1))
    rows = [row_of(first, None), row_of(second, None), row_of(fresh("empty.example", "m-3"), None)]
    one = events(to_ics(rows, "ja", dtstamp=STAMP))
    other = events(to_ics(rows, "ja", dtstamp=STAMP + timedelta(days=3, hours=5)))
    assert set(one) == set(other) and len(one) == 4  # 3 for the first row, the ご解約日 of the second, none else
    starts = {uid: event.decoded("dtstart") for uid, event in one.items()}  # type: ignore[attr-defined]
    for event in one.values():
        start, end = event.decoded("dtstart"), event.decoded("dtend")  # type: ignore[attr-defined]
        assert type(start) is date and end == start + timedelta(days=1)
    assert set(one) == {
        "overview-notice-m-1@net-com.example",
        "overview-switch-m-1@net-com.example",
        "overview-cancellation-m-1@net-com.example",
        "overview-cancellation-m-2@net-com.example",
    }
    assert starts["overview-notice-m-1@net-com.example"] == date(2027, 1, 13)
    assert starts["overview-switch-m-1@net-com.example"] == MONDAY
    assert starts["overview-cancellation-m-1@net-com.example"] == date(2027, 2, 5)
    assert starts["overview-cancellation-m-2@net-com.example"] == date(2027, 3, 1)
    summaries = [str(event["summary"]) for event in one.values()]  # type: ignore[index]
    assert any("日本語.jp" in s and "DNS 切り替え日" in s for s in summaries)
    stamps = {event.decoded("dtstamp") for event in other.values()}  # type: ignore[attr-defined]
    assert stamps == {STAMP + timedelta(days=3, hours=5)}


def test_ics_a_changed_switch_date_keeps_its_uid_and_moves_the_event() -> None:
    """A later export updates the calendar: same UIDs (also after the domain was corrected), the event moved."""
    migration = dated(fresh(), switch_date=MONDAY)
    before = events(to_ics([row_of(migration, None)], "en", dtstamp=STAMP))
    moved = replace(dated(migration, switch_date=date(2027, 1, 21)), domain="example.jp")
    after = events(to_ics([row_of(moved, None)], "en", dtstamp=STAMP))
    assert set(before) == set(after)
    (uid,) = [uid for uid in before if uid.startswith("overview-switch-")]
    assert before[uid].decoded("dtstart") == MONDAY  # type: ignore[attr-defined]
    assert after[uid].decoded("dtstart") == date(2027, 1, 21)  # type: ignore[attr-defined]


def test_ics_marks_an_event_whose_date_has_a_warning() -> None:
    """A switch on a Saturday with a ご解約日 only a week later: both events say 要確認 and why; the notice deadline
    (none: the company does not switch on that day) and a row without warnings stay plain."""
    saturday = date(2027, 1, 23)
    risky = dated(fresh("risky.example.jp", "m-1"), switch_date=saturday, cancellation_date=saturday + timedelta(7))
    fine = dated(fresh("fine.example.jp", "m-2"), switch_date=MONDAY, cancellation_date=MONDAY + timedelta(days=20))
    rows = [row_of(risky, None), row_of(fine, None)]
    assert {w.code for w in rows[0].warnings} >= {"switch_day", "cancellation_early"} and not rows[1].warnings
    for lang in ("ja", "en"):
        found = events(to_ics(rows, lang, dtstamp=STAMP))
        check = "要確認: " if lang == "ja" else "Check: "
        switch, cancel = (
            found["overview-switch-m-1@net-com.example"],
            found["overview-cancellation-m-1@net-com.example"],
        )
        texts = {w.code: w.text.get(lang) for w in rows[0].warnings}
        assert str(switch["summary"]).startswith(check)  # type: ignore[index]
        assert set(str(switch["description"]).split("\n")) == {texts["switch_day"], texts["cancellation_early"]}  # type: ignore[index]
        assert str(cancel["summary"]).startswith(check)  # type: ignore[index]
        assert str(cancel["description"]) == texts["cancellation_early"]  # type: ignore[index]
        assert "overview-notice-m-1@net-com.example" not in found
        for uid in [uid for uid in found if uid.endswith("-m-2@net-com.example")]:
            assert not str(found[uid]["summary"]).startswith(check) and "description" not in found[uid]  # type: ignore[index,operator]


def test_ics_needs_a_time_stamp_with_a_zone() -> None:
    with pytest.raises(ChecklistError) as caught:
        to_ics([], "ja", dtstamp=datetime(2026, 12, 1))
    assert caught.value.field == "dtstamp"


# --- properties (hypothesis; not available in every Pyodide build, so guarded) ---------------------------------

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - Pyodide without hypothesis runs the example tests above only
    st = None

if st is not None:
    from tests.test_storage import DOMAINS, LABELS

    # A few examples per run (the file stays fast on 2 cores); NC_PROPERTY_EXAMPLES scales them with the rest.
    SOME = max(1, MANY // 20)
    # Around the year end: closed days, 元日, 成人の日 and 建国記念の日 all fall inside.
    FIRST, LAST = date(2026, 12, 14), date(2027, 2, 20)
    DAYS = st.dates(FIRST, LAST)
    MAYBE_DAYS = st.one_of(st.none(), DAYS)
    # Each row: ticked (one in three: the prefix below ticks more) or not, dated or not (a tick whose date was
    # cleared is possible: the page allows it).
    ROW_STATES = st.builds(ItemState, done=st.sampled_from((False, False, True)), completed_on=MAYBE_DAYS)
    ROWS = st.lists(ROW_STATES, min_size=12, max_size=12).map(tuple)
    # Most checklists are further along than a uniform draw suggests: sometimes every row up to N is ticked.
    PREFIX = st.integers(0, 12)

    @st.composite
    def migrations(draw: st.DrawFn, ident: str = "m-1") -> Migration:
        rows = list(draw(ROWS))
        for index in range(draw(PREFIX)):
            rows[index] = ItemState(done=True, completed_on=rows[index].completed_on or draw(DAYS))
        return Migration(
            ident,
            draw(DOMAINS),
            draw(LABELS),
            items=tuple(rows),
            application_date=draw(MAYBE_DAYS),
            cancellation_date=draw(MAYBE_DAYS),
            switch_date=draw(st.one_of(st.none(), DAYS, st.sampled_from([date(2027, 1, 11), date(2026, 12, 29)]))),
        )

    @st.composite
    def workspaces(draw: st.DrawFn) -> Workspace:
        count = draw(st.integers(0, 4))
        return Workspace(tuple(draw(migrations(f"m-{n}")) for n in range(1, count + 1)))

    # --- the rules, re-stated from overview.py's docstrings and comments ---

    CLOSED = frozenset(PROVIDER.closed_month_days)

    def business(day: date) -> bool:
        """Monday to Friday, not a public holiday, not one of Net-com's closed days."""
        return day.weekday() < 5 and not jpholiday.is_holiday(day) and (day.month, day.day) not in CLOSED

    def switch_day(day: date) -> bool:
        """平日(月～木): a business day from Monday to Thursday."""
        return day.weekday() < 4 and business(day)

    def third_business_day_before(day: date) -> date:
        found = 0
        while found < 3:
            day -= timedelta(days=1)
            found += business(day)
        return day

    def oracle(m: Migration, today: date | None) -> tuple[set[str], set[str]]:
        """The codes the rules raise, and the codes not to compare (none: every rule is checked)."""
        unsure: set[str] = set()
        row = {n: m.item(n) for n in range(1, 13)}
        dated9 = row[9].completed_on if row[9].done else None
        out: set[str] = set()
        # cancellation_early: the ご解約日 less than 14 days after the switch (row 9's date, else the agreed one).
        switched = dated9 or m.switch_date
        if m.cancellation_date is not None and switched is not None and (m.cancellation_date - switched).days < 14:
            out.add("cancellation_early")
        # switch_day: an agreed date that is no Monday–Thursday business day.
        if m.switch_date is not None and not switch_day(m.switch_date):
            out.add("switch_day")
        # notice_late: a valid agreed date not told yet (row 8) nor switched (row 9), and today past 3 business days
        # before it.
        switch = m.switch_date
        told = row[8].done or row[9].done
        late = switch is not None and today is not None and today > third_business_day_before(switch)
        if late and not told and switch is not None and switch_day(switch):
            out.add("notice_late")
        # retired_early: row 12 ticked (on its date, else today) before the ご解約日 and before a week after the
        # switch (row 9's date), or while row 9 is not done.
        if row[12].done:
            day = row[12].completed_on or today
            if day is not None and not (m.cancellation_date is not None and day >= m.cancellation_date):
                if row[9].done and dated9 is None:
                    pass  # row 9 done without a date: no week can be counted, so the rule stays silent
                elif not row[9].done or (dated9 is not None and (day - dated9).days < 7):
                    out.add("retired_early")
        # hosts_left: the website checked (row 11), the DNS switched (row 9, or the agreed day has come), not all done.
        switched_now = row[9].done or (m.switch_date is not None and today is not None and today >= m.switch_date)
        if row[11].done and switched_now and not all(state.done for state in row.values()):
            out.add("hosts_left")
        return out, unsure

    @settings(max_examples=SOME, deadline=None)
    @given(workspaces(), MAYBE_DAYS)
    def test_property_rows_agree_with_the_summary_and_the_rules(workspace: Workspace, today: date | None) -> None:
        """Every row: done and next action as the checklist's summary says, 要対応 iff the customer acts next or a
        warning stands, and each warning code raised exactly when its rule (re-stated here) holds."""
        rows = overview(workspace, today)
        assert [row.migration for row in rows] == list(workspace.migrations)
        for row in rows:
            summary = row.migration.summary()
            nxt = summary.next_action
            assert row.done == summary.done
            assert row.next_item == (None if nxt is None else nxt.item)
            assert row.next_actor == (None if nxt is None else nxt.actor)
            raised = [w.code for w in row.warnings]
            assert len(raised) == len(set(raised)) and set(raised) <= set(WARNING_CODES)
            assert row.attention == (row.next_actor == "customer" or bool(raised))
            expected, unsure = oracle(row.migration, today)
            assert set(raised) - unsure == expected - unsure, (row.migration, today)
            assert all(w.text.ja and w.text.en and w.url for w in row.warnings)
            if row.switch is not None and switch_day(row.switch):
                assert row.notice_by == third_business_day_before(row.switch)
            elif row.switch is not None:  # an impossible day has no deadline: its switch_day warning says why
                assert row.notice_by is None
            nine = row.migration.item(9)
            assert row.switched_on == (nine.completed_on if nine.done else None)
            if row.switch_estimate is not None:  # only when no switch is agreed nor done, and not already past
                assert row.switch is None and row.switched_on is None and row.plan is not None
                assert today is None or row.switch_estimate >= today

    @settings(max_examples=SOME, deadline=None)
    @given(workspaces(), MAYBE_DAYS, st.sampled_from(SORT_KEYS))
    def test_property_sorting_is_a_stable_ordering(workspace: Workspace, today: date | None, key: str) -> None:
        """sort_rows keeps every row, orders by the key and keeps the workspace's order among equals."""
        rows = overview(workspace, today)
        ordered = sort_rows(rows, key)

        def sort_key(row: Row) -> tuple[object, int]:
            value: object = (
                row.done if key == "progress" else (row.switched_on or row.switch or row.switch_estimate or date.max)
            )
            return value, rows.index(row)

        assert ordered == sorted(rows, key=sort_key)

    @settings(max_examples=SOME, deadline=None)
    @given(workspaces(), st.sampled_from(["ja", "en"]))
    def test_property_csv_and_ics_read_back(workspace: Workspace, lang: str) -> None:
        """Any workspace: the CSV reads back with one row per checklist; the calendar parses, one event per date."""
        rows = overview(workspace, None)
        table = read_csv(to_csv(rows, lang))
        assert len(table) == len(rows) + 1 and all(len(line) == len(CSV_COLUMNS) for line in table)
        data = rows_data(rows, lang)
        assert [line[0] for line in table[1:]] == [
            ("'" + d["domain"]) if d["domain"][:1] in ("=", "+", "-", "@") else d["domain"] for d in data
        ]
        found = Calendar.from_ical(to_ics(rows, lang, dtstamp=STAMP)).walk("VEVENT")
        dates = [day for row in rows for day in (row.notice_by, row.switch, row.cancellation) if day is not None]
        assert sorted(event.decoded("dtstart") for event in found) == sorted(dates)
        # Every summary reads back as written (escaping and line folding), naming the domain and the label.
        names = {d["id"]: f"[{d['domain']}" + (f" – {d['label']}" if d["label"] else "") + "]" for d in data}
        for event in found:
            ident = str(event["uid"]).split("@")[0].split("-", 2)[2]
            assert str(event["summary"]).endswith(names[ident])
