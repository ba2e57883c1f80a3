"""checklist_app.progress: migrations, item state changes, statuses, summary, validation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from checklist_app.errors import ChecklistError
from checklist_app.progress import (
    EMPTY_ITEM,
    ITEM_STATUSES,
    NOTE_MAX_LENGTH,
    STATUS_LABELS,
    ItemState,
    Migration,
    Workspace,
    clean_text,
    domain_key,
    parse_date,
    validate_domain,
    validate_label,
    validate_note,
    validate_timestamp,
)
from checklist_app.steps import ITEMS, item_by_number
from tests.properties import MANY

NOW = "2026-12-01T09:00:00+09:00"
LATER = "2026-12-02T10:00:00+09:00"
TODAY = date(2026, 12, 1)


def new_migration(domain: str = "example.jp") -> Migration:
    return Migration.new("m-1", domain, now=NOW)


def ticked(migration: Migration, *numbers: int) -> Migration:
    for number in numbers:
        migration = migration.set_done(number, True, today=TODAY, now=NOW)
    return migration


def workspace_with(*domains: str) -> Workspace:
    workspace = Workspace()
    for domain in domains:
        workspace, _ = workspace.add(domain, now=NOW)
    return workspace


# --- item state changes ----------------------------------------------------------------------------


def test_new_migration_has_twelve_empty_items() -> None:
    """A new migration starts with 12 empty rows and no cancellation date."""
    migration = new_migration()
    assert migration.items == (EMPTY_ITEM,) * 12
    assert migration.cancellation_date is None


def test_new_migration_records_creation_time() -> None:
    """Migration.new stamps created and updated with the given time."""
    migration = new_migration()
    assert (migration.created, migration.updated) == (NOW, NOW)


def test_ticking_sets_todays_date_when_empty() -> None:
    """Ticking an item without a date fills in today."""
    migration = new_migration().set_done(1, True, today=TODAY, now=NOW)
    assert migration.item(1) == ItemState(done=True, completed_on=TODAY)


def test_ticking_keeps_a_date_already_entered() -> None:
    """Ticking never overwrites a date the customer typed."""
    migration = new_migration().set_date(1, "2026-11-20", now=NOW).set_done(1, True, today=TODAY, now=NOW)
    assert migration.item(1).completed_on == date(2026, 11, 20)


def test_unticking_keeps_date_and_note() -> None:
    """Unticking clears only the tick; the date and note stay."""
    migration = ticked(new_migration().set_note(1, "送付済み", now=NOW), 1)
    unticked = migration.set_done(1, False, today=TODAY, now=LATER)
    assert unticked.item(1) == ItemState(done=False, completed_on=TODAY, note="送付済み")


def test_reticking_brings_back_the_original_date() -> None:
    """Untick then tick on a later day restores the first date, not the later day."""
    migration = ticked(new_migration(), 1).set_done(1, False, today=TODAY, now=NOW)
    again = migration.set_done(1, True, today=date(2026, 12, 5), now=LATER)
    assert again.item(1).completed_on == TODAY


def test_changes_update_the_timestamp() -> None:
    """Every change stamps ``updated`` with the given time and leaves ``created``."""
    migration = new_migration().set_note(3, "x", now=LATER)
    assert (migration.created, migration.updated) == (NOW, LATER)


def test_changes_return_new_values() -> None:
    """Changing an item returns a new migration and leaves the old one as it was."""
    migration = new_migration()
    migration.set_done(1, True, today=TODAY, now=NOW)
    assert migration.item(1) == EMPTY_ITEM


def test_set_date_accepts_a_date_object() -> None:
    """set_date takes a ``date`` as well as text."""
    assert new_migration().set_date(4, date(2026, 12, 3), now=NOW).item(4).completed_on == date(2026, 12, 3)


def test_set_date_with_empty_text_clears_the_date() -> None:
    """An empty date field clears the date."""
    migration = new_migration().set_date(4, "2026-12-03", now=NOW).set_date(4, "", now=NOW)
    assert migration.item(4).completed_on is None


def test_set_date_does_not_tick() -> None:
    """Entering a date alone does not mark an item done."""
    assert new_migration().set_date(1, "2026-12-03", now=NOW).item(1).done is False


def test_clear_item_empties_the_row() -> None:
    """clear_item removes tick, date and note of one row only."""
    migration = ticked(new_migration(), 1, 2).set_note(1, "x", now=NOW).clear_item(1, now=NOW)
    assert migration.item(1) == EMPTY_ITEM
    assert migration.item(2).done


def test_note_line_breaks_are_normalised() -> None:
    """CR LF and CR in notes become LF."""
    assert new_migration().set_note(5, "a\r\nb\rc", now=NOW).item(5).note == "a\nb\nc"


def test_set_cancellation_date_stores_item_twos_date() -> None:
    """The ご解約日 is stored on the migration."""
    migration = new_migration().set_cancellation_date("2027-01-31", now=NOW)
    assert migration.cancellation_date == date(2027, 1, 31)


def test_reset_empties_every_row_and_keeps_identity() -> None:
    """reset empties rows and the cancellation date but keeps id, domain, label and creation time."""
    migration = ticked(new_migration(), 1, 2).set_cancellation_date("2027-01-31", now=NOW)
    cleared = migration.reset(now=LATER)
    assert cleared.items == (EMPTY_ITEM,) * 12
    assert cleared.cancellation_date is None
    assert (cleared.id, cleared.domain, cleared.created) == (migration.id, migration.domain, migration.created)


def test_ticking_is_allowed_before_prerequisites() -> None:
    """An item can be ticked even when its prerequisites are open (the customer may know better)."""
    assert new_migration().set_done(12, True, today=TODAY, now=NOW).item(12).done


# --- statuses --------------------------------------------------------------------------------------


def test_fresh_migration_statuses() -> None:
    """Items without prerequisites are not started; all others cannot start yet."""
    statuses = new_migration().statuses()
    expected = tuple("not_started" if not item.requires else "cannot_start_yet" for item in ITEMS)
    assert statuses == expected


def test_ticked_item_is_done() -> None:
    """A ticked item's status is done."""
    assert ticked(new_migration(), 1).status(1) == "done"


