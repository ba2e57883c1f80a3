"""The migration schedule: every stage planned on Japanese business days, plus an ``.ics`` export.

Dates follow one convention throughout: a stage that starts on day *s* and takes *n* days is complete on
day *s + n* (the day the next stage can begin). Calendar-day stages count every day; business-day stages
count Monday to Friday except Japanese public holidays (``jpholiday``) and the company's closed days. A stage
Net-com carries out starts on a business day. No clock is read here: every date comes from the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import jpholiday

from .errors import ChecklistError
from .provider import PROVIDER
from .steps import ACTORS, STEPS, Actor, Step, step_by_number
from .text import LANGUAGES, Text

__all__ = [
    "DEFAULT_CANCELLATION_MARGIN_DAYS",
    "DEFAULT_NOTICE_BUSINESS_DAYS",
    "FIRST_SUPPORTED_DATE",
    "LAST_SUPPORTED_DATE",
    "SWITCH_WEEKDAYS",
    "Schedule",
    "StagePlan",
    "add_business_days",
    "is_business_day",
    "is_switch_day",
    "nearest_switch_days",
    "plan_schedule",
    "subtract_business_days",
    "to_ics",
    "validate_switch_date",
]

# The seed asks for the switch date 「数日前までに」; three business days is the notice we plan with.
DEFAULT_NOTICE_BUSINESS_DAYS = 3
# The seed: 解約日は、サービス切り替え予定日から 2 週間以上の余裕を.
DEFAULT_CANCELLATION_MARGIN_DAYS = 14
# The seed: 平日(月～木)営業時間内. Python weekdays: Monday is 0.
SWITCH_WEEKDAYS = frozenset({0, 1, 2, 3})
# jpholiday computes any year, but the rules it knows are today's; outside this window a plan is not meaningful,
# and the bound keeps every date arithmetic far from date.max.
FIRST_SUPPORTED_DATE = date(2000, 1, 1)
LAST_SUPPORTED_DATE = date(2100, 12, 31)
_MAX_NOTICE = 20
# How far to look back for the nearest valid switch day before a rejected one (New Year + weekends is ~10 days).
_SEARCH_DAYS = 62
# Any walk through the calendar stops after this many days (guards against a year of closed days).
_MAX_WALK_DAYS = 400

# ----- words (data, not logic) -----
_WEEKDAYS = (
    Text("月", "Monday"),
    Text("火", "Tuesday"),
    Text("水", "Wednesday"),
    Text("木", "Thursday"),
    Text("金", "Friday"),
    Text("土", "Saturday"),
    Text("日", "Sunday"),
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_HOLIDAYS_EN = {
    "元日": "New Year's Day",
    "成人の日": "Coming of Age Day",
    "建国記念の日": "National Foundation Day",
    "天皇誕生日": "The Emperor's Birthday",
    "春分の日": "Vernal Equinox Day",
    "昭和の日": "Showa Day",
    "憲法記念日": "Constitution Memorial Day",
    "みどりの日": "Greenery Day",
    "こどもの日": "Children's Day",
    "海の日": "Marine Day",
    "山の日": "Mountain Day",
    "敬老の日": "Respect for the Aged Day",
    "秋分の日": "Autumnal Equinox Day",
    "体育の日": "Health and Sports Day",
    "スポーツの日": "Sports Day",
    "文化の日": "Culture Day",
    "勤労感謝の日": "Labour Thanksgiving Day",
    "国民の休日": "Citizens' Holiday",
}
_SUBSTITUTE_SUFFIX = " 振替休日"

_REASON_WEEKDAY = Text(
    "{wd_ja}曜日です（DNS の切り替えは平日の月～木のみ）",
    "it is a {wd_en} (DNS switches are done Monday to Thursday only)",
)
_REASON_HOLIDAY = Text("祝日（{name_ja}）です", "it is a public holiday ({name_en})")
_REASON_CLOSED = Text("弊社の休業日（{md_ja}）です", "Net-com is closed that day ({md_en})")
_REASON_TOO_EARLY = Text(
    "最短の切り替え可能日 {earliest} より前です",
    "it is before the earliest possible switch date, {earliest}",
)
_SWITCH_REJECTED = Text(
    "{day}は DNS 切り替え日に指定できません: {reasons}。",
    "{day} cannot be the DNS switch date: {reasons}.",
)
_NEAREST = Text("近い指定可能日: {dates}。", "Nearest possible dates: {dates}.")
_NEAREST_BEFORE = Text("前は {d}", "{d} before")
_NEAREST_AFTER = Text("後は {d}", "{d} after")
_WARN_REQUESTED_TIGHT = Text(
    "各段階が最長の日数かかった場合、ご希望の切り替え日 {switch} には間に合わない可能性があります"
    "（その場合の最短は {latest}）。",
    "If every stage takes its longest, the requested switch date {switch} may come too early "
    "(the earliest date then would be {latest}).",
)
_WARN_AGREED_EARLY = Text(
    "各段階が最短で進んでも、切り替え日 {switch} までに準備が終わらない可能性があります（最短は {earliest}）。",
    "Even if every stage takes its shortest, the preparation may not be finished by the switch on {switch} "
    "(the earliest would be {earliest}).",
)
_NOTE_REMOVAL = Text(
    "旧サーバにメールが届かなくなったことを確認してから削除してください。"
    "届く場合は {until} まで新・旧両方を確認してください。",
    "Delete it only once no more mail reaches the old server; if mail still arrives, keep checking both "
    "accounts until {until}.",
)

_EVENT_STAGE = Text("ステップ {n}: {title}", "Step {n}: {title}")
_EVENT_STAGE_DESC = Text(
    "{actor}。目安: {duration}。完了見込み: 最短 {ee}、最長 {le}。",
    "{actor}. Typical duration: {duration}. Expected completion: {ee} at the earliest, {le} at the latest.",
)
_EVENT_STAGE_KNOWN = Text("{actor}。完了日: {ee}。", "{actor}. Completed on {ee}.")
_EVENT_REQUEST = Text("「DNS 切り替え日」のご連絡期限", "Last day to tell Net-com your DNS switch date")
_EVENT_REQUEST_DESC = Text(
    "切り替え日 {switch} の {n} 営業日前までに弊社へご連絡ください（移行手順書は「数日前まで」。{n} 営業日は"
    "このガイドのおすすめです）。",
    "Tell Net-com at least {n} business days before the switch on {switch} (the manual says “a few days before”;"
    " {n} business days is this guide's recommendation).",
)
_EVENT_SWITCH = Text("DNS 切り替え日（ステップ 6）", "DNS switch day (step 6)")
_EVENT_SWITCH_DESC = Text(
    "弊社にて DNS サーバ情報を変更します（平日 月～木 営業時間内）。",
    "Net-com changes the DNS server information (Monday to Thursday, within business hours).",
)
_EVENT_CHECK = Text("新・旧両方のメールチェック期間（ステップ 7）", "Check both new and old mail (step 7)")
_EVENT_CHECK_DESC = Text(
    "DNS 切替え後も旧サーバにメールが届く場合があるため、1～2 週間程度は新・旧両方をチェックしてください。",
    "Mail may still reach the old server after the switch: check both accounts for about 1–2 weeks.",
)
_EVENT_REMOVAL = Text("旧アカウント削除が可能になる最短日", "Earliest day to remove the old mail account")
_EVENT_CANCEL = Text(
    "現ホスティング業者の解約日（この日以降に）", "Cancel the old hosting contract (on or after this day)"
)
_EVENT_CANCEL_DESC = Text(
    "解約日は切り替え予定日 {switch} から {days} 日以上の余裕をとってください。",
    "Leave at least {days} days after the planned switch on {switch} before the old contract ends.",
)
_ICS_NAME = Text("移行スケジュール", "Migration schedule")

_FIELD_LABELS: dict[str, Text] = {
    "applied": Text("お申し込み日", "application date"),
    "transfer_done": Text("ドメイン移管の完了日", "transfer completion date"),
    "account_info_received": Text("『サーバアカウント情報』の受領日", "date the Server Account Information arrived"),
    "customer_setup_done": Text("お客様データの設定完了日", "date your set-up was finished"),
    "switch_date": Text("DNS 切り替え日", "DNS switch date"),
}


@dataclass(frozen=True, slots=True)
class StagePlan:
    """One of the seven steps, planned: when it can start and when it should be complete.

    ``known`` is true when the caller gave the completion date (earliest and latest end are then that date).
    """

    step: int
    slug: str
    title: Text
    actor: Actor
    duration: Text
    earliest_start: date
    latest_start: date
    earliest_end: date
    latest_end: date
    known: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON and the browser."""
        return {
            "step": self.step,
            "slug": self.slug,
            "title": _text_dict(self.title),
            "actor": self.actor,
            "duration": _text_dict(self.duration),
            "earliest_start": self.earliest_start.isoformat(),
            "latest_start": self.latest_start.isoformat(),
            "earliest_end": self.earliest_end.isoformat(),
            "latest_end": self.latest_end.isoformat(),
            "known": self.known,
        }


