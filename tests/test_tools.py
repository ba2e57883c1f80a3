"""checklist_app.tools: the browser tools' entry point (form values in, the page protocol's response out)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import plistlib
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist_app import tools
from checklist_app.mail import FIELD_LABELS
from checklist_app.provider import PROVIDER
from checklist_app.tools import LINK_FIELDS, MAIL_FIELD_IDS, TOOLS, run_tool
from tests.properties import MANY

TODAY = "2026-12-01"
V4 = "203.0.113.10"
V6 = "2001:db8::10"
PUBLIC_V4 = "133.0.0.1"  # globally routable, never contacted: only written as text
HOSTS = {"domain": "example.co.jp", "ip": [PUBLIC_V4], "os": "windows", "today": TODAY}
MAIL = {
    "addresses": ["taro@example.co.jp"],
    "protocol": "pop",
    "client": "thunderbird",
    "old_server": PROVIDER.old_mail_host_example,
    "new_server": "",
    "smtp_security": "starttls",
    "today": TODAY,
}
SCHEDULE = {"applied": "2026-12-21", "today": TODAY}


def ok(tool: str, params: dict[str, Any], lang: str = "ja") -> dict[str, Any]:
    """Run a tool that must succeed and return its response."""
    response = run_tool(tool, params, lang)
    assert response["ok"] is True, response
    return response


def errors(tool: str, params: object, lang: str = "ja") -> dict[str, str]:
    """Run a tool that must fail and return its messages by field."""
    response = run_tool(tool, params, lang)
    assert response["ok"] is False, response
    return {e["field"]: e["message"] for e in response["errors"]}


def download(response: dict[str, Any], key: str) -> dict[str, str]:
    """The download with ``key``."""
    found = [d for d in response["downloads"] if d["key"] == key]
    assert len(found) == 1, response["downloads"]
    return found[0]


def download_bytes(item: dict[str, str]) -> bytes:
    """A download's content as the browser would save it (text is saved as UTF-8)."""
    if "base64" in item:
        return base64.b64decode(item["base64"], validate=True)
    return item["text"].encode("utf-8")


def parse_hosts(text: str) -> list[tuple[str, list[str]]]:
    """Read hosts lines the way resolvers do: '#' starts a comment, blanks separate fields."""
    out = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        fields = raw.split("#", 1)[0].split()
        if fields:
            out.append((fields[0], fields[1:]))
    return out


def has_japanese(text: str) -> bool:
    """True when ``text`` holds kana or kanji."""
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


# --------------------------------------------------------------------------------------------------------------------
# The entry point


def test_unknown_tool_is_a_form_error_in_japanese() -> None:
    """An unknown tool name answers ok:false on the form slot, in Japanese by default."""
    found = errors("nope", {})
    assert list(found) == ["_form"]
    assert "nope" in found["_form"] and has_japanese(found["_form"])


def test_unknown_tool_is_a_form_error_in_english() -> None:
    """The same error in English when the page is English."""
    found = errors("nope", {}, "en")
    assert found["_form"].startswith("There is no tool") and not has_japanese(found["_form"])


@pytest.mark.parametrize("params", [None, [], "domain=x", {1: "x"}])
def test_params_that_are_not_a_mapping_of_names_are_a_form_error(params: object) -> None:
    """Params that are not a name → value mapping answer ok:false instead of raising."""
    assert list(errors("hosts", params)) == ["_form"]


@pytest.mark.parametrize("name", [None, 3, ["hosts"]])
def test_a_tool_name_that_is_not_text_is_a_form_error(name: object) -> None:
    """A tool name of the wrong type answers ok:false."""
    assert list(errors(name, {})) == ["_form"]  # type: ignore[arg-type]


def test_an_unexpected_exception_becomes_a_form_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug inside a tool still reaches the page as a message, never as an exception."""

    def broken(params: object, lang: str) -> tools.ToolResult:
        raise RuntimeError("boom")

    monkeypatch.setitem(tools.TOOLS, "hosts", broken)
    found = errors("hosts", HOSTS, "en")
    assert list(found) == ["_form"] and "RuntimeError" in found["_form"]


def test_any_other_language_gives_japanese() -> None:
    """A language other than "en" gives Japanese messages."""
    assert has_japanese(errors("hosts", {**HOSTS, "ip": ["x"]}, "fr")["ip"])


def test_responses_are_json() -> None:
    """Every tool's answer survives JSON (the worker sends it as text)."""
    for tool, params in (("hosts", HOSTS), ("mail", MAIL), ("schedule", SCHEDULE)):
        response = ok(tool, params)
        assert json.loads(json.dumps(response)) == response


