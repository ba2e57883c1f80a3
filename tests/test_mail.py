"""checklist_app.mail: old and new account values per client, and the Thunderbird / Apple set-up files."""

from __future__ import annotations

import json
import plistlib
import uuid
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checklist_app.errors import ChecklistError
from checklist_app.mail import (
    CLIENTS,
    FIELD_LABELS,
    MailSettings,
    apple_mobileconfig,
    mail_settings,
    parse_address,
    thunderbird_autoconfig,
)
from checklist_app.provider import PROVIDER
from tests.properties import MANY

OLD = "mail.oldhost.example"
ADDR = "taro@example.co.jp"


def fields(settings_: MailSettings, which: str = "new", index: int = 0) -> dict[str, str]:
    """The English values of one account's rows, by field id."""
    account = settings_.accounts[index]
    rows = account.new.fields if which == "new" else account.old.fields
    return {f.id: f.value.en for f in rows}


def all_keys(value: Any) -> list[str]:
    """Every dictionary key anywhere in a parsed plist."""
    if isinstance(value, dict):
        return [*value.keys(), *(k for v in value.values() for k in all_keys(v))]
    if isinstance(value, list):
        return [k for v in value for k in all_keys(v)]
    return []


# --------------------------------------------------------------------------------------------------------------------
# New account values


def test_imap_new_account_uses_provider_host_993_and_587_starttls() -> None:
    """IMAP: the provider's mail host, 993 implicit TLS in, 587 STARTTLS out, the full address as user name."""
    new = mail_settings(ADDR, "imap", "thunderbird", OLD).accounts[0].new
    assert (new.incoming.host, new.incoming.port, new.incoming.security) == (PROVIDER.mail_host_example, 993, "ssl")
    assert (new.outgoing.host, new.outgoing.port, new.outgoing.security) == (
        PROVIDER.mail_host_example,
        587,
        "starttls",
    )
    assert new.username == ADDR
    assert (new.authentication, new.smtp_auth) == ("password", True)


def test_pop_new_account_uses_995_and_leaves_a_copy_for_fourteen_days() -> None:
    """POP: port 995 implicit TLS and 'leave a copy on the server' on, removed after 14 days by default."""
    new = mail_settings(ADDR, "pop", "outlook_classic", OLD).accounts[0].new
    assert (new.incoming.port, new.incoming.security) == (995, "ssl")
    assert (new.leave_copy, new.leave_copy_days) == (True, 14)


def test_imap_has_no_leave_a_copy_setting() -> None:
    """IMAP keeps mail on the server anyway: no 'leave a copy' value or row."""
    s = mail_settings(ADDR, "imap", "outlook_classic", OLD)
    assert s.accounts[0].new.leave_copy is None
    assert "leave_copy" not in fields(s)


def test_smtp_ssl_gives_port_465_implicit_tls() -> None:
    """smtp_security='ssl' sends on 465 with implicit TLS."""
    out = mail_settings(ADDR, "imap", "thunderbird", OLD, smtp_security="ssl").accounts[0].new.outgoing
    assert (out.port, out.security) == (465, "ssl")


def test_new_server_can_be_overridden_and_is_normalised() -> None:
    """A given new server replaces the provider default, lower-cased."""
    s = mail_settings(ADDR, "imap", "thunderbird", OLD, new_server="MAIL02.Net-Com.Example")
    assert s.accounts[0].new.incoming.host == "mail02.net-com.example"


def test_pop_keep_days_is_used() -> None:
    """pop_keep_days sets the removal period in the values and the rows."""
    s = mail_settings(ADDR, "pop", "thunderbird", OLD, pop_keep_days=30)
    assert s.accounts[0].new.leave_copy_days == 30
    assert fields(s)["leave_copy"] == "On (for at most 30 days)"


def test_no_port_25_anywhere() -> None:
    """No client, protocol or SMTP choice ever yields port 25 (OP25B)."""
    for client in CLIENTS:
        for protocol in ("pop", "imap") if client != "android" else ("imap",):
            for smtp in ("starttls", "ssl"):
                new = mail_settings(ADDR, protocol, client, OLD, smtp_security=smtp).accounts[0].new
                assert 25 not in (new.incoming.port, new.outgoing.port)


# --------------------------------------------------------------------------------------------------------------------
# Old account values


