"""The tool pages in Chromium: forms run checklist_app.tools in the worker, fill outputs, offer files, prefill.

Written against the page protocol (docs/assets/app.js): outputs land in ``[data-nc-output=KEY]``, errors in the
``[data-nc-error-for=FIELD]`` slot beside the input, files behind ``[data-nc-download=KEY]`` links.
"""

from __future__ import annotations

import datetime as dt
import plistlib
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import icalendar
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from checklist_app.provider import PROVIDER

from .conftest import record, wait_python

pytestmark = pytest.mark.browser

PUBLIC_V4 = "133.0.0.1"  # globally routable, never contacted: only written into text
PUBLIC_V6 = "2400:4000::1"
# The first tool call imports the generators inside Pyodide: allow for it on a slow machine.
ANSWER_MS = 30_000


def open_tool(page: Page, base_url: str, path: str) -> None:
    """Open a tool page and wait until Python answers."""
    page.goto(base_url + path)
    wait_python(page)


def output(page: Page, key: str) -> str:
    """The text of the first element showing output ``key``."""
    return page.locator(f'[data-nc-output="{key}"]').first.inner_text()


def wait_output(page: Page, key: str, pattern: str) -> None:
    """Wait until output ``key`` shows text containing ``pattern``."""
    expect(page.locator(f'[data-nc-output="{key}"]').first).to_contain_text(pattern, timeout=ANSWER_MS)


def save(page: Page, key: str) -> tuple[str, bytes]:
    """Click the download link for ``key``; return the suggested file name and the bytes saved."""
    link = page.locator(f'[data-nc-download="{key}"]').first
    expect(link).to_have_attribute("href", re.compile(r"^blob:"))
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def parse_hosts(text: str) -> list[tuple[str, list[str]]]:
    """Read hosts lines the way resolvers do."""
    out = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        fields = raw.split("#", 1)[0].split()
        if fields:
            out.append((fields[0], fields[1:]))
    return out


# --------------------------------------------------------------------------------------------------------------------
# hosts


def test_hosts_form_shows_the_block_for_the_domain(page: Page, base_url: str) -> None:
    """Filling the hosts form and submitting shows the marked block for the domain and addresses."""
    open_tool(page, base_url, "tools/hosts/")
    page.fill("#hosts-domain", "example.co.jp")
    page.fill("#hosts-ip", f"{PUBLIC_V4}\n{PUBLIC_V6}")
    page.fill("#hosts-names", "mail")
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    wait_output(page, "block", "# BEGIN")
    entries = parse_hosts(output(page, "block"))
    assert {(a, n[0]) for a, n in entries} == {
        (address, name)
        for address in (PUBLIC_V4, PUBLIC_V6)
        for name in ("example.co.jp", "www.example.co.jp", "mail.example.co.jp")
    }
    assert output(page, "flush") == "ipconfig /flushdns"


def test_hosts_file_download_has_windows_line_ends(page: Page, base_url: str) -> None:
    """The saved hosts file is named after the domain and has CRLF line ends for Windows."""
    open_tool(page, base_url, "tools/hosts/")
    page.fill("#hosts-domain", "日本語.jp")
    page.fill("#hosts-ip", PUBLIC_V4)
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    wait_output(page, "block", "xn--wgv71a119e.jp")
    name, data = save(page, "hosts_file")
    assert name == "hosts-xn--wgv71a119e.jp.txt"
    text = data.decode("ascii")
    assert text.count("\r\n") == text.count("\n") == 4
    assert parse_hosts(text) == [(PUBLIC_V4, ["xn--wgv71a119e.jp"]), (PUBLIC_V4, ["www.xn--wgv71a119e.jp"])]


def test_hosts_os_choice_changes_the_steps(page: Page, base_url: str) -> None:
    """Choosing macOS shows the macOS path and cache command."""
    open_tool(page, base_url, "tools/hosts/")
    page.fill("#hosts-domain", "example.co.jp")
    page.fill("#hosts-ip", PUBLIC_V4)
    page.check('input[name="os"][value="macos"]')
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    wait_output(page, "flush", "mDNSResponder")
    assert output(page, "path") == "/etc/hosts"


