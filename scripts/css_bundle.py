"""One render-blocking stylesheet per page instead of five (issue 6: saved state visible sooner).

Material's pages link its ``main`` and ``palette`` stylesheets, then ours (``assets/app.css`` from
overrides/main.html, ``assets/site.css`` and ``assets/tools.css`` from ``extra_css``). Every one of them blocks the
first paint and every script after it, and each is a request of its own. After each build this joins the run of
stylesheet links of every page into one file, ``assets/stylesheets/bundle.<hash>.css`` (the same files in the same
order, so the cascade is unchanged; source-map comments dropped), and links that instead. The hash names the content,
so a changed stylesheet gets a new name. The separate files stay in place.

The MkDocs hook (scripts/mkdocs_hooks.py) calls :func:`bundle_site` after each language's build, before the service
worker is stamped; pages already linking one stylesheet are left as they are, so running it twice changes nothing.
``python scripts/css_bundle.py SITE`` does it by hand.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

BUNDLE_DIR = "assets/stylesheets"
# A stylesheet link as MkDocs/Material write it: rel first, then href, nothing else.
_LINK = re.compile(r'[ \t]*<link rel="stylesheet" href="([^"]+)">[ \t]*\n?')
_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")


def _resolve(site: Path, page: Path, href: str) -> Path | None:
    """The file a page's stylesheet href names inside the site, or None (another host, query, outside the site)."""
    if "://" in href or href.startswith("//") or "?" in href or "#" in href:
        return None
    target = (site / href.lstrip("/")) if href.startswith("/") else (page.parent / href)
    target = target.resolve()
    try:
        target.relative_to(site.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


def bundle_text(files: list[Path]) -> str:
    """The stylesheets joined in order, each on its own lines, without their source-map comments."""
    parts = [_SOURCE_MAP.sub("", path.read_text(encoding="utf-8")).strip() for path in files]
    return "\n".join(parts) + "\n"


def _write_bundle(site: Path, files: list[Path]) -> Path:
    text = bundle_text(files)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    path = site / BUNDLE_DIR / f"bundle.{digest}.css"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def bundle_page(site: Path, page: Path, bundles: dict[tuple[Path, ...], Path]) -> bool:
    """Replace the page's stylesheet links by one link to their bundle; True when the page changed."""
    html = page.read_text(encoding="utf-8")
    head_end = html.find("</head>")
    head = html if head_end < 0 else html[:head_end]
    links = list(_LINK.finditer(head))
    if len(links) < 2:
        return False
    files = [_resolve(site, page, match.group(1)) for match in links]
    if any(path is None for path in files):
        return False  # something not ours to join: leave the page as MkDocs wrote it
    key = tuple(path for path in files if path is not None)
    bundle = bundles.get(key)
    if bundle is None:
        bundle = bundles[key] = _write_bundle(site, list(key))
    first = links[0].group(1)
    if first.startswith("/"):
        href = "/" + bundle.relative_to(site.resolve()).as_posix()
    else:
        href = Path(os.path.relpath(bundle, page.parent.resolve())).as_posix()
    out = []
    position = 0
    for index, match in enumerate(links):
        out.append(head[position : match.start()])
        if index == 0:
            indent = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip(" \t"))]
            out.append(f'{indent}<link rel="stylesheet" href="{href}">\n')
        position = match.end()
    out.append(html[position:])
    page.write_text("".join(out), encoding="utf-8")
    return True


def bundle_site(site: Path) -> int:
    """Bundle the stylesheets of every HTML page under ``site``; returns how many pages changed."""
    site = site.resolve()
    bundles: dict[tuple[Path, ...], Path] = {}
    changed = 0
    for page in sorted(site.rglob("*.html")):
        if BUNDLE_DIR in page.as_posix() or "/pyodide/" in page.as_posix():
            continue
        changed += bundle_page(site, page, bundles)
    return changed


def main(argv: list[str]) -> int:
    """``python scripts/css_bundle.py SITE``."""
    if len(argv) != 1:
        print("usage: css_bundle.py SITE_DIR", file=sys.stderr)
        return 2
    print(f"{bundle_site(Path(argv[0]))} pages now link one stylesheet")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
