"""checklist_app.schedule: planning on Japanese business days, switch-date rules, .ics export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from checklist_app.errors import ChecklistError
from checklist_app.schedule import (
    FIRST_SUPPORTED_DATE,
    LAST_SUPPORTED_DATE,
    Schedule,
    add_business_days,
    is_business_day,
    is_switch_day,
    nearest_switch_days,
    plan_schedule,
    to_ics,
    validate_switch_date,
)
from checklist_app.steps import STEPS
from tests.properties import MANY

STAMP = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _events(ics: bytes) -> dict[str, object]:
    """The VEVENTs of an .ics file keyed by the kind part of their UID."""
    cal = Calendar.from_ical(ics)
    return {str(ev["UID"]).split("-20")[0]: ev for ev in cal.walk("VEVENT")}


# ----- the calendar -----


def test_weekday_is_business_day() -> None:
    """An ordinary Tuesday is a business day."""
    assert is_business_day(date(2026, 12, 1))


def test_saturday_is_not_business_day() -> None:
    """Saturdays are not business days."""
    assert not is_business_day(date(2026, 12, 5))


def test_public_holiday_is_not_business_day() -> None:
    """A public holiday from jpholiday (Coming of Age Day 2027) is not a business day."""
    assert not is_business_day(date(2027, 1, 11))


def test_company_closed_day_is_not_business_day() -> None:
    """The provider's New Year closure (12/29–1/3) is not business days, even on a weekday."""
    assert not is_business_day(date(2026, 12, 29))
    assert not is_business_day(date(2026, 12, 30))
    assert not is_business_day(date(2026, 12, 31))


def test_closed_days_are_configurable() -> None:
    """Without configured closed days, 2026-12-29 (a Tuesday) is a business day."""
    assert is_business_day(date(2026, 12, 29), closed_month_days=())


def test_add_business_days_skips_new_year_closure() -> None:
    """Two business days after 2026-12-28 (Mon) land on 2027-01-05, past 12/29–1/3."""
    assert add_business_days(date(2026, 12, 28), 2) == date(2027, 1, 5)


def test_add_business_days_skips_golden_week() -> None:
    """One business day after 2027-04-30 (Fri) is 2027-05-06, past the 5/3–5/5 holidays."""
    assert add_business_days(date(2027, 4, 30), 1) == date(2027, 5, 6)


def test_friday_is_not_switch_day() -> None:
    """A Friday business day cannot be a DNS switch day (Mon–Thu only)."""
    assert is_business_day(date(2027, 1, 15))
    assert not is_switch_day(date(2027, 1, 15))


def test_thursday_is_switch_day() -> None:
    """An ordinary Thursday is a DNS switch day."""
    assert is_switch_day(date(2027, 1, 14))


# ----- validate_switch_date -----


def test_validate_valid_day_has_no_reasons() -> None:
    """A Monday–Thursday business day gives an empty list of reasons."""
    assert validate_switch_date(date(2027, 1, 12)) == []


def test_validate_coming_of_age_day_names_holiday() -> None:
    """2027-01-11 (Coming of Age Day, a Monday) is refused as a public holiday, named in both languages."""
    reasons = validate_switch_date(date(2027, 1, 11))
    assert len(reasons) == 1
    assert "成人の日" in reasons[0].ja
    assert "Coming of Age Day" in reasons[0].en


def test_validate_friday_names_weekday() -> None:
    """A Friday is refused because switches are Monday–Thursday."""
    reasons = validate_switch_date(date(2027, 1, 15))
    assert [r.en for r in reasons] == ["it is a Friday (DNS switches are done Monday to Thursday only)"]
    assert "金曜日" in reasons[0].ja


def test_validate_closed_day_names_date() -> None:
    """A weekday in the New Year closure is refused as a closed day."""
    reasons = validate_switch_date("2026-12-29")
    assert len(reasons) == 1
    assert "12月29日" in reasons[0].ja
    assert "29 December" in reasons[0].en


def test_validate_lists_every_reason() -> None:
    """2028-01-01 (a Saturday, New Year's Day, closed) gets three reasons."""
    reasons = validate_switch_date(date(2028, 1, 1))
    assert len(reasons) == 3


def test_validate_substitute_holiday_in_english() -> None:
    """A substitute holiday (2026-05-06) gets an English name, not the Japanese one."""
    reasons = validate_switch_date(date(2026, 5, 6))
    assert "substitute holiday for Constitution Memorial Day" in reasons[0].en


