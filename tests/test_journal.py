"""checklist_app.journal: edits recorded one by one, folded by Python as a per-field last-writer-wins join."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from checklist_app.browser import dispatch
from checklist_app.journal import EDIT_PREFIX, KEEP_MS, fold, parse_edit
from checklist_app.storage import loads
from tests.properties import FEWER

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - Hypothesis is a test dependency
    st = None  # type: ignore[assignment]

T0 = 1_764_720_000_000  # 2025-12-03 00:00 UTC in ms: any fixed instant works


def key(ms: int, tag: str = "a") -> str:
    return f"{EDIT_PREFIX}{ms:013d}-{tag}"


def entry(kind: str, migration: str | None = None, **fields: Any) -> str:
    data: dict[str, Any] = {
        "edit": kind,
        "migration": migration,
        "day": "2026-12-03",
        "now": "2026-12-03T10:00:00+09:00",
    }
    data.update(fields)
    return json.dumps(data, ensure_ascii=False)


def doc(text: str | None) -> dict[str, Any]:
    assert text is not None
    data: dict[str, Any] = json.loads(text)
    return data


def test_a_tick_before_any_domain_starts_a_checklist_with_no_domain_yet() -> None:
    """The first thing a customer does, tick 1, works: a checklist 「ドメイン未入力」 holds it, dated today."""
    result = fold(None, {key(T0): entry("done", item=1, value=True)}, now_ms=T0 + 10)
    workspace = result.workspace
    assert workspace.active is not None
    assert workspace.active.domain == ""
    assert workspace.active.name("ja") == "ドメイン未入力"
    assert workspace.active.name("en") == "No domain yet"
    assert workspace.active.items[0].done is True
    assert workspace.active.items[0].completed_on == date(2026, 12, 3)
    answer = json.loads(
        dispatch(
            json.dumps(
                {"op": "fold", "stored": None, "entries": {key(T0): entry("done", item=1, value=True)}, "now_ms": T0}
            )
        )
    )
    view = json.loads(answer["view"])
    assert view["ja"]["current"]["name"] == "ドメイン未入力" and view["ja"]["current"]["no_domain_yet"] is True
    assert view["en"]["current"]["name"] == "No domain yet"
    assert view["ja"]["current"]["items"][0]["status"] == "done"


def test_the_domain_typed_later_names_that_checklist() -> None:
    """A ``domain`` edit with no checklist named fills in the one that had no domain yet, keeping its ticks."""
    entries = {key(T0): entry("done", item=1, value=True), key(T0 + 5): entry("domain", value="example.co.jp")}
    result = fold(None, entries, now_ms=T0 + 10)
    (migration,) = result.workspace.migrations
    assert migration.domain == "example.co.jp"
    assert migration.items[0].done is True


def test_a_domain_typed_first_starts_a_checklist_named_by_it() -> None:
    """The domain field above an empty list, typed before any tick, starts one checklist with that domain."""
    result = fold(None, {key(T0): entry("domain", value="example.co.jp")}, now_ms=T0 + 10)
    (migration,) = result.workspace.migrations
    assert migration.domain == "example.co.jp"
    assert result.workspace.active_id == migration.id
    assert not result.rejected


def test_an_import_is_merged_after_the_entries_and_an_older_entry_cannot_undo_it() -> None:
    """An export file folded in with the journal: its rows win over entries made before it, its report is given."""
    ticked = {key(T0): entry("domain", value="example.co.jp"), key(T0 + 1, "b"): entry("done", item=3, value=True)}
    first = fold(None, ticked, now_ms=T0 + 10)
    exported = loads(first.stored).workspace.migrations[0]
    file = json.dumps(
        {
            "format": "netcom-checklist",
            "version": 2,
            "migrations": [
                {
                    "id": exported.id,
                    "domain": "example.co.jp",
                    "items": {"3": {"done": True, "date": "2026-12-01", "note": "ファイルから"}},
                },
                {"id": "m-9", "domain": "second.example", "items": {"1": {"done": True, "date": None, "note": ""}}},
            ],
        },
        ensure_ascii=False,
    )
    merged = fold(first.stored, ticked, now_ms=T0 + 20, import_text=file)
    assert merged.imported is not None and set(merged.imported.added) == {"m-9"}
    again = fold(merged.stored, ticked, now_ms=T0 + 30)  # the entries are folded once more, as every tab does
    by_domain = {m.domain: m for m in again.workspace.migrations}
    assert by_domain["example.co.jp"].items[2].note == "ファイルから"
    assert by_domain["example.co.jp"].items[2].completed_on == date(2026, 12, 1)
    assert by_domain["second.example"].items[0].done is True


def test_an_import_never_takes_the_id_of_a_deleted_checklist() -> None:
    """A file whose checklist has the id of one deleted here gets a new id: undo still brings the deleted one back."""
    entries = {key(T0): entry("add", value="deleted.example"), key(T0 + 1, "b"): entry("add", value="kept.example")}
    first = fold(None, entries, now_ms=T0 + 10)
    gone = next(m.id for m in first.workspace.migrations if m.domain == "deleted.example")
    deleted = fold(first.stored, {**entries, key(T0 + 2, "c"): entry("delete", migration=gone)}, now_ms=T0 + 20)
    file = json.dumps(
        {"format": "netcom-checklist", "version": 2, "migrations": [{"id": gone, "domain": "other.example"}]}
    )
    imported = fold(deleted.stored, {}, now_ms=T0 + 30, import_text=file)
    other = next(m for m in imported.workspace.migrations if m.domain == "other.example")
    assert other.id != gone and imported.imported is not None and imported.imported.added == (other.id,)
    assert imported.workspace.active_id == other.id
    restored = fold(imported.stored, {key(T0 + 40, "d"): entry("restore", migration=gone)}, now_ms=T0 + 50)
    assert {m.domain for m in restored.workspace.migrations} == {"kept.example", "deleted.example", "other.example"}


def test_export_with_the_journal_holds_the_edits_not_folded_yet() -> None:
    """The export op folds the page's entries in: a tick made while Python started is in the file."""
    stored = fold(None, {key(T0): entry("domain", value="example.co.jp")}, now_ms=T0 + 10).stored
    journal = {key(T0 + 20, "b"): entry("done", item=4, value=True)}
    request = {"op": "export", "stored": stored, "entries": journal, "id": None, "today": "2026-12-03"}
    answer = json.loads(dispatch(json.dumps(request)))
    assert json.loads(answer["text"])["migrations"][0]["items"]["4"]["done"] is True


