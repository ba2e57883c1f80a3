"""Suite-wide collection order.

``make test-py`` hands tests one at a time to two pytest-xdist workers (``--dist loadgroup``). The long property
tests (marked ``slow``, up to ~220 s each) go first, so that no worker picks one up near the end while the other
has nothing left: both then finish at about the same time. The order of tests never changes what they check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move the ``slow`` tests to the front, keeping the collection order within each part."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    """The Playwright driver, once per session and worker, shared by tests/browser and tests/engines.

    One place: a second ``sync_playwright()`` in the same process fails ("Sync API inside the asyncio loop").
    Imported here, not at the top: the unit tests also run inside Pyodide, which has no Playwright.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver
