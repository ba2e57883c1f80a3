"""checklist_app.dnscheck.transport (the CLI's), without a network: server parsing, the delegation, the orchestration
and the exit codes.

A fake transport plays the DNS world from real dnspython messages, so every test here also runs inside Pyodide
(where the checks run one after another instead of in threads). The real servers are in tests/dns/.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest

from checklist_app.dnscheck import evaluate as evaluate_module
from checklist_app.dnscheck.evaluate import TIMEOUT, Expected, Observation
from checklist_app.dnscheck.transport import (
    DEFAULT_RESOLVERS,
    CheckResult,
    Server,
    delegation_from,
    outcome,
    parse_server,
    run_check,
)
from checklist_app.errors import ChecklistError
from checklist_app.provider import PROVIDER, parse_provider
from tests.test_provider import example_toml, real_toml

DOMAIN = "customer.test"
PARENT = Server("127.0.0.2")
RESOLVER_A = Server("127.0.0.5")
RESOLVER_B = Server("127.0.0.6")
OLD_NS = ("ns1.oldhost.example", "ns2.oldhost.example")
# The new provider's name servers here: names of the tests' own, passed explicitly (never provider.toml's).
NEW_NS = ("ns1.newhost.example", "ns2.newhost.example")
# What a provider.toml with Net-com's real values names (tests/test_provider.py's REAL_VALUES) and with samples: never
# resolved, the fake world below answers for them (world(new_ns=…)).
REAL_PROVIDER = parse_provider(real_toml())
SAMPLE_PROVIDER = parse_provider(example_toml())
REAL_NS = REAL_PROVIDER.nameservers
ADDRESSES = {
    "ns1.oldhost.example": "127.0.0.3",
    "ns2.oldhost.example": "127.0.0.13",
    **{names[0]: "127.0.0.4" for names in (NEW_NS, REAL_NS, SAMPLE_PROVIDER.nameservers)},
    **{names[1]: "127.0.0.14" for names in (NEW_NS, REAL_NS, SAMPLE_PROVIDER.nameservers)},
    "a.nic.test": "127.0.0.2",
}
OLD_DATA = {
    "NS": [f"{n}." for n in OLD_NS],
    "A": ["192.0.2.10"],
    "AAAA": ["2001:db8:0:1::10"],
    "MX": ["10 mail.oldhost.example."],
    "TXT": ['"v=spf1 -all"'],
}
# The customer's own new values: deliberately none of the provider's example values, which are never expected.
NEW_DATA = {
    "NS": [f"{n}." for n in NEW_NS],
    "A": ["198.51.100.20"],
    "AAAA": ["2001:db8:2::20"],
    "MX": ["10 mail02.net-com.example."],
    "TXT": ['"v=spf1 mx -all"'],
}
assert PROVIDER.web_ipv4_example not in NEW_DATA["A"] and PROVIDER.web_ipv6_example not in NEW_DATA["AAAA"]
Reply = Callable[[dns.message.Message], Observation]


def answer(rdtype: str, values: list[str], *, aa: bool = True) -> Reply:
    """A reply with ``values`` of ``rdtype`` for the question asked."""

    def reply(query: dns.message.Message) -> Observation:
        response = dns.message.make_response(query)
        if aa:
            response.flags |= dns.flags.AA
        if values:
            response.answer.append(dns.rrset.from_text_list(query.question[0].name, 300, "IN", rdtype, values))
        return response

    return reply


def soa(host: str, zone: str = DOMAIN) -> str:
    """An SOA record's data naming ``host`` as the primary."""
    return f"{host}. hostmaster.{zone}. 1 3600 600 86400 300"


def referral(ns: tuple[str, ...], glue: dict[str, str] | None = None) -> Reply:
    """A parent's referral: NS in the authority section, optional glue in the additional section."""

    def reply(query: dns.message.Message) -> Observation:
        response = dns.message.make_response(query)
        name = query.question[0].name
        response.authority.append(dns.rrset.from_text_list(name, 86400, "IN", "NS", [f"{n}." for n in ns]))
        for host, address in (glue or {}).items():
            response.additional.append(dns.rrset.from_text(f"{host}.", 86400, "IN", "A", address))
        return response

    return reply