@dataclass(frozen=True, slots=True)
class Schedule:
    """A planned migration: the seven stages and the key dates around the DNS switch."""

    applied: date
    stages: tuple[StagePlan, ...]
    switch: date  # the planned DNS switch: the requested date, else the earliest possible one
    switch_requested: bool
    earliest_switch: date
    latest_switch: date  # the switch if every stage takes its longest (never before ``switch``)
    switch_request_by: date  # last day to tell Net-com the switch date (``notice_business_days`` before)
    double_check_start: date
    double_check_end_earliest: date  # 1 week after the switch
    double_check_end_latest: date  # 2 weeks after the switch
    old_account_removal: date  # earliest safe day to delete the old mail account
    cancellation: date  # earliest recommended end of the old hosting contract
    notice_business_days: int
    cancellation_margin_days: int
    closed_month_days: tuple[tuple[int, int], ...]
    warnings: tuple[Text, ...]

    def stage(self, number: int) -> StagePlan:
        """The plan of step ``number`` (1–7); ``KeyError`` for any other number."""
        for stage in self.stages:
            if stage.step == number:
                return stage
        raise KeyError(number)

    @property
    def removal_note(self) -> Text:
        """Why the removal day is only the earliest one (the seed: delete once no mail reaches the old server)."""
        return _fmt(_NOTE_REMOVAL, until=self.double_check_end_latest)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (ISO dates, ``{"ja", "en"}`` texts) for ``--json`` and the browser."""
        return {
            "applied": self.applied.isoformat(),
            "stages": [stage.to_dict() for stage in self.stages],
            "switch": self.switch.isoformat(),
            "switch_requested": self.switch_requested,
            "earliest_switch": self.earliest_switch.isoformat(),
            "latest_switch": self.latest_switch.isoformat(),
            "switch_request_by": self.switch_request_by.isoformat(),
            "double_check_start": self.double_check_start.isoformat(),
            "double_check_end_earliest": self.double_check_end_earliest.isoformat(),
            "double_check_end_latest": self.double_check_end_latest.isoformat(),
            "old_account_removal": self.old_account_removal.isoformat(),
            "removal_note": _text_dict(self.removal_note),
            "cancellation": self.cancellation.isoformat(),
            "notice_business_days": self.notice_business_days,
            "cancellation_margin_days": self.cancellation_margin_days,
            "closed_month_days": [list(md) for md in self.closed_month_days],
            "warnings": [_text_dict(w) for w in self.warnings],
        }


# ----- the calendar -----


def _closed(closed_month_days: Iterable[tuple[int, int]]) -> frozenset[tuple[int, int]]:
    """Validate the company's closed (month, day) pairs."""
    pairs: set[tuple[int, int]] = set()
    try:
        for month, day in closed_month_days:
            if isinstance(month, bool) or isinstance(day, bool):
                raise TypeError
            # 2000 is a leap year, so 2/29 is accepted as a closed day.
            date(2000, int(month), int(day))
            if int(month) != month or int(day) != day:
                raise TypeError
            pairs.add((int(month), int(day)))
    except (TypeError, ValueError) as exc:
        raise ChecklistError(
            "closed_month_days",
            "休業日は (月, 日) の組で指定してください（例: 12, 29）。",
            "Closed days must be (month, day) pairs, e.g. (12, 29).",
        ) from exc
    return frozenset(pairs)


