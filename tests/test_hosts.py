"""checklist_app.hosts: the hosts block for testing the new server before the DNS switch, and its removal."""

from __future__ import annotations

import datetime as dt
import ipaddress
import itertools
import json

import idna
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist_app.errors import ChecklistError
from checklist_app.hosts import (
    HOSTS_NOTES,
    OS_GUIDES,
    build_hosts_block,
    normalize_domain,
    normalize_host,
    parse_ip,
    remove_hosts_blocks,
)
from tests.properties import MANY

DAY = dt.date(2026, 12, 1)
V4 = "203.0.113.10"
V6 = "2001:db8::10"
PUBLIC_V4 = "133.0.0.1"  # a globally routable address (never contacted: the tests only write it as text)
PUBLIC_V6 = "2400:4000::1"


def parse_hosts(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """An independent reader of hosts syntax (as glibc, BSD and Windows read it): '#' starts a comment, fields are
    separated by blanks, the first field is the address and the rest are names."""
    entries = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.split("#", 1)[0]
        fields = line.split()
        if not fields:
            continue
        address = str(ipaddress.ip_address(fields[0]))
        entries.append((address, tuple(fields[1:])))
    return entries


# --------------------------------------------------------------------------------------------------------------------
# Names and addresses


def test_japanese_domain_is_written_in_punycode() -> None:
    """A Japanese (IDN) domain appears in the block in its Punycode form, bare and with www."""
    block = build_hosts_block("日本語.jp", [V4], date=DAY)
    assert block.domain == "xn--wgv71a119e.jp"
    assert block.domain_unicode == "日本語.jp"
    assert block.names == ("xn--wgv71a119e.jp", "www.xn--wgv71a119e.jp")


def test_default_names_are_the_bare_domain_and_www() -> None:
    """Without names, the block covers the bare domain and www."""
    block = build_hosts_block("example.co.jp", V4, date=DAY)
    assert block.names == ("example.co.jp", "www.example.co.jp")


def test_names_may_be_labels_full_names_or_at_sign() -> None:
    """'@' means the bare domain, a label goes under the domain, a full name under the domain is kept."""
    block = build_hosts_block("example.co.jp", V4, ["@", "mail", "shop.example.co.jp"], date=DAY)
    assert block.names == ("example.co.jp", "mail.example.co.jp", "shop.example.co.jp")


def test_japanese_label_in_names_is_converted() -> None:
    """A Japanese label such as メール becomes its A-label under the domain."""
    block = build_hosts_block("example.jp", V4, ["メール"], date=DAY)
    assert block.names == (idna.encode("メール.example.jp", uts46=True).decode(),)


def test_full_width_input_is_mapped_to_ascii() -> None:
    """Full-width letters and the ideographic full stop typed with a Japanese IME map to ASCII (UTS 46)."""
    block = build_hosts_block("ＥＸＡＭＰＬＥ。ｊｐ", V4, date=DAY)
    assert block.domain == "example.jp"


def test_trailing_dot_and_surrounding_spaces_are_dropped() -> None:
    """A fully qualified 'example.jp.' and spaces around input normalise to the plain name."""
    block = build_hosts_block(" example.jp. ", [f" {V4} "], ["www "], date=DAY)
    assert block.names == ("www.example.jp",)
    assert block.addresses == (V4,)


def test_repeated_names_and_addresses_are_written_once() -> None:
    """The same name or address given twice (in any spelling) gives one line."""
    block = build_hosts_block("example.jp", [V6, "2001:DB8:0::10"], ["www", "WWW", "www.example.jp"], date=DAY)
    assert [e.line() for e in block.entries] == [f"{V6}\twww.example.jp"]


def test_one_line_per_address_and_name_ipv4_first() -> None:
    """Each line holds one address and one name; IPv4 lines come before IPv6 lines."""
    block = build_hosts_block("example.jp", [V6, V4], date=DAY)
    assert [e.line() for e in block.entries] == [
        f"{V4}\texample.jp",
        f"{V4}\twww.example.jp",
        f"{V6}\texample.jp",
        f"{V6}\twww.example.jp",
    ]


def test_ipv6_is_written_in_canonical_form() -> None:
    """An IPv6 address is written compressed and lower-case, as ipaddress prints it."""
    block = build_hosts_block("example.jp", ["2001:0DB8:0000:0000:0000:0000:0000:0010"], date=DAY)
    assert block.addresses == (V6,)


# --------------------------------------------------------------------------------------------------------------------
# The block text


def test_block_starts_and_ends_with_dated_markers_naming_the_domain() -> None:
    """The first and last lines are the BEGIN/END comments with the domain and the caller's date."""
    lines = build_hosts_block("日本語.jp", V4, date=DAY).text.splitlines()
    assert lines[0] == "# BEGIN Net-com migration xn--wgv71a119e.jp 2026-12-01"
    assert lines[-1] == "# END Net-com migration xn--wgv71a119e.jp 2026-12-01"


def test_text_uses_lf_line_endings_and_ends_with_one() -> None:
    """The default text has only LF line endings and ends with a line break."""
    text = build_hosts_block("example.jp", [V4, V6], date=DAY).text
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_windows_variant_uses_crlf_everywhere() -> None:
    """render(windows=True) ends every line with CRLF and has no bare LF."""
    block = build_hosts_block("example.jp", [V4, V6], date=DAY)
    text = block.render(windows=True)
    assert text.count("\r\n") == len(block.entries) + 2
    assert text.replace("\r\n", "").count("\n") == 0
    assert text.replace("\r\n", "\n") == block.text


def test_datetime_date_keeps_only_the_day() -> None:
    """A datetime passed as the date puts only the day into the markers."""
    block = build_hosts_block("example.jp", V4, date=dt.datetime(2026, 12, 1, 15, 30))
    assert block.begin_marker.endswith(" 2026-12-01")


def test_block_is_ascii_only() -> None:
    """The block is pure ASCII even for a Japanese domain (old Windows editors save hosts in the ANSI code page)."""
    assert build_hosts_block("日本語.jp", [V4], ["メール", "www"], date=DAY).text.isascii()


def test_to_dict_is_json_and_carries_both_texts() -> None:
    """to_dict() survives JSON and holds the LF and CRLF texts, entries and per-OS guides."""
    block = build_hosts_block("日本語.jp", [V4, V6], date=DAY)
    data = json.loads(json.dumps(block.to_dict(), ensure_ascii=False))
    assert data["text"] == block.text
    assert data["text_windows"] == block.render(windows=True)
    assert data["entries"][0] == {"address": V4, "names": ["xn--wgv71a119e.jp"], "family": "ipv4"}
    assert [g["id"] for g in data["os_guides"]] == ["windows", "macos", "linux"]


# --------------------------------------------------------------------------------------------------------------------
# Per-OS guides


def test_windows_guide_names_path_notepad_as_admin_and_flushdns() -> None:
    """Windows: the hosts path, Notepad run as administrator, and ipconfig /flushdns."""
    guide = next(g for g in OS_GUIDES if g.id == "windows")
    assert guide.path == r"C:\Windows\System32\drivers\etc\hosts"
    assert any("管理者として実行" in s.ja and "administrator" in s.en for s in guide.steps)
    assert guide.flush_commands == ("ipconfig /flushdns",)
    assert guide.windows_line_endings


def test_macos_guide_uses_sudo_and_flushes_mdnsresponder() -> None:
    """macOS: /etc/hosts edited with sudo, then dscacheutil and a HUP to mDNSResponder."""
    guide = next(g for g in OS_GUIDES if g.id == "macos")
    assert guide.path == "/etc/hosts"
    assert any("sudo" in s.en for s in guide.steps)
    assert guide.flush_commands == ("sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder",)


def test_linux_guide_flushes_systemd_resolved() -> None:
    """Linux: /etc/hosts, and resolvectl flush-caches when systemd-resolved is in use."""
    guide = next(g for g in OS_GUIDES if g.id == "linux")
    assert guide.path == "/etc/hosts"
    assert any("resolvectl flush-caches" in c for c in guide.flush_commands)
    assert "systemd-resolved" in guide.flush_note.en


def test_every_guide_and_note_is_bilingual() -> None:
    """Every step, removal text and note has both a Japanese and an English text."""
    texts = [t for g in OS_GUIDES for t in (*g.steps, g.name, g.flush_note, g.removal)] + list(HOSTS_NOTES)
    assert all(t.ja.strip() and t.en.strip() for t in texts)


def test_notes_say_phones_cannot_and_to_remove_afterwards() -> None:
    """The notes tell that phones cannot edit hosts and that the block must be removed after the switch."""
    en = " ".join(n.en for n in HOSTS_NOTES)
    assert "iPhone" in en and "Android" in en
    assert "Remove this block" in en


# --------------------------------------------------------------------------------------------------------------------
# Rejections


@pytest.mark.parametrize(
    "domain",
    [
        "",
        "   ",
        "example.jp\n203.0.113.66 evil.example",
        "example.jp\r",
        "exa mple.jp",
        "example.jp\tevil",
        "example.jp#comment",
        "exam\x00ple.jp",
        "exam\u200bple.jp",
        "-example.jp",
        "example-.jp",
        "ab--cd.jp",
        "example..jp",
        ".example.jp",
        "exa_mple.jp",
        "*.example.jp",
        "a" * 64 + ".jp",
        ".".join(["a" * 63] * 4) + ".jp",
        "jp",
        "localhost",
        "192.0.2.1",
        "xn--zz.jp",
    ],
)
def test_bad_domain_is_rejected_naming_the_domain_field(domain: str) -> None:
    """Anything that is not a valid domain name is a ChecklistError on 'domain' with both messages."""
    with pytest.raises(ChecklistError) as err:
        build_hosts_block(domain, V4, date=DAY)
    assert err.value.field == "domain"
    assert err.value.ja and err.value.en


def test_label_longer_than_63_after_punycode_is_rejected() -> None:
    """A Japanese label whose A-label exceeds 63 characters is rejected even if it looks short."""
    label = "東京都千代田区丸の内一丁目株式会社日本語ドメイン名登録"  # 27 characters, 83 as an A-label
    with pytest.raises(ChecklistError, match="63") as err:
        build_hosts_block(f"{label}.jp", V4, date=DAY)
    assert err.value.field == "domain"


def test_domain_error_names_a_visible_culprit() -> None:
    """The message for a bad ASCII character quotes it, so the reader sees what to remove."""
    with pytest.raises(ChecklistError) as err:
        build_hosts_block("exa#mple.jp", V4, date=DAY)
    assert "「#」" in err.value.ja and "'#'" in err.value.en


@pytest.mark.parametrize(
    "name",
    ["www\n203.0.113.66 evil", "www mail", "www\tmail", "#", "*", "a..b", "shop.blog", "mail.other.jp", "", "a" * 64],
)
def test_bad_name_is_rejected_naming_the_names_field(name: str) -> None:
    """A name that could add a line or a second name, or is not under the domain, is rejected on 'names'."""
    with pytest.raises(ChecklistError) as err:
        build_hosts_block("example.jp", V4, [name], date=DAY)
    assert err.value.field == "names"


def test_name_making_the_full_name_too_long_is_rejected() -> None:
    """A label that pushes the full name over 253 characters is rejected on 'names'."""
    domain = ".".join(["a" * 63] * 3) + ".jp"  # 194 characters
    with pytest.raises(ChecklistError, match="253") as err:
        build_hosts_block(domain, V4, ["b" * 60], date=DAY)
    assert err.value.field == "names"


def test_empty_names_list_is_rejected() -> None:
    """An explicitly empty list of names is an error, not an empty block."""
    with pytest.raises(ChecklistError) as err:
        build_hosts_block("example.jp", V4, [], date=DAY)
    assert err.value.field == "names"


@pytest.mark.parametrize(
    "ip",
    [
        "",
        "1.2.3",
        "256.1.1.1",
        "01.2.3.4",
        "203.0.113.10\n198.51.100.1 evil.example",
        "203.0.113.10 evil.example",
        "203.0.113.10\t",
        "203.0.113.10#",
        "fe80::1%eth0",
        "fe80::1%25eth0",
        "::ffff:203.0.113.10",
        "2001:db8::g",
        "example.jp",
    ],
)
def test_bad_address_is_rejected_naming_the_ip_field(ip: str) -> None:
    """Anything but one plain IPv4/IPv6 address (zone ids, mapped forms, extra fields) is rejected on 'ip'."""
    with pytest.raises(ChecklistError) as err:
        build_hosts_block("example.jp", [ip], date=DAY)
    assert err.value.field == "ip"
    assert err.value.ja and err.value.en


def test_no_address_is_rejected() -> None:
    """An empty address list is an error on 'ip'."""
    with pytest.raises(ChecklistError) as err:
        build_hosts_block("example.jp", [], date=DAY)
    assert err.value.field == "ip"


def test_two_addresses_of_one_family_are_rejected() -> None:
    """Two different IPv4 addresses are refused: the block tests one server."""
    with pytest.raises(ChecklistError) as err:
        build_hosts_block("example.jp", [PUBLIC_V4, "133.0.0.2"], date=DAY)
    assert err.value.field == "ip"


def test_non_date_is_rejected_naming_the_date_field() -> None:
    """A date that is not a date object is an error on 'date'."""
    with pytest.raises(ChecklistError) as err:
        build_hosts_block("example.jp", V4, date="2026-12-01")  # type: ignore[arg-type]
    assert err.value.field == "date"


def test_non_string_domain_is_a_checklist_error() -> None:
    """A domain that is not text is a ChecklistError, never a TypeError."""
    with pytest.raises(ChecklistError) as err:
        build_hosts_block(None, V4, date=DAY)  # type: ignore[arg-type]
    assert err.value.field == "domain"


# --------------------------------------------------------------------------------------------------------------------
# Warnings


@pytest.mark.parametrize(
    ("address", "word"),
    [
        ("192.0.2.1", "documentation"),
        ("198.51.100.7", "documentation"),
        ("203.0.113.200", "documentation"),
        ("2001:db8:1::1", "documentation"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.10", "private"),
        ("fd00::1", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("100.64.0.1", "not a public"),
    ],
)
def test_non_public_address_gives_a_warning_not_an_error(address: str, word: str) -> None:
    """Documentation, private, loopback, link-local, unspecified and multicast addresses warn, naming the kind."""
    block = build_hosts_block("example.jp", [address], date=DAY)
    assert block.addresses == (str(ipaddress.ip_address(address)),)
    assert len(block.warnings) == 1
    assert word in block.warnings[0].en and address in block.warnings[0].ja


def test_public_addresses_give_no_warning() -> None:
    """A public IPv4 and IPv6 address produce no warning."""
    assert build_hosts_block("example.jp", [PUBLIC_V4, PUBLIC_V6], date=DAY).warnings == ()


# --------------------------------------------------------------------------------------------------------------------
# Shared validators


def test_normalize_host_accepts_names_and_addresses() -> None:
    """normalize_host returns an ASCII host name or a canonical address (brackets around IPv6 allowed)."""
    assert normalize_host("Mail.OldHost.Example", field="old_server") == "mail.oldhost.example"
    assert normalize_host("[2001:DB8::25]", field="old_server") == "2001:db8::25"
    assert normalize_host("198.51.100.25", field="old_server") == "198.51.100.25"


def test_normalize_host_error_names_the_given_field() -> None:
    """A bad host is reported on the field the caller names."""
    with pytest.raises(ChecklistError) as err:
        normalize_host("mail oldhost", field="old_server")
    assert err.value.field == "old_server"


def test_parse_ip_rejects_zone_id_with_its_own_message() -> None:
    """A zone id gets a message that mentions it, not a generic format error."""
    with pytest.raises(ChecklistError) as err:
        parse_ip("fe80::1%eth0")
    assert "zone" in err.value.en


def test_normalize_domain_returns_ascii_and_unicode() -> None:
    """normalize_domain gives the Punycode and the readable form."""
    assert normalize_domain("ＷＷＷ.日本語.JP") == ("www.xn--wgv71a119e.jp", "www.日本語.jp")


# --------------------------------------------------------------------------------------------------------------------
# Removal

OTHER = "127.0.0.1\tlocalhost\r\n# a comment of the customer's\r\n\r\n192.168.1.2  nas.local   # NAS\r\n"


def test_removal_restores_the_file_byte_for_byte() -> None:
    """Removing our block from a CRLF file leaves the other lines exactly as they were."""
    block = build_hosts_block("example.jp", [V4, V6], date=DAY)
    result = remove_hosts_blocks(OTHER + block.render(windows=True))
    assert result.text == OTHER
    assert result.removed == 1
    assert result.warnings == ()


def test_removal_of_a_block_in_the_middle_keeps_lines_around_it() -> None:
    """A block between other lines goes; the lines before and after stay in order."""
    block = build_hosts_block("example.jp", V4, date=DAY)
    result = remove_hosts_blocks("a 1\n" + block.text + "b 2\n")
    assert result.text == "a 1\nb 2\n"


def test_removal_with_domain_removes_only_that_domains_blocks() -> None:
    """Given a domain, blocks for other domains stay; all dates of that domain go."""
    ours = build_hosts_block("日本語.jp", V4, date=DAY).text
    older = build_hosts_block("日本語.jp", V4, date=dt.date(2026, 11, 1)).text
    other = build_hosts_block("example.jp", V4, date=DAY).text
    result = remove_hosts_blocks(ours + other + older, "日本語.jp")
    assert result.text == other
    assert result.removed == 2


def test_removal_without_domain_removes_every_block() -> None:
    """Without a domain, every block we made is removed."""
    text = build_hosts_block("a.jp", V4, date=DAY).text + build_hosts_block("b.jp", V4, date=DAY).text
    assert remove_hosts_blocks("x 1\n" + text).text == "x 1\n"


def test_unterminated_block_is_left_alone_with_a_warning() -> None:
    """A BEGIN line without its END line is not removed (its end is unknown) and a warning says so."""
    lines = build_hosts_block("example.jp", V4, date=DAY).text.splitlines(keepends=True)
    text = "".join(lines[:-1]) + "10.0.0.1 printer\n"
    result = remove_hosts_blocks(text)
    assert result.text == text
    assert result.removed == 0
    assert len(result.warnings) == 1 and "END" in result.warnings[0].en


def test_end_marker_of_another_date_does_not_close_a_block() -> None:
    """A block only ends at the END line with the same domain and date."""
    begin = build_hosts_block("example.jp", V4, date=DAY).begin_marker
    text = f"{begin}\n{V4} example.jp\n# END Net-com migration example.jp 2020-01-01\n"
    assert remove_hosts_blocks(text).text == text


def test_text_without_blocks_is_unchanged() -> None:
    """A hosts file we never touched comes back identical, with nothing removed."""
    result = remove_hosts_blocks(OTHER)
    assert (result.text, result.removed) == (OTHER, 0)


# --------------------------------------------------------------------------------------------------------------------
# Properties (slow: >= 10,000 examples each)

_ldh = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True).filter(lambda s: s[2:4] != "--")
_kana = st.text(alphabet="あいうえおかきくけこさしすせそ日本語会社東京", min_size=1, max_size=6)
_label = st.one_of(_ldh, _kana)
_domain = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_label, min_size=1, max_size=3),
    st.sampled_from(["jp", "co.jp", "ne.jp", "com", "net"]),
)
_v4 = st.ip_addresses(v=4).map(str)


