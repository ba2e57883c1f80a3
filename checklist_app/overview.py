"""A reseller's desk: every checklist at a glance, each with its dated plan and the warnings that prevent mistakes.

One row per checklist (:func:`overview`): progress, the next action and who acts, the agreed DNS switch date, the
ご解約日 and the warnings. The plan comes from :func:`checklist_app.schedule.plan_schedule` — the same code as the
planner page and the CLI — fed with what the checklist records:

* the application date is the checklist's 申込日 (row 1), else row 1's ご対応完了日;
* rows 3 and 4 done give the transfer and server dates, rows 5–7 all done give the end of the customer's set-up;
* the agreed DNS 切り替え日 (row 8) is the planned switch; without one the plan shows the earliest possible switch,
  always labelled as an estimate, never as the switch date.

Warnings (:data:`WARNING_CODES`) are raised only from facts the customer entered and the day given by the caller
(the user's own calendar day; nothing here reads a clock). A rule that needs a date nobody entered stays silent.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .errors import ChecklistError
from .progress import ITEM_COUNT, Migration, Workspace
from .provider import PROVIDER
from .schedule import (
    DEFAULT_CANCELLATION_MARGIN_DAYS,
    DEFAULT_NOTICE_BUSINESS_DAYS,
    Schedule,
    plan_schedule,
    subtract_business_days,
    validate_switch_date,
)
from .steps import ITEMS, STEPS, Actor, item_by_number
from .text import LANGUAGES, Text

__all__ = [
    "CSV_COLUMNS",
    "PROPAGATION_DAYS",
    "SORT_KEYS",
    "WARNING_CODES",
    "Expected",
    "Row",
    "Warning",
    "expected_dates",
    "overview",
    "plan_of",
    "row_of",
    "rows_data",
    "sort_rows",
    "to_csv",
    "to_ics",
    "warnings_of",
]

# The PDF: プロパゲーション期間は通常 24～48 時間程度と言われておりますが、1 週間程度かかる場合もございます.
# Row 12 before a week has passed since the switch (and before the ご解約日) is too early. The planner's earliest
# day to remove the old account is the same week (schedule: switch + step 7's shortest duration).
PROPAGATION_DAYS = 7
SORT_KEYS = ("switch", "progress")
WARNING_CODES = ("cancellation_early", "switch_day", "notice_late", "retired_early", "hosts_left")


@dataclass(frozen=True, slots=True)
class Warning:
    """One warning on a row: a code (:data:`WARNING_CODES`), the text and the page that explains it."""

    code: str
    text: Text
    url: str  # site-relative, e.g. "steps/1-application/#cancel-current-host"


@dataclass(frozen=True, slots=True)
class Expected:
    """When an item is expected: ``kind`` is ``on`` (one day), ``range``, ``by`` (at the latest) or ``after``."""

    kind: str
    first: date
    last: date

    def text(self, lang: str) -> str:
        first, last = self.first.isoformat(), self.last.isoformat()
        if self.kind == "on" or (self.kind == "range" and first == last):
            return _W["expected_on"].get(lang).format(d=first)
        if self.kind == "range":
            return _W["expected_range"].get(lang).format(a=first, b=last)
        if self.kind == "by":
            return _W["expected_by"].get(lang).format(d=first)
        return _W["expected_after"].get(lang).format(d=first)


@dataclass(frozen=True, slots=True)
class Row:
    """One checklist in the overview."""

    migration: Migration
    done: int
    next_item: int | None
    next_actor: Actor | None
    applied: date | None
    switch: date | None  # the agreed DNS switch date (row 8), None when not agreed yet
    switch_estimate: date | None  # the earliest possible switch from the plan, when none is agreed nor done
    switched_on: date | None  # row 9 done: the day the DNS was switched
    notice_by: date | None  # the last day to tell Net-com the agreed switch date
    cancellation: date | None
    warnings: tuple[Warning, ...]
    plan: Schedule | None

    @property
    def attention(self) -> bool:
        """要対応: the customer's move is next, or a warning stands."""
        return self.next_actor == "customer" or bool(self.warnings)