def test_old_account_points_both_servers_at_the_old_host() -> None:
    """(a) The old account's incoming and outgoing server become the old server's own host name."""
    s = mail_settings(ADDR, "pop", "outlook_classic", "MAIL.OldHost.Example")
    old = fields(s, "old")
    assert old["incoming_server"] == old["outgoing_server"] == OLD
    assert s.accounts[0].old.host == OLD


def test_old_and_new_accounts_are_named_old_and_new() -> None:
    """The accounts are renamed 【旧】 and 【新】 with the address, so the customer can tell them apart."""
    account = mail_settings(ADDR, "imap", "ios", OLD).accounts[0]
    assert account.old.account_name.ja == f"【旧】{ADDR}"
    assert account.new.account_name.ja == f"【新】{ADDR}"


def test_old_server_under_the_customers_domain_is_rejected() -> None:
    """mail.<domain> as the old server would reach the new server after the switch: rejected on 'old_server'."""
    with pytest.raises(ChecklistError) as err:
        mail_settings(ADDR, "pop", "outlook_classic", "mail.example.co.jp")
    assert err.value.field == "old_server"


def test_old_server_equal_to_new_server_is_rejected() -> None:
    """The old account must not point at the new server."""
    with pytest.raises(ChecklistError) as err:
        mail_settings(ADDR, "pop", "thunderbird", PROVIDER.mail_host_example)
    assert err.value.field == "old_server"


def test_missing_old_server_says_to_ask_the_old_provider() -> None:
    """Without an old server the rows say to ask for it and a warning explains."""
    s = mail_settings(ADDR, "imap", "thunderbird")
    assert s.accounts[0].old.host is None
    assert "ask your old provider" in fields(s, "old")["incoming_server"]
    assert any("own host name or IP address" in w.en for w in s.warnings)


def test_old_server_as_ip_warns_about_certificates() -> None:
    """An IP address for the old server is accepted with a certificate warning."""
    s = mail_settings(ADDR, "imap", "thunderbird", "198.51.100.25")
    assert fields(s, "old")["incoming_server"] == "198.51.100.25"
    assert any("certificate" in w.en for w in s.warnings)


def test_new_server_under_the_customers_domain_warns() -> None:
    """mail.<domain> as the new server works only after the switch: a warning, not an error."""
    s = mail_settings(ADDR, "imap", "thunderbird", OLD, new_server="mail.example.co.jp")
    assert any("until the DNS switch" in w.en for w in s.warnings)


# --------------------------------------------------------------------------------------------------------------------
# Warnings per client


def test_op25b_and_two_accounts_warnings_are_always_given() -> None:
    """Every client gets the OP25B warning and the keep-both-accounts advice."""
    for client in CLIENTS:
        en = " ".join(w.en for w in mail_settings(ADDR, "imap", client, OLD).warnings)
        assert "OP25B" in en and "port 25" in en
        assert "one to two weeks" in en


def test_outlook_classic_warns_about_the_same_data_file() -> None:
    """Outlook (classic) is told to use the same data file and to back it up before deleting the old account."""
    en = " ".join(w.en for w in mail_settings(ADDR, "pop", "outlook_classic", OLD).warnings)
    assert "same data file" in en and "back up" in en


def test_outlook_classic_gets_the_same_address_twice_workaround() -> None:
    """Outlook (classic) gets the Control Panel workaround for refusing the same address twice."""
    en = " ".join(w.en for w in mail_settings(ADDR, "pop", "outlook_classic", OLD).warnings)
    assert "same address" in en and "Control Panel" in en


def test_new_outlook_warns_about_microsofts_cloud() -> None:
    """New Outlook is told that it fetches through Microsoft's cloud (hosts file does not apply)."""
    en = " ".join(w.en for w in mail_settings(ADDR, "imap", "new_outlook", OLD).warnings)
    assert "Microsoft's cloud" in en and "hosts file" in en


def test_data_file_warning_is_for_outlook_classic_only() -> None:
    """Clients without a .pst data file do not get that warning."""
    for client in ("new_outlook", "thunderbird", "apple_mail", "ios", "android"):
        protocol = "imap" if client == "android" else "pop"
        assert not any(".pst" in w.en for w in mail_settings(ADDR, protocol, client, OLD).warnings)