@lru_cache(maxsize=4096)
def _holiday_name(day: date) -> str | None:
    # Cached: the overview plans every checklist on each change (100 domains: thousands of look-ups of few days).
    name: str | None = jpholiday.is_holiday_name(day)
    return name


def _is_business(day: date, closed: frozenset[tuple[int, int]]) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in closed and _holiday_name(day) is None


def _is_switch(day: date, closed: frozenset[tuple[int, int]]) -> bool:
    return day.weekday() in SWITCH_WEEKDAYS and _is_business(day, closed)


def _check_range(day: date, field: str) -> None:
    if not FIRST_SUPPORTED_DATE <= day <= LAST_SUPPORTED_DATE:
        raise ChecklistError(
            field,
            f"{FIRST_SUPPORTED_DATE.isoformat()} から {LAST_SUPPORTED_DATE.isoformat()} までの日付を指定してください。",
            f"Give a date from {FIRST_SUPPORTED_DATE.isoformat()} to {LAST_SUPPORTED_DATE.isoformat()}.",
        )


def is_business_day(day: date, *, closed_month_days: Iterable[tuple[int, int]] = PROVIDER.closed_month_days) -> bool:
    """True on Monday–Friday unless a Japanese public holiday or one of the company's closed days."""
    checked = _as_date(day, "date")
    _check_range(checked, "date")
    return _is_business(checked, _closed(closed_month_days))