def rcode(code: str, *, aa: bool = False) -> Reply:
    """A reply with an error rcode (or NOERROR without data)."""

    def reply(query: dns.message.Message) -> Observation:
        response = dns.message.make_response(query)
        response.set_rcode(dns.rcode.from_text(code))
        if aa:
            response.flags |= dns.flags.AA
        return response

    return reply


def fixed(observation: Observation) -> Reply:
    """Always the same transport outcome (e.g. TIMEOUT)."""
    return lambda _query: observation


@dataclass
class World:
    """A fake DNS world: (address, name, type) → reply; records every query it is sent."""

    routes: dict[tuple[str, str, str], Reply] = field(default_factory=dict)
    calls: list[tuple[str, str, str, bool]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, address: str, name: str, rdtype: str, reply: Reply) -> None:
        self.routes[(address, name, rdtype)] = reply

    def serve(self, address: str, name: str, data: dict[str, list[str]]) -> None:
        for rdtype, values in data.items():
            self.add(address, name, rdtype, answer(rdtype, values))

    def __call__(self, server: Server, query: dns.message.Message, timeout: float) -> Observation:
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True)
        rdtype = dns.rdatatype.to_text(question.rdtype)
        with self.lock:
            self.calls.append((server.address, name, rdtype, bool(query.flags & dns.flags.RD)))
        reply = self.routes.get((server.address, name, rdtype))
        return reply(query) if reply is not None else rcode("REFUSED")(query)

    def asked(self, address: str) -> list[tuple[str, str, bool]]:
        return [(n, t, rd) for a, n, t, rd in self.calls if a == address]


def world(
    delegation: str = "old",
    resolver_a: str = "old",
    resolver_b: str = "old",
    glue: bool = False,
    new_ns: tuple[str, ...] = NEW_NS,
) -> World:
    """customer.test delegated to the old or new provider (whose servers are named ``new_ns``); each resolver seeing
    old or new data."""
    w = World()
    new_data = {**NEW_DATA, "NS": [f"{n}." for n in new_ns]}
    ns = OLD_NS if delegation == "old" else new_ns
    w.add(PARENT.address, DOMAIN, "NS", referral(ns, {n: ADDRESSES[n] for n in ns} if glue else None))
    for host in (*OLD_NS, *new_ns):
        w.serve(ADDRESSES[host], DOMAIN, OLD_DATA if host in OLD_NS else new_data)
        w.add(ADDRESSES[host], DOMAIN, "SOA", answer("SOA", [soa(host)]))
    for resolver, state in ((RESOLVER_A, resolver_a), (RESOLVER_B, resolver_b)):
        w.serve(resolver.address, DOMAIN, OLD_DATA if state == "old" else new_data)
        for host in (*OLD_NS, *new_ns):
            w.add(resolver.address, host, "A", answer("A", [ADDRESSES[host]], aa=False))
            w.add(resolver.address, host, "AAAA", answer("AAAA", [], aa=False))
    return w


def check(w: World, **kwargs: Any) -> CheckResult:
    """run_check against the fake world with the lab-like defaults (the new name servers given, as --expect-ns)."""
    options: dict[str, Any] = {
        "resolvers": (RESOLVER_A, RESOLVER_B),
        "parents": (PARENT,),
        "transport": w,
        "expected": Expected(ns=NEW_NS),
    }
    options.update(kwargs)
    return run_check(DOMAIN, **options)


# --- parse_server ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address", "port"),
    [
        ("192.0.2.53", "192.0.2.53", 53),
        (" 192.0.2.53:5353 ", "192.0.2.53", 5353),
        ("2001:db8::53", "2001:db8::53", 53),
        ("[2001:DB8::53]", "2001:db8::53", 53),
        ("[2001:db8::53]:8053", "2001:db8::53", 8053),
    ],
)
def test_parse_server_accepts_address_and_port(text: str, address: str, port: int) -> None:
    """ADDR, ADDR:PORT, bare IPv6 and [IPv6]:PORT give the canonical address and the port."""
    server = parse_server(text)
    assert (server.address, server.port) == (address, port)


