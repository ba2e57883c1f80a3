"""checklist_app.storage: the versioned JSON format, migration of version 1, recovery, export and import."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from checklist_app.errors import ChecklistError
from checklist_app.progress import EMPTY_ITEM, NOTE_MAX_LENGTH, ItemState, Migration, Workspace
from checklist_app.storage import (
    BACKUP_KEY,
    FORMAT_NAME,
    FORMAT_VERSION,
    STORAGE_KEY,
    dumps,
    export_file,
    import_file,
    loads,
    to_data,
)
from tests.properties import FEWER, MANY

NOW = "2026-12-01T09:00:00+09:00"
TODAY = date(2026, 12, 1)


def sample_workspace() -> Workspace:
    """Two migrations with ticks, dates, notes and the three checklist-wide dates (the first only); the second is
    active."""
    workspace, first = Workspace().add("example.jp", "Example 様", now=NOW)
    workspace = workspace.update(
        first.id,
        lambda m: (
            m.set_done(1, True, today=TODAY, now=NOW)
            .set_note(2, "旧業者に連絡済み\n返事待ち", now=NOW)
            .set_cancellation_date("2027-01-31", now=NOW)
            .set_extra_date("application_date", "2026-11-30", now=NOW)
            .set_extra_date("switch_date", "2027-01-18", now=NOW)
        ),
    )
    workspace, second = workspace.add("日本語.jp", now=NOW)
    return workspace.update(second.id, lambda m: m.set_date(1, "2026-11-30", now=NOW))


def v2_document(**changes: Any) -> dict[str, Any]:
    document = to_data(sample_workspace())
    document.update(changes)
    return document


# --- writing ---------------------------------------------------------------------------------------


def test_storage_key_is_stable() -> None:
    """The localStorage keys are the documented constants."""
    assert (STORAGE_KEY, BACKUP_KEY) == ("netcom-checklist", "netcom-checklist-backup")


def test_dumps_writes_the_documented_top_level_fields() -> None:
    """A stored document names its format and version and lists the migrations."""
    document = json.loads(dumps(sample_workspace()))
    assert document["format"] == FORMAT_NAME == "netcom-checklist"
    assert document["version"] == FORMAT_VERSION == 2
    assert document["active"] == "m-2"
    assert document["next_id"] == 3
    assert [m["domain"] for m in document["migrations"]] == ["example.jp", "日本語.jp"]


def test_dumps_writes_every_item_keyed_by_number() -> None:
    """Items are an object keyed "1"–"12", each with done, date and note."""
    migration = json.loads(dumps(sample_workspace()))["migrations"][0]
    assert list(migration["items"]) == [str(n) for n in range(1, 13)]
    assert migration["items"]["1"] == {"done": True, "date": "2026-12-01", "note": ""}
    assert migration["items"]["2"] == {"done": False, "date": None, "note": "旧業者に連絡済み\n返事待ち"}
    assert migration["cancellation_date"] == "2027-01-31"


def test_dumps_always_writes_the_checklist_wide_dates() -> None:
    """申込日, ご解約日 and the agreed DNS 切り替え日: YYYY-MM-DD when set, null when not — never left out."""
    first, second = json.loads(dumps(sample_workspace()))["migrations"]
    assert (first["application_date"], first["cancellation_date"], first["switch_date"]) == (
        "2026-11-30",
        "2027-01-31",
        "2027-01-18",
    )
    assert {name: second[name] for name in EXTRA} == dict.fromkeys(EXTRA)


def test_round_trip_keeps_everything() -> None:
    """loads(dumps(w)) gives w back, with nothing to report and no backup needed."""
    workspace = sample_workspace()
    result = loads(dumps(workspace))
    assert result.workspace == workspace
    assert (result.recovered, result.problems, result.original, result.migrated_from) == (False, (), None, None)


# --- reading what is not there or not ours ---------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", "  \n"])
def test_nothing_saved_is_an_empty_workspace(text: str | None) -> None:
    """No stored text means an empty workspace and nothing recovered."""
    result = loads(text)
    assert result.workspace == Workspace()
    assert (result.recovered, result.original) == (False, None)


@pytest.mark.parametrize("text", ["garbage", "{", '{"version": 2, "migrations": [', "\x00\x01"])
def test_garbage_is_kept_as_original_and_does_not_raise(text: str) -> None:
    """Text that is not JSON gives an empty workspace, a problem and the original for backup."""
    result = loads(text)
    assert result.workspace == Workspace()
    assert result.recovered and result.problems and result.original == text


@pytest.mark.parametrize("text", ["[]", "42", '"text"', "null", "true"])
def test_json_that_is_not_an_object_is_recovered_as_empty(text: str) -> None:
    """Valid JSON of the wrong shape is reported, not raised."""
    result = loads(text)
    assert result.workspace == Workspace() and result.recovered and result.original == text


def test_non_text_input_does_not_raise() -> None:
    """A bytes value from a careless caller is a reported problem."""
    result = loads(b"{}")
    assert result.recovered and result.workspace == Workspace()


def test_deeply_nested_json_does_not_raise() -> None:
    """Nesting deeper than the parser's recursion limit is garbage, not a crash."""
    text = "[" * 200_000 + "]" * 200_000
    assert loads(text).recovered