def test_output_keys_are_selector_safe() -> None:
    """Output and download keys use only [a-z0-9_], so any selector finds their elements."""
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789_")
    for tool, params in (("hosts", HOSTS), ("mail", MAIL), ("schedule", SCHEDULE)):
        response = ok(tool, params)
        keys = [*response["outputs"], *(d["key"] for d in response["downloads"])]
        assert all(set(k) <= allowed for k in keys), keys


def test_every_output_is_text() -> None:
    """Outputs and warnings are strings (the page sets them with textContent)."""
    for tool, params in (("hosts", HOSTS), ("mail", MAIL), ("schedule", SCHEDULE)):
        response = ok(tool, params)
        assert all(isinstance(v, str) for v in response["outputs"].values())
        assert all(isinstance(w, str) for w in response["warnings"])


def test_a_list_where_text_is_expected_names_the_field() -> None:
    """A list sent for a single-value input is refused on that input."""
    assert "domain" in errors("hosts", {**HOSTS, "domain": ["example.co.jp"]})


def test_a_list_with_non_text_items_names_the_field() -> None:
    """A list input holding something other than text is refused on that input."""
    assert "ip" in errors("hosts", {**HOSTS, "ip": [PUBLIC_V4, 5]}, "en")


def test_a_textarea_sent_as_one_string_is_read_line_by_line() -> None:
    """A list input that arrives as one multi-line string gives one value per line."""
    block = ok("hosts", {**HOSTS, "ip": f"{PUBLIC_V4}\r\n2400:4000::1\n"})["outputs"]["block"]
    assert {a for a, _ in parse_hosts(block)} == {PUBLIC_V4, "2400:4000::1"}


# --------------------------------------------------------------------------------------------------------------------
# hosts


def test_hosts_block_covers_the_domain_and_www_at_the_address() -> None:
    """The block maps the bare domain and www to the given address, between dated markers."""
    block = ok("hosts", HOSTS)["outputs"]["block"]
    assert parse_hosts(block) == [(PUBLIC_V4, ["example.co.jp"]), (PUBLIC_V4, ["www.example.co.jp"])]
    assert block.splitlines()[0] == f"# BEGIN {PROVIDER.company_short} migration example.co.jp {TODAY}"
    assert block.splitlines()[-1] == f"# END {PROVIDER.company_short} migration example.co.jp {TODAY}"


def test_hosts_extra_names_are_added() -> None:
    """Labels in the names field become names under the domain."""
    block = ok("hosts", {**HOSTS, "names": ["mail", "", "shop.example.co.jp"]})["outputs"]["block"]
    assert [n for _, names in parse_hosts(block) for n in names] == [
        "example.co.jp",
        "www.example.co.jp",
        "mail.example.co.jp",
        "shop.example.co.jp",
    ]


def test_hosts_japanese_domain_is_written_in_punycode() -> None:
    """A Japanese domain is written as its A-label, and shown readably too."""
    outputs = ok("hosts", {**HOSTS, "domain": "日本語.jp"})["outputs"]
    assert outputs["domain_ascii"] == "xn--wgv71a119e.jp"
    assert outputs["domain_unicode"] == "日本語.jp"
    assert parse_hosts(outputs["block"])[0] == (PUBLIC_V4, ["xn--wgv71a119e.jp"])


def test_hosts_windows_download_has_crlf_line_ends() -> None:
    """On Windows the file to save has CRLF line endings and the same lines as the block."""
    response = ok("hosts", HOSTS)
    item = download(response, "hosts_file")
    assert item["filename"] == "hosts-example.co.jp.txt" and item["mime"].startswith("text/plain")
    text = download_bytes(item).decode("ascii")
    assert text.count("\r\n") == text.count("\n") == 4
    assert parse_hosts(text) == parse_hosts(response["outputs"]["block"])


