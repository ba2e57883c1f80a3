"""The checklist's journal: what the user did, recorded by the page, folded into the stored document by Python.

The page never reads-modifies-writes the stored document. Each change the user makes (a tick, a date, a note, a
domain typed, a checklist deleted …) is written at once as its own localStorage entry,
``netcom-checklist:edit:<stamp>`` → a small JSON object (:class:`Edit`). Python then *folds*: the stored document
and every entry give the new document, the view the page paints, and the entries that may go.

The fold is a per-field last-writer-wins join. The document keeps, for every field an edit has set, the stamp of
that edit (``"clock"``); an edit changes a field only when its stamp is newer than the field's. So folding the
same entry twice, or entries in any order, or onto a document another tab folded some of them into already, gives
the same document. localStorage reaches other tabs late, so a tab may fold a stale document and write it over a
newer one: entries are kept for :data:`KEEP_MS` after their stamp, and every tab folds again on each ``storage``
event and writes only when the join changed something — the next fold repairs a stale write and nothing is lost.

A stamp is ``<13-digit milliseconds since 1970>-<1-12 lowercase letters or digits>`` (its time, then a random
tie-breaker); stamps compare as text. The date a tick fills in carries a weaker stamp (``0`` first) than any
edit. Deleted checklists are kept in the document as tombstones (``"deleted"``) for undo and so that a late edit
to one cannot bring it back half-empty; an edit before any checklist exists starts one with no domain yet
(:data:`~checklist_app.progress.NO_DOMAIN_YET`), which a later ``domain`` edit names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from .errors import ChecklistError
from .progress import (
    EMPTY_ITEM,
    EXTRA_DATES,
    ITEM_COUNT,
    ItemState,
    Migration,
    Workspace,
    domain_key,
    parse_date,
    validate_domain,
    validate_label,
    validate_note,
    validate_timestamp,
)
from .storage import FORMAT_NAME, FORMAT_VERSION, ImportReport, LoadResult, dumps, import_file, loads
from .text import Text

__all__ = [
    "EDIT_PREFIX",
    "KEEP_MS",
    "KINDS",
    "Edit",
    "Fold",
    "fold",
    "parse_edit",
]

EDIT_PREFIX = "netcom-checklist:edit:"
KEEP_MS = 60_000
STAMP = re.compile(r"\A\d{13}-[0-9a-z]{1,12}\Z")
KINDS = frozenset(
    {
        "done",
        "date",
        "note",
        "cancellation_date",
        "application_date",
        "switch_date",
        "clear",
        "reset",
        "put",
        "add",
        "domain",
        "label",
        "select",
        "delete",
        "restore",
    }
)
_ITEM_KINDS = frozenset({"done", "date", "note", "clear"})
_ITEM_FIELDS = ("done", "date", "note")

_MESSAGES: dict[str, Text] = {
    "domain_taken": Text(
        ja="「{domain}」のチェックリストはすでにあります。一覧から選んでください。",
        en="There already is a checklist for “{domain}”. Choose it from the list.",
    ),
    "unknown": Text(ja="このチェックリストはもうありません。", en="This checklist no longer exists."),
}


@dataclass(frozen=True, slots=True)
class Edit:
    """One recorded change: ``kind`` (one of :data:`KINDS`), what it names and the value the user gave.

    ``migration`` is the id the page showed (``None``: none was shown yet); ``day`` is the user's local date and
    ``now`` their ISO time when they made it (a tick fills an empty date with ``day``).
    """

    key: str
    stamp: str
    kind: str
    migration: str | None
    item: int | None
    value: Any
    label: Any
    day: date | None
    now: str

    @property
    def millis(self) -> int:
        return int(self.stamp[:13])


def parse_edit(key: object, text: object) -> Edit | None:
    """The edit stored under ``key`` (``None`` when the key or the text is not one: such an entry is dropped)."""
    if not isinstance(key, str) or not key.startswith(EDIT_PREFIX) or not isinstance(text, str):
        return None
    stamp = key[len(EDIT_PREFIX) :]
    if not STAMP.match(stamp):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("edit") not in KINDS:
        return None
    migration = data.get("migration")
    item = data.get("item")
    if isinstance(item, float) and item.is_integer():
        item = int(item)
    if data["edit"] in _ITEM_KINDS and not (
        isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= ITEM_COUNT
    ):
        return None
    try:
        day = parse_date(data.get("day"), "day")
    except ChecklistError:
        day = None
    try:
        now = validate_timestamp(data.get("now", ""))
    except ChecklistError:
        now = ""
    return Edit(
        key=key,
        stamp=stamp,
        kind=data["edit"],
        migration=migration if isinstance(migration, str) and migration else None,
        item=item if data["edit"] in _ITEM_KINDS else None,
        value=data.get("value"),
        label=data.get("label"),
        day=day,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class Fold:
    """What a fold gives the page: the text to store (``None``: nothing to store), whether it differs from what
    was stored, the untouched original to keep as a backup first (a repaired or migrated document), the
    workspace, the keys of the entries that are folded in and may be removed, and the refused ones with why."""

    stored: str | None
    changed: bool
    load: LoadResult
    workspace: Workspace
    folded: tuple[str, ...]
    remove: tuple[str, ...]
    rejected: dict[str, ChecklistError]
    imported: ImportReport | None = None


class _State:
    """The document being folded: every migration (live and deleted, in order), the clock and the active one."""

    def __init__(self, load: LoadResult, raw: Any) -> None:
        workspace = load.workspace
        self.migrations: list[Migration] = list(workspace.migrations)
        self.deleted: set[str] = set()
        self.active = workspace.active_id
        self.next_serial = workspace.next_serial
        self.clock: dict[str, str] = {}
        if isinstance(raw, dict):
            clock = raw.get("clock")
            if isinstance(clock, dict):
                self.clock = {k: v for k, v in clock.items() if isinstance(v, str) and STAMP.match(v)}
            self._tombstones(raw.get("deleted"))

    def _tombstones(self, raw: object) -> None:
        if not isinstance(raw, list):
            return
        stones = [entry for entry in raw if isinstance(entry, dict)]
        read = loads(json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION, "migrations": stones}))
        for stone, migration in zip(stones, read.workspace.migrations, strict=False):
            if stone.get("id") != migration.id or any(m.id == migration.id for m in self.migrations):
                continue  # a tombstone whose id was repaired or is live again is dropped
            index = stone.get("index")
            position = index if isinstance(index, int) and not isinstance(index, bool) else len(self.migrations)
            self.migrations.insert(max(0, min(position, len(self.migrations))), migration)
            self.deleted.add(migration.id)

    # --- reading --------------------------------------------------------------------------------------------

    def live(self) -> list[Migration]:
        return [m for m in self.migrations if m.id not in self.deleted]

    def find(self, ident: str | None) -> Migration | None:
        return next((m for m in self.migrations if m.id == ident), None)

    def workspace(self) -> Workspace:
        live = self.live()
        active = self.active if any(m.id == self.active for m in live) else (live[0].id if live else None)
        return Workspace(tuple(live), active, self.next_serial)

    def text(self) -> str:
        data = json.loads(dumps(self.workspace()))
        stones = []
        for position, migration in enumerate(self.migrations):
            if migration.id in self.deleted:
                stone = json.loads(dumps(Workspace((migration,), None, 1)))["migrations"][0]
                stones.append({**stone, "index": position})
        if stones:
            data["deleted"] = stones
        if self.clock:
            data["clock"] = dict(sorted(self.clock.items()))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    # --- writing --------------------------------------------------------------------------------------------

    def newer(self, path: str, edit: Edit) -> bool:
        return edit.stamp > self.clock.get(path, "")

    def set_field(self, migration: Migration, name: str, value: Any, edit: Edit) -> Migration:
        """``migration`` with field ``name`` (``domain``, ``label``, ``cancellation_date``, ``<n>.done|date|note``)
        set when ``edit`` is newer than the field; the clock and ``updated`` follow."""
        path = f"{migration.id}/{name}"
        if not self.newer(path, edit):
            return migration
        self.clock[path] = edit.stamp
        if "." in name:
            number, part = name.split(".")
            index = int(number) - 1
            state = migration.items[index]
            field = {"done": "done", "date": "completed_on", "note": "note"}[part]
            state = replace(state, **{field: value})
            items = (*migration.items[:index], state, *migration.items[index + 1 :])
            changed = replace(migration, items=items)
        else:
            changed = replace(migration, **{name: value})
        if edit.now and edit.now > changed.updated:
            changed = replace(changed, updated=edit.now)
        self._put(changed)
        return changed

    def _put(self, migration: Migration) -> None:
        for position, existing in enumerate(self.migrations):
            if existing.id == migration.id:
                self.migrations[position] = migration
                return
        self.migrations.append(migration)

    def select(self, ident: str | None, edit: Edit) -> None:
        if self.newer("active", edit):
            self.clock["active"] = edit.stamp
            self.active = ident

    def create(self, ident: str, domain: str, label: str, edit: Edit, *, named: bool = True) -> Migration:
        """A new checklist; ``named``: its domain and label are the edit's (an ``add``), else a later edit names it."""
        existing = self.find(ident)
        if existing is not None:
            return existing
        migration = Migration(ident, domain, label, created=edit.now, updated=edit.now)
        self.migrations.append(migration)
        for name in ("domain", "label") if named else ():
            self.clock[f"{ident}/{name}"] = edit.stamp
        self.select(ident, edit)
        return migration

    def check_domain_free(self, domain: str, except_id: str) -> None:
        key = domain_key(domain)
        for other in self.live():
            if other.id != except_id and other.domain and domain_key(other.domain) == key:
                message = _MESSAGES["domain_taken"]
                raise ChecklistError(
                    "domain", message.ja.format(domain=other.domain), message.en.format(domain=other.domain)
                )