def test_overlong_integer_does_not_raise() -> None:
    """An integer beyond Python's digit limit is garbage, not a crash."""
    assert loads('{"version": ' + "9" * 10_000 + "}").recovered


# --- recovering part of a document -----------------------------------------------------------------


def test_a_bad_item_is_emptied_and_the_others_kept() -> None:
    """An item that is not an object is reported and emptied; its neighbours survive."""
    document = v2_document()
    document["migrations"][0]["items"]["2"] = "broken"
    result = loads(json.dumps(document))
    migration = result.workspace.get("m-1")
    assert migration.item(2) == EMPTY_ITEM
    assert migration.item(1) == ItemState(True, TODAY, "")
    assert result.recovered and len(result.problems) == 1


def test_an_unknown_item_key_is_skipped() -> None:
    """An item key outside 1–12 is reported and skipped."""
    document = v2_document()
    document["migrations"][0]["items"]["13"] = {"done": True}
    result = loads(json.dumps(document))
    assert result.workspace == sample_workspace()
    assert len(result.problems) == 1


def test_a_non_boolean_done_becomes_false_and_keeps_the_date() -> None:
    """``"done": "yes"`` is reported and read as not done; the date stays."""
    document = v2_document()
    document["migrations"][0]["items"]["1"]["done"] = "yes"
    item = loads(json.dumps(document)).workspace.get("m-1").item(1)
    assert item == ItemState(False, TODAY, "")


@pytest.mark.parametrize("bad", ["2026-13-01", "tomorrow", 20261201, "1899-01-01"])
def test_a_bad_date_is_cleared_and_the_tick_kept(bad: object) -> None:
    """An unreadable completion date is reported and dropped; the tick stays."""
    document = v2_document()
    document["migrations"][0]["items"]["1"]["date"] = bad
    result = loads(json.dumps(document))
    assert result.workspace.get("m-1").item(1) == ItemState(True, None, "")
    assert result.recovered


def test_an_overlong_note_is_cut_to_the_limit() -> None:
    """A note over the limit is kept up to the limit and reported."""
    document = v2_document()
    document["migrations"][0]["items"]["3"]["note"] = "あ" * (NOTE_MAX_LENGTH + 5)
    result = loads(json.dumps(document))
    assert result.workspace.get("m-1").item(3).note == "あ" * NOTE_MAX_LENGTH
    assert result.recovered


def test_control_characters_are_removed_from_notes() -> None:
    """Control characters in a stored note are removed, line breaks kept."""
    document = v2_document()
    document["migrations"][0]["items"]["3"]["note"] = "a\x00b\u202e\nc"
    result = loads(json.dumps(document))
    assert result.workspace.get("m-1").item(3).note == "ab\nc"
    assert result.recovered