def test_hosts_macos_download_has_lf_line_ends() -> None:
    """On macOS the file to save has plain LF line endings."""
    text = download(ok("hosts", {**HOSTS, "os": "macos"}), "hosts_file")["text"]
    assert "\r" not in text and text.count("\n") == 4


def test_hosts_steps_follow_the_chosen_os_and_language() -> None:
    """The steps, path and flush command are the chosen OS's, in the page language."""
    ja = ok("hosts", {**HOSTS, "os": "macos"})["outputs"]
    en = ok("hosts", {**HOSTS, "os": "macos"}, "en")["outputs"]
    assert ja["path"] == en["path"] == "/etc/hosts"
    assert "mDNSResponder" in ja["flush"]
    assert ja["steps"].startswith("1. ") and has_japanese(ja["steps"])
    assert en["steps"].startswith("1. ") and not has_japanese(en["steps"])


def test_hosts_windows_is_the_default_os() -> None:
    """Without an OS the Windows steps are given (the form's default)."""
    outputs = ok("hosts", {k: v for k, v in HOSTS.items() if k != "os"})["outputs"]
    assert outputs["flush"] == "ipconfig /flushdns"


def test_hosts_documentation_address_warns_in_the_page_language() -> None:
    """A documentation address gives a warning, in Japanese or English."""
    ja = ok("hosts", {**HOSTS, "ip": [V4]})["warnings"]
    en = ok("hosts", {**HOSTS, "ip": [V4]}, "en")["warnings"]
    assert len(ja) == len(en) == 1
    assert V4 in ja[0] and has_japanese(ja[0]) and "documentation" in en[0]


def test_hosts_bad_ip_is_reported_on_the_ip_field_in_japanese() -> None:
    """A malformed address is an error on the ip field, in Japanese."""
    found = errors("hosts", {**HOSTS, "ip": ["203.0.113"]})
    assert list(found) == ["ip"] and "IP アドレスの形式ではありません" in found["ip"]


def test_hosts_bad_ip_is_reported_on_the_ip_field_in_english() -> None:
    """The same error in English."""
    assert errors("hosts", {**HOSTS, "ip": ["203.0.113"]}, "en")["ip"].startswith("Not an IP address")


def test_hosts_reports_every_bad_field_at_once() -> None:
    """An empty domain and no address are reported together, each on its field."""
    found = errors("hosts", {"domain": "", "ip": [], "today": TODAY})
    assert set(found) == {"domain", "ip"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("domain", "example.co.jp\n203.0.113.66 bank.example"),
        ("domain", "<script>alert(1)</script>.jp"),
        ("names", ["mail evil.example"]),
        ("names", ["#mail"]),
        ("ip", [f"{PUBLIC_V4} evil.example"]),
    ],
)
def test_hosts_refuses_anything_that_would_add_a_line_or_a_name(field: str, value: object) -> None:
    """Line breaks, spaces, '#' and markup in a value are refused on that field."""
    assert field in errors("hosts", {**HOSTS, field: value})


def test_hosts_two_ipv4_addresses_are_refused() -> None:
    """Two addresses of one family are refused on the ip field (one server is tested)."""
    assert "ip" in errors("hosts", {**HOSTS, "ip": [PUBLIC_V4, "133.0.0.2"]}, "en")


def test_hosts_unknown_os_is_refused() -> None:
    """An OS that is not offered is refused on the os field."""
    assert "os" in errors("hosts", {**HOSTS, "os": "beos"})


@pytest.mark.parametrize("today", [None, "", "2026-13-01", "tomorrow"])
def test_hosts_without_a_valid_today_is_a_form_error(today: object) -> None:
    """The marker date comes from the page; without it the form slot says so."""
    params = {**HOSTS, "today": today}
    assert "_form" in errors("hosts", params)


# --------------------------------------------------------------------------------------------------------------------
# mail


def test_mail_table_puts_old_and_new_servers_side_by_side() -> None:
    """The old account points at the old server's own name; the new one at the provider's server."""
    outputs = ok("mail", MAIL)["outputs"]
    assert outputs["old_incoming_server"] == outputs["old_outgoing_server"] == PROVIDER.old_mail_host_example
    assert outputs["new_incoming_server"] == outputs["new_outgoing_server"] == PROVIDER.mail_host_example
    assert outputs["new_incoming_port"] == str(PROVIDER.pop_port)
    assert outputs["new_outgoing_port"] == str(PROVIDER.smtp_port)
    assert outputs["new_username"] == "taro@example.co.jp"