def test_done_wins_over_open_prerequisites() -> None:
    """A ticked item is done even if a prerequisite is not."""
    assert ticked(new_migration(), 3).status(3) == "done"


def test_item_with_note_is_in_progress() -> None:
    """An open, startable item with a note is in progress."""
    assert new_migration().set_note(1, "準備中", now=NOW).status(1) == "in_progress"


def test_item_with_date_is_in_progress() -> None:
    """An open, startable item with a date is in progress."""
    assert new_migration().set_date(2, "2026-12-10", now=NOW).status(2) == "in_progress"


def test_cancellation_date_puts_item_two_in_progress() -> None:
    """Item 2 with only the ご解約日 filled in is in progress."""
    assert new_migration().set_cancellation_date("2027-01-31", now=NOW).status(2) == "in_progress"


def test_cancellation_date_does_not_affect_other_items() -> None:
    """The ご解約日 only concerns item 2."""
    assert new_migration().set_cancellation_date("2027-01-31", now=NOW).status(1) == "not_started"


def test_open_prerequisite_means_cannot_start_yet_even_with_a_note() -> None:
    """ "Cannot start yet" wins over a note: the order of work still holds."""
    assert new_migration().set_note(3, "待ち", now=NOW).status(3) == "cannot_start_yet"


def test_item_becomes_startable_when_all_prerequisites_are_done() -> None:
    """Item 3 needs items 1 and 2: one is not enough, both make it not started."""
    assert ticked(new_migration(), 1).status(3) == "cannot_start_yet"
    assert ticked(new_migration(), 1, 2).status(3) == "not_started"


def test_unticking_a_prerequisite_blocks_dependants_again() -> None:
    """Unticking item 4 sends items 5 and 7 back to cannot start yet."""
    migration = ticked(new_migration(), 1, 2, 3, 4).set_done(4, False, today=TODAY, now=NOW)
    assert (migration.status(5), migration.status(7)) == ("cannot_start_yet", "cannot_start_yet")


