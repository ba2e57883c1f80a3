"""The URL contract and the links that hold the built site together."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from checklist_app.steps import ITEMS, STEPS

from .sitelib import LANGS, REPO, ContractPage, Page, page_file, resolve_link

pytestmark = pytest.mark.site


def _missing_anchors(page: Page, anchors: tuple[str, ...]) -> list[str]:
    ids = set(page.ids)
    return [a for a in anchors if a not in ids]


@pytest.mark.parametrize("lang", LANGS)
def test_every_contract_url_is_built(lang: str, site_dir: Path, contract: tuple[ContractPage, ...]) -> None:
    """Every published URL exists in the built site, in this language."""
    missing = [
        f"{lang} {p.url} ({page_file(p.url, lang)})"
        for p in contract
        if not (site_dir / page_file(p.url, lang)).is_file()
    ]
    assert not missing, "contract URLs not built:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LANGS)
def test_every_contract_anchor_exists(lang: str, pages: dict[str, Page], contract: tuple[ContractPage, ...]) -> None:
    """Every published anchor exists on its page, in this language."""
    problems: list[str] = []
    for entry in contract:
        rel = page_file(entry.url, lang)
        if rel not in pages:
            problems.append(f"{lang} {entry.url}: page not built")
            continue
        prefix = "" if lang == "ja" else "/en"
        problems.extend(f"{lang} {prefix}{entry.url}#{a}" for a in _missing_anchors(pages[rel], entry.anchors))
    assert not problems, f"{len(problems)} contract anchors missing:\n" + "\n".join(problems)


def test_contract_sources_exist_in_both_languages(contract: tuple[ContractPage, ...]) -> None:
    """Each contract page names a Markdown source that exists together with its .en.md twin."""
    docs = REPO / "docs"
    missing = [
        str(path.relative_to(REPO))
        for entry in contract
        for path in (docs / entry.source, docs / entry.source.replace(".md", ".en.md"))
        if not path.is_file()
    ]
    assert not missing, "contract sources missing: " + ", ".join(missing)


def test_contract_urls_are_unique_and_well_formed(contract: tuple[ContractPage, ...]) -> None:
    """Contract URLs are site-root paths ending in a slash, listed once, with ASCII anchors listed once."""
    urls = [p.url for p in contract]
    assert len(urls) == len(set(urls)), "a URL is listed twice"
    bad = [u for u in urls if not re.fullmatch(r"/([a-z0-9-]+/)*", u)]
    assert not bad, f"malformed contract URLs: {bad}"
    for entry in contract:
        assert len(entry.anchors) == len(set(entry.anchors)), f"{entry.url}: an anchor is listed twice"
        odd = [a for a in entry.anchors if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a)]
        assert not odd, f"{entry.url}: anchors must be lower-case ASCII words joined by hyphens: {odd}"


def test_contract_matches_the_steps_and_items_of_checklist_app(contract: tuple[ContractPage, ...]) -> None:
    """The contract lists each step page with its items' anchors and row ids, and item-1..12 on /checklist/."""
    by_url = {p.url: p for p in contract}
    problems: list[str] = []
    for step in STEPS:
        url = "/" + step.path
        if url not in by_url:
            problems.append(f"{url} missing from the contract")
            continue
        for item in ITEMS:
            if item.step == step.number:
                for anchor in (item.anchor, item.row_id):
                    if anchor not in by_url[url].anchors:
                        problems.append(f"{url}#{anchor} (item {item.number}) missing from the contract")
    checklist = by_url.get("/checklist/")
    problems.extend(
        f"/checklist/#{item.row_id} missing from the contract"
        for item in ITEMS
        if checklist is None or item.row_id not in checklist.anchors
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_each_item_anchor_exists_on_its_step_page(lang: str, get_page: Callable[[str], Page]) -> None:
    """Every checklist item's ``anchor`` (checklist_app.steps.ITEMS) is an id on its step page."""
    problems = []
    for item in ITEMS:
        step = STEPS[item.step - 1]
        if item.anchor not in get_page(page_file("/" + step.path, lang)).ids:
            problems.append(f"{lang} /{step.path}#{item.anchor} (item {item.number})")
    assert not problems, "item anchors missing:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_each_item_row_id_exists_on_its_step_page(lang: str, get_page: Callable[[str], Page]) -> None:
    """Every checklist item's ``item-N`` id is on its step page (the hook's item box)."""
    problems = []
    for item in ITEMS:
        step = STEPS[item.step - 1]
        if item.row_id not in get_page(page_file("/" + step.path, lang)).ids:
            problems.append(f"{lang} /{step.path}#{item.row_id}")
    assert not problems, "item ids missing on step pages:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_each_item_row_id_exists_on_the_checklist_page(lang: str, get_page: Callable[[str], Page]) -> None:
    """``item-1`` … ``item-12`` are ids on /checklist/."""
    ids = set(get_page(page_file("/checklist/", lang)).ids)
    missing = [item.row_id for item in ITEMS if item.row_id not in ids]
    assert not missing, f"{lang} /checklist/ lacks {missing}"


def test_no_page_repeats_an_id(pages: dict[str, Page]) -> None:
    """No built page carries the same id twice (a repeated id makes an anchor land on the wrong element)."""
    problems = []
    for rel, page in pages.items():
        dupes = sorted(i for i, n in Counter(page.ids).items() if n > 1)
        if dupes:
            problems.append(f"{rel}: {dupes}")
    assert not problems, "repeated ids:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_every_internal_link_resolves(lang: str, site_dir: Path, pages: dict[str, Page]) -> None:
    """Every href inside the site (a, area, link) leads to a built file and, with a fragment, to an existing id."""
    problems: list[str] = []
    for rel, page in pages.items():
        if page.site_lang != lang:
            continue
        for tag, attrs in page.links:
            href = attrs["href"]
            if href.startswith(("mailto:", "tel:")):
                continue
            target = resolve_link(site_dir, rel, href)
            if target is None:
                continue
            if not (site_dir / target.rel).is_file():
                problems.append(f"{rel}: <{tag} href={href!r}> -> missing file {target.rel}")
            elif target.fragment and target.rel.endswith(".html"):
                target_page = pages.get(target.rel)
                if target_page is None or target.fragment not in target_page.ids:
                    problems.append(f"{rel}: <{tag} href={href!r}> -> no id {target.fragment!r} in {target.rel}")
    assert not problems, f"{len(problems)} broken internal links ({lang}):\n" + "\n".join(problems)


def test_every_sitemap_location_is_built(site_dir: Path) -> None:
    """Each <loc> of sitemap.xml names a page that was built."""
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations, "sitemap.xml lists no page"
    missing = []
    for loc in locations:
        target = resolve_link(site_dir, "index.html", loc)
        if target is None or not (site_dir / target.rel).is_file():
            missing.append(loc)
    assert not missing, f"sitemap names pages that were not built: {missing}"