def test_a_migration_without_a_usable_domain_is_skipped() -> None:
    """A migration whose domain cannot be read is reported; the others load."""
    document = v2_document()
    document["migrations"][0]["domain"] = "not a domain"
    result = loads(json.dumps(document))
    assert [m.domain for m in result.workspace.migrations] == ["日本語.jp"]
    assert result.recovered and result.original is not None


def test_a_checklist_with_no_domain_yet_is_kept() -> None:
    """``"domain": ""`` is a checklist ticked before its domain was typed (checklist_app.journal): it loads as is."""
    document = v2_document()
    document["migrations"][0]["domain"] = ""
    document["migrations"][0]["label"] = ""
    result = loads(json.dumps(document))
    assert [m.domain for m in result.workspace.migrations] == ["", "日本語.jp"]
    assert not result.recovered
    assert result.workspace.migrations[0].name("ja") == "ドメイン未入力"


def test_a_duplicate_id_gets_a_new_id_and_both_are_kept() -> None:
    """Two migrations with one id both survive, in order; the second gets a fresh id."""
    document = v2_document()
    document["migrations"][1]["id"] = "m-1"
    result = loads(json.dumps(document))
    assert [(m.id, m.domain) for m in result.workspace.migrations] == [("m-1", "example.jp"), ("m-3", "日本語.jp")]
    assert result.recovered


def test_unknown_active_id_falls_back_to_the_first() -> None:
    """An active id naming no migration selects the first one."""
    result = loads(json.dumps(v2_document(active="m-99")))
    assert result.workspace.active_id == "m-1" and result.recovered


def test_null_active_means_none_selected() -> None:
    """``"active": null`` is a valid state: nothing selected."""
    result = loads(json.dumps(v2_document(active=None)))
    assert result.workspace.active_id is None and not result.recovered


def test_a_bad_id_counter_is_recomputed_from_the_ids() -> None:
    """A broken next_id becomes one past the highest generated id."""
    result = loads(json.dumps(v2_document(next_id="x")))
    assert result.workspace.next_serial == 3 and result.recovered


def test_a_newer_version_is_read_as_far_as_possible() -> None:
    """A document from a newer version loads what it can, says so, and keeps the original."""
    text = json.dumps(v2_document(version=3))
    result = loads(text)
    assert result.workspace == sample_workspace()
    assert result.recovered and result.original == text


def test_another_format_name_is_reported() -> None:
    """A document claiming another format is reported."""
    result = loads(json.dumps(v2_document(format="something-else")))
    assert result.recovered


EXTRA = ("application_date", "cancellation_date", "switch_date")


def test_a_document_without_the_new_dates_reads_them_as_null() -> None:
    """Documents written before application_date and switch_date existed load as they are, the dates empty."""
    document = v2_document()
    for migration in document["migrations"]:
        del migration["application_date"], migration["switch_date"]
    result = loads(json.dumps(document))
    first = result.workspace.get("m-1")
    assert (first.application_date, first.switch_date, first.cancellation_date) == (None, None, date(2027, 1, 31))
    assert result.workspace == sample_workspace().update(
        "m-1", lambda m: replace(m, application_date=None, switch_date=None)
    )
    assert (result.recovered, result.original) == (False, None)


@pytest.mark.parametrize(
    ("field", "name_ja", "name_en"),
    [
        ("application_date", "申込日", "application date"),
        ("switch_date", "DNS 切り替え日", "DNS switch date"),
        ("cancellation_date", "ご解約日", "cancellation date"),
    ],
)
@pytest.mark.parametrize("bad", ["2027-02-30", "next week", 20270118, ["2027-01-18"]])
def test_an_unreadable_checklist_wide_date_is_cleared_and_named(
    field: str, name_ja: str, name_en: str, bad: object
) -> None:
    """A bad 申込日, switch date or ご解約日 is left empty and reported by its name; the rest of the checklist stays."""
    document = v2_document()
    document["migrations"][0][field] = bad
    result = loads(json.dumps(document))
    migration = result.workspace.get("m-1")
    assert getattr(migration, field) is None
    assert replace(migration, **{field: getattr(sample_workspace().get("m-1"), field)}) == sample_workspace().get("m-1")
    (problem,) = result.problems
    assert name_ja in problem.ja and name_en in problem.en and result.recovered


