"""A DNS lab of real servers on loopback, inside a network namespace that holds nothing but ``lo``.

Why a namespace per lab, and how the test process reaches it
------------------------------------------------------------
Every server (Knot DNS, Unbound, dnsdist) is started through ``nsenter --net=<lab>``, so none of them can
send a packet anywhere but to the namespace's own loopback: the namespace has no other interface and no
route, so even a misconfigured resolver that reaches for the root servers gets ``ENETUNREACH``.

The namespace is created by ``unshare(CLONE_NEWNET)`` on a short-lived helper thread (namespaces are per
thread on Linux), which keeps a file descriptor to it and exits: pytest's own threads never move until a
test asks. ``DnsLab.inside()`` then switches *the calling thread* into the lab with ``os.setns()``
(Python 3.12+) and back afterwards. While inside:

* every socket the thread opens (dnspython, ``http.client``, an HTTP server for the site) lives in the lab;
* every thread it starts (e.g. a ``ThreadPoolExecutor`` created there) and every subprocess it spawns
  (``python -m checklist_app dnscheck``, Playwright's driver and so Chromium) inherits the lab namespace.

So one pytest process can test the CLI, in-process code and a real browser against the servers, while
everything else in the session (other tests, a browser started by another fixture) stays in the host
namespace. Running the whole pytest under ``unshare -n`` was rejected: it would move every test
(and every helper's server) into the namespace and need a wrapper in the Makefile. A veth pair was never an
option: with ``lo`` alone nothing can leak.

Needs root (or CAP_SYS_ADMIN) for ``unshare``/``setns``; fails loudly (never skips) when that or a
binary is missing. Servers get ``PR_SET_PDEATHSIG`` (``setpriv --pdeathsig KILL``), so a killed pytest does
not leave them running; ``stop()`` terminates them and removes the temporary directory.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, Literal

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype

from checklist_app.provider import PROVIDER

__all__ = [
    "ADDR",
    "BROKEN",
    "DEAD_NS",
    "DEFAULT_DOMAINS",
    "GIVEN_NS",
    "NEW_NS",
    "NEW_RECORDS",
    "NXDOMAIN_NAME",
    "OLD_MAIL_HOST",
    "OLD_NS",
    "OLD_RECORDS",
    "SERVFAIL_NS",
    "SILENT_NS",
    "DnsLab",
    "DohResponse",
    "LabDomain",
    "LabError",
    "Records",
    "ZoneState",
    "idna_name",
    "require_binaries",
]


class LabError(RuntimeError):
    """The lab could not start or do what was asked (missing binary, no privilege, server not ready)."""


# --- Address plan (all inside the lab namespace; 127.0.0.0/8 is routed to lo there) -------------------------


@dataclass(frozen=True, slots=True)
class _Addresses:
    """Where each lab role listens. DNS on port 53, DoH on 443 (TLS) and 80 (plain HTTP)."""

    parent: str = "127.0.0.2"  # a.nic.test / a.nic.example: serves the TLD zones "test." and "example."
    old_auth: tuple[str, str] = ("127.0.0.3", "127.0.0.13")  # ns1/ns2.oldhost.example (old provider)
    new_auth: tuple[str, str] = ("127.0.0.4", "127.0.0.14")  # ns1/ns2.newhost.example (new provider)
    resolver_old: str = "127.0.0.5"  # Unbound, "still old": caches the old delegation before a switch
    resolver_new: str = "127.0.0.6"  # Unbound, "already new": flushed on every switch
    doh_old: str = "127.0.0.7"  # dnsdist DoH -> resolver_old (also plain DNS on :53)
    doh_new: str = "127.0.0.8"  # dnsdist DoH -> resolver_new (also plain DNS on :53)
    silent: str = "127.0.0.9"  # sockets that read nothing and never answer (UDP/TCP 53, TCP 80/443): timeouts
    dead: str = "127.0.0.10"  # nothing listens: UDP gets ICMP port unreachable, TCP is refused
    resolver_servfail: str = "127.0.0.11"  # Unbound whose stub zones point at `servfail`: SERVFAIL for everything
    servfail: str = "127.0.0.12"  # Knot with broken "test."/"example." zone files: SERVFAIL for every name
    site: str = "127.0.0.20"  # free for a test's own HTTP server (the built site) inside the lab; not used here

    @property
    def resolvers(self) -> tuple[str, str, str]:
        """The three Unbound resolvers."""
        return (self.resolver_old, self.resolver_new, self.resolver_servfail)


ADDR: Final = _Addresses()

# Host names in the parent's "example." zone (authoritative A records there, so no glue is needed).
OLD_NS: Final = ("ns1.oldhost.example", "ns2.oldhost.example")
# The new provider's name servers in the lab: names of the lab's own, never provider.toml's (the check must not fall
# back to the provider's values, and the lab must not change when Net-com puts its real ones in). Every check in the
# tests passes them explicitly (--expect-ns, the page's expect_ns field).
NEW_NS: Final = ("ns1.newhost.example", "ns2.newhost.example")
# Other names of the new provider's servers (same addresses), as in the report of issue #13: staff pass them as
# --expect-ns, and the check must learn the new values from them.
GIVEN_NS: Final = ("ns1.new-dns.test", "ns2.new-dns.test")
# The old provider's mail server (the MX of the old zone).
OLD_MAIL_HOST: Final = "mail.oldhost.example"
SILENT_NS: Final = "ns.silent.example"
DEAD_NS: Final = "ns.dead.example"
SERVFAIL_NS: Final = "ns.servfail.example"
NXDOMAIN_NAME: Final = "nosuch.test"  # not in the parent zone: NXDOMAIN from parent and resolvers
_TLDS: Final = ("test", "example")

if set(NEW_NS) & set(PROVIDER.nameservers):
    raise LabError("the lab's name servers must not be the provider's: a check falling back to those would pass")


def idna_name(name: str) -> str:
    """The ASCII (punycode) form of a domain name, without the trailing dot: 日本語.test -> xn--wgv71a119e.test."""
    # dnspython's IDNA 2008 codec (UTS 46 mapping) passes ASCII labels through, so "_dmarc" or "www" work too.
    return dns.name.from_unicode(name).to_text(omit_final_dot=True)


@dataclass(frozen=True, slots=True)
class Records:
    """What one provider's zone for a domain holds (at the apex; ``www`` gets the same A/AAAA)."""

    ns: tuple[str, ...]
    a: tuple[str, ...]
    aaaa: tuple[str, ...]
    mx: tuple[tuple[int, str], ...]
    txt: tuple[str, ...]
    ttl: int = 3600