def test_validate_before_earliest() -> None:
    """A valid weekday before ``earliest`` is refused with the earliest date named."""
    reasons = validate_switch_date(date(2027, 1, 12), earliest=date(2027, 1, 13))
    assert len(reasons) == 1
    assert "2027-01-13" in reasons[0].en


def test_validate_bad_text_raises() -> None:
    """A date that is not YYYY-MM-DD raises ChecklistError on switch_date."""
    with pytest.raises(ChecklistError) as err:
        validate_switch_date("2027-13-01")
    assert err.value.field == "switch_date"


def test_nearest_around_coming_of_age_day() -> None:
    """The nearest switch days around 2027-01-11 are Thu 2027-01-07 and Tue 2027-01-12."""
    assert nearest_switch_days(date(2027, 1, 11)) == (date(2027, 1, 7), date(2027, 1, 12))


def test_nearest_around_new_year() -> None:
    """Around 2026-12-31 the nearest switch days are 2026-12-28 and 2027-01-04."""
    assert nearest_switch_days(date(2026, 12, 31)) == (date(2026, 12, 28), date(2027, 1, 4))


# ----- plan_schedule: realistic cases -----


def test_new_year_plan_switch_date() -> None:
    """Applied Mon 2026-12-21: the earliest switch is Wed 2027-01-13 (closure, weekends and 1/11 skipped)."""
    plan = plan_schedule(date(2026, 12, 21))
    assert plan.switch == date(2027, 1, 13)
    assert plan.earliest_switch == date(2027, 1, 13)


def test_new_year_plan_server_setup_after_closure() -> None:
    """Applied 2026-12-21: server set-up (step 4) starts 12-28 and ends 2027-01-05 at the earliest, 01-08 latest."""
    stage = plan_schedule(date(2026, 12, 21)).stage(4)
    assert (stage.earliest_start, stage.earliest_end, stage.latest_end) == (
        date(2026, 12, 28),
        date(2027, 1, 5),
        date(2027, 1, 8),
    )


def test_new_year_plan_latest_switch() -> None:
    """Applied 2026-12-21: if every stage takes its longest, the switch is Wed 2027-01-27."""
    assert plan_schedule(date(2026, 12, 21)).latest_switch == date(2027, 1, 27)


def test_new_year_plan_request_deadline() -> None:
    """Applied 2026-12-21: the switch date must be told by 2027-01-07, three business days before 01-13."""
    assert plan_schedule(date(2026, 12, 21)).switch_request_by == date(2027, 1, 7)


def test_golden_week_plan_server_setup_after_holidays() -> None:
    """Applied 2027-04-26: Net-com's server set-up starts only on 2027-05-06, after Golden Week."""
    assert plan_schedule(date(2027, 4, 26)).stage(4).earliest_start == date(2027, 5, 6)


def test_golden_week_plan_switch_date() -> None:
    """Applied 2027-04-26: the earliest switch is Mon 2027-05-17."""
    assert plan_schedule(date(2027, 4, 26)).switch == date(2027, 5, 17)


def test_cancellation_two_weeks_after_switch() -> None:
    """The old contract's cancellation date is 14 days after the planned switch."""
    plan = plan_schedule(date(2026, 12, 21))
    assert plan.cancellation == plan.switch + timedelta(days=14)


def test_double_check_period_one_to_two_weeks() -> None:
    """Step 7's double-check runs from the switch until 1–2 weeks after it."""
    plan = plan_schedule(date(2026, 12, 21))
    assert (plan.double_check_start, plan.double_check_end_earliest, plan.double_check_end_latest) == (
        date(2027, 1, 13),
        date(2027, 1, 20),
        date(2027, 1, 27),
    )


def test_old_account_removal_one_week_after_switch() -> None:
    """The earliest safe day to delete the old account is one week after the switch."""
    plan = plan_schedule(date(2026, 12, 21))
    assert plan.old_account_removal == date(2027, 1, 20)
    assert "2027-01-27" in plan.removal_note.en


def test_known_setup_date_drives_switch() -> None:
    """With set-up done on Mon 2026-11-16, the earliest switch is Thu 2026-11-19 (3 business days' notice)."""
    plan = plan_schedule("2026-11-02", customer_setup_done="2026-11-16")
    assert plan.switch == date(2026, 11, 19)
    assert plan.stage(5).known


def test_known_early_transfer_keeps_order() -> None:
    """A transfer done sooner than the seed's minimum pulls the earlier stages back, keeping their order."""
    plan = plan_schedule("2026-11-02", transfer_done="2026-11-03")
    assert plan.stage(3).earliest_end == plan.stage(3).latest_end == date(2026, 11, 3)
    assert plan.stage(2).latest_end <= date(2026, 11, 3)