def test_mail_table_has_one_output_per_cell() -> None:
    """Every field has a label, an old and a new output."""
    outputs = ok("mail", MAIL)["outputs"]
    for fid in MAIL_FIELD_IDS:
        assert {f"label_{fid}", f"old_{fid}", f"new_{fid}"} <= outputs.keys()


def test_mail_labels_are_the_clients_own() -> None:
    """Row labels are the chosen client's names for the fields, in the page language."""
    outputs = ok("mail", MAIL, "en")["outputs"]
    assert outputs["label_incoming_server"] == FIELD_LABELS["thunderbird"]["incoming_server"].en


def test_mail_old_account_keeps_what_it_does_not_change() -> None:
    """Fields the old account does not change say so; fields the client lacks show a dash."""
    outputs = ok("mail", {**MAIL, "client": "new_outlook"})["outputs"]
    assert outputs["old_incoming_port"] == "（変更しない）"
    assert outputs["label_leave_copy"] == outputs["new_leave_copy"] == outputs["old_leave_copy"] == "—"


def test_mail_imap_uses_the_imap_port() -> None:
    """IMAP gives the IMAP port and no leave-a-copy value."""
    outputs = ok("mail", {**MAIL, "protocol": "imap"})["outputs"]
    assert outputs["new_incoming_port"] == str(PROVIDER.imap_port)
    assert outputs["new_leave_copy"] == "—"


def test_mail_ssl_uses_port_465() -> None:
    """SMTP over implicit TLS uses the alternative port."""
    assert ok("mail", {**MAIL, "smtp_security": "ssl"})["outputs"]["new_outgoing_port"] == str(PROVIDER.smtp_port_alt)


def test_mail_client_warnings_come_back_in_english() -> None:
    """Client-specific warnings come back in the page language (Outlook's data file)."""
    warnings = ok("mail", {**MAIL, "client": "outlook_classic"}, "en")["warnings"]
    assert any("data file" in w for w in warnings) and not any(
        has_japanese(w.replace("【旧】", "").replace("【新】", "")) for w in warnings
    )


def test_mail_without_old_server_tells_the_customer_to_ask() -> None:
    """An empty old server leaves a placeholder in the table and a warning."""
    response = ok("mail", {**MAIL, "old_server": ""})
    assert "ご確認ください" in response["outputs"]["old_incoming_server"]
    assert any("ホスティング業者にご確認ください" in w for w in response["warnings"])


def test_mail_other_addresses_are_named_and_listed() -> None:
    """With several addresses, the table shows the first and the text lists every one."""
    outputs = ok("mail", {**MAIL, "addresses": ["taro@example.co.jp", "", "hanako@example.co.jp"]})["outputs"]
    assert outputs["address"] == "taro@example.co.jp"
    assert "hanako@example.co.jp" in outputs["other_addresses"]
    assert outputs["all_text"].count("■ ") == 2 and "hanako@example.co.jp" in outputs["all_text"]


def test_mail_single_address_has_no_other_addresses_note() -> None:
    """With one address, the other-addresses note is empty."""
    assert ok("mail", MAIL)["outputs"]["other_addresses"] == ""


def test_mail_japanese_domain_is_shown_readably_and_used_in_punycode() -> None:
    """A Japanese domain is shown as typed; the user name uses its Punycode form."""
    outputs = ok("mail", {**MAIL, "addresses": ["taro@日本語.jp"]})["outputs"]
    assert outputs["address"] == "taro@日本語.jp"
    assert outputs["new_username"] == "taro@xn--wgv71a119e.jp"


def test_mail_offers_no_thunderbird_file_to_customers() -> None:
    """config-v1.1.xml is for the provider's autoconfig host, not a download: the answer offers the profile only."""
    assert [d["key"] for d in ok("mail", MAIL)["downloads"]] == ["mobileconfig"]


def test_mail_marks_a_sample_server_beside_it_and_first() -> None:
    """An example new server fills the badge beside the [NEW] servers, heads the warnings and the copied text."""
    response = ok("mail", {**MAIL, "new_server": "mail01.net-com.example"})
    outputs = response["outputs"]
    assert outputs["sample_new"] == "サンプル値"
    assert outputs["sample_old"] == "サンプル値"  # PROVIDER.old_mail_host_example is an illustration
    assert response["warnings"][0].startswith("サンプル値") and "mail01.net-com.example" in response["warnings"][0]
    assert outputs["all_text"].splitlines()[0] == response["warnings"][0]
    assert ok("mail", {**MAIL, "new_server": "mail01.net-com.example"}, "en")["outputs"]["sample_new"] == "sample value"


def test_mail_real_servers_leave_the_badges_empty() -> None:
    """Non-example servers: both badges empty (not drawn), no sample warning, the text starts with the address."""
    response = ok("mail", {**MAIL, "old_server": "mail.oldhost.co.jp", "new_server": "mail01.net-com.co.jp"})
    assert response["outputs"]["sample_new"] == response["outputs"]["sample_old"] == ""
    assert not any("サンプル値" in w for w in response["warnings"])
    assert response["outputs"]["all_text"].startswith("■ taro@example.co.jp")


def test_mail_profiles_for_two_mailboxes_do_not_replace_each_other() -> None:
    """taro@'s and hanako@'s profiles from the tool have different PayloadIdentifiers (both stay on one iPhone)."""
    ids = {
        plistlib.loads(download_bytes(download(ok("mail", {**MAIL, "addresses": [a]}), "mobileconfig")))[
            "PayloadIdentifier"
        ]
        for a in ("taro@example.co.jp", "hanako@example.co.jp", "taro@example.co.jp")
    }
    assert len(ids) == 2


def test_mail_mobileconfig_reads_back_without_a_password() -> None:
    """The .mobileconfig is a plist with one mail payload per address and no password."""
    params = {**MAIL, "addresses": ["taro@example.co.jp", "hanako@example.co.jp"], "protocol": "imap"}
    item = download(ok("mail", params), "mobileconfig")
    assert item["filename"] == "example.co.jp.mobileconfig"
    assert item["mime"] == "application/x-apple-aspen-config"
    profile = plistlib.loads(download_bytes(item))
    payloads = profile["PayloadContent"]
    assert [p["EmailAddress"] for p in payloads] == ["taro@example.co.jp", "hanako@example.co.jp"]
    assert {p["PayloadType"] for p in payloads} == {"com.apple.mail.managed"}
    assert all(p["EmailAccountType"] == "EmailTypeIMAP" for p in payloads)
    assert not any("IncomingPassword" in p or "OutgoingPassword" in p for p in payloads)


def test_mail_bad_address_is_reported_on_addresses_in_japanese() -> None:
    """A malformed address is an error on the addresses field, in Japanese."""
    found = errors("mail", {**MAIL, "addresses": ["taro.example.co.jp"]})
    assert list(found) == ["addresses"] and "メールアドレス" in found["addresses"]


def test_mail_bad_address_is_reported_on_addresses_in_english() -> None:
    """The same error in English."""
    assert errors("mail", {**MAIL, "addresses": ["taro.example.co.jp"]}, "en")["addresses"].startswith("The e-mail")


def test_mail_no_address_is_required() -> None:
    """An empty address list is an error on addresses."""
    assert "addresses" in errors("mail", {**MAIL, "addresses": ["", " "]})


def test_mail_old_server_under_the_domain_is_refused() -> None:
    """mail.<domain> as the old server is refused: after the switch it is the new server."""
    assert "old_server" in errors("mail", {**MAIL, "old_server": "mail.example.co.jp"}, "en")


def test_mail_reports_address_and_server_errors_together() -> None:
    """A bad address and a bad old server are reported at once."""
    found = errors("mail", {**MAIL, "addresses": ["@@"], "old_server": "bad host"})
    assert set(found) == {"addresses", "old_server"}


@pytest.mark.parametrize(("field", "value"), [("protocol", "smtp"), ("client", "eudora"), ("smtp_security", "25")])
def test_mail_unknown_choice_is_refused_on_its_field(field: str, value: str) -> None:
    """A protocol, client or SMTP security that is not offered is refused on that field."""
    assert field in errors("mail", {**MAIL, field: value})


