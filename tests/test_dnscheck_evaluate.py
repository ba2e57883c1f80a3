"""checklist_app.dnscheck.evaluate: queries, DoH URLs, classification of real response messages, the verdict."""

from __future__ import annotations

import base64
import functools
import json
from urllib.parse import parse_qs, urlsplit

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checklist_app.dnscheck import evaluate as evaluate_module
from checklist_app.dnscheck.evaluate import (
    RECORD_TYPES,
    REFUSED_CONNECTION,
    TIMEOUT,
    Expected,
    build_query,
    classify,
    doh_get_url,
    evaluate,
    make_query,
    normalize_domain,
    provider_nameservers,
)
from checklist_app.errors import ChecklistError
from checklist_app.provider import parse_provider
from tests.properties import MANY
from tests.test_provider import example_toml, real_toml, with_values

DOMAIN = "example.jp"
NEW_NS = ("ns1.net-com.example.", "ns2.net-com.example.")
OLD_NS = ("ns1.oldhost.example.", "ns2.oldhost.example.")
OLD = Expected(ns=OLD_NS, a=("198.51.100.7",), aaaa=("2001:db8:1::7",), mx=("mail.oldhost.example",))
# The customer's own new values (from their Server Account Information): never the provider's example values.
NEW = Expected(ns=NEW_NS, a=("198.51.100.20",), aaaa=("2001:db8:2::20",), mx=("mail02.net-com.example",))
# Only the new name servers, given (as --expect-ns or the page's field give them).
NS_ONLY = Expected(ns=NEW_NS)
# provider.toml with sample values (as shipped) and with real ones (tests/test_provider.py builds both).
SAMPLE_PROVIDER = parse_provider(example_toml())
REAL_PROVIDER = parse_provider(real_toml())


def response(
    rdtype: str,
    *records: str,
    name: str = DOMAIN,
    rcode: int = dns.rcode.NOERROR,
    aa: bool = False,
    authority: tuple[str, ...] = (),
) -> dns.message.Message:
    """A real response built by dnspython to a real query, with ``records`` in the answer section."""
    query = dns.message.make_query(name, rdtype)
    reply = dns.message.make_response(query)
    if records:
        reply.answer.append(dns.rrset.from_text(name + ".", 300, "IN", rdtype, *records))
    if authority:
        reply.authority.append(dns.rrset.from_text(name + ".", 86400, "IN", "NS", *authority))
    if aa:
        reply.flags |= dns.flags.AA
    reply.set_rcode(rcode)
    return reply


def one(rdtype: str, observation: object, **kwargs: object) -> object:
    """Classify one observation of ``DOMAIN`` against NEW (and the old values when given)."""
    kwargs.setdefault("expected", NEW)
    return classify(DOMAIN, rdtype, observation, **kwargs)  # type: ignore[arg-type]


# ----- names -----


def test_normalize_idn_to_punycode() -> None:
    """A Japanese domain becomes its punycode form."""
    assert normalize_domain("日本語.jp") == "xn--wgv71a119e.jp"


def test_normalize_case_and_trailing_dot() -> None:
    """Upper case and one trailing dot are normalized away."""
    assert normalize_domain("Example.JP.") == "example.jp"


@pytest.mark.parametrize("bad", ["", "jp", "exa mple.jp", "a_b.jp", "-a.jp", "a..jp", "203.0.113.10", "x" * 64 + ".jp"])
def test_normalize_rejects(bad: str) -> None:
    """Spaces, underscores, bad hyphens, empty labels, single labels, IP addresses and long labels are refused."""
    with pytest.raises(ChecklistError) as err:
        normalize_domain(bad)
    assert err.value.field == "domain"


# ----- queries -----


def test_build_query_question() -> None:
    """build_query asks one question: the punycode name and the record type, recursion desired."""
    query = build_query("日本語.jp", "mx")
    assert query.question[0].name == dns.name.from_text("xn--wgv71a119e.jp")
    assert query.question[0].rdtype == dns.rdatatype.MX
    assert query.flags & dns.flags.RD