def is_switch_day(day: date, *, closed_month_days: Iterable[tuple[int, int]] = PROVIDER.closed_month_days) -> bool:
    """True when Net-com can switch the DNS that day: a business day from Monday to Thursday."""
    checked = _as_date(day, "switch_date")
    _check_range(checked, "switch_date")
    return _is_switch(checked, _closed(closed_month_days))


def _walk(day: date, direction: int, closed: frozenset[tuple[int, int]], accept: Callable[[date], bool]) -> date:
    """The first day after ``day`` (in ``direction``) that ``accept`` takes, within a year."""
    current = day
    for _ in range(_MAX_WALK_DAYS):
        current += timedelta(days=direction)
        if accept(current):
            return current
    # Only a configuration that closes (nearly) every day of the year gets here.
    raise ChecklistError(
        "closed_month_days",
        "休業日が多すぎて、1 年以内に営業日がありません。",
        "There are so many closed days that no business day falls within a year.",
    )


def _add_business(day: date, count: int, closed: frozenset[tuple[int, int]]) -> date:
    current = day
    for _ in range(count):
        current = _walk(current, 1, closed, lambda d: _is_business(d, closed))
    return current


def _subtract_business(day: date, count: int, closed: frozenset[tuple[int, int]]) -> date:
    current = day
    for _ in range(count):
        current = _walk(current, -1, closed, lambda d: _is_business(d, closed))
    return current


def add_business_days(
    day: date, count: int, *, closed_month_days: Iterable[tuple[int, int]] = PROVIDER.closed_month_days
) -> date:
    """The ``count``-th business day after ``day`` (``day`` itself need not be a business day)."""
    start = _as_date(day, "date")
    _check_range(start, "date")
    _check_count(count, "count", 0, 366)
    return _add_business(start, count, _closed(closed_month_days))


def subtract_business_days(
    day: date, count: int, *, closed_month_days: Iterable[tuple[int, int]] = PROVIDER.closed_month_days
) -> date:
    """The ``count``-th business day before ``day`` (the notice deadline of a switch on ``day``)."""
    start = _as_date(day, "date")
    _check_range(start, "date")
    _check_count(count, "count", 0, 366)
    return _subtract_business(start, count, _closed(closed_month_days))


def _next_business_on_or_after(day: date, closed: frozenset[tuple[int, int]]) -> date:
    if _is_business(day, closed):
        return day
    return _walk(day, 1, closed, lambda d: _is_business(d, closed))


def _first_switch_on_or_after(day: date, closed: frozenset[tuple[int, int]]) -> date:
    if _is_switch(day, closed):
        return day
    return _walk(day, 1, closed, lambda d: _is_switch(d, closed))


