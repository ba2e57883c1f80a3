"""Fixtures for the site tests: the site is built once per session, then parsed once.

Set ``NC_SITE_DIR=site`` when ``site/`` was just built from the current tree (``make test`` builds it
first) to test that directory instead of building again into a temporary one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .sitelib import REPO, ContractPage, Page, build_site, iter_pages, load_contract, load_search_index, parse_page


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site: ``$NC_SITE_DIR`` when set (relative to the repo), else a fresh strict build in a temp dir."""
    given = os.environ.get("NC_SITE_DIR")
    if given:
        site = REPO / given
        if not (site / "index.html").is_file():
            pytest.fail(f"NC_SITE_DIR={given} but {site}/index.html is missing: run `make build` first")
        return site
    dest = tmp_path_factory.mktemp("site")
    result = build_site(REPO / "mkdocs.yml", dest)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return dest


@pytest.fixture(scope="session")
def pages(site_dir: Path) -> dict[str, Page]:
    """Every built HTML page, parsed, keyed by its path under the site dir."""
    return {rel: parse_page(site_dir, rel) for rel in iter_pages(site_dir)}


@pytest.fixture(scope="session")
def contract() -> tuple[ContractPage, ...]:
    """The published URL contract (urls-contract.toml)."""
    return load_contract()


@pytest.fixture(scope="session")
def search_index(site_dir: Path) -> dict[str, Any]:
    """The built search index both languages share."""
    return load_search_index(site_dir)


@pytest.fixture(scope="session")
def get_page(pages: dict[str, Page]) -> Callable[[str], Page]:
    """Look a page up by its path under the site dir, failing the test clearly when it was not built."""

    def get(rel: str) -> Page:
        if rel not in pages:
            pytest.fail(f"{rel} was not built")
        return pages[rel]

    return get