def test_make_query_id_zero_by_default() -> None:
    """make_query's wire bytes carry id 0 (RFC 8484) and parse back to the same question."""
    wire = make_query(DOMAIN, "NS")
    assert wire[:2] == b"\x00\x00"
    parsed = dns.message.from_wire(wire)
    assert parsed.id == 0
    assert parsed.question[0].rdtype == dns.rdatatype.NS


def test_make_query_explicit_id() -> None:
    """An explicit id (for UDP, where it guards against spoofing) is used."""
    assert dns.message.from_wire(make_query(DOMAIN, "A", id=4660)).id == 4660


def test_make_query_bad_rdtype() -> None:
    """A record type outside NS/A/AAAA/MX/TXT is refused on field rdtype."""
    with pytest.raises(ChecklistError) as err:
        make_query(DOMAIN, "CNAME")
    assert err.value.field == "rdtype"


def test_make_query_bad_id() -> None:
    """An id outside 0–65535 is refused."""
    with pytest.raises(ChecklistError):
        make_query(DOMAIN, "A", id=70000)


def test_doh_url_base64url_without_padding() -> None:
    """doh_get_url appends ?dns= with base64url and no '=' padding, decoding back to the wire."""
    wire = make_query(DOMAIN, "A")
    url = doh_get_url("https://127.0.0.2/dns-query", wire)
    value = parse_qs(urlsplit(url).query)["dns"][0]
    assert url.startswith("https://127.0.0.2/dns-query?dns=")
    assert "=" not in value and "+" not in value and "/" not in value
    assert base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)) == wire


def test_doh_url_keeps_existing_query() -> None:
    """A base URL with a query string gets &dns=."""
    url = doh_get_url("https://127.0.0.2/dns-query?ct=1", make_query(DOMAIN, "A"))
    assert "?ct=1&dns=" in url


@pytest.mark.parametrize("base", ["ftp://127.0.0.2/q", "127.0.0.2/dns-query", "https:///x", "https://h/q#frag"])
def test_doh_url_rejects_bad_base(base: str) -> None:
    """Non-HTTP(S) URLs, missing hosts and fragments are refused on field doh_url."""
    with pytest.raises(ChecklistError) as err:
        doh_get_url(base, make_query(DOMAIN, "A"))
    assert err.value.field == "doh_url"


# ----- Expected -----


def test_expected_defaults_hold_no_example_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Expected() holds nothing while provider.toml holds samples (its example name servers are never expected)."""
    monkeypatch.setattr(evaluate_module, "PROVIDER", SAMPLE_PROVIDER)
    assert provider_nameservers() == ()
    expected = Expected()
    assert (expected.ns, expected.a, expected.aaaa, expected.mx, expected.txt) == ((), (), (), (), ())
    assert expected.record_types() == ()
    with pytest.raises(ChecklistError) as err:
        classify(DOMAIN, "NS", response("NS", *SAMPLE_PROVIDER.nameservers))
    assert err.value.field == "expect_ns"


def test_expected_defaults_to_real_provider_name_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once provider.toml holds real name servers, Expected() holds them (and only them): NS is judged against them."""
    monkeypatch.setattr(evaluate_module, "PROVIDER", REAL_PROVIDER)
    assert provider_nameservers() == REAL_PROVIDER.nameservers
    expected = Expected()
    assert expected.ns == REAL_PROVIDER.nameservers
    assert (expected.a, expected.aaaa, expected.mx, expected.txt) == ((), (), (), ())
    assert classify(DOMAIN, "NS", response("NS", *(f"{n}." for n in REAL_PROVIDER.nameservers))).code == "new"


def test_one_sample_name_server_is_enough_to_refuse_them_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """A provider.toml with one real and one example name server gives no default: never a half-sample expectation."""
    mixed = parse_provider(with_values({"nameservers": '["ns1.net-com.co.jp", "ns2.net-com.example"]'}))
    monkeypatch.setattr(evaluate_module, "PROVIDER", mixed)
    assert provider_nameservers() == () and Expected().ns == ()


def test_expected_with_values_replaces_one_type() -> None:
    """with_values swaps one type's values, normalized, and keeps the others."""
    changed = NEW.with_values("MX", ["10 MX.Example.JP."])
    assert (changed.mx, changed.a) == (("10 mx.example.jp",), NEW.a)