OLD_RECORDS: Final = Records(
    ns=OLD_NS,
    a=("192.0.2.10",),
    aaaa=("2001:db8:0:1::10",),
    mx=((10, OLD_MAIL_HOST),),
    txt=("v=spf1 a:mail.oldhost.example ~all",),
)
# The customer's own values on the new provider's servers (their Server Account Information): deliberately none of
# the provider's example values, so a check that used an example as its expectation would fail against the lab.
NEW_RECORDS: Final = Records(
    ns=NEW_NS,
    a=("198.51.100.20",),
    aaaa=("2001:db8:2::20",),
    mx=((10, "mail02.net-com.example"),),
    txt=("v=spf1 a:mail02.net-com.example ~all",),
)
if {PROVIDER.web_ipv4_example, PROVIDER.web_ipv6_example} & {*NEW_RECORDS.a, *NEW_RECORDS.aaaa} or any(
    host == PROVIDER.mail_host_example for _, host in NEW_RECORDS.mx
):
    raise LabError("the lab's new records must not be the provider's example values")


class _Broken:
    """Marker: the server is configured for the zone but its file does not parse, so it answers SERVFAIL."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BROKEN"


BROKEN: Final = _Broken()
ZoneState = Records | _Broken | None  # None: the server does not serve the zone at all (REFUSED = lame)


@dataclass(frozen=True, slots=True)
class LabDomain:
    """A domain under a lab TLD: its delegation in the parent and what each provider's server holds."""

    name: str  # Unicode allowed (IDN); stored and served as punycode
    delegation: tuple[str, ...]  # NS host names the parent zone lists
    old: ZoneState  # zone on the old provider's server
    new: ZoneState  # zone on the new provider's server

    @property
    def ascii(self) -> str:
        """Punycode name without trailing dot."""
        return idna_name(self.name)


DEFAULT_DOMAINS: Final[tuple[LabDomain, ...]] = (
    # Not switched yet: delegated to the old provider; both providers serve the zone (new one prepared).
    LabDomain("customer.test", OLD_NS, OLD_RECORDS, NEW_RECORDS),
    LabDomain("日本語.test", OLD_NS, OLD_RECORDS, NEW_RECORDS),
    # Delegation already names the new provider, which never created the zone: REFUSED there (lame).
    LabDomain("lame.test", NEW_NS, OLD_RECORDS, None),
    # Delegated to the new provider, whose zone file is broken: SERVFAIL there.
    LabDomain("broken.test", NEW_NS, OLD_RECORDS, BROKEN),
    # Delegated to a server that never answers: timeouts.
    LabDomain("slow.test", (SILENT_NS,), None, None),
    # Already switched everywhere, to name servers given with --expect-ns (not the provider's default names).
    LabDomain("given-ns.test", GIVEN_NS, replace(OLD_RECORDS, ns=OLD_NS), replace(NEW_RECORDS, ns=GIVEN_NS)),
)