# --------------------------------------------------------------------------------------------------------------------
# schedule


def _weekday(text: str) -> int:
    return dt.date.fromisoformat(text[:10]).weekday()


def test_schedule_has_dates_for_every_step() -> None:
    """Each of the seven steps gets a start and an expected completion."""
    outputs = ok("schedule", SCHEDULE)["outputs"]
    for n in range(1, 8):
        assert outputs[f"step{n}_start"][:4] in ("2026", "2027")
        assert outputs[f"step{n}_end"][:4] in ("2026", "2027")


def test_schedule_earliest_switch_is_monday_to_thursday() -> None:
    """The earliest switch day falls on Monday to Thursday, after the application."""
    outputs = ok("schedule", SCHEDULE)["outputs"]
    assert _weekday(outputs["earliest_switch"]) in range(4)
    assert outputs["earliest_switch"][:10] > SCHEDULE["applied"]


def test_schedule_cancellation_is_two_weeks_after_the_switch() -> None:
    """The old contract ends at least 14 days after the planned switch."""
    outputs = ok("schedule", SCHEDULE)["outputs"]
    switch = dt.date.fromisoformat(outputs["switch"][:10])
    assert dt.date.fromisoformat(outputs["cancellation"][:10]) - switch >= dt.timedelta(days=14)


def test_schedule_requested_switch_is_used_and_marked() -> None:
    """A valid requested switch date becomes the plan and is marked as requested."""
    outputs = ok("schedule", {**SCHEDULE, "switch_date": "2027-02-02"}, "en")["outputs"]
    assert outputs["switch"] == "2027-02-02 (Tue) (the date you asked for)"


def test_schedule_friday_switch_is_refused_with_nearest_dates_in_japanese() -> None:
    """A Friday switch date is refused on switch_date, naming the nearest valid dates, in Japanese."""
    message = errors("schedule", {**SCHEDULE, "switch_date": "2027-02-05"})["switch_date"]
    assert "金曜日" in message and "2027-02-04" in message and "2027-02-08" in message


def test_schedule_friday_switch_is_refused_with_nearest_dates_in_english() -> None:
    """The same refusal in English."""
    message = errors("schedule", {**SCHEDULE, "switch_date": "2027-02-05"}, "en")["switch_date"]
    assert "Friday" in message and "2027-02-04" in message and "2027-02-08" in message


def test_schedule_needs_the_application_date() -> None:
    """An empty application date is an error on applied."""
    assert "applied" in errors("schedule", {**SCHEDULE, "applied": ""})


def test_schedule_malformed_date_names_its_field() -> None:
    """A date that is not YYYY-MM-DD is refused on its own field."""
    assert "transfer_done" in errors("schedule", {**SCHEDULE, "transfer_done": "21/12/2026"}, "en")


def test_schedule_dates_out_of_order_are_refused() -> None:
    """A transfer completed before the application is refused on transfer_done."""
    assert "transfer_done" in errors("schedule", {**SCHEDULE, "transfer_done": "2026-12-01"})


def test_schedule_known_date_is_shown_as_done() -> None:
    """A known completion date is shown as done for its step."""
    outputs = ok("schedule", {**SCHEDULE, "transfer_done": "2026-12-28"})["outputs"]
    assert outputs["step3_end"] == "2026-12-28（月）（完了）"


def test_schedule_requested_switch_is_planned_not_done() -> None:
    """A requested switch date shows as the requested date for step 6, not as completed."""
    outputs = ok("schedule", {**SCHEDULE, "switch_date": "2027-02-02"})["outputs"]
    assert outputs["step6_end"] == "2027-02-02（火）（ご希望日）"


def test_schedule_ics_reads_back_in_the_page_language() -> None:
    """schedule.ics parses with icalendar and holds the switch day, in the page language."""
    response = ok("schedule", {**SCHEDULE, "domain": "日本語.jp"}, "en")
    item = download(response, "ics")
    assert item["filename"] == "schedule.ics" and item["mime"] == "text/calendar"
    cal = icalendar.Calendar.from_ical(download_bytes(item))
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    switch = events["DNS switch day (step 6) [日本語.jp]"]
    assert switch.decoded("dtstart") == dt.date.fromisoformat(response["outputs"]["switch"][:10])
    assert "日本語.jp" in str(cal["x-wr-calname"])