@pytest.mark.parametrize(
    "text", ["dns.google", "192.0.2.53:0", "192.0.2.53:65536", "192.0.2.53:", "[2001:db8::53", "[::1]x", "", "1.2.3"]
)
def test_parse_server_rejects_names_and_bad_ports(text: str) -> None:
    """Host names, ports outside 1–65535 and broken brackets raise ChecklistError naming the field."""
    with pytest.raises(ChecklistError) as info:
        parse_server(text, field="parent")
    assert info.value.field == "parent"
    assert info.value.ja and info.value.en


def test_server_label_shows_name_address_and_non_default_port() -> None:
    """Labels: bare address, name (address), and [v6]:port when the port is not 53."""
    assert Server("192.0.2.1").label == "192.0.2.1"
    assert Server("192.0.2.1", 53, "ns1.example").label == "ns1.example (192.0.2.1)"
    assert Server("::1", 5353).label == "[::1]:5353"


def test_default_resolvers_are_named_public_addresses() -> None:
    """The default list names each resolver and holds only public (never loopback) addresses."""
    assert {s.address for s in DEFAULT_RESOLVERS} >= {"8.8.8.8", "1.1.1.1", "9.9.9.9"}
    assert all(s.name and not s.is_loopback for s in DEFAULT_RESOLVERS)


# --- delegation_from ------------------------------------------------------------------------------------------


def test_delegation_from_reads_referral_and_glue() -> None:
    """NS names come from the authority section, glue addresses from the additional section."""
    query = dns.message.make_query(f"{DOMAIN}.", "NS")
    reply = referral(NEW_NS, {NEW_NS[0]: "127.0.0.4"})(query)
    names, glue = delegation_from(DOMAIN, reply)
    assert names == NEW_NS
    assert glue == {NEW_NS[0]: ["127.0.0.4"]}


def test_delegation_from_ignores_failures_and_other_names() -> None:
    """A transport failure, or NS records of another name, give no delegation."""
    query = dns.message.make_query("other.test.", "NS")
    assert delegation_from(DOMAIN, TIMEOUT) == ((), {})
    assert delegation_from(DOMAIN, referral(NEW_NS)(query)) == ((), {})


# --- run_check and outcome --------------------------------------------------------------------------------------


def test_not_switched_everywhere_exits_1() -> None:
    """Old delegation, old servers, old resolvers: 未切替 with exit code 1."""
    result = outcome(check(world()))
    assert (result.status, result.exit_code, result.headline.ja) == ("not_switched", 1, "未切替")


def test_propagating_when_one_resolver_is_still_old_exits_1() -> None:
    """New delegation, one resolver old and one new: 伝播中 with exit code 1."""
    result = outcome(check(world("new", "old", "new")))
    assert (result.status, result.exit_code, result.headline.ja) == ("propagating", 1, "伝播中")


def test_switched_everywhere_exits_0() -> None:
    """Every server with the new values: 切替完了 with exit code 0."""
    result = outcome(check(world("new", "new", "new")))
    assert (result.status, result.exit_code, result.confirmed_everywhere) == ("switched", 0, True)
    assert result.headline.ja == "切替完了"


def test_switched_with_a_silent_resolver_is_not_claimed_everywhere() -> None:
    """Switched but one resolver timing out: exit 1 and the headline says how many checks are unconfirmed."""
    w = world("new", "new", "new")
    for rdtype in ("NS", "A", "AAAA", "MX"):
        w.add(RESOLVER_B.address, DOMAIN, rdtype, fixed(TIMEOUT))
    result = outcome(check(w))
    assert (result.status, result.exit_code, result.confirmed_everywhere) == ("switched", 1, False)
    assert "4" in result.headline.ja and "4" in result.headline.en


def test_nxdomain_everywhere_exits_2() -> None:
    """A domain that does not exist (NXDOMAIN from parent and resolvers) cannot be judged: exit 2."""
    w = World()
    w.add(PARENT.address, DOMAIN, "NS", rcode("NXDOMAIN", aa=True))
    for resolver in (RESOLVER_A, RESOLVER_B):
        for rdtype in ("NS", "A", "AAAA", "MX"):
            w.add(resolver.address, DOMAIN, rdtype, rcode("NXDOMAIN"))
    result = check(w)
    assert outcome(result).exit_code == 2
    assert all("NXDOMAIN" in r.detail.en for r in result.report.results)


