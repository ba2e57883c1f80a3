"""Old addresses keep working: every redirect in mkdocs.yml exists in both languages and lands on a real page.

Staff e-mails still name the PDF this site replaces, so ``/migration-guide/`` must lead to the overview.
A redirect whose target was written ``page.en.md`` once silently produced a broken link: every one is checked
on the built site, not on the configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .sitelib import LANGS, REPO, Page, load_mkdocs_config, page_file, resolve_link

pytestmark = pytest.mark.site

# The PDF's old name, as staff e-mails give it, and the page that replaces the PDF.
PDF_REDIRECT = ("migration-guide.md", "index.md")


def _redirect_maps() -> dict[str, str]:
    for plugin in load_mkdocs_config().get("plugins", []):
        if isinstance(plugin, dict) and "redirects" in plugin:
            conf: dict[str, Any] = plugin["redirects"] or {}
            return {str(k): str(v) for k, v in (conf.get("redirect_maps") or {}).items()}
    pytest.fail("the redirects plugin is not configured in mkdocs.yml")


def _doc_url(doc: str) -> str:
    """Site URL of a Markdown source: ``index.md`` -> ``/``, ``a/b.md`` -> ``/a/b/``."""
    stem = doc.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return "/" + stem.removesuffix("index")
    return "/" + stem + "/"


def _redirects() -> list[tuple[str, str]]:
    maps = _redirect_maps()
    assert maps, "redirect_maps is empty: the PDF-name redirect (migration-guide.md: index.md) belongs in it"
    return sorted(maps.items())


def test_pdf_name_redirect_is_configured() -> None:
    """mkdocs.yml redirects the old PDF name ``/migration-guide/`` to the overview."""
    assert _redirect_maps().get(PDF_REDIRECT[0]) == PDF_REDIRECT[1]


def test_redirects_are_written_as_japanese_sources_of_existing_pages() -> None:
    """Keys and targets are Japanese .md names (never page.en.md); targets exist, keys are no real page."""
    docs = REPO / "docs"
    problems = []
    for old, new in _redirects():
        target = new.partition("#")[0]
        if not old.endswith(".md") or old.endswith(".en.md") or (docs / old).exists():
            problems.append(f"{old}: must be a .md name (not .en.md) that is not a real page")
        if target.endswith(".en.md") or not (docs / target).is_file():
            problems.append(f"{old} -> {new}: the target must be an existing Japanese page (not .en.md)")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_every_redirect_stub_is_built(lang: str, site_dir: Path) -> None:
    """Each redirect has its stub page in this language (/old/ and /en/old/)."""
    missing = [
        page_file(_doc_url(old), lang)
        for old, _ in _redirects()
        if not (site_dir / page_file(_doc_url(old), lang)).is_file()
    ]
    assert not missing, f"redirect stubs not built ({lang}): {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_redirect_lands_on_its_target_in_the_same_language(
    lang: str, site_dir: Path, get_page: Callable[[str], Page]
) -> None:
    """The stub's meta refresh and its link both lead to the target page (and anchor) in the stub's language."""
    problems = []
    for old, new in _redirects():
        stub_rel = page_file(_doc_url(old), lang)
        stub = get_page(stub_rel)
        target_doc, _, fragment = new.partition("#")
        expected = page_file(_doc_url(target_doc), lang)
        hrefs = [stub.meta_refresh or "\0no meta refresh"] + [a["href"] for t, a in stub.links if t == "a"]
        for href in hrefs:
            target = resolve_link(site_dir, stub_rel, href)
            if target is None or target.rel != expected or target.fragment != fragment:
                problems.append(f"{stub_rel}: {href!r} does not lead to {expected}#{fragment}")
            elif fragment and fragment not in get_page(expected).ids:
                problems.append(f"{stub_rel}: {expected} has no id {fragment!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_redirect_stubs_declare_their_language(lang: str, get_page: Callable[[str], Page]) -> None:
    """Each stub's <html lang> is its language (mkdocs-redirects alone writes lang="en" everywhere)."""
    wrong = [
        f"{old}: lang={get_page(page_file(_doc_url(old), lang)).lang!r}"
        for old, _ in _redirects()
        if get_page(page_file(_doc_url(old), lang)).lang != lang
    ]
    assert not wrong, f"({lang}) " + ", ".join(wrong)
