"""Versioned JSON for the browser's localStorage and for export files (see ``STORAGE_FORMAT.md``).

Writing is strict; reading is forgiving. :func:`loads` never raises: it keeps every migration and every
item it can make sense of, skips the rest, says what it skipped, and hands back the untouched original
text so the browser can keep it as a backup. An older layout (version 1) is migrated on load.
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
    ID_PREFIX,
    ITEM_COUNT,
    LABEL_MAX_LENGTH,
    MAX_SERIAL,
    NOTE_MAX_LENGTH,
    ItemState,
    Migration,
    Workspace,
    clean_text,
    parse_date,
    validate_domain,
    validate_label,
    validate_migration_id,
    validate_note,
    validate_timestamp,
)
from .text import Text

__all__ = [
    "BACKUP_KEY",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "STORAGE_KEY",
    "ImportReport",
    "LoadResult",
    "dumps",
    "export_file",
    "import_file",
    "loads",
    "to_data",
]

STORAGE_KEY = "netcom-checklist"  # localStorage key of the current document
BACKUP_KEY = "netcom-checklist-backup"  # where the browser keeps the original text of a repaired or migrated load
FORMAT_NAME = "netcom-checklist"
FORMAT_VERSION = 2

_ITEM_KEY = re.compile(r"\A(?:[1-9]|1[0-2])\Z")
_SERIAL_ID = re.compile(r"\A" + re.escape(ID_PREFIX) + r"([1-9][0-9]{0,11})\Z")
_FILENAME_SAFE = re.compile(r"[^a-z0-9.-]+")

_MESSAGES: dict[str, Text] = {
    "not_text": Text(ja="保存データが文字列ではありません。", en="The saved data is not text."),
    "not_json": Text(
        ja="保存データが壊れていて読めません(JSON ではありません)。元のデータはバックアップとして残します。",
        en="The saved data is damaged and cannot be read (it is not JSON). The original is kept as a backup.",
    ),
    "not_object": Text(
        ja="保存データの形式が違います(全体がオブジェクトではありません)。",
        en="The saved data has the wrong shape (it is not a JSON object).",
    ),
    "wrong_format": Text(
        ja="このデータはネット・コミュニケーションズのチェックリストの形式ではないようです。読める部分だけ読み込みました。",
        en="This does not look like a Net-com checklist; only the parts that could be read were loaded.",
    ),
    "newer_version": Text(
        ja="このデータは新しい版({version})で保存されています。読める部分だけ読み込みました。",
        en="This data was saved by a newer version ({version}); only the parts that could be read were loaded.",
    ),
    "unknown_version": Text(
        ja="保存データの版がわかりません。読める部分だけ読み込みました。",
        en="The version of the saved data is unknown; only the parts that could be read were loaded.",
    ),
    "migrations_not_list": Text(
        ja="移行の一覧が読めませんでした。",
        en="The list of migrations could not be read.",
    ),
    "migration_not_object": Text(
        ja="{where}: 読めないため読み込みませんでした。",
        en="{where_en}: unreadable, not loaded.",
    ),
    "migration_domain": Text(
        ja="{where}: ドメイン名が読めないため読み込みませんでした。",
        en="{where_en}: the domain name is unreadable, not loaded.",
    ),
    "migration_id": Text(
        ja="{where}: ID が不正または重複していたため、新しい ID を付けました。",
        en="{where_en}: its id was invalid or used twice, so it was given a new id.",
    ),
    "field_reset": Text(
        ja="{where}: {name_ja}が読めないため空にしました。",
        en="{where_en}: the {name_en} was unreadable and has been left empty.",
    ),
    "field_cut": Text(
        ja="{where}: {name_ja}が長すぎたため {limit} 文字までにしました。",
        en="{where_en}: the {name_en} was too long and has been cut to {limit} characters.",
    ),
    "field_cleaned": Text(
        ja="{where}: {name_ja}から使えない文字を取り除きました。",
        en="{where_en}: characters that cannot be used were removed from the {name_en}.",
    ),
    "items_not_object": Text(
        ja="{where}: チェック項目が読めないため、すべて空にしました。",
        en="{where_en}: the checklist items were unreadable and have been left empty.",
    ),
    "item_key": Text(
        ja="{where}: 「{key}」は 1～12 のチェック項目ではないため読み込みませんでした。",
        en="{where_en}: “{key}” is not a checklist item 1–12, not loaded.",
    ),
    "item_not_object": Text(
        ja="{where}: 項目 {number} が読めないため空にしました。",
        en="{where_en}: item {number} was unreadable and has been left empty.",
    ),
    "serial_reset": Text(
        ja="次に使う ID 番号が読めないため、今ある ID から数え直しました。",
        en="The next id number was unreadable and has been worked out again from the ids in use.",
    ),
    "active_unknown": Text(
        ja="選択中の移行が見つからないため、最初の移行を表示します。",
        en="The selected migration was not found; the first one is shown.",
    ),
    "v1_checked": Text(
        ja="旧形式のデータ: 完了済みの項目番号「{value}」が読めないため無視しました。",
        en="Old-format data: the done item number “{value}” was unreadable and has been ignored.",
    ),
    "where": Text(ja="{position} 件目の移行({domain})", en="Migration {position} ({domain})"),
    "where_item": Text(ja="{where} の項目 {number}", en="{where_en}, item {number}"),
    "import_empty": Text(
        ja="このファイルからチェックリストを読み込めませんでした。チェックリストの「書き出し」で保存した"
        " .json ファイルを選んでください。",
        en="No checklist could be read from this file. Choose a .json file saved with the checklist's “Export” button.",
    ),
    "export_empty": Text(
        ja="書き出すチェックリストがありません。",
        en="There is no checklist to export.",
    ),
    "report_added": Text(ja="{count} 件を追加しました", en="{count} added"),
    "report_updated": Text(ja="{count} 件を更新しました", en="{count} updated"),
    "report_copied": Text(
        ja="{count} 件は内容が食い違うため、別のチェックリストとして追加しました",
        en="{count} differed from the checklist already here and were added as separate copies",
    ),
    "report_unchanged": Text(ja="{count} 件はすでに同じ内容です", en="{count} already up to date"),
    "report_join": Text(ja="、", en="; "),
    "report_end": Text(ja="。", en="."),
}

# Names of the fields in problem messages.
_FIELD_NAMES: dict[str, Text] = {
    "label": Text(ja="表示名", en="display name"),
    "note": Text(ja="メモ", en="note"),
    "done": Text(ja="完了のチェック", en="tick"),
    "date": Text(ja="ご対応完了日", en="completion date"),
    "cancellation_date": Text(ja="ご解約日", en="cancellation date"),
    "application_date": Text(ja="申込日", en="application date"),
    "switch_date": Text(ja="DNS 切り替え日", en="DNS switch date"),
    "created": Text(ja="作成日時", en="creation time"),
    "updated": Text(ja="更新日時", en="last change time"),
}


def _message(key: str, /, **values: object) -> Text:
    template = _MESSAGES[key]
    return Text(ja=template.ja.format(**values), en=template.en.format(**values))


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What :func:`loads` could make of a stored text.

    ``recovered`` is true when something had to be repaired or skipped (``problems`` says what).
    ``original`` is the untouched input whenever the browser should keep a backup of it: after a
    repair, or after migrating an older version; otherwise ``None``.
    """

    workspace: Workspace
    recovered: bool
    problems: tuple[Text, ...]
    original: str | None
    migrated_from: int | None = None  # the older version that was migrated, if any


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What :func:`import_file` did with each migration of the file (by id in the resulting workspace)."""

    added: tuple[str, ...]  # new domains
    updated: tuple[str, ...]  # existing checklists the file extends (nothing of them was lost)
    copied: tuple[str, ...]  # the file disagrees with what is here: added beside it, both kept
    unchanged: tuple[str, ...]  # everything in the file was already here
    problems: tuple[Text, ...]  # parts of the file that could not be read

    @property
    def message(self) -> Text:
        """One sentence for the reader, e.g. ``1 件を追加しました、1 件はすでに同じ内容です。``."""
        parts = [
            _message(key, count=len(ids))
            for key, ids in (
                ("report_added", self.added),
                ("report_updated", self.updated),
                ("report_copied", self.copied),
                ("report_unchanged", self.unchanged),
            )
            if ids
        ]
        join, end = _MESSAGES["report_join"], _MESSAGES["report_end"]
        return Text(
            ja=join.ja.join(part.ja for part in parts) + end.ja,
            en=join.en.join(part.en for part in parts) + end.en,
        )


# --- writing -------------------------------------------------------------------------------------


def _date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _migration_data(migration: Migration) -> dict[str, Any]:
    return {
        "id": migration.id,
        "domain": migration.domain,
        "label": migration.label,
        "created": migration.created,
        "updated": migration.updated,
        "cancellation_date": _date_text(migration.cancellation_date),
        "application_date": _date_text(migration.application_date),
        "switch_date": _date_text(migration.switch_date),
        # Every row is written, so a reader never has to guess what a missing row means.
        "items": {
            str(number): {"done": state.done, "date": _date_text(state.completed_on), "note": state.note}
            for number, state in enumerate(migration.items, start=1)
        },
    }


def to_data(workspace: Workspace) -> dict[str, Any]:
    """The workspace as plain JSON-ready data in the current format (version 2)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "active": workspace.active_id,
        "next_id": workspace.next_serial,
        "migrations": [_migration_data(migration) for migration in workspace.migrations],
    }