def test_every_status_has_labels_in_both_languages() -> None:
    """Each status code has a Japanese and an English badge label, the Japanese ones from the issue."""
    assert set(STATUS_LABELS) == set(ITEM_STATUSES)
    assert [STATUS_LABELS[code].ja for code in ITEM_STATUSES] == ["未着手", "対応中", "完了", "まだ開始できません"]
    assert all(label.en for label in STATUS_LABELS.values())


# --- summary ---------------------------------------------------------------------------------------


def test_summary_counts_done_items() -> None:
    """The summary reads "n / 12 完了" in Japanese and "n of 12 completed" in English."""
    summary = ticked(new_migration(), 1, 2, 3).summary()
    assert (summary.done, summary.total) == (3, 12)
    assert summary.text.ja == "3 / 12 完了"
    assert summary.text.en == "3 of 12 completed"


def test_next_action_is_the_first_startable_open_item() -> None:
    """With items 1 and 2 done, the next action is item 3 on the step-3 page."""
    action = ticked(new_migration(), 1, 2).next_action()
    assert action is not None
    assert (action.item, action.step, action.path) == (3, 3, "steps/3-transfer-approval/")
    assert action.url == f"steps/3-transfer-approval/#{item_by_number(3).anchor}"


def test_next_action_skips_items_that_cannot_start() -> None:
    """With item 1 done and 2 open, the next action is item 2, not 3."""
    action = ticked(new_migration(), 1).next_action()
    assert action is not None and action.item == 2


def test_next_action_names_the_actor() -> None:
    """A Net-com row as next action says so, so the page can say "waiting for Net-com"."""
    action = ticked(new_migration(), 1, 2).next_action()
    assert action is not None and action.actor == "netcom"


def test_next_action_is_none_when_everything_is_done() -> None:
    """A finished checklist has no next action and is complete."""
    migration = ticked(new_migration(), *range(1, 13))
    assert migration.next_action() is None
    assert migration.summary().complete


def test_summary_splits_items_by_actor() -> None:
    """Net-com's rows and the customer's rows follow steps.ITEMS and cover all 12."""
    summary = new_migration().summary()
    assert summary.netcom_items == tuple(item.number for item in ITEMS if item.actor == "netcom")
    assert sorted(summary.netcom_items + summary.customer_items) == list(range(1, 13))
    assert summary.netcom_items == (3, 4, 9)


def test_summary_lists_netcom_rows_being_waited_for() -> None:
    """A startable, open Net-com row is listed as waiting on Net-com."""
    assert ticked(new_migration(), 1, 2).summary().waiting_on_netcom == (3,)
    assert new_migration().summary().waiting_on_netcom == ()


def test_summary_status_label() -> None:
    """The summary gives the badge text for an item."""
    assert ticked(new_migration(), 1).summary().status_label(1).ja == "完了"


# --- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["example.jp", "日本語.jp", "ＥＸＡＭＰＬＥ.jp", "xn--wgv71a119e.jp"])
def test_domain_accepts_ascii_and_japanese(domain: str) -> None:
    """ASCII, Japanese IDN and full-width domains are accepted as typed."""
    assert validate_domain(domain) == domain


def test_domain_surrounding_spaces_are_removed() -> None:
    """Spaces around a pasted domain are dropped."""
    assert validate_domain("  example.jp\n") == "example.jp"


@pytest.mark.parametrize(
    "domain",
    ["", "   ", "exa mple.jp", "example.jp\nevil", "exa\x00mple.jp", "a\u202eb.jp", "https://example.jp", "a@b.jp"],
)
def test_domain_rejects_bad_input_naming_the_field(domain: str) -> None:
    """Empty, spaced, control-character and URL-like domains raise ChecklistError for "domain"."""
    with pytest.raises(ChecklistError) as caught:
        validate_domain(domain)
    assert caught.value.field == "domain"
    assert caught.value.ja and caught.value.en


def test_domain_rejects_overlong_text() -> None:
    """More than 253 characters is not a domain."""
    with pytest.raises(ChecklistError):
        validate_domain("a" * 254)


def test_domain_rejects_non_text() -> None:
    """A number from a bad caller is a ChecklistError, not a TypeError."""
    with pytest.raises(ChecklistError):
        validate_domain(42)