def _reasons(day: date, closed: frozenset[tuple[int, int]], earliest: date | None) -> list[Text]:
    reasons: list[Text] = []
    if day.weekday() not in SWITCH_WEEKDAYS:
        wd = _WEEKDAYS[day.weekday()]
        reasons.append(_fmt(_REASON_WEEKDAY, wd_ja=wd.ja, wd_en=wd.en))
    name = _holiday_name(day)
    if name is not None:
        reasons.append(_fmt(_REASON_HOLIDAY, name_ja=name, name_en=_holiday_en(name)))
    if (day.month, day.day) in closed:
        reasons.append(
            _fmt(_REASON_CLOSED, md_ja=f"{day.month}月{day.day}日", md_en=f"{day.day} {_MONTHS_EN[day.month - 1]}")
        )
    if earliest is not None and day < earliest:
        reasons.append(_fmt(_REASON_TOO_EARLY, earliest=earliest))
    return reasons


def validate_switch_date(
    day: date | str,
    *,
    earliest: date | str | None = None,
    closed_month_days: Iterable[tuple[int, int]] = PROVIDER.closed_month_days,
) -> list[Text]:
    """Why ``day`` cannot be the DNS switch date; an empty list when it can.

    A switch needs a business day from Monday to Thursday (not a public holiday, not a closed day) and, when
    ``earliest`` is given, not before it.
    """
    switch = _as_date(day, "switch_date")
    _check_range(switch, "switch_date")
    floor = None if earliest is None else _as_date(earliest, "earliest")
    return _reasons(switch, _closed(closed_month_days), floor)


def nearest_switch_days(
    day: date | str,
    *,
    earliest: date | str | None = None,
    closed_month_days: Iterable[tuple[int, int]] = PROVIDER.closed_month_days,
) -> tuple[date | None, date | None]:
    """The nearest valid switch days strictly before and after ``day`` (before is ``None`` if below ``earliest``)."""
    center = _as_date(day, "switch_date")
    _check_range(center, "switch_date")
    floor = None if earliest is None else _as_date(earliest, "earliest")
    return _nearest(center, _closed(closed_month_days), floor)


def _nearest(day: date, closed: frozenset[tuple[int, int]], earliest: date | None) -> tuple[date | None, date | None]:
    before: date | None = None
    for offset in range(1, _SEARCH_DAYS):
        candidate = day - timedelta(days=offset)
        if earliest is not None and candidate < earliest:
            break
        if _is_switch(candidate, closed):
            before = candidate
            break
    start = day + timedelta(days=1)
    if earliest is not None and earliest > start:
        start = earliest
    return before, _first_switch_on_or_after(start, closed)


# ----- planning -----


