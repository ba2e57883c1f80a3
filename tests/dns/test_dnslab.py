"""Tests of the DNS lab itself: isolation, the scenarios it promises, switching, flushing and DoH."""

from __future__ import annotations

import base64
import http.server
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

from .dnslab import (
    ADDR,
    BROKEN,
    NEW_NS,
    NEW_RECORDS,
    NXDOMAIN_NAME,
    OLD_NS,
    OLD_RECORDS,
    SILENT_NS,
    DnsLab,
    LabError,
    idna_name,
    require_binaries,
)

# One pytest-xdist worker runs every DNS test (`make test-py` uses --dist loadgroup): one lab per run, as before.
pytestmark = [pytest.mark.dns, pytest.mark.xdist_group("dnslab")]


def a_of(reply: dns.message.Message) -> set[str]:
    """The A addresses in a reply's answer section."""
    return {rd.to_text() for rrset in reply.answer if rrset.rdtype == dns.rdatatype.A for rd in rrset}


def referral_ns(reply: dns.message.Message) -> set[str]:
    """NS host names (no trailing dot) in a referral's authority section."""
    return {
        rd.target.to_text(omit_final_dot=True)
        for rrset in reply.authority
        if rrset.rdtype == dns.rdatatype.NS
        for rd in rrset
    }


def rcode_of(lab: DnsLab, server: str, name: str, rdtype: str = "A") -> str:
    """The response code ``server`` gives for ``name``, as text."""
    return dns.rcode.to_text(lab.query(server, name, rdtype).rcode())


OLD_A = set(OLD_RECORDS.a)
NEW_A = set(NEW_RECORDS.a)


# --- isolation ------------------------------------------------------------------------------------------------


def test_namespace_holds_only_loopback(dns_lab: DnsLab) -> None:
    """The lab namespace has no interface but lo and no route but loopback ones."""
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True, check=True).stdout
    routes = subprocess.run(["ip", "route", "show", "table", "all"], capture_output=True, text=True, check=True).stdout
    assert [line.split(":")[1].strip() for line in links.splitlines()] == ["lo"]
    assert routes.strip()
    assert all(" dev lo " in line + " " for line in routes.splitlines())


def test_every_server_runs_inside_the_lab_namespace(dns_lab: DnsLab) -> None:
    """Each Knot, Unbound and dnsdist process is in the lab namespace, not the host's."""
    host_ns = dns_lab.host_netns_inode
    assert set(dns_lab.pids) >= {"knot-parent", "knot-old", "knot-new", "dnsdist", f"unbound-{ADDR.resolver_old}"}
    for name, pid in dns_lab.pids.items():
        assert dns_lab.process_in_lab(pid), name
        assert os.stat(f"/proc/{pid}/ns/net").st_ino != host_ns, name


def test_servers_are_unreachable_from_the_host_namespace(dns_lab_session: DnsLab) -> None:
    """Outside the lab nothing listens on the lab's addresses (TCP to the parent is refused)."""
    assert not dns_lab_session.is_inside()
    with pytest.raises(ConnectionRefusedError):
        dns.query.tcp(dns.message.make_query("test.", "SOA"), ADDR.parent, timeout=1.0)


def test_inside_switches_only_the_calling_thread_and_restores_it(dns_lab_session: DnsLab) -> None:
    """inside() moves the calling thread into the lab and back; nesting keeps it inside."""
    before = os.stat("/proc/thread-self/ns/net").st_ino
    with dns_lab_session.inside():
        with dns_lab_session.inside():
            assert dns_lab_session.is_inside()
        assert dns_lab_session.is_inside()
    assert os.stat("/proc/thread-self/ns/net").st_ino == before
    assert not dns_lab_session.is_inside()