def test_notice_is_a_parameter() -> None:
    """Five business days' notice moves the earliest switch from 11-19 to 11-24 (after 11-23's holiday)."""
    plan = plan_schedule("2026-11-02", customer_setup_done="2026-11-16", notice_business_days=5)
    assert plan.switch == date(2026, 11, 24)


def test_requested_switch_accepted() -> None:
    """A valid requested date later than the earliest becomes the planned switch."""
    plan = plan_schedule("2026-11-02", customer_setup_done="2026-11-16", switch_date="2026-12-01")
    assert plan.switch == date(2026, 12, 1)
    assert plan.switch_requested
    assert plan.stage(6).known


def test_requested_switch_tight_warns() -> None:
    """A requested date reachable only if stages go fast gives a warning naming the later date."""
    plan = plan_schedule(date(2026, 12, 21), switch_date=date(2027, 1, 14))
    assert len(plan.warnings) == 1
    assert "2027-01-27" in plan.warnings[0].en


def test_requested_coming_of_age_day_rejected() -> None:
    """Requesting 2027-01-11 is refused: field switch_date, the holiday named, nearest 01-07 and 01-12 offered."""
    with pytest.raises(ChecklistError) as err:
        plan_schedule(date(2026, 11, 2), switch_date=date(2027, 1, 11))
    assert err.value.field == "switch_date"
    assert "成人の日" in err.value.ja and "Coming of Age Day" in err.value.en
    assert "2027-01-07" in err.value.en and "2027-01-12" in err.value.en


def test_requested_friday_rejected_with_neighbours() -> None:
    """Requesting Fri 2027-01-15 is refused with Thu 01-14 and Mon 01-18 offered."""
    with pytest.raises(ChecklistError) as err:
        plan_schedule(date(2026, 11, 2), switch_date=date(2027, 1, 15))
    assert "金曜日" in err.value.ja
    assert "2027-01-14" in err.value.ja and "2027-01-18" in err.value.ja


def test_requested_closed_day_rejected() -> None:
    """Requesting 2026-12-30 (closed) is refused with 12-28 and 2027-01-04 offered."""
    with pytest.raises(ChecklistError) as err:
        plan_schedule(date(2026, 11, 2), switch_date=date(2026, 12, 30))
    assert "12月30日" in err.value.ja
    assert "2026-12-28" in err.value.en and "2027-01-04" in err.value.en


def test_requested_too_early_rejected() -> None:
    """Requesting a valid weekday before the earliest possible switch is refused, naming the earliest."""
    with pytest.raises(ChecklistError) as err:
        plan_schedule(date(2026, 12, 21), switch_date=date(2027, 1, 12))
    assert err.value.field == "switch_date"
    assert "2027-01-13" in err.value.en
    assert "2027-01-07" not in err.value.en  # no "before" option earlier than the earliest switch


def test_known_dates_out_of_order_rejected() -> None:
    """A transfer completion before the application date is refused on field transfer_done."""
    with pytest.raises(ChecklistError) as err:
        plan_schedule("2026-11-10", transfer_done="2026-11-09")
    assert err.value.field == "transfer_done"


def test_bad_applied_text_rejected() -> None:
    """An application date that is not YYYY-MM-DD is refused on field applied."""
    with pytest.raises(ChecklistError) as err:
        plan_schedule("21/12/2026")
    assert err.value.field == "applied"


def test_datetime_rejected() -> None:
    """A datetime (not a plain date) is refused instead of compared wrongly."""
    with pytest.raises(ChecklistError) as err:
        plan_schedule(datetime(2026, 12, 21, 10, 0))
    assert err.value.field == "applied"


def test_out_of_range_rejected() -> None:
    """A date outside the supported years is refused."""
    with pytest.raises(ChecklistError):
        plan_schedule(LAST_SUPPORTED_DATE + timedelta(days=1))


def test_margin_below_two_weeks_rejected() -> None:
    """A cancellation margin under the seed's two weeks is refused."""
    with pytest.raises(ChecklistError) as err:
        plan_schedule("2026-12-21", cancellation_margin_days=13)
    assert err.value.field == "cancellation_margin_days"


def test_closed_every_day_rejected_not_hung() -> None:
    """A configuration closing every day of the year gives ChecklistError instead of looping."""
    every_day = [(d.month, d.day) for d in (date(2000, 1, 1) + timedelta(days=i) for i in range(366))]
    with pytest.raises(ChecklistError) as err:
        plan_schedule("2026-12-21", closed_month_days=every_day)
    assert err.value.field == "closed_month_days"