_PARENT_HOSTS: Final[Mapping[str, str]] = {
    "a.nic.test": ADDR.parent,
    "a.nic.example": ADDR.parent,
    OLD_NS[0]: ADDR.old_auth[0],
    OLD_NS[1]: ADDR.old_auth[1],
    NEW_NS[0]: ADDR.new_auth[0],
    NEW_NS[1]: ADDR.new_auth[1],
    GIVEN_NS[0]: ADDR.new_auth[0],
    GIVEN_NS[1]: ADDR.new_auth[1],
    SILENT_NS: ADDR.silent,
    DEAD_NS: ADDR.dead,
    SERVFAIL_NS: ADDR.servfail,
    OLD_MAIL_HOST: "192.0.2.25",
}
_DELEGATION_TTL: Final = 86400  # like a real TLD: a resolver that cached the old NS keeps it for a day
_BINARIES: Final[Mapping[str, str]] = {
    "knotd": "knot",
    "knotc": "knot",
    "unbound": "unbound",
    "dnsdist": "dnsdist",
    "openssl": "openssl",
    "nsenter": "util-linux",
    "setpriv": "util-linux",
    "ip": "iproute2",
}


def require_binaries(search_path: str | None = None) -> dict[str, str]:
    """Absolute paths of every binary the lab runs; LabError naming the Debian package when one is missing.

    ``search_path`` defaults to ``$PATH`` plus /usr/sbin and /sbin (where Debian puts knotd and unbound).
    """
    if search_path is None:
        search_path = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    found: dict[str, str] = {}
    missing: list[str] = []
    for binary, package in _BINARIES.items():
        path = shutil.which(binary, path=search_path)
        if path is None:
            missing.append(f"{binary} (Debian package {package})")
        else:
            found[binary] = path
    if missing:
        raise LabError("DNS lab binaries missing: " + ", ".join(missing) + " — run `make system-deps`")
    return found


def _netns_inode(path: str = "/proc/thread-self/ns/net") -> int:
    return os.stat(path).st_ino


# --- Zone and config text ---------------------------------------------------------------------------------


def _fqdn(name: str) -> str:
    return idna_name(name) + "."


def _child_zone(domain: str, rec: Records, serial: int) -> str:
    origin = _fqdn(domain)
    lines = [
        f"$ORIGIN {origin}",
        f"$TTL {rec.ttl}",
        f"@ SOA {_fqdn(rec.ns[0])} hostmaster.{origin} {serial} 3600 600 86400 300",
    ]
    lines += [f"@ NS {_fqdn(ns)}" for ns in rec.ns]
    for owner in ("@", "www"):
        lines += [f"{owner} A {a}" for a in rec.a]
        lines += [f"{owner} AAAA {a}" for a in rec.aaaa]
    lines += [f"@ MX {pref} {_fqdn(host)}" for pref, host in rec.mx]
    lines += ['@ TXT "' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in rec.txt]
    return "\n".join(lines) + "\n"


def _parent_zone(tld: str, delegations: Mapping[str, tuple[str, ...]], serial: int) -> str:
    origin = f"{tld}."
    lines = [
        f"$ORIGIN {origin}",
        "$TTL 3600",
        f"@ SOA a.nic.{origin} hostmaster.nic.{origin} {serial} 3600 600 86400 300",
        f"@ NS a.nic.{origin}",
    ]
    for host, addr in _PARENT_HOSTS.items():
        if host.endswith("." + tld):
            lines.append(f"{_fqdn(host)} A {addr}")
    for domain, ns_names in delegations.items():
        if idna_name(domain).endswith("." + tld):
            lines += [f"{_fqdn(domain)} {_DELEGATION_TTL} NS {_fqdn(ns)}" for ns in ns_names]
    return "\n".join(lines) + "\n"


def _knot_conf(workdir: Path, listen: Sequence[str], zones: Sequence[str]) -> str:
    listen_list = ", ".join(f"{a}@53" for a in listen)
    zone_lines = "".join(f'  - domain: "{z}."\n    file: "{z}.zone"\n' for z in zones)
    return f"""\
server:
    rundir: "{workdir}"
    listen: [ {listen_list} ]
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "{workdir}/db"
control:
    listen: "{workdir}/knot.sock"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "{workdir}"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
{"zone:" if zones else ""}
{zone_lines}"""


def _unbound_conf(workdir: Path, listen: str, stub_addr: str) -> str:
    stubs = "".join(f'stub-zone:\n    name: "{tld}."\n    stub-addr: {stub_addr}@53\n' for tld in _TLDS)
    return f"""\
server:
    verbosity: 0
    interface: {listen}@53
    port: 53
    do-ip6: no
    access-control: 127.0.0.0/8 allow
    username: ""
    chroot: ""
    directory: "{workdir}"
    pidfile: ""
    use-syslog: no
    logfile: ""
    num-threads: 1
    so-reuseport: no
    outgoing-range: 64
    num-queries-per-thread: 32
    module-config: "iterator"
    do-not-query-localhost: no
    qname-minimisation: no
    prefetch: no
    minimal-responses: yes
    # Refuse every name outside the lab TLDs instead of iterating from the root. "test." is one of
    # Unbound's default (NXDOMAIN) local zones, so it is made transparent explicitly, as is "example.".
    local-zone: "." refuse
    local-zone: "test." transparent
    local-zone: "example." transparent
remote-control:
    control-enable: yes
    control-interface: "{workdir}/unbound.ctl"
{stubs}"""


def _dnsdist_conf(cert: Path, key: Path) -> str:
    headers = '{["access-control-allow-origin"]="*"}'
    opts = f"{{customResponseHeaders={headers}, sendCacheControlHeaders=false}}"
    lines = [
        # No security polling: it would query the system resolver for a version TXT record.
        'setSecurityPollSuffix("")',
        f'setLocal("{ADDR.doh_old}:53")',
        f'addLocal("{ADDR.doh_new}:53")',
    ]
    for addr in (ADDR.doh_old, ADDR.doh_new):
        lines.append(f'addDOHLocal("{addr}:443", "{cert}", "{key}", "/dns-query", {opts})')
        lines.append(f'addDOHLocal("{addr}:80", nil, nil, "/dns-query", {opts})')
    # Forced up: dnsdist's health checks would ask for a.root-servers.net, which the resolvers refuse.
    lines.append(f'newServer({{address="{ADDR.resolver_old}:53", pool="old"}}):setUp()')
    lines.append(f'newServer({{address="{ADDR.resolver_new}:53", pool="new"}}):setUp()')
    # Route by the address the query arrived on, so each DoH URL is "one resolver".
    lines.append("local old = newNMG()")
    lines.append(f'old:addMask("{ADDR.doh_old}/32")')
    lines.append('addAction(NetmaskGroupRule(old, false), PoolAction("old"))')
    lines.append('addAction(AllRule(), PoolAction("new"))')
    return "\n".join(lines) + "\n"


# --- Running things inside the namespace ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DohResponse:
    """One DoH GET exchange: HTTP status, lower-cased headers, and the decoded DNS message (when 200)."""

    status: int
    headers: Mapping[str, str]
    message: dns.message.Message | None


@dataclass(slots=True)
class _Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path


