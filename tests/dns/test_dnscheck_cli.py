"""`python -m checklist_app dnscheck` against real Knot and Unbound servers in the loopback-only lab.

Every run passes loopback resolvers, the lab's parent (--parent 127.0.0.2) and --loopback-only, and sets
NETCOM_DNSCHECK_LOOPBACK_ONLY=1: the default public resolvers are never used, and nothing could be sent
outside 127.0.0.0/8 even by mistake (the lab namespace has no route there either). Every run names the lab's new
name servers with --expect-ns: the lab never relies on provider.toml's values (samples or real).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from typing import Any

import pytest

from checklist_app.dnscheck.evaluate import TIMEOUT
from checklist_app.dnscheck.transport import Server, udp_transport
from checklist_app.provider import PROVIDER

from .dnslab import ADDR, GIVEN_NS, NEW_NS, NEW_RECORDS, OLD_NS, OLD_RECORDS, DnsLab

# One pytest-xdist worker runs every DNS test (`make test-py` uses --dist loadgroup): one lab per run, as before.
pytestmark = [pytest.mark.dns, pytest.mark.xdist_group("dnslab")]

TWO_RESOLVERS = ("--resolver", ADDR.resolver_old, "--resolver", ADDR.resolver_new)


def dnscheck(
    domain: str, *args: str, resolvers: tuple[str, ...] = TWO_RESOLVERS, expect_ns: tuple[str, ...] = NEW_NS
) -> subprocess.CompletedProcess[str]:
    """Run the CLI inside the lab (the calling thread is inside; the child inherits it), loopback only, with the lab's
    new name servers as --expect-ns."""
    argv = [sys.executable, "-m", "checklist_app", "dnscheck", domain, *resolvers, "--parent", ADDR.parent]
    argv += [a for ns in expect_ns for a in ("--expect-ns", ns)]
    # A generous default (a loaded CI machine, two test workers); the timeout tests pass their own, shorter one.
    argv += ["--loopback-only", "--timeout", "2.0", *args]
    env = {**os.environ, "NETCOM_DNSCHECK_LOOPBACK_ONLY": "1"}
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)


def as_json(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The --json output, parsed."""
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def rows(data: dict[str, Any], server: str) -> list[dict[str, Any]]:
    """The JSON results of one server (by its label)."""
    return [r for r in data["results"] if r["server"] == server]


def assert_clean(proc: subprocess.CompletedProcess[str]) -> None:
    """No traceback anywhere, and nothing on stderr for a check that ran."""
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stderr == ""


NEW_A = NEW_RECORDS.a[0]
OLD_A = OLD_RECORDS.a[0]


def test_not_switched_domain_is_old_everywhere(dns_lab: DnsLab) -> None:
    """Before the switch: 未切替, exit 1; old values are what the old servers answer, new what the new ones do."""
    proc = dnscheck("customer.test")
    assert_clean(proc)
    assert proc.returncode == 1
    assert "判定: 未切替" in proc.stdout
    assert f"委任先 (NS): {OLD_NS[0]}, {OLD_NS[1]}" in proc.stdout
    assert f"■ A  新: {NEW_A}（新しいネームサーバの応答）  旧: {OLD_A}（旧ネームサーバの応答）" in proc.stdout
    assert re.search(rf"{re.escape(OLD_NS[0])} \(127\.0\.0\.3\) +権威 +旧 +{re.escape(OLD_A)}", proc.stdout)
    assert "不一致 = どちらとも違う値" in proc.stdout  # the labels are explained under the tables


def test_switched_without_expect_a_learns_the_new_values(dns_lab: DnsLab) -> None:
    """The issue's case: switched and flushed, only --expect-ns given: the new values come from the new servers, 0."""
    dns_lab.switch_delegation("customer.test")
    dns_lab.flush()
    proc = dnscheck("customer.test", "--json")
    assert_clean(proc)
    data = as_json(proc)
    assert (proc.returncode, data["status"], data["verdict_label"]["ja"]) == (0, "switched", "切替完了")
    assert data["expected"]["A"] == [NEW_A] and data["expected"]["MX"] == [f"10 {NEW_RECORDS.mx[0][1]}"]
    assert data["expected"]["NS"] == list(NEW_NS)
    assert data["expected_source"] == {
        "NS": "given",
        "A": "new_authoritative",
        "AAAA": "new_authoritative",
        "MX": "new_authoritative",
    }
    assert PROVIDER.web_ipv4_example not in data["expected"]["A"]
    assert data["new_zone"] == "served" and all(s["serves_zone"] for s in data["new_servers"])
    assert {r["code"] for r in data["results"]} == {"new"}