def test_schedule_bad_domain_is_refused_on_domain() -> None:
    """An invalid optional domain is refused on the domain field."""
    assert "domain" in errors("schedule", {**SCHEDULE, "domain": "not a domain"})


# --------------------------------------------------------------------------------------------------------------------
# stafflink


def fragment_pairs(url: str) -> list[tuple[str, str]]:
    """The decoded key/value pairs of a link's fragment, as the page reads them."""
    return parse_qsl(urlsplit(url).fragment, keep_blank_values=True)


def test_stafflink_hosts_link_is_a_sibling_page_with_the_values_in_the_fragment() -> None:
    """The link opens ../hosts/ with domain and each address in the fragment."""
    params = {"tool": "hosts", "domain": "日本語.jp", "ip": [PUBLIC_V4, "2400:4000::1"], "today": TODAY}
    url = ok("stafflink", params)["outputs"]["url"]
    assert url.startswith("../hosts/#")
    assert fragment_pairs(url) == [("domain", "日本語.jp"), ("ip", PUBLIC_V4), ("ip", "2400:4000::1")]


def test_stafflink_values_are_percent_encoded() -> None:
    """Non-ASCII text, ':' and '@' are percent-encoded in the fragment."""
    url = ok("stafflink", {"tool": "hosts", "domain": "日本語.jp", "ip": ["2400:4000::1"], "today": TODAY})["outputs"][
        "url"
    ]
    fragment = urlsplit(url).fragment
    assert fragment.isascii() and ":" not in fragment and "%3A" in fragment


def test_stafflink_mail_link_keeps_only_given_values() -> None:
    """Choices left to the customer are not in the link."""
    params = {"tool": "mail", "addresses": ["taro@example.co.jp"], "protocol": "", "client": "ios", "today": TODAY}
    url = ok("stafflink", params)["outputs"]["url"]
    assert fragment_pairs(url) == [("addresses", "taro@example.co.jp"), ("client", "ios")]


def test_stafflink_ignores_fields_of_other_tools() -> None:
    """Values for other tools' fields stay out of the link."""
    params = {"tool": "schedule", "applied": "2026-12-21", "ip": [PUBLIC_V4], "addresses": ["a@b.jp"], "today": TODAY}
    assert fragment_pairs(ok("stafflink", params)["outputs"]["url"]) == [("applied", "2026-12-21")]


def test_stafflink_base_url_gives_an_absolute_link_in_the_chosen_language() -> None:
    """With a base URL, the link is absolute; English links go under /en/."""
    params = {"tool": "schedule", "applied": "2026-12-21", "base_url": "https://guide.example.jp", "today": TODAY}
    ja = ok("stafflink", {**params, "link_lang": "ja"})["outputs"]["url"]
    en = ok("stafflink", {**params, "link_lang": "en"})["outputs"]["url"]
    assert ja == "https://guide.example.jp/tools/schedule/#applied=2026-12-21"
    assert en == "https://guide.example.jp/en/tools/schedule/#applied=2026-12-21"


@pytest.mark.parametrize(
    ("page_lang", "link_lang", "prefix"),
    [
        ("ja", "ja", "../hosts/"),
        ("ja", "en", "../../en/tools/hosts/"),
        ("en", "en", "../hosts/"),
        ("en", "ja", "../../../tools/hosts/"),
    ],
)
def test_stafflink_relative_links_cross_languages(page_lang: str, link_lang: str, prefix: str) -> None:
    """Without a base URL, the link is relative to the staff page in either language."""
    params = {"tool": "hosts", "domain": "example.co.jp", "ip": [PUBLIC_V4], "link_lang": link_lang, "today": TODAY}
    assert ok("stafflink", params, page_lang)["outputs"]["url"].startswith(prefix + "#")


def test_stafflink_refuses_values_the_tool_would_refuse() -> None:
    """A bad address is reported on the same field as in the tool itself."""
    found = errors("stafflink", {"tool": "hosts", "domain": "example.co.jp", "ip": ["1.2.3"], "today": TODAY}, "en")
    assert list(found) == ["ip"] and found["ip"].startswith("Not an IP address")


