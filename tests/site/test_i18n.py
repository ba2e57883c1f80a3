"""Both languages: every page has its twin, the same explicit ids, the right lang and a switcher to its twin."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pymdownx.slugs import slugify

from .sitelib import REPO, Page, resolve_link

pytestmark = pytest.mark.site

DOCS = REPO / "docs"
_SLUG = slugify(case="lower")  # the toc slugify configured in mkdocs.yml


def _content_pages(pages: dict[str, Page]) -> dict[str, Page]:
    """Built pages that are real pages: no 404 (one per site) and no redirect stubs (test_redirects.py)."""
    return {rel: p for rel, p in pages.items() if rel != "404.html" and p.meta_refresh is None}


def _twin_rel(rel: str) -> str:
    return rel.removeprefix("en/") if rel.startswith("en/") else "en/" + rel


def _is_auto_id(page: Page, element_id: str) -> bool:
    """True for ids MkDocs or Material made up (theme chrome, footnotes, slugs of a heading's own text)."""
    if element_id.startswith("__") or re.fullmatch(r"_\d+", element_id) or element_id.startswith(("fn:", "fnref")):
        return True
    heading = page.headings.get(element_id)
    if heading is None:
        return False
    return re.fullmatch(re.escape(_SLUG(heading, "-")) + r"(_\d+)?", element_id) is not None


def test_every_japanese_doc_has_an_english_twin() -> None:
    """docs/x.md has docs/x.en.md."""
    missing = [
        str(p.relative_to(DOCS))
        for p in sorted(DOCS.rglob("*.md"))
        if not p.name.endswith(".en.md") and not p.with_name(p.name.removesuffix(".md") + ".en.md").is_file()
    ]
    assert not missing, f"Japanese pages without an English twin: {missing}"


def test_every_english_doc_has_a_japanese_original() -> None:
    """docs/x.en.md has docs/x.md."""
    missing = [
        str(p.relative_to(DOCS))
        for p in sorted(DOCS.rglob("*.en.md"))
        if not p.with_name(p.name.removesuffix(".en.md") + ".md").is_file()
    ]
    assert not missing, f"English pages without a Japanese original: {missing}"


def test_every_built_page_has_its_twin(pages: dict[str, Page]) -> None:
    """Each built page under / has its twin under /en/ and the other way round."""
    content = _content_pages(pages)
    missing = [f"{rel} -> {_twin_rel(rel)}" for rel in content if _twin_rel(rel) not in content]
    assert not missing, "built pages without a twin:\n" + "\n".join(missing)


def test_html_lang_matches_the_language_of_each_page(pages: dict[str, Page]) -> None:
    """<html lang> is "ja" on Japanese pages and "en" under /en/."""
    wrong = [f"{rel}: lang={p.lang!r}" for rel, p in _content_pages(pages).items() if p.lang != p.site_lang]
    assert not wrong, "wrong <html lang>:\n" + "\n".join(wrong)


def test_root_404_page_is_japanese(get_page: Callable[[str], Page]) -> None:
    """The one 404 page at the site root (served for any unknown URL) is in the default language, Japanese."""
    assert get_page("404.html").lang == "ja"


def test_explicit_ids_are_the_same_in_both_languages(pages: dict[str, Page]) -> None:
    """Every id set on purpose (not a theme id or a heading's own slug) exists on the page's twin too."""
    problems: list[str] = []
    for rel, page in _content_pages(pages).items():
        twin = pages.get(_twin_rel(rel))
        if twin is None:
            continue  # reported by test_every_built_page_has_its_twin
        explicit = {i for i in page.ids if not _is_auto_id(page, i)}
        missing = sorted(explicit - set(twin.ids))
        if missing:
            problems.append(f"{rel} has {missing}, {twin.rel} does not")
    assert not problems, "explicit ids differ between languages:\n" + "\n".join(problems)


@pytest.mark.parametrize("other", ["ja", "en"])
def test_language_switcher_links_to_the_same_page(other: str, site_dir: Path, pages: dict[str, Page]) -> None:
    """The header's language switcher entry for ``other`` leads to this page in that language."""
    problems: list[str] = []
    for rel, page in _content_pages(pages).items():
        expected = rel if page.site_lang == other else _twin_rel(rel)
        links = [a for a in page.has_class("a", "md-select__link") if a.get("hreflang") == other]
        if len(links) != 1:
            problems.append(f"{rel}: {len(links)} switcher links to {other}")
            continue
        target = resolve_link(site_dir, rel, links[0]["href"])
        if target is None or target.rel != expected:
            problems.append(f"{rel}: switcher to {other} -> {links[0]['href']} (want {expected})")
    assert not problems, "\n".join(problems)


def test_alternate_links_point_to_the_twins(site_dir: Path, pages: dict[str, Page]) -> None:
    """<link rel="alternate" hreflang> names this page and its twin, for search engines."""
    problems: list[str] = []
    for rel, page in _content_pages(pages).items():
        alternates = {a["hreflang"]: a["href"] for t, a in page.links if t == "link" and a.get("rel") == "alternate"}
        for lang in ("ja", "en"):
            expected = rel if page.site_lang == lang else _twin_rel(rel)
            target = resolve_link(site_dir, rel, alternates.get(lang, "\0missing"))
            if target is None or target.rel != expected:
                problems.append(f"{rel}: alternate {lang} -> {alternates.get(lang)} (want {expected})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_footer_copyright_names_the_company_in_the_pages_language(lang: str, site_dir: Path) -> None:
    """Every page's footer copyright names the company as provider.toml spells it in that language (English pages:
    no Japanese left in the footer)."""
    from checklist_app.provider import PROVIDER

    block = re.compile(r'<div class="md-copyright__highlight">\s*(.*?)\s*</div>', re.DOTALL)
    pages = [p for p in site_dir.rglob("*.html") if (p.relative_to(site_dir).parts[:1] == ("en",)) == (lang == "en")]
    checked = 0
    for path in pages:
        found = block.search(path.read_text(encoding="utf-8"))
        if found is None:  # redirect stubs have no footer
            continue
        checked += 1
        text = found.group(1)
        assert PROVIDER.company.get(lang) in text, f"{path.relative_to(site_dir)}: {text}"
        if lang == "en":
            assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text), f"{path.relative_to(site_dir)}: {text}"
    assert checked > 10
