"""The checklist state: several migrations side by side (one per domain), their items and statuses.

Everything here is an immutable value; every change returns a new value. Nothing reads a clock:
the caller passes ``today`` (a ``date``) and ``now`` (an ISO 8601 timestamp string).

Rules (documented for customers and staff in ``STORAGE_FORMAT.md``):

* Ticking an item sets its completion date to ``today`` unless a date is already there (a date the
  customer typed is never overwritten).
* Unticking keeps the date and the note: nothing the customer entered is thrown away silently, and
  ticking again brings the same date back. ``clear_item`` empties an item on purpose.
* Ticking is never refused because a prerequisite is open: the customer may know better than the
  checklist (Net-com may have finished before the customer ticked their own row).
* Status of an item, first rule that applies: ``done`` when ticked; ``cannot_start_yet`` when a
  prerequisite (``steps.ITEMS[].requires``) is not ticked; ``in_progress`` when it has a date or a
  note (item 2 also: a cancellation date); otherwise ``not_started``. Being the next action does not
  make an item "in progress" — the summary names the next action separately (GOV.UK task list).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

from .errors import ChecklistError
from .steps import ITEMS, Actor, ChecklistItem, item_by_number, step_by_number
from .text import Text

__all__ = [
    "DOMAIN_MAX_LENGTH",
    "EARLIEST_DATE",
    "EMPTY_ITEM",
    "EXTRA_DATES",
    "ID_PREFIX",
    "ITEM_COUNT",
    "ITEM_STATUSES",
    "LABEL_MAX_LENGTH",
    "LATEST_DATE",
    "MAX_SERIAL",
    "NOTE_MAX_LENGTH",
    "STATUS_LABELS",
    "DeletedMigration",
    "ItemState",
    "ItemStatus",
    "Migration",
    "NextAction",
    "Summary",
    "Workspace",
    "clean_text",
    "domain_key",
    "parse_date",
    "validate_domain",
    "validate_label",
    "validate_migration_id",
    "validate_note",
    "validate_timestamp",
]

ItemStatus = Literal["not_started", "in_progress", "done", "cannot_start_yet"]
ITEM_STATUSES: tuple[ItemStatus, ...] = ("not_started", "in_progress", "done", "cannot_start_yet")

# GOV.UK task-list wording, in the customer's words.
STATUS_LABELS: dict[ItemStatus, Text] = {
    "not_started": Text(ja="未着手", en="Not started"),
    "in_progress": Text(ja="対応中", en="In progress"),
    "done": Text(ja="完了", en="Completed"),
    "cannot_start_yet": Text(ja="まだ開始できません", en="Cannot start yet"),
}

ITEM_COUNT = len(ITEMS)
# The checklist-wide dates a migration keeps beside its rows, each shown in the row that asks for it.
EXTRA_DATES = ("application_date", "cancellation_date", "switch_date")
NOTE_MAX_LENGTH = 1000
MAX_SERIAL = 10**12  # keeps every generated id ("m-" + digits) well inside the 40-character limit
LABEL_MAX_LENGTH = 100
DOMAIN_MAX_LENGTH = 253  # the DNS limit for a name; an IDN in Unicode is never longer than its punycode
# Dates outside this range are typing mistakes (a migration is planned within months), not data.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)

_ISO_DATE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
_MIGRATION_ID = re.compile(r"\A[A-Za-z0-9_-]{1,40}\Z")
_URL_CHARS = frozenset("/\\:@#?")
_JOINERS = frozenset("\u200c\u200d")  # ZWNJ/ZWJ are legitimate inside some IDN labels
_NOTE_CONTROLS_ALLOWED = frozenset("\n\t")
ID_PREFIX = "m-"  # generated ids: "m-1", "m-2" …
NO_DOMAIN_YET = Text(ja="ドメイン未入力", en="No domain yet")

# Message templates: the Japanese and English sentences live here, the logic only fills them in.
_MESSAGES: dict[str, Text] = {
    "domain_type": Text(ja="ドメイン名を文字で入力してください。", en="Enter the domain name as text."),
    "domain_empty": Text(ja="ドメイン名を入力してください。", en="Enter the domain name."),
    "domain_long": Text(
        ja="ドメイン名が長すぎます({limit} 文字まで)。",
        en="The domain name is too long (at most {limit} characters).",
    ),
    "domain_space": Text(
        ja="ドメイン名に空白は使えません。",
        en="A domain name cannot contain spaces.",
    ),
    "domain_control": Text(
        ja="ドメイン名に使えない文字(制御文字など)が含まれています。",
        en="The domain name contains a character that cannot be used (a control character or similar).",
    ),
    "domain_url": Text(
        ja="ドメイン名だけを入力してください(例: example.co.jp)。URL やメールアドレスは使えません。",
        en="Enter only the domain name (e.g. example.co.jp), not a URL or an e-mail address.",
    ),
    "domain_taken": Text(
        ja="{domain} のチェックリストはすでにあります。",
        en="There is already a checklist for {domain}.",
    ),
    "label_type": Text(ja="表示名を文字で入力してください。", en="Enter the display name as text."),
    "label_long": Text(
        ja="表示名が長すぎます({limit} 文字まで)。",
        en="The display name is too long (at most {limit} characters).",
    ),
    "label_control": Text(
        ja="表示名に使えない文字(制御文字など)が含まれています。",
        en="The display name contains a character that cannot be used (a control character or similar).",
    ),
    "label_space": Text(
        ja="表示名の前後に空白は置けません。",
        en="A display name cannot start or end with spaces.",
    ),
    "done_type": Text(ja="完了かどうかは true か false で指定します。", en="Done is either true or false."),
    "note_type": Text(ja="メモを文字で入力してください。", en="Enter the note as text."),
    "note_long": Text(
        ja="メモが長すぎます({limit} 文字まで、現在 {length} 文字)。",
        en="The note is too long (at most {limit} characters, now {length}).",
    ),
    "note_control": Text(
        ja="メモに使えない文字(制御文字など)が含まれています。",
        en="The note contains a character that cannot be used (a control character or similar).",
    ),
    "date_type": Text(
        ja="日付は YYYY-MM-DD の形で入力してください(例: 2026-12-01)。",
        en="Enter the date as YYYY-MM-DD (e.g. 2026-12-01).",
    ),
    "date_invalid": Text(
        ja="{value} という日付はありません。",
        en="There is no such date as {value}.",
    ),
    "date_range": Text(
        ja="日付は {earliest} から {latest} までの間で入力してください。",
        en="Enter a date between {earliest} and {latest}.",
    ),
    "now_invalid": Text(
        ja="日時は ISO 8601 の形で渡してください(例: 2026-12-01T09:30:00+09:00)。",
        en="Pass the timestamp in ISO 8601 form (e.g. 2026-12-01T09:30:00+09:00).",
    ),
    "item_unknown": Text(
        ja="チェック項目の番号は 1 から {count} までです。",
        en="Checklist items are numbered 1 to {count}.",
    ),
    "items_count": Text(
        ja="チェック項目は {count} 件ちょうどが必要です。",
        en="A checklist has exactly {count} items.",
    ),
    "id_invalid": Text(
        ja="移行の ID は半角英数字・「-」・「_」で 40 文字までです。",
        en="A migration id is 1 to 40 ASCII letters, digits, '-' or '_'.",
    ),
    "id_duplicate": Text(
        ja="移行の ID {id} が重複しています。",
        en="The migration id {id} is used twice.",
    ),
    "migration_unknown": Text(
        ja="指定の移行({id})が見つかりません。",
        en="There is no migration with the id {id}.",
    ),
    "serial_invalid": Text(
        ja="次の ID 番号は 1 以上 {limit} 以下の整数です。",
        en="The next id number is a whole number from 1 to {limit}.",
    ),
    "summary": Text(ja="{done} / {total} 完了", en="{done} of {total} completed"),
}


def _message(key: str, /, **values: object) -> Text:
    template = _MESSAGES[key]
    return Text(ja=template.ja.format(**values), en=template.en.format(**values))


def _error(field_name: str, key: str, **values: object) -> ChecklistError:
    text = _message(key, **values)
    return ChecklistError(field_name, text.ja, text.en)


def _is_control(char: str) -> bool:
    # Cc: C0/C1 controls; Cf: invisible format characters such as U+202E that can disguise text
    # (ZWNJ/ZWJ excepted: some IDN labels and emoji need them); Cs: lone surrogates from a broken
    # paste in the browser, which cannot be written as UTF-8.
    category = unicodedata.category(char)
    return category in ("Cc", "Cs") or (category == "Cf" and char not in _JOINERS)


def _has_control(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    # Fast path: str.isprintable() is false for every character _is_control rejects (and for some it
    # accepts, such as U+3000), so only text that fails it needs the character-by-character look.
    probe = text.replace("\n", "").replace("\t", "") if allowed else text
    if probe.isprintable():
        return False
    return any(_is_control(char) and char not in allowed for char in text)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` without the characters the validators reject (line breaks and tabs kept when ``multiline``)."""
    allowed = _NOTE_CONTROLS_ALLOWED if multiline else frozenset()
    return "".join(char for char in text if char in allowed or not _is_control(char))


