"""The DNS check page in real Chromium against the lab's real DoH servers (dnsdist in front of Unbound).

Everything runs inside the lab's loopback-only network namespace: the built site is served on 127.0.0.20 with
the production CSP plus the lab's DoH origins in ``connect-src`` (what a deployment does for its resolvers), and a
Playwright driver and Chromium are started there too, in a thread of their own (the session's Playwright, if any,
lives in the host namespace and in another event loop).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, sync_playwright

from checklist_app.dnscheck.evaluate import provider_nameservers
from tests.browser.conftest import (
    ACTION_TIMEOUT_MS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PYTHON_READY_TIMEOUT_MS,
    REPO,
    _build_site,
    record,
)

from .dnslab import ADDR, NEW_NS, NEW_RECORDS, DnsLab

# tests.browser.conftest put scripts/ on sys.path (it is not a package).
from serve import make_server  # isort: skip

# One pytest-xdist worker runs every DNS test (`make test-py` uses --dist loadgroup): one lab per run, as before.
pytestmark = [pytest.mark.dns, pytest.mark.browser, pytest.mark.xdist_group("dnslab")]

DOMAIN = "customer.test"
# The customer's values from their Server Account Information, as a link's fragment carries them: the lab's own new
# name servers too (never provider.toml's), so the page judges the same whatever that file holds.
ACCOUNT = [
    ("expect_a", NEW_RECORDS.a[0]),
    ("expect_aaaa", NEW_RECORDS.aaaa[0]),
    ("expect_mx", NEW_RECORDS.mx[0][1]),
    *(("expect_ns", ns) for ns in NEW_NS),
]
ACCOUNT_FRAGMENT = "&".join(f"{k}={quote(v, safe='')}" for k, v in ACCOUNT)
DOH_HOSTS = (ADDR.doh_old, ADDR.doh_new)
TIMEOUT_S = 300  # the whole scenario; generous because the suite may run on a loaded machine
# The browser suite's flags, with the lab's site and DoH addresses let through the "no name resolves" rule (the
# namespace has only loopback anyway).
LAB_CHROMIUM_ARGS = [a for a in CHROMIUM_ARGS if not a.startswith("--host-resolver-rules=")] + [
    "--host-resolver-rules=MAP * ~NOTFOUND, " + ", ".join(f"EXCLUDE {h}" for h in ("127.0.0.1", ADDR.site, *DOH_HOSTS))
]


@pytest.fixture(scope="module")
def dns_site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site with Pyodide (``$NC_SITE_DIR`` when set, as in the browser suite)."""
    given = os.environ.get("NC_SITE_DIR")
    if given:
        root = (REPO / given).resolve()
        if not (root / "tools/dns-check/index.html").is_file() or not (root / "pyodide").is_dir():
            pytest.fail(f"NC_SITE_DIR={given}: no built site with the DNS check and pyodide/; run `make build`")
        return root
    root = tmp_path_factory.mktemp("dns-check-site")
    _build_site(root)
    return root


def in_lab(lab: DnsLab, site: Path, scenario: Callable[[Page, str], None]) -> None:
    """Serve ``site`` and run ``scenario(page, base_url)`` in Chromium, all inside the lab, in a fresh thread."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with lab.inside():
                origins = tuple(f"http://{host}" for host in DOH_HOSTS)
                server = make_server(site, ADDR.site, 0, connect_src=origins)
                server.handle_error = lambda request, address: None  # type: ignore[method-assign]
                serving = threading.Thread(target=server.serve_forever, name="dns-site", daemon=True)
                serving.start()
                try:
                    with sync_playwright() as driver:
                        browser = driver.chromium.launch(
                            executable_path=CHROMIUM, args=LAB_CHROMIUM_ARGS, headless=True
                        )
                        try:
                            context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
                            context.set_default_timeout(ACTION_TIMEOUT_MS)
                            page = context.new_page()
                            record(page)
                            scenario(page, f"http://{ADDR.site}:{server.server_address[1]}/")
                        finally:
                            browser.close()
                finally:
                    server.shutdown()
                    server.server_close()
        except BaseException as exc:  # handed to the test's thread, which re-raises it
            failure.append(exc)

    worker = threading.Thread(target=run, name="dns-check-browser")
    worker.start()
    worker.join(TIMEOUT_S)
    assert not worker.is_alive(), "the browser scenario did not finish"
    if failure:
        raise failure[0]


def doh_requests(page: Page) -> list[str]:
    """URLs of requests the page sent to the lab's DoH servers."""
    return [url for url in page.nc.requests if any(f"//{host}/" in url for host in DOH_HOSTS)]  # type: ignore[attr-defined]