def test_an_import_with_nothing_readable_is_refused_in_words() -> None:
    """A file that holds no checklist: the fold op answers a field message for the file, nothing is written."""
    answer = json.loads(
        dispatch(json.dumps({"op": "fold", "stored": None, "entries": {}, "now_ms": T0, "import": "{}"}))
    )
    assert answer["ok"] is False and answer["errors"][0]["field"] == "file"


def test_folding_again_changes_nothing_and_old_entries_are_removed() -> None:
    entries = {key(T0): entry("done", item=1, value=True), key(T0 + 1, "b"): entry("note", item=2, value="Auth Code")}
    first = fold(None, entries, now_ms=T0 + 100)
    assert first.changed and first.remove == ()
    assert set(first.folded) == set(entries)
    again = fold(first.stored, entries, now_ms=T0 + 100)
    assert not again.changed and again.stored == first.stored
    later = fold(first.stored, entries, now_ms=T0 + KEEP_MS + 2)
    assert not later.changed and set(later.remove) == set(entries)


def test_an_entry_that_is_not_one_is_removed_at_once() -> None:
    entries = {key(T0): "not json", f"{EDIT_PREFIX}bad-stamp": entry("done", item=1, value=True),
               key(T0 + 1): entry("done", item=13, value=True), key(T0 + 2): entry("frobnicate")}  # fmt: skip
    result = fold(None, entries, now_ms=T0)
    assert set(result.remove) == set(entries)
    assert result.stored is None  # nothing was stored and nothing happened: still nothing stored