def validate_domain(value: object) -> str:
    """Return the domain as the customer typed it (surrounding spaces removed), or raise ``ChecklistError``.

    Japanese IDN domains are accepted as text; converting to punycode is the job of :mod:`hosts`.
    """
    if not isinstance(value, str):
        raise _error("domain", "domain_type")
    domain = value.strip()
    if not domain:
        raise _error("domain", "domain_empty")
    if len(domain) > DOMAIN_MAX_LENGTH:
        raise _error("domain", "domain_long", limit=DOMAIN_MAX_LENGTH)
    if any(char.isspace() for char in domain):
        raise _error("domain", "domain_space")
    if _has_control(domain):
        raise _error("domain", "domain_control")
    if any(char in _URL_CHARS for char in domain):
        raise _error("domain", "domain_url")
    return domain


def domain_key(domain: str) -> str:
    """The form two domains are compared in: ``Example.JP.`` and ``ｅｘａｍｐｌｅ．ｊｐ`` are the same domain."""
    # NFKC folds full-width letters and the full-width full stop; the ideographic full stops are the
    # other dots UTS 46 accepts as label separators.
    folded = unicodedata.normalize("NFKC", domain.strip()).replace("\u3002", ".").replace("\uff61", ".")
    return folded.rstrip(".").casefold()