def test_lame_delegation_with_failing_resolvers_exits_2() -> None:
    """Parent says new, the new servers refuse the zone, resolvers SERVFAIL: unknown, exit 2, lame named."""
    w = world("new")
    for host in NEW_NS:
        for rdtype in ("SOA", "NS", "A", "AAAA", "MX"):
            w.add(ADDRESSES[host], DOMAIN, rdtype, rcode("REFUSED"))
    for resolver in (RESOLVER_A, RESOLVER_B):
        for rdtype in ("NS", "A", "AAAA", "MX"):
            w.add(resolver.address, DOMAIN, rdtype, rcode("SERVFAIL"))
    result = outcome(check(w))
    assert (result.status, result.exit_code) == ("new_zone_missing", 2)
    assert "レイムデリゲーション" in result.advice.ja and "lame delegation" in result.advice.en


def test_switched_without_expectations_learns_the_new_values() -> None:
    """No --expect-a/aaaa/mx: the new values are what the new servers answer, and switched gives exit 0."""
    result = check(world("new", "new", "new"))
    expected = result.report.expected
    assert (expected.a, expected.aaaa, expected.mx) == (
        ("198.51.100.20",),
        ("2001:db8:2::20",),
        ("10 mail02.net-com.example",),
    )
    assert result.to_dict()["expected_source"] == {
        "NS": "given",
        "A": "new_authoritative",
        "AAAA": "new_authoritative",
        "MX": "new_authoritative",
    }
    assert outcome(result).exit_code == 0


def test_provider_example_values_are_never_expected() -> None:
    """The provider's example address and mail host appear nowhere among the expectations."""
    data = check(world()).to_dict()
    values = [v for kind in data["expected"].values() for v in kind]
    assert PROVIDER.web_ipv4_example not in values and PROVIDER.web_ipv6_example not in values
    assert not any(PROVIDER.mail_host_example in v for v in values)


def test_old_values_are_learnt_from_the_old_servers() -> None:
    """Before the switch the old values are what the delegated (old) servers answer: the resolvers are 旧."""
    result = check(world())
    assert result.report.old.a == ("192.0.2.10",)
    assert result.old_sources == {
        "NS": "delegation",
        "A": "old_authoritative",
        "AAAA": "old_authoritative",
        "MX": "old_authoritative",
    }
    resolver_rows = [r for r in result.report.results if r.role == "resolver"]
    assert resolver_rows and {r.code for r in resolver_rows} == {"old"}


def test_old_name_servers_can_be_given() -> None:
    """--old-ns names the old servers to ask even when nothing shows them any more."""
    w = world("new", "new", "new")
    result = check(w, old=Expected(ns=OLD_NS))
    assert result.old_sources["NS"] == "given"
    assert result.report.old.mx == ("10 mail.oldhost.example",)
    assert (DOMAIN, "MX", False) in w.asked(ADDRESSES[OLD_NS[0]])


def test_a_third_value_is_other_not_old() -> None:
    """A resolver returning an address that neither provider serves: 不一致, not 旧; with nothing old seen the status
    is 新しい値と不一致 (differs), not 伝播中; exit 1."""
    w = world("new", "new", "new")
    w.add(RESOLVER_B.address, DOMAIN, "A", answer("A", ["192.0.2.99"], aa=False))
    result = check(w, old=Expected(ns=OLD_NS))
    row = next(r for r in result.report.results if r.server == RESOLVER_B.label and r.rdtype == "A")
    assert (row.code, row.label.ja) == ("other", "不一致")
    assert "198.51.100.20" in row.detail.en and "192.0.2.10" in row.detail.en
    verdict = outcome(result)
    assert (verdict.status, verdict.exit_code) == ("differs", 1)
    assert verdict.headline.ja.startswith("新しい値と不一致") and verdict.headline.en.startswith("differs")
    assert "1" in verdict.headline.ja and "neither" in verdict.headline.en
    assert "Waiting will not necessarily fix this" in verdict.advice.en and "待っても" in verdict.advice.ja


def test_new_and_old_with_an_other_answer_is_still_propagating() -> None:
    """An old resolver next to a new one with a 不一致 answer: values are still moving, 伝播中 (exit 1)."""
    w = world("new", "old", "new")
    w.add(RESOLVER_B.address, DOMAIN, "A", answer("A", ["192.0.2.99"], aa=False))
    verdict = outcome(check(w))
    assert (verdict.status, verdict.exit_code) == ("propagating", 1)


