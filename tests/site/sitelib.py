"""Helpers shared by the site tests (and, later, the browser tests): parse built pages, resolve links,
read the URL contract and emulate the site search.

Only the standard library parses HTML (``html.parser``): a real parser, no new dependency.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import yaml

__all__ = [
    "LANGS",
    "REPO",
    "SITE_URL",
    "ContractPage",
    "Element",
    "LinkTarget",
    "Page",
    "SearchHit",
    "build_site",
    "iter_pages",
    "load_contract",
    "load_mkdocs_config",
    "load_search_index",
    "page_file",
    "parse_page",
    "parse_tree",
    "resolve_link",
    "search",
]

REPO = Path(__file__).resolve().parents[2]
LANGS = ("ja", "en")
# Links to this origin (canonical, sitemap) are links into the built site itself.
SITE_URL = "http://127.0.0.1:8000/"

# Attributes that run script when an event fires: forbidden by the CSP (no 'unsafe-inline').
_EVENT_ATTR = re.compile(r"^on[a-z]+$")
# <link rel=...> values that make the browser fetch the href by itself.
LOADING_RELS = frozenset(
    {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "icon", "manifest"}
    | {"apple-touch-icon", "mask-icon", "shortcut"}
)
# Elements whose src (or similar) the browser loads without a click.
_SRC_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}


@dataclass(frozen=True, slots=True)
class Script:
    """One <script> element: its attributes and its inline text."""

    attrs: dict[str, str]
    text: str

    @property
    def executable_inline(self) -> bool:
        """True for inline code a browser would run (a data block such as application/json is not run)."""
        if "src" in self.attrs:
            return False
        kind = self.attrs.get("type", "").strip().lower()
        return kind in ("", "text/javascript", "module", "application/javascript")


@dataclass(slots=True)
class Page:
    """What the tests need from one built HTML file."""

    rel: str  # path under the site dir, e.g. "steps/1-application/index.html"
    lang: str | None = None  # <html lang>
    ids: list[str] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)  # id -> heading text (without the ¶ permalink)
    links: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (tag, attrs) of every a/link/area
    scripts: list[Script] = field(default_factory=list)
    event_handlers: list[tuple[str, str]] = field(default_factory=list)  # (tag, attribute)
    loads: list[tuple[str, str]] = field(default_factory=list)  # (what, url) the browser fetches by itself
    styles: list[str] = field(default_factory=list)  # inline <style> blocks and style="" attributes
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # every start tag, in order
    meta_refresh: str | None = None

    @property
    def url(self) -> str:
        """Site-root URL of the page, e.g. ``/steps/1-application/``."""
        if self.rel == "index.html":
            return "/"
        if self.rel.endswith("/index.html"):
            return "/" + self.rel.removesuffix("index.html")
        return "/" + self.rel

    @property
    def site_lang(self) -> str:
        """The language the page belongs to by its place in the site (``en`` under /en/)."""
        return "en" if self.rel.startswith("en/") else "ja"

    def has_class(self, tag: str, cls: str) -> list[dict[str, str]]:
        """Attributes of every ``tag`` element carrying class ``cls``."""
        return [a for t, a in self.elements if t == tag and cls in a.get("class", "").split()]


class _PageParser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []
        self._style: list[str] | None = None
        self._heading: tuple[str, str] | None = None  # (tag, id)
        self._heading_text: list[str] = []
        self._in_permalink = 0

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        page = self.page
        page.elements.append((tag, attrs))
        if tag == "html" and "lang" in attrs:
            page.lang = attrs["lang"]
        if "id" in attrs:
            page.ids.append(attrs["id"])
        if tag == "a" and "name" in attrs:
            page.ids.append(attrs["name"])
        for name in attrs:
            if _EVENT_ATTR.match(name):
                page.event_handlers.append((tag, name))
        if "style" in attrs:
            page.styles.append(attrs["style"])
        if tag in ("a", "area", "link") and "href" in attrs:
            page.links.append((tag, attrs))
        if tag == "link" and "href" in attrs:
            rels = set(attrs.get("rel", "").lower().split())
            if rels & LOADING_RELS:
                page.loads.append((f"link rel={attrs.get('rel')}", attrs["href"]))
        for attr in _SRC_ATTRS.get(tag, ()):
            if attr in attrs:
                for url in _srcset_urls(attrs[attr]) if attr == "srcset" else [attrs[attr]]:
                    page.loads.append((f"{tag} {attr}", url))
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            content = attrs.get("content", "")
            match = re.search(r"url\s*=\s*(.+)$", content, re.I)
            page.meta_refresh = match.group(1).strip().strip("'\"") if match else None
        if tag == "script":
            self._script = attrs
            self._script_text = []
        if tag == "style":
            self._style = []
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and "id" in attrs:
            self._heading = (tag, attrs["id"])
            self._heading_text = []
        if self._heading and tag == "a" and "headerlink" in attrs.get("class", "").split():
            self._in_permalink += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.page.scripts.append(Script(self._script, "".join(self._script_text)))
            self._script = None
        if tag == "style" and self._style is not None:
            self.page.styles.append("".join(self._style))
            self._style = None
        if tag == "a" and self._in_permalink:
            self._in_permalink -= 1
        if self._heading and tag == self._heading[0]:
            self.page.headings[self._heading[1]] = "".join(self._heading_text).strip()
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        if self._style is not None:
            self._style.append(data)
        if self._heading and not self._in_permalink:
            self._heading_text.append(data)


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def parse_page(site: Path, rel: str) -> Page:
    """Parse ``site/rel`` into a :class:`Page`."""
    page = Page(rel=rel)
    parser = _PageParser(page)
    parser.feed((site / rel).read_text(encoding="utf-8"))
    parser.close()
    return page


def iter_pages(site: Path) -> Iterator[str]:
    """Every built HTML file, as a path relative to ``site``, in a stable order."""
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix()


def page_file(url: str, lang: str) -> str:
    """The built file (relative to the site dir) of contract URL ``url`` in ``lang``."""
    path = url.lstrip("/")
    if lang != "ja":
        path = f"{lang}/{path}"
    return path + "index.html" if path.endswith("/") or path == "" else path


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """Where an internal link leads: a file under the site dir and an optional fragment."""

    rel: str
    fragment: str


def resolve_link(site: Path, from_rel: str, href: str) -> LinkTarget | None:
    """Resolve ``href`` found in page ``from_rel``; ``None`` for a link that leaves the site.

    A directory URL resolves to its ``index.html``; a missing file still gives a target (the test
    then reports it), so only other hosts and non-HTTP schemes return ``None``.
    """
    if href.startswith(SITE_URL):
        href = "/" + href.removeprefix(SITE_URL)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    base = "http://site.invalid/" + from_rel
    joined = urlsplit(urljoin(base, href))
    path = unquote(joined.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    elif (site / path).is_dir():
        path += "/index.html"
    return LinkTarget(path, unquote(joined.fragment))


@dataclass(frozen=True, slots=True)
class ContractPage:
    """One published URL and the anchors it promises, from ``urls-contract.toml``."""

    url: str
    source: str
    anchors: tuple[str, ...]


def load_contract(path: Path = REPO / "urls-contract.toml") -> tuple[ContractPage, ...]:
    """Read the URL contract file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(ContractPage(p["url"], p["source"], tuple(p.get("anchors", ()))) for p in data["page"])


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads mkdocs.yml's ``!!python/...`` tags as plain data instead of running them."""