def validate_label(value: object) -> str:
    """Return the display name of a migration (may be empty), or raise ``ChecklistError``."""
    if not isinstance(value, str):
        raise _error("label", "label_type")
    label = value.strip()
    if len(label) > LABEL_MAX_LENGTH:
        raise _error("label", "label_long", limit=LABEL_MAX_LENGTH)
    if _has_control(label):
        raise _error("label", "label_control")
    return label


def validate_note(value: object) -> str:
    """Return a note (line breaks normalised to ``\\n``), or raise ``ChecklistError``."""
    if not isinstance(value, str):
        raise _error("note", "note_type")
    note = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(note) > NOTE_MAX_LENGTH:
        raise _error("note", "note_long", limit=NOTE_MAX_LENGTH, length=len(note))
    if _has_control(note, _NOTE_CONTROLS_ALLOWED):
        raise _error("note", "note_control")
    return note


def parse_date(value: object, field_name: str = "date") -> date | None:
    """Read a date from a ``date`` or an ISO ``YYYY-MM-DD`` string; ``None`` or ``""`` means no date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.match(text):
            raise _error(field_name, "date_type")
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise _error(field_name, "date_invalid", value=text) from None
    else:
        raise _error(field_name, "date_type")
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise _error(field_name, "date_range", earliest=EARLIEST_DATE.isoformat(), latest=LATEST_DATE.isoformat())
    return parsed


def _check_date_value(value: object, field_name: str) -> None:
    """A stored date field holds a ``date`` (not a ``datetime``, not a string) or ``None``."""
    if value is None:
        return
    if not isinstance(value, date) or isinstance(value, datetime):
        raise _error(field_name, "date_type")
    parse_date(value, field_name)


def validate_timestamp(value: object, field_name: str = "now") -> str:
    """Return an ISO 8601 timestamp string unchanged after checking it parses; ``""`` means unknown."""
    if value == "":
        return ""
    if not isinstance(value, str) or not value.isascii():
        raise _error(field_name, "now_invalid")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise _error(field_name, "now_invalid") from None
    return value


def validate_migration_id(value: object) -> str:
    """Return a migration id (ASCII, usable in HTML ids and JSON keys), or raise ``ChecklistError``."""
    if not isinstance(value, str) or not _MIGRATION_ID.match(value):
        raise _error("migration", "id_invalid")
    return value


def _check_item_number(number: object) -> int:
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= ITEM_COUNT:
        raise _error("item", "item_unknown", count=ITEM_COUNT)
    return number


@dataclass(frozen=True, slots=True)
class ItemState:
    """What the customer recorded for one checklist row: ticked, ご対応完了日, a note."""

    done: bool = False
    completed_on: date | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.done, bool):
            raise _error("done", "done_type")
        _check_date_value(self.completed_on, "date")
        if validate_note(self.note) != self.note:  # only "\n" line breaks, so the stored text round-trips
            raise _error("note", "note_control")

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is recorded for the row."""
        return not self.done and self.completed_on is None and not self.note

    def includes(self, other: ItemState) -> bool:
        """True when this row holds everything ``other`` holds (used to merge imports without loss)."""
        return (
            (self.done or not other.done)
            and (other.completed_on is None or other.completed_on == self.completed_on)
            and (not other.note or other.note == self.note)
        )