def test_a_refused_domain_is_reported_for_its_field_and_the_rest_is_kept() -> None:
    entries = {key(T0): entry("done", item=3, value=True), key(T0 + 1): entry("domain", value="exa mple.jp")}
    answer = json.loads(dispatch(json.dumps({"op": "fold", "stored": None, "entries": entries, "now_ms": T0 + 2})))
    view = json.loads(answer["view"])
    refused = view["rejected"][key(T0 + 1)]
    assert refused["field"] == "domain" and "ドメイン" in refused["ja"] and "domain" in refused["en"].lower()
    assert view["ja"]["current"]["items"][2]["done"] is True
    assert key(T0 + 1) not in view["folded"]


def test_one_checklist_per_domain() -> None:
    entries = {key(T0): entry("add", value="example.co.jp"), key(T0 + 1): entry("add", value="EXAMPLE.co.jp")}
    result = fold(None, entries, now_ms=T0 + 2)
    assert [m.domain for m in result.workspace.migrations] == ["example.co.jp"]
    assert result.rejected[key(T0 + 1)].field == "domain"


def test_the_newer_edit_of_a_field_wins_whatever_the_order() -> None:
    stored = fold(None, {key(T0): entry("add", value="example.co.jp")}, now_ms=T0).stored
    ident = doc(stored)["active"]
    older, newer = key(T0 + 1, "x"), key(T0 + 2, "y")
    both = {newer: entry("note", ident, item=4, value="new"), older: entry("note", ident, item=4, value="old")}
    one = fold(fold(stored, {newer: both[newer]}, now_ms=T0).stored, both, now_ms=T0)
    other = fold(fold(stored, {older: both[older]}, now_ms=T0).stored, both, now_ms=T0)
    assert one.workspace.active is not None and one.workspace.active.items[3].note == "new"
    assert one.stored == other.stored


def test_delete_keeps_a_tombstone_and_restore_brings_everything_back() -> None:
    entries = {key(T0): entry("add", value="a.example"), key(T0 + 1): entry("add", value="b.example")}
    stored = fold(None, entries, now_ms=T0).stored
    a, b = (m["id"] for m in doc(stored)["migrations"])
    entries[key(T0 + 2)] = entry("done", a, item=1, value=True)
    entries[key(T0 + 3)] = entry("delete", a)
    gone = fold(stored, entries, now_ms=T0)
    assert [m.id for m in gone.workspace.migrations] == [b]
    assert [m["id"] for m in doc(gone.stored)["deleted"]] == [a]
    entries[key(T0 + 4)] = entry("restore", a)
    back = fold(gone.stored, entries, now_ms=T0)
    assert [m.id for m in back.workspace.migrations] == [a, b]
    assert back.workspace.active_id == a and back.workspace.get(a).items[0].done


def test_reset_then_put_is_undo() -> None:
    from checklist_app.journal import values_of

    entries = {key(T0): entry("add", value="a.example")}
    ident = doc(fold(None, entries, now_ms=T0).stored)["active"]
    entries[key(T0 + 1)] = entry("done", ident, item=1, value=True)
    entries[key(T0 + 2)] = entry("note", ident, item=5, value="メモ")
    entries[key(T0 + 3)] = entry("cancellation_date", ident, value="2027-01-31")
    before = fold(None, entries, now_ms=T0).workspace.get(ident)
    entries[key(T0 + 4)] = entry("reset", ident)
    emptied = fold(None, entries, now_ms=T0).workspace.get(ident)
    assert not any(item.done or item.note for item in emptied.items) and emptied.cancellation_date is None
    entries[key(T0 + 5)] = entry("put", ident, value=values_of(before))
    assert fold(None, entries, now_ms=T0).workspace.get(ident).items == before.items


# --- the checklist-wide dates: 申込日 (row 1), ご解約日 (row 2), agreed DNS 切り替え日 (row 8) -----------------------