_W: dict[str, Text] = {
    "expected_on": Text("目安 {d}", "Expected {d}"),
    "expected_range": Text("目安 {a}～{b}", "Expected {a} – {b}"),
    "expected_by": Text("目安 {d} まで", "Expected by {d}"),
    "expected_after": Text("目安 {d} 以降", "Expected on or after {d}"),
    "estimate": Text("未定（最短 {d} の目安）", "Not agreed (earliest {d}, estimate)"),
    "undecided": Text("未定", "Not agreed"),
    "switched": Text("{d}（切り替え済み）", "{d} (switched)"),
    "no_domain": Text("ドメイン未入力", "No domain yet"),
    "all_done": Text("すべて完了", "All done"),
    "next": Text("{n}. {title}", "{n}. {title}"),
    "cancellation_early": Text(
        "ご解約日 {cancel} が DNS 切り替え日 {switch} から 2 週間未満です。解約日は切り替え予定日から 2 週間以上の"
        "余裕をお勧めしています（{safe} 以降）。",
        "The cancellation date {cancel} is less than 2 weeks after the DNS switch on {switch}. We recommend at "
        "least 2 weeks after the planned switch ({safe} or later).",
    ),
    "switch_day": Text(
        "DNS 切り替え日 {switch} は指定できない日です: {reasons}。切り替えは平日(月～木)営業時間内です。",
        "The DNS switch date {switch} cannot be used: {reasons}. Switches are done Monday to Thursday within "
        "business hours.",
    ),
    "notice_late": Text(
        "DNS 切り替え日 {switch} のご連絡期限（{by}、{n} 営業日前）を過ぎています。弊社へご連絡のうえ、日程をご相談"
        "ください。",
        "The last day to tell us the DNS switch date {switch} ({by}, {n} business days before) has passed. "
        "Please contact us to agree on the date.",
    ),
    "retired_early": Text(
        "No.12（旧メールサーバ用アカウントの無効化）が、プロパゲーション期間が終わりうる日より前に完了になって"
        "います{why}。旧サーバにメールが届かなくなったことを確認してから無効化してください。",
        "Item 12 (retiring the old mail account) is ticked before the propagation period can have ended{why}. "
        "Retire it only once no more mail reaches the old server.",
    ),
    "retired_no_switch": Text(
        "（DNS 切り替え（No.9）がまだ完了していません）", " (the DNS switch, item 9, is not done yet)"
    ),
    "retired_week": Text(
        "（切り替え {switch} から 1 週間は {until} まで）", " (a week after the switch on {switch} lasts until {until})"
    ),
    "hosts_left": Text(
        "DNS 切り替え後です。動作確認のために hosts ファイルに書いた行があれば、削除してください。",
        "The DNS has been switched. If you added lines to the hosts file to test, delete them now.",
    ),
}

# Who acts next, as the overview's narrow column says it (steps.ACTORS is the long form).
_ACTOR_SHORT: dict[str, Text] = {"customer": Text("お客様", "Customer"), "netcom": Text("弊社", "Net-com")}

# Where each warning is explained.
_URLS: dict[str, str] = {
    "cancellation_early": f"{STEPS[0].path}#{item_by_number(2).anchor}",
    "switch_day": f"{STEPS[5].path}#{item_by_number(8).anchor}",
    "notice_late": f"{STEPS[5].path}#{item_by_number(8).anchor}",
    "retired_early": f"{STEPS[6].path}#{item_by_number(12).anchor}",
    "hosts_left": "manuals/hosts/#remove",
}

CSV_COLUMNS: dict[str, Text] = {
    "domain": Text("ドメイン名", "Domain"),
    "label": Text("表示名", "Display name"),
    "done": Text("完了数", "Done"),
    "total": Text("項目数", "Items"),
    "next": Text("次の作業", "Next action"),
    "actor": Text("対応する側", "Who acts"),
    "application_date": Text("申込日", "Application date"),
    "switch_date": Text("DNS 切り替え日", "DNS switch date"),
    "switch_estimate": Text("最短の切り替え日（目安）", "Earliest switch (estimate)"),
    "switched_on": Text("DNS 切り替え完了日", "DNS switched on"),
    "notice_by": Text("切り替え日のご連絡期限", "Tell us the switch date by"),
    "cancellation_date": Text("ご解約日", "Cancellation date"),
    "warnings": Text("注意", "Warnings"),
}

