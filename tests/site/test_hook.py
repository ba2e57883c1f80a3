"""The build hook (scripts/mkdocs_hooks.py) renders checklist_app's data into the pages.

Some tests read the real built site; others build a tiny throw-away site with the same hook to see what
it does with a changed provider value or a bad placeholder.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from checklist_app.provider import PROVIDER
from checklist_app.steps import ITEMS, STEPS

from .sitelib import LANGS, REPO, Element, build_site, page_file, parse_tree, resolve_link

pytestmark = pytest.mark.site

HOOK = REPO / "scripts" / "mkdocs_hooks.py"
DOCS = REPO / "docs"
# Provider values that change with the company's set-up: they must come from PROVIDER, never from page text.
HARD_CODE_WATCH = (
    "support_email",
    "support_phone",
    "support_fax",
    "mail_host_example",
    "web_host_example",
    "web_ipv4_example",
    "web_ipv6_example",
    "mail_ipv4_example",
    "old_mail_host_example",
)


@pytest.fixture(scope="session")
def tree(site_dir: Path) -> Callable[[str], Element]:
    """Parse a built page into an element tree (cached)."""
    cache: dict[str, Element] = {}

    def get(rel: str) -> Element:
        if rel not in cache:
            path = site_dir / rel
            if not path.is_file():
                pytest.fail(f"{rel} was not built")
            cache[rel] = parse_tree(path.read_text(encoding="utf-8"))
        return cache[rel]

    return get


def _tiny_site(tmp_path: Path, pages: dict[str, str], hook: Path = HOOK) -> tuple[int, str, Path]:
    """Build ``pages`` (docs-relative name -> Markdown) with the project's hook; return (rc, log, site dir)."""
    docs = tmp_path / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        textwrap.dedent(
            f"""\
            site_name: hook test
            docs_dir: docs
            theme: {{name: mkdocs}}
            hooks: [{hook}]
            markdown_extensions: [attr_list, md_in_html]
            """
        ),
        encoding="utf-8",
    )
    site = tmp_path / "out"
    result = build_site(config, site, cwd=tmp_path)
    return result.returncode, result.stdout + result.stderr, site


# --- provider values -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_overview_shows_the_providers_support_email(lang: str, tree: Callable[[str], Element]) -> None:
    """The overview's contact section shows PROVIDER.support_email."""
    page = tree(page_file("/", lang))
    assert page.find(id="contact") is not None, "no #contact on the overview"
    article = page.find("article")
    assert article is not None
    emails = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", article.text))
    assert PROVIDER.support_email in emails, f"support e-mail not on the overview; e-mails there: {emails}"


def test_no_page_hard_codes_a_provider_value() -> None:
    """No Markdown page contains a provider contact value or example host literally (use {{ provider.NAME }})."""
    found = [
        f"{path.relative_to(REPO)}: {name} ({getattr(PROVIDER, name)})"
        for path in sorted(DOCS.rglob("*.md"))
        for name in HARD_CODE_WATCH
        if str(getattr(PROVIDER, name)) in path.read_text(encoding="utf-8")
    ]
    assert not found, "hard-coded provider values:\n" + "\n".join(found)


def test_a_changed_provider_value_reaches_the_page(tmp_path: Path) -> None:
    """Changing PROVIDER changes the rendered page (the value is read at build time, not copied)."""
    wrapper = tmp_path / "hook_changed_provider.py"
    wrapper.write_text(
        textwrap.dedent(
            f"""\
            import dataclasses, importlib.util
            spec = importlib.util.spec_from_file_location("nc_hook_under_test", {str(HOOK)!r})
            hook = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(hook)
            hook.PROVIDER = dataclasses.replace(hook.PROVIDER, support_email="changed@hook-test.example")
            on_page_markdown = hook.on_page_markdown
            """
        ),
        encoding="utf-8",
    )
    rc, log, site = _tiny_site(
        tmp_path, {"index.md": "# Contact\n\nMail: {{ provider.support_email }}\n"}, hook=wrapper
    )
    assert rc == 0, log
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "changed@hook-test.example" in html
    assert PROVIDER.support_email not in html


def test_an_unknown_provider_value_fails_the_build(tmp_path: Path) -> None:
    """``{{ provider.no_such_value }}`` stops the build and names the value."""
    rc, log, _ = _tiny_site(tmp_path, {"index.md": "{{ provider.no_such_value }}\n"})
    assert rc != 0
    assert "no_such_value" in log


def test_an_unknown_placeholder_fails_the_build(tmp_path: Path) -> None:
    """A mistyped placeholder (``{{ timelin }}``) stops the build and names it."""
    rc, log, _ = _tiny_site(tmp_path, {"index.md": "# Overview\n\n{{ timelin }}\n"})
    assert rc != 0
    assert "timelin" in log