def plan_schedule(
    applied: date | str,
    *,
    transfer_done: date | str | None = None,
    account_info_received: date | str | None = None,
    customer_setup_done: date | str | None = None,
    switch_date: date | str | None = None,
    notice_business_days: int = DEFAULT_NOTICE_BUSINESS_DAYS,
    cancellation_margin_days: int = DEFAULT_CANCELLATION_MARGIN_DAYS,
    closed_month_days: Iterable[tuple[int, int]] = PROVIDER.closed_month_days,
    agreed_switch: bool = False,
) -> Schedule:
    """Plan the migration from the application date and any dates already known.

    Dates may be :class:`datetime.date` objects or ISO strings (``"2026-12-21"``). Known dates must come in
    order (applied ≤ transfer done ≤ account information received ≤ set-up done ≤ switch). A requested
    ``switch_date`` must be a Monday–Thursday business day no earlier than the earliest possible switch; it
    is rejected with ``ChecklistError(field="switch_date")`` naming the reason and the nearest valid dates.
    With ``agreed_switch`` (a date already agreed with Net-com, as a checklist records it) a switch before the
    earliest possible one is planned as given, with a warning, instead of rejected.
    """
    closed = _closed(closed_month_days)
    _check_count(notice_business_days, "notice_business_days", 0, _MAX_NOTICE)
    _check_count(cancellation_margin_days, "cancellation_margin_days", DEFAULT_CANCELLATION_MARGIN_DAYS, 366)
    start = _as_date(applied, "applied")
    known: dict[str, date] = {"applied": start}
    for field, value in (
        ("transfer_done", transfer_done),
        ("account_info_received", account_info_received),
        ("customer_setup_done", customer_setup_done),
        ("switch_date", switch_date),
    ):
        if value is not None:
            known[field] = _as_date(value, field)
    for field, value in known.items():
        _check_range(value, field)
    _check_order(known)

    # The end of steps 3, 4 and 5 is what the checklist records as done (items 3, 4 and 5–7).
    known_end = {
        3: known.get("transfer_done"),
        4: known.get("account_info_received"),
        5: known.get("customer_setup_done"),
    }
    bounds = _forward(start, known_end, closed)
    earliest_request, latest_request = bounds[-1][2], bounds[-1][3]  # step 5's end: the day the customer can ask
    earliest_switch = _first_switch_on_or_after(_add_business(earliest_request, notice_business_days, closed), closed)
    latest_possible = _first_switch_on_or_after(_add_business(latest_request, notice_business_days, closed), closed)

    warnings: list[Text] = []
    requested = known.get("switch_date")
    if requested is not None:
        reasons = _reasons(requested, closed, None if agreed_switch else earliest_switch)
        if agreed_switch and requested < earliest_switch:
            warnings.append(_fmt(_WARN_AGREED_EARLY, switch=requested, earliest=earliest_switch))
        if reasons:
            raise _switch_error(requested, reasons, closed, earliest_switch)
        switch = requested
        if latest_possible > requested:
            warnings.append(_fmt(_WARN_REQUESTED_TIGHT, switch=requested, latest=latest_possible))
        latest_switch = max(requested, latest_possible)
    else:
        switch = earliest_switch
        latest_switch = latest_possible

    step7 = step_by_number(7)
    check_min = step7.duration.min_days or 7
    check_max = step7.duration.max_days or 14
    bounds.append((earliest_request, latest_request, switch, latest_switch))
    bounds.append(
        (switch, latest_switch, switch + timedelta(days=check_min), latest_switch + timedelta(days=check_max))
    )
    bounds = _clamp_backwards(bounds)

    fixed_ends = {**{k: v is not None for k, v in known_end.items()}, 6: requested is not None}
    stages = tuple(
        StagePlan(
            step=step.number,
            slug=step.slug,
            title=step.title,
            actor=step.actor,
            duration=step.duration.label,
            earliest_start=b[0],
            latest_start=b[1],
            earliest_end=b[2],
            latest_end=b[3],
            known=fixed_ends.get(step.number, False),
        )
        for step, b in zip(STEPS, bounds, strict=True)
    )
    return Schedule(
        applied=start,
        stages=stages,
        switch=switch,
        switch_requested=requested is not None,
        earliest_switch=earliest_switch,
        latest_switch=latest_switch,
        switch_request_by=_subtract_business(switch, notice_business_days, closed),
        double_check_start=switch,
        double_check_end_earliest=switch + timedelta(days=check_min),
        double_check_end_latest=switch + timedelta(days=check_max),
        old_account_removal=switch + timedelta(days=check_min),
        cancellation=switch + timedelta(days=cancellation_margin_days),
        notice_business_days=notice_business_days,
        cancellation_margin_days=cancellation_margin_days,
        closed_month_days=tuple(sorted(closed)),
        warnings=tuple(warnings),
    )


Bounds = tuple[date, date, date, date]  # earliest start, latest start, earliest end, latest end


def _stage_end(step: Step, begin: date, days: int | None, closed: frozenset[tuple[int, int]]) -> date:
    count = days or 0
    if step.duration.business_days:
        return _add_business(begin, count, closed)
    return begin + timedelta(days=count)


def _forward(start: date, known_end: dict[int, date | None], closed: frozenset[tuple[int, int]]) -> list[Bounds]:
    """Steps 1–5 with the seed's shortest and longest durations; a known end fixes that step's end."""
    bounds: list[Bounds] = []
    es = ls = start
    for step in (s for s in STEPS if s.number <= 5):
        if step.actor == "netcom":
            # Net-com starts its work on a business day.
            es, ls = _next_business_on_or_after(es, closed), _next_business_on_or_after(ls, closed)
        fixed = known_end.get(step.number)
        if fixed is not None:
            ee = le = fixed
        else:
            ee = _stage_end(step, es, step.duration.min_days, closed)
            le = _stage_end(step, ls, step.duration.max_days, closed)
        bounds.append((es, ls, ee, le))
        es, ls = ee, le
    return bounds