_ICS_EVENTS: dict[str, Text] = {
    "switch": Text("DNS 切り替え日", "DNS switch day"),
    "notice": Text("「DNS 切り替え日」のご連絡期限", "Last day to tell Net-com the DNS switch date"),
    "cancellation": Text("現ホスティング業者のご解約日", "Old hosting contract ends"),
}
_ICS_NAME = Text("移行の予定（全ドメイン）", "Migration dates (all domains)")
# The warnings a calendar event carries (marked in its title, said in its description): those about its own date.
_ICS_WARNINGS: dict[str, tuple[str, ...]] = {
    "notice": ("notice_late",),
    "switch": ("switch_day", "cancellation_early"),
    "cancellation": ("cancellation_early",),
}
_ICS_CHECK = Text("要確認", "Check")


def _day(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _setup_done(migration: Migration) -> date | None:
    """The end of the customer's set-up: rows 5–7 all done, on the last of their dates."""
    states = [migration.item(n) for n in (5, 6, 7)]
    if not all(s.done and s.completed_on is not None for s in states):
        return None
    return max(s.completed_on for s in states if s.completed_on is not None)


def _done_on(migration: Migration, number: int) -> date | None:
    state = migration.item(number)
    return state.completed_on if state.done else None


def applied_of(migration: Migration) -> date | None:
    """The 申込日, else row 1's ご対応完了日 (the day the application went out)."""
    return migration.application_date or migration.item(1).completed_on


def _valid_switch(day: date | None) -> bool:
    return day is not None and not validate_switch_date(day)


def plan_of(migration: Migration) -> Schedule | None:
    """The plan from what the checklist records; ``None`` until an application date is known.

    Recorded dates out of order (a typo) are left out of the plan rather than refusing it; an agreed switch date
    that cannot be a switch day is left out too (the row's ``switch_day`` warning says why).
    """
    applied = applied_of(migration)
    if applied is None:
        return None
    switch = migration.switch_date if _valid_switch(migration.switch_date) else None
    known = (_done_on(migration, 3), _done_on(migration, 4), _setup_done(migration))
    for transfer, account, setup in (known, (None, None, None)):
        try:
            return plan_schedule(
                applied,
                transfer_done=transfer,
                account_info_received=account,
                customer_setup_done=setup,
                switch_date=switch,
                agreed_switch=True,
            )
        except ChecklistError:
            continue
    try:
        return plan_schedule(applied)
    except ChecklistError:
        return None


def _switched_on(migration: Migration) -> date | None:
    """The day the DNS was switched: row 9's date when done, else the agreed date."""
    return _done_on(migration, 9) or migration.switch_date


def warnings_of(migration: Migration, today: date | None) -> tuple[Warning, ...]:
    """Every warning whose rule holds for ``migration`` on ``today`` (``None``: the rules needing today are off)."""
    out: list[Warning] = []

    def warn(code: str, **values: object) -> None:
        template = _W[code]
        text = Text(template.ja.format(**_pick(values, "ja")), template.en.format(**_pick(values, "en")))
        out.append(Warning(code, text, _URLS[code]))

    switch = migration.switch_date
    cancel = migration.cancellation_date
    switched = _switched_on(migration)
    if cancel is not None and switched is not None:
        safe = switched + timedelta(days=DEFAULT_CANCELLATION_MARGIN_DAYS)
        if cancel < safe:
            warn("cancellation_early", cancel=cancel, switch=switched, safe=safe)
    if switch is not None:
        reasons = validate_switch_date(switch)
        if reasons:
            warn(
                "switch_day",
                switch=switch,
                reasons=Text("、".join(r.ja for r in reasons), "; ".join(r.en for r in reasons)),
            )
        elif today is not None and not migration.item(8).done and not migration.item(9).done:
            by = subtract_business_days(switch, DEFAULT_NOTICE_BUSINESS_DAYS)
            if today > by:
                warn("notice_late", switch=switch, by=by, n=DEFAULT_NOTICE_BUSINESS_DAYS)
    retire = migration.item(12)
    if retire.done:
        day = retire.completed_on or today
        after_cancel = cancel is not None and day is not None and day >= cancel
        done9 = _done_on(migration, 9)
        if not after_cancel and day is not None:
            if not migration.item(9).done:
                warn("retired_early", why=_W["retired_no_switch"])
            elif done9 is not None and day < done9 + timedelta(days=PROPAGATION_DAYS):
                until = done9 + timedelta(days=PROPAGATION_DAYS - 1)
                warn("retired_early", why=_fmt(_W["retired_week"], switch=done9, until=until))
    switched_by_today = migration.item(9).done or (switch is not None and today is not None and today >= switch)
    if migration.item(11).done and switched_by_today and not all(s.done for s in migration.items):
        warn("hosts_left")
    return tuple(out)


def row_of(migration: Migration, today: date | None) -> Row:
    summary = migration.summary()
    nxt = summary.next_action
    plan = plan_of(migration)
    agreed = migration.switch_date
    switched_on = _done_on(migration, 9)
    estimate = plan.switch if plan is not None and agreed is None and switched_on is None else None
    if estimate is not None and today is not None and estimate < today:
        estimate = None  # an earliest date already past says nothing: the plan needs the dates recorded since
    notice_by = None
    if agreed is not None and _valid_switch(agreed):  # an impossible day has no deadline (its warning says why)
        notice_by = subtract_business_days(agreed, DEFAULT_NOTICE_BUSINESS_DAYS)
    return Row(
        migration=migration,
        done=summary.done,
        next_item=None if nxt is None else nxt.item,
        next_actor=None if nxt is None else nxt.actor,
        applied=applied_of(migration),
        switch=agreed,
        switch_estimate=estimate,
        switched_on=switched_on,
        notice_by=notice_by,
        cancellation=migration.cancellation_date,
        warnings=warnings_of(migration, today),
        plan=plan,
    )


def overview(workspace: Workspace, today: date | None) -> tuple[Row, ...]:
    """One row per checklist, in the workspace's order."""
    return tuple(row_of(m, today) for m in workspace.migrations)


def sort_rows(rows: Sequence[Row], key: str) -> list[Row]:
    """``switch``: soonest switch first (the day it was done, else the agreed date, else the estimate; rows with
    none of them last);
    ``progress``: fewest done first. Ties keep the workspace's order."""
    if key == "switch":
        far = date.max
        return sorted(rows, key=lambda r: r.switched_on or r.switch or r.switch_estimate or far)
    if key == "progress":
        return sorted(rows, key=lambda r: r.done)
    raise ValueError(key)


def expected_dates(migration: Migration, plan: Schedule | None = None) -> dict[int, Expected]:
    """When each row not done yet is expected, from the plan (empty without one)."""
    plan = plan if plan is not None else plan_of(migration)
    if plan is None:
        return {}
    out: dict[int, Expected] = {}
    for item in ITEMS:
        if migration.item(item.number).done:
            continue
        if item.number == 1:
            out[1] = Expected("on", plan.applied, plan.applied)
        elif item.number == 8:
            out[8] = Expected("by", plan.switch_request_by, plan.switch_request_by)
        elif item.number == 9:
            last = plan.switch if plan.switch_requested else plan.latest_switch
            out[9] = Expected("range", plan.switch, last)
        elif item.number in (10, 11):
            out[item.number] = Expected("after", plan.switch, plan.switch)
        elif item.number == 12:
            out[12] = Expected("after", plan.old_account_removal, plan.old_account_removal)
        else:
            stage = plan.stage(item.step)
            out[item.number] = Expected("range", stage.earliest_end, stage.latest_end)
    return out


def _name(row: Row, lang: str) -> str:
    return row.migration.domain or _W["no_domain"].get(lang)


def _next_text(row: Row, lang: str) -> str:
    if row.next_item is None:
        return _W["all_done"].get(lang)
    item = item_by_number(row.next_item)
    return _W["next"].get(lang).format(n=item.number, title=item.title.get(lang))


def _iso(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def rows_data(rows: Iterable[Row], lang: str) -> list[dict[str, Any]]:
    """The rows as the page paints them and ``--json`` prints them (texts in ``lang``, dates as YYYY-MM-DD)."""
    out = []
    for row in rows:
        m = row.migration
        if row.switched_on is not None:
            switch_text = _W["switched"].get(lang).format(d=row.switched_on.isoformat())
        elif row.switch is not None:
            switch_text = row.switch.isoformat()
        elif row.switch_estimate is not None:
            switch_text = _W["estimate"].get(lang).format(d=row.switch_estimate.isoformat())
        else:
            switch_text = _W["undecided"].get(lang)
        out.append(
            {
                "id": m.id,
                "domain": _name(row, lang),
                "label": m.label,
                "done": row.done,
                "total": ITEM_COUNT,
                "progress": f"{row.done} / {ITEM_COUNT}",
                "next": _next_text(row, lang),
                "next_item": row.next_item,
                "actor": row.next_actor,
                "actor_text": "" if row.next_actor is None else _ACTOR_SHORT[row.next_actor].get(lang),
                "application_date": _iso(row.applied),
                "switch_date": _iso(row.switch),
                "switch_estimate": _iso(row.switch_estimate),
                "switched_on": _iso(row.switched_on),
                "switch_text": switch_text,
                "notice_by": _iso(row.notice_by),
                "cancellation_date": _iso(row.cancellation),
                "warnings": [{"code": w.code, "text": w.text.get(lang), "url": w.url} for w in row.warnings],
                "attention": row.attention,
            }
        )
    return out


def to_csv(rows: Iterable[Row], lang: str) -> bytes:
    """The overview for Excel: UTF-8 with a BOM (Japanese Excel reads it), CRLF lines, one row per domain."""
    _check_lang(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title.get(lang) for title in CSV_COLUMNS.values()])
    for data in rows_data(rows, lang):
        values = {**data, "next": data["next"], "actor": data["actor_text"]}
        values["warnings"] = " / ".join(w["text"] for w in data["warnings"])
        writer.writerow([_cell(values[name]) for name in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value: object) -> str:
    # A cell Excel would read as a formula (=, +, -, @ first) is written as text.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_ics(rows: Iterable[Row], lang: str, *, dtstamp: datetime, uid_domain: str = "net-com.example") -> bytes:
    """One calendar with every domain's agreed switch date, notice deadline and ご解約日 (all-day events).

    A UID is the event kind and the checklist's id (which never changes, even when its domain is corrected), so
    importing a later export updates the events instead of adding copies (a changed date moves its event). Rows
    without an agreed date add nothing for it. An event whose date has a warning (a switch day the company cannot
    do, a ご解約日 too early, a notice deadline passed) is marked 要確認 / Check in its title and says the warning in
    its description: the calendar never shows such a date as settled.
    Written here (RFC 5545: escaped texts, lines folded at 75 octets, CRLF) rather than with icalendar, which the
    checklist page does not load; the tests read it back with icalendar.
    """
    _check_lang(lang)
    if not isinstance(dtstamp, datetime) or dtstamp.tzinfo is None:
        raise ChecklistError(
            "dtstamp", "作成日時はタイムゾーン付きで指定してください。", "The time stamp needs a time zone."
        )
    stamp = dtstamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_ics_text(PROVIDER.company_short)}//Migration overview//{lang.upper()}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(_ICS_NAME.get(lang))}",
    ]
    for row in rows:
        m = row.migration
        name = _name(row, lang) + (f" – {m.label}" if m.label else "")
        for kind, day in (("notice", row.notice_by), ("switch", row.switch), ("cancellation", row.cancellation)):
            if day is None:
                continue
            warned = [w.text.get(lang) for w in row.warnings if w.code in _ICS_WARNINGS[kind]]
            check = f"{_ICS_CHECK.get(lang)}: " if warned else ""
            lines += [
                "BEGIN:VEVENT",
                f"UID:overview-{kind}-{m.id}@{uid_domain}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
                f"SUMMARY:{_ics_text(f'{check}{_ICS_EVENTS[kind].get(lang)} [{name}]')}",
                *([f"DESCRIPTION:{_ics_text(chr(10).join(warned))}"] if warned else []),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _ics_text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and line breaks escaped."""
    out = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space, never inside a character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ChecklistError("lang", "言語は ja または en を指定してください。", "The language must be ja or en.")


def _pick(values: dict[str, object], lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, Text):
            out[key] = value.get(lang)
        else:
            out[key] = str(value)
    return out


def _fmt(template: Text, **values: object) -> Text:
    return Text(template.ja.format(**_pick(values, "ja")), template.en.format(**_pick(values, "en")))
