"""Fixtures for the DNS tests: one lab of real servers per session, reset and entered for each test.

``dns_lab`` is what a test normally asks for: the lab in its initial state (old delegations, empty
resolver caches), with the test's thread already inside the lab's network namespace, so plain dnspython
calls, ``http.client``, ``subprocess.run([...])`` and a Playwright browser launched in the test all reach
the servers. ``dns_lab_session`` is the same lab without entering it or resetting it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .dnslab import DnsLab, LabError


@pytest.fixture(scope="session")
def dns_lab_session() -> Iterator[DnsLab]:
    """The running lab (started once per session; never skipped: a missing binary or privilege fails)."""
    try:
        lab = DnsLab.start()
    except LabError as exc:
        pytest.fail(f"DNS lab did not start: {exc}", pytrace=False)
    try:
        yield lab
    finally:
        lab.stop()


@pytest.fixture
def dns_lab(dns_lab_session: DnsLab) -> Iterator[DnsLab]:
    """The lab reset to its initial data, with the calling thread inside its namespace for the test."""
    dns_lab_session.reset()
    with dns_lab_session.inside():
        yield dns_lab_session