def _clamp_backwards(bounds: list[Bounds]) -> list[Bounds]:
    """A known end can come sooner than the seed's durations: pull earlier stages back so the order holds."""
    out = list(bounds)
    for i in range(len(out) - 1, -1, -1):
        es, ls, ee, le = out[i]
        if i + 1 < len(out):
            ee, le = min(ee, out[i + 1][0]), min(le, out[i + 1][1])
        out[i] = (min(es, ee), min(ls, le), ee, le)
    return out


def _check_order(known: dict[str, date]) -> None:
    order = ["applied", "transfer_done", "account_info_received", "customer_setup_done", "switch_date"]
    previous: str | None = None
    for field in order:
        if field not in known:
            continue
        if previous is not None and known[field] < known[previous]:
            label, prior = _FIELD_LABELS[field], _FIELD_LABELS[previous]
            raise ChecklistError(
                field,
                f"{label.ja}（{known[field].isoformat()}）が{prior.ja}（{known[previous].isoformat()}）より前になっています。",
                f"The {label.en} ({known[field].isoformat()}) is before the {prior.en} "
                f"({known[previous].isoformat()}).",
            )
        previous = field


def _switch_error(day: date, reasons: list[Text], closed: frozenset[tuple[int, int]], earliest: date) -> ChecklistError:
    before, after = _nearest(day, closed, earliest)
    ja = _SWITCH_REJECTED.ja.format(day=_day(day).ja, reasons="、".join(r.ja for r in reasons))
    en = _SWITCH_REJECTED.en.format(day=_day(day).en, reasons="; ".join(r.en for r in reasons))
    options_ja = [_NEAREST_BEFORE.ja.format(d=_day(before).ja)] if before else []
    options_en = [_NEAREST_BEFORE.en.format(d=_day(before).en)] if before else []
    if after is not None:
        options_ja.append(_NEAREST_AFTER.ja.format(d=_day(after).ja))
        options_en.append(_NEAREST_AFTER.en.format(d=_day(after).en))
    ja += _NEAREST.ja.format(dates="、".join(options_ja))
    en += " " + _NEAREST.en.format(dates=", ".join(options_en))
    return ChecklistError("switch_date", ja, en)


# ----- .ics -----


def to_ics(
    schedule: Schedule,
    *,
    lang: str,
    domain: str | None = None,
    uid_domain: str = "net-com.example",
    dtstamp: datetime,
) -> bytes:
    """The schedule as an iCalendar file of all-day events, summaries in ``lang`` (``"ja"`` or ``"en"``).

    UIDs are derived from the event kind, the application date and the domain, so exporting the same
    migration again updates the events instead of duplicating them. ``dtstamp`` (an aware datetime) is
    passed in because this module never reads the clock.
    """
    if lang not in LANGUAGES:
        raise ChecklistError("lang", "言語は ja または en を指定してください。", "The language must be ja or en.")
    if not isinstance(dtstamp, datetime) or dtstamp.tzinfo is None or dtstamp.utcoffset() is None:
        raise ChecklistError(
            "dtstamp",
            "作成日時はタイムゾーン付きの日時で指定してください。",
            "The time stamp must be a date and time with a time zone.",
        )
    # Imported here: the checklist page plans with this module but loads neither wheel (only the planner writes .ics).
    from icalendar import Calendar, Event

    ascii_domain, shown_domain = _domain_forms(domain, "domain") if domain is not None else (None, None)
    uid_host = _domain_forms(uid_domain, "uid_domain")[0]
    stamp = dtstamp.astimezone(UTC)

    cal = Calendar()
    cal.add("prodid", f"-//{PROVIDER.company_short}//Migration schedule//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = _ICS_NAME.get(lang) + (f" – {shown_domain}" if shown_domain else "")
    cal.add("x-wr-calname", name)

    def event(key: str, summary: Text, first: date, last: date, description: Text | None = None) -> None:
        ev = Event()
        suffix = f"-{ascii_domain}" if ascii_domain else ""
        ev.add("uid", f"{key}-{schedule.applied:%Y%m%d}{suffix}@{uid_host}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", first)
        ev.add("dtend", last + timedelta(days=1))  # DTEND of an all-day event is exclusive (RFC 5545)
        ev.add("summary", summary.get(lang) + (f" [{shown_domain}]" if shown_domain else ""))
        if description is not None:
            ev.add("description", description.get(lang))
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)

    for stage in schedule.stages[:5]:
        actor = ACTORS[stage.actor]
        if stage.known:
            desc = _fmt(_EVENT_STAGE_KNOWN, actor=actor, ee=stage.earliest_end)
        else:
            desc = _fmt(
                _EVENT_STAGE_DESC, actor=actor, duration=stage.duration, ee=stage.earliest_end, le=stage.latest_end
            )
        title = _fmt(_EVENT_STAGE, n=str(stage.step), title=stage.title)
        event(f"step-{stage.step}", title, stage.earliest_start, max(stage.latest_end, stage.earliest_start), desc)
    event(
        "switch-request",
        _EVENT_REQUEST,
        schedule.switch_request_by,
        schedule.switch_request_by,
        _fmt(_EVENT_REQUEST_DESC, switch=schedule.switch, n=str(schedule.notice_business_days)),
    )
    event("dns-switch", _EVENT_SWITCH, schedule.switch, schedule.switch, _EVENT_SWITCH_DESC)
    event(
        "double-check",
        _EVENT_CHECK,
        schedule.double_check_start,
        schedule.double_check_end_latest,
        _EVENT_CHECK_DESC,
    )
    event(
        "old-account-removal",
        _EVENT_REMOVAL,
        schedule.old_account_removal,
        schedule.old_account_removal,
        schedule.removal_note,
    )
    event(
        "cancellation",
        _EVENT_CANCEL,
        schedule.cancellation,
        schedule.cancellation,
        _fmt(_EVENT_CANCEL_DESC, switch=schedule.switch, days=str(schedule.cancellation_margin_days)),
    )
    ical: bytes = cal.to_ical()
    return ical


