"""Pages that start Python hold Material's search index build (scripts/mkdocs_hooks.py: hold_search_on_python_pages).

Read back from the built pages with an HTML parser and json: the page's ``__config`` names the search worker.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from scripts.mkdocs_hooks import hold_search_on_python_pages, stamp_search_worker

from .sitelib import REPO, iter_pages, parse_page

pytestmark = pytest.mark.site

WORKERS = "assets/javascripts/workers/"


def search_worker(site: Path, rel: str) -> tuple[str, bool] | None:
    """The search worker a built page starts (its path under the site, fragment cut) and whether the page starts
    Python (has py-start.js's tag); None for a page without Material's config (redirect stubs)."""
    page = parse_page(site, rel)
    configs = [s for s in page.scripts if s.attrs.get("id") == "__config"]
    if not configs:
        return None
    url = json.loads(configs[0].text)["search"].split("#")[0]
    # Relative to the page, or site-absolute (the 404 page, served at any depth).
    path = url.lstrip("/") if url.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(rel), url))
    starts_python = any("data-nc-python" in s.attrs for s in page.scripts)
    return path, starts_python


def test_python_pages_start_the_holding_worker_and_others_materials_own(site_dir: Path) -> None:
    """The checklist and tool pages (both languages) name nc-search.js with Material's worker in its fragment; every
    other page names Material's worker itself; both files exist where the pages point."""
    python_pages, other_pages = [], []
    for rel in iter_pages(site_dir):
        found = search_worker(site_dir, rel)
        if found is None:
            continue
        path, starts_python = found
        assert (site_dir / path).is_file(), f"{rel}: search worker {path} is not in the site"
        if starts_python:
            python_pages.append(rel)
            assert path == WORKERS + "nc-search.js", rel
            config = next(s for s in parse_page(site_dir, rel).scripts if s.attrs.get("id") == "__config")
            material = re.fullmatch(
                r".*nc-search\.js#material=(search\.[0-9a-f]+\.min\.js)", json.loads(config.text)["search"]
            )
            assert material, rel
            assert (site_dir / WORKERS / material.group(1)).is_file()
            # The built wrapper imports that same file (stamped at build; its source has a placeholder).
            wrapper = (site_dir / WORKERS / "nc-search.js").read_text(encoding="utf-8")
            assert f'const material = "{material.group(1)}";' in wrapper
        else:
            other_pages.append(rel)
            assert re.fullmatch(re.escape(WORKERS) + r"search\.[0-9a-f]+\.min\.js", path), rel
    for expected in (
        "checklist/index.html",
        "en/checklist/index.html",
        "tools/hosts/index.html",
        "en/tools/dns-check/index.html",
    ):
        assert expected in python_pages
    for expected in ("index.html", "en/index.html", "steps/2-domain-transfer/index.html", "tools/index.html"):
        assert expected in other_pages


def test_the_hook_leaves_pages_without_python_unchanged() -> None:
    """A page without py-start.js's tag comes out byte for byte as it went in."""
    page = '<script id="__config">{"search": "../assets/javascripts/workers/search.ab12.min.js"}</script>'
    assert hold_search_on_python_pages(page) == page


def test_the_hook_fails_the_build_when_materials_config_changed() -> None:
    """A Python page whose config no longer names Material's worker the known way stops the build (no silent skip)."""
    page = '<script async data-nc-python="checklist"></script><script id="__config">{"search": null}</script>'
    with pytest.raises(ValueError, match="search worker"):
        hold_search_on_python_pages(page)


def test_the_hook_rewrites_only_the_worker_name() -> None:
    """On a Python page only the worker's file changes: same folder, Material's file named in the fragment."""
    page = (
        '<script async src="py-start.js" data-nc-python="tools"></script><script id="__config">'
        '{"base": "..", "search": "../assets/javascripts/workers/search.a7633da7.min.js"}</script>'
    )
    held = hold_search_on_python_pages(page)
    assert held == page.replace("search.a7633da7.min.js", "nc-search.js#material=search.a7633da7.min.js")


def test_stamping_names_the_one_material_worker_and_is_idempotent(tmp_path: Path) -> None:
    """The build writes Material's worker name into nc-search.js; a second stamp changes nothing."""
    folder = tmp_path / WORKERS
    folder.mkdir(parents=True)
    source = (REPO / "docs" / WORKERS / "nc-search.js").read_text(encoding="utf-8")
    (folder / "nc-search.js").write_text(source, encoding="utf-8")
    (folder / "search.0123abcd.min.js").write_text("// Material", encoding="utf-8")
    (folder / "search.0123abcd.min.js.map").write_text("{}", encoding="utf-8")
    assert stamp_search_worker(tmp_path) == "search.0123abcd.min.js"
    once = (folder / "nc-search.js").read_text(encoding="utf-8")
    assert 'const material = "search.0123abcd.min.js";' in once
    assert once.replace("search.0123abcd.min.js", "search.MATERIAL.min.js") == source
    stamp_search_worker(tmp_path)
    assert (folder / "nc-search.js").read_text(encoding="utf-8") == once


def test_stamping_fails_with_no_or_two_material_workers(tmp_path: Path) -> None:
    """No Material worker, or two of them, stops the build instead of shipping a wrapper that imports the wrong one."""
    folder = tmp_path / WORKERS
    folder.mkdir(parents=True)
    (folder / "nc-search.js").write_text('const material = "search.MATERIAL.min.js";', encoding="utf-8")
    with pytest.raises(ValueError, match="one Material search worker"):
        stamp_search_worker(tmp_path)
    (folder / "search.aa.min.js").write_text("", encoding="utf-8")
    (folder / "search.bb.min.js").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="one Material search worker"):
        stamp_search_worker(tmp_path)


def test_a_site_without_the_wrapper_is_left_alone(tmp_path: Path) -> None:
    """A throw-away site (no nc-search.js, no Material worker) builds: nothing to stamp."""
    assert stamp_search_worker(tmp_path) is None