def test_hosts_bad_ip_shows_the_japanese_message_beside_the_field(page: Page, base_url: str) -> None:
    """A malformed address shows the Japanese message in the ip slot and marks the textarea invalid."""
    open_tool(page, base_url, "tools/hosts/")
    page.fill("#hosts-domain", "example.co.jp")
    page.fill("#hosts-ip", "203.0.113")
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    slot = page.locator("#ip-error")
    expect(slot).to_be_visible(timeout=ANSWER_MS)
    expect(slot).to_contain_text("IP アドレスの形式ではありません", timeout=ANSWER_MS)
    expect(page.locator("#hosts-ip")).to_have_attribute("aria-invalid", "true", timeout=ANSWER_MS)
    expect(page.locator("#hosts-ip")).to_have_attribute("aria-describedby", "ip-error", timeout=ANSWER_MS)
    expect(page.locator("#domain-error")).to_be_hidden()


def test_hosts_bad_ip_shows_the_english_message_on_the_english_page(page: Page, base_url: str) -> None:
    """On /en/ the same mistake is explained in English."""
    open_tool(page, base_url, "en/tools/hosts/")
    page.fill("#hosts-domain", "example.co.jp")
    page.fill("#hosts-ip", "203.0.113")
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    expect(page.locator("#ip-error")).to_contain_text("Not an IP address", timeout=ANSWER_MS)


def test_hosts_markup_in_a_field_is_shown_as_text(page: Page, base_url: str) -> None:
    """Markup typed into a field comes back as text in the error slot and runs nothing."""
    payload = '<img src=x onerror="window.__ncXSS=1">'
    open_tool(page, base_url, "tools/hosts/")
    page.fill("#hosts-domain", payload)
    page.fill("#hosts-ip", PUBLIC_V4)
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    expect(page.locator("#domain-error")).to_be_visible(timeout=ANSWER_MS)
    assert page.locator("#domain-error img").count() == 0
    assert page.evaluate("window.__ncXSS") is None
    assert not page.nc.dialogs  # type: ignore[attr-defined]


def test_hosts_prefills_from_the_fragment_and_runs(page: Page, base_url: str) -> None:
    """A link with #domain=…&ip=…&ip=… fills the form and shows the result without a click."""
    page.goto(base_url + f"tools/hosts/#domain=example.co.jp&ip={PUBLIC_V4}&ip=2400%3A4000%3A%3A1&os=linux")
    wait_python(page)
    wait_output(page, "block", "# END")
    expect(page.locator("#hosts-domain")).to_have_value("example.co.jp")
    expect(page.locator("#hosts-ip")).to_have_value(f"{PUBLIC_V4}\n{PUBLIC_V6}")
    expect(page.locator('input[name="os"][value="linux"]')).to_be_checked()
    assert {a for a, _ in parse_hosts(output(page, "block"))} == {PUBLIC_V4, PUBLIC_V6}


def test_hosts_copy_button_puts_the_block_on_the_clipboard(page: Page, base_url: str) -> None:
    """The copy button copies exactly the block shown."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    open_tool(page, base_url, "tools/hosts/")
    page.fill("#hosts-domain", "example.co.jp")
    page.fill("#hosts-ip", PUBLIC_V4)
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    wait_output(page, "block", "# END")
    page.locator('[data-nc-copy="block"]').click()
    expect(page.locator('[data-nc-copy="block"]')).to_have_attribute("data-nc-copied", "1")
    assert page.evaluate("navigator.clipboard.readText()") == output(page, "block")


# --------------------------------------------------------------------------------------------------------------------
# mail


def fill_mail(page: Page, client: str = "thunderbird", protocol: str = "pop") -> None:
    """Fill the mail form for taro@ and hanako@example.co.jp and submit it."""
    page.fill("#mail-addresses", "taro@example.co.jp\nhanako@example.co.jp")
    page.check(f'input[name="protocol"][value="{protocol}"]')
    page.select_option("#mail-client", client)
    page.fill("#mail-old-server", PROVIDER.old_mail_host_example)
    page.locator('form[data-nc-tool="mail"] button[type="submit"]').click()
    wait_output(page, "new_incoming_server", PROVIDER.mail_host_example)


def test_mail_table_shows_old_and_new_servers_side_by_side(page: Page, base_url: str) -> None:
    """The table shows the old server for the old account and the provider's server for the new one."""
    open_tool(page, base_url, "tools/mail/")
    fill_mail(page)
    assert output(page, "old_incoming_server") == PROVIDER.old_mail_host_example
    assert output(page, "new_incoming_port") == str(PROVIDER.pop_port)
    assert output(page, "label_incoming_server") == "受信サーバー: ホスト名"
    assert "hanako@example.co.jp" in output(page, "other_addresses")
    expect(page.locator("[data-nc-warnings] li").first).to_be_visible()


