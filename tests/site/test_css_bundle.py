"""scripts/css_bundle.py: every built page links one stylesheet, the bundle of the theme's and ours, in order."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

from .sitelib import REPO, Page

sys.path.insert(0, str(REPO))

from scripts.css_bundle import bundle_site, bundle_text

BUNDLE_NAME = re.compile(r"assets/stylesheets/bundle\.([0-9a-f]{10})\.css$")


def _stylesheets(page: Page) -> list[str]:
    return [attrs.get("href", "") for tag, attrs in page.links if tag == "link" and attrs.get("rel") == "stylesheet"]


def _target(site: Path, page: Page, href: str) -> Path:
    base = site if href.startswith("/") else (site / page.rel).parent
    return (base / href.lstrip("/")).resolve()


def test_every_page_links_one_existing_bundle(site_dir: Path, pages: dict[str, Page]) -> None:
    """Pages with styles link exactly one stylesheet, the bundle, and its href resolves from the page."""
    styled = 0
    for rel, page in pages.items():
        hrefs = _stylesheets(page)
        if not hrefs:
            continue  # a redirect stub has no theme
        styled += 1
        assert len(hrefs) == 1, f"{rel} links {len(hrefs)} stylesheets: {hrefs}"
        target = _target(site_dir, page, hrefs[0])
        assert BUNDLE_NAME.search(target.as_posix()), f"{rel}: {hrefs[0]} is not the bundle"
        assert target.is_file(), f"{rel}: {hrefs[0]} does not exist"
    assert styled > 40  # both languages' pages


def test_bundle_is_the_theme_then_ours_in_cascade_order(site_dir: Path, pages: dict[str, Page]) -> None:
    """The bundle is exactly Material's main + palette, then app.css, site.css, tools.css; named by its content."""
    page = pages["checklist/index.html"]
    bundle = _target(site_dir, page, _stylesheets(page)[0])
    text = bundle.read_text(encoding="utf-8")
    name = BUNDLE_NAME.search(bundle.as_posix())
    assert name and hashlib.sha256(text.encode("utf-8")).hexdigest()[:10] == name.group(1)
    main = next((site_dir / "assets/stylesheets").glob("main.*.min.css"))
    palette = next((site_dir / "assets/stylesheets").glob("palette.*.min.css"))
    # The cascade order the theme writes: Material's main and palette, app.css (overrides/main.html), extra_css.
    sources = [main, palette, site_dir / "assets/app.css", site_dir / "assets/site.css", site_dir / "assets/tools.css"]
    assert text == bundle_text(sources)
    assert "sourceMappingURL" not in text
    # Our rules come after the theme's, so they still win ties in the cascade.
    assert text.index(".nc-") > text.index("[data-md-color-scheme")


def _page(links: list[str]) -> str:
    tags = "\n".join(f'    <link rel="stylesheet" href="{href}">' for href in links)
    head = f'  <head>\n{tags}\n    <script src="x.js"></script>\n  </head>\n'
    return f"<!doctype html>\n<html>\n{head}  <body></body>\n</html>\n"


def test_bundle_site_rewrites_relative_and_absolute_links_once(tmp_path: Path) -> None:
    """Pages at any depth, with relative or absolute hrefs, share one bundle; a second run changes nothing."""
    (tmp_path / "assets/stylesheets").mkdir(parents=True)
    (tmp_path / "assets/stylesheets/main.css").write_text("a{color:red}\n/*# sourceMappingURL=main.css.map*/\n")
    (tmp_path / "assets/extra.css").write_text("a{color:blue}\n")
    (tmp_path / "deep/er").mkdir(parents=True)
    (tmp_path / "index.html").write_text(_page(["assets/stylesheets/main.css", "assets/extra.css"]))
    (tmp_path / "deep/er/index.html").write_text(_page(["../../assets/stylesheets/main.css", "../../assets/extra.css"]))
    (tmp_path / "404.html").write_text(_page(["/assets/stylesheets/main.css", "/assets/extra.css"]))
    (tmp_path / "cdn.html").write_text(_page(["https://cdn.example/x.css", "assets/extra.css"]))

    assert bundle_site(tmp_path) == 3
    bundles = list((tmp_path / "assets/stylesheets").glob("bundle.*.css"))
    assert len(bundles) == 1
    assert bundles[0].read_text() == "a{color:red}\na{color:blue}\n"  # in order, no source map
    name = bundles[0].name
    assert f'href="assets/stylesheets/{name}"' in (tmp_path / "index.html").read_text()
    assert f'href="../../assets/stylesheets/{name}"' in (tmp_path / "deep/er/index.html").read_text()
    assert f'href="/assets/stylesheets/{name}"' in (tmp_path / "404.html").read_text()
    for rel in ("index.html", "deep/er/index.html", "404.html"):
        text = (tmp_path / rel).read_text()
        assert text.count('rel="stylesheet"') == 1 and '<script src="x.js">' in text
    # Another host's stylesheet is not ours to join: the page stays as it was.
    assert (tmp_path / "cdn.html").read_text() == _page(["https://cdn.example/x.css", "assets/extra.css"])
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert bundle_site(tmp_path) == 0
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