def test_expected_normalizes() -> None:
    """Names lose case and trailing dots, IPv6 is compressed, MX preference is kept."""
    expected = Expected(ns=("NS1.Example.COM.",), aaaa=("2001:0db8:0000::0010",), mx=("10 Mail.Example.com.",))
    assert expected.ns == ("ns1.example.com",)
    assert expected.aaaa == ("2001:db8::10",)
    assert expected.mx == ("10 mail.example.com",)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"a": ("2001:db8::1",)}, "expect_a"),
        ({"aaaa": ("203.0.113.1",)}, "expect_aaaa"),
        ({"ns": ("bad name",)}, "expect_ns"),
        ({"mx": ("ten mail.example.com",)}, "expect_mx"),
        ({"txt": ("",)}, "expect_txt"),
    ],
)
def test_expected_rejects(kwargs: dict[str, tuple[str, ...]], field: str) -> None:
    """A wrong value is refused on the field of its record type."""
    with pytest.raises(ChecklistError) as err:
        Expected(**kwargs)
    assert err.value.field == field


def test_expected_rejects_non_list() -> None:
    """A single number instead of a list of values is refused on its field."""
    with pytest.raises(ChecklistError) as err:
        Expected(a=5)  # type: ignore[arg-type]
    assert err.value.field == "expect_a"


# ----- classification -----


def test_ns_new() -> None:
    """A resolver returning exactly the new nameservers gives 新 (new)."""
    result = one("NS", response("NS", *NEW_NS))
    assert result.code == "new" and result.label.ja == "新"


def test_ns_names_case_insensitive() -> None:
    """Upper-case names with trailing dots still match the expected new nameservers."""
    assert one("NS", response("NS", "NS1.NET-COM.EXAMPLE.", "Ns2.Net-Com.Example.")).code == "new"


def test_ns_old_known() -> None:
    """The known old nameservers give 旧 (old), saying they are the old values."""
    result = one("NS", response("NS", *OLD_NS), old=OLD)
    assert result.code == "old" and result.label.ja == "旧"
    assert "still the old values" in result.detail.en


def test_ns_neither_new_nor_old_is_other() -> None:
    """Values that are neither new nor old are 不一致 (other), never 旧, with both known sets shown."""
    result = one("NS", response("NS", "ns.elsewhere.example."), old=OLD)
    assert result.code == "other" and result.label.ja == "不一致" and result.label.en == "other"
    assert "ns.elsewhere.example" in result.detail.ja
    assert "ns1.net-com.example" in result.detail.en and "ns1.oldhost.example" in result.detail.en
    assert result.old == OLD.ns


def test_not_new_without_known_old_values_is_other() -> None:
    """Without old values, an answer that is not new is 不一致 and says the old values are unknown."""
    result = one("A", response("A", "192.0.2.99"))
    assert result.code == "other"
    assert "old: unknown" in result.detail.en and "不明" in result.detail.ja


def test_new_with_an_unknown_extra_value_is_other() -> None:
    """A new value next to an unknown one is not called new: 不一致."""
    assert one("A", response("A", "198.51.100.20", "192.0.2.99"), old=OLD).code == "other"


def test_ns_mixed() -> None:
    """New and old nameservers in one answer give 混在 (mixed)."""
    result = one("NS", response("NS", NEW_NS[0], OLD_NS[0]), old=OLD)
    assert result.code == "mixed" and result.label.ja == "混在"


def test_a_new_and_old() -> None:
    """A records are compared by address: the new one gives new, the old one gives old."""
    assert one("A", response("A", "198.51.100.20"), old=OLD).code == "new"
    assert one("A", response("A", "198.51.100.7"), old=OLD).code == "old"


def test_aaaa_compares_addresses_not_text() -> None:
    """An AAAA written in full form matches the compressed expected address."""
    assert one("AAAA", response("AAAA", "2001:0db8:0002:0000:0000:0000:0000:0020")).code == "new"


def test_mx_by_exchange() -> None:
    """MX is compared by exchange when the expected value has no preference."""
    assert one("MX", response("MX", "20 MAIL02.net-com.example.")).code == "new"