def dumps(workspace: Workspace, *, indent: int | None = None) -> str:
    """The workspace as JSON text for localStorage (compact) or a file (``indent=2``)."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(to_data(workspace), ensure_ascii=False, indent=indent, separators=separators)


# --- reading -------------------------------------------------------------------------------------


class _Reader:
    """Reads one document, collecting a problem for everything it has to repair or skip."""

    def __init__(self) -> None:
        self.problems: list[Text] = []

    def problem(self, key: str, /, **values: object) -> None:
        self.problems.append(_message(key, **values))

    # Small field readers: each returns a valid value and reports what it changed.

    def text_field(self, raw: object, name: str, limit: int, where: Text, *, keep_lines: bool) -> str:
        field_name = _FIELD_NAMES[name]
        context = {"where": where.ja, "where_en": where.en, "name_ja": field_name.ja, "name_en": field_name.en}
        if raw is None:
            return ""
        if not isinstance(raw, str):
            self.problem("field_reset", **context)
            return ""
        text = raw.replace("\r\n", "\n").replace("\r", "\n") if keep_lines else raw.strip()
        validate = validate_note if keep_lines else validate_label
        try:
            return validate(text)
        except ChecklistError:
            pass
        cleaned = clean_text(text, multiline=keep_lines)
        if cleaned != text:
            self.problem("field_cleaned", **context)
        if len(cleaned) > limit:
            self.problem("field_cut", limit=limit, **context)
            cleaned = cleaned[:limit]
        try:
            return validate(cleaned)
        except ChecklistError:  # cutting may have left surrounding spaces on a label
            return validate(cleaned.strip())

    def date_field(self, raw: object, name: str, where: Text) -> date | None:
        try:
            return parse_date(raw, name)
        except ChecklistError:
            field_name = _FIELD_NAMES[name]
            self.problem("field_reset", where=where.ja, where_en=where.en, name_ja=field_name.ja, name_en=field_name.en)
            return None

    def timestamp_field(self, raw: object, name: str, where: Text) -> str:
        if raw is None:
            return ""
        try:
            return validate_timestamp(raw, name)
        except ChecklistError:
            field_name = _FIELD_NAMES[name]
            self.problem("field_reset", where=where.ja, where_en=where.en, name_ja=field_name.ja, name_en=field_name.en)
            return ""

    def item(self, raw: object, number: int, where: Text) -> ItemState:
        item_where = Text(
            ja=_MESSAGES["where_item"].ja.format(where=where.ja, number=number),
            en=_MESSAGES["where_item"].en.format(where_en=where.en, number=number),
        )
        if not isinstance(raw, dict):
            self.problem("item_not_object", where=where.ja, where_en=where.en, number=number)
            return EMPTY_ITEM
        done = raw.get("done", False)
        if not isinstance(done, bool):
            self.problem(
                "field_reset",
                where=item_where.ja,
                where_en=item_where.en,
                name_ja=_FIELD_NAMES["done"].ja,
                name_en=_FIELD_NAMES["done"].en,
            )
            done = False
        completed_on = self.date_field(raw.get("date"), "date", item_where)
        note = self.text_field(raw.get("note"), "note", NOTE_MAX_LENGTH, item_where, keep_lines=True)
        return ItemState(done=done, completed_on=completed_on, note=note)

    def items(self, raw: object, where: Text) -> tuple[ItemState, ...]:
        states = [EMPTY_ITEM] * ITEM_COUNT
        if raw is None:
            return tuple(states)
        if not isinstance(raw, dict):
            self.problem("items_not_object", where=where.ja, where_en=where.en)
            return tuple(states)
        for key, value in raw.items():
            if not isinstance(key, str) or not _ITEM_KEY.match(key):
                self.problem("item_key", where=where.ja, where_en=where.en, key=_shorten(str(key)))
                continue
            states[int(key) - 1] = self.item(value, int(key), where)
        return tuple(states)

    def migration(self, raw: object, position: int) -> tuple[Migration | None, str | None]:
        """One migration of a version-2 document and its stored id if that id is usable."""
        unknown = Text(ja="?", en="?")
        if not isinstance(raw, dict):
            where = _where(position, unknown)
            self.problem("migration_not_object", where=where.ja, where_en=where.en)
            return None, None
        try:
            domain = "" if raw.get("domain") == "" else validate_domain(raw.get("domain"))
        except ChecklistError:
            where = _where(position, unknown)
            self.problem("migration_domain", where=where.ja, where_en=where.en)
            return None, None
        where = _where(position, Text(ja=domain, en=domain))
        try:
            stored_id: str | None = validate_migration_id(raw.get("id"))
        except ChecklistError:
            stored_id = None
        migration = Migration(
            id=stored_id or "pending",
            domain=domain,
            label=self.text_field(raw.get("label"), "label", LABEL_MAX_LENGTH, where, keep_lines=False),
            items=self.items(raw.get("items"), where),
            cancellation_date=self.date_field(raw.get("cancellation_date"), "cancellation_date", where),
            application_date=self.date_field(raw.get("application_date"), "application_date", where),
            switch_date=self.date_field(raw.get("switch_date"), "switch_date", where),
            created=self.timestamp_field(raw.get("created"), "created", where),
            updated=self.timestamp_field(raw.get("updated"), "updated", where),
        )
        return migration, stored_id

    def version_2(self, data: dict[str, Any]) -> Workspace:
        raw_migrations = data.get("migrations", [])
        if not isinstance(raw_migrations, list):
            self.problem("migrations_not_list")
            raw_migrations = []
        read: list[tuple[Migration, str | None]] = []
        for position, raw in enumerate(raw_migrations, start=1):
            migration, stored_id = self.migration(raw, position)
            if migration is not None:
                read.append((migration, stored_id))
        used = {stored_id for _, stored_id in read if stored_id is not None}
        raw_serial = data.get("next_id")
        serial = _serial(raw_serial, used)
        if raw_serial is not None and not (type(raw_serial) is int and raw_serial == serial):
            self.problem("serial_reset")
        seen: set[str] = set()
        migrations: list[Migration] = []
        for position, (migration, stored_id) in enumerate(read, start=1):
            if stored_id is not None and stored_id not in seen:
                seen.add(stored_id)
                migrations.append(migration)
                continue
            where = _where(position, Text(ja=migration.domain, en=migration.domain))
            self.problem("migration_id", where=where.ja, where_en=where.en)
            while f"{ID_PREFIX}{serial}" in used:
                serial += 1
            new_id = f"{ID_PREFIX}{serial}"
            used.add(new_id)
            migrations.append(replace(migration, id=new_id))
        workspace = Workspace(tuple(migrations), None, min(serial, MAX_SERIAL))
        return workspace.select(self.active(data.get("active"), workspace))

    def active(self, raw: object, workspace: Workspace) -> str | None:
        if raw is None:
            return None
        if isinstance(raw, str) and workspace.has(raw):
            return raw
        if not workspace.migrations:
            return None
        self.problem("active_unknown")
        return workspace.migrations[0].id

    def version_1(self, data: dict[str, Any]) -> Workspace:
        """Version 1: one migration (``domain``, ``checked``, ``dates``, ``notes``, ``cancellation_date``)."""
        try:
            domain = validate_domain(data.get("domain"))
        except ChecklistError:
            where = _where(1, Text(ja="?", en="?"))
            self.problem("migration_domain", where=where.ja, where_en=where.en)
            return Workspace()
        where = _where(1, Text(ja=domain, en=domain))
        raw_items: dict[str, dict[str, object]] = {}
        checked = data.get("checked", [])
        for value in checked if isinstance(checked, list) else [checked]:
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ITEM_COUNT:
                raw_items.setdefault(str(value), {})["done"] = True
            else:
                self.problem("v1_checked", value=_shorten(json.dumps(value, ensure_ascii=False)))
        for source, target in (("dates", "date"), ("notes", "note")):
            values = data.get(source, {})
            if not isinstance(values, dict):
                self.problem("items_not_object", where=where.ja, where_en=where.en)
                continue
            for key, value in values.items():
                raw_items.setdefault(str(key), {})[target] = value
        migration = Migration(
            id=f"{ID_PREFIX}1",
            domain=domain,
            items=self.items(raw_items, where),
            cancellation_date=self.date_field(data.get("cancellation_date"), "cancellation_date", where),
        )
        return Workspace((migration,), migration.id, 2)

    def document(self, data: object) -> tuple[Workspace, int | None]:
        """The workspace of a parsed JSON value and the version it was written in."""
        if not isinstance(data, dict):
            self.problem("not_object")
            return Workspace(), None
        version = data.get("version")
        if version == 1 and not isinstance(version, bool):
            return self.version_1(data), 1
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            self.problem("newer_version", version=version)
        elif version != FORMAT_VERSION or isinstance(version, bool):
            self.problem("unknown_version")
            if "migrations" not in data and "domain" in data:
                return self.version_1(data), 1
        if data.get("format", FORMAT_NAME) != FORMAT_NAME:
            self.problem("wrong_format")
        return self.version_2(data), None


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(position: int, domain: Text) -> Text:
    template = _MESSAGES["where"]
    return Text(
        ja=template.ja.format(position=position, domain=_shorten(domain.ja)),
        en=template.en.format(position=position, domain=_shorten(domain.en)),
    )


def _serial(raw: object, used_ids: set[str]) -> int:
    """The stored id counter if sane, else one past the highest generated id in use."""
    if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= MAX_SERIAL:
        return raw
    numbers = [int(match.group(1)) for match in map(_SERIAL_ID.match, used_ids) if match]
    return min(max(numbers, default=0) + 1, MAX_SERIAL)


# Our documents nest 5 deep. json.loads recurses per level, and in Pyodide a few thousand levels overflow
# the WebAssembly stack and kill the worker (no RecursionError there), so deeper input is refused first.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKETS = re.compile(r"[\[\]{}]")


def _too_deep(text: str) -> bool:
    """True when the JSON text nests brackets deeper than :data:`MAX_JSON_DEPTH` (strings ignored)."""
    depth = 0
    for match in _JSON_BRACKETS.finditer(_JSON_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        else:
            depth -= 1
    return False


def loads(text: object) -> LoadResult:
    """Read a stored document; never raises. ``None`` or blank text is an empty workspace (nothing saved yet)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return LoadResult(Workspace(), recovered=False, problems=(), original=None)
    reader = _Reader()
    if not isinstance(text, str):
        reader.problem("not_text")
        return LoadResult(Workspace(), recovered=True, problems=tuple(reader.problems), original=None)
    try:
        if _too_deep(text):
            raise ValueError("nested too deep")
        data = json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError; so is an over-long integer
        reader.problem("not_json")
        return LoadResult(Workspace(), recovered=True, problems=tuple(reader.problems), original=text)
    workspace, migrated_from = reader.document(data)
    recovered = bool(reader.problems)
    keep_original = recovered or migrated_from is not None
    return LoadResult(
        workspace,
        recovered=recovered,
        problems=tuple(reader.problems),
        original=text if keep_original else None,
        migrated_from=migrated_from,
    )