EXTRA = ("application_date", "cancellation_date", "switch_date")


def one_checklist() -> tuple[dict[str, str], str]:
    entries = {key(T0): entry("add", value="a.example")}
    return entries, doc(fold(None, entries, now_ms=T0).stored)["active"]


def test_the_new_date_kinds_set_their_field_and_the_clock() -> None:
    """application_date and switch_date are edits like cancellation_date: each sets its own field, stamped."""
    entries, ident = one_checklist()
    entries[key(T0 + 1)] = entry("application_date", ident, value="2026-12-01")
    entries[key(T0 + 2)] = entry("switch_date", ident, value="2027-01-18")
    result = fold(None, entries, now_ms=T0)
    migration = result.workspace.get(ident)
    assert (migration.application_date, migration.switch_date) == (date(2026, 12, 1), date(2027, 1, 18))
    assert migration.cancellation_date is None
    clock = doc(result.stored)["clock"]
    assert clock[f"{ident}/application_date"] == key(T0 + 1)[len(EDIT_PREFIX) :]
    assert clock[f"{ident}/switch_date"] == key(T0 + 2)[len(EDIT_PREFIX) :]
    stored = doc(result.stored)["migrations"][0]
    assert (stored["application_date"], stored["switch_date"]) == ("2026-12-01", "2027-01-18")


@pytest.mark.parametrize("kind", EXTRA)
def test_the_newest_edit_of_each_date_wins_in_any_order(kind: str) -> None:
    """Per field last writer wins: two tabs' edits of one date fold to the newer one whichever arrives first, and
    an edit of another date does not touch it."""
    entries, ident = one_checklist()
    stored = fold(None, entries, now_ms=T0).stored
    older, newer = key(T0 + 1, "x"), key(T0 + 2, "y")
    other = next(name for name in EXTRA if name != kind)
    both = {
        newer: entry(kind, ident, value="2027-01-21"),
        older: entry(kind, ident, value="2027-01-18"),
        key(T0 + 3, "z"): entry(other, ident, value="2027-02-01"),
    }
    one = fold(fold(stored, {newer: both[newer]}, now_ms=T0).stored, both, now_ms=T0)
    two = fold(fold(stored, {older: both[older]}, now_ms=T0).stored, both, now_ms=T0)
    assert one.stored == two.stored
    migration = one.workspace.get(ident)
    assert getattr(migration, kind) == date(2027, 1, 21) and getattr(migration, other) == date(2027, 2, 1)
    cleared = fold(one.stored, {**both, key(T0 + 4): entry(kind, ident, value="")}, now_ms=T0)
    assert getattr(cleared.workspace.get(ident), kind) is None
    assert getattr(cleared.workspace.get(ident), other) == date(2027, 2, 1)


@pytest.mark.parametrize("kind", ["application_date", "switch_date"])
def test_a_date_that_is_not_one_is_refused_naming_its_field(kind: str) -> None:
    entries, ident = one_checklist()
    entries[key(T0 + 1)] = entry(kind, ident, value="2027-02-30")
    result = fold(None, entries, now_ms=T0)
    assert result.rejected[key(T0 + 1)].field == kind
    assert getattr(result.workspace.get(ident), kind) is None