def test_missing_optional_fields_are_defaults() -> None:
    """A minimal version-2 document (only id and domain) loads without complaint."""
    text = json.dumps({"format": FORMAT_NAME, "version": 2, "migrations": [{"id": "m-1", "domain": "a.jp"}]})
    result = loads(text)
    assert result.workspace == Workspace((Migration("m-1", "a.jp"),), None, 2)
    assert not result.recovered


# --- version 1 -------------------------------------------------------------------------------------

V1 = {
    "version": 1,
    "domain": "example.jp",
    "checked": [1, 2],
    "dates": {"1": "2026-12-01", "4": "2026-12-05"},
    "notes": {"2": "Auth Code 受領"},
    "cancellation_date": "2027-01-31",
}


def test_version_1_is_migrated() -> None:
    """A version-1 document becomes one migration m-1 with its ticks, dates, notes and ご解約日."""
    result = loads(json.dumps(V1))
    migration = result.workspace.get("m-1")
    assert result.workspace.active_id == "m-1"
    assert migration.item(1) == ItemState(True, date(2026, 12, 1), "")
    assert migration.item(2) == ItemState(True, None, "Auth Code 受領")
    assert migration.item(4) == ItemState(False, date(2026, 12, 5), "")
    assert migration.cancellation_date == date(2027, 1, 31)


def test_version_1_migration_keeps_the_original_without_calling_it_damage() -> None:
    """Migrating version 1 is not a recovery, but the old text is kept as a backup."""
    text = json.dumps(V1)
    result = loads(text)
    assert (result.recovered, result.migrated_from, result.original) == (False, 1, text)


def test_version_1_bad_entries_are_skipped() -> None:
    """In version 1, an impossible checked number is reported and the rest kept."""
    result = loads(json.dumps({**V1, "checked": [1, "two", 99]}))
    migration = result.workspace.get("m-1")
    assert [n for n in range(1, 13) if migration.item(n).done] == [1]
    assert len(result.problems) == 2


def test_migrated_version_1_saves_as_version_2() -> None:
    """Saving a migrated document writes the current version, which loads cleanly."""
    workspace = loads(json.dumps(V1)).workspace
    again = loads(dumps(workspace))
    assert json.loads(dumps(workspace))["version"] == 2
    assert again.workspace == workspace and again.original is None


# --- export ----------------------------------------------------------------------------------------


def test_export_one_names_the_file_after_the_domain_and_date() -> None:
    """Exporting one migration names the file after its domain (IDN as punycode) and the day."""
    filename, _ = export_file(sample_workspace(), "m-2", today=TODAY)
    assert filename == "netcom-checklist-xn--wgv71a119e.jp-2026-12-01.json"


def test_export_one_holds_only_that_migration() -> None:
    """The exported text is a version-2 document with just the chosen migration."""
    workspace = sample_workspace()
    _, text = export_file(workspace, "m-1")
    loaded = loads(text).workspace
    assert loaded.migrations == (workspace.get("m-1"),)


def test_export_all_holds_every_migration() -> None:
    """Exporting all gives the whole workspace back on load."""
    workspace = sample_workspace()
    filename, text = export_file(workspace)
    assert filename == "netcom-checklist-all.json"
    assert loads(text).workspace == workspace


def test_export_of_nothing_is_refused() -> None:
    """An empty workspace has nothing to export: ChecklistError."""
    with pytest.raises(ChecklistError):
        export_file(Workspace())


# --- import ----------------------------------------------------------------------------------------