def test_to_dict_is_json() -> None:
    """to_dict gives JSON-serializable plain data with ISO dates and every stage."""
    data = json.loads(json.dumps(plan_schedule("2026-12-21").to_dict()))
    assert data["switch"] == "2027-01-13"
    assert [s["step"] for s in data["stages"]] == [s.number for s in STEPS]


# ----- .ics -----


def test_ics_switch_event_date() -> None:
    """The .ics read back by icalendar has the DNS switch as an all-day event on 2027-01-13."""
    ev = _events(to_ics(plan_schedule("2026-12-21"), lang="ja", dtstamp=STAMP))["dns-switch"]
    assert ev.decoded("DTSTART") == date(2027, 1, 13)
    assert ev.decoded("DTEND") == date(2027, 1, 14)


def test_ics_cancellation_and_double_check() -> None:
    """Cancellation and the double-check window in the .ics match the schedule."""
    plan = plan_schedule("2027-04-26")
    events = _events(to_ics(plan, lang="en", dtstamp=STAMP))
    assert events["cancellation"].decoded("DTSTART") == plan.cancellation
    assert events["double-check"].decoded("DTSTART") == plan.switch
    assert events["double-check"].decoded("DTEND") == plan.double_check_end_latest + timedelta(days=1)


def test_ics_all_events_all_day() -> None:
    """Every event is all-day (DATE values, not DATE-TIME)."""
    cal = Calendar.from_ical(to_ics(plan_schedule("2026-12-21"), lang="ja", dtstamp=STAMP))
    starts = [ev.decoded("DTSTART") for ev in cal.walk("VEVENT")]
    assert len(starts) == 10
    assert all(type(d) is date for d in starts)


def test_ics_summaries_in_english() -> None:
    """lang="en" gives English summaries."""
    events = _events(to_ics(plan_schedule("2026-12-21"), lang="en", dtstamp=STAMP))
    assert str(events["dns-switch"]["SUMMARY"]) == "DNS switch day (step 6)"


def test_ics_summaries_in_japanese_with_domain() -> None:
    """lang="ja" with an IDN domain: Japanese summary with the Unicode name, punycode in the UID."""
    events = _events(to_ics(plan_schedule("2026-12-21"), lang="ja", domain="日本語.jp", dtstamp=STAMP))
    ev = events["dns-switch"]
    assert str(ev["SUMMARY"]) == "DNS 切り替え日（ステップ 6） [日本語.jp]"
    assert str(ev["UID"]) == "dns-switch-20261221-xn--wgv71a119e.jp@net-com.example"


def test_ics_deterministic() -> None:
    """The same schedule and dtstamp give byte-identical files (no clock, no randomness)."""
    plan = plan_schedule("2026-12-21")
    assert to_ics(plan, lang="ja", dtstamp=STAMP) == to_ics(plan, lang="ja", dtstamp=STAMP)


def test_ics_uids_unique() -> None:
    """Every event has its own UID."""
    cal = Calendar.from_ical(to_ics(plan_schedule("2026-12-21"), lang="ja", dtstamp=STAMP))
    uids = [str(ev["UID"]) for ev in cal.walk("VEVENT")]
    assert len(set(uids)) == len(uids)


def test_ics_dtstamp_in_utc() -> None:
    """A dtstamp in JST is written in UTC."""
    jst = datetime(2026, 11, 25, 18, 0, tzinfo=timezone(timedelta(hours=9)))
    cal = Calendar.from_ical(to_ics(plan_schedule("2026-12-21"), lang="ja", dtstamp=jst))
    ev = next(iter(cal.walk("VEVENT")))
    assert ev.decoded("DTSTAMP") == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_ics_naive_dtstamp_rejected() -> None:
    """A dtstamp without a time zone is refused on field dtstamp."""
    with pytest.raises(ChecklistError) as err:
        to_ics(plan_schedule("2026-12-21"), lang="ja", dtstamp=datetime(2026, 11, 25))
    assert err.value.field == "dtstamp"


def test_ics_bad_lang_rejected() -> None:
    """A language other than ja/en is refused on field lang."""
    with pytest.raises(ChecklistError) as err:
        to_ics(plan_schedule("2026-12-21"), lang="fr", dtstamp=STAMP)
    assert err.value.field == "lang"