EMPTY_ITEM = ItemState()
_EMPTY_ITEMS: tuple[ItemState, ...] = (EMPTY_ITEM,) * ITEM_COUNT


@dataclass(frozen=True, slots=True)
class NextAction:
    """The first open checklist item whose prerequisites are all done, and where to read about it."""

    item: int
    step: int
    path: str  # site-relative URL of the step page, e.g. "steps/1-application/"
    anchor: str  # id of the item's section on that page
    actor: Actor
    title: Text

    @property
    def url(self) -> str:
        """Site-relative link to the item's section, e.g. ``steps/1-application/#application-documents``."""
        return f"{self.path}#{self.anchor}"

    @property
    def row_id(self) -> str:
        """Id of the item's row on /checklist/, e.g. ``item-3``."""
        return f"item-{self.item}"


@dataclass(frozen=True, slots=True)
class Summary:
    """Progress of one migration at a glance."""

    done: int
    total: int
    statuses: tuple[ItemStatus, ...]  # statuses[n - 1] is the status of item n
    next_action: NextAction | None  # None when every item is done
    customer_items: tuple[int, ...]  # rows the customer (reseller) does
    netcom_items: tuple[int, ...]  # rows Net-com does (弊社)
    waiting_on_netcom: tuple[int, ...]  # Net-com rows that can start and are not done yet

    @property
    def text(self) -> Text:
        """``"n / 12 完了"`` / ``"n of 12 completed"``."""
        return _message("summary", done=self.done, total=self.total)

    @property
    def complete(self) -> bool:
        """True when every item is done."""
        return self.done == self.total

    def status_label(self, number: int) -> Text:
        """The badge text of item ``number``."""
        return STATUS_LABELS[self.statuses[_check_item_number(number) - 1]]