def test_mx_with_preference() -> None:
    """An expected MX with a preference needs the same preference."""
    expected = Expected(mx=("10 mail02.net-com.example",))
    assert one("MX", response("MX", "10 mail02.net-com.example."), expected=expected).code == "new"
    assert one("MX", response("MX", "20 mail02.net-com.example."), expected=expected).code == "other"


def test_txt_by_string() -> None:
    """TXT is compared by its (joined) string, exactly."""
    expected = Expected(txt=("v=spf1 include:_spf.net-com.example ~all",))
    found = response("TXT", '"v=spf1 include:_spf.net-com.example " "~all"')
    assert one("TXT", found, expected=expected).code == "new"
    old = Expected(ns=(), txt=("v=spf1 -all",))
    assert one("TXT", response("TXT", '"v=spf1 -all"'), expected=expected, old=old).code == "old"


def test_partial_new_is_new_and_says_missing() -> None:
    """Only one of the two new nameservers is still new, with the missing one named."""
    result = one("NS", response("NS", NEW_NS[0]))
    assert result.code == "new"
    assert "ns2.net-com.example" in result.detail.en


def test_wire_bytes_round_trip() -> None:
    """The same response given as wire bytes is judged like the message."""
    message = response("NS", NEW_NS[0], OLD_NS[0])
    assert one("NS", message.to_wire(), old=OLD).code == one("NS", message, old=OLD).code == "mixed"


def test_timeout_is_no_answer() -> None:
    """A transport timeout gives 応答なし (no_answer)."""
    result = one("A", TIMEOUT)
    assert result.code == "no_answer" and result.label.ja == "応答なし"
    assert "timeout" in result.detail.en


def test_nodata_is_no_answer() -> None:
    """NOERROR with an empty answer gives no_answer and keeps the rcode."""
    result = one("A", response("A"))
    assert (result.code, result.rcode) == ("no_answer", "NOERROR")


def test_refused_connection_is_error() -> None:
    """A refused connection gives エラー in words."""
    result = one("A", REFUSED_CONNECTION)
    assert result.code == "error" and result.label.ja == "エラー"
    assert result.detail.ja == "接続を拒否されました"


def test_transport_message_kept() -> None:
    """Any other transport failure string is kept in the detail."""
    assert "TLS handshake failed" in one("A", "TLS handshake failed").detail.en


@pytest.mark.parametrize(
    ("rcode", "words"),
    [
        (dns.rcode.SERVFAIL, "SERVFAIL"),
        (dns.rcode.NXDOMAIN, "does not exist"),
        (dns.rcode.REFUSED, "refused the query"),
    ],
)
def test_rcode_errors_in_words(rcode: int, words: str) -> None:
    """SERVFAIL, NXDOMAIN and REFUSED from a resolver are errors with the rcode explained."""
    result = one("A", response("A", rcode=rcode))
    assert result.code == "error"
    assert result.rcode == dns.rcode.to_text(rcode)
    assert words in result.detail.en


def test_malformed_wire_is_error() -> None:
    """Bytes that are not a DNS message give an error saying it is malformed."""
    result = one("A", b"\x00\x01garbage")
    assert result.code == "error"
    assert "malformed" in result.detail.en


def test_query_instead_of_response_is_error() -> None:
    """A message without the QR bit (a query) is refused as not a response."""
    assert "QR" in one("A", make_query(DOMAIN, "A")).detail.en


def test_wrong_question_is_error() -> None:
    """A response to another name is an error naming the question it answers."""
    result = one("A", response("A", "198.51.100.20", name="other.example"))
    assert result.code == "error"
    assert "other.example" in result.detail.en


def test_truncated_is_error() -> None:
    """A truncated (TC) response is an error asking for TCP."""
    message = response("NS", *NEW_NS)
    message.flags |= dns.flags.TC
    assert "TCP" in one("NS", message).detail.en


def test_lame_refused() -> None:
    """An NS-listed server answering REFUSED is reported as a lame delegation."""
    result = one("NS", response("NS", rcode=dns.rcode.REFUSED), role="authoritative")
    assert result.code == "error" and result.lame
    assert "lame delegation" in result.detail.en and "レイムデリゲーション" in result.detail.ja


