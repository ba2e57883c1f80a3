"""Zero off-site requests: every request the pages make goes to the site itself, and no CDN fallback exists."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import open_checklist, record, wait_python, wait_shown

pytestmark = pytest.mark.browser


def _offsite(requests: list[str]) -> list[str]:
    """Every URL that is neither local data (blob:, data:) nor on 127.0.0.1."""
    local = ("blob", "data")
    return [url for url in requests if urlsplit(url).scheme not in local and urlsplit(url).hostname != "127.0.0.1"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_checklist_and_step_pages_request_only_the_site(page: Page, base_url: str, lang: str) -> None:
    """The checklist page with Python running, then a step page: every request is to 127.0.0.1."""
    open_checklist(page, base_url, lang)
    page.wait_for_load_state("networkidle")
    prefix = "en/" if lang == "en" else ""
    page.goto(base_url + prefix + "steps/6-dns-switch/")
    wait_shown(page)
    page.wait_for_load_state("networkidle")
    requests = page.nc.requests  # type: ignore[attr-defined]
    assert any("/pyodide/" in url and url.endswith(".wasm") for url in requests), "Python never started"
    assert _offsite(requests) == []


def test_checklist_loads_no_dnspython(page: Page, base_url: str) -> None:
    """The checklist page fetches only the runtime and checklist_app's own wheel, not dnspython or the tools' deps."""
    open_checklist(page, base_url)
    wheels = sorted(url.rsplit("/", 1)[1] for url in page.nc.requests if url.endswith(".whl"))  # type: ignore[attr-defined]
    # Our own wheel and the holidays its plan needs (checklist_app.schedule), nothing else.
    assert len(wheels) == 2 and wheels[0].startswith("checklist_app-") and wheels[1].startswith("jpholiday-")


def test_a_missing_wheel_fails_loudly_without_any_cdn_request(context: BrowserContext, base_url: str) -> None:
    """With our wheel answering 404, Python is reported as unavailable and nothing is fetched from elsewhere."""
    context.route("**/wheels/checklist_app-*.whl", lambda route: route.fulfill(status=404, body="missing"))
    page = context.new_page()
    recorder = record(page)
    open_checklist(page, base_url, ready=False)
    wait_python(page, "failed")
    expect(page.locator("[data-nc-python-status]")).to_contain_text("開始できませんでした")
    # A fallback would have been tried inside loadPackage, before the failure was reported.
    assert any(url.endswith(".whl") for url in recorder.requests)
    assert _offsite(recorder.requests) == []