def test_stafflink_passes_on_the_tools_warnings() -> None:
    """Warnings the customer would see (a documentation address) are shown to staff."""
    warnings = ok("stafflink", {"tool": "hosts", "domain": "example.co.jp", "ip": [V4], "today": TODAY})["warnings"]
    assert len(warnings) == 1 and V4 in warnings[0]


@pytest.mark.parametrize("base", ["javascript:alert(1)", "ftp://guide.example.jp/", "https://", "https://a.jp/?x=1"])
def test_stafflink_refuses_a_base_url_that_is_not_a_plain_web_address(base: str) -> None:
    """Only http(s) site addresses without query or fragment are accepted as the base URL."""
    params = {"tool": "schedule", "applied": "2026-12-21", "base_url": base, "today": TODAY}
    assert "base_url" in errors("stafflink", params)


@pytest.mark.parametrize("tool", ["", "stafflink", "dnscheck"])
def test_stafflink_refuses_an_unknown_target_tool(tool: str) -> None:
    """The target must be one of the tool pages."""
    assert "tool" in errors("stafflink", {"tool": tool, "today": TODAY})


def test_stafflink_fields_match_the_tools() -> None:
    """Every field a link can carry is a field its tool reads (so prefilled values are used)."""
    assert set(LINK_FIELDS) == set(TOOLS) - {"stafflink"}
    for tool, fields in LINK_FIELDS.items():
        for field in fields:
            probe = {"hosts": HOSTS, "mail": MAIL, "schedule": SCHEDULE}[tool]
            bad: object = ["a b"] if field in ("ip", "names", "addresses") else "a b"
            if field in ("os", "protocol", "client", "smtp_security"):
                bad = "?"
            assert field in errors(tool, {**probe, field: bad}), (tool, field)


# --------------------------------------------------------------------------------------------------------------------
# Properties

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=40),
    st.lists(st.text(max_size=30), max_size=4),
    st.integers(),
)
_params = st.dictionaries(
    st.sampled_from(
        sorted({f for fields in LINK_FIELDS.values() for f in fields} | {"today", "tool", "base_url", "link_lang"})
    ),
    _values,
    max_size=8,
)


def _check_shape(response: dict[str, Any]) -> None:
    assert response["ok"] in (True, False)
    if response["ok"]:
        assert all(isinstance(v, str) for v in response["outputs"].values())
    else:
        assert response["errors"]
        assert all(isinstance(e["field"], str) and e["message"] for e in response["errors"])
    json.dumps(response)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(tool=st.sampled_from(sorted(TOOLS)), params=_params, lang=st.sampled_from(["ja", "en"]))
def test_any_params_give_a_response_never_an_exception(tool: str, params: dict[str, Any], lang: str) -> None:
    """Whatever the form sends, the answer is a well-formed ok or error response."""
    _check_shape(run_tool(tool, params, lang))


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tool=st.sampled_from(sorted(TOOLS)), params=_params, lang=st.sampled_from(["ja", "en"]))
def test_any_params_give_a_response_never_an_exception_many(tool: str, params: dict[str, Any], lang: str) -> None:
    """The same property over 10,000 examples."""
    _check_shape(run_tool(tool, params, lang))


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    domain=st.text(max_size=30),
    ips=st.lists(st.text(max_size=20), max_size=3),
    names=st.lists(st.text(max_size=12), max_size=3),
)
def test_hosts_output_lines_are_exactly_the_given_names(domain: str, ips: list[str], names: list[str]) -> None:
    """Any accepted input gives a block whose lines hold only the accepted addresses and names under the domain."""
    response = run_tool("hosts", {"domain": domain, "ip": ips, "names": names, "today": TODAY}, "en")
    if not response["ok"]:
        return
    outputs = response["outputs"]
    entries = parse_hosts(outputs["block"])
    assert all(len(n) == 1 for _, n in entries)
    assert {n[0] for _, n in entries} == set(outputs["names"].split("\n"))
    assert all(n[0] == outputs["domain_ascii"] or n[0].endswith("." + outputs["domain_ascii"]) for _, n in entries)