# --- export and import ---------------------------------------------------------------------------


def _filename_part(domain: str) -> str:
    """An ASCII, file-system-safe form of a domain: IDN labels become punycode (``xn--…``)."""
    labels = []
    for label in domain.casefold().split("."):
        if label.isascii():
            labels.append(label)
        else:
            try:
                labels.append("xn--" + label.encode("punycode").decode("ascii"))
            except UnicodeError:
                labels.append("")
    return _FILENAME_SAFE.sub("-", ".".join(labels)).strip(".-")[:80]


def export_file(workspace: Workspace, migration_id: str | None = None, *, today: date | None = None) -> tuple[str, str]:
    """``(filename, text)`` of an export file holding one migration, or all with ``migration_id=None``.

    The text is a normal version-2 document (indented), so :func:`loads` and :func:`import_file` read it.
    """
    if migration_id is not None:
        migration = workspace.get(migration_id)
        chosen = Workspace((migration,), migration.id, workspace.next_serial)
        name = _filename_part(migration.domain) or migration.id
    else:
        if not workspace.migrations:
            message = _MESSAGES["export_empty"]
            raise ChecklistError("migration", message.ja, message.en)
        chosen = workspace
        name = "all"
    suffix = "" if today is None else f"-{today.isoformat()}"
    return f"{FORMAT_NAME}-{name}{suffix}.json", dumps(chosen, indent=2) + "\n"