def test_given_values_override_what_the_new_servers_answer() -> None:
    """--expect-a wins over the new servers' answer and is marked given."""
    result = check(world("new", "new", "new"), expected=Expected(ns=NEW_NS, a=("198.51.100.21",)))
    assert result.report.expected.a == ("198.51.100.21",)
    assert result.to_dict()["expected_source"]["A"] == "given"
    assert {r.code for r in result.report.results if r.rdtype == "A"} == {"other"}


@pytest.mark.parametrize(
    "reply",
    [rcode("REFUSED"), rcode("NXDOMAIN", aa=True), fixed(TIMEOUT), "other-soa"],
)
def test_new_zone_missing_is_said_and_nothing_judged(reply: Reply | str) -> None:
    """New servers without the zone (REFUSED, NXDOMAIN, silent, SOA of another zone): new_zone_missing, exit 2."""

    def other_zone_soa(query: dns.message.Message) -> Observation:
        # What a server holding only the parent zone "test." answers: NOERROR, AA, its own SOA in the authority.
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        response.authority.append(dns.rrset.from_text("test.", 300, "IN", "SOA", soa("a.nic.test", "test")))
        return response

    w = world()
    for host in NEW_NS:
        if reply == "other-soa":
            w.add(ADDRESSES[host], DOMAIN, "SOA", other_zone_soa)
        else:
            assert not isinstance(reply, str)
            w.add(ADDRESSES[host], DOMAIN, "SOA", reply)
    result = check(w)
    verdict = outcome(result)
    assert (verdict.status, verdict.exit_code, verdict.headline.ja) == (
        "new_zone_missing",
        2,
        "新しいゾーンが未設定です",
    )
    assert result.types == ("NS",)
    data = result.to_dict()
    assert data["new_zone"] == "missing"
    assert all(not s["serves_zone"] and s["problem"]["en"] for s in data["new_servers"])
    assert NEW_NS[0] in verdict.advice.en


def test_parent_and_authoritative_queries_do_not_ask_for_recursion() -> None:
    """RD is cleared for the parent and the delegated servers, set for resolvers."""
    w = world()
    check(w)
    assert w.asked(PARENT.address) == [(DOMAIN, "NS", False)]
    assert all(not rd for _, _, rd in w.asked(ADDRESSES[OLD_NS[0]]))
    assert all(rd for _, _, rd in w.asked(RESOLVER_A.address))


def test_glue_addresses_are_used_without_asking_resolvers() -> None:
    """With glue in the referral, no resolver is asked for the name servers' addresses."""
    w = world(glue=True)
    result = check(w)
    assert [s.address for s in result.authoritative] == ["127.0.0.3", "127.0.0.13"]
    assert not [c for c in w.calls if c[1] in OLD_NS]


def test_name_server_addresses_come_from_the_resolvers_without_glue() -> None:
    """Without glue, the NS names are resolved through the resolvers and every address is asked."""
    w = world()
    result = check(w)
    labels = [s.label for s in result.authoritative]
    assert labels == ["ns1.oldhost.example (127.0.0.3)", "ns2.oldhost.example (127.0.0.13)"]
    assert ("ns1.oldhost.example", "A", True) in w.asked(RESOLVER_A.address)


def test_ipv4_only_skips_aaaa_lookups_of_name_servers() -> None:
    """ipv6=False never asks for the name servers' AAAA records."""
    w = world()
    check(w, ipv6=False)
    assert not [c for c in w.calls if c[1] in OLD_NS and c[2] == "AAAA"]


def test_name_server_address_falls_back_to_the_parent() -> None:
    """When no resolver knows a name server's address, the parent is asked for it."""
    w = world()
    for resolver in (RESOLVER_A, RESOLVER_B):
        for host in OLD_NS:
            w.add(resolver.address, host, "A", fixed(TIMEOUT))
    for host in OLD_NS:
        w.add(PARENT.address, host, "A", answer("A", [ADDRESSES[host]]))
    result = check(w)
    assert [s.address for s in result.authoritative] == ["127.0.0.3", "127.0.0.13"]