def test_the_issue_case_with_expect_ns_is_switched(dns_lab: DnsLab) -> None:
    """Issue #13 as reported: switched to name servers given with --expect-ns, no --expect-a: 切替完了, exit 0."""
    proc = dnscheck("given-ns.test", resolvers=("--resolver", ADDR.resolver_new), expect_ns=GIVEN_NS)
    assert_clean(proc)
    assert proc.returncode == 0, proc.stdout
    assert f"■ A  新: {NEW_A}（新しいネームサーバの応答）" in proc.stdout
    assert "判定: 切替完了" in proc.stdout
    data = as_json(dnscheck("given-ns.test", "--json", expect_ns=GIVEN_NS))
    assert (data["expected_source"]["NS"], data["expected_source"]["A"]) == ("given", "new_authoritative")
    assert data["exit_code"] == 0 and {r["code"] for r in data["results"]} == {"new"}


def test_switched_after_the_caches_are_flushed(dns_lab: DnsLab) -> None:
    """Switch plus flush, the common call (`dnscheck DOMAIN --expect-ns …`): every server new, 切替完了, exit 0."""
    dns_lab.switch_delegation("customer.test")
    dns_lab.flush()
    proc = dnscheck("customer.test")
    assert_clean(proc)
    assert proc.returncode == 0
    assert "判定: 切替完了" in proc.stdout
    assert f"{NEW_NS[0]} (127.0.0.4)" in proc.stdout
    assert f"新しいネームサーバ: {NEW_NS[0]} (127.0.0.4) ゾーンあり" in proc.stdout


def test_propagating_when_the_old_resolver_still_caches(dns_lab: DnsLab) -> None:
    """After the registrar switch the stale resolver is old and the fresh one new: 伝播中, exit 1."""
    dns_lab.switch_delegation("customer.test")
    proc = dnscheck("customer.test", "--json")
    assert_clean(proc)
    data = as_json(proc)
    assert (proc.returncode, data["verdict"], data["verdict_label"]["ja"]) == (1, "propagating", "伝播中")
    assert {r["code"] for r in rows(data, ADDR.resolver_old)} == {"old"}
    assert {r["code"] for r in rows(data, ADDR.resolver_new)} == {"new"}
    # The old servers were found through the stale resolver's NS answer: the parent already shows the new ones.
    assert data["delegation"] == list(NEW_NS)
    assert data["old_source"]["NS"] == "delegation" and data["old_source"]["A"] == "old_authoritative"
    assert data["old"]["A"] == [OLD_A]


def test_a_resolver_returning_a_third_value_is_other(dns_lab: DnsLab) -> None:
    """The old provider changes A after a resolver cached it: that resolver's A is 不一致, never 旧; exit 1."""
    dns_lab.prime(ADDR.resolver_old, "customer.test")
    dns_lab.set_zone("old", "customer.test", replace(OLD_RECORDS, a=("192.0.2.99",)))
    proc = dnscheck("customer.test", "--json")
    assert_clean(proc)
    data = as_json(proc)
    stale = next(r for r in rows(data, ADDR.resolver_old) if r["rdtype"] == "A")
    assert (stale["code"], stale["label"]["ja"], stale["found"]) == ("other", "不一致", [OLD_A])
    assert NEW_A in stale["detail"]["en"] and "192.0.2.99" in stale["detail"]["en"]
    fresh = next(r for r in rows(data, ADDR.resolver_new) if r["rdtype"] == "A")
    assert fresh["code"] == "old"
    assert (proc.returncode, data["verdict"]) == (1, "not_switched")
    assert "neither the new nor the old" in data["headline"]["en"]


def test_new_and_other_with_nothing_old_differs_exit_1(dns_lab: DnsLab) -> None:
    """Switched everywhere, but --expect-a is not what the new servers serve: 新しい値と不一致, never 伝播中; exit 1."""
    dns_lab.switch_delegation("customer.test")
    dns_lab.flush()
    wrong = "198.51.100.99"
    proc = dnscheck("customer.test", "--expect-a", wrong)
    assert_clean(proc)
    assert proc.returncode == 1
    assert "判定: 新しい値と不一致" in proc.stdout and "伝播中" not in proc.stdout
    assert "待っても直るとは限りません" in proc.stdout
    data = as_json(dnscheck("customer.test", "--expect-a", wrong, "--json", "--lang", "en"))
    assert (data["verdict"], data["status"], data["exit_code"]) == ("differs", "differs", 1)
    assert data["verdict_label"] == {"ja": "新しい値と不一致", "en": "differs from the new values"}
    assert data["headline"]["en"].startswith("differs from the new values")
    assert "Waiting will not necessarily fix this" in data["advice"]["en"]
    codes = {(r["rdtype"], r["code"]) for r in data["results"]}
    assert codes == {("NS", "new"), ("A", "other"), ("AAAA", "new"), ("MX", "new")}
    a_rows = [r for r in data["results"] if r["rdtype"] == "A"]
    assert all(r["found"] == [NEW_A] and r["expected"] == [wrong] for r in a_rows)