_PLACEHOLDER_PREFIX = "m-0-"


def _target(state: _State, edit: Edit) -> Migration:
    """The migration an edit is about: the one it names, else the one shown, else a new one with no domain yet."""
    if edit.migration is not None:
        found = state.find(edit.migration)
        if found is None:
            message = _MESSAGES["unknown"]
            raise ChecklistError("migration", message.ja, message.en)
        return found
    shown = state.workspace().active
    if shown is not None:
        return shown
    # Every edit made before any checklist existed lands in the same one, whichever tab folds it first.
    return state.create(f"{_PLACEHOLDER_PREFIX}{edit.stamp}"[:40], "", "", edit, named=False)


def _first_placeholder(state: _State) -> Migration | None:
    return next((m for m in state.live() if m.id.startswith(_PLACEHOLDER_PREFIX) and not m.domain), None)


def _apply(state: _State, edit: Edit) -> None:
    kind = edit.kind
    if kind == "add":
        domain = validate_domain(edit.value)
        label = validate_label("" if edit.label is None else edit.label)
        ident = f"m-{edit.stamp}"[:40]
        if state.find(ident) is None:
            state.check_domain_free(domain, ident)
        state.create(ident, domain, label, edit)
        return
    if kind == "select":
        if edit.migration is not None and state.find(edit.migration) is None:
            raise ChecklistError("migration", _MESSAGES["unknown"].ja, _MESSAGES["unknown"].en)
        state.select(edit.migration, edit)
        return
    if kind in ("delete", "restore"):
        migration = _target(state, edit)
        path = f"{migration.id}/deleted"
        if state.newer(path, edit):
            state.clock[path] = edit.stamp
            if kind == "delete":
                state.deleted.add(migration.id)
            else:
                state.deleted.discard(migration.id)
                state.select(migration.id, edit)
        return
    if edit.migration is None and kind == "domain":
        # Typing the domain above an empty list names the checklist ticked before it had one, if there is one.
        found = _first_placeholder(state)
        migration = found if found is not None else _target(state, edit)
    else:
        migration = _target(state, edit)
    if kind == "domain":
        domain = validate_domain(edit.value)
        if state.newer(f"{migration.id}/domain", edit):
            state.check_domain_free(domain, migration.id)
        state.set_field(migration, "domain", domain, edit)
    elif kind == "label":
        state.set_field(migration, "label", validate_label(edit.value), edit)
    elif kind in EXTRA_DATES:
        state.set_field(migration, kind, parse_date(edit.value or None, kind), edit)
    elif kind == "done":
        if not isinstance(edit.value, bool):
            raise ChecklistError("done", "チェックの値が読めません。", "The tick could not be read.")
        number = edit.item or 0
        migration = state.set_field(migration, f"{number}.done", edit.value, edit)
        ticked_now = state.clock.get(f"{migration.id}/{number}.done") == edit.stamp
        if ticked_now and edit.value and migration.items[number - 1].completed_on is None and edit.day is not None:
            # Ticking fills an empty date with the user's day (progress.py's rule). The fill is weaker than any
            # date the user set or cleared, in whatever order the edits are folded: its stamp sorts before every
            # real one ("0" + the tick's first 12 digits), so a typed date always wins and folds still agree.
            weak = replace(edit, stamp=f"0{edit.stamp[:12]}{edit.stamp[13:]}")
            state.set_field(migration, f"{number}.date", edit.day, weak)
    elif kind == "date":
        state.set_field(migration, f"{edit.item}.date", parse_date(edit.value or None, "date"), edit)
    elif kind == "note":
        state.set_field(migration, f"{edit.item}.note", validate_note(edit.value), edit)
    elif kind == "clear":
        for part, empty in zip(_ITEM_FIELDS, (False, None, ""), strict=True):
            migration = state.set_field(migration, f"{edit.item}.{part}", empty, edit)
    elif kind == "reset":
        for name in EXTRA_DATES:
            migration = state.set_field(migration, name, None, edit)
        for number in range(1, ITEM_COUNT + 1):
            for part, empty in zip(_ITEM_FIELDS, (False, None, ""), strict=True):
                migration = state.set_field(migration, f"{number}.{part}", empty, edit)
    elif kind == "put":
        _put_values(state, migration, edit)