def _construct_python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_python_tag)
_TolerantLoader.add_multi_constructor("!", _construct_python_tag)


def load_mkdocs_config(path: Path = REPO / "mkdocs.yml") -> dict[str, Any]:
    """mkdocs.yml as plain data (no Python object is constructed)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # a SafeLoader subclass
    assert isinstance(data, dict)
    return data


def build_site(config: Path, dest: Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` for ``config`` into ``dest``; the caller checks the return code.

    Never add ``-q``: measured with mkdocs 1.6.1, ``--strict -q`` exits 0 despite warnings.
    """
    env_extra = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    return subprocess.run(
        [str(REPO / ".venv/bin/mkdocs"), "build", "--strict", "-f", str(config), "-d", str(dest)],
        cwd=cwd,
        env={**os.environ, **env_extra},
        capture_output=True,
        text=True,
        check=False,
    )


# --- search -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A page found by :func:`search`, with its score (higher is better)."""

    page: str  # location without the fragment, e.g. "steps/1-application/"
    score: float


# Material's title boost is 1000 against text 1 in lunr's BM25; counting occurrences we keep the spirit:
# a hit in a section title outweighs a handful of mentions in body text.
_TITLE_WEIGHT = 10.0


def _lang_of_location(location: str) -> str:
    return "en" if location.startswith("en/") else "ja"