def test_lame_without_aa() -> None:
    """An NS-listed server answering without the AA bit is reported as lame (not authoritative)."""
    result = one("NS", response("NS", *NEW_NS), role="authoritative")
    assert result.lame
    assert "AA bit" in result.detail.en


def test_authoritative_with_aa_is_judged() -> None:
    """An authoritative answer (AA set) is judged normally."""
    assert one("NS", response("NS", *NEW_NS, aa=True), role="authoritative").code == "new"


def test_parent_referral_read_from_authority() -> None:
    """A parent-zone referral (NS in the authority section, no AA) is judged from the authority section."""
    referral = response("NS", authority=NEW_NS)
    assert one("NS", referral, role="parent").code == "new"


def test_bad_role_rejected() -> None:
    """An unknown server role is refused on field role."""
    with pytest.raises(ChecklistError) as err:
        one("NS", TIMEOUT, role="cache")
    assert err.value.field == "role"


# ----- evaluate and the verdict -----


def test_verdict_switched() -> None:
    """Every resolver new on every type gives 切替完了 (switched)."""
    answers = {
        "r1": {"NS": response("NS", *NEW_NS), "A": response("A", "198.51.100.20")},
        "r2": {"NS": response("NS", *NEW_NS).to_wire(), "MX": response("MX", "10 mail02.net-com.example.")},
    }
    report = evaluate(DOMAIN, answers, expected=NEW, old=OLD)
    assert report.verdict == "switched"
    assert report.verdict_label is not None and report.verdict_label.ja == "切替完了"
    assert "step 7" in report.next_step.en


def test_verdict_not_switched() -> None:
    """Every resolver old gives 未切替 (not switched)."""
    answers = {"r1": {"NS": response("NS", *OLD_NS)}, "r2": {"A": response("A", "198.51.100.7")}}
    report = evaluate(DOMAIN, answers, expected=NEW, old=OLD)
    assert report.verdict == "not_switched"
    assert "DNS switch date" in report.next_step.en


def test_verdict_propagating_across_resolvers() -> None:
    """One resolver new and another old gives 伝播中 (propagating)."""
    answers = {"r1": {"NS": response("NS", *NEW_NS)}, "r2": {"NS": response("NS", *OLD_NS)}}
    report = evaluate(DOMAIN, answers, expected=NS_ONLY, old=OLD)
    assert report.verdict == "propagating"
    assert "do not delete the old account" in report.next_step.en


def test_verdict_propagating_when_mixed() -> None:
    """A single mixed answer gives propagating."""
    report = evaluate(DOMAIN, {"r1": {"NS": response("NS", NEW_NS[0], OLD_NS[0])}}, expected=NS_ONLY, old=OLD)
    assert report.verdict == "propagating"


def test_verdict_differs_when_new_and_other_with_nothing_old() -> None:
    """New everywhere but one 不一致 answer and nothing old: not 切替完了 nor 伝播中 but 新しい値と不一致 (differs),
    whose next step does not tell the reader to wait (waiting will not fix a wrong value)."""
    answers = {"r1": {"NS": response("NS", *NEW_NS)}, "r2": {"NS": response("NS", "ns.third.example.")}}
    report = evaluate(DOMAIN, answers, expected=NS_ONLY, old=OLD)
    assert [r.code for r in report.results] == ["new", "other"]
    assert report.verdict == "differs"
    assert report.verdict_label is not None
    assert (report.verdict_label.ja, report.verdict_label.en) == ("新しい値と不一致", "differs from the new values")
    assert "Waiting will not necessarily fix this" in report.next_step.en
    assert "待っても直るとは限りません" in report.next_step.ja
    assert "propagation" not in report.next_step.en and "プロパゲーション" not in report.next_step.ja
    assert report.to_dict()["verdict"] == "differs"


def test_verdict_propagating_when_old_is_seen_beside_other() -> None:
    """New, old and 不一致 answers together: still 伝播中 (old values are going away), and the 不一致 are counted."""
    answers = {
        "r1": {"NS": response("NS", *NEW_NS)},
        "r2": {"NS": response("NS", *OLD_NS)},
        "r3": {"NS": response("NS", "ns.third.example.")},
    }
    report = evaluate(DOMAIN, answers, expected=NS_ONLY, old=OLD)
    assert report.verdict == "propagating"
    assert "1 checks returned values that are neither" in report.next_step.en