def test_imap_warns_that_stored_mail_is_not_moved() -> None:
    """With IMAP the customer is told to move stored mail from the old account before the contract ends."""
    assert any("not moved" in w.en for w in mail_settings(ADDR, "imap", "thunderbird", OLD).warnings)


# --------------------------------------------------------------------------------------------------------------------
# Field labels


def test_outlook_labels_are_outlooks_own_words() -> None:
    """Outlook's rows are labelled 受信メール サーバー and 送信メール サーバー (SMTP)."""
    labels = {f.id: f.label.ja for f in mail_settings(ADDR, "pop", "outlook", OLD).accounts[0].new.fields}
    assert labels["incoming_server"] == "受信メール サーバー"
    assert labels["outgoing_server"] == "送信メール サーバー (SMTP)"


def test_thunderbird_labels_are_thunderbirds_own_words() -> None:
    """Thunderbird's rows are labelled 受信サーバー / 送信サーバー with ホスト名 and 接続の保護."""
    labels = {f.id: f.label.ja for f in mail_settings(ADDR, "imap", "thunderbird", OLD).accounts[0].new.fields}
    assert labels["incoming_server"] == "受信サーバー: ホスト名"
    assert labels["incoming_security"] == "受信サーバー: 接続の保護"
    assert labels["outgoing_server"] == "送信サーバー: ホスト名"


def test_every_client_labels_servers_ports_and_user_name() -> None:
    """Each client has bilingual labels for both servers, both ports and the user name."""
    for client, labels in FIELD_LABELS.items():
        for fid in ("incoming_server", "incoming_port", "outgoing_server", "outgoing_port", "username"):
            assert labels[fid].ja and labels[fid].en, (client, fid)


def test_apple_clients_show_the_ssl_switch_as_on() -> None:
    """Apple Mail and iOS have one SSL switch: the value is 'On' for STARTTLS too."""
    for client in ("apple_mail", "ios"):
        row = fields(mail_settings(ADDR, "imap", client, OLD))
        assert row["incoming_security"] == row["outgoing_security"] == "On"


def test_ios_leave_copy_uses_the_periods_ios_offers() -> None:
    """iOS offers 'after seven days' or 'never': 14 days becomes never, with a manual-deletion hint."""
    assert fields(mail_settings(ADDR, "pop", "ios", OLD, pop_keep_days=7))["leave_copy"] == "After seven days"
    assert fields(mail_settings(ADDR, "pop", "ios", OLD))["leave_copy"].startswith("Never")


def test_old_account_rows_use_the_clients_labels() -> None:
    """The old account's rows carry the same client labels as the new account's."""
    account = mail_settings(ADDR, "imap", "android", OLD).accounts[0]
    old = {f.id: f.label for f in account.old.fields}
    new = {f.id: f.label for f in account.new.fields}
    assert old["incoming_server"] == new["incoming_server"]


# --------------------------------------------------------------------------------------------------------------------
# Addresses and choices


def test_japanese_domain_address_uses_punycode_for_values_and_keeps_display() -> None:
    """An IDN address: values use the Punycode domain, the display form keeps Japanese."""
    account = mail_settings("Taro.Yamada@日本語.jp", "imap", "thunderbird", OLD).accounts[0]
    assert account.address == "Taro.Yamada@xn--wgv71a119e.jp"
    assert account.address_display == "Taro.Yamada@日本語.jp"
    assert account.new.username == "Taro.Yamada@xn--wgv71a119e.jp"


def test_several_addresses_each_get_both_accounts() -> None:
    """Each address gets its own old and new account, duplicates once."""
    s = mail_settings([ADDR, "hanako@example.co.jp", ADDR], "imap", "thunderbird", OLD)
    assert [a.address for a in s.accounts] == [ADDR, "hanako@example.co.jp"]


@pytest.mark.parametrize(
    "address",
    [
        "",
        "taro",
        "taro@@example.jp",
        "ta ro@example.jp",
        "taro@example.jp\nBcc: x@example.jp",
        "たろう@example.jp",
        "ｔａｒｏ@example.jp",
        "taro＠example.jp",
        "taro..x@example.jp",
        ".taro@example.jp",
        "taro.@example.jp",
        "(taro)@example.jp",
        '"taro"@example.jp',
        "taro@",
        "@example.jp",
        "a" * 65 + "@example.jp",
        "taro@exa_mple.jp",
        "taro@localhost",
        "taro@192.0.2.1",
        "taro@[192.0.2.1]",
    ],
)
def test_bad_address_is_rejected_naming_the_addresses_field(address: str) -> None:
    """Addresses outside common practice (ASCII dot-atom @ valid domain) are rejected on 'addresses'."""
    with pytest.raises(ChecklistError) as err:
        mail_settings(address, "imap", "thunderbird", OLD)
    assert err.value.field == "addresses"
    assert err.value.ja and err.value.en