def test_new_zone_missing_on_the_new_servers_exits_2(dns_lab: DnsLab) -> None:
    """The new provider has not created the zone yet (REFUSED there): said so, no record judged, exit 2."""
    dns_lab.set_zone("new", "customer.test", None)
    proc = dnscheck("customer.test")
    assert_clean(proc)
    assert proc.returncode == 2
    assert "判定: 新しいゾーンが未設定です" in proc.stdout
    assert "このドメインのゾーンがありません（REFUSED）" in proc.stdout
    assert "■ A" not in proc.stdout
    data = as_json(dnscheck("customer.test", "--json", "--lang", "en"))
    assert (data["status"], data["new_zone"], data["types"]) == ("new_zone_missing", "missing", ["NS"])


def test_english_output_with_lang_en(dns_lab: DnsLab) -> None:
    """--lang en prints the table and the verdict in English."""
    proc = dnscheck("customer.test", "--lang", "en")
    assert proc.returncode == 1
    assert "Verdict: not switched" in proc.stdout
    assert "判定" not in proc.stdout


def test_idn_domain_is_checked_under_its_punycode_name(dns_lab: DnsLab) -> None:
    """日本語.test, switched and flushed: exit 0, new values learnt, shown in Unicode with its punycode form."""
    dns_lab.switch_delegation("日本語.test")
    dns_lab.flush()
    proc = dnscheck("日本語.test", "--json")
    assert_clean(proc)
    data = as_json(proc)
    assert (proc.returncode, data["verdict"]) == (0, "switched")
    assert (data["domain"], data["domain_display"]) == ("xn--wgv71a119e.test", "日本語.test")
    assert (data["expected"]["A"], data["expected_source"]["A"]) == ([NEW_A], "new_authoritative")


def test_idn_domain_propagating(dns_lab: DnsLab) -> None:
    """日本語.test right after the switch: old on the stale resolver, new on the fresh one."""
    dns_lab.switch_delegation("日本語.test")
    data = as_json(dnscheck("日本語.test", "--json"))
    assert data["verdict"] == "propagating"
    assert {r["code"] for r in rows(data, ADDR.resolver_old)} == {"old"}


def test_nxdomain_is_reported_in_words_with_exit_2(dns_lab: DnsLab) -> None:
    """A domain that does not exist: NXDOMAIN in words on every row; no new zone either; exit 2."""
    proc = dnscheck("nosuch.test")
    assert_clean(proc)
    assert proc.returncode == 2
    assert "ドメインが存在しません（NXDOMAIN）" in proc.stdout
    assert "判定: 新しいゾーンが未設定です" in proc.stdout


def test_servfail_resolver_is_reported_beside_the_others(dns_lab: DnsLab) -> None:
    """A SERVFAIL resolver is an error row in words; the others still give 未切替, exit 1."""
    proc = dnscheck("customer.test", "--json", resolvers=("--resolver", ADDR.resolver_old, "--resolver", "127.0.0.11"))
    data = as_json(proc)
    assert (proc.returncode, data["verdict"], data["exit_code"]) == (1, "not_switched", 1)
    servfail = rows(data, ADDR.resolver_servfail)
    assert servfail and all(r["rcode"] == "SERVFAIL" and "SERVFAIL" in r["detail"]["ja"] for r in servfail)


def test_broken_zone_servfail_everywhere_exits_2(dns_lab: DnsLab) -> None:
    """broken.test: the new servers SERVFAIL (their zone file is broken): the new zone is not usable, exit 2."""
    proc = dnscheck("broken.test")
    assert_clean(proc)
    assert proc.returncode == 2
    assert "サーバエラー（SERVFAIL）" in proc.stdout
    assert "判定: 新しいゾーンが未設定です" in proc.stdout


def test_silent_resolver_times_out_within_the_timeout(dns_lab: DnsLab) -> None:
    """A resolver that never answers is reported as a timeout in words; with a 0.3 s timeout."""
    proc = dnscheck(
        "customer.test", "--timeout", "0.3", resolvers=("--resolver", ADDR.resolver_old, "--resolver", ADDR.silent)
    )
    assert_clean(proc)
    assert proc.returncode == 1
    assert "応答がありません（タイムアウト）" in proc.stdout
    assert "未切替（4 件は確認できませんでした）" in proc.stdout


def test_domain_whose_only_server_is_silent_exits_2(dns_lab: DnsLab) -> None:
    """slow.test: its only name server and the resolvers time out; nothing judged but the referral: exit 2."""
    proc = dnscheck("slow.test", "--timeout", "0.3", "--json")
    data = as_json(proc)
    assert (proc.returncode, data["status"]) == (2, "new_zone_missing")
    assert any(r["code"] == "no_answer" and r["role"] == "authoritative" for r in data["results"])