@dataclass(frozen=True, slots=True)
class Migration:
    """One domain's move to Net-com: the 12 rows and item 2's ご解約日.

    ``items[n - 1]`` is the state of item ``n``. ``created``/``updated`` are ISO timestamps given by
    the caller (``""`` when unknown, e.g. after reading the old storage format).
    """

    id: str
    domain: str
    label: str = ""
    items: tuple[ItemState, ...] = _EMPTY_ITEMS
    cancellation_date: date | None = None
    created: str = ""
    updated: str = ""
    # The plan (checklist_app.overview): the 申込日 (row 1) and the agreed DNS 切り替え日 (row 8).
    application_date: date | None = None
    switch_date: date | None = None

    def __post_init__(self) -> None:
        validate_migration_id(self.id)
        # "" is a checklist started before its domain was typed (ticked at once on a fresh page; journal.py).
        if self.domain != "" and validate_domain(self.domain) != self.domain:
            raise _error("domain", "domain_space")
        if validate_label(self.label) != self.label:
            raise _error("label", "label_space")
        if len(self.items) != ITEM_COUNT or not all(isinstance(item, ItemState) for item in self.items):
            raise _error("items", "items_count", count=ITEM_COUNT)
        for name in EXTRA_DATES:
            _check_date_value(getattr(self, name), name)
        validate_timestamp(self.created, "created")
        validate_timestamp(self.updated, "updated")

    @classmethod
    def new(cls, id: str, domain: object, label: object = "", *, now: str) -> Migration:
        """A fresh, empty checklist for ``domain``."""
        stamp = validate_timestamp(now)
        return cls(
            id=validate_migration_id(id),
            domain=validate_domain(domain),
            label=validate_label(label),
            created=stamp,
            updated=stamp,
        )

    @property
    def display_name(self) -> str:
        """The label if there is one, else the domain (``""`` while neither is known: see :meth:`name`)."""
        return self.label or self.domain

    def name(self, lang: str) -> str:
        """What the page calls it: the label, else the domain, else 「ドメイン未入力」 / "No domain yet"."""
        return self.display_name or NO_DOMAIN_YET.get(lang)

    def item(self, number: int) -> ItemState:
        """The state of item ``number`` (1–12)."""
        return self.items[_check_item_number(number) - 1]

    def items_by_number(self) -> dict[int, ItemState]:
        """The rows as a mapping from item number to state."""
        return {index + 1: state for index, state in enumerate(self.items)}

    def _with_item(self, number: int, state: ItemState, now: str) -> Migration:
        index = _check_item_number(number) - 1
        items = (*self.items[:index], state, *self.items[index + 1 :])
        return replace(self, items=items, updated=validate_timestamp(now))

    def set_done(self, number: int, done: bool, *, today: date, now: str) -> Migration:
        """Tick or untick item ``number``. Ticking fills an empty date with ``today``; unticking keeps the date."""
        state = self.item(number)
        if not isinstance(done, bool):
            raise _error("done", "done_type")
        if done:
            completed_on = state.completed_on or parse_date(today, "today")
            return self._with_item(number, replace(state, done=True, completed_on=completed_on), now)
        return self._with_item(number, replace(state, done=False), now)

    def set_date(self, number: int, value: object, *, now: str) -> Migration:
        """Set (or, with ``None``/``""``, clear) the ご対応完了日 of item ``number``; the tick is unchanged."""
        state = self.item(number)
        return self._with_item(number, replace(state, completed_on=parse_date(value)), now)

    def set_note(self, number: int, note: object, *, now: str) -> Migration:
        """Replace the note of item ``number``."""
        state = self.item(number)
        return self._with_item(number, replace(state, note=validate_note(note)), now)

    def clear_item(self, number: int, *, now: str) -> Migration:
        """Empty item ``number`` on purpose (tick, date and note)."""
        return self._with_item(number, EMPTY_ITEM, now)

    def set_cancellation_date(self, value: object, *, now: str) -> Migration:
        """Set (or clear) item 2's ご解約日: the day the old provider's contract ends."""
        return self.set_extra_date("cancellation_date", value, now=now)

    def set_extra_date(self, name: str, value: object, *, now: str) -> Migration:
        """Set (or clear) one of :data:`EXTRA_DATES`: the 申込日, the ご解約日 or the agreed DNS 切り替え日."""
        if name not in EXTRA_DATES:
            raise ValueError(name)
        changed: Migration = replace(self, **{name: parse_date(value, name)})  # type: ignore[arg-type]
        return replace(changed, updated=validate_timestamp(now))

    def reset(self, *, now: str) -> Migration:
        """All rows and the three checklist-wide dates emptied; id, domain, label and creation time stay."""
        stamp = validate_timestamp(now)
        return replace(
            self, items=_EMPTY_ITEMS, application_date=None, cancellation_date=None, switch_date=None, updated=stamp
        )

    def _has_data(self, item: ChecklistItem) -> bool:
        state = self.items[item.number - 1]
        if item.extra_date and getattr(self, item.extra_date) is not None:
            return True
        return state.completed_on is not None or bool(state.note)

    def _prerequisites_done(self, item: ChecklistItem) -> bool:
        return all(self.items[required - 1].done for required in item.requires)

    def status(self, number: int) -> ItemStatus:
        """Status of item ``number``: done > cannot_start_yet > in_progress > not_started (see module doc)."""
        item = item_by_number(_check_item_number(number))
        if self.items[number - 1].done:
            return "done"
        if not self._prerequisites_done(item):
            return "cannot_start_yet"
        if self._has_data(item):
            return "in_progress"
        return "not_started"

    def statuses(self) -> tuple[ItemStatus, ...]:
        """Status of every item, in item order."""
        return tuple(self.status(item.number) for item in ITEMS)

    def next_action(self) -> NextAction | None:
        """The first item not done whose prerequisites are all done; ``None`` when all are done."""
        for item in ITEMS:
            if not self.items[item.number - 1].done and self._prerequisites_done(item):
                step = step_by_number(item.step)
                return NextAction(item.number, step.number, step.path, item.anchor, item.actor, item.title)
        return None

    def summary(self) -> Summary:
        """Done count, statuses, next action and who does which row."""
        statuses = self.statuses()
        return Summary(
            done=sum(1 for state in self.items if state.done),
            total=ITEM_COUNT,
            statuses=statuses,
            next_action=self.next_action(),
            customer_items=tuple(item.number for item in ITEMS if item.actor == "customer"),
            netcom_items=tuple(item.number for item in ITEMS if item.actor == "netcom"),
            waiting_on_netcom=tuple(
                item.number
                for item in ITEMS
                if item.actor == "netcom" and statuses[item.number - 1] in ("not_started", "in_progress")
            ),
        )

    def includes(self, other: Migration) -> bool:
        """True when this migration holds everything ``other`` holds (same domain assumed)."""
        return (
            (not other.label or other.label == self.label)
            and all(getattr(other, name) in (None, getattr(self, name)) for name in EXTRA_DATES)
            and all(mine.includes(theirs) for mine, theirs in zip(self.items, other.items, strict=True))
        )