def test_domain_key_ignores_case_width_and_trailing_dot() -> None:
    """Example.JP., ｅｘａｍｐｌｅ．ｊｐ and example。jp compare equal."""
    assert domain_key("Example.JP.") == domain_key("ｅｘａｍｐｌｅ．ｊｐ") == domain_key("example。jp") == "example.jp"


def test_note_limit() -> None:
    """A note of exactly the limit is fine; one more character is refused for "note"."""
    assert validate_note("あ" * NOTE_MAX_LENGTH) == "あ" * NOTE_MAX_LENGTH
    with pytest.raises(ChecklistError) as caught:
        validate_note("あ" * (NOTE_MAX_LENGTH + 1))
    assert caught.value.field == "note"


def test_note_rejects_control_characters_but_keeps_tabs() -> None:
    """Tabs and line breaks are allowed in notes; other control characters are not."""
    assert validate_note("a\tb\nc") == "a\tb\nc"
    with pytest.raises(ChecklistError):
        validate_note("a\x07b")


def test_label_rejects_line_breaks() -> None:
    """A display name is one line."""
    with pytest.raises(ChecklistError) as caught:
        validate_label("a\nb")
    assert caught.value.field == "label"


def test_clean_text_removes_what_validators_reject() -> None:
    """clean_text drops controls, keeping line breaks only for multi-line text."""
    assert clean_text("a\x00b\u202ec\nd", multiline=True) == "abc\nd"
    assert clean_text("a\nb") == "ab"


@pytest.mark.parametrize("value", ["2026-12-01", date(2026, 12, 1), datetime(2026, 12, 1, 15, 0)])
def test_parse_date_accepts_iso_text_and_dates(value: object) -> None:
    """ISO text, a date and a datetime all give the date."""
    assert parse_date(value) == date(2026, 12, 1)


@pytest.mark.parametrize("value", ["2026/12/01", "20261201", "2026-02-30", "1999-12-31", "2100-01-01", 20261201])
def test_parse_date_rejects_other_forms_and_impossible_dates(value: object) -> None:
    """Non-ISO text, impossible dates and dates outside 2000–2099 raise ChecklistError for the field."""
    with pytest.raises(ChecklistError) as caught:
        parse_date(value, "cancellation_date")
    assert caught.value.field == "cancellation_date"


def test_validate_timestamp_rejects_non_iso_text() -> None:
    """``now`` must be ISO 8601."""
    assert validate_timestamp(NOW) == NOW
    with pytest.raises(ChecklistError) as caught:
        validate_timestamp("yesterday")
    assert caught.value.field == "now"


@pytest.mark.parametrize("number", [0, 13, True, "1"])
def test_unknown_item_number_is_refused(number: object) -> None:
    """Item numbers outside 1–12 (or not integers) raise ChecklistError for "item"."""
    with pytest.raises(ChecklistError) as caught:
        new_migration().set_note(number, "x", now=NOW)  # type: ignore[arg-type]
    assert caught.value.field == "item"


def test_done_must_be_a_boolean() -> None:
    """A truthy string is not "done"."""
    with pytest.raises(ChecklistError) as caught:
        new_migration().set_done(1, "yes", today=TODAY, now=NOW)  # type: ignore[arg-type]
    assert caught.value.field == "done"


def test_migration_refuses_a_string_date_field() -> None:
    """A Migration cannot hold a date as text (it would not serialise)."""
    with pytest.raises(ChecklistError):
        replace(new_migration(), cancellation_date="2027-01-31")


def test_item_state_refuses_carriage_returns() -> None:
    """An ItemState holds notes with LF line breaks only, so storage round-trips."""
    with pytest.raises(ChecklistError):
        ItemState(note="a\rb")


# --- workspace -------------------------------------------------------------------------------------


def test_add_makes_the_new_migration_active() -> None:
    """Adding a migration selects it."""
    workspace = workspace_with("a.jp", "b.jp")
    assert workspace.active is not None and workspace.active.domain == "b.jp"