def test_empty_address_list_is_rejected() -> None:
    """No address at all is an error on 'addresses'."""
    with pytest.raises(ChecklistError) as err:
        mail_settings([], "imap", "thunderbird", OLD)
    assert err.value.field == "addresses"


def test_parse_address_accepts_common_local_part_characters() -> None:
    """Plus, hyphen, underscore and dots between atoms are accepted as typed."""
    assert parse_address(" taro.yamada+news_1-x@Example.JP ") == (
        "taro.yamada+news_1-x@example.jp",
        "taro.yamada+news_1-x@example.jp",
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"protocol": "smtp"}, "protocol"),
        ({"client": "eudora"}, "client"),
        ({"smtp_security": "plain"}, "smtp_security"),
        ({"smtp_security": "25"}, "smtp_security"),
        ({"pop_keep_days": 0}, "pop_keep_days"),
        ({"pop_keep_days": 366}, "pop_keep_days"),
        ({"pop_keep_days": True}, "pop_keep_days"),
        ({"old_server": "mail old"}, "old_server"),
        ({"new_server": "mail\nnew"}, "new_server"),
        ({"new_server": "fe80::1%eth0"}, "new_server"),
    ],
)
def test_bad_choice_is_rejected_naming_its_field(kwargs: dict[str, Any], field: str) -> None:
    """Every other input is validated and reported on its own field."""
    args: dict[str, Any] = {"addresses": ADDR, "protocol": "pop", "client": "thunderbird", "old_server": OLD}
    args.update(kwargs)
    with pytest.raises(ChecklistError) as err:
        mail_settings(**args)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("given_", "expected"),
    [("outlook", "outlook_classic"), ("iPhone", "ios"), ("new-outlook", "new_outlook"), ("Gmail", "android")],
)
def test_client_aliases_are_understood(given_: str, expected: str) -> None:
    """Common names of the clients map to the canonical ids."""
    assert mail_settings(ADDR, "imap", given_, OLD).client == expected


def test_protocol_names_are_case_insensitive() -> None:
    """'POP3' and 'IMAP' are accepted as pop and imap."""
    assert mail_settings(ADDR, "POP3", "ios", OLD).protocol == "pop"
    assert mail_settings(ADDR, "IMAP", "ios", OLD).protocol == "imap"


def test_to_dict_is_json() -> None:
    """to_dict() survives JSON with the rows, labels and warnings."""
    s = mail_settings(["taro@日本語.jp"], "pop", "outlook_classic", OLD)
    data = json.loads(json.dumps(s.to_dict(), ensure_ascii=False))
    assert data["accounts"][0]["new"]["incoming"] == {
        "host": PROVIDER.mail_host_example,
        "port": 995,
        "security": "ssl",
    }
    assert data["accounts"][0]["address_display"] == "taro@日本語.jp"
    assert data["client_name"] == {"ja": CLIENTS["outlook_classic"].ja, "en": CLIENTS["outlook_classic"].en}


# --------------------------------------------------------------------------------------------------------------------
# Thunderbird autoconfig


def test_autoconfig_pop_is_read_back_with_every_value() -> None:
    """config-v1.1.xml parses and holds the POP server, SSL, password-cleartext, %EMAILADDRESS% and leave-on-server."""
    s = mail_settings(["taro@日本語.jp", "hanako@example.co.jp"], "pop", "thunderbird", OLD)
    root = ET.fromstring(thunderbird_autoconfig(s))
    assert (root.tag, root.get("version")) == ("clientConfig", "1.1")
    provider = root.find("emailProvider")
    assert provider is not None and provider.get("id") == "xn--wgv71a119e.jp"
    assert [d.text for d in provider.findall("domain")] == ["xn--wgv71a119e.jp", "example.co.jp"]
    assert provider.findtext("displayShortName") == PROVIDER.company_short
    assert provider.findtext("displayName") == PROVIDER.company.ja
    incoming = provider.find("incomingServer")
    assert incoming is not None and incoming.get("type") == "pop3"
    assert incoming.findtext("hostname") == PROVIDER.mail_host_example
    assert incoming.findtext("port") == "995"
    assert incoming.findtext("socketType") == "SSL"
    assert incoming.findtext("authentication") == "password-cleartext"
    assert incoming.findtext("username") == "%EMAILADDRESS%"
    assert incoming.findtext("pop3/leaveMessagesOnServer") == "true"
    assert incoming.findtext("pop3/daysToLeaveMessagesOnServer") == "14"