def test_reset_clears_the_three_dates_and_put_brings_them_back() -> None:
    """Reset empties the 申込日, the ご解約日 and the switch date with the rows; its undo (put) restores all three."""
    from checklist_app.journal import values_of

    entries, ident = one_checklist()
    entries[key(T0 + 1)] = entry("application_date", ident, value="2026-12-01")
    entries[key(T0 + 2)] = entry("cancellation_date", ident, value="2027-02-15")
    entries[key(T0 + 3)] = entry("switch_date", ident, value="2027-01-18")
    entries[key(T0 + 4)] = entry("done", ident, item=8, value=True)
    before = fold(None, entries, now_ms=T0).workspace.get(ident)
    values = values_of(before)
    assert {name: values[name] for name in EXTRA} == {
        "application_date": "2026-12-01",
        "cancellation_date": "2027-02-15",
        "switch_date": "2027-01-18",
    }
    entries[key(T0 + 5)] = entry("reset", ident)
    emptied = fold(None, entries, now_ms=T0).workspace.get(ident)
    assert [getattr(emptied, name) for name in EXTRA] == [None, None, None] and not emptied.items[7].done
    entries[key(T0 + 6)] = entry("put", ident, value=json.loads(json.dumps(values)))
    restored = fold(None, entries, now_ms=T0).workspace.get(ident)
    assert [getattr(restored, name) for name in EXTRA] == [getattr(before, name) for name in EXTRA]
    assert restored.items == before.items
    # An edit older than the reset cannot bring a date back; a newer one sets it again.
    late = {**entries, key(T0 + 4, "z"): entry("switch_date", ident, value="2027-01-25")}
    del late[key(T0 + 6)]
    assert fold(None, late, now_ms=T0).workspace.get(ident).switch_date is None
    late[key(T0 + 7)] = entry("switch_date", ident, value="2027-01-25")
    assert fold(None, late, now_ms=T0).workspace.get(ident).switch_date == date(2027, 1, 25)


def test_an_import_keeps_the_dates_and_an_older_edit_cannot_undo_them() -> None:
    """The export file's dates are merged in with the import's stamp: a journal entry older than it loses."""
    entries, ident = one_checklist()
    entries[key(T0 + 1)] = entry("switch_date", ident, value="2027-01-18")
    first = fold(None, entries, now_ms=T0 + 10)
    file = json.dumps(
        {
            "format": "netcom-checklist",
            "version": 2,
            "migrations": [
                {
                    "id": ident,
                    "domain": "a.example",
                    "application_date": "2026-12-01",
                    "switch_date": "2027-01-18",
                    "cancellation_date": "2027-02-15",
                },
                {"id": "m-7", "domain": "b.example", "switch_date": "2027-01-21"},
            ],
        }
    )
    merged = fold(first.stored, entries, now_ms=T0 + 20, import_text=file)
    assert merged.imported is not None and merged.imported.updated == (ident,)
    again = fold(merged.stored, {**entries, key(T0 + 2): entry("switch_date", ident, value="")}, now_ms=T0 + 30)
    by_domain = {m.domain: m for m in again.workspace.migrations}
    here = by_domain["a.example"]
    assert (here.application_date, here.switch_date, here.cancellation_date) == (
        date(2026, 12, 1),
        date(2027, 1, 18),
        date(2027, 2, 15),
    )
    assert by_domain["b.example"].switch_date == date(2027, 1, 21)
    assert loads(again.stored).workspace == again.workspace


def test_an_older_stored_document_keeps_everything_and_takes_new_edits() -> None:
    """A version-2 document written before the journal (no clock) is read as is; edits apply on top."""
    row = {"id": "m-1", "domain": "old.example", "items": {"1": {"done": True, "date": "2026-11-01", "note": "x"}}}
    old = json.dumps({"format": "netcom-checklist", "version": 2, "active": "m-1", "next_id": 2, "migrations": [row]})
    result = fold(old, {key(T0): entry("done", "m-1", item=2, value=True)}, now_ms=T0)
    migration = result.workspace.get("m-1")
    assert migration.items[0].done and migration.items[0].note == "x" and migration.items[1].done
    assert loads(result.stored).workspace.get("m-1").items == migration.items


def test_version_1_is_migrated_with_a_backup_of_the_original() -> None:
    v1 = json.dumps({"version": 1, "domain": "old.example", "checked": [1], "notes": {"2": "旧"}})
    answer = json.loads(dispatch(json.dumps({"op": "fold", "stored": v1, "entries": {}, "now_ms": T0})))
    assert answer["backup"] == v1 and answer["migrated_from"] == 1 and answer["changed"]
    assert json.loads(answer["view"])["ja"]["current"]["items"][1]["note"] == "旧"