def test_ics_bad_domain_rejected() -> None:
    """A domain with a space is refused on field domain."""
    with pytest.raises(ChecklistError) as err:
        to_ics(plan_schedule("2026-12-21"), lang="ja", domain="exa mple.jp", dtstamp=STAMP)
    assert err.value.field == "domain"


# ----- properties -----

supported_days = st.dates(min_value=FIRST_SUPPORTED_DATE, max_value=LAST_SUPPORTED_DATE - timedelta(days=400))


def _assert_rules(plan: Schedule) -> None:
    assert is_switch_day(plan.switch)
    assert is_switch_day(plan.earliest_switch)
    assert plan.cancellation >= plan.switch + timedelta(days=14)
    assert plan.earliest_switch <= plan.switch <= plan.latest_switch
    assert plan.switch_request_by < plan.switch or plan.notice_business_days == 0
    assert plan.double_check_start == plan.switch <= plan.old_account_removal <= plan.double_check_end_latest
    for stage in plan.stages:
        assert stage.earliest_start <= stage.latest_start
        assert stage.earliest_end <= stage.latest_end
        assert stage.earliest_start <= stage.earliest_end
        assert stage.latest_start <= stage.latest_end
    for before, after in zip(plan.stages, plan.stages[1:], strict=False):
        assert before.earliest_end <= after.earliest_start
        assert before.latest_end <= after.latest_start
    assert plan.stage(6).earliest_end == plan.switch


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None)
@given(
    applied=supported_days,
    gaps=st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=4, max_size=4),
    notice=st.integers(0, 10),
)
def test_property_plans_obey_rules(applied: date, gaps: list[int | None], notice: int) -> None:
    """Any plan from known dates in order: switch Mon–Thu business day, cancellation ≥ +14 days, stages ordered."""
    known: dict[str, date] = {}
    current = applied
    for name, gap in zip(
        ("transfer_done", "account_info_received", "customer_setup_done", "switch_date"), gaps, strict=True
    ):
        if gap is not None:
            current = current + timedelta(days=gap)
            known[name] = current
    try:
        plan = plan_schedule(applied, notice_business_days=notice, **known)  # type: ignore[arg-type]
    except ChecklistError as err:
        # Only a requested switch date may be refused here, and then only for a stated reason.
        assert err.field == "switch_date"
        assert "switch_date" in known
        assert validate_switch_date(
            known["switch_date"],
            earliest=plan_schedule(
                applied,
                notice_business_days=notice,
                **{k: v for k, v in known.items() if k != "switch_date"},  # type: ignore[arg-type]
            ).earliest_switch,
        )
        return
    _assert_rules(plan)


anything = st.one_of(
    st.none(),
    st.dates(),
    st.datetimes(),
    st.text(max_size=12),
    st.dates().map(date.isoformat),
    st.integers(),
    st.binary(max_size=4),
)


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None)
@given(
    applied=anything,
    switch=anything,
    setup=anything,
    notice=st.one_of(st.integers(-3, 30), st.booleans(), st.none()),
    closed=st.one_of(
        st.just(((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))),
        st.lists(st.tuples(st.integers(-1, 14), st.integers(-1, 33)), max_size=6),
        st.lists(st.text(max_size=3), max_size=3),
    ),
)
def test_property_only_checklist_error(
    applied: object, switch: object, setup: object, notice: object, closed: object
) -> None:
    """Whatever the input, plan_schedule returns a valid plan or raises ChecklistError — nothing else."""
    try:
        plan = plan_schedule(
            applied,  # type: ignore[arg-type]
            customer_setup_done=setup,  # type: ignore[arg-type]
            switch_date=switch,  # type: ignore[arg-type]
            notice_business_days=notice,  # type: ignore[arg-type]
            closed_month_days=closed,  # type: ignore[arg-type]
        )
    except ChecklistError as err:
        assert err.field and err.ja and err.en
        return
    assert plan.switch.weekday() < 4


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None)
@given(
    day=st.dates(
        min_value=FIRST_SUPPORTED_DATE + timedelta(days=100), max_value=LAST_SUPPORTED_DATE - timedelta(days=100)
    )
)
def test_property_rejection_offers_valid_neighbours(day: date) -> None:
    """A day is valid exactly when no reason is given, and the nearest offered days are valid switch days."""
    reasons = validate_switch_date(day)
    assert (reasons == []) == is_switch_day(day)
    before, after = nearest_switch_days(day)
    assert after is not None and after > day and is_switch_day(after)
    assert before is not None and before < day and is_switch_day(before)
    assert all(not is_switch_day(day + timedelta(days=i)) for i in range(1, (after - day).days))