def test_autoconfig_outgoing_server_follows_smtp_security() -> None:
    """The outgoing server is smtp on 587 STARTTLS, or 465 SSL when asked."""
    for smtp, port, socket in (("starttls", "587", "STARTTLS"), ("ssl", "465", "SSL")):
        root = ET.fromstring(thunderbird_autoconfig(mail_settings(ADDR, "imap", "thunderbird", OLD, None, smtp)))
        out = root.find("emailProvider/outgoingServer")
        assert out is not None and out.get("type") == "smtp"
        assert (out.findtext("port"), out.findtext("socketType")) == (port, socket)
        assert out.findtext("authentication") == "password-cleartext"


def test_autoconfig_imap_has_no_pop3_section() -> None:
    """For IMAP the incoming server is imap on 993 and has no pop3 element."""
    root = ET.fromstring(thunderbird_autoconfig(mail_settings(ADDR, "imap", "thunderbird", OLD)))
    incoming = root.find("emailProvider/incomingServer")
    assert incoming is not None and incoming.get("type") == "imap"
    assert incoming.findtext("port") == "993"
    assert incoming.find("pop3") is None


def test_autoconfig_has_no_password_element() -> None:
    """No element of the XML is a password."""
    root = ET.fromstring(thunderbird_autoconfig(mail_settings(ADDR, "pop", "thunderbird", OLD)))
    assert not [e.tag for e in root.iter() if "password" in e.tag.lower()]


# --------------------------------------------------------------------------------------------------------------------
# Apple configuration profile


def test_mobileconfig_is_a_configuration_profile_with_one_mail_payload_per_address() -> None:
    """The plist is a Configuration profile holding one com.apple.mail.managed payload per address."""
    s = mail_settings([ADDR, "hanako@example.co.jp"], "imap", "ios", OLD)
    profile = plistlib.loads(apple_mobileconfig(s))
    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadVersion"] == 1
    assert [p["PayloadType"] for p in profile["PayloadContent"]] == ["com.apple.mail.managed"] * 2
    assert [p["EmailAddress"] for p in profile["PayloadContent"]] == [ADDR, "hanako@example.co.jp"]


def test_mobileconfig_mail_payload_holds_the_new_account_values() -> None:
    """Each mail payload has the new server, ports, SSL, password authentication and the address as user name."""
    payload = plistlib.loads(apple_mobileconfig(mail_settings(ADDR, "pop", "ios", OLD)))["PayloadContent"][0]
    assert payload["EmailAccountType"] == "EmailTypePOP"
    assert payload["EmailAccountDescription"] == f"【新】{ADDR}"
    assert payload["IncomingMailServerHostName"] == PROVIDER.mail_host_example
    assert payload["IncomingMailServerPortNumber"] == 995
    assert payload["IncomingMailServerUseSSL"] is True
    assert payload["IncomingMailServerAuthentication"] == "EmailAuthPassword"
    assert payload["IncomingMailServerUsername"] == ADDR
    assert payload["OutgoingMailServerHostName"] == PROVIDER.mail_host_example
    assert payload["OutgoingMailServerPortNumber"] == 587
    assert payload["OutgoingMailServerUseSSL"] is True
    assert payload["OutgoingMailServerAuthentication"] == "EmailAuthPassword"
    assert payload["OutgoingMailServerUsername"] == ADDR
    assert payload["OutgoingPasswordSameAsIncomingPassword"] is True
    assert payload["PayloadVersion"] == 1


def test_mobileconfig_imap_account_type() -> None:
    """IMAP gives EmailTypeIMAP on port 993."""
    payload = plistlib.loads(apple_mobileconfig(mail_settings(ADDR, "imap", "apple_mail", OLD)))["PayloadContent"][0]
    assert (payload["EmailAccountType"], payload["IncomingMailServerPortNumber"]) == ("EmailTypeIMAP", 993)