def test_import_adds_a_new_domain() -> None:
    """A migration for a domain not yet here is added and selected."""
    _, text = export_file(sample_workspace(), "m-2")
    workspace, _ = Workspace().add("other.jp", now=NOW)
    merged, report = import_file(workspace, text)
    assert [m.domain for m in merged.migrations] == ["other.jp", "日本語.jp"]
    assert report.added == (merged.active_id,)
    assert merged.get("m-1").domain == "other.jp"


def test_import_of_what_is_already_here_changes_nothing() -> None:
    """Importing one's own export leaves the workspace as it was."""
    workspace = sample_workspace()
    merged, report = import_file(workspace, export_file(workspace)[1])
    assert merged == workspace
    assert report.unchanged == ("m-1", "m-2") and not (report.added or report.updated or report.copied)


def test_import_of_a_more_complete_copy_updates_in_place() -> None:
    """A file holding everything here and more replaces the checklist here, keeping its id."""
    here = sample_workspace()
    there = here.update("m-1", lambda m: m.set_done(2, True, today=TODAY, now="2026-12-03T10:00:00+09:00"))
    merged, report = import_file(here, export_file(there, "m-1")[1])
    assert merged.get("m-1") == there.get("m-1")
    assert report.updated == ("m-1",)


def test_import_of_a_conflicting_copy_keeps_both() -> None:
    """When both sides hold something the other lacks, the file's one is added beside it."""
    base = sample_workspace()
    here = base.update("m-1", lambda m: m.set_note(5, "こちらのメモ", now=NOW))
    there = base.update("m-1", lambda m: m.set_note(5, "あちらのメモ", now=NOW))
    merged, report = import_file(here, export_file(there, "m-1")[1])
    assert merged.get("m-1") == here.get("m-1")
    assert len(report.copied) == 1
    assert merged.get(report.copied[0]).item(5).note == "あちらのメモ"


@pytest.mark.parametrize("field", ["application_date", "switch_date"])
def test_import_compares_the_new_dates_like_the_rows(field: str) -> None:
    """A file that adds a date extends the checklist here (updated); a file with another date is kept beside it."""
    here = sample_workspace().update("m-2", lambda m: m.set_extra_date(field, None, now=NOW))
    there = here.update("m-2", lambda m: m.set_extra_date(field, "2027-01-21", now=NOW))
    merged, report = import_file(here, export_file(there, "m-2")[1])
    assert report.updated == ("m-2",) and getattr(merged.get("m-2"), field) == date(2027, 1, 21)
    other = here.update("m-2", lambda m: m.set_extra_date(field, "2027-01-25", now=NOW))
    merged, report = import_file(merged, export_file(other, "m-2")[1])
    assert len(report.copied) == 1
    assert getattr(merged.get("m-2"), field) == date(2027, 1, 21)
    assert getattr(merged.get(report.copied[0]), field) == date(2027, 1, 25)
    _, report = import_file(merged, export_file(here, "m-2")[1])  # the file lacks the date: nothing new in it
    assert report.unchanged == ("m-2",)


def test_import_gives_a_new_id_when_the_files_id_is_taken() -> None:
    """A file's m-1 for another domain does not overwrite the local m-1."""
    workspace, _ = Workspace().add("local.jp", now=NOW)
    other, _ = Workspace().add("remote.jp", now=NOW)
    merged, report = import_file(workspace, export_file(other)[1])
    assert merged.get("m-1").domain == "local.jp"
    assert merged.get(report.added[0]).domain == "remote.jp" and report.added[0] != "m-1"


def test_import_matches_domains_case_insensitively() -> None:
    """EXAMPLE.JP in the file is the same domain as example.jp here."""
    workspace = sample_workspace()
    upper = workspace.rename("m-1", domain="EXAMPLE.JP", now=NOW)
    _, report = import_file(workspace, export_file(upper, "m-1")[1])
    assert report.unchanged == ("m-1",)