def test_add_numbers_ids_from_a_counter() -> None:
    """Ids are m-1, m-2 … in order of creation."""
    assert list(workspace_with("a.jp", "b.jp").ids()) == ["m-1", "m-2"]


def test_add_refuses_a_domain_already_there() -> None:
    """One checklist per domain: the same domain in another case or width is refused."""
    with pytest.raises(ChecklistError) as caught:
        workspace_with("example.jp").add("EXAMPLE.JP", now=NOW)
    assert caught.value.field == "domain"


def test_ids_are_never_reused_after_delete() -> None:
    """Deleting the last migration and adding another does not reuse its id."""
    workspace, _ = workspace_with("a.jp", "b.jp").delete("m-2")
    workspace, migration = workspace.add("c.jp", now=NOW)
    assert migration.id == "m-3"


def test_delete_then_restore_gives_back_the_same_workspace() -> None:
    """Undoing a delete restores the migration at its place and as the active one."""
    workspace = workspace_with("a.jp", "b.jp", "c.jp").select("m-2")
    deleted_workspace, deleted = workspace.delete("m-2")
    assert [m.domain for m in deleted_workspace.migrations] == ["a.jp", "c.jp"]
    assert deleted_workspace.restore(deleted) == workspace


def test_deleting_the_active_migration_selects_its_neighbour() -> None:
    """After deleting the active one, the next in the list is shown."""
    workspace, _ = workspace_with("a.jp", "b.jp", "c.jp").select("m-2").delete("m-2")
    assert workspace.active_id == "m-3"


def test_deleting_the_only_migration_leaves_none_active() -> None:
    """An empty workspace has no active migration."""
    workspace, _ = workspace_with("a.jp").delete("m-1")
    assert workspace.active is None and workspace.migrations == ()


def test_rename_changes_label_and_domain() -> None:
    """rename sets a new display name and domain."""
    workspace = workspace_with("a.jp").rename("m-1", domain="b.jp", label="B 社様", now=LATER)
    migration = workspace.get("m-1")
    assert (migration.domain, migration.label, migration.display_name, migration.updated) == (
        "b.jp",
        "B 社様",
        "B 社様",
        LATER,
    )


def test_rename_refuses_another_migrations_domain() -> None:
    """Renaming to a domain another checklist has is refused."""
    with pytest.raises(ChecklistError):
        workspace_with("a.jp", "b.jp").rename("m-1", domain="B.jp", now=NOW)


def test_update_applies_a_change_to_one_migration() -> None:
    """Workspace.update replaces one migration with the changed value."""
    workspace = workspace_with("a.jp", "b.jp").update("m-1", lambda m: ticked(m, 1))
    assert workspace.get("m-1").item(1).done and not workspace.get("m-2").item(1).done


def test_reset_returns_the_previous_value_for_undo() -> None:
    """Workspace.reset returns what was there; put() brings it back."""
    workspace = workspace_with("a.jp").update("m-1", lambda m: ticked(m, 1, 2))
    cleared, previous = workspace.reset("m-1", now=LATER)
    assert cleared.get("m-1").summary().done == 0
    assert cleared.put(previous) == workspace


def test_unknown_migration_id_is_a_checklist_error() -> None:
    """Asking for a migration that is not there raises ChecklistError for "migration"."""
    with pytest.raises(ChecklistError) as caught:
        Workspace().get("m-9")
    assert caught.value.field == "migration"


def test_workspace_refuses_duplicate_ids() -> None:
    """Two migrations cannot share an id."""
    with pytest.raises(ChecklistError):
        Workspace((new_migration("a.jp"), new_migration("b.jp")))


def test_workspace_refuses_an_unknown_active_id() -> None:
    """The active id must name one of the migrations."""
    with pytest.raises(ChecklistError):
        Workspace((new_migration(),), "m-2")


def test_find_domain_matches_case_insensitively() -> None:
    """find_domain finds EXAMPLE.jp for example.jp."""
    assert [m.id for m in workspace_with("example.jp").find_domain("EXAMPLE.jp")] == ["m-1"]


def test_includes_compares_information() -> None:
    """A migration with more data includes one with less, not the other way round."""
    less = ticked(new_migration(), 1)
    more = less.set_note(2, "x", now=NOW)
    assert more.includes(less) and not less.includes(more)