def test_mobileconfig_is_deterministic() -> None:
    """The same input gives byte-identical profiles (UUIDs come from uuid5, not randomness)."""
    first = apple_mobileconfig(mail_settings([ADDR, "hanako@example.co.jp"], "imap", "ios", OLD))
    assert first == apple_mobileconfig(mail_settings([ADDR, "hanako@example.co.jp"], "imap", "ios", OLD))


def test_mobileconfig_uuids_are_valid_and_distinct_per_address() -> None:
    """Every PayloadUUID parses as a UUID; the profile and each address have their own."""
    profile = plistlib.loads(apple_mobileconfig(mail_settings([ADDR, "hanako@example.co.jp"], "imap", "ios", OLD)))
    uuids = [profile["PayloadUUID"], *(p["PayloadUUID"] for p in profile["PayloadContent"])]
    assert all(uuid.UUID(u).version == 5 for u in uuids)
    assert len(set(uuids)) == 3
    identifiers = [profile["PayloadIdentifier"], *(p["PayloadIdentifier"] for p in profile["PayloadContent"])]
    assert len(set(identifiers)) == 3


def test_mobileconfig_has_no_password_key() -> None:
    """No key of the profile is a password (only the 'same as incoming' flag mentions one)."""
    profile = plistlib.loads(apple_mobileconfig(mail_settings(ADDR, "pop", "ios", OLD)))
    keys = [k for k in all_keys(profile) if "password" in k.lower()]
    assert keys == ["OutgoingPasswordSameAsIncomingPassword"]


# --------------------------------------------------------------------------------------------------------------------
# Properties (slow: >= 10,000 examples each)

_anything = st.one_of(st.text(), st.none(), st.integers(), st.booleans(), st.lists(st.text(), max_size=3))
_local = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9_+-]{0,8})(\.[A-Za-z0-9_+-]{1,6}){0,2}", fullmatch=True)
_label = st.one_of(
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True).filter(lambda s: s[2:4] != "--"),
    st.text(alphabet="あいうえおかきくけこ日本語会社", min_size=1, max_size=5),
)
_domain = st.builds(lambda a, b: f"{a}.{b}", _label, st.sampled_from(["jp", "co.jp", "com"]))
_address = st.builds(lambda local, domain: f"{local}@{domain}", _local, _domain)


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    addresses=st.one_of(st.lists(st.one_of(st.text(), _address), max_size=3), _anything),
    protocol=st.one_of(st.sampled_from(["pop", "imap", "POP3"]), _anything),
    client=st.one_of(st.sampled_from(sorted(CLIENTS)), _anything),
    old_server=st.one_of(st.none(), st.just(OLD), st.text(), st.ip_addresses().map(str)),
    new_server=st.one_of(st.none(), st.text(), _domain),
    smtp=st.one_of(st.sampled_from(["starttls", "ssl"]), _anything),
    days=st.one_of(st.integers(), st.booleans(), st.none()),
)
def test_any_input_raises_nothing_but_checklist_error(
    addresses: Any, protocol: Any, client: Any, old_server: Any, new_server: Any, smtp: Any, days: Any
) -> None:
    """Whatever the input, mail_settings and both files return data or raise ChecklistError, nothing else."""
    try:
        s = mail_settings(addresses, protocol, client, old_server, new_server, smtp, pop_keep_days=days)
        ET.fromstring(thunderbird_autoconfig(s))
        plistlib.loads(apple_mobileconfig(s))
        json.dumps(s.to_dict())
    except ChecklistError as err:
        assert err.field in {
            "addresses",
            "protocol",
            "client",
            "old_server",
            "new_server",
            "smtp_security",
            "pop_keep_days",
        }
        assert err.ja and err.en


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    addresses=st.lists(_address, min_size=1, max_size=3),
    protocol=st.sampled_from(["pop", "imap"]),
    client=st.sampled_from(sorted(CLIENTS)),
    smtp=st.sampled_from(["starttls", "ssl"]),
    days=st.integers(min_value=1, max_value=365),
)
def test_files_read_back_to_the_settings_and_hold_no_password(
    addresses: list[str], protocol: str, client: str, smtp: str, days: int
) -> None:
    """For any valid input both files parse back to exactly the settings' values, never with a password."""
    assume(not (client == "android" and protocol == "pop"))  # refused: see test_android_pop_is_refused_naming_imap
    s = mail_settings(addresses, protocol, client, OLD, smtp_security=smtp, pop_keep_days=days)
    new = s.accounts[0].new
    root = ET.fromstring(thunderbird_autoconfig(s))
    assert not [e.tag for e in root.iter() if "password" in e.tag.lower()]
    assert root.findtext("emailProvider/incomingServer/port") == str(new.incoming.port)
    assert root.findtext("emailProvider/outgoingServer/port") == str(new.outgoing.port)
    assert {d.text for d in root.findall("emailProvider/domain")} == {a.domain for a in s.accounts}
    profile = plistlib.loads(apple_mobileconfig(s))
    assert [k for k in all_keys(profile) if "password" in k.lower()] == [
        "OutgoingPasswordSameAsIncomingPassword"
    ] * len(s.accounts)
    assert [p["EmailAddress"] for p in profile["PayloadContent"]] == [a.address for a in s.accounts]
    assert {p["OutgoingMailServerPortNumber"] for p in profile["PayloadContent"]} == {
        587 if smtp == "starttls" else 465
    }