@dataclass(slots=True)
class DnsLab:
    """A running lab. Create with ``DnsLab.start()``; always ``stop()`` (the fixtures do both)."""

    workdir: Path
    domains: dict[str, LabDomain]  # keyed by ASCII name
    ca_pem: Path  # trust anchor for the DoH TLS certificate (IP SANs 127.0.0.7 and 127.0.0.8)
    cert_spki_sha256: str  # base64 SHA-256 of the DoH cert's key, for Chromium --ignore-certificate-errors-spki-list
    startup_seconds: float = 0.0
    _bins: dict[str, str] = field(default_factory=dict)
    _ns_fd: int = -1
    _ns_inode: int = 0
    _host_inode: int = 0
    _procs: list[_Proc] = field(default_factory=list)
    _silent: list[socket.socket] = field(default_factory=list)
    _initial: dict[str, LabDomain] = field(default_factory=dict)
    _serial: int = 1
    _dirty_roles: set[str] = field(default_factory=set)

    # Addresses, for convenience (same values as ADDR).
    addr: _Addresses = ADDR

    @property
    def doh_urls(self) -> dict[str, str]:
        """DoH endpoints: ``{"old": https://127.0.0.7/dns-query, "new": …, "old_http": http://…, "new_http": …}``."""
        return {
            "old": f"https://{ADDR.doh_old}/dns-query",
            "new": f"https://{ADDR.doh_new}/dns-query",
            "old_http": f"http://{ADDR.doh_old}/dns-query",
            "new_http": f"http://{ADDR.doh_new}/dns-query",
        }

    @property
    def netns_path(self) -> str:
        """A path that names the lab namespace for ``nsenter --net=`` or ``ip netns exec``-like tools."""
        return f"/proc/{os.getpid()}/fd/{self._ns_fd}"

    # ---- lifecycle ----

    @classmethod
    def start(cls, domains: Sequence[LabDomain] = DEFAULT_DOMAINS, *, timeout: float = 10.0) -> DnsLab:
        """Create the namespace, write configs, start every server and wait until each answers."""
        t0 = time.monotonic()
        bins = require_binaries()
        workdir = Path(tempfile.mkdtemp(prefix="dnslab-"))
        by_name = {d.ascii: d for d in domains}
        lab = cls(workdir=workdir, domains=dict(by_name), ca_pem=workdir / "tls" / "ca.pem", cert_spki_sha256="")
        lab._bins = bins
        lab._initial = dict(by_name)
        try:
            lab._create_namespace()
            lab._make_tls()
            lab._start_all()
            lab._wait_ready(timeout)
        except BaseException:
            lab.stop()
            raise
        lab.startup_seconds = time.monotonic() - t0
        return lab

    def stop(self) -> None:
        """Terminate every server, close the namespace and remove the temporary directory."""
        for proc in self._procs:
            if proc.popen.poll() is None:
                proc.popen.terminate()
        deadline = time.monotonic() + 3.0
        for proc in self._procs:
            try:
                proc.popen.wait(max(0.05, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.popen.kill()
                proc.popen.wait(5)
        self._procs.clear()
        for sock in self._silent:
            sock.close()
        self._silent.clear()
        if self._ns_fd >= 0:
            os.close(self._ns_fd)
            self._ns_fd = -1
        shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def pids(self) -> dict[str, int]:
        """Process id of each running server, by role name."""
        return {p.name: p.popen.pid for p in self._procs}

    # ---- namespace ----

    def _create_namespace(self) -> None:
        result: dict[str, int | BaseException] = {}

        def make() -> None:
            # unshare() on this helper thread only: the pytest main thread stays where it is.
            try:
                os.unshare(os.CLONE_NEWNET)
                result["fd"] = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
            except BaseException as exc:  # reported on the caller's thread
                result["error"] = exc

        thread = threading.Thread(target=make, name="dnslab-unshare")
        thread.start()
        thread.join()
        error = result.get("error")
        if isinstance(error, BaseException):
            raise LabError(f"cannot create a network namespace (needs root or CAP_SYS_ADMIN): {error}") from error
        fd = result["fd"]
        assert isinstance(fd, int)
        self._ns_fd = fd
        self._ns_inode = os.fstat(fd).st_ino
        self._host_inode = _netns_inode()
        if self._ns_inode == self._host_inode:
            raise LabError("the lab namespace is the host namespace: refusing to start servers")
        ip = self._bins["ip"]
        self.run([ip, "link", "set", "lo", "up"])
        links = self.run([ip, "-o", "link", "show"]).stdout.decode().splitlines()
        names = [line.split(":")[1].strip() for line in links if line.strip()]
        if names != ["lo"]:
            raise LabError(f"lab namespace must hold only lo, found {names}")

    def command(self, argv: Sequence[str], *, pdeathsig: bool = False) -> list[str]:
        """``argv`` wrapped to run inside the lab namespace (``nsenter --net=…``), for any subprocess API."""
        if self._ns_fd < 0:
            raise LabError("the lab is not running")
        wrapped = [self._bins["nsenter"], f"--net={self.netns_path}", "--"]
        if pdeathsig:
            # The server dies with the thread that started it (pytest's main thread), even on SIGKILL.
            wrapped += [self._bins["setpriv"], "--pdeathsig", "KILL", "--"]
        return wrapped + list(argv)

    def run(
        self, argv: Sequence[str], *, check: bool = True, timeout: float = 10.0
    ) -> subprocess.CompletedProcess[bytes]:
        """Run a command inside the lab namespace and capture its output; LabError on failure when ``check``."""
        proc = subprocess.run(self.command(argv), capture_output=True, timeout=timeout, check=False)
        if check and proc.returncode != 0:
            raise LabError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
        return proc

    @contextlib.contextmanager
    def inside(self) -> Iterator[DnsLab]:
        """Switch the calling thread into the lab namespace for the ``with`` block (nested use is fine)."""
        if self._ns_fd < 0:
            raise LabError("the lab is not running")
        if _netns_inode() == self._ns_inode:
            yield self
            return
        back = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.setns(self._ns_fd, os.CLONE_NEWNET)
            try:
                yield self
            finally:
                os.setns(back, os.CLONE_NEWNET)
        finally:
            os.close(back)

    @property
    def host_netns_inode(self) -> int:
        """Inode of the namespace the lab was started from (the host's, in the fixtures)."""
        return self._host_inode

    def is_inside(self) -> bool:
        """Whether the calling thread is in the lab namespace."""
        return self._ns_fd >= 0 and _netns_inode() == self._ns_inode

    def process_in_lab(self, pid: int) -> bool:
        """Whether process ``pid`` lives in the lab namespace (used to prove no server runs outside)."""
        try:
            return _netns_inode(f"/proc/{pid}/ns/net") == self._ns_inode
        except FileNotFoundError:
            return False

    # ---- TLS for DoH ----

    def _make_tls(self) -> None:
        tls = self.workdir / "tls"
        tls.mkdir()
        openssl = self._bins["openssl"]
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"]
        ca_ext = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
        ca_key = str(tls / "ca.key")
        ca_args = ["-keyout", ca_key, "-out", str(self.ca_pem), "-subj", "/CN=dnslab test CA", *ca_ext]
        subprocess.run([openssl, "req", "-x509", *ec, *ca_args], check=True, capture_output=True)
        leaf_ext = [
            *("-addext", f"subjectAltName=IP:{ADDR.doh_old},IP:{ADDR.doh_new}"),
            *("-addext", "basicConstraints=critical,CA:FALSE"),
            *("-addext", "extendedKeyUsage=serverAuth"),
            *("-addext", "keyUsage=critical,digitalSignature"),
        ]
        leaf_args = ["-keyout", str(tls / "doh.key"), "-out", str(tls / "doh.pem"), "-subj", f"/CN={ADDR.doh_old}"]
        signer = ["-CA", str(self.ca_pem), "-CAkey", ca_key]
        subprocess.run([openssl, "req", "-x509", *ec, *leaf_args, *signer, *leaf_ext], check=True, capture_output=True)
        spki = subprocess.run(
            [openssl, "pkey", "-in", str(tls / "doh.key"), "-pubout", "-outform", "DER"],
            check=True,
            capture_output=True,
        ).stdout
        self.cert_spki_sha256 = base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")

    # ---- servers ----

    def _spawn(self, name: str, argv: Sequence[str]) -> None:
        log = self.workdir / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                self.command(argv, pdeathsig=True), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )
        self._procs.append(_Proc(name, popen, log))

    def _role_dir(self, role: str) -> Path:
        return self.workdir / role

    def _write_knot(self, role: str) -> None:
        """Write the config and zone files of one Knot server from the current domain data."""
        d = self._role_dir(role)
        (d / "db").mkdir(parents=True, exist_ok=True)
        self._serial += 1
        zones: list[str] = []
        if role == "servfail":
            listen: Sequence[str] = (ADDR.servfail,)
            for tld in _TLDS:
                (d / f"{tld}.zone").write_text("this is not a zone file {\n")
                zones.append(tld)
        elif role == "parent":
            listen = (ADDR.parent,)
            delegations = {name: dom.delegation for name, dom in self.domains.items()}
            for tld in _TLDS:
                (d / f"{tld}.zone").write_text(_parent_zone(tld, delegations, self._serial))
                zones.append(tld)
        else:
            listen = ADDR.old_auth if role == "old" else ADDR.new_auth
            for name, dom in self.domains.items():
                state = dom.old if role == "old" else dom.new
                if state is None:
                    continue
                zones.append(name)
                text = "this is not a zone file {\n" if state is BROKEN else None
                if isinstance(state, Records):
                    text = _child_zone(name, state, self._serial)
                assert text is not None
                (d / f"{name}.zone").write_text(text)
        (d / "knot.conf").write_text(_knot_conf(d, listen, zones))

    def _knotc(self, role: str, *args: str) -> None:
        d = self._role_dir(role)
        self.run([self._bins["knotc"], "-c", str(d / "knot.conf"), "-s", str(d / "knot.sock"), *args])

    def unbound_control(self, resolver: str, *args: str) -> str:
        """Send one ``unbound-control`` command (e.g. ``"flush_zone", "customer.test"``) to a lab resolver.

        Speaks the control protocol on the resolver's Unix socket directly ("UBCT1 <command>\\n", read to
        EOF): the same bytes unbound-control sends, without a subprocess per command. LabError unless "ok".
        """
        path = self._role_dir(f"unbound-{resolver}") / "unbound.ctl"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5.0)
            sock.connect(str(path))
            sock.sendall(("UBCT1 " + " ".join(args) + "\n").encode())
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        answer = b"".join(chunks).decode(errors="replace")
        if not answer.startswith("ok"):
            raise LabError(f"unbound-control {' '.join(args)} on {resolver}: {answer.strip()}")
        return answer

    def _start_all(self) -> None:
        for role in ("parent", "old", "new", "servfail"):
            self._write_knot(role)
            self._spawn(f"knot-{role}", [self._bins["knotd"], "-c", str(self._role_dir(role) / "knot.conf")])
        for resolver in ADDR.resolvers:
            d = self._role_dir(f"unbound-{resolver}")
            d.mkdir()
            # A dead stub address makes Unbound retry for seconds; a server answering SERVFAIL fails at once.
            stub = ADDR.servfail if resolver == ADDR.resolver_servfail else ADDR.parent
            (d / "unbound.conf").write_text(_unbound_conf(d, resolver, stub))
            self._spawn(f"unbound-{resolver}", [self._bins["unbound"], "-d", "-p", "-c", str(d / "unbound.conf")])
        d = self._role_dir("dnsdist")
        d.mkdir()
        (d / "dnsdist.conf").write_text(
            _dnsdist_conf(self.workdir / "tls" / "doh.pem", self.workdir / "tls" / "doh.key")
        )
        self._spawn(
            "dnsdist", [self._bins["dnsdist"], "--supervised", "--disable-syslog", "-C", str(d / "dnsdist.conf")]
        )
        with self.inside():
            # Sockets that accept packets/connections and never answer: a real timeout, not a quick ICMP error.
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind((ADDR.silent, 53))
            self._silent.append(udp)
            for port in (53, 80, 443):
                tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                tcp.bind((ADDR.silent, port))
                tcp.listen(64)
                self._silent.append(tcp)

    def _check_alive(self) -> None:
        for proc in self._procs:
            if proc.popen.poll() is not None:
                raise LabError(f"{proc.name} exited with {proc.popen.returncode}:\n{proc.log.read_text()[-3000:]}")

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        probes: list[tuple[str, str]] = [(ADDR.parent, f"{tld}.") for tld in _TLDS]
        for name, dom in self.domains.items():
            if isinstance(dom.old, Records):
                probes += [(a, name) for a in ADDR.old_auth]
            if isinstance(dom.new, Records):
                probes += [(a, name) for a in ADDR.new_auth]
        # Any answer from a resolver means it is up ("." is refused locally, without iterating).
        probes += [(r, ".") for r in ADDR.resolvers]
        pending = list(probes)
        with self.inside():
            while pending:
                self._check_alive()
                for probe in list(pending):
                    server, zone = probe
                    # TCP: a server not yet listening refuses at once, where UDP would wait for the timeout.
                    with contextlib.suppress(dns.exception.Timeout, OSError, EOFError):
                        reply = self.query(server, zone, "SOA", timeout=0.5, tcp=True)
                        if server in ADDR.resolvers or reply.rcode() == dns.rcode.NOERROR:
                            pending.remove(probe)
                if pending and time.monotonic() > deadline:
                    raise LabError(f"not ready after {timeout}s: {pending}; logs in {self.workdir}")
                if pending:
                    time.sleep(0.005)
            while True:
                self._check_alive()
                with contextlib.suppress(OSError):
                    doh_probe = dns.message.make_query(".", "SOA")
                    if self.doh_get(self.doh_urls["new_http"], doh_probe, timeout=0.5).status == 200:
                        break
                if time.monotonic() > deadline:
                    raise LabError(f"dnsdist not ready after {timeout}s")
                time.sleep(0.005)
        for proc in self._procs:
            if not self.process_in_lab(proc.popen.pid):
                raise LabError(f"{proc.name} (pid {proc.popen.pid}) is not in the lab namespace")

    # ---- clients (they enter the namespace themselves, so they work from any thread) ----

    def query(
        self,
        server: str,
        name: str,
        rdtype: str | dns.rdatatype.RdataType,
        *,
        port: int = 53,
        timeout: float = 2.0,
        tcp: bool = False,
        recursion: bool = True,
    ) -> dns.message.Message:
        """Send one query to ``server`` inside the lab and return the reply (dns.exception.Timeout on silence)."""
        msg = dns.message.make_query(idna_name(name) + "." if name != "." else ".", rdtype)
        if not recursion:
            msg.flags &= ~dns.flags.RD
        with self.inside():
            if tcp:
                return dns.query.tcp(msg, server, timeout=timeout, port=port)
            return dns.query.udp(msg, server, timeout=timeout, port=port, ignore_unexpected=True)

    def doh_get(self, url: str, query: dns.message.Message, *, timeout: float = 2.0) -> DohResponse:
        """RFC 8484 GET (``?dns=`` base64url, no padding) with only ``Accept: application/dns-message``."""
        scheme, rest = url.split("://", 1)
        host, _, path = rest.partition("/")
        b64 = base64.urlsafe_b64encode(query.to_wire()).rstrip(b"=").decode("ascii")
        conn: http.client.HTTPConnection
        with self.inside():
            if scheme == "https":
                ctx = ssl.create_default_context(cafile=str(self.ca_pem))
                conn = http.client.HTTPSConnection(host, timeout=timeout, context=ctx)
            else:
                conn = http.client.HTTPConnection(host, timeout=timeout)
            try:
                conn.request("GET", f"/{path}?dns={b64}", headers={"Accept": "application/dns-message"})
                resp = conn.getresponse()
                body = resp.read()
                headers = {k.lower(): v for k, v in resp.getheaders()}
            finally:
                conn.close()
        message = dns.message.from_wire(body) if resp.status == 200 else None
        return DohResponse(resp.status, headers, message)

    # ---- changing the world ----

    def set_delegation(self, domain: str, ns: Sequence[str]) -> None:
        """Make the parent zone list ``ns`` as the domain's nameservers (any host names under the lab TLDs)."""
        key = idna_name(domain)
        self.domains[key] = replace(self.domains[key], delegation=tuple(ns))
        self._write_knot("parent")
        for tld in _TLDS:
            self._knotc("parent", "-b", "zone-reload", f"{tld}.")
        self._dirty_roles.add("parent")

    def switch_delegation(self, domain: str, to: Literal["new", "old"] = "new") -> None:
        """Change the delegation, the way a registrar does, and model propagation.

        The "old" resolver first caches the domain as it is now (it keeps that for the TTLs: 1 day for the
        delegation, 1 hour for records); the "new" resolver is flushed so it follows the new delegation at once.
        ``flush()`` afterwards makes the old resolver catch up.
        """
        self.prime(ADDR.resolver_old, domain)
        self.set_delegation(domain, NEW_NS if to == "new" else OLD_NS)
        self.flush(ADDR.resolver_new, domain)

    def prime(self, resolver: str, domain: str) -> None:
        """Ask ``resolver`` for the domain's usual records so that it caches them (and its delegation)."""
        for owner in (domain, f"www.{idna_name(domain)}"):
            for rdtype in ("NS", "SOA", "A", "AAAA", "MX", "TXT"):
                self.query(resolver, owner, rdtype, timeout=2.0)

    def flush(self, resolver: str | None = None, domain: str | None = None) -> None:
        """Empty a resolver's cache (all resolvers when ``resolver`` is None), for one domain or everything."""
        for target in (resolver,) if resolver else ADDR.resolvers:
            self.unbound_control(target, "flush_zone", idna_name(domain) if domain else ".")
            self.unbound_control(target, "flush_infra", "all")
            self.unbound_control(target, "flush_requestlist")

    def set_zone(self, role: Literal["old", "new"], domain: str, state: ZoneState) -> None:
        """Change what a provider's server holds for ``domain``: records, BROKEN (SERVFAIL) or None (REFUSED)."""
        key = idna_name(domain)
        dom = self.domains[key]
        self.domains[key] = replace(dom, old=state) if role == "old" else replace(dom, new=state)
        self._apply_zone_change(role, key, state)
        self._dirty_roles.add(role)

    def _apply_zone_change(self, role: str, key: str, state: ZoneState) -> None:
        self._write_knot(role)
        # "reload" re-reads knot.conf (zones added or removed) and changed zone files.
        self._knotc(role, "-b", "reload")
        server = ADDR.old_auth[0] if role == "old" else ADDR.new_auth[0]
        if isinstance(state, Records):
            self._knotc(role, "-b", "zone-reload", f"{key}.")
            want = dns.rcode.NOERROR
        elif state is BROKEN:
            # A loaded zone survives a failed reload; expiring it makes the server answer SERVFAIL, as at start.
            self._knotc(role, "-b", "-f", "zone-purge", f"{key}.", "+expire")
            want = dns.rcode.SERVFAIL
        else:
            want = dns.rcode.REFUSED
        deadline = time.monotonic() + 5.0
        while True:
            reply = self.query(server, key, "SOA", recursion=False, timeout=0.5)
            if reply.rcode() == want and (want != dns.rcode.NOERROR or self._serial_of(reply) == self._serial):
                return
            if time.monotonic() > deadline:
                raise LabError(f"{role} server did not pick up {key}: rcode {dns.rcode.to_text(reply.rcode())}")
            time.sleep(0.01)

    @staticmethod
    def _serial_of(reply: dns.message.Message) -> int:
        for rrset in reply.answer:
            if rrset.rdtype == dns.rdatatype.SOA:
                return int(rrset[0].serial)
        return -1

    def reset(self) -> None:
        """Back to the initial data (delegations and zones) with every resolver cache empty."""
        changed = [k for k in self.domains if self.domains[k] != self._initial[k]]
        self.domains = dict(self._initial)
        if "parent" in self._dirty_roles:
            self._write_knot("parent")
            for tld in _TLDS:
                self._knotc("parent", "-b", "zone-reload", f"{tld}.")
        for role in ("old", "new"):
            if role in self._dirty_roles:
                for key in changed:
                    dom = self.domains[key]
                    self._apply_zone_change(role, key, dom.old if role == "old" else dom.new)
        self._dirty_roles.clear()
        self.flush()
