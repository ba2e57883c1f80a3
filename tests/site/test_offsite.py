"""No request leaves the site: nothing a page loads by itself comes from another host.

Links a reader clicks (<a href="https://…">) are fine; what the browser fetches on its own is not:
script/img/iframe src, <link rel=stylesheet|preload|icon|manifest|preconnect…>, CSS url()/@import/@font-face,
and URL strings in JavaScript.

Material's bundle holds off-site URLs that it only fetches when a feature we do not use is on. They are
listed below, each with the condition under which the bundle would fetch it, and each condition is
tested false for the built site (the browser suite's zero-off-site-requests check covers the runtime):

- ``https://unpkg.com/mermaid@11/…``: fetched for a ``pre.mermaid`` block; no page has one.
- ``https://api.github.com/…`` and ``https://${host}/api/v4/projects/…`` (GitLab): fetched for the
  repository widget (``repo_url``); no page has ``data-md-component="source"`` and mkdocs.yml sets no repo_url.
- ``https://unpkg.com/resize-observer-polyfill``: fetched only by browsers without ``ResizeObserver``
  (every supported browser has had it since 2020: Chromium 64, Firefox 69, Safari 13.1). It cannot be
  switched off without patching the bundle; it is the one accepted residue, named here on purpose.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .sitelib import SITE_URL, Page, load_mkdocs_config

pytestmark = pytest.mark.site

# An absolute or protocol-relative URL naming a host (or a JS template for one), right after a quote.
_QUOTED_URL = re.compile(r"""(?<=["'`])(?:https?:)?//(?:\$\{|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)[^"'`\s]*""")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]([^'"]+)['"]""", re.I)
# Names that identify a document format, never fetched (SVG/XHTML namespaces, the sitemap schema).
_NAMESPACES = ("http://www.w3.org/", "http://www.sitemaps.org/schemas/")
# Material's conditional fetches (see the module docstring), by the file they live in.
THEME_CONDITIONAL = {
    "bundle": (
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
        "https://unpkg.com/resize-observer-polyfill",
        "https://api.github.com/repos/${e}/${t}",
        "https://api.github.com/users/${e}",
        "https://${e}/api/v4/projects/${encodeURIComponent(t)}",
    ),
}
FORBIDDEN_HOSTS = ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com")


def _offsite(url: str) -> bool:
    url = url.strip()
    if url.startswith(SITE_URL) or url.startswith(("data:", "blob:", "#", "mailto:", "tel:")):
        return False
    parts = urlsplit(url)
    return bool(parts.netloc) or url.startswith("//")


def _files(site: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in suffixes)


def _css_loads(css: str) -> list[str]:
    return [m.group(2) for m in _CSS_URL.finditer(css)] + _CSS_IMPORT.findall(css)


def test_pages_load_nothing_from_other_hosts(pages: dict[str, Page]) -> None:
    """No element of any page makes the browser fetch from another host (src, loading <link>s, inline CSS)."""
    found = [f"{rel}: {what} {url}" for rel, page in pages.items() for what, url in page.loads if _offsite(url)]
    found += [
        f"{rel}: inline CSS {url}"
        for rel, page in pages.items()
        for css in page.styles
        for url in _css_loads(css)
        if _offsite(url)
    ]
    assert not found, "off-site loads:\n" + "\n".join(found)


def test_stylesheets_load_nothing_from_other_hosts(site_dir: Path) -> None:
    """No url(), @import or @font-face src in a built .css file points at another host."""
    found = [
        f"{p.relative_to(site_dir)}: {url}"
        for p in _files(site_dir, ".css")
        for url in _css_loads(p.read_text(encoding="utf-8", errors="replace"))
        if _offsite(url)
    ]
    assert not found, "\n".join(found)


def test_scripts_name_no_other_host_except_materials_conditional_fetches(site_dir: Path) -> None:
    """Built .js files quote no off-site URL, except Material's known feature-gated ones (module docstring)."""
    found: list[str] = []
    for path in _files(site_dir, ".js"):
        allowed = next((urls for key, urls in THEME_CONDITIONAL.items() if path.name.startswith(key + ".")), ())
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [
            f"{path.relative_to(site_dir)}: {url}"
            for url in sorted(set(_QUOTED_URL.findall(text)))
            if url not in allowed and not url.startswith(_NAMESPACES)
        ]
    assert not found, "off-site URLs in scripts:\n" + "\n".join(found)


def test_material_conditional_fetches_are_still_where_this_test_expects(site_dir: Path) -> None:
    """The allow-list matches the bundle: a theme upgrade that moves or drops one must be looked at again."""
    bundles = [p for p in _files(site_dir, ".js") if p.name.startswith("bundle.")]
    assert len(bundles) == 1, f"expected one Material bundle, found {bundles}"
    text = bundles[0].read_text(encoding="utf-8")
    stale = [url for url in THEME_CONDITIONAL["bundle"] if url not in text]
    assert not stale, f"no longer in the bundle, update THEME_CONDITIONAL: {stale}"


def test_no_page_triggers_the_mermaid_fetch(pages: dict[str, Page]) -> None:
    """No page has a pre.mermaid block (Material would fetch mermaid from unpkg.com)."""
    found = [rel for rel, page in pages.items() if page.has_class("pre", "mermaid") or page.has_class("div", "mermaid")]
    assert not found, f"mermaid blocks on {found}"


def test_no_page_triggers_the_repository_widget_fetch(pages: dict[str, Page]) -> None:
    """No page has Material's repository widget and mkdocs.yml sets no repo_url (GitHub/GitLab API fetches)."""
    assert "repo_url" not in load_mkdocs_config()
    found = [rel for rel, page in pages.items() for _, a in page.elements if a.get("data-md-component") == "source"]
    assert not found, f"repository widget on {found}"


def test_no_font_or_cdn_host_is_named_in_pages_or_stylesheets(site_dir: Path) -> None:
    """No built HTML or CSS names Google Fonts or a CDN host at all."""
    found = [
        f"{p.relative_to(site_dir)}: {host}"
        for p in _files(site_dir, ".html", ".css")
        for host in FORBIDDEN_HOSTS
        if host in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert not found, "\n".join(found)


def test_sitemaps_name_only_this_site(site_dir: Path) -> None:
    """sitemap.xml (and its .gz) list only site_url pages; XML files name no other host besides namespaces."""
    texts = {p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8") for p in _files(site_dir, ".xml")}
    for gz in sorted(site_dir.rglob("*.xml.gz")):
        texts[gz.relative_to(site_dir).as_posix()] = gzip.decompress(gz.read_bytes()).decode("utf-8")
    assert "sitemap.xml" in texts
    found = [
        f"{name}: {url}"
        for name, text in texts.items()
        for url in re.findall(r"""(?:https?:)?//[^\s"'<>]+""", text)
        if _offsite(url) and not url.startswith(_NAMESPACES)
    ]
    assert not found, "\n".join(found)


def test_json_files_point_at_no_other_host(site_dir: Path) -> None:
    """Built JSON (the search index and any manifest) holds only site-relative locations and fetchable URLs."""
    found: list[str] = []

    def walk(value: object, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                # Page text in the search index is content a reader sees, not something fetched.
                if key != "text":
                    walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for n, item in enumerate(value):
                walk(item, f"{where}[{n}]")
        elif isinstance(value, str) and _offsite(value):
            found.append(f"{where}: {value}")

    for path in _files(site_dir, ".json", ".webmanifest"):
        walk(json.loads(path.read_text(encoding="utf-8")), path.relative_to(site_dir).as_posix())
    assert not found, "\n".join(found)