# --------------------------------------------------------------------------------------------------------------------
# One device, several profiles (Apple: installing a profile whose PayloadIdentifier is already there replaces it)


def install(device: dict[str, dict[str, Any]], profile: bytes) -> None:
    """Install a profile the way iOS and macOS do: keyed by its PayloadIdentifier."""
    parsed = plistlib.loads(profile)
    device[parsed["PayloadIdentifier"]] = parsed


def accounts_on(device: dict[str, dict[str, Any]]) -> list[str]:
    """Every mail account the installed profiles hold."""
    return sorted(p["EmailAddress"] for profile in device.values() for p in profile["PayloadContent"])


def test_two_mailboxes_of_one_domain_live_side_by_side_on_one_device() -> None:
    """taro@'s profile and then hanako@'s (same domain) leave both accounts on the iPhone."""
    device: dict[str, dict[str, Any]] = {}
    install(device, apple_mobileconfig(mail_settings(ADDR, "imap", "ios", OLD)))
    install(device, apple_mobileconfig(mail_settings("hanako@example.co.jp", "imap", "ios", OLD)))
    assert accounts_on(device) == ["hanako@example.co.jp", ADDR]
    identifiers = [p["PayloadIdentifier"] for profile in device.values() for p in profile["PayloadContent"]]
    assert len(set(identifiers)) == 2


def test_a_profile_made_again_for_the_same_mailboxes_replaces_the_first() -> None:
    """The same mailbox set (another order, case, protocol or server) gives the same identifiers: no duplicate."""
    device: dict[str, dict[str, Any]] = {}
    first = apple_mobileconfig(mail_settings([ADDR, "hanako@example.co.jp"], "pop", "ios", OLD))
    again = apple_mobileconfig(
        mail_settings(["Hanako@EXAMPLE.co.jp", ADDR], "imap", "ios", OLD, new_server="mail02.net-com.example")
    )
    install(device, first)
    install(device, again)
    assert len(device) == 1
    assert accounts_on(device) == ["Hanako@example.co.jp", ADDR]
    ids = [
        {p["EmailAddress"].lower(): p["PayloadIdentifier"] for p in plistlib.loads(f)["PayloadContent"]}
        for f in (first, again)
    ]
    assert ids[0] == ids[1]


def test_a_different_mailbox_set_is_a_different_profile() -> None:
    """taro@ alone and taro@ + hanako@ are two profiles (two identifiers)."""
    alone = plistlib.loads(apple_mobileconfig(mail_settings(ADDR, "imap", "ios", OLD)))
    pair = plistlib.loads(apple_mobileconfig(mail_settings([ADDR, "hanako@example.co.jp"], "imap", "ios", OLD)))
    assert alone["PayloadIdentifier"] != pair["PayloadIdentifier"]


# --------------------------------------------------------------------------------------------------------------------
# Android: the Gmail app takes other providers' accounts over IMAP