def _not_mapped(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None


_v6 = st.ip_addresses(v=6).filter(_not_mapped).map(str)
_anything = st.one_of(st.text(), st.none(), st.integers(), st.lists(st.text(), max_size=4), st.binary())


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    domain=st.one_of(st.text(), _domain, _anything),
    addresses=st.one_of(st.lists(st.one_of(st.text(), _v4, _v6), max_size=3), _anything),
    names=st.one_of(st.none(), st.lists(st.one_of(st.text(), _label), max_size=4), _anything),
)
def test_any_input_raises_nothing_but_checklist_error(domain: object, addresses: object, names: object) -> None:
    """Whatever the input, build_hosts_block returns a block or raises ChecklistError, nothing else."""
    try:
        block = build_hosts_block(domain, addresses, names, date=DAY)  # type: ignore[arg-type]
    except ChecklistError as err:
        assert err.field in {"domain", "names", "ip"}
        assert err.ja and err.en
    else:
        # Whatever was accepted can only have produced well-formed, ASCII, one-name lines.
        assert block.text.isascii()
        assert all(len(names) == 1 for _, names in parse_hosts(block.text))


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    domain=_domain,
    labels=st.lists(_label, max_size=4),
    v4=st.one_of(st.none(), _v4),
    v6=st.one_of(st.none(), _v6),
    windows=st.booleans(),
)
def test_every_line_parses_back_to_exactly_the_given_names_and_addresses(
    domain: str, labels: list[str], v4: str | None, v6: str | None, windows: bool
) -> None:
    """An independent hosts parser reads back exactly (given addresses) x (given names), nothing more."""
    addresses = [a for a in (v4, v6) if a is not None] or [V4]
    block = build_hosts_block(domain, addresses, ["@", *labels], date=DAY)
    ascii_domain = idna.encode(domain, uts46=True).decode()
    expected_names = {ascii_domain} | {idna.encode(f"{lab}.{domain}", uts46=True).decode() for lab in labels}
    expected = set(itertools.product({str(ipaddress.ip_address(a)) for a in addresses}, expected_names))
    parsed = parse_hosts(block.render(windows=windows))
    assert all(len(names) == 1 for _, names in parsed)
    assert {(address, names[0]) for address, names in parsed} == expected
    assert len(parsed) == len(expected)  # no line twice


_other_line = st.text(alphabet=st.characters(exclude_characters="\n", exclude_categories=["Cs"]), max_size=40)


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(_other_line, max_size=5),
    after=st.lists(_other_line, max_size=5),
    domain=_domain,
    eol=st.sampled_from(["\n", "\r\n"]),
)
def test_removal_gives_back_the_original_file(before: list[str], after: list[str], domain: str, eol: str) -> None:
    """Inserting our block between any other lines and removing it restores the original text exactly."""
    head = "".join(line + eol for line in before)
    tail = "".join(line + eol for line in after)
    block = build_hosts_block(domain, V4, date=DAY)
    result = remove_hosts_blocks(head + block.render(windows=eol == "\r\n") + tail, domain)
    assert result.text == head + tail
    assert result.removed == 1