def test_mail_page_offers_no_thunderbird_file(page: Page, base_url: str) -> None:
    """Customers get the Apple profile only: Thunderbird cannot import config-v1.1.xml (an autoconfig host's file)."""
    open_tool(page, base_url, "tools/mail/")
    fill_mail(page)
    expect(page.locator('[data-nc-download="mobileconfig"]')).to_have_count(1)
    expect(page.locator('[data-nc-download="autoconfig"]')).to_have_count(0)
    assert "config-v1.1.xml" not in page.locator("article").inner_text()


def _drawn(page: Page, selector: str) -> list[dict[str, float]]:
    """The boxes of the elements matching ``selector`` that are drawn with a size."""
    return page.eval_on_selector_all(
        selector,
        """els => els.map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0)
                     .map(r => ({width: r.width, height: r.height}))""",
    )


@pytest.mark.parametrize(("path", "word"), [("tools/mail/", "サンプル値"), ("en/tools/mail/", "sample value")])
def test_mail_sample_server_has_a_visible_badge_beside_it(page: Page, base_url: str, path: str, word: str) -> None:
    """An example new server: the badges beside the [NEW] servers are drawn with a size and say so."""
    open_tool(page, base_url, path)
    page.fill("#mail-addresses", "taro@example.co.jp")
    page.fill("#mail-new-server", "mail01.net-com.example")
    page.locator('form[data-nc-tool="mail"] button[type="submit"]').click()
    wait_output(page, "new_incoming_server", "mail01.net-com.example")
    badges = page.locator('[data-nc-output="sample_new"]')
    expect(badges.first).to_have_text(word)
    assert len(_drawn(page, '[data-nc-output="sample_new"]')) == 2  # incoming and outgoing
    expect(page.locator("[data-nc-warnings] li").first).to_contain_text("mail01.net-com.example")


def test_mail_real_server_draws_no_badge(page: Page, base_url: str) -> None:
    """Non-example servers: the badges stay empty and are not drawn."""
    open_tool(page, base_url, "tools/mail/")
    page.fill("#mail-addresses", "taro@example.co.jp")
    page.fill("#mail-old-server", "mail.oldhost.co.jp")
    page.fill("#mail-new-server", "mail01.net-com.co.jp")
    page.locator('form[data-nc-tool="mail"] button[type="submit"]').click()
    wait_output(page, "new_incoming_server", "mail01.net-com.co.jp")
    assert _drawn(page, "[data-nc-output^=sample_]") == []


def test_mail_profile_downloads_and_parses(page: Page, base_url: str) -> None:
    """The .mobileconfig downloads byte for byte and holds one mail payload per address."""
    open_tool(page, base_url, "tools/mail/")
    fill_mail(page, client="ios", protocol="imap")
    name, data = save(page, "mobileconfig")
    assert name == "example.co.jp.mobileconfig"
    profile = plistlib.loads(data)
    assert [p["EmailAddress"] for p in profile["PayloadContent"]] == ["taro@example.co.jp", "hanako@example.co.jp"]
    assert {p["PayloadType"] for p in profile["PayloadContent"]} == {"com.apple.mail.managed"}


def test_mail_bad_address_shows_the_message_beside_addresses(page: Page, base_url: str) -> None:
    """A malformed address is explained beside the addresses field, in English on /en/."""
    open_tool(page, base_url, "en/tools/mail/")
    page.fill("#mail-addresses", "taro.example.co.jp")
    page.locator('form[data-nc-tool="mail"] button[type="submit"]').click()
    expect(page.locator("#addresses-error")).to_contain_text("The e-mail address", timeout=ANSWER_MS)
    expect(page.locator("#mail-addresses")).to_have_attribute("aria-invalid", "true", timeout=ANSWER_MS)


# --------------------------------------------------------------------------------------------------------------------
# schedule


def test_schedule_plans_every_step_and_downloads_the_calendar(page: Page, base_url: str) -> None:
    """The planner fills every step's dates and schedule.ics holds the DNS switch day."""
    open_tool(page, base_url, "tools/schedule/")
    page.fill("#schedule-applied", "2026-12-21")
    page.locator('form[data-nc-tool="schedule"] button[type="submit"]').click()
    wait_output(page, "earliest_switch", "2027-")
    for n in range(1, 8):
        assert output(page, f"step{n}_end")[:4] in ("2026", "2027")
    switch = dt.date.fromisoformat(output(page, "earliest_switch")[:10])
    assert switch.weekday() < 4
    name, data = save(page, "ics")
    assert name == "schedule.ics"
    cal = icalendar.Calendar.from_ical(data)
    days = {str(e["summary"]): e.decoded("dtstart") for e in cal.walk("VEVENT")}
    assert days["DNS 切り替え日（ステップ 6）"] == switch