def _put_values(state: _State, migration: Migration, edit: Edit) -> None:
    """Undo of a reset: the values :func:`values_of` gave before it, each set again as a newer edit."""
    values = edit.value if isinstance(edit.value, dict) else {}
    items = values.get("items") if isinstance(values.get("items"), dict) else {}
    for name in EXTRA_DATES:
        migration = state.set_field(migration, name, parse_date(values.get(name), name), edit)
    for number in range(1, ITEM_COUNT + 1):
        raw = items.get(str(number)) if isinstance(items, dict) else None
        if not isinstance(raw, dict):
            continue
        state_item = ItemState(
            done=raw.get("done") is True,
            completed_on=parse_date(raw.get("date"), "date"),
            note=validate_note(raw.get("note", "")),
        )
        for part, value in zip(_ITEM_FIELDS, (state_item.done, state_item.completed_on, state_item.note), strict=True):
            migration = state.set_field(migration, f"{number}.{part}", value, edit)


def values_of(migration: Migration) -> dict[str, Any]:
    """A migration's row values as a ``put`` edit takes them (what undo of a reset puts back)."""
    return {
        **{
            name: None if getattr(migration, name) is None else getattr(migration, name).isoformat()
            for name in EXTRA_DATES
        },
        "items": {
            str(number): {
                "done": state.done,
                "date": None if state.completed_on is None else state.completed_on.isoformat(),
                "note": state.note,
            }
            for number, state in enumerate(migration.items, start=1)
            if state != EMPTY_ITEM
        },
    }