def test_import_reads_version_1_files() -> None:
    """An old version-1 file imports as one migration."""
    merged, report = import_file(Workspace(), json.dumps(V1))
    assert [m.domain for m in merged.migrations] == ["example.jp"] and report.added == ("m-1",)


def test_import_of_an_unreadable_file_is_a_checklist_error() -> None:
    """A file with no readable migration raises ChecklistError for "file"."""
    with pytest.raises(ChecklistError) as caught:
        import_file(Workspace(), "not json")
    assert caught.value.field == "file"


def test_import_passes_on_the_problems_of_a_damaged_file() -> None:
    """Readable parts of a damaged file are imported and the damage reported."""
    document = v2_document()
    document["migrations"][0]["items"]["1"] = []
    merged, report = import_file(Workspace(), json.dumps(document))
    assert len(merged.migrations) == 2 and len(report.problems) == 1


def test_import_report_message_in_both_languages() -> None:
    """The report sums up what happened in Japanese and English."""
    workspace = sample_workspace()
    _, report = import_file(workspace, export_file(workspace)[1])
    assert report.message.ja == "2 件はすでに同じ内容です。"
    assert report.message.en == "2 already up to date."


# --- properties (hypothesis; not available in every Pyodide build, so guarded) ---------------------

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - Pyodide without hypothesis runs the example tests above only
    st = None