def open_tool(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html[data-nc-python='ready']", state="attached", timeout=PYTHON_READY_TIMEOUT_MS)


def use_lab_resolvers(page: Page) -> None:
    page.fill("#dnscheck-resolvers", "Old http://127.0.0.7/dns-query\nNew http://127.0.0.8/dns-query")


def run_check(page: Page) -> str:
    """Press the button and return the verdict once a fresh one is shown."""
    page.evaluate("document.querySelector('[data-nc-output=verdict]').textContent = ''")
    page.click("#dnscheck-form button[type=submit]")
    page.wait_for_function(
        "() => document.querySelector('[data-nc-output=verdict]').textContent !== ''", timeout=60_000
    )
    return str(page.text_content("[data-nc-output=verdict]"))


def table_blocks(page: Page) -> list[list[str]]:
    """Per resolver, the result labels of its lines (ja labels are one word)."""
    text = str(page.text_content("[data-nc-output=table]"))
    return [[line.split()[1] for line in block.splitlines()[1:]] for block in text.split("\n\n")]


def test_nothing_is_sent_before_the_user_agrees(dns_lab: DnsLab, dns_site_root: Path) -> None:
    """Opening the page, prefilling it and even a consent=1 fragment send no DoH request; the page asks to agree."""

    def scenario(page: Page, base: str) -> None:
        open_tool(page, base + f"tools/dns-check/#domain={DOMAIN}&{ACCOUNT_FRAGMENT}")
        page.wait_for_function("() => document.querySelector('[data-nc-output=status]').textContent.includes('同意')")
        resolvers = "&resolvers=".join(["http%3A%2F%2F127.0.0.7%2Fdns-query", "http%3A%2F%2F127.0.0.8%2Fdns-query"])
        page.goto(base + f"tools/dns-check/#domain={DOMAIN}&{ACCOUNT_FRAGMENT}&consent=1&resolvers={resolvers}")
        page.wait_for_selector("#consent-error:not([hidden])")
        page.wait_for_timeout(500)
        assert doh_requests(page) == []

    in_lab(dns_lab, dns_site_root, scenario)


def test_a_and_mx_are_required_and_nothing_is_sent_without_them(dns_lab: DnsLab, dns_site_root: Path) -> None:
    """Without the customer's A and MX (and, while provider.toml's name servers are samples, NS) the page shows a
    message on each field, judges nothing and sends nothing."""
    seen: dict[str, Any] = {}
    ns_required = not provider_nameservers()  # the site was built from the same provider.toml

    def scenario(page: Page, base: str) -> None:
        open_tool(page, base + f"tools/dns-check/#domain={DOMAIN}")
        use_lab_resolvers(page)
        placeholder = page.get_attribute("#dnscheck-expect-a", "placeholder") or ""
        seen["placeholder"] = placeholder
        seen["value"] = page.input_value("#dnscheck-expect-a")
        seen["ns_placeholder"] = page.get_attribute("#dnscheck-expect-ns", "placeholder") or ""
        seen["ns_value"] = page.input_value("#dnscheck-expect-ns")
        page.check("input[name=consent]")
        page.click("#dnscheck-form button[type=submit]")
        page.wait_for_selector("#expect_a-error:not([hidden])")
        page.wait_for_selector("#expect_mx-error:not([hidden])")
        if ns_required:
            page.wait_for_selector("#expect_ns-error:not([hidden])")
            seen["ns_error"] = page.text_content("#expect_ns-error")
        seen["a_error"] = page.text_content("#expect_a-error")
        box = page.locator("#expect_mx-error").bounding_box()
        seen["visible"] = box is not None and box["width"] > 0 and box["height"] > 0
        seen["verdict"] = page.text_content("[data-nc-output=verdict]")
        page.wait_for_timeout(300)
        seen["requests"] = doh_requests(page)

    in_lab(dns_lab, dns_site_root, scenario)
    assert seen["placeholder"].startswith("例: ") and seen["value"] == ""
    assert "『サーバアカウント情報』" in seen["a_error"] and seen["visible"]
    assert seen["verdict"] == "" and seen["requests"] == []
    # No name server is ever prefilled as an expectation; while they are samples the placeholder says so.
    assert seen["ns_value"] == "" and seen["ns_placeholder"].startswith("例: ")
    if ns_required:
        assert "サンプル値" in seen["ns_placeholder"]
        assert "ネームサーバ" in seen["ns_error"] and "サンプル値" in seen["ns_error"]


def test_verdicts_follow_the_switch_in_the_lab(dns_lab: DnsLab, dns_site_root: Path) -> None:
    """未切替 before the switch, 伝播中 (old on .7, new on .8) after it, 切替完了 once the old resolver is flushed."""
    seen: dict[str, Any] = {}

    def scenario(page: Page, base: str) -> None:
        open_tool(page, base + f"tools/dns-check/#domain={DOMAIN}&{ACCOUNT_FRAGMENT}")
        use_lab_resolvers(page)
        assert doh_requests(page) == []
        page.check("input[name=consent]")
        seen["before"] = run_check(page)
        seen["requests"] = len(doh_requests(page))
        dns_lab.switch_delegation(DOMAIN, to="new")
        seen["during"] = run_check(page)
        seen["during_table"] = table_blocks(page)
        seen["during_values"] = page.text_content("[data-nc-output=values]")
        dns_lab.flush()
        seen["after"] = run_check(page)
        seen["csp"] = page.nc.csp_violations(page)  # type: ignore[attr-defined]

    in_lab(dns_lab, dns_site_root, scenario)
    assert seen["before"] == "未切替"
    assert seen["requests"] == 8  # 2 resolvers x NS, A, AAAA, MX
    assert seen["during"] == "伝播中"
    assert seen["during_table"] == [["旧"] * 4, ["新"] * 4]
    # The old values were learnt from the resolver that still shows the old name servers.
    assert "A     新しい値: 198.51.100.20（入力された値） / 旧の値: 192.0.2.10" in seen["during_values"]
    assert seen["after"] == "切替完了"
    assert seen["csp"] == []


def test_a_third_value_is_other_in_the_browser(dns_lab: DnsLab, dns_site_root: Path) -> None:
    """Switched, but the customer typed another A than the new servers serve: 不一致 on A, never 旧; the verdict is
    新しい値と不一致 (nothing old is seen: waiting would not fix it), not 伝播中 nor 切替完了."""
    seen: dict[str, Any] = {}

    def scenario(page: Page, base: str) -> None:
        dns_lab.switch_delegation(DOMAIN, to="new")
        dns_lab.flush()
        open_tool(page, base + f"tools/dns-check/#domain={DOMAIN}&{ACCOUNT_FRAGMENT}")
        use_lab_resolvers(page)
        page.fill("#dnscheck-expect-a", "198.51.100.99")
        page.check("input[name=consent]")
        seen["verdict"] = run_check(page)
        seen["table"] = table_blocks(page)
        seen["next"] = str(page.text_content("[data-nc-output=next]"))

    in_lab(dns_lab, dns_site_root, scenario)
    assert seen["table"] == [["新", "不一致", "新", "新"]] * 2
    assert seen["verdict"] == "新しい値と不一致"
    assert "待っても直るとは限りません" in seen["next"]


def test_idn_domain_in_the_browser(dns_lab: DnsLab, dns_site_root: Path) -> None:
    """日本語.test after the switch and flush: 切替完了 with the values from the fragment."""
    seen: dict[str, Any] = {}

    def scenario(page: Page, base: str) -> None:
        dns_lab.switch_delegation("日本語.test", to="new")
        dns_lab.flush()
        open_tool(page, base + f"tools/dns-check/#domain={quote('日本語.test')}&{ACCOUNT_FRAGMENT}")
        use_lab_resolvers(page)
        page.check("input[name=consent]")
        seen["verdict"] = run_check(page)
        seen["summary"] = page.text_content("[data-nc-output=summary]")

    in_lab(dns_lab, dns_site_root, scenario)
    assert seen["verdict"] == "切替完了"
    assert str(seen["summary"]).startswith("日本語.test: 新 8 ")


def test_english_page_shows_english(dns_lab: DnsLab, dns_site_root: Path) -> None:
    """The English page gives the English verdict and labels."""
    seen: dict[str, str] = {}

    def scenario(page: Page, base: str) -> None:
        open_tool(page, base + f"en/tools/dns-check/#domain={DOMAIN}&{ACCOUNT_FRAGMENT}")
        use_lab_resolvers(page)
        page.check("input[name=consent]")
        seen["verdict"] = run_check(page)
        seen["table"] = str(page.text_content("[data-nc-output=table]"))
        seen["next"] = str(page.text_content("[data-nc-output=next]"))

    in_lab(dns_lab, dns_site_root, scenario)
    assert seen["verdict"] == "not switched"
    assert "  NS    old" in seen["table"]
    assert seen["next"].startswith("The old servers' values are still returned.")