def test_android_pop_is_refused_naming_imap() -> None:
    """POP for the Gmail app is refused on the protocol field; the message says IMAP and names an app for POP."""
    with pytest.raises(ChecklistError) as err:
        mail_settings(ADDR, "pop", "android", OLD)
    assert err.value.field == "protocol"
    assert "IMAP" in err.value.ja and "Thunderbird for Android" in err.value.ja
    assert "IMAP" in err.value.en and "Thunderbird for Android" in err.value.en


def test_android_imap_gives_the_gmail_apps_values() -> None:
    """IMAP in the Gmail app: 'Personal (IMAP)', the provider's IMAP port."""
    row = fields(mail_settings(ADDR, "imap", "android", OLD))
    assert row["protocol"] == "Personal (IMAP)"
    assert row["incoming_port"] == str(PROVIDER.imap_port)


# --------------------------------------------------------------------------------------------------------------------
# Sample (example-range) server names are marked in the values and in both files

REAL_HOST = "mail01.net-com.co.jp"  # not an example range (never resolved: only written into files)
REAL_OLD = "mail.oldhost.co.jp"


def test_an_example_server_is_listed_and_warned_about_first() -> None:
    """An example new and old server are listed as samples; the first warning says サンプル値 and names them."""
    s = mail_settings(ADDR, "imap", "thunderbird", OLD, new_server="mail01.net-com.example")
    assert s.samples == ("mail01.net-com.example", OLD)
    assert s.warnings[0].ja.startswith("サンプル値") and OLD in s.warnings[0].ja
    assert s.warnings[0].en.startswith("Sample value")
    assert s.to_dict()["samples"] == ["mail01.net-com.example", OLD]


def test_real_servers_are_not_marked() -> None:
    """Non-example servers: no samples, no sample warning, no comment, no mark in the profile."""
    s = mail_settings(ADDR, "imap", "ios", REAL_OLD, new_server=REAL_HOST)
    assert s.samples == ()
    assert not any("サンプル値" in w.ja or "ample value" in w.en for w in s.warnings)
    assert "<!--" not in thunderbird_autoconfig(s)
    profile = plistlib.loads(apple_mobileconfig(s))
    assert "サンプル値" not in profile["PayloadDisplayName"] + profile["PayloadDescription"]


def test_the_default_new_server_is_marked_only_while_it_is_an_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the provider's default host: marked while provider.toml holds an example, unmarked with a real one."""
    import dataclasses

    import checklist_app.mail as mail_module

    monkeypatch.setattr(mail_module, "PROVIDER", dataclasses.replace(PROVIDER, mail_host_example="x.net-com.example"))
    marked = mail_settings(ADDR, "imap", "ios", REAL_OLD)
    assert marked.samples == ("x.net-com.example",)
    assert "Server Account Information" in marked.warnings[0].en
    monkeypatch.setattr(mail_module, "PROVIDER", dataclasses.replace(PROVIDER, mail_host_example=REAL_HOST))
    assert mail_settings(ADDR, "imap", "ios", REAL_OLD).samples == ()


def test_autoconfig_names_a_sample_in_a_comment_that_parsers_skip() -> None:
    """The Thunderbird file carries an XML comment naming the sample; a plain parse still reads every value."""
    s = mail_settings(ADDR, "imap", "thunderbird", OLD, new_server="mail01.net-com.example")
    text = thunderbird_autoconfig(s)
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.fromstring(text, parser=parser)
    comments = [e.text or "" for e in root.iter() if e.tag is ET.Comment]
    assert len(comments) == 1 and "サンプル値" in comments[0] and "mail01.net-com.example" in comments[0]
    plain = ET.fromstring(text)
    assert plain.findtext("emailProvider/incomingServer/hostname") == "mail01.net-com.example"


@pytest.mark.parametrize(("lang", "mark"), [("ja", "【サンプル値】"), ("en", "[sample value] ")])
def test_the_profile_says_sample_where_the_device_shows_it(lang: str, mark: str) -> None:
    """The profile's name (shown before installing) starts with the sample mark; its description names the host."""
    s = mail_settings(ADDR, "imap", "ios", REAL_OLD, new_server="mail01.net-com.example")
    profile = plistlib.loads(apple_mobileconfig(s, lang=lang))
    assert profile["PayloadDisplayName"].startswith(mark)
    assert "mail01.net-com.example" in profile["PayloadDescription"]
    assert profile["PayloadContent"][0]["IncomingMailServerHostName"] == "mail01.net-com.example"