def test_subprocess_started_inside_reaches_the_servers(dns_lab: DnsLab) -> None:
    """A plain subprocess started by a test (like the CLI) inherits the lab namespace."""
    code = (
        "import dns.message, dns.query;"
        "r = dns.query.udp(dns.message.make_query('customer.test.', 'A'), '127.0.0.6', timeout=2);"
        "print(r.answer[0][0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=True)
    assert out.stdout.strip() in OLD_A


def test_command_wraps_for_the_lab_namespace(dns_lab_session: DnsLab) -> None:
    """lab.command() runs a program inside the lab even from a thread that is outside."""
    code = (
        "import dns.message, dns.query; dns.query.tcp(dns.message.make_query('test.', 'SOA'), '127.0.0.2', timeout=2)"
    )
    assert not dns_lab_session.is_inside()
    proc = subprocess.run(dns_lab_session.command([sys.executable, "-c", code]), capture_output=True, timeout=20)
    assert proc.returncode == 0, proc.stderr


def test_missing_binary_fails_naming_its_package() -> None:
    """A binary that cannot be found is a LabError naming the Debian package to install."""
    with pytest.raises(LabError, match=r"knotd \(Debian package knot\)"):
        require_binaries(search_path="/nonexistent")


def test_stop_kills_servers_and_removes_the_workdir() -> None:
    """stop() leaves no server process and no temporary directory behind."""
    lab = DnsLab.start()
    pids = list(lab.pids.values())
    workdir = lab.workdir
    lab.stop()
    assert workdir.exists() is False
    assert [pid for pid in pids if Path(f"/proc/{pid}").exists()] == []


# --- authoritative data -----------------------------------------------------------------------------------------


def test_parent_delegates_to_the_old_provider_at_start(dns_lab: DnsLab) -> None:
    """The parent zone's referral for customer.test names the old provider's nameservers."""
    reply = dns_lab.query(ADDR.parent, "customer.test", "A", recursion=False)
    assert referral_ns(reply) == set(OLD_NS)


def test_parent_resolves_nameserver_hosts_to_lab_addresses(dns_lab: DnsLab) -> None:
    """The nameserver host names in the delegations resolve to the lab's authoritative servers."""
    for host, addr in ((OLD_NS[0], ADDR.old_auth[0]), (NEW_NS[1], ADDR.new_auth[1]), (SILENT_NS, ADDR.silent)):
        assert a_of(dns_lab.query(ADDR.parent, host, "A")) == {addr}


@pytest.mark.parametrize("rdtype", ["A", "AAAA", "MX", "TXT", "NS"])
def test_each_provider_serves_its_own_records(dns_lab: DnsLab, rdtype: str) -> None:
    """The old and new authoritative servers answer the same question with different data."""
    old = dns_lab.query(ADDR.old_auth[0], "customer.test", rdtype, recursion=False)
    new = dns_lab.query(ADDR.new_auth[1], "customer.test", rdtype, recursion=False)
    assert old.rcode() == new.rcode() == dns.rcode.NOERROR
    assert old.answer and new.answer
    assert {rd.to_text() for rd in old.answer[0]} != {rd.to_text() for rd in new.answer[0]}


def test_idn_domain_is_served_under_its_punycode_name(dns_lab: DnsLab) -> None:
    """日本語.test resolves, and the answer is owned by xn--wgv71a119e.test."""
    reply = dns_lab.query(ADDR.resolver_new, "日本語.test", "A")
    assert idna_name("日本語.test") == "xn--wgv71a119e.test"
    assert reply.answer[0].name.to_text() == "xn--wgv71a119e.test."
    assert a_of(reply) == OLD_A


# --- propagation ------------------------------------------------------------------------------------------------


def test_both_resolvers_see_the_old_provider_before_the_switch(dns_lab: DnsLab) -> None:
    """Before any switch, the old and new resolvers both answer with the old addresses."""
    assert a_of(dns_lab.query(ADDR.resolver_old, "customer.test", "A")) == OLD_A
    assert a_of(dns_lab.query(ADDR.resolver_new, "customer.test", "A")) == OLD_A


def test_switch_changes_the_parent_delegation(dns_lab: DnsLab) -> None:
    """switch_delegation() makes the parent refer to the new provider's nameservers."""
    dns_lab.switch_delegation("customer.test")
    assert referral_ns(dns_lab.query(ADDR.parent, "customer.test", "A", recursion=False)) == set(NEW_NS)


def test_after_the_switch_resolvers_disagree(dns_lab: DnsLab) -> None:
    """After the switch the old resolver still gives the old address and the new one the new address."""
    dns_lab.switch_delegation("customer.test")
    assert a_of(dns_lab.query(ADDR.resolver_old, "customer.test", "A")) == OLD_A
    assert a_of(dns_lab.query(ADDR.resolver_new, "customer.test", "A")) == NEW_A


def test_old_resolver_keeps_old_data_for_types_not_asked_before(dns_lab: DnsLab) -> None:
    """The stale resolver follows its cached old delegation for every record type, not just cached answers."""
    dns_lab.switch_delegation("customer.test")
    reply = dns_lab.query(ADDR.resolver_old, "customer.test", "MX")
    assert {rd.exchange.to_text(omit_final_dot=True) for rd in reply.answer[0]} == {OLD_RECORDS.mx[0][1]}


def test_flush_completes_the_switch(dns_lab: DnsLab) -> None:
    """Flushing the old resolver after the switch makes it answer with the new address."""
    dns_lab.switch_delegation("customer.test")
    dns_lab.flush(ADDR.resolver_old, "customer.test")
    assert a_of(dns_lab.query(ADDR.resolver_old, "customer.test", "A")) == NEW_A


def test_switch_works_for_the_idn_domain(dns_lab: DnsLab) -> None:
    """The IDN domain can be switched given in Unicode."""
    dns_lab.switch_delegation("日本語.test")
    dns_lab.flush()
    assert a_of(dns_lab.query(ADDR.resolver_old, "日本語.test", "A")) == NEW_A


def test_mixed_delegation_is_possible(dns_lab: DnsLab) -> None:
    """set_delegation() can list one old and one new nameserver at once."""
    dns_lab.set_delegation("customer.test", (OLD_NS[0], NEW_NS[0]))
    reply = dns_lab.query(ADDR.parent, "customer.test", "A", recursion=False)
    assert referral_ns(reply) == {OLD_NS[0], NEW_NS[0]}


def test_reset_restores_the_initial_state(dns_lab: DnsLab) -> None:
    """reset() brings back the old delegation and empties the resolver caches."""
    dns_lab.switch_delegation("customer.test")
    dns_lab.flush()
    dns_lab.reset()
    assert referral_ns(dns_lab.query(ADDR.parent, "customer.test", "A", recursion=False)) == set(OLD_NS)
    assert a_of(dns_lab.query(ADDR.resolver_old, "customer.test", "A")) == OLD_A


# --- failure modes ----------------------------------------------------------------------------------------------


def test_unknown_name_is_nxdomain(dns_lab: DnsLab) -> None:
    """A name the parent zone does not hold is NXDOMAIN from the parent and from a resolver."""
    assert rcode_of(dns_lab, ADDR.parent, NXDOMAIN_NAME) == "NXDOMAIN"
    assert rcode_of(dns_lab, ADDR.resolver_new, NXDOMAIN_NAME) == "NXDOMAIN"


def test_broken_zone_answers_servfail(dns_lab: DnsLab) -> None:
    """broken.test's delegated server has an unparsable zone file and answers SERVFAIL, so do resolvers."""
    assert referral_ns(dns_lab.query(ADDR.parent, "broken.test", "A", recursion=False)) == set(NEW_NS)
    assert rcode_of(dns_lab, ADDR.new_auth[0], "broken.test") == "SERVFAIL"
    assert rcode_of(dns_lab, ADDR.resolver_new, "broken.test") == "SERVFAIL"


def test_lame_delegation_answers_refused(dns_lab: DnsLab) -> None:
    """lame.test is delegated to a server without the zone: REFUSED there, SERVFAIL from a resolver."""
    assert referral_ns(dns_lab.query(ADDR.parent, "lame.test", "A", recursion=False)) == set(NEW_NS)
    assert rcode_of(dns_lab, ADDR.new_auth[0], "lame.test") == "REFUSED"
    assert rcode_of(dns_lab, ADDR.resolver_new, "lame.test") == "SERVFAIL"


def test_servfail_resolver_fails_every_lab_name(dns_lab: DnsLab) -> None:
    """The SERVFAIL resolver answers SERVFAIL for a domain the others resolve."""
    assert rcode_of(dns_lab, ADDR.resolver_servfail, "customer.test") == "SERVFAIL"


def test_resolvers_refuse_names_outside_the_lab(dns_lab: DnsLab) -> None:
    """A name outside .test/.example is refused locally instead of being looked up from the root."""
    assert rcode_of(dns_lab, ADDR.resolver_new, "example.com") == "REFUSED"


def test_silent_address_times_out(dns_lab: DnsLab) -> None:
    """The silent address takes UDP queries and never answers: a real timeout."""
    start = time.monotonic()
    with pytest.raises(dns.exception.Timeout):
        dns_lab.query(ADDR.silent, "customer.test", "A", timeout=0.3)
    assert time.monotonic() - start >= 0.3


def test_slow_domain_is_delegated_to_the_silent_address(dns_lab: DnsLab) -> None:
    """slow.test's only nameserver is the silent address, so asking it times out."""
    assert referral_ns(dns_lab.query(ADDR.parent, "slow.test", "A", recursion=False)) == {SILENT_NS}
    with pytest.raises(dns.exception.Timeout):
        dns_lab.query(ADDR.silent, "slow.test", "A", timeout=0.3)


def test_dead_address_refuses_tcp(dns_lab: DnsLab) -> None:
    """Nothing listens on the dead address: a TCP connection is refused at once."""
    with pytest.raises(ConnectionRefusedError), socket.create_connection((ADDR.dead, 53), timeout=1.0):
        pass


def test_set_zone_broken_makes_a_loaded_zone_servfail(dns_lab: DnsLab) -> None:
    """set_zone(..., BROKEN) turns a served zone into SERVFAIL on that provider's server."""
    dns_lab.set_zone("new", "customer.test", BROKEN)
    assert rcode_of(dns_lab, ADDR.new_auth[0], "customer.test") == "SERVFAIL"


def test_set_zone_none_makes_the_server_lame(dns_lab: DnsLab) -> None:
    """set_zone(..., None) removes the zone, so the server answers REFUSED."""
    dns_lab.set_zone("old", "customer.test", None)
    assert rcode_of(dns_lab, ADDR.old_auth[0], "customer.test") == "REFUSED"


def test_set_zone_records_changes_the_answer(dns_lab: DnsLab) -> None:
    """set_zone(..., Records) replaces what the server answers."""
    dns_lab.set_zone("new", "customer.test", replace(NEW_RECORDS, a=("203.0.113.99",)))
    assert a_of(dns_lab.query(ADDR.new_auth[0], "customer.test", "A")) == {"203.0.113.99"}


# --- DNS over HTTPS ---------------------------------------------------------------------------------------------


def test_doh_https_get_answers_with_cors_header(dns_lab: DnsLab) -> None:
    """A TLS DoH GET (?dns= base64url) verified against the lab CA answers with the CORS header."""
    resp = dns_lab.doh_get(dns_lab.doh_urls["new"], dns.message.make_query("customer.test.", "A"))
    assert resp.status == 200
    assert resp.headers["access-control-allow-origin"] == "*"
    assert resp.headers["content-type"] == "application/dns-message"
    assert resp.message is not None and a_of(resp.message) == OLD_A


def test_doh_plain_http_listener_answers(dns_lab: DnsLab) -> None:
    """The plain-HTTP DoH listener answers the same GET without TLS."""
    resp = dns_lab.doh_get(dns_lab.doh_urls["old_http"], dns.message.make_query("customer.test.", "A"))
    assert resp.status == 200
    assert resp.message is not None and a_of(resp.message) == OLD_A


def test_doh_sends_no_cache_control(dns_lab: DnsLab) -> None:
    """DoH answers carry no Cache-Control, so a browser's HTTP cache cannot hide a flush."""
    resp = dns_lab.doh_get(dns_lab.doh_urls["new_http"], dns.message.make_query("customer.test.", "A"))
    assert "cache-control" not in resp.headers


def test_each_doh_endpoint_uses_its_own_resolver(dns_lab: DnsLab) -> None:
    """After a switch, the old DoH URL gives the old address and the new DoH URL the new one."""
    dns_lab.switch_delegation("customer.test")
    query = dns.message.make_query("customer.test.", "A")
    old = dns_lab.doh_get(dns_lab.doh_urls["old"], query).message
    new = dns_lab.doh_get(dns_lab.doh_urls["new"], query).message
    assert old is not None and new is not None
    assert (a_of(old), a_of(new)) == (OLD_A, NEW_A)


def test_doh_tls_certificate_is_rejected_without_the_lab_ca(dns_lab: DnsLab) -> None:
    """The DoH certificate is signed by the lab's own CA only (the system trust store rejects it)."""
    with socket.create_connection((ADDR.doh_new, 443), timeout=2.0) as raw, pytest.raises(ssl.SSLCertVerificationError):
        ssl.create_default_context().wrap_socket(raw, server_hostname=ADDR.doh_new)


class _BlankPage(http.server.BaseHTTPRequestHandler):
    """Serves an empty HTML page: an origin for the browser's cross-origin DoH fetches."""

    def do_GET(self) -> None:
        body = b"<!doctype html><title>lab</title>"
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


FETCH_JS = """async (url) => {
  const r = await fetch(url, {headers: {Accept: 'application/dns-message'}});
  return [r.status, Array.from(new Uint8Array(await r.arrayBuffer()))];
}"""


@pytest.mark.browser
def test_chromium_started_inside_fetches_doh_cross_origin(dns_lab: DnsLab) -> None:
    """Chromium launched inside the lab GETs DoH from another origin, over HTTP and pinned HTTPS."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer((ADDR.site, 8000), _BlankPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    wire = dns.message.make_query("customer.test.", "A", id=0).to_wire()
    param = base64.urlsafe_b64encode(wire).rstrip(b"=").decode()
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    flags += ["--disable-sync", "--no-first-run", f"--ignore-certificate-errors-spki-list={dns_lab.cert_spki_sha256}"]
    answers: list[tuple[int, object]] = []
    failures: list[BaseException] = []

    def drive() -> None:
        # Its own thread: the browser suite may hold a sync Playwright session (an asyncio loop) on the main
        # thread. A thread started here inherits the lab's network namespace.
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
                page = browser.new_page()
                page.goto(f"http://{ADDR.site}:8000/")
                for key in ("new_http", "new"):
                    status, body = page.evaluate(FETCH_JS, f"{dns_lab.doh_urls[key]}?dns={param}")
                    answers.append((status, a_of(dns.message.from_wire(bytes(body)))))
                browser.close()
        except BaseException as exc:  # handed to the test thread below
            failures.append(exc)

    try:
        worker = threading.Thread(target=drive, name="dnslab-chromium")
        worker.start()
        worker.join(timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    if failures:
        raise failures[0]
    assert answers == [(200, OLD_A), (200, OLD_A)]