def test_verdict_none_when_only_other_answers() -> None:
    """Only 不一致 answers: no verdict, and the reader is asked to check the new values."""
    report = evaluate(DOMAIN, {"r1": {"A": response("A", "192.0.2.99")}}, expected=NEW)
    assert report.verdict is None
    assert "Server Account Information" in report.next_step.en


def test_parent_still_old_means_not_switched() -> None:
    """The parent still delegating to the old servers gives 未切替 even if a resolver already shows new."""
    answers = {"p": {"NS": response("NS", authority=OLD_NS)}, "r1": {"NS": response("NS", *NEW_NS)}}
    report = evaluate(DOMAIN, answers, expected=NS_ONLY, old=OLD, roles={"p": "parent"})
    assert report.verdict == "not_switched"


def test_sources_default_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """expected_source: the provider's (real) NS is "provider", typed values "given"; old values are in the JSON."""
    monkeypatch.setattr(evaluate_module, "PROVIDER", REAL_PROVIDER)
    report = evaluate(DOMAIN, {"r1": {"NS": TIMEOUT}}, expected=Expected(a=("198.51.100.20",)), old=OLD)
    data = report.to_dict()
    assert data["expected_source"] == {"NS": "provider", "A": "given"}
    assert data["expected"]["NS"] == list(REAL_PROVIDER.nameservers)
    assert data["old"]["NS"] == ["ns1.oldhost.example", "ns2.oldhost.example"]
    given = evaluate(DOMAIN, {"r1": {"NS": TIMEOUT}}, expected=NEW).to_dict()
    assert given["expected_source"]["NS"] == "given"
    learnt = evaluate(DOMAIN, {"r1": {"A": TIMEOUT}}, expected=NEW, sources={"A": "new_authoritative"})
    assert learnt.to_dict()["expected_source"]["A"] == "new_authoritative"
    with pytest.raises(ChecklistError) as err:
        evaluate(DOMAIN, {}, expected=NS_ONLY, sources={"NS": "example"})
    assert err.value.field == "sources"


def test_sample_provider_name_servers_judge_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """With sample name servers in provider.toml and none given, NS answers are not judged (never against a sample)."""
    monkeypatch.setattr(evaluate_module, "PROVIDER", SAMPLE_PROVIDER)
    sample_ns = tuple(f"{n}." for n in SAMPLE_PROVIDER.nameservers)
    report = evaluate(DOMAIN, {"r1": {"NS": response("NS", *sample_ns)}})
    assert report.results == () and report.verdict is None and "NS" not in report.to_dict()["expected_source"]


# ----- zone_problem, authoritative_values, learn_old -----


def soa_reply(zone: str = DOMAIN, *, aa: bool = True, section: str = "answer", rcode: int = 0) -> dns.message.Message:
    """An answer to an SOA query for DOMAIN carrying the SOA of ``zone`` in ``section``."""
    reply = dns.message.make_response(dns.message.make_query(DOMAIN, "SOA"))
    rrset = dns.rrset.from_text(zone + ".", 300, "IN", "SOA", f"ns1.{zone}. hostmaster.{zone}. 1 3600 600 86400 300")
    (reply.answer if section == "answer" else reply.authority).append(rrset)
    if aa:
        reply.flags |= dns.flags.AA
    reply.set_rcode(rcode)
    return reply


def test_zone_served_when_the_soa_is_the_domains() -> None:
    """An authoritative SOA of the domain itself: the server serves the zone."""
    from checklist_app.dnscheck.evaluate import zone_problem

    assert zone_problem(DOMAIN, soa_reply()) is None
    assert zone_problem(DOMAIN, soa_reply().to_wire()) is None


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (soa_reply(rcode=dns.rcode.REFUSED), "REFUSED"),
        (soa_reply("jp", section="authority", rcode=dns.rcode.NXDOMAIN), "NXDOMAIN"),
        (soa_reply("jp", section="authority"), "SOA of another zone (jp)"),
        (soa_reply(aa=False), "AA bit"),
        (TIMEOUT, "timeout"),
    ],
)
def test_zone_not_served_in_words(reply: object, words: str) -> None:
    """REFUSED, NXDOMAIN, another zone's SOA, no AA or no answer: the zone is not set up there, said in words."""
    from checklist_app.dnscheck.evaluate import zone_problem

    problem = zone_problem(DOMAIN, reply)  # type: ignore[arg-type]
    assert problem is not None and words in problem.en and problem.ja


