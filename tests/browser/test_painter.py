"""The painter paints exactly what Python decided: generated workspaces, their view from checklist_app.browser, the
real page in Chromium painting each one, and every painted value read back from the DOM."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page

from checklist_app.browser import view_text
from checklist_app.progress import ItemState, Migration, Workspace
from tests.properties import FEWER

from .conftest import open_checklist

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BATCH = 10  # workspaces painted per round trip to the page: FEWER rounds → a few thousand workspaces in make test

DATES = st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2099, 12, 31)))
NOTES = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cf")), max_size=8)
DOMAINS = st.sampled_from(["example.co.jp", "日本語.jp", "second.example", "", "a-b.test"])
LABELS = st.sampled_from(["", "Example 商事様", "<b>x</b>", "二番目"])
ITEM = st.builds(ItemState, done=st.booleans(), completed_on=DATES, note=NOTES)


@st.composite
def workspaces(draw: st.DrawFn) -> Workspace:
    """0–4 checklists with any rows, cancellation dates and names (domains unique), any of them shown."""
    domains = draw(st.lists(DOMAINS, max_size=4, unique=True))
    migrations = tuple(
        Migration(
            id=f"m-{n}",
            domain=domain,
            label=draw(LABELS),
            items=tuple(draw(st.lists(ITEM, min_size=12, max_size=12))),
            cancellation_date=draw(DATES),
        )
        for n, domain in enumerate(domains, start=1)
    )
    active = draw(st.sampled_from([m.id for m in migrations])) if migrations else None
    return Workspace(migrations, active, len(migrations) + 1)


# Paints each view the way the page does (the view under its key, then paint()) and reads back what is drawn.
PAINT_AND_READ = """(views) => views.map((view) => {
  localStorage.setItem("netcom-checklist:view", view);
  globalThis.ncChecklist.paint();
  const q = (s) => document.querySelector(s);
  const rows = Array.from(document.querySelectorAll("tr.nc-row"), (tr) => ({
    checked: tr.querySelector(".nc-done").checked,
    date: tr.querySelector('[data-field="completed_on"]').value,
    printed: tr.querySelector(".nc-print-blank").textContent,
    note: tr.querySelector(".nc-note__input").value,
    badge: tr.querySelector(".nc-status").textContent,
    badgeClass: tr.querySelector(".nc-status").className,
    badgeShown: tr.querySelector(".nc-status").getBoundingClientRect().width > 0,
  }));
  return {
    rows,
    domain: q("#checklist-domain").value,
    cancel: q("#cancel-date-2").value,
    progress: q("#nc-progress-text").textContent,
    bar: q("#nc-progress").hidden ? null : q("#nc-progress").value,
    next: q("#nc-next").hidden ? null : q("#nc-next").textContent,
    options: Array.from(q("#nc-migration-select").options, (o) => [o.value, o.textContent]),
    selected: q("#nc-migration-select").value,
  };
})"""


def expected(workspace: Workspace) -> dict[str, Any]:
    """What the page must show for ``workspace``, read from Python's own view (ja)."""
    view = json.loads(view_text(workspace))["ja"]
    current = view["current"]
    words = {"next": "次の作業:", "netcom": "(弊社の作業です。完了のご連絡をお待ちください)"}
    if current is None:
        rows = [{"checked": False, "date": "", "printed": "", "note": "", "badge": "", "badgeClass": "nc-status"}] * 12
        return {"rows": rows, "domain": "", "cancel": "", "progress": None, "bar": None, "next": None}
    rows = [
        {
            "checked": item["done"],
            "date": item["date"] or "",
            "printed": item["date_text"],
            "note": item["note"],
            "badge": item["status_label"],
            "badgeClass": f"nc-status nc-status--{item['status']}",
        }
        for item in current["items"]
    ]
    nxt = current["next"]
    if nxt is None:
        next_text = "すべての項目が完了しました。"
    else:
        next_text = f"{words['next']} {nxt['item']}. {nxt['title']}"
        if nxt["actor"] == "netcom":
            next_text += f" {words['netcom']}"
    return {
        "rows": rows,
        "domain": current["domain"],
        "cancel": current["cancellation_date"] or "",
        "progress": current["summary"],
        "bar": current["done"],
        "next": next_text,
        "options": [[m["id"], m["choice"]] for m in view["migrations"]],
        "selected": view["active"],
    }


@pytest.fixture
def painter(page: Page, base_url: str) -> Page:
    """The checklist page, Python held off (the painter alone), the domain field not focused."""
    page.route("**/pyodide-lock.json", lambda route: None)  # Python never starts: only the painter paints
    open_checklist(page, base_url, ready=False)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    return page


@settings(max_examples=FEWER, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(workspaces(), min_size=BATCH, max_size=BATCH))
def test_the_painted_checklist_equals_pythons_view(painter: Page, batch: list[Workspace]) -> None:
    """Any workspace: every tick, date, note, badge, the progress, the next action and the selector equal the view."""
    painted = painter.evaluate(PAINT_AND_READ, [view_text(workspace) for workspace in batch])
    for workspace, shown in zip(batch, painted, strict=True):
        want = expected(workspace)
        for n, (row, wanted_row) in enumerate(zip(shown["rows"], want["rows"], strict=True), start=1):
            assert row["badgeShown"] == bool(wanted_row["badge"]), (n, row)
            row.pop("badgeShown")
            assert row == wanted_row, (n, workspace)
        assert shown["domain"] == want["domain"]
        assert shown["cancel"] == want["cancel"]
        assert shown["bar"] == want["bar"]
        assert shown["next"] == want["next"]
        if want["progress"] is not None:
            assert shown["progress"] == want["progress"]
            assert shown["options"] == want["options"]
            assert shown["selected"] == want["selected"]
        else:
            assert shown["options"] == [] and shown["progress"]
