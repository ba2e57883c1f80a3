"""The built pages work under ``script-src 'self' 'wasm-unsafe-eval'``: no inline script of any kind.

Material writes a few inline scripts; overrides/partials/javascripts/*.html load the same code from
docs/assets/theme/*.js instead. These tests find any inline script left, and check the moved code
still equals the installed Material's, so a theme upgrade cannot drift silently.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import material
import pytest

from .sitelib import REPO, Page

pytestmark = pytest.mark.site

MATERIAL_PARTIALS = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
THEME_JS = REPO / "docs" / "assets" / "theme"
# The one template expression in Material's head script, and what init.js reads instead.
SCOPE_EXPR = 'new URL("{{ config.extra.scope | d(base_url) }}",location)'
SCOPE_JS = "new URL(document.currentScript.dataset.mdScope,location)"


def _material_scripts(partial: str) -> list[str]:
    text = (MATERIAL_PARTIALS / partial).read_text(encoding="utf-8")
    return re.findall(r"<script>(.*?)</script>", text, re.S)


def test_no_page_has_an_executable_inline_script(pages: dict[str, Page]) -> None:
    """No built page has a <script> without src whose type a browser would execute (JSON data blocks are fine)."""
    found = [
        f"{rel}: {s.text.strip()[:80]!r}" for rel, page in pages.items() for s in page.scripts if s.executable_inline
    ]
    assert not found, f"{len(found)} inline scripts (blocked by the CSP):\n" + "\n".join(found)


def test_no_page_has_an_inline_event_handler(pages: dict[str, Page]) -> None:
    """No element carries an on…= attribute (the CSP blocks inline handlers)."""
    found = [f"{rel}: <{tag} {attr}=…>" for rel, page in pages.items() for tag, attr in page.event_handlers]
    assert not found, "inline event handlers:\n" + "\n".join(found)


def test_no_link_runs_javascript(pages: dict[str, Page]) -> None:
    """No href or src uses the javascript: scheme (the CSP blocks it)."""
    found = [
        f"{rel}: <{tag} href={attrs['href']!r}>"
        for rel, page in pages.items()
        for tag, attrs in page.links
        if attrs["href"].strip().lower().startswith("javascript:")
    ]
    found += [
        f"{rel}: {what} {url!r}"
        for rel, page in pages.items()
        for what, url in page.loads
        if url.lower().startswith("javascript:")
    ]
    assert not found, "\n".join(found)


def test_every_page_loads_the_theme_init_script_with_the_site_root_as_scope(pages: dict[str, Page]) -> None:
    """Each themed page loads assets/theme/init.js with data-md-scope pointing at the site root (shared by ja/en)."""
    problems: list[str] = []
    for rel, page in pages.items():
        if page.meta_refresh is not None:
            continue  # redirect stubs are not themed pages
        tags = [s.attrs for s in page.scripts if s.attrs.get("src", "").endswith("assets/theme/init.js")]
        if len(tags) != 1:
            problems.append(f"{rel}: {len(tags)} init.js tags")
            continue
        base = "http://site.invalid/" + rel
        if urlsplit(urljoin(base, tags[0]["src"])).path != "/assets/theme/init.js":
            problems.append(f"{rel}: init.js src {tags[0]['src']!r} is not /assets/theme/init.js")
        if urlsplit(urljoin(base, tags[0].get("data-md-scope", "\0"))).path != "/":
            problems.append(f"{rel}: data-md-scope {tags[0].get('data-md-scope')!r} is not the site root")
    assert not problems, "\n".join(problems)


# Material's head script as init.js was written from (mkdocs-material's pinned version): init.js keeps its four
# globals and their signatures but guards storage access (blocked storage threw on every page).
MATERIAL_HEAD = (
    '__md_scope=new URL("{{ config.extra.scope | d(base_url) }}",location),'
    "__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),"
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
)


def test_init_script_follows_materials_head_script() -> None:
    """Material's head script is the one init.js was written from, and init.js defines the same globals."""
    (script,) = _material_scripts("base.html")
    assert script == MATERIAL_HEAD, "Material's head script changed: re-check docs/assets/theme/init.js"
    ours = (THEME_JS / "init.js").read_text(encoding="utf-8")
    assert SCOPE_JS.replace(",", ", ") in ours
    for name in ("__md_scope", "__md_hash", "__md_get", "__md_set"):
        assert re.search(rf"^{name} = ", ours, re.M), name
    assert "(e, _ = __md_store(), t = __md_scope)" in ours and "(e, _, t = __md_store(), a = __md_scope)" in ours


def test_palette_script_equals_materials() -> None:
    """docs/assets/theme/palette.js holds Material's palette script unchanged."""
    (script,) = _material_scripts("palette.html")
    assert script in (THEME_JS / "palette.js").read_text(encoding="utf-8")


def test_content_script_equals_materials() -> None:
    """docs/assets/theme/content.js holds both of Material's content scripts unchanged."""
    ours = (THEME_JS / "content.js").read_text(encoding="utf-8")
    scripts = _material_scripts("content.html")
    assert len(scripts) == 2, "Material's content partial changed: re-check overrides/partials/javascripts/content.html"
    missing = [s[:60] for s in scripts if s not in ours]
    assert not missing, f"content.js lacks Material's: {missing}"