def test_authoritative_values_only_from_authoritative_answers() -> None:
    """AA NOERROR gives the values (empty for no data); no AA, an error or a timeout gives None."""
    from checklist_app.dnscheck.evaluate import authoritative_values

    assert authoritative_values(DOMAIN, "MX", response("MX", "10 MX.Example.JP.", aa=True)) == ("10 mx.example.jp",)
    assert authoritative_values(DOMAIN, "AAAA", response("AAAA", aa=True)) == ()
    assert authoritative_values(DOMAIN, "A", response("A", "198.51.100.20")) is None
    assert authoritative_values(DOMAIN, "A", response("A", rcode=dns.rcode.REFUSED, aa=True)) is None
    assert authoritative_values(DOMAIN, "A", TIMEOUT) is None


def test_learn_old_from_resolvers_that_follow_the_old_delegation() -> None:
    """A resolver showing other NS than the new ones teaches the old values; one showing the new NS teaches none."""
    from checklist_app.dnscheck.evaluate import learn_old

    answers = {
        "stale": {"NS": response("NS", *OLD_NS), "A": response("A", "198.51.100.7"), "MX": TIMEOUT},
        "fresh": {"NS": response("NS", *NEW_NS), "A": response("A", "192.0.2.99")},
    }
    old = learn_old(DOMAIN, answers, NEW)
    assert old.ns == tuple(n.rstrip(".") for n in OLD_NS)
    assert (old.a, old.mx) == (("198.51.100.7",), ())


def test_verdict_none_when_nothing_answered() -> None:
    """Only timeouts and errors give no verdict and tell the reader to check name and network."""
    report = evaluate(
        DOMAIN, {"r1": {"NS": TIMEOUT}, "r2": {"NS": response("NS", rcode=dns.rcode.SERVFAIL)}}, expected=NS_ONLY
    )
    assert report.verdict is None and not report.answered
    assert "network" in report.next_step.en


def test_errors_do_not_hide_verdict_but_are_counted() -> None:
    """A timeout next to new answers keeps switched and mentions the problem in the next step."""
    report = evaluate(DOMAIN, {"r1": {"NS": response("NS", *NEW_NS)}, "r2": {"NS": TIMEOUT}}, expected=NS_ONLY)
    assert report.verdict == "switched"
    assert "1 checks gave an error or no answer" in report.next_step.en


def test_lame_mentioned_in_next_step() -> None:
    """A lame delegation among the authoritative servers is called out in the next step."""
    report = evaluate(
        DOMAIN,
        {"ns1": {"NS": response("NS", *NEW_NS, aa=True)}, "ns2": {"NS": response("NS", rcode=dns.rcode.REFUSED)}},
        roles={"ns1": "authoritative", "ns2": "authoritative"},
        expected=NS_ONLY,
    )
    assert "lame delegation" in report.next_step.en


def test_types_without_expected_values_skipped() -> None:
    """TXT answers are not judged when no TXT value is expected."""
    report = evaluate(DOMAIN, {"r1": {"NS": response("NS", *NEW_NS), "TXT": response("TXT", '"x"')}}, expected=NS_ONLY)
    assert [r.rdtype for r in report.results] == ["NS"]


def test_results_ordered_by_server_then_type() -> None:
    """Results follow the servers' order and then NS, A, AAAA, MX, TXT."""
    report = evaluate(DOMAIN, {"b": {"MX": TIMEOUT, "NS": TIMEOUT}, "a": {"A": TIMEOUT}}, expected=NEW)
    assert [(r.server, r.rdtype) for r in report.results] == [("b", "NS"), ("b", "MX"), ("a", "A")]


def test_idn_domain_report() -> None:
    """An IDN domain is checked under its punycode name and shown in Unicode."""
    name = "xn--wgv71a119e.jp"
    report = evaluate("日本語.jp", {"r1": {"NS": response("NS", *NEW_NS, name=name)}}, expected=NS_ONLY)
    assert (report.domain, report.domain_display, report.verdict) == (name, "日本語.jp", "switched")