def test_parse_edit_reads_what_the_page_writes() -> None:
    edit = parse_edit(key(T0, "k3"), entry("date", "m-1", item=7.0, value="2026-12-24"))
    assert edit is not None and edit.item == 7 and edit.kind == "date" and edit.millis == T0


if st is not None:
    FIELDS = st.sampled_from(["done", "date", "note", *EXTRA])
    NOTES = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cf")), max_size=5)  # what the field accepts

    @st.composite
    def two_tabs(draw: Any) -> tuple[list[tuple[int, str, str]], list[int]]:
        """Edits of two tabs on the same checklist (tab, key, text) and an interleaving of their folds."""
        edits = []
        for tab in (0, 1):
            for serial in range(draw(st.integers(1, 20))):
                item = draw(st.integers(1, 12))
                kind = draw(FIELDS)
                dates = st.sampled_from(["2026-12-01", "2026-12-02", None])
                value: Any = {"done": st.booleans(), "date": dates, "note": NOTES}.get(kind, dates)
                value = draw(value)
                ms = T0 + draw(st.integers(0, 5_000))
                edits.append((tab, key(ms, f"t{tab}s{serial}"), entry(kind, "m-1", item=item, value=value)))
        stale = draw(st.lists(st.integers(0, 3), min_size=len(edits), max_size=len(edits)))
        return edits, stale

    @pytest.mark.slow
    @settings(max_examples=FEWER, deadline=None)  # each example folds up to 40 times
    @given(two_tabs())
    def test_property_two_tabs_writing_at_once_lose_nothing(case: tuple[list[tuple[int, str, str]], list[int]]) -> None:
        """Two tabs record edits at the same moments and fold from stale copies of the document (localStorage
        reaches the other tab late); after every tab has folded on the last storage event, each field holds the
        value of its newest edit — no edit lost, whatever the order."""
        edits, stale = case
        base = json.dumps({"format": "netcom-checklist", "version": 2, "active": "m-1", "next_id": 2,
                           "migrations": [{"id": "m-1", "domain": "example.co.jp"}]})  # fmt: skip
        history = [base]  # every document written, newest last
        journal: dict[str, str] = {}
        seen = [dict[str, str](), dict[str, str]()]  # the journal entries each tab has seen (its own at once)
        for (tab, k, text), lag in zip(edits, stale, strict=True):
            journal[k] = text
            seen[tab][k] = text
            seen[1 - tab].update({key_: journal[key_] for key_ in list(journal)[: max(0, len(journal) - lag)]})
            copy = history[max(0, len(history) - 1 - lag)]  # a stale copy of the stored document
            result = fold(copy, seen[tab], now_ms=T0)
            if result.changed:
                history.append(result.stored)  # type: ignore[arg-type]
        # The storage events arrive: each tab folds the latest document with the whole journal until quiet.
        for _ in range(3):
            for _tab in (0, 1):
                result = fold(history[-1], journal, now_ms=T0)
                if result.changed:
                    history.append(result.stored)  # type: ignore[arg-type]
        assert not fold(history[-1], journal, now_ms=T0).changed
        final = loads(history[-1]).workspace.get("m-1")
        newest: dict[tuple[int, str], tuple[str, Any]] = {}
        for _tab, k, text in edits:
            data = json.loads(text)
            slot = (0 if data["edit"] in EXTRA else data["item"], data["edit"])
            if slot not in newest or k > newest[slot][0]:
                newest[slot] = (k, data["value"])
        for (item, kind), (_k, value) in newest.items():
            if kind in EXTRA:  # a checklist-wide date: set or cleared by its newest edit
                assert getattr(final, kind) == (None if value is None else date.fromisoformat(value))
                continue
            state = final.items[item - 1]
            if kind == "done":
                assert state.done is value
            elif kind == "note":
                assert state.note == value
            elif kind == "date" and value is not None:
                assert state.completed_on == date.fromisoformat(value)
