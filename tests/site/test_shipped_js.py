"""The shipped JavaScript stays small and holds no second model of the checklist; its words come from Python."""

from __future__ import annotations

import json
import re
from pathlib import Path

from checklist_app.words import page_words

from .sitelib import REPO, Page

DOCS = REPO / "docs"
# The budget of issue 15: every .js/.mjs under docs/ (ours, the service worker, the theme's guarded head scripts, the
# search worker wrapper), blank and comment lines aside.
CODE_LINE_BUDGET = 1200
# Signs of a rule, a validator or a serializer of the stored document written again in JavaScript.
SECOND_MODEL = {
    "a reader or writer of the document format": re.compile(r"\bversion:\s*2\b|\bnext_id\b|\bmigrations\.push\b"),
    "a prerequisite rule": re.compile(r"\brequires\b|\bcannot_start_yet\b|n === 2"),
    "a status rule": re.compile(r"\"(?:in_progress|not_started)\""),
    "a date or text validator": re.compile(r"\\p\{C|2099-12-31|\bDOMAIN_MAX\b|\bNOTE_MAX\b|\bLABEL_MAX\b"),
    "the old write paths": re.compile(r"\b(?:writeDoc|readDoc|applyLocal|repairRace|derive)\b"),
}


def code_lines(text: str) -> int:
    """Lines of code in a JavaScript file: blank lines and lines that are only a comment are not counted."""
    count = 0
    in_block = False
    for raw in text.splitlines():
        line = raw.strip()
        if in_block:
            if "*/" in line:
                in_block = False
                line = line.split("*/", 1)[1].strip()
            else:
                continue
        if line.startswith("/*"):
            in_block = "*/" not in line
            continue
        if line and not line.startswith("//"):
            count += 1
    return count


def shipped_js() -> list[Path]:
    return sorted(path for path in DOCS.rglob("*") if path.suffix in (".js", ".mjs"))


def test_code_lines_are_counted_like_a_reader_would() -> None:
    """The counter skips blank lines, // lines and /* … */ blocks, and counts code with a trailing comment."""
    text = "// a\n\nconst a = 1; // one\n/* b\n c */\n/* d */\nlet b;\n"
    assert code_lines(text) == 2


def test_shipped_javascript_fits_the_budget() -> None:
    """At most 1,200 lines of JavaScript code ship with the site (the checklist's model lives in Python)."""
    sizes = {path.relative_to(DOCS).as_posix(): code_lines(path.read_text(encoding="utf-8")) for path in shipped_js()}
    assert sum(sizes.values()) <= CODE_LINE_BUDGET, sizes


def test_no_checklist_rule_validator_or_serializer_in_javascript() -> None:
    """No shipped script reads or writes the document format, decides a status or validates a field."""
    found = [
        (path.relative_to(DOCS).as_posix(), what, match.group(0))
        for path in shipped_js()
        for what, pattern in SECOND_MODEL.items()
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
        if not path.name.startswith(("sw.", "py-worker."))  # the runtime's own files name no checklist field
    ]
    assert found == []


def test_every_page_carries_pythons_words_in_its_language(pages: dict[str, Page]) -> None:
    """The glue's words are data from checklist_app.words, in the page's language, on every page."""
    checked = 0
    for rel, page in pages.items():
        words = [script for script in page.scripts if script.attrs.get("id") == "nc-words"]
        if page.meta_refresh or rel.endswith("404.html"):
            continue  # a redirect stub; the theme's 404 template (no page hook runs for it, and it has no checklist)
        assert len(words) == 1 and words[0].attrs.get("type") == "application/json", rel
        assert json.loads(words[0].text) == page_words(page.site_lang), rel
        checked += 1
    assert checked > 40


def test_no_stylesheet_shows_or_hides_by_text_through_has() -> None:
    """WebKit does not re-evaluate :has(:empty) when text is inserted (bug 286403): no rule of ours depends on it."""
    for css in sorted((DOCS / "assets").glob("*.css")):
        rules = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r":has\([^)]*:empty", rules), css.name