def _field_paths(ident: str) -> list[str]:
    paths = [f"{ident}/{name}" for name in ("domain", "label", *EXTRA_DATES, "deleted")]
    paths += [f"{ident}/{n}.{part}" for n in range(1, ITEM_COUNT + 1) for part in _ITEM_FIELDS]
    return paths


def _import(state: _State, text: str, stamp: str) -> ImportReport:
    """Merge an export file (:func:`~checklist_app.storage.import_file`) into the folded document; every field of
    a checklist it added or changed takes ``stamp``, so an older edit still in the journal cannot undo the import."""
    workspace, report = import_file(state.workspace(), text)
    touched = {*report.added, *report.updated, *report.copied}
    renamed: dict[str, str] = {}
    for migration in workspace.migrations:
        if migration.id not in touched:
            continue
        if migration.id in state.deleted:  # a deleted checklist's id stays its own (undo, late edits): a new one
            renamed[migration.id] = f"m-{stamp}-{len(renamed)}"[:40]
            migration = replace(migration, id=renamed[migration.id])
        state._put(migration)
        for path in _field_paths(migration.id):
            state.clock[path] = stamp
    state.next_serial = max(state.next_serial, workspace.next_serial)
    active = renamed.get(workspace.active_id or "", workspace.active_id)
    if active != state.workspace().active_id:
        state.active = active
        state.clock["active"] = stamp
    if not renamed:
        return report
    rename = {name: tuple(renamed.get(i, i) for i in getattr(report, name)) for name in ("added", "copied")}
    return replace(report, **rename)


def fold(stored: object, entries: dict[str, str], *, now_ms: int, import_text: str | None = None) -> Fold:
    """Fold every journal entry into the stored document (see the module's docstring).

    ``now_ms`` is the page's clock: an entry older than :data:`KEEP_MS` is listed for removal (after a minute
    every tab has folded it), an entry that is not one at all is removed at once. ``import_text``: an export file
    merged in after the entries (its report in ``imported``). Never raises, except ``ChecklistError`` for an
    import file with nothing readable in it.
    """
    load = loads(stored)
    try:
        raw = json.loads(stored) if isinstance(stored, str) else None
    except (ValueError, RecursionError):
        raw = None
    state = _State(load, raw)
    edits: list[Edit] = []
    remove: list[str] = []
    for key, text in entries.items():
        edit = parse_edit(key, text)
        if edit is None:
            remove.append(key)
        else:
            edits.append(edit)
    rejected: dict[str, ChecklistError] = {}
    for edit in sorted(edits, key=lambda e: e.stamp):
        try:
            _apply(state, edit)
        except ChecklistError as error:
            rejected[edit.key] = error
        if now_ms - edit.millis > KEEP_MS:
            remove.append(edit.key)
    imported = None if import_text is None else _import(state, import_text, f"{now_ms:013d}-import")
    nothing = stored is None and not state.migrations and not state.clock
    written = None if nothing else state.text()
    return Fold(
        stored=written,
        changed=written != stored,
        load=load,
        workspace=state.workspace(),
        folded=tuple(sorted(e.key for e in edits if e.key not in rejected)),
        remove=tuple(sorted(remove)),
        rejected=rejected,
        imported=imported,
    )