def test_unresolvable_name_server_is_an_error_row_and_a_note() -> None:
    """A name server without any address gets error rows and a note naming it in both languages."""
    w = world()
    for address in (RESOLVER_A.address, RESOLVER_B.address, PARENT.address):
        for host in OLD_NS:
            w.add(address, host, "A", rcode("NXDOMAIN"))
    result = check(w)
    rows = [r for r in result.report.results if r.server == "ns1.oldhost.example (?)"]
    assert rows and all(r.code == "error" for r in rows)
    assert any("ns1.oldhost.example" in n.ja and "ns1.oldhost.example" in n.en for n in result.notes)


def test_no_referral_means_no_authoritative_queries_and_a_note() -> None:
    """A parent that gives no delegation: nobody else but the resolvers is asked, and the report says why."""
    w = world()
    w.add(PARENT.address, DOMAIN, "NS", rcode("SERVFAIL"))
    result = check(w)
    assert result.authoritative == ()
    assert any("delegation" in n.en for n in result.notes)


def test_loopback_only_never_sends_to_other_addresses() -> None:
    """With loopback_only, a non-loopback resolver is reported as blocked and the transport never sees it."""
    w = world()
    outside = Server("192.0.2.53")
    result = check(w, resolvers=(outside, RESOLVER_A), loopback_only=True)
    assert not w.asked(outside.address)
    rows = [r for r in result.report.results if r.server == outside.label]
    assert rows and all(r.code == "error" and "blocked" in r.detail.en for r in rows)


def test_parent_is_found_through_the_first_resolver() -> None:
    """Without parents, the closest enclosing zone with NS records is asked of the first resolver."""
    w = world()
    w.add(RESOLVER_A.address, "test", "NS", answer("NS", ["a.nic.test."], aa=False))
    w.add(RESOLVER_A.address, "a.nic.test", "A", answer("A", ["127.0.0.2"], aa=False))
    result = check(w, parents=None)
    assert [s.label for s in result.parents] == ["a.nic.test (127.0.0.2)"]
    assert result.delegation == OLD_NS


def test_parent_discovery_walks_up_past_names_without_ns() -> None:
    """For shop.example.co.jp-like names, a level without NS records (co.jp) is skipped for the next one up."""
    w = World()
    w.add(RESOLVER_A.address, "co.test", "NS", rcode("NOERROR"))
    w.add(RESOLVER_A.address, "test", "NS", answer("NS", ["a.nic.test."], aa=False))
    w.add(RESOLVER_A.address, "a.nic.test", "A", answer("A", ["127.0.0.2"], aa=False))
    result = run_check("shop.co.test", resolvers=(RESOLVER_A,), parents=None, transport=w, expected=Expected(ns=NEW_NS))
    assert [s.address for s in result.parents] == ["127.0.0.2"]
    assert [name for name, _, _ in w.asked(RESOLVER_A.address)][:2] == ["co.test", "test"]


def test_parent_not_found_is_a_note() -> None:
    """When the resolver cannot name the parent's servers, the check goes on and says so."""
    w = world()
    w.add(RESOLVER_A.address, "test", "NS", fixed(TIMEOUT))
    result = check(w, parents=None)
    assert result.parents == ()
    assert any("--parent" in n.en for n in result.notes)


def test_old_values_make_the_detail_say_still_old() -> None:
    """Given the old values, an old answer reads 'still the old values'."""
    result = check(world(), old=Expected(ns=OLD_NS, a=("192.0.2.10",), aaaa=(), mx=(), txt=()))
    rows = [r for r in result.report.results if r.rdtype == "A"]
    assert rows and all("still the old values" in r.detail.en for r in rows)


def test_types_limit_what_is_asked() -> None:
    """types=('A',) asks only A of resolvers and authoritative servers (the parent only NS)."""
    w = world()
    result = check(w, types=["a"])
    assert result.types == ("A",)
    assert {t for name, t, _ in w.asked(RESOLVER_A.address) if name == DOMAIN} == {"A"}


def test_txt_is_checked_when_expected() -> None:
    """An expected TXT value adds TXT to the questions."""
    result = check(world("new", "new", "new"), expected=Expected(ns=NEW_NS, txt=("v=spf1 mx -all",)))
    assert "TXT" in result.types
    assert outcome(result).exit_code == 0