def test_lame_delegation_is_named_with_exit_2(dns_lab: DnsLab) -> None:
    """lame.test: the delegated servers refuse the zone: lame delegation in words, flagged in JSON, exit 2."""
    proc = dnscheck("lame.test", "--json")
    data = as_json(proc)
    assert proc.returncode == 2
    lame = [r for r in data["results"] if r["role"] == "authoritative"]
    assert lame and all(r["lame"] and "レイムデリゲーション" in r["detail"]["ja"] for r in lame)
    assert "lame delegation" in data["advice"]["en"] and "do not serve this domain's zone yet" in data["advice"]["en"]
    assert data["status"] == "new_zone_missing"


def test_refused_is_reported_in_words(dns_lab: DnsLab) -> None:
    """A name outside the lab is REFUSED by the parent and the resolvers: words on each row, exit 2."""
    proc = dnscheck("example.com", "--lang", "en")
    assert_clean(proc)
    assert proc.returncode == 2
    assert "the server refused the query (REFUSED)" in proc.stdout


def test_json_output_is_complete(dns_lab: DnsLab) -> None:
    """--json holds the verdict, the exit code, the servers asked and one row per server and type."""
    proc = dnscheck("customer.test", "--json")
    data = as_json(proc)
    assert data["exit_code"] == proc.returncode == 1
    assert data["delegation"] == list(OLD_NS)
    assert [p["address"] for p in data["parents"]] == [ADDR.parent]
    assert [a["address"] for a in data["authoritative"]] == list(ADDR.old_auth)
    assert [a["address"] for a in data["new_servers"]] == list(ADDR.new_auth)
    assert [a["address"] for a in data["old_servers"]] == list(ADDR.old_auth)
    assert set(data["expected_source"]) == set(data["old_source"]) == {"NS", "A", "AAAA", "MX"}
    # 1 parent row (NS) + (2 authoritative + 2 resolvers) x 4 types
    assert len(data["results"]) == 1 + 4 * 4


def test_old_values_are_recognised(dns_lab: DnsLab) -> None:
    """--old-a marks an old answer as 'still the old values', and says it was given."""
    proc = dnscheck("customer.test", "--type", "A", "--old-a", "192.0.2.10", "--json")
    data = as_json(proc)
    assert data["types"] == ["A"]
    assert data["old_source"]["A"] == "given"
    assert all("still the old values" in r["detail"]["en"] for r in data["results"] if r["rdtype"] == "A")


def test_old_ns_names_the_servers_to_ask(dns_lab: DnsLab) -> None:
    """After a full switch nothing shows the old servers; --old-ns names them and their values are the old ones."""
    dns_lab.switch_delegation("customer.test")
    dns_lab.flush()
    data = as_json(dnscheck("customer.test", "--json", "--old-ns", OLD_NS[0]))
    assert data["old_source"] == {
        "NS": "given",
        "A": "old_authoritative",
        "AAAA": "old_authoritative",
        "MX": "old_authoritative",
    }
    assert data["old"]["A"] == [OLD_A]
    assert [s["address"] for s in data["old_servers"]] == [ADDR.old_auth[0]]
    assert data["exit_code"] == 0


def test_loopback_only_blocks_any_other_address(dns_lab: DnsLab) -> None:
    """A non-loopback resolver is never asked under --loopback-only: its rows say it was blocked."""
    proc = dnscheck("customer.test", "--json", resolvers=("--resolver", ADDR.resolver_old, "--resolver", "192.0.2.53"))
    data = as_json(proc)
    blocked = rows(data, "192.0.2.53")
    assert blocked and all(r["code"] == "error" and "blocked" in r["detail"]["en"] for r in blocked)


def test_bad_input_exits_2_with_nothing_on_stdout(dns_lab: DnsLab) -> None:
    """An invalid domain or resolver: exit 2, the error on stderr in both languages, stdout empty."""
    for proc in (dnscheck("no_such domain"), dnscheck("customer.test", resolvers=("--resolver", "dns.google"))):
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert "エラー" in proc.stderr and "Error" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_udp_transport_reports_a_timeout_as_a_value(dns_lab: DnsLab) -> None:
    """The transport returns TIMEOUT for the silent address instead of raising."""
    import dns.message

    query = dns.message.make_query("customer.test.", "A")
    assert udp_transport(Server(ADDR.silent), query, 0.2) == TIMEOUT


def test_udp_transport_returns_the_response(dns_lab: DnsLab) -> None:
    """The transport returns the parsed response of a real server."""
    import dns.message

    reply = udp_transport(Server(ADDR.resolver_new), dns.message.make_query("customer.test.", "A"), 1.0)
    assert isinstance(reply, dns.message.Message)
    assert reply.answer
