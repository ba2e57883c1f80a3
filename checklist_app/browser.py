"""The browser adapter: one JSON-in, JSON-out entry point the page's Web Worker calls.

``dispatch(request_json) -> response_json`` routes by ``"op"``. The worker has no localStorage, so the
page sends the stored text with every request and writes back what comes out; nothing here keeps state
between calls. This is the only module that may touch ``js``/``pyodide``, and it does not need to:
plain strings cross the boundary, which keeps it testable in CPython.

Ops (all answer ``{"ok": true, ...}`` or ``{"ok": false, "errors": [{"field", "message"}]}``):

``ping``
    ``{"version"}``: the package is imported and answering.
``load`` ``{"stored": text | null, "lang"}``
    Reads the stored document (never fails) and answers ``{"stored", "changed", "backup", "recovered",
    "migrated_from", "problems", "view"}``. ``stored`` is the canonical text to keep (``null`` when nothing
    was stored); ``backup`` is the untouched original the page must save under the backup key first.
``apply`` ``{"stored", "actions": [...], "today": "YYYY-MM-DD", "now": ISO 8601, "lang"}``
    Applies the actions in order; one that fails is reported in ``results`` and does not stop the rest
    (queued actions replayed after start-up must not be lost because an earlier one was refused).
    Answers the ``load`` fields plus ``results``: one ``{"ok", ...}`` per action.
``fold`` ``{"stored", "entries": {key: text}, "now_ms", "lang"}``
    Folds the journal (:mod:`checklist_app.journal`) into the stored document: ``{"stored", "changed",
    "backup", "recovered", "migrated_from", "problems", "view", "remove"}``. ``view`` is the text to keep under
    :data:`VIEW_KEY` — the view in both languages, the entries folded in and the refused ones with their
    field messages — which the page paints from, before Python is ready too. ``remove``: entries to delete.
``export`` ``{"stored", "entries"?, "id": id | null, "today"}``
    ``{"filename", "text", "mime"}`` of an export file for one migration or all of them; with ``entries`` (the
    journal) the file holds the document with every entry folded in.
``tool`` ``{"tool", "params", "lang"}``
    Routed to :func:`checklist_app.tools.run_tool`.

Actions (``"type"``): ``add`` (domain, label), ``rename`` (id, domain?, label?), ``delete`` (id; its result
carries ``undo``), ``restore`` (migration, index, was_active), ``select`` (id), ``done`` (id, item, done),
``date`` (id, item, value), ``note`` (id, item, value), ``cancellation_date`` (id, value), ``clear`` (id,
item), ``reset`` (id; result carries ``undo``), ``put`` (migration), ``import`` (text; result carries
``message`` and ``problems``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, urlencode

from . import __version__
from .errors import ChecklistError
from .journal import fold, values_of
from .overview import SORT_KEYS, Row, expected_dates, overview, rows_data, sort_rows, to_csv, to_ics
from .progress import EXTRA_DATES, STATUS_LABELS, DeletedMigration, Migration, Workspace, parse_date, validate_timestamp
from .steps import ITEMS
from .storage import dumps, export_file, import_file, loads
from .text import Text

__all__ = ["VIEW_KEY", "dispatch", "view", "view_text"]

VIEW_KEY = "netcom-checklist:view"

_MESSAGES: dict[str, Text] = {
    "request": Text(ja="内部エラー: 要求を読めませんでした。", en="Internal error: the request could not be read."),
    "op": Text(ja="内部エラー: 不明な操作です。", en="Internal error: unknown operation."),
    "action": Text(ja="内部エラー: 不明な変更です。", en="Internal error: unknown change."),
    "unexpected": Text(
        ja="予期しないエラーが起きました。ページを再読み込みしてください。",
        en="Something unexpected went wrong. Please reload the page.",
    ),
    "no_tools": Text(ja="このツールはまだ使えません。", en="This tool is not available yet."),
    "undo_data": Text(ja="元に戻すデータが読めませんでした。", en="The data to undo could not be read."),
}


class _RequestError(Exception):
    """A malformed request from the page (a bug in the glue, not the customer's input)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _lang(request: dict[str, Any]) -> str:
    return "en" if request.get("lang") == "en" else "ja"


def _error_list(error: ChecklistError, lang: str) -> list[dict[str, str]]:
    return [{"field": error.field, "message": error.message(lang)}]


def _failure(key: str, lang: str, field: str = "_form") -> dict[str, Any]:
    return {"ok": False, "errors": [{"field": field, "message": _MESSAGES[key].get(lang)}]}


def format_date(value: date | None, lang: str) -> str:
    """A date as the printed checklist shows it: ``2026年12月1日`` / ``2026-12-01`` (``""`` for none)."""
    if value is None:
        return ""
    return value.isoformat() if lang == "en" else f"{value.year}年{value.month}月{value.day}日"


def _overview(rows: tuple[Row, ...], lang: str) -> dict[str, Any]:
    """The overview table (checklist_app.overview): its rows in the workspace's order and, per sort key, the ids in
    that order; ``attention``: how many rows need the customer's action."""
    data = rows_data(rows, lang)
    for row, shown in zip(rows, data, strict=True):
        # Links as the checklist page (/checklist/, /en/checklist/) needs them.
        for warning in shown["warnings"]:
            warning["url"] = f"../{warning['url']}"
        shown["plan_url"] = _plan_url(row)
    return {
        "rows": data,
        "order": {key: [row.migration.id for row in sort_rows(rows, key)] for key in SORT_KEYS},
        "attention": sum(1 for row in rows if row.attention),
        "count": len(rows),
        "summary": _OVERVIEW_SUMMARY.get(lang).format(
            count=len(rows), attention=sum(1 for row in rows if row.attention)
        ),
    }


def _plan_url(row: Row) -> str:
    """The planner opened with this checklist's dates (tools/schedule/, prefilled from the fragment); "" without an
    application date (the planner needs one)."""
    if row.applied is None:
        return ""
    migration = row.migration
    dates = {
        "applied": row.applied,
        "transfer_done": migration.item(3).completed_on if migration.item(3).done else None,
        "account_info_received": migration.item(4).completed_on if migration.item(4).done else None,
        "switch_date": row.switch,
    }
    fields = {name: day.isoformat() for name, day in dates.items() if day is not None}
    if migration.domain:
        fields["domain"] = migration.domain
    fields["checklist"] = migration.id  # the planner's picker shows it: its save goes to this checklist
    return f"../tools/schedule/#{urlencode(fields, quote_via=quote)}"


_OVERVIEW_SUMMARY = Text(ja="{count} ドメイン（要対応 {attention}）", en="{count} domains ({attention} need action)")


def view(
    workspace: Workspace, lang: str, today: date | None = None, rows: tuple[Row, ...] | None = None
) -> dict[str, Any]:
    """Everything the page renders: the migrations for the selector, the active one's rows and statuses, and the
    overview of every checklist. ``today`` (the user's day) turns on the warnings that depend on it; ``rows``: the
    overview already worked out (both languages share it)."""
    rows = overview(workspace, today) if rows is None else rows
    current: dict[str, Any] | None = None
    active = workspace.active
    if active is not None:
        summary = active.summary()
        nxt = summary.next_action
        plan = next((row.plan for row in rows if row.migration.id == active.id), None)
        expected = expected_dates(active, plan) if plan is not None else {}
        current = {
            "id": active.id,
            "name": active.name(lang),
            "no_domain_yet": active.domain == "",
            "domain": active.domain,
            "label": active.label,
            "cancellation_date": None if active.cancellation_date is None else active.cancellation_date.isoformat(),
            "cancellation_date_text": format_date(active.cancellation_date, lang),
            "dates": {name: _iso(getattr(active, name)) for name in EXTRA_DATES},
            "dates_text": {name: format_date(getattr(active, name), lang) for name in EXTRA_DATES},
            "items": [
                {
                    "number": item.number,
                    "done": state.done,
                    "date": None if state.completed_on is None else state.completed_on.isoformat(),
                    "date_text": format_date(state.completed_on, lang),
                    "note": state.note,
                    "status": status,
                    "status_label": STATUS_LABELS[status].get(lang),
                    "actor": item.actor,
                    "expected": expected[item.number].text(lang) if item.number in expected else "",
                }
                for item, state, status in zip(ITEMS, active.items, summary.statuses, strict=True)
            ],
            "done": summary.done,
            "total": summary.total,
            "summary": summary.text.get(lang),
            "complete": summary.complete,
            "next": None
            if nxt is None
            else {
                "item": nxt.item,
                "step": nxt.step,
                "url": nxt.url,
                "row_id": nxt.row_id,
                "actor": nxt.actor,
                "title": nxt.title.get(lang),
            },
            "waiting_on_netcom": list(summary.waiting_on_netcom),
        }
    return {
        "active": workspace.active_id,
        "migrations": [
            {
                "id": m.id,
                "domain": m.domain,
                "label": m.label,
                "name": m.name(lang),
                "choice": f"{m.label} ({m.domain})" if m.label and m.domain else m.name(lang),
            }
            for m in workspace.migrations
        ],
        "current": current,
        "overview": _overview(rows, lang),
    }


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def view_text(
    workspace: Workspace,
    *,
    folded: tuple[str, ...] = (),
    rejected: dict[str, ChecklistError] | None = None,
    today: date | None = None,
) -> str:
    """What the page keeps under :data:`VIEW_KEY` and paints from: the view in both languages (a tab may show
    either), the journal entries it reflects, and each refused entry's field and message in both languages."""
    refused = {
        key: {"field": error.field, "ja": error.message("ja"), "en": error.message("en")}
        for key, error in (rejected or {}).items()
    }
    active = workspace.active
    rows = overview(workspace, today)
    data = {
        "ja": view(workspace, "ja", today, rows),
        "en": view(workspace, "en", today, rows),
        "folded": list(folded),
        "rejected": refused,
        "undo_reset": None if active is None else values_of(active),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _op_fold(request: dict[str, Any], lang: str) -> dict[str, Any]:
    entries = request.get("entries")
    now_ms = request.get("now_ms")
    if not isinstance(entries, dict) or isinstance(now_ms, bool) or not isinstance(now_ms, (int, float)):
        raise _RequestError("request")
    texts = {key: text for key, text in entries.items() if isinstance(key, str) and isinstance(text, str)}
    import_text = request.get("import")
    if import_text is not None and not isinstance(import_text, str):
        raise _RequestError("request")
    today = _today(request)
    result = fold(request.get("stored"), texts, now_ms=int(now_ms), import_text=import_text)
    report = result.imported
    return {
        "ok": True,
        "imported": None
        if report is None
        else {
            "message": report.message.get(lang),
            "problems": [problem.get(lang) for problem in report.problems],
            "changed": [*report.added, *report.updated, *report.copied],
        },
        "stored": result.stored,
        "changed": result.changed,
        "backup": result.load.original,
        "recovered": result.load.recovered,
        "migrated_from": result.load.migrated_from,
        "problems": [problem.get(lang) for problem in result.load.problems],
        "view": view_text(result.workspace, folded=result.folded, rejected=result.rejected, today=today),
        "remove": list(result.remove),
    }


def _migration_text(migration: Migration) -> str:
    """One migration as a small storage document (the undo data the page keeps until undo is used)."""
    return dumps(Workspace((migration,), None, 1))


def _migration_from(text: object) -> Migration:
    result = loads(text)
    if result.recovered or len(result.workspace.migrations) != 1:
        raise ChecklistError("migration", _MESSAGES["undo_data"].ja, _MESSAGES["undo_data"].en)
    return result.workspace.migrations[0]


def _item(action: dict[str, Any]) -> Any:
    number = action.get("item")
    # The model checks the range; JSON numbers may arrive as floats from JavaScript.
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def _apply_one(
    workspace: Workspace, action: dict[str, Any], *, today: date, now: str, lang: str
) -> tuple[Workspace, dict[str, Any]]:
    kind = action.get("type")
    raw_id = action.get("id")
    ident = raw_id if isinstance(raw_id, str) else ""  # "" names no migration: the model says so in words
    extra: dict[str, Any] = {}
    if kind == "add":
        workspace, migration = workspace.add(action.get("domain"), action.get("label", ""), now=now)
        extra["id"] = migration.id
    elif kind == "rename":
        workspace = workspace.rename(ident, domain=action.get("domain"), label=action.get("label"), now=now)
    elif kind == "delete":
        workspace, deleted = workspace.delete(ident)
        extra["undo"] = {
            "type": "restore",
            "migration": _migration_text(deleted.migration),
            "index": deleted.index,
            "was_active": deleted.was_active,
        }
    elif kind == "restore":
        index = action.get("index", 0)
        deleted = DeletedMigration(
            _migration_from(action.get("migration")),
            index if isinstance(index, int) and not isinstance(index, bool) else 0,
            bool(action.get("was_active", True)),
        )
        workspace = workspace.restore(deleted)
    elif kind == "select":
        workspace = workspace.select(ident)
    elif kind == "done":
        done: Any = action.get("done")  # the model refuses anything but a bool, in words
        workspace = workspace.update(ident, lambda m: m.set_done(_item(action), done, today=today, now=now))
    elif kind == "date":
        workspace = workspace.update(ident, lambda m: m.set_date(_item(action), action.get("value"), now=now))
    elif kind == "note":
        workspace = workspace.update(ident, lambda m: m.set_note(_item(action), action.get("value"), now=now))
    elif kind == "cancellation_date":
        workspace = workspace.update(ident, lambda m: m.set_cancellation_date(action.get("value"), now=now))
    elif kind == "clear":
        workspace = workspace.update(ident, lambda m: m.clear_item(_item(action), now=now))
    elif kind == "reset":
        workspace, previous = workspace.reset(ident, now=now)
        extra["undo"] = {"type": "put", "migration": _migration_text(previous)}
    elif kind == "put":
        workspace = workspace.put(_migration_from(action.get("migration")))
    elif kind == "import":
        text = action.get("text")
        if not isinstance(text, str):
            raise _RequestError("request")
        workspace, report = import_file(workspace, text)
        extra["message"] = report.message.get(lang)
        extra["problems"] = [problem.get(lang) for problem in report.problems]
        extra["changed"] = [*report.added, *report.updated, *report.copied]
    else:
        raise _RequestError("action")
    return workspace, extra


def _loaded(stored: object, lang: str) -> tuple[Workspace, dict[str, Any]]:
    result = loads(stored)
    canonical = dumps(result.workspace) if (stored is not None or result.workspace.migrations) else None
    return result.workspace, {
        "stored": canonical,
        "changed": canonical != stored,
        "backup": result.original,
        "recovered": result.recovered,
        "migrated_from": result.migrated_from,
        "problems": [problem.get(lang) for problem in result.problems],
    }


def _op_load(request: dict[str, Any], lang: str) -> dict[str, Any]:
    workspace, fields = _loaded(request.get("stored"), lang)
    return {"ok": True, **fields, "view": view(workspace, lang)}


def _op_apply(request: dict[str, Any], lang: str) -> dict[str, Any]:
    actions = request.get("actions")
    if not isinstance(actions, list):
        raise _RequestError("request")
    today = parse_date(request.get("today"), "today")
    if today is None:
        raise _RequestError("request")
    now = validate_timestamp(request.get("now", ""))
    workspace, fields = _loaded(request.get("stored"), lang)
    results: list[dict[str, Any]] = []
    for action in actions:
        if not isinstance(action, dict):
            results.append(_failure("action", lang))
            continue
        try:
            workspace, extra = _apply_one(workspace, action, today=today, now=now, lang=lang)
        except ChecklistError as error:
            results.append({"ok": False, "errors": _error_list(error, lang)})
        except _RequestError as error:
            results.append(_failure(error.key, lang))
        else:
            results.append({"ok": True, **extra})
    # Nothing stored and nothing changed: keep writing nothing (a first visit leaves no trace).
    touched = fields["stored"] is not None or any(result["ok"] for result in results)
    stored = dumps(workspace) if touched else None
    fields.update(stored=stored, changed=stored != request.get("stored"))
    return {"ok": True, **fields, "results": results, "view": view(workspace, lang)}


def _op_export(request: dict[str, Any], lang: str) -> dict[str, Any]:
    entries = request.get("entries")
    if isinstance(entries, dict):  # the page's journal as it is now: the file holds the edits not folded yet too
        texts = {key: text for key, text in entries.items() if isinstance(key, str) and isinstance(text, str)}
        workspace = fold(request.get("stored"), texts, now_ms=0).workspace
    else:
        workspace = loads(request.get("stored")).workspace
    today = parse_date(request.get("today"), "today")
    kind = request.get("format")
    if kind in ("csv", "ics"):
        rows = overview(workspace, today)
        if kind == "csv":
            text = to_csv(rows, lang).decode("utf-8")  # the BOM stays: the page's Blob writes it as EF BB BF
            return {"ok": True, "filename": f"netcom-overview{_suffix(today)}.csv", "text": text, "mime": "text/csv"}
        stamp = _stamp(request.get("now"))
        text = to_ics(rows, lang, dtstamp=stamp).decode("utf-8")
        return {"ok": True, "filename": f"netcom-overview{_suffix(today)}.ics", "text": text, "mime": "text/calendar"}
    ident = request.get("id")
    filename, text = export_file(workspace, ident if isinstance(ident, str) else None, today=today)
    return {"ok": True, "filename": filename, "text": text, "mime": "application/json"}


def _today(request: dict[str, Any]) -> date | None:
    """The user's calendar day sent with a request; ``None`` when absent or unreadable (no rule then uses it)."""
    try:
        return parse_date(request.get("today"), "today")
    except ChecklistError:
        return None


def _suffix(today: date | None) -> str:
    return "" if today is None else f"-{today.isoformat()}"


def _stamp(value: object) -> datetime:
    """The page's time (ISO 8601 with its offset) as the .ics DTSTAMP; the Unix epoch when none was sent."""
    try:
        stamp = datetime.fromisoformat(validate_timestamp(value))
    except (ChecklistError, ValueError):
        return datetime(1970, 1, 1, tzinfo=UTC)
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def _op_tool(request: dict[str, Any], lang: str) -> dict[str, Any]:
    try:
        tools = importlib.import_module(f"{__package__}.tools")
    except ImportError:
        return _failure("no_tools", lang)
    params = request.get("params")
    result: dict[str, Any] = tools.run_tool(request.get("tool"), params if isinstance(params, dict) else {}, lang)
    return result


def _op_ping(request: dict[str, Any], lang: str) -> dict[str, Any]:
    return {"ok": True, "version": __version__}


_OPS: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    "ping": _op_ping,
    "load": _op_load,
    "apply": _op_apply,
    "fold": _op_fold,
    "export": _op_export,
    "tool": _op_tool,
}


def dispatch(request_json: str) -> str:
    """Answer one request from the page; never raises (every failure is an ``"ok": false`` answer)."""
    lang = "ja"
    try:
        request = json.loads(request_json)
        if not isinstance(request, dict):
            raise _RequestError("request")
        lang = _lang(request)
        op = request.get("op")
        handler = _OPS.get(op) if isinstance(op, str) else None
        if handler is None:
            raise _RequestError("op")
        response = handler(request, lang)
    except ChecklistError as error:
        response = {"ok": False, "errors": _error_list(error, lang)}
    except _RequestError as error:
        response = _failure(error.key, lang)
    except (ValueError, TypeError, RecursionError):
        response = _failure("request", lang)
    except Exception:  # the page must get an answer it can show, never a traceback
        response = _failure("unexpected", lang)
    return json.dumps(response, ensure_ascii=False)