def test_a_step_placeholder_outside_a_step_page_fails_the_build(tmp_path: Path) -> None:
    """``{{ step_meta }}`` on a page that is not a step page stops the build."""
    rc, log, _ = _tiny_site(tmp_path, {"faq.md": "{{ step_meta }}\n", "index.md": "# x\n"})
    assert rc != 0
    assert "step_meta" in log


def test_known_placeholders_build_cleanly(tmp_path: Path) -> None:
    """The tiny site itself builds when every placeholder is known (so the failures above are the placeholders')."""
    rc, log, site = _tiny_site(tmp_path, {"index.md": "{{ timeline }}\n\n{{ provider.company }}\n"})
    assert rc == 0, log
    assert 'class="nc-timeline"' in (site / "index.html").read_text(encoding="utf-8")


def test_no_placeholder_is_left_in_the_built_site(site_dir: Path) -> None:
    """No built page shows a raw ``{{ … }}`` placeholder to the customer."""
    found = [
        f"{p.relative_to(site_dir)}: {m}"
        for p in sorted(site_dir.rglob("*.html"))
        for m in re.findall(r"\{\{\s*[a-z_.0-9]+\s*\}\}", p.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


# --- the overview timeline --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_has_seven_stages_linking_to_the_step_pages(
    lang: str, site_dir: Path, tree: Callable[[str], Element]
) -> None:
    """The overview timeline lists the 7 steps in order, each linking to its step page in the same language."""
    rel = page_file("/", lang)
    timeline = tree(rel).find("ol", cls="nc-timeline")
    assert timeline is not None, "no timeline on the overview"
    stages = timeline.find_all("li", cls="nc-timeline__stage")
    assert len(stages) == len(STEPS) == 7
    for stage, step in zip(stages, STEPS, strict=True):
        links = [a.attrs["href"] for a in stage.find_all("a") if "href" in a.attrs]
        targets = {t.rel for t in (resolve_link(site_dir, rel, h) for h in links) if t is not None}
        assert page_file("/" + step.path, lang) in targets, f"stage {step.number} links to {links}"
        assert step.title.get(lang) in stage.text


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_badges_name_who_acts(lang: str, tree: Callable[[str], Element]) -> None:
    """Each timeline stage carries exactly one actor badge, the step's actor (お客様 or 弊社)."""
    timeline = tree(page_file("/", lang)).find("ol", cls="nc-timeline")
    assert timeline is not None
    for stage, step in zip(timeline.find_all("li", cls="nc-timeline__stage"), STEPS, strict=True):
        badges = stage.find_all("span", cls="nc-badge")
        assert [b.classes for b in badges] == [{"nc-badge", f"nc-badge--{step.actor}"}], f"stage {step.number}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_step_page_shows_its_actor_and_its_items(lang: str, tree: Callable[[str], Element]) -> None:
    """A step page's meta box names the step's actor; its item box lists exactly that step's items."""
    for step in STEPS:
        page = tree(page_file("/" + step.path, lang))
        meta = page.find("div", cls="nc-step-meta")
        assert meta is not None, f"step {step.number}: no meta box"
        assert meta.find("span", cls=f"nc-badge--{step.actor}") is not None, f"step {step.number}: wrong actor"
        shown = [li.attrs.get("id") for li in page.find_all("li", cls="nc-item")]
        assert shown == [i.row_id for i in ITEMS if i.step == step.number], f"step {step.number}: items {shown}"


# --- the checklist form -------------------------------------------------------------------------------------------


def _form(tree: Callable[[str], Element], lang: str) -> Element:
    form = tree(page_file("/checklist/", lang)).find("form", id="checklist-form")
    assert form is not None, "no checklist form"
    return form


@pytest.mark.parametrize("lang", LANGS)
def test_checklist_form_has_twelve_rows_with_a_date_each(lang: str, tree: Callable[[str], Element]) -> None:
    """The checklist has rows item-1 … item-12 in order, each with a checkbox and a completion date input."""
    rows = _form(tree, lang).find_all("tr", cls="nc-row")
    assert [r.attrs.get("id") for r in rows] == [f"item-{n}" for n in range(1, 13)]
    for row in rows:
        assert len(row.find_all("input", type="checkbox")) == 1, row.attrs["id"]
        assert len(row.find_all("input", type="date", data_field="completed_on")) == 1, row.attrs["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_rows_and_step_items_carry_no_rule_and_their_live_parts(lang: str, tree: Callable[[str], Element]) -> None:
    """No row names its prerequisites any more (statuses come from Python's view); each checklist row carries its
    status badge and note field, each step-page item its checkbox and badge, rendered by the hook."""
    rows = _form(tree, lang).find_all("tr", cls="nc-row")
    assert len(rows) == len(ITEMS) and all("data-requires" not in row.attrs for row in rows)
    for row in rows:
        n = row.attrs["data-item"]
        assert [e.attrs.get("id") for e in row.iter() if "nc-status" in e.attrs.get("class", "")] == [f"status-{n}"]
        assert [e.attrs.get("id") for e in row.iter() if e.tag == "textarea"] == [f"note-{n}"]
    for step in STEPS:
        for li in tree(page_file("/" + step.path, lang)).find_all("li", cls="nc-item"):
            n = li.attrs["data-item"]
            assert "data-requires" not in li.attrs
            ids = {e.attrs.get("id") for e in li.iter()}
            assert {f"step-done-{n}", f"step-status-{n}"} <= ids, (step.number, n)


@pytest.mark.parametrize("lang", LANGS)
def test_cancellation_date_field_is_in_row_two_only(lang: str, tree: Callable[[str], Element]) -> None:
    """The ご解約日 date field sits in row 2 (cancelling the current host), labelled, and in no other row."""
    form = _form(tree, lang)
    fields = form.find_all("input", data_field="cancellation_date")
    assert len(fields) == 1
    row2 = form.find("tr", id="item-2")
    assert row2 is not None and fields[0] in list(row2.iter())
    assert fields[0].attrs.get("type") == "date"
    label = form.find("label", **{"for": fields[0].attrs["id"]})
    assert label is not None
    assert label.text == {"ja": "ご解約日", "en": "Cancellation date"}[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_saved_state_script_runs_right_after_the_form(
    lang: str, site_dir: Path, tree: Callable[[str], Element]
) -> None:
    """The first script after the checklist form is the built checklist-view.js, synchronous, before the theme's."""
    rel = page_file("/checklist/", lang)
    order = list(tree(rel).iter())
    form = _form(tree, lang)
    after = [e for e in order[order.index(form) :] if e.tag == "script"]
    assert after, "no script after the checklist form"
    early = after[0]
    assert not {"async", "defer", "type"} & set(early.attrs), early.attrs
    assert (site_dir / rel).parent.joinpath(early.attrs["src"]).resolve() == (
        site_dir / "assets/checklist-view.js"
    ).resolve()
    assert (site_dir / "assets/checklist-view.js").is_file()
    bundle = [i for i, e in enumerate(after) if "javascripts/bundle." in e.attrs.get("src", "")]
    assert bundle and bundle[0] > 0


@pytest.mark.parametrize("lang", LANGS)
def test_checklist_form_is_usable_without_javascript(lang: str, tree: Callable[[str], Element]) -> None:
    """The form is plain HTML: every control is in the page, enabled, visible and has a label."""
    form = _form(tree, lang)
    page = tree(page_file("/checklist/", lang))
    label_for = {e.attrs["for"] for e in page.find_all("label") if "for" in e.attrs}
    problems = []
    for control in form.find_all("input") + form.find_all("select") + form.find_all("textarea"):
        name = control.attrs.get("id", control.tag)
        if "disabled" in control.attrs or "hidden" in control.attrs or control.attrs.get("type") == "hidden":
            problems.append(f"{name}: disabled or hidden until a script runs")
        if control.attrs.get("id") not in label_for and not control.attrs.get("aria-label"):
            problems.append(f"{name}: no label")
    hidden_parents = [e.attrs.get("id", e.tag) for e in form.iter() if "hidden" in e.attrs]
    assert not problems and not hidden_parents, f"{problems} {hidden_parents}"


# --- fetch ahead (docs/assets/py-prefetch.js) -------------------------------------------------------------------


def _prefetch_pages(site: Path) -> set[str]:
    return {
        str(p.parent.relative_to(site))
        for p in site.rglob("index.html")
        if "assets/py-prefetch.js" in p.read_text(encoding="utf-8")
    }


def test_pages_linking_to_a_python_page_fetch_ahead(site_dir: Path) -> None:
    """Step and manual pages that link to a tool or the checklist carry py-prefetch.js; Python pages do not."""
    pages = _prefetch_pages(site_dir)
    assert {"steps/6-dns-switch", "en/steps/6-dns-switch", "manuals/mail-address"} <= pages
    assert not {"steps/2-domain-transfer", "tools/hosts", "checklist", "en/checklist", "tools/schedule"} & pages


def test_mkdocs_yml_can_turn_fetching_ahead_off(tmp_path: Path) -> None:
    """extra.nc_prefetch: false in mkdocs.yml leaves the script out of every page."""
    config = REPO / f".mkdocs-prefetch-off-{os.getpid()}.yml"  # beside mkdocs.yml: its relative paths hold
    config.write_text("INHERIT: mkdocs.yml\nextra:\n  nc_prefetch: false\n", encoding="utf-8")
    try:
        result = build_site(config, tmp_path / "out")
    finally:
        config.unlink()
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "steps" / "6-dns-switch" / "index.html").is_file()
    assert _prefetch_pages(tmp_path / "out") == set()