def test_schedule_friday_switch_is_refused_beside_the_field(page: Page, base_url: str) -> None:
    """A Friday switch date is refused beside switch_date with the nearest valid dates."""
    open_tool(page, base_url, "tools/schedule/")
    page.fill("#schedule-applied", "2026-12-21")
    page.fill("#schedule-switch-date", "2027-02-05")
    page.locator('form[data-nc-tool="schedule"] button[type="submit"]').click()
    slot = page.locator("#switch_date-error")
    expect(slot).to_contain_text("金曜日", timeout=ANSWER_MS)
    expect(slot).to_contain_text("2027-02-04", timeout=ANSWER_MS)
    expect(slot).to_contain_text("2027-02-08", timeout=ANSWER_MS)


# --------------------------------------------------------------------------------------------------------------------
# staff link


def test_staff_link_opens_the_hosts_tool_prefilled(page: Page, base_url: str) -> None:
    """A link built on the staff page opens the hosts tool with the values filled in and the result shown."""
    open_tool(page, base_url, "tools/staff-link/")
    page.select_option("#staff-tool", "hosts")
    page.fill("#staff-domain", "日本語.jp")
    page.fill("#staff-ip", f"{PUBLIC_V4}\n{PUBLIC_V6}")
    page.locator('form[data-nc-tool="stafflink"] button[type="submit"]').click()
    wait_output(page, "url", "#domain=")
    link = urljoin(page.url, output(page, "url"))
    assert urlsplit(link).path == urlsplit(base_url).path + "tools/hosts/"
    page.goto(link)
    wait_python(page)
    wait_output(page, "block", "xn--wgv71a119e.jp")
    expect(page.locator("#hosts-domain")).to_have_value("日本語.jp")
    expect(page.locator("#hosts-ip")).to_have_value(f"{PUBLIC_V4}\n{PUBLIC_V6}")


def test_staff_link_refuses_a_bad_value_beside_its_field(page: Page, base_url: str) -> None:
    """A value the tool would refuse is refused on the staff page, beside the same field."""
    open_tool(page, base_url, "tools/staff-link/")
    page.select_option("#staff-tool", "mail")
    page.fill("#staff-addresses", "taro@@example.co.jp")
    page.locator('form[data-nc-tool="stafflink"] button[type="submit"]').click()
    expect(page.locator("#addresses-error")).to_contain_text("メールアドレス", timeout=ANSWER_MS)
    assert output(page, "url") == ""


# --------------------------------------------------------------------------------------------------------------------
# Every tool page


@pytest.mark.parametrize("path", ["tools/", "tools/hosts/", "tools/mail/", "tools/schedule/", "tools/staff-link/"])
def test_tool_pages_load_only_from_the_site(page: Page, base_url: str, path: str) -> None:
    """A tool page and its Python start request nothing outside the site."""
    page.goto(base_url + path)
    if path != "tools/":
        wait_python(page)
    outside = [u for u in page.nc.requests if not u.startswith((base_url, "blob:", "data:"))]  # type: ignore[attr-defined]
    assert not outside
    assert not page.nc.csp_violations(page)  # type: ignore[attr-defined]


def test_results_appear_only_once_the_tool_has_answered(page: Page, base_url: str) -> None:
    """The results section stays out of sight until the first answer fills it."""
    open_tool(page, base_url, "tools/hosts/")
    results = page.locator("form[data-nc-tool='hosts'] .nc-results")
    expect(results).to_be_hidden()
    page.fill("#hosts-domain", "example.co.jp")
    page.fill("#hosts-ip", PUBLIC_V4)
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    expect(results).to_be_visible(timeout=ANSWER_MS)


def test_without_javascript_the_form_says_so_and_sends_nothing(
    new_context: Callable[..., BrowserContext], base_url: str
) -> None:
    """With JavaScript off, the page explains the tool needs it, and submitting sends no value anywhere."""
    page = new_context(java_script_enabled=False).new_page()
    record(page)
    page.goto(base_url + "tools/hosts/")
    expect(page.locator(".nc-noscript")).to_be_visible()
    page.fill("#hosts-domain", "secret-customer.example")
    page.press("#hosts-domain", "Enter")
    page.locator('form[data-nc-tool="hosts"] button[type="submit"]').click()
    page.wait_for_timeout(500)
    assert page.url == base_url + "tools/hosts/"
    assert not [u for u in page.nc.requests if "secret-customer" in u]  # type: ignore[attr-defined]