def import_file(workspace: Workspace, text: str) -> tuple[Workspace, ImportReport]:
    """Merge an export file (any version) into ``workspace`` without losing anything on either side.

    Per migration in the file, matched by domain (case and width ignored):

    * no checklist for that domain here: added (keeping its id if free);
    * a checklist here already holds everything in the file's one: left as is (``unchanged``);
    * the file's one holds everything the checklist here holds, and more: it replaces it in place,
      keeping the id here (``updated``);
    * both hold something the other lacks: the file's one is added beside it as a separate checklist
      (``copied``) so the customer can compare and delete the one not wanted (delete has undo).

    The first migration added or changed becomes the active one. A file with no readable migration
    raises ``ChecklistError`` (field ``file``).
    """
    result = loads(text)
    if not result.workspace.migrations:
        message = _MESSAGES["import_empty"]
        raise ChecklistError("file", message.ja, message.en)
    added: list[str] = []
    updated: list[str] = []
    copied: list[str] = []
    unchanged: list[str] = []
    for incoming in result.workspace.migrations:
        same_domain = workspace.find_domain(incoming.domain)
        holder = next((existing for existing in same_domain if existing.includes(incoming)), None)
        if holder is not None:
            unchanged.append(holder.id)
            continue
        extended = next((existing for existing in same_domain if incoming.includes(existing)), None)
        if extended is not None:
            merged = replace(
                incoming, id=extended.id, domain=extended.domain, created=extended.created or incoming.created
            )
            workspace = workspace.put(merged)
            updated.append(extended.id)
            continue
        new = incoming
        if workspace.has(incoming.id):
            new_id, workspace = workspace.allocate_id()
            new = replace(incoming, id=new_id)
        workspace = workspace.append(new)
        (copied if same_domain else added).append(new.id)
    changed = [*added, *updated, *copied]
    if changed:
        workspace = workspace.select(changed[0])
    report = ImportReport(tuple(added), tuple(updated), tuple(copied), tuple(unchanged), result.problems)
    return workspace, report
