"""Invariants of checklist_app.steps, the single source of truth for the 7 steps and 12 checklist items."""

from __future__ import annotations

import re

import pytest

from checklist_app.steps import ACTORS, ITEMS, STEPS, Step, item_by_number, items_for_step, step_by_number

# The step URLs published in staff e-mails (issue 2, "URL contract"): they must never change.
PUBLISHED_STEP_PATHS = (
    "steps/1-application/",
    "steps/2-domain-transfer/",
    "steps/3-transfer-approval/",
    "steps/4-server-setup/",
    "steps/5-customer-setup/",
    "steps/6-dns-switch/",
    "steps/7-old-account/",
)
ANCHOR = re.compile(r"\A[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")


def test_there_are_twelve_items_numbered_one_to_twelve_in_order() -> None:
    """The checklist has exactly the seed's 12 rows, numbered 1–12 in order."""
    assert [item.number for item in ITEMS] == list(range(1, 13))


def test_there_are_seven_steps_numbered_one_to_seven_in_order() -> None:
    """The timeline has exactly the seed's 7 stages, numbered 1–7 in order."""
    assert [step.number for step in STEPS] == list(range(1, 8))


def test_step_paths_are_the_published_urls() -> None:
    """Each step's path is the URL published in the contract, in step order."""
    assert tuple(step.path for step in STEPS) == PUBLISHED_STEP_PATHS


def test_step_slug_starts_with_its_number() -> None:
    """A step's slug starts with its own number, so URLs read in order."""
    assert all(step.slug.startswith(f"{step.number}-") for step in STEPS)


def test_item_anchors_are_lowercase_ascii_ids() -> None:
    """Every item anchor is a lowercase ASCII id usable in a URL fragment in both languages."""
    bad = [item.anchor for item in ITEMS if not ANCHOR.match(item.anchor)]
    assert bad == []


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.slug)
def test_item_anchors_are_unique_on_each_step_page(step: Step) -> None:
    """No two items on the same step page share an anchor, nor clash with the item boxes' row ids."""
    anchors = [item.anchor for item in items_for_step(step.number)]
    row_ids = {item.row_id for item in items_for_step(step.number)}
    assert len(anchors) == len(set(anchors))
    assert not set(anchors) & row_ids


def test_requires_refer_only_to_earlier_items() -> None:
    """A prerequisite is always an item with a smaller number (no cycles, no forward references)."""
    bad = [(item.number, required) for item in ITEMS for required in item.requires if not 1 <= required < item.number]
    assert bad == []


def test_prerequisites_never_belong_to_a_later_step() -> None:
    """An item never waits for an item of a later step."""
    bad = [
        (item.number, required)
        for item in ITEMS
        for required in item.requires
        if item_by_number(required).step > item.step
    ]
    assert bad == []


def test_every_item_belongs_to_an_existing_step() -> None:
    """Each item's step number is one of the 7 steps."""
    step_numbers = {step.number for step in STEPS}
    assert {item.step for item in ITEMS} <= step_numbers


def test_only_item_two_has_the_cancellation_date() -> None:
    """Exactly item 2 carries the ご解約日 field."""
    assert [item.number for item in ITEMS if item.has_cancellation_date] == [2]


def test_items_for_step_partitions_the_checklist() -> None:
    """Taking each step's items in step order gives every item exactly once."""
    collected = [item.number for step in STEPS for item in items_for_step(step.number)]
    assert sorted(collected) == list(range(1, 13))
    assert len(collected) == len(ITEMS)


def test_every_actor_has_a_label() -> None:
    """Steps and items name only actors that have a badge label."""
    assert {step.actor for step in STEPS} | {item.actor for item in ITEMS} <= set(ACTORS)


def test_titles_exist_in_both_languages() -> None:
    """Every step and item title has Japanese and English text."""
    titles = [step.title for step in STEPS] + [item.title for item in ITEMS]
    assert all(title.ja.strip() and title.en.strip() for title in titles)


def test_row_id_is_item_and_number() -> None:
    """An item's row id on /checklist/ is ``item-<number>``."""
    assert [item.row_id for item in ITEMS] == [f"item-{n}" for n in range(1, 13)]


@pytest.mark.parametrize("number", [0, 8, -1])
def test_step_by_number_rejects_unknown_numbers(number: int) -> None:
    """step_by_number raises KeyError outside 1–7."""
    with pytest.raises(KeyError):
        step_by_number(number)


@pytest.mark.parametrize("number", [0, 13, -1])
def test_item_by_number_rejects_unknown_numbers(number: int) -> None:
    """item_by_number raises KeyError outside 1–12."""
    with pytest.raises(KeyError):
        item_by_number(number)


def test_lookups_return_the_numbered_object() -> None:
    """step_by_number and item_by_number return the object carrying that number."""
    assert [step_by_number(n).number for n in range(1, 8)] == list(range(1, 8))
    assert [item_by_number(n).number for n in range(1, 13)] == list(range(1, 13))