def test_sample_provider_name_servers_are_never_the_expectation(monkeypatch: pytest.MonkeyPatch) -> None:
    """While provider.toml's name servers are samples, no NS given means no check: expect_ns names --expect-ns and
    says the provider's values are samples, in both languages; nothing is sent."""
    monkeypatch.setattr(evaluate_module, "PROVIDER", SAMPLE_PROVIDER)
    w = world("new", "new", "new")
    assert Expected().ns == ()
    with pytest.raises(ChecklistError) as info:
        run_check(DOMAIN, resolvers=(RESOLVER_A,), parents=(PARENT,), transport=w)
    error = info.value
    assert error.field == "expect_ns"
    assert "--expect-ns" in error.ja and "--expect-ns" in error.en
    assert "サンプル値" in error.ja and "sample values" in error.en
    assert all(n in error.ja and n in error.en for n in SAMPLE_PROVIDER.nameservers)
    assert w.calls == []
    # Given explicitly, any names are used as they are (the lab's way).
    assert outcome(check(w)).exit_code == 0


def test_real_provider_name_servers_are_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a provider.toml of real values, `dnscheck DOMAIN` needs nothing else: its name servers are the new ones
    (source "provider"), asked for the new values; switched gives exit 0."""
    monkeypatch.setattr(evaluate_module, "PROVIDER", REAL_PROVIDER)
    w = world("new", "new", "new", new_ns=REAL_NS)
    result = run_check(DOMAIN, resolvers=(RESOLVER_A, RESOLVER_B), parents=(PARENT,), transport=w)
    assert result.report.expected.ns == REAL_NS
    assert [s.server.name for s in result.new_servers] == list(REAL_NS)
    assert result.to_dict()["expected_source"]["NS"] == "provider"
    assert result.to_dict()["expected_source"]["A"] == "new_authoritative"
    assert (outcome(result).status, outcome(result).exit_code) == ("switched", 0)


@pytest.mark.parametrize(
    ("kwargs", "field_name"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": 61}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"resolvers": ()}, "resolver"),
        ({"types": ["SOA"]}, "type"),
        ({"types": []}, "type"),
    ],
)
def test_bad_options_raise_checklist_error(kwargs: dict[str, object], field_name: str) -> None:
    """Bad timeouts, no resolvers, unknown or unexpected types: ChecklistError naming the field."""
    with pytest.raises(ChecklistError) as info:
        check(world(), **kwargs)
    assert info.value.field == field_name


def test_bad_domain_raises_before_anything_is_sent() -> None:
    """An invalid domain is a ChecklistError and no query leaves."""
    w = world()
    with pytest.raises(ChecklistError):
        run_check("not a domain", resolvers=(RESOLVER_A,), parents=(PARENT,), transport=w, expected=Expected(ns=NEW_NS))
    assert w.calls == []


def test_json_data_carries_status_exit_code_and_servers() -> None:
    """to_dict() holds the verdict, status, exit code, delegation and every server."""
    data = check(world("new", "old", "new")).to_dict()
    assert (data["verdict"], data["status"], data["exit_code"]) == ("propagating", "propagating", 1)
    assert data["delegation"] == list(NEW_NS)
    assert [s["address"] for s in data["resolvers"]] == ["127.0.0.5", "127.0.0.6"]


@pytest.mark.skipif(sys.platform == "emscripten", reason="Pyodide has no threads: there the checks run in turn")
def test_queries_run_in_parallel() -> None:
    """Queries overlap: several slow answers are in flight at the same moment (counted, not timed)."""
    w = world("new", "new", "new")
    inner = w.__call__
    lock = threading.Lock()
    in_flight = 0
    most = 0

    def slow(server: Server, query: dns.message.Message, timeout: float) -> Observation:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        time.sleep(0.1)
        with lock:
            in_flight -= 1
        return inner(server, query, timeout)

    result = run_check(
        DOMAIN, resolvers=(RESOLVER_A, RESOLVER_B), parents=(PARENT,), transport=slow, expected=Expected(ns=NEW_NS)
    )
    assert len(result.report.results) >= 17
    assert most > 1