def test_unknown_rdtype_key_rejected() -> None:
    """An answer keyed by an unknown record type is refused on field rdtype."""
    with pytest.raises(ChecklistError) as err:
        evaluate(DOMAIN, {"r1": {"SOA": TIMEOUT}})
    assert err.value.field == "rdtype"


def test_report_to_dict_is_json() -> None:
    """to_dict gives JSON-ready data with ASCII codes and bilingual labels."""
    report = evaluate(DOMAIN, {"r1": {"NS": response("NS", *NEW_NS)}, "r2": {"NS": TIMEOUT}}, expected=NS_ONLY, old=OLD)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["verdict"] == "switched"
    assert data["verdict_label"] == {"ja": "切替完了", "en": "switched"}
    assert [r["code"] for r in data["results"]] == ["new", "no_answer"]
    assert data["counts"]["no_answer"] == 1


# ----- properties -----


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None)
@given(
    wire=st.binary(max_size=600),
    rdtype=st.sampled_from(RECORD_TYPES),
    role=st.sampled_from(["resolver", "authoritative", "parent"]),
)
def test_property_any_bytes_classified(wire: bytes, rdtype: str, role: str) -> None:
    """Any bytes as a response give a result (usually an error), never an exception."""
    result = classify(DOMAIN, rdtype, wire, expected=NEW.with_values("TXT", ["x"]), role=role)
    assert result.code in ("new", "old", "mixed", "other", "no_answer", "error")


@functools.cache
def _ns_response(ns: tuple[str, ...]) -> tuple[dns.message.Message, bytes]:
    """Cached NS responses: building messages is costly, the property is about evaluate (which never mutates)."""
    message = response("NS", *ns)
    return message, message.to_wire()


names = st.sampled_from(["ns1.net-com.example.", "ns2.net-com.example.", "ns1.oldhost.example.", "x.other.example."])


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None)
@given(
    per_server=st.lists(st.lists(names, min_size=0, max_size=4), min_size=1, max_size=5),
    as_wire=st.booleans(),
)
def test_property_verdict_matches_codes(per_server: list[list[str]], as_wire: bool) -> None:
    """switched iff all judged are new, not_switched iff all old (besides 不一致), differs iff new and 不一致 only, None
    iff only 不一致 or nothing."""
    answers: dict[str, dict[str, object]] = {}
    for i, ns in enumerate(per_server):
        message, wire = _ns_response(tuple(ns))
        answers[f"r{i}"] = {"NS": wire if as_wire else message}
    report = evaluate(DOMAIN, answers, expected=NS_ONLY, old=OLD)  # type: ignore[arg-type]
    codes = {r.code for r in report.results} - {"no_answer"}
    core = codes - {"other"}
    expected_verdict = (
        None
        if not core
        else "switched"
        if codes == {"new"}
        else "not_switched"
        if core == {"old"}
        else "differs"
        if codes == {"new", "other"}
        else "propagating"
    )
    assert report.verdict == expected_verdict
    for result, ns in zip(report.results, per_server, strict=True):
        new = {n for n in ns if "net-com" in n}
        old = {n for n in ns if "oldhost" in n}
        code = "no_answer" if not ns else "other" if new | old != set(ns) else "mixed" if new and old else "new"
        assert result.code == (code if new or code != "new" else "old")


@pytest.mark.slow
@settings(max_examples=MANY, deadline=None)
@given(domain=st.text(max_size=30), rdtype=st.text(max_size=5), base=st.text(max_size=30))
def test_property_query_helpers_only_checklist_error(domain: str, rdtype: str, base: str) -> None:
    """make_query and doh_get_url on any text return or raise ChecklistError, nothing else."""
    try:
        wire = make_query(domain, rdtype)
    except ChecklistError:
        wire = make_query(DOMAIN, "A")
    else:
        assert dns.message.from_wire(wire).question[0].name == dns.name.from_text(normalize_domain(domain))
    try:
        url = doh_get_url(base, wire)
    except ChecklistError:
        return
    assert url.startswith(base)
