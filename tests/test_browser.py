"""checklist_app.browser: the JSON protocol the page's worker speaks (run here in CPython, no browser)."""

from __future__ import annotations

import json
from typing import Any

from checklist_app.browser import dispatch
from checklist_app.storage import BACKUP_KEY, loads

TODAY = "2026-12-01"
ADD = {"type": "add", "domain": "example.co.jp"}
TICK_1 = {"type": "done", "id": "m-1", "item": 1, "done": True}
NOW = "2026-12-01T09:00:00+09:00"


def call(**request: Any) -> dict[str, Any]:
    """Send one request through dispatch and parse the answer."""
    answer: dict[str, Any] = json.loads(dispatch(json.dumps(request, ensure_ascii=False)))
    return answer


def apply(stored: str | None, *actions: dict[str, Any], lang: str = "ja") -> dict[str, Any]:
    """An ``apply`` request with a fixed day and time."""
    return call(op="apply", stored=stored, actions=list(actions), today=TODAY, now=NOW, lang=lang)


def test_ping_answers_with_the_version() -> None:
    """ping says the package is there."""
    assert call(op="ping") == {"ok": True, "version": "0.1.0"}


def test_load_of_nothing_writes_nothing() -> None:
    """A first visit (nothing stored) answers an empty view and nothing to store."""
    answer = call(op="load", stored=None)
    assert answer["stored"] is None and answer["backup"] is None and answer["view"]["current"] is None


def test_load_of_garbage_returns_a_backup_and_problems() -> None:
    """Text that is not JSON comes back as the backup, with an empty document to store and a message."""
    answer = call(op="load", stored="{oops")
    assert answer["backup"] == "{oops" and answer["recovered"] is True
    assert json.loads(answer["stored"])["migrations"] == []
    assert "JSON" in answer["problems"][0]


def test_load_of_version_1_migrates() -> None:
    """Version 1 is migrated: version-2 text to store, the original as backup, migrated_from 1."""
    old = json.dumps({"version": 1, "domain": "old.example", "checked": [1]})
    answer = call(op="load", stored=old)
    assert answer["migrated_from"] == 1 and answer["backup"] == old
    assert json.loads(answer["stored"])["version"] == 2
    assert answer["view"]["current"]["items"][0]["done"] is True


def test_apply_add_then_tick_fills_today() -> None:
    """Adding a domain and ticking item 1 stores today's date as its completion date."""
    answer = apply(
        None, {"type": "add", "domain": "example.co.jp"}, {"type": "done", "id": "m-1", "item": 1, "done": True}
    )
    assert [result["ok"] for result in answer["results"]] == [True, True]
    item = json.loads(answer["stored"])["migrations"][0]["items"]["1"]
    assert item == {"done": True, "date": TODAY, "note": ""}


def test_view_has_statuses_summary_and_next_action() -> None:
    """The view carries badge texts in the page language, the summary and the next step's link."""
    answer = apply(None, {"type": "add", "domain": "a.example"}, {"type": "done", "id": "m-1", "item": 1, "done": True})
    current = answer["view"]["current"]
    assert current["summary"] == "1 / 12 完了"
    assert (
        current["items"][2]["status"] == "cannot_start_yet"
        and current["items"][2]["status_label"] == "まだ開始できません"
    )
    assert current["next"]["url"] == "steps/1-application/#cancel-current-host"
    english = apply(answer["stored"], lang="en")["view"]["current"]
    assert english["summary"] == "1 of 12 completed" and english["items"][0]["status_label"] == "Completed"


def test_a_refused_action_does_not_stop_the_next_ones() -> None:
    """A bad action is reported in its result (field and message) and the following actions still apply."""
    answer = apply(
        None,
        {"type": "add", "domain": "a.example"},
        {"type": "date", "id": "m-1", "item": 2, "value": "2026-13-45"},
        {"type": "note", "id": "m-1", "item": 2, "value": "ok"},
    )
    assert answer["results"][1] == {
        "ok": False,
        "errors": [{"field": "date", "message": "2026-13-45 という日付はありません。"}],
    }
    assert json.loads(answer["stored"])["migrations"][0]["items"]["2"]["note"] == "ok"


def test_delete_returns_undo_that_restores() -> None:
    """delete answers an undo action; applying it puts the migration back with its ticks."""
    first = apply(None, {"type": "add", "domain": "a.example"}, {"type": "done", "id": "m-1", "item": 1, "done": True})
    deleted = apply(first["stored"], {"type": "delete", "id": "m-1"})
    assert json.loads(deleted["stored"])["migrations"] == []
    restored = apply(deleted["stored"], deleted["results"][0]["undo"])
    migration = json.loads(restored["stored"])["migrations"][0]
    assert migration["id"] == "m-1" and migration["items"]["1"]["done"] is True


def test_reset_returns_undo_that_puts_the_rows_back() -> None:
    """reset empties the rows and answers an undo (put) that brings them back."""
    first = apply(None, {"type": "add", "domain": "a.example"}, {"type": "note", "id": "m-1", "item": 3, "value": "x"})
    reset = apply(first["stored"], {"type": "reset", "id": "m-1"})
    assert json.loads(reset["stored"])["migrations"][0]["items"]["3"]["note"] == ""
    undone = apply(reset["stored"], reset["results"][0]["undo"])
    assert json.loads(undone["stored"])["migrations"][0]["items"]["3"]["note"] == "x"


def test_import_reports_in_the_page_language() -> None:
    """import merges a file and answers the one-sentence report."""
    here = apply(None, {"type": "add", "domain": "here.example"})["stored"]
    other = apply(None, {"type": "add", "domain": "there.example"})["stored"]
    answer = apply(here, {"type": "import", "text": other}, lang="en")
    assert answer["results"][0]["message"] == "1 added."
    assert [m["domain"] for m in json.loads(answer["stored"])["migrations"]] == ["here.example", "there.example"]


def test_export_names_the_file_after_the_domain() -> None:
    """export answers a file name with the punycode domain and the day, and a loadable document."""
    stored = apply(None, {"type": "add", "domain": "日本語.jp"})["stored"]
    answer = call(op="export", stored=stored, id="m-1", today=TODAY)
    assert answer["filename"] == "netcom-checklist-xn--wgv71a119e.jp-2026-12-01.json"
    assert loads(answer["text"]).workspace.migrations[0].domain == "日本語.jp"


def test_malformed_requests_get_an_answer_not_an_exception() -> None:
    """Not JSON, not an object, an unknown op or action: an ok=false answer with a message."""
    for request in ("nonsense", "[]", json.dumps({"op": "fly"})):
        answer = json.loads(dispatch(request))
        assert answer["ok"] is False and answer["errors"][0]["field"] == "_form"
    unknown = apply(None, {"type": "fly"})
    assert unknown["results"][0]["ok"] is False


def test_tool_without_the_tools_module_says_so_or_routes() -> None:
    """The tool op answers in the protocol's shape (ok with outputs, or ok=false with errors)."""
    answer = call(op="tool", tool="no-such-tool", params={}, lang="en")
    assert answer["ok"] is False and answer["errors"]


def test_backup_key_matches_the_documented_name() -> None:
    """The page's backup key (app.js) is storage.BACKUP_KEY."""
    assert BACKUP_KEY == "netcom-checklist-backup"