# --- properties (hypothesis; not available in every Pyodide build, so guarded) ---------------------

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - Pyodide without hypothesis runs the example tests above only
    st = None

if st is not None:
    ANY_VALUE = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(),
        st.dates(),
        st.datetimes(),
        st.lists(st.integers(), max_size=3),
    )
    OPERATION = st.tuples(
        st.sampled_from(["done", "date", "note", "cancel", "clear", "label"]),
        st.one_of(st.integers(min_value=-1, max_value=14), ANY_VALUE),
        ANY_VALUE,
    )

    def apply(migration: Migration, operation: tuple[str, object, object]) -> Migration:
        kind, number, value = operation
        if kind == "done":
            return migration.set_done(number, value, today=TODAY, now=NOW)  # type: ignore[arg-type]
        if kind == "date":
            return migration.set_date(number, value, now=NOW)  # type: ignore[arg-type]
        if kind == "note":
            return migration.set_note(number, value, now=NOW)  # type: ignore[arg-type]
        if kind == "cancel":
            return migration.set_cancellation_date(value, now=NOW)
        if kind == "clear":
            return migration.clear_item(number, now=NOW)  # type: ignore[arg-type]
        return Workspace((migration,)).rename(migration.id, label=value, now=NOW).get(migration.id)

    # Each row drawn as 3 bits (ticked, dated, noted): cheap to draw, and covers every case the rules look at.
    ROW_KINDS = tuple(
        ItemState(done=bool(bits & 1), completed_on=TODAY if bits & 2 else None, note="memo" if bits & 4 else "")
        for bits in range(8)
    )
    MIGRATIONS = st.builds(
        lambda kinds, cancel: replace(
            new_migration(), items=tuple(ROW_KINDS[kind] for kind in kinds), cancellation_date=cancel
        ),
        st.lists(st.integers(0, 7), min_size=12, max_size=12),
        st.sampled_from([None, TODAY]),
    )

    @pytest.mark.slow
    @settings(max_examples=MANY, deadline=None)
    @given(st.lists(OPERATION, max_size=8))
    def test_property_operations_raise_only_checklist_errors(operations: list[tuple[str, object, object]]) -> None:
        """Any sequence of edits with any inputs either succeeds or raises ChecklistError, never anything else."""
        migration = new_migration()
        for operation in operations:
            try:
                migration = apply(migration, operation)
            except ChecklistError as error:
                assert error.field and error.ja and error.en
        assert len(migration.items) == 12

    @pytest.mark.slow
    @settings(max_examples=MANY, deadline=None)
    @given(st.text(max_size=300))
    def test_property_domain_validation_raises_only_checklist_errors(text: str) -> None:
        """Any text is either accepted as a clean domain or refused with ChecklistError."""
        try:
            domain = validate_domain(text)
        except ChecklistError as error:
            assert error.field == "domain"
            return
        assert domain and not any(char.isspace() for char in domain)
        assert clean_text(domain) == domain

    @pytest.mark.slow
    @settings(max_examples=MANY, deadline=None)
    @given(MIGRATIONS)
    def test_property_statuses_follow_the_rules(migration: Migration) -> None:
        """For any state: done iff ticked, cannot_start_yet iff a prerequisite is open; count and next action agree."""
        summary = migration.summary()
        for item in ITEMS:
            state = migration.item(item.number)
            status = summary.statuses[item.number - 1]
            blocked = any(not migration.item(required).done for required in item.requires)
            assert (status == "done") == state.done
            assert (status == "cannot_start_yet") == (not state.done and blocked)
            has_data = state.completed_on is not None or bool(state.note)
            has_data = has_data or (item.has_cancellation_date and migration.cancellation_date is not None)
            assert (status == "in_progress") == (not state.done and not blocked and has_data)
        assert summary.done == sum(state.done for state in migration.items)
        startable = [
            item.number
            for item in ITEMS
            if not migration.item(item.number).done and all(migration.item(required).done for required in item.requires)
        ]
        assert (summary.next_action.item if summary.next_action else None) == (startable[0] if startable else None)