def search(index: dict[str, Any], query: str, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
    """Emulate Material's search over ``search_index.json`` and return the best pages.

    Material runs lunr in the browser (TinySegmenter splits Japanese, every query term gets a trailing
    wildcard). Here: the query is split on whitespace, a section (one index entry) matches when every
    term occurs in its title or text (case-insensitive substring, which covers the wildcard and the
    segmenter's finer splits), a section scores its occurrences with title hits weighted up, and a page
    scores the sum of its matching sections — Material groups results by page. ``lang`` keeps only pages
    of that language (both languages share one index).
    """
    terms = [t.lower() for t in query.split() if t]
    scores: dict[str, float] = {}
    for doc in index["docs"]:
        location = str(doc["location"])
        page = location.split("#", 1)[0]
        if lang is not None and _lang_of_location(page) != lang:
            continue
        title = _strip_tags(str(doc.get("title", ""))).lower()
        text = _strip_tags(str(doc.get("text", ""))).lower()
        if not all(t in title or t in text for t in terms):
            continue
        score = sum(_TITLE_WEIGHT * title.count(t) + text.count(t) for t in terms)
        scores[page] = scores.get(page, 0.0) + score
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [SearchHit(page, score) for page, score in ranked[:limit]]


def _strip_tags(value: str) -> str:
    return re.sub(r"<[^>]+>", " ", value)


def load_search_index(site: Path) -> dict[str, Any]:
    """The built ``search/search_index.json``."""
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def flatten(groups: Iterable[Iterable[str]]) -> list[str]:
    """Concatenate problem lists into one, for a single readable assertion message."""
    return [item for group in groups for item in group]


# --- a small element tree, for tests that need nesting (which row holds which input) -----------------------------

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass(slots=True)
class Element:
    """An HTML element with its attributes, children and direct text, from :func:`parse_tree`."""

    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        """The element's classes."""
        return set(self.attrs.get("class", "").split())

    def iter(self) -> Iterator[Element]:
        """This element and every descendant, in document order."""
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        """Descendants (and self) matching the tag, the class and attribute values (``data_item`` = data-item)."""
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (cls is None or cls in e.classes)
            and all(e.attrs.get(k) == v for k, v in wanted.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element | None:
        """The first match of :meth:`find_all`, or ``None``."""
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    @property
    def text(self) -> str:
        """All text inside the element, whitespace collapsed."""
        return " ".join(" ".join(t for e in self.iter() for t in e.texts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: (v or "") for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: (v or "") for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open element; a stray end tag is ignored, as browsers do.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].texts.append(data)


def parse_tree(html_text: str) -> Element:
    """Parse HTML into an :class:`Element` tree (root tag ``#document``)."""
    builder = _TreeBuilder()
    builder.feed(html_text)
    builder.close()
    return builder.root