@dataclass(frozen=True, slots=True)
class DeletedMigration:
    """Everything needed to undo a deletion."""

    migration: Migration
    index: int  # position in the list before deletion
    was_active: bool


@dataclass(frozen=True, slots=True)
class Workspace:
    """All migrations of one browser (or one export file) and which one is shown.

    ``next_serial`` numbers new ids (``m-1``, ``m-2`` …); it only grows, so a deleted migration's id is
    never given to another one and undo can put the deleted one back under its own id.
    """

    migrations: tuple[Migration, ...] = ()
    active_id: str | None = None
    next_serial: int = 1
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        serial = self.next_serial
        if isinstance(serial, bool) or not isinstance(serial, int) or not 1 <= serial <= MAX_SERIAL:
            raise _error("next_serial", "serial_invalid", limit=MAX_SERIAL)
        for position, migration in enumerate(self.migrations):
            if migration.id in self._index:
                raise _error("migration", "id_duplicate", id=migration.id)
            self._index[migration.id] = position
        if self.active_id is not None and self.active_id not in self._index:
            raise _error("migration", "migration_unknown", id=self.active_id)

    @property
    def active(self) -> Migration | None:
        """The migration shown now, if any."""
        return None if self.active_id is None else self.get(self.active_id)

    def get(self, migration_id: str) -> Migration:
        """The migration with ``migration_id``; ``ChecklistError`` (field ``migration``) if there is none."""
        position = self._index.get(migration_id) if isinstance(migration_id, str) else None
        if position is None:
            raise _error("migration", "migration_unknown", id=migration_id)
        return self.migrations[position]

    def has(self, migration_id: str) -> bool:
        """True when a migration with ``migration_id`` exists."""
        return migration_id in self._index

    def find_domain(self, domain: str) -> tuple[Migration, ...]:
        """The migrations for ``domain`` (compared case- and width-insensitively)."""
        key = domain_key(domain)
        return tuple(migration for migration in self.migrations if domain_key(migration.domain) == key)

    def allocate_id(self) -> tuple[str, Workspace]:
        """A new unused id and the workspace with its counter advanced."""
        serial = self.next_serial
        while serial <= MAX_SERIAL and f"{ID_PREFIX}{serial}" in self._index:
            serial += 1
        if serial > MAX_SERIAL:  # only a damaged counter gets here: take the lowest free number instead
            serial = 1
            while f"{ID_PREFIX}{serial}" in self._index:
                serial += 1
        return f"{ID_PREFIX}{serial}", replace(self, next_serial=min(serial + 1, MAX_SERIAL))

    def _check_domain_free(self, domain: str, except_id: str | None = None) -> None:
        for migration in self.find_domain(domain):
            if migration.id != except_id:
                raise _error("domain", "domain_taken", domain=migration.domain)

    def add(self, domain: object, label: object = "", *, now: str) -> tuple[Workspace, Migration]:
        """Start a checklist for a new domain; it becomes the active one. One checklist per domain."""
        clean = validate_domain(domain)
        self._check_domain_free(clean)
        new_id, workspace = self.allocate_id()
        migration = Migration.new(new_id, clean, label, now=now)
        return replace(workspace, migrations=(*workspace.migrations, migration), active_id=new_id), migration

    def append(self, migration: Migration) -> Workspace:
        """Add an existing migration value as is (its id must be unused); the active one stays."""
        if migration.id in self._index:
            raise _error("migration", "id_duplicate", id=migration.id)
        return replace(self, migrations=(*self.migrations, migration))

    def rename(self, migration_id: str, *, domain: object = None, label: object = None, now: str) -> Workspace:
        """Change the domain and/or the display name of a migration."""
        migration = self.get(migration_id)
        new_domain = migration.domain if domain is None else validate_domain(domain)
        new_label = migration.label if label is None else validate_label(label)
        if domain is not None:
            # Only a changed domain is checked: a copy made by an import may share its domain on purpose.
            self._check_domain_free(new_domain, except_id=migration_id)
        stamp = validate_timestamp(now)
        return self.put(replace(migration, domain=new_domain, label=new_label, updated=stamp))

    def put(self, migration: Migration) -> Workspace:
        """Replace the migration that has the same id."""
        position = self._index.get(migration.id)
        if position is None:
            raise _error("migration", "migration_unknown", id=migration.id)
        migrations = (*self.migrations[:position], migration, *self.migrations[position + 1 :])
        return replace(self, migrations=migrations)

    def update(self, migration_id: str, change: Callable[[Migration], Migration]) -> Workspace:
        """Apply ``change`` to one migration, e.g. ``ws.update(id, lambda m: m.set_note(3, "…", now=now))``."""
        return self.put(change(self.get(migration_id)))

    def select(self, migration_id: str | None) -> Workspace:
        """Show another migration (``None``: none)."""
        if migration_id is not None:
            self.get(migration_id)
        return replace(self, active_id=migration_id)

    def delete(self, migration_id: str) -> tuple[Workspace, DeletedMigration]:
        """Remove a migration; the returned record undoes it with :meth:`restore`.

        When the active one is deleted, the next one in the list (else the previous one) becomes active.
        """
        migration = self.get(migration_id)
        position = self._index[migration_id]
        migrations = self.migrations[:position] + self.migrations[position + 1 :]
        active_id = self.active_id
        if active_id == migration_id:
            neighbour = migrations[min(position, len(migrations) - 1)] if migrations else None
            active_id = neighbour.id if neighbour else None
        deleted = DeletedMigration(migration, position, self.active_id == migration_id)
        return replace(self, migrations=migrations, active_id=active_id), deleted

    def restore(self, deleted: DeletedMigration) -> Workspace:
        """Undo :meth:`delete`: put the migration back where it was (under a new id if its id was reused)."""
        migration = deleted.migration
        workspace = self
        if migration.id in self._index:
            new_id, workspace = self.allocate_id()
            migration = replace(migration, id=new_id)
        position = max(0, min(deleted.index, len(workspace.migrations)))
        migrations = (*workspace.migrations[:position], migration, *workspace.migrations[position:])
        active_id = migration.id if deleted.was_active or workspace.active_id is None else workspace.active_id
        return replace(workspace, migrations=migrations, active_id=active_id)

    def reset(self, migration_id: str, *, now: str) -> tuple[Workspace, Migration]:
        """Empty every row of a migration; the returned previous value undoes it with :meth:`put`."""
        previous = self.get(migration_id)
        return self.put(previous.reset(now=now)), previous

    def ids(self) -> Iterable[str]:
        """The ids in list order."""
        return (migration.id for migration in self.migrations)
