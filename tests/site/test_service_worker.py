"""The service worker's version stamp (scripts/sw_stamp.py): a content hash of the built site, written into sw.js.

A new version makes browsers install the new worker, which drops the old page and asset caches; so the hash must
change with any page or asset and must not change with what is not a change of the site (the build date in the
sitemaps, the runtime folder, sw.js itself).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.sw_stamp import site_digest, stamp, stamp_text

from .sitelib import REPO

pytestmark = pytest.mark.site

VERSION_LINE = re.compile(r'^const VERSION = "([^"]*)";', re.MULTILINE)


def _version(text: str) -> str:
    match = VERSION_LINE.search(text)
    assert match is not None, "no VERSION line"
    return match.group(1)


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    """A small built site: two pages in two languages, an asset, sitemaps, the runtime folder and sw.js."""
    site = tmp_path / "site"
    files = {
        "index.html": "<h1>概要</h1>",
        "en/index.html": "<h1>Overview</h1>",
        "assets/app.js": "console.log(1);",
        "sitemap.xml": "<lastmod>2026-11-25</lastmod>",
        "sitemap.xml.gz": "gz",
        "assets/app.js.gz": "gz",
        "assets/app.js.br": "br",
        "search/search_index.json": "{}",
        "pyodide/314.0.7/pyodide-lock.json": "{}",
        "sw.js": (REPO / "docs" / "sw.js").read_text(encoding="utf-8"),
        "en/sw.js": (REPO / "docs" / "sw.js").read_text(encoding="utf-8"),
    }
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


def test_the_source_worker_has_a_version_line_to_stamp() -> None:
    """docs/sw.js carries the `const VERSION = "…";` line the build replaces, unstamped ("dev")."""
    assert _version((REPO / "docs" / "sw.js").read_text(encoding="utf-8")) == "dev"


def test_stamp_text_replaces_only_the_version() -> None:
    """stamp_text sets the version and leaves every other line as it was."""
    source = 'const VERSION = "dev"; // note\nconst PAGES = `nc-pages-${VERSION}`;\n'
    assert stamp_text(source, "abc") == 'const VERSION = "abc"; // note\nconst PAGES = `nc-pages-${VERSION}`;\n'


def test_stamp_text_refuses_a_worker_without_a_version_line() -> None:
    """A sw.js that lost its VERSION line fails the build instead of shipping an unversioned worker."""
    with pytest.raises(ValueError, match="VERSION"):
        stamp_text("const PAGES = 'nc-pages';\n", "abc")


def test_digest_changes_when_a_page_changes(tiny_site: Path) -> None:
    """Editing one page's HTML gives a new version."""
    before = site_digest(tiny_site)
    (tiny_site / "en" / "index.html").write_text("<h1>Overview (new)</h1>", encoding="utf-8")
    assert site_digest(tiny_site) != before


def test_digest_changes_when_a_file_is_added_or_moved(tiny_site: Path) -> None:
    """A new page, or the same bytes under another name, gives a new version."""
    before = site_digest(tiny_site)
    (tiny_site / "assets" / "app.js").rename(tiny_site / "assets" / "main.js")
    moved = site_digest(tiny_site)
    (tiny_site / "faq").mkdir()
    (tiny_site / "faq" / "index.html").write_text("<h1>FAQ</h1>", encoding="utf-8")
    assert len({before, moved, site_digest(tiny_site)}) == 3


def test_digest_ignores_sitemaps_runtime_and_the_worker(tiny_site: Path) -> None:
    """Sitemaps (build date), .gz/.br copies, the search index, the runtime and sw.js itself leave the version alone."""
    before = site_digest(tiny_site)
    (tiny_site / "sitemap.xml").write_text("<lastmod>2026-11-26</lastmod>", encoding="utf-8")
    (tiny_site / "sitemap.xml.gz").write_text("gz2", encoding="utf-8")
    (tiny_site / "assets" / "app.js.gz").write_text("gz2", encoding="utf-8")
    (tiny_site / "assets" / "app.js.br").write_text("br2", encoding="utf-8")
    (tiny_site / "search" / "search_index.json").write_text('{"docs": []}', encoding="utf-8")
    (tiny_site / "pyodide" / "314.0.7" / "pyodide-lock.json").write_text('{"packages": {}}', encoding="utf-8")
    (tiny_site / "sw.js").write_text('const VERSION = "other";', encoding="utf-8")
    assert site_digest(tiny_site) == before


def test_stamp_writes_the_digest_and_removes_the_copy_under_en(tiny_site: Path) -> None:
    """stamp() writes the digest into the root sw.js and deletes en/sw.js (only the root worker is registered)."""
    version = stamp(tiny_site)
    assert version == site_digest(tiny_site) and re.fullmatch(r"[0-9a-f]{16}", version)
    assert _version((tiny_site / "sw.js").read_text(encoding="utf-8")) == version
    assert not (tiny_site / "en" / "sw.js").exists()


def test_stamping_twice_gives_the_same_version(tiny_site: Path) -> None:
    """Stamping is idempotent: a second stamp (e.g. after the second language's build) keeps the version."""
    first = stamp(tiny_site)
    assert stamp(tiny_site) == first


def test_built_worker_carries_the_digest_of_the_built_site(site_dir: Path) -> None:
    """The built site's sw.js is stamped with the hash of that site, and only the root copy exists."""
    assert _version((site_dir / "sw.js").read_text(encoding="utf-8")) == site_digest(site_dir)
    assert not (site_dir / "en" / "sw.js").exists()


def test_built_site_has_an_offline_page_in_each_language(site_dir: Path) -> None:
    """The pages the worker shows for an unsaved page exist, Japanese at offline/ and English at en/offline/."""
    ja = (site_dir / "offline" / "index.html").read_text(encoding="utf-8")
    en = (site_dir / "en" / "offline" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja"' in ja and "オフラインです" in ja
    assert '<html lang="en"' in en and "You are offline" in en