# ----- small helpers -----


def _as_date(value: object, field: str) -> date:
    # datetime is a subclass of date but compares with neither; a calendar plan wants plain days.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
    label = _FIELD_LABELS.get(field, Text("日付", "date"))
    raise ChecklistError(
        field,
        f"{label.ja}は YYYY-MM-DD 形式の日付で指定してください。",
        f"The {label.en} must be a date in the form YYYY-MM-DD.",
    )


def _check_count(value: object, field: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ChecklistError(
            field,
            f"{field} は {low} から {high} までの整数で指定してください。",
            f"{field} must be a whole number from {low} to {high}.",
        )


def _domain_forms(domain: str, field: str) -> tuple[str, str]:
    """ASCII (punycode) and display forms of a domain name."""
    import idna  # only the .ics export names a domain (the planner's page loads idna)

    try:
        if not isinstance(domain, str):
            raise TypeError
        name = domain.strip()
        name = name.removesuffix(".")
        ascii_name = idna.encode(name, uts46=True).decode("ascii")
        shown = idna.decode(ascii_name)
    except (idna.IDNAError, UnicodeError, TypeError, ValueError) as exc:
        raise ChecklistError(
            field,
            "ドメイン名が正しくありません（例: example.co.jp、日本語.jp）。",
            "The domain name is not valid (e.g. example.co.jp, 日本語.jp).",
        ) from exc
    return ascii_name, shown


def _holiday_en(name: str) -> str:
    if name.endswith(_SUBSTITUTE_SUFFIX):
        base = name.removesuffix(_SUBSTITUTE_SUFFIX)
        return f"substitute holiday for {_HOLIDAYS_EN.get(base, base)}"
    return _HOLIDAYS_EN.get(name, name)


def _day(day: date) -> Text:
    wd = _WEEKDAYS[day.weekday()]
    return Text(f"{day.isoformat()}（{wd.ja}）", f"{day.isoformat()} ({wd.en[:3]})")


def _fmt(template: Text, **values: object) -> Text:
    """Fill a bilingual template; dates become ``YYYY-MM-DD (weekday)`` and texts their own language."""

    def pick(lang: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in values.items():
            if isinstance(value, date):
                out[key] = _day(value).get(lang)
            elif isinstance(value, Text):
                out[key] = value.get(lang)
            else:
                out[key] = str(value)
        return out

    return Text(template.ja.format(**pick("ja")), template.en.format(**pick("en")))


def _text_dict(text: Text) -> dict[str, str]:
    return {"ja": text.ja, "en": text.en}