if st is not None:
    from checklist_app.progress import EARLIEST_DATE, LABEL_MAX_LENGTH, LATEST_DATE, MAX_SERIAL

    # Small pools mixed with free text: shared ids and domains make imports meet every merge case,
    # and most rows are empty as in real data (which also keeps 10,000 examples affordable).
    CLEAN = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zs", "Zl", "Zp"))
    DOMAINS = st.one_of(
        st.sampled_from(["example.jp", "EXAMPLE.JP", "ｅｘａｍｐｌｅ.jp", "日本語.jp", "example.jp."]),
        st.text(
            st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zs", "Zl", "Zp"), exclude_characters="/\\:@#?"),
            min_size=1,
            max_size=20,
        ),
    )
    LABELS = st.one_of(
        st.just(""),
        st.text(st.characters(exclude_categories=("Cc", "Cf", "Cs")), max_size=20).map(str.strip),
        st.just("表" * LABEL_MAX_LENGTH),
    )
    NOTES = st.one_of(
        st.just(""),
        st.text(st.one_of(CLEAN, st.sampled_from(" \n\t　")), max_size=30),
        st.just("あ\n" * (NOTE_MAX_LENGTH // 2)),
    )
    DATES = st.one_of(st.none(), st.dates(EARLIEST_DATE, LATEST_DATE))
    STAMPS = st.one_of(st.just(""), st.datetimes().map(lambda moment: moment.isoformat()))
    IDS = st.one_of(st.sampled_from(["m-1", "m-2", "m-3", "x_9"]), st.from_regex(r"\A[A-Za-z0-9_-]{1,40}\Z"))
    ITEM_STATES = st.builds(ItemState, done=st.booleans(), completed_on=DATES, note=NOTES)
    # A few filled rows among empty ones, drawn as {number: state}: realistic and cheap to draw.
    ROWS = st.dictionaries(st.integers(1, 12), ITEM_STATES, max_size=12).map(
        lambda rows: tuple(rows.get(number, EMPTY_ITEM) for number in range(1, 13))
    )
    MIGRATIONS = st.builds(
        Migration,
        id=IDS,
        domain=DOMAINS,
        label=LABELS,
        items=ROWS,
        cancellation_date=DATES,
        application_date=DATES,
        switch_date=DATES,
        created=STAMPS,
        updated=STAMPS,
    )

    @st.composite
    def workspaces(draw: st.DrawFn, min_size: int = 0, max_size: int = 3) -> Workspace:
        migrations = draw(
            st.lists(MIGRATIONS, min_size=min_size, max_size=max_size, unique_by=lambda migration: migration.id)
        )
        active = draw(st.one_of(st.none(), st.sampled_from([m.id for m in migrations]))) if migrations else None
        return Workspace(tuple(migrations), active, draw(st.integers(1, MAX_SERIAL)))

    JSON_VALUES = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
        max_leaves=20,
    )

    @pytest.mark.slow
    @settings(max_examples=MANY, deadline=None)
    @given(workspaces(), st.sampled_from([None, 2]))
    def test_property_round_trip_is_lossless(workspace: Workspace, indent: int | None) -> None:
        """For any valid workspace, loads(dumps(w)) == w with nothing recovered (compact and indented)."""
        result = loads(dumps(workspace, indent=indent))
        assert result.workspace == workspace
        assert (result.recovered, result.problems, result.original) == (False, (), None)

    @pytest.mark.slow
    @settings(max_examples=MANY, deadline=None)
    @given(st.text())
    def test_property_loading_any_text_never_raises(text: str) -> None:
        """Any text loads to some workspace; unreadable text is kept as the original."""
        result = loads(text)
        assert isinstance(result.workspace, Workspace)
        assert result.original == text or not result.recovered

    @pytest.mark.slow
    @settings(max_examples=FEWER, deadline=None)
    @given(
        st.one_of(
            JSON_VALUES,
            st.fixed_dictionaries(
                {"version": st.sampled_from([1, 2, 3]), "migrations": JSON_VALUES, "active": JSON_VALUES},
                optional={"domain": JSON_VALUES, "checked": JSON_VALUES, "dates": JSON_VALUES, "next_id": JSON_VALUES},
            ),
        )
    )
    def test_property_loading_any_json_never_raises(value: object) -> None:
        """Any JSON value, including ones shaped like our documents, loads without raising."""
        result = loads(json.dumps(value))
        assert isinstance(result.workspace, Workspace)

    @pytest.mark.slow
    @settings(max_examples=FEWER, deadline=None)
    @given(workspaces(min_size=1, max_size=2), st.data())
    def test_property_damage_to_one_item_spares_the_rest(workspace: Workspace, data: st.DataObject) -> None:
        """Replacing one stored item with any JSON value changes at most that item of that migration."""
        document = to_data(workspace)
        position = data.draw(st.integers(0, len(workspace.migrations) - 1))
        number = data.draw(st.integers(1, 12))
        document["migrations"][position]["items"][str(number)] = data.draw(JSON_VALUES)
        loaded = loads(json.dumps(document)).workspace
        assert len(loaded.migrations) == len(workspace.migrations)
        for index, (before, after) in enumerate(zip(workspace.migrations, loaded.migrations, strict=True)):
            for n in range(1, 13):
                if (index, n) != (position, number):
                    assert after.item(n) == before.item(n)
            assert replace(after, items=before.items) == before

    @pytest.mark.slow
    @settings(max_examples=MANY, deadline=None)
    @given(workspaces(max_size=2), workspaces(min_size=1, max_size=2))
    def test_property_import_never_loses_anything(here: Workspace, there: Workspace) -> None:
        """After importing any export, every local migration still holds what it held, and so does the file's."""
        merged, report = import_file(here, dumps(there))
        for migration in here.migrations:
            assert merged.get(migration.id).includes(migration)
        for incoming in there.migrations:
            assert any(candidate.includes(incoming) for candidate in merged.find_domain(incoming.domain))
        assert len(report.added) + len(report.updated) + len(report.copied) + len(report.unchanged) == len(
            there.migrations
        )


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    """A note full of brackets is text, not nesting: the document still loads untouched."""
    ws, migration = Workspace().add("example.co.jp", "", now="2026-12-01T09:00:00+09:00")
    ws = ws.update(migration.id, lambda m: m.set_note(1, "[" * 100 + "{" * 100, now="2026-12-01T10:00:00+09:00"))
    result = loads(dumps(ws))
    assert not result.recovered
    assert result.workspace.get(migration.id).items[0].note == "[" * 100 + "{" * 100
