"""The staff CLI's DNS transport: ask real servers over UDP/TCP and hand the answers to :mod:`.evaluate`.

This is the only module next to the core that does network I/O, and it is **CPython-only**: raw sockets
(``dns.query``) and threads do not exist in the browser, where the DoH page does the asking instead. The module still
imports in Pyodide (``dns.query`` and the thread pool are imported only when a query is actually sent), so the pure
parts — parsing ``ADDR[:PORT]``, finding the delegation in a referral, the exit-code policy — are tested there too.

What :func:`run_check` asks, in parallel with a per-query timeout:

(a) the parent zone's servers (``--parent``, or found through the first resolver) for the delegation;
(b) each resolver, with recursion, for each record type;
(c) without recursion, for the SOA and each record type: every address of every name server the delegation lists,
    of the new provider's name servers (the expected NS) and of the old ones (``--old-ns``, else the delegation the
    parent or a resolver shows that is not the new one). Addresses come from the referral's glue, else the resolvers.

The new servers' answers are the new values (unless given), the old servers' answers the old ones: no example value
is ever an expectation. New servers that do not serve the zone (no answer, REFUSED, NXDOMAIN, the SOA of another
zone) mean that the new zone is not set up yet: status ``new_zone_missing``, exit 2, and no record is judged.

Network safety: tests and the lab pass ``loopback_only=True`` (the CLI's ``--loopback-only``, or the environment
variable :data:`LOOPBACK_ONLY_ENV`): then no packet is sent to an address outside 127.0.0.0/8 and ::1, whatever a
server answered — such a target is reported as an error instead.
"""

from __future__ import annotations

import ipaddress
import secrets
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import dns.flags
import dns.message
import dns.name
import dns.rdatatype

from ..errors import ChecklistError
from ..text import Text
from .evaluate import (
    RECORD_TYPES,
    TIMEOUT,
    Expected,
    Observation,
    RecordType,
    Report,
    Source,
    authoritative_values,
    build_query,
    evaluate,
    provider_nameservers,
    sample_nameservers,
    zone_problem,
)
from .evaluate import REFUSED_CONNECTION as _REFUSED_CONNECTION
from .evaluate import normalize_domain as _normalize_domain

__all__ = [
    "DEFAULT_RESOLVERS",
    "DEFAULT_TIMEOUT",
    "LOOPBACK_ONLY_ENV",
    "MAX_TIMEOUT",
    "CheckResult",
    "OldSource",
    "Outcome",
    "Server",
    "SourceServer",
    "Status",
    "Transport",
    "delegation_from",
    "outcome",
    "parse_server",
    "run_check",
    "udp_transport",
]

DEFAULT_TIMEOUT = 3.0
MAX_TIMEOUT = 60.0
LOOPBACK_ONLY_ENV = "NETCOM_DNSCHECK_LOOPBACK_ONLY"
# Enough threads for every query of a typical check at once (4 types x (2 parents + 4 NS addresses + 3 resolvers)).
_WORKERS = 32
# A TLD lists up to 13 name servers; asking a few of them is enough to see the delegation.
_MAX_PARENT_SERVERS = 4

Status = Literal["switched", "propagating", "differs", "not_switched", "new_zone_missing", "unknown"]
# Where an old value came from: given (--old-*), what the old provider's servers answer, or (NS) the delegation the
# parent or a resolver still shows that is not the new one.
OldSource = Literal["given", "old_authoritative", "delegation"]
# The record types checked when --type is not given (TXT too when --expect-txt is).
_DEFAULT_TYPES: tuple[RecordType, ...] = ("NS", "A", "AAAA", "MX")


@dataclass(frozen=True, slots=True)
class Server:
    """A DNS server to ask: an IP address, a port and, for people, a name (``""`` when none is known)."""

    address: str
    port: int = 53
    name: str = ""

    @property
    def label(self) -> str:
        """How the server is shown in tables and JSON: ``name (address)`` or ``address[:port]``."""
        where = self.address if ":" not in self.address else f"[{self.address}]"
        where = where if self.port == 53 else f"{where}:{self.port}"
        if not self.name:
            return self.address if self.port == 53 else where
        return f"{self.name} ({self.address if self.port == 53 else where})"

    @property
    def is_loopback(self) -> bool:
        """True for 127.0.0.0/8 and ::1: the only addresses the lab and the tests may reach."""
        try:
            return ipaddress.ip_address(self.address).is_loopback
        except ValueError:
            return False

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"address": self.address, "port": self.port, "name": self.name, "label": self.label}


# Public resolvers that answer plain DNS on port 53 from anywhere. IIJ Public DNS (public.dns.iij.jp) answers only
# DNS over HTTPS/TLS and OCN's resolvers serve OCN customers only, so no Japanese ISP resolver can be listed here.
# Never used by the tests: they always pass loopback resolvers.
DEFAULT_RESOLVERS: tuple[Server, ...] = (
    Server("8.8.8.8", 53, "Google Public DNS"),
    Server("1.1.1.1", 53, "Cloudflare"),
    Server("9.9.9.9", 53, "Quad9"),
)


def parse_server(text: str, *, field: str = "resolver", name: str = "") -> Server:
    """``ADDR``, ``ADDR:PORT``, ``[IPv6]`` or ``[IPv6]:PORT`` → :class:`Server`.

    Only IP addresses: a host name would have to be looked up through the system resolver first.
    Raises ``ChecklistError(field)``.
    """
    error = ChecklistError(
        field,
        f"サーバは IP アドレス[:ポート] で指定してください（例: 192.0.2.53、192.0.2.53:5353、[2001:db8::53]:53）: "
        f"{text!r}",
        f"Give the server as an IP address with an optional port (e.g. 192.0.2.53, 192.0.2.53:5353, "
        f"[2001:db8::53]:53): {text!r}",
    )
    if not isinstance(text, str):
        raise error
    s = text.strip()
    port_text = ""
    if s.startswith("["):
        host, sep, rest = s[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise error
        port_text = rest[1:] if rest else ""
    elif s.count(":") == 1:
        host, _, port_text = s.partition(":")
    else:
        host = s  # IPv4, or IPv6 without brackets (and so without a port)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise error from None
    port = 53
    if port_text or s.endswith(":"):
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise error
        port = int(port_text)
    return Server(str(address), port, name)


# ----- the transport (CPython only) -----

# A transport sends one query to one server and returns what the core's classify() takes: the response, or
# TIMEOUT / REFUSED_CONNECTION / any other failure in words. It never raises.
Transport = Callable[[Server, dns.message.Message, float], Observation]

_BLOCKED = "blocked: only loopback addresses may be asked (--loopback-only) / ループバック以外への問い合わせは禁止"
_NO_ADDRESS = "address unknown (A/AAAA lookup failed)"


def udp_transport(server: Server, query: dns.message.Message, timeout: float) -> Observation:
    """Send ``query`` over UDP (over TCP again when the answer is truncated), within ``timeout`` seconds per try.

    CPython only: raw sockets. Imported lazily, so that this module loads in Pyodide.
    """
    import dns.exception
    import dns.query

    try:
        response, _tcp = dns.query.udp_with_fallback(query, server.address, timeout=timeout, port=server.port)
    except dns.exception.Timeout:
        return TIMEOUT
    except ConnectionRefusedError:
        return _REFUSED_CONNECTION
    # Anything else (network unreachable, a reply from the wrong address, a malformed reply, ...) is reported in words;
    # the CLI must never show a traceback for what a server did.
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return response


# ----- running the check -----


@dataclass(frozen=True, slots=True)
class SourceServer:
    """A name server asked for the new or the old values, and whether it serves the domain's zone."""

    server: Server
    side: Literal["new", "old"]
    problem: Text | None  # None: it serves the zone; else why not, in words

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        problem = None if self.problem is None else {"ja": self.problem.ja, "en": self.problem.en}
        return {**self.server.to_dict(), "serves_zone": self.problem is None, "problem": problem}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Everything one check asked and found: the core's report plus the servers involved."""

    report: Report
    parents: tuple[Server, ...]
    delegation: tuple[str, ...]  # NS host names the parent lists (empty: no referral seen)
    authoritative: tuple[Server, ...]
    resolvers: tuple[Server, ...]
    types: tuple[RecordType, ...]
    notes: tuple[Text, ...] = field(default=())
    new_servers: tuple[SourceServer, ...] = field(default=())
    old_servers: tuple[SourceServer, ...] = field(default=())
    old_sources: dict[RecordType, OldSource] = field(default_factory=dict)

    @property
    def new_zone_missing(self) -> bool:
        """True when no new name server serves the zone (or none could be asked): nothing can be judged."""
        return not any(s.problem is None for s in self.new_servers)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        result = outcome(self)
        return {
            **self.report.to_dict(),
            "status": result.status,
            "exit_code": result.exit_code,
            "confirmed_everywhere": result.confirmed_everywhere,
            "headline": {"ja": result.headline.ja, "en": result.headline.en},
            "advice": {"ja": result.advice.ja, "en": result.advice.en},
            "old_source": {t: self.old_sources[t] for t in RECORD_TYPES if t in self.old_sources},
            "new_zone": "missing" if self.new_zone_missing else "served",
            "new_servers": [s.to_dict() for s in self.new_servers],
            "old_servers": [s.to_dict() for s in self.old_servers],
            "types": list(self.types),
            "parents": [s.to_dict() for s in self.parents],
            "delegation": list(self.delegation),
            "authoritative": [s.to_dict() for s in self.authoritative],
            "resolvers": [s.to_dict() for s in self.resolvers],
            "notes": [{"ja": n.ja, "en": n.en} for n in self.notes],
        }


_NOTE_NO_PARENT = Text(
    "親ゾーンのサーバが見つからないため、委任（NS）を確認できませんでした（--parent で指定できます）。",
    "The parent zone's servers could not be found, so the delegation (NS) was not checked (use --parent).",
)
_NOTE_NO_DELEGATION = Text(
    "親ゾーンのサーバから委任（NS の紹介）が得られなかったため、権威サーバには問い合わせていません。",
    "The parent zone's servers gave no delegation (no NS referral), so no authoritative server was asked.",
)

_NOTE_UNRESOLVED = Text(
    "ネームサーバ {host} のアドレスを、リゾルバからも親ゾーンからも得られませんでした。",
    "The address of the name server {host} could not be found through the resolvers or the parent zone.",
)


def _parallel[T, R](fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[fn(x) for x in items]``, in threads when there are any (Pyodide has none: there it runs in turn)."""
    if workers <= 1 or len(items) <= 1 or sys.platform == "emscripten":
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(fn, items))


def _query(domain: str, rdtype: str, *, recursive: bool) -> dns.message.Message:
    # A random id, unlike the DoH default of 0: over UDP it is part of what makes a spoofed answer unlikely.
    query = build_query(domain, rdtype, id=secrets.randbelow(0x10000))
    if not recursive:
        query.flags &= ~dns.flags.RD
    return query


def _validate_timeout(timeout: float) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= MAX_TIMEOUT:
        raise ChecklistError(
            "timeout",
            f"タイムアウトは 0 より大きく {MAX_TIMEOUT:g} 秒以下で指定してください。",
            f"The timeout must be more than 0 and at most {MAX_TIMEOUT:g} seconds.",
        )
    return float(timeout)


def _types(types: Iterable[str] | None, expected: Expected) -> tuple[RecordType, ...]:
    if types is None:
        return (*_DEFAULT_TYPES, "TXT") if expected.txt else _DEFAULT_TYPES
    chosen: list[RecordType] = []
    for t in types:
        upper = t.upper() if isinstance(t, str) else ""
        if upper not in RECORD_TYPES:
            raise ChecklistError(
                "type",
                f"レコード種別は {' / '.join(RECORD_TYPES)} のいずれかを指定してください: {t!r}",
                f"The record type must be one of {', '.join(RECORD_TYPES)}: {t!r}",
            )
        kind: RecordType = upper
        if kind not in chosen:
            chosen.append(kind)
    if not chosen:
        raise ChecklistError("type", "確認するレコード種別がありません。", "There is no record type to check.")
    return tuple(chosen)


def _addresses(message: Observation, rdtype: int) -> list[str]:
    """A/AAAA addresses in a response's answer section (nothing for a failure)."""
    if not isinstance(message, dns.message.Message):
        return []
    return [rd.address for rrset in message.answer if rrset.rdtype == rdtype for rd in rrset]


def delegation_from(domain: str, message: Observation) -> tuple[tuple[str, ...], dict[str, list[str]]]:
    """The NS host names a parent's response lists for ``domain`` and the glue addresses it carries.

    The referral's NS records sit in the authority section (or in the answer section when the server is also
    authoritative for the domain); glue sits in the additional section.
    """
    if not isinstance(message, dns.message.Message):
        return (), {}
    qname = dns.name.from_text(_normalize_domain(domain))
    names: list[str] = []
    for section in (message.answer, message.authority):
        for rrset in section:
            if rrset.rdtype == dns.rdatatype.NS and rrset.name == qname:
                for rd in rrset:
                    host = rd.target.to_text(omit_final_dot=True).lower()
                    if host not in names:
                        names.append(host)
    glue: dict[str, list[str]] = {}
    for rrset in message.additional:
        host = rrset.name.to_text(omit_final_dot=True).lower()
        if host in names and rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            glue.setdefault(host, []).extend(rd.address for rd in rrset)
    return tuple(names), glue


def _guarded(transport: Transport, loopback_only: bool) -> Transport:
    def send(server: Server, query: dns.message.Message, timeout: float) -> Observation:
        if loopback_only and not server.is_loopback:
            return _BLOCKED
        return transport(server, query, timeout)

    return send


def _find_parents(
    domain: str, resolver: Server, send: Transport, timeout: float, ipv6: bool, workers: int
) -> tuple[Server, ...]:
    """The parent zone's servers, asked of ``resolver``: the closest enclosing zone that has NS records."""
    labels = domain.split(".")
    for i in range(1, len(labels)):
        zone = ".".join(labels[i:])
        reply = send(resolver, _query_zone(zone, "NS"), timeout)
        if not isinstance(reply, dns.message.Message):
            return ()  # the resolver did not answer: asking it for the next zone up would not either
        zname = dns.name.from_text(zone + ".")
        hosts = [
            rd.target.to_text(omit_final_dot=True)
            for rrset in reply.answer
            if rrset.rdtype == dns.rdatatype.NS and rrset.name == zname
            for rd in rrset
        ][:_MAX_PARENT_SERVERS]
        if hosts:
            return tuple(_resolve_hosts(hosts, (resolver,), send, timeout, ipv6, workers).items_as_servers())
    return ()


def _query_zone(zone: str, rdtype: str, *, recursive: bool = True) -> dns.message.Message:
    """A query for a zone or host name that need not be a registrable domain (a TLD such as ``jp``)."""
    query = dns.message.make_query(dns.name.from_text(zone + "."), rdtype, id=secrets.randbelow(0x10000), use_edns=0)
    if not recursive:
        query.flags &= ~dns.flags.RD
    return query


@dataclass(frozen=True, slots=True)
class _Resolved:
    order: tuple[str, ...]
    addresses: dict[str, list[str]]

    def items_as_servers(self) -> list[Server]:
        return [Server(a, 53, host) for host in self.order for a in self.addresses.get(host, [])]


def _resolve_hosts(
    hosts: Sequence[str],
    resolvers: Sequence[Server],
    send: Transport,
    timeout: float,
    ipv6: bool,
    workers: int,
    *,
    recursive: bool = True,
) -> _Resolved:
    """Addresses of ``hosts``, each from the first server (in the given order) that knows any."""
    kinds = ("A", "AAAA") if ipv6 else ("A",)
    jobs = [(h, r, k) for h in hosts for r in resolvers for k in kinds]

    def ask(job: tuple[str, Server, str]) -> list[str]:
        host, resolver, kind = job
        reply = send(resolver, _query_zone(host, kind, recursive=recursive), timeout)
        return _addresses(reply, dns.rdatatype.from_text(kind))

    answers = dict(zip(jobs, _parallel(ask, jobs, workers), strict=True))
    found: dict[str, list[str]] = {}
    for host in hosts:
        for resolver in resolvers:
            addresses = [a for k in kinds for a in answers[(host, resolver, k)]]
            if addresses:
                found[host] = list(dict.fromkeys(addresses))
                break
    return _Resolved(tuple(hosts), found)


_NOTE_NEW_UNREADABLE = Text(
    "新しいネームサーバから {kind} の値を得られなかったため、{kind} は判定していません。",
    "No {kind} values could be read from the new name servers, so {kind} was not judged.",
)
_NOTE_NEW_NONE = Text(
    "新しいゾーンに {kind} レコードがないため、{kind} は判定していません。",
    "The new zone has no {kind} records, so {kind} was not judged.",
)
_NOTE_NEW_DIFFER = Text(
    "新しいネームサーバ同士で {kind} の値が異なります（どれも新しい値として判定しました）。",
    "The new name servers disagree on {kind} (every one of their values counts as new).",
)
_NO_NEW_NS = Text(
    "新しいネームサーバを --expect-ns で指定してください（1 台ずつ繰り返します。例: --expect-ns ns1.example.jp "
    "--expect-ns ns2.example.jp）。",
    "Give the new name servers with --expect-ns, once per server (e.g. --expect-ns ns1.example.jp --expect-ns "
    "ns2.example.jp).",
)
_NO_NEW_NS_SAMPLE = Text(
    "provider.toml の nameservers（{names}）はサンプル値のため、期待値には使いません。",
    "The nameservers in provider.toml ({names}) are sample values, never used as the expectation.",
)
_NOTE_NO_OLD = Text(
    "旧ネームサーバが分からないため、旧の値は不明です（--old-ns で指定できます）。"
    "新しい値でない応答は「不一致」になります。",
    "The old name servers are not known, so the old values are unknown (use --old-ns): an answer that is not new "
    "is shown as “other”.",
)


def _fmt_note(template: Text, **values: str) -> Text:
    return Text(template.ja.format(**values), template.en.format(**values))


def _plain_ns(domain: str, reply: Observation) -> list[str]:
    """NS host names in a resolver's NOERROR answer (nothing for a failure)."""
    if not isinstance(reply, dns.message.Message) or reply.rcode() != 0:
        return []
    qname = dns.name.from_text(domain + ".")
    return [
        rd.target.to_text(omit_final_dot=True).lower()
        for rrset in reply.answer
        if rrset.rdtype == dns.rdatatype.NS and rrset.name == qname
        for rd in rrset
    ]


def run_check(
    domain: str,
    *,
    resolvers: Sequence[Server] = DEFAULT_RESOLVERS,
    parents: Sequence[Server] | None = None,
    expected: Expected | None = None,
    old: Expected | None = None,
    types: Iterable[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    transport: Transport | None = None,
    loopback_only: bool = False,
    ipv6: bool = True,
    workers: int = _WORKERS,
) -> CheckResult:
    """Ask the parent, the delegated, new and old name servers and the resolvers about ``domain``; judge the answers.

    ``expected`` holds the new values that were given (NS defaults to the provider's name servers once they are real
    values, see :func:`~checklist_app.dnscheck.evaluate.provider_nameservers`; without any NS it raises
    ``ChecklistError("expect_ns")`` naming ``--expect-ns`` and nothing is sent; every other type left empty is learnt
    from the new name servers); ``old`` the old values that were given (``old.ns``: the old
    name servers to ask). ``parents=None`` finds the parent zone's servers through the first resolver. ``types``
    defaults to NS, A, AAAA, MX (and TXT when a TXT value is given). ``transport`` defaults to
    :func:`udp_transport` (CPython only). Raises :class:`ChecklistError` for bad input; everything a server does is
    reported in the result.
    """
    ascii_domain = _normalize_domain(domain)
    given = expected if expected is not None else Expected()
    if not given.ns:
        # Never judge against an example: while provider.toml holds sample name servers, they must be given.
        problem = _NO_NEW_NS
        if samples := sample_nameservers():
            note = _fmt_note(_NO_NEW_NS_SAMPLE, names=", ".join(samples))
            problem = Text(problem.ja + note.ja, f"{problem.en} {note.en}")
        raise ChecklistError("expect_ns", problem.ja, problem.en)
    given_old = old if old is not None else Expected(ns=())
    kinds = _types(types, given)
    wait = _validate_timeout(timeout)
    resolver_list = tuple(resolvers)
    if not resolver_list:
        raise ChecklistError("resolver", "リゾルバを 1 つ以上指定してください。", "Give at least one resolver.")
    send = _guarded(transport if transport is not None else udp_transport, loopback_only)
    notes: list[Text] = []

    parent_list = (
        tuple(parents)
        if parents is not None
        else _find_parents(ascii_domain, resolver_list[0], send, wait, ipv6, workers)
    )
    if not parent_list:
        notes.append(_NOTE_NO_PARENT)

    # Phase 1: the parents' referrals and every resolver question at once.
    first: list[tuple[str, Server, str]] = [("parent", p, "NS") for p in parent_list]
    first += [("resolver", r, k) for r in resolver_list for k in kinds]

    def ask(job: tuple[str, Server, str]) -> Observation:
        role, server, kind = job
        if kind == "SOA":
            return send(server, _query_zone(ascii_domain, "SOA", recursive=False), wait)
        return send(server, _query(ascii_domain, kind, recursive=role == "resolver"), wait)

    first_answers = _parallel(ask, first, workers)

    # The delegation: NS names from every referral, glue where given, otherwise addresses from the resolvers.
    names: list[str] = []
    glue: dict[str, list[str]] = {}
    shown_ns: list[str] = []  # every NS name the parent or a resolver shows
    for (role, _server, kind), reply in zip(first, first_answers, strict=True):
        if role == "parent":
            found, extra = delegation_from(ascii_domain, reply)
            names += [n for n in found if n not in names]
            for host, addresses in extra.items():
                glue.setdefault(host, []).extend(a for a in addresses if a not in glue.get(host, []))
        elif kind == "NS":
            shown_ns += [n for n in _plain_ns(ascii_domain, reply) if n not in shown_ns]
    if parent_list and not names:
        notes.append(_NOTE_NO_DELEGATION)
    if not ipv6:
        glue = {h: [a for a in addrs if ":" not in a] for h, addrs in glue.items()}

    # New name servers: the expected NS. Old ones: given, else whatever is shown that is not new.
    new_hosts = list(given.ns)
    old_source: OldSource = "given" if given_old.ns else "delegation"
    old_hosts = list(given_old.ns) or list(dict.fromkeys(n for n in [*names, *shown_ns] if n not in new_hosts))
    hosts = list(dict.fromkeys([*names, *new_hosts, *old_hosts]))
    missing = [n for n in hosts if not glue.get(n)]
    located = _resolve_hosts(missing, resolver_list, send, wait, ipv6, workers).addresses if missing else {}
    still = [n for n in missing if n not in located]
    if still and parent_list:
        # The parents may be authoritative for the name servers' own zone (glue-less but in their data).
        located |= _resolve_hosts(still, parent_list, send, wait, ipv6, workers, recursive=False).addresses

    def servers_of(host: str) -> list[Server]:
        return [Server(a, 53, host) for a in glue.get(host) or located.get(host, [])]

    unresolved = [h for h in hosts if not servers_of(h)]
    for host in unresolved:
        notes.append(Text(_NOTE_UNRESOLVED.ja.format(host=host), _NOTE_UNRESOLVED.en.format(host=host)))
    authoritative = [s for host in names for s in servers_of(host)]
    new_list = [s for host in new_hosts for s in servers_of(host)]
    old_list = [s for host in old_hosts for s in servers_of(host)]

    # Phase 2: every address of every name server involved, without recursion: the SOA and each record type.
    asked = list({s.label: s for s in [*authoritative, *new_list, *old_list]}.values())
    second = [("authoritative", s, k) for s in asked for k in ("SOA", *kinds)]
    second_answers = _parallel(ask, second, workers)
    direct: dict[str, dict[str, Observation]] = {}
    for (_role, server, kind), reply in zip(second, second_answers, strict=True):
        direct.setdefault(server.label, {})[kind] = reply

    new_side = tuple(SourceServer(s, "new", zone_problem(ascii_domain, direct[s.label]["SOA"])) for s in new_list)
    old_side = tuple(SourceServer(s, "old", zone_problem(ascii_domain, direct[s.label]["SOA"])) for s in old_list)
    serving_new = [s.server for s in new_side if s.problem is None]

    # The new values: given, else what the new servers that serve the zone answer. Without them nothing but NS.
    want = given
    sources: dict[RecordType, Source] = {"NS": "provider" if given.ns == provider_nameservers() else "given"}
    judged: list[RecordType] = []
    for kind in kinds:
        if kind == "NS" or given.values(kind):
            sources.setdefault(kind, "given")
            judged.append(kind)
            continue
        if not serving_new:
            continue
        learnt = [authoritative_values(ascii_domain, kind, direct[s.label][kind]) for s in serving_new]
        usable = [v for v in learnt if v is not None]
        merged = list(dict.fromkeys(v for values in usable for v in values))
        if not usable:
            notes.append(_fmt_note(_NOTE_NEW_UNREADABLE, kind=kind))
        elif not merged:
            notes.append(_fmt_note(_NOTE_NEW_NONE, kind=kind))
        else:
            if len({frozenset(v) for v in usable}) > 1:
                notes.append(_fmt_note(_NOTE_NEW_DIFFER, kind=kind))
            want = want.with_values(kind, merged)
            sources[kind] = "new_authoritative"
            judged.append(kind)
    if not serving_new:
        judged = [k for k in judged if k == "NS"]

    # The old values: given, else what the old servers answer (authoritatively).
    before = given_old.with_values("NS", old_hosts)
    old_sources: dict[RecordType, OldSource] = {"NS": old_source} if old_hosts else {}
    for kind in judged:
        if kind == "NS":
            continue
        if given_old.values(kind):
            old_sources[kind] = "given"
            continue
        learnt = [authoritative_values(ascii_domain, kind, direct[s.label][kind]) for s in old_list]
        values = list(dict.fromkeys(v for found in learnt if found for v in found))
        if values:
            before = before.with_values(kind, values)
            old_sources[kind] = "old_authoritative"

    # The rows: the parents' referrals, the delegated servers and the resolvers, for each judged type.
    answers: dict[str, dict[str, Observation]] = {}
    roles: dict[str, str] = {}
    for (role, server, kind), reply in zip(first, first_answers, strict=True):
        if kind in judged:
            answers.setdefault(server.label, {})[kind] = reply
            roles[server.label] = role
    for server in authoritative:
        answers[server.label] = {k: direct[server.label][k] for k in judged}
        roles[server.label] = "authoritative"
    for host in names:
        if host in unresolved:
            label = f"{host} (?)"
            answers[label] = dict.fromkeys(judged, _NO_ADDRESS)
            roles[label] = "authoritative"
    # Table order: parent, authoritative, resolver.
    order = {"parent": 0, "authoritative": 1, "resolver": 2}
    ordered = dict(sorted(answers.items(), key=lambda item: order[roles[item[0]]]))
    report = evaluate(
        ascii_domain,
        ordered,
        expected=want,
        old=before,
        roles=roles,
        sources={k: v for k, v in sources.items() if k in judged},
    )
    if not old_hosts and any(r.code == "other" for r in report.results):
        notes.append(_NOTE_NO_OLD)
    return CheckResult(
        report=report,
        parents=parent_list,
        delegation=tuple(names),
        authoritative=tuple(authoritative),
        resolvers=resolver_list,
        types=tuple(judged),
        notes=tuple(notes),
        new_servers=new_side,
        old_servers=old_side,
        old_sources=old_sources,
    )


# ----- the overall outcome and exit code -----


@dataclass(frozen=True, slots=True)
class Outcome:
    """The CLI's answer: status, exit code, a one-line headline and what to do next."""

    status: Status
    exit_code: int
    confirmed_everywhere: bool
    headline: Text
    advice: Text


_HEADLINES: dict[Status, Text] = {
    "switched": Text("切替完了", "switched"),
    "propagating": Text("伝播中", "propagating"),
    "differs": Text("新しい値と不一致", "differs from the new values"),
    "not_switched": Text("未切替", "not switched"),
    "new_zone_missing": Text("新しいゾーンが未設定です", "the new zone is not set up"),
    "unknown": Text("判定できません", "cannot tell"),
}
_NOT_EVERYWHERE = Text(
    "（{n} 件は確認できませんでした）",
    "({n} checks could not be confirmed)",
)
_OTHERS = Text(
    "（{n} 件は新旧どちらの値とも一致しません）",
    "({n} checks match neither the new nor the old values)",
)
_ADVICE_NO_DATA = Text(
    "親ゾーンの委任は確認できましたが、権威サーバからもリゾルバからも判定できる応答がありません。"
    "委任先のサーバでゾーンが正しく設定されているか、弊社までご確認ください（表のエラーをご覧ください）。",
    "The parent's delegation was seen, but neither the authoritative servers nor the resolvers gave an answer that "
    "could be judged. Ask Net-com to check that the delegated servers serve the zone (see the errors in the table).",
)
_ADVICE_LAME = Text(
    "NS に登録されたサーバの一部がこのドメインに正しく応答していません（レイムデリゲーション）。",
    "A name server listed for the domain does not answer for it properly (lame delegation).",
)
_ADVICE_NEW_ZONE = Text(
    "新しいネームサーバ（{servers}）が、このドメインのゾーンをまだ返していません。新しい値が分からないため、"
    "レコードは判定していません。弊社でゾーン（DNS レコード）の設定が済んでから、もう一度確認してください。",
    "The new name servers ({servers}) do not serve this domain's zone yet. The new values are not known, so no "
    "record was judged. Check again once Net-com has set up the zone (the DNS records).",
)


def outcome(check: CheckResult) -> Outcome:
    """The exit-code policy.

    0 (切替完了): every server asked answered, and every answer is the new values.
    1: not switched (未切替), propagating (伝播中), differs (新しい値と不一致: new and 不一致 answers, none old), or
       switched where some server gave an error, no answer or a value
       that is neither new nor old (不一致) — "switched everywhere" cannot be claimed then.
    2: the new name servers do not serve the zone (``new_zone_missing``: nothing can be judged), or nothing could be
       judged (bad domain, NXDOMAIN, every server failing), including when only the parent's referral could be judged
       while the delegated servers and the resolvers all failed (lame or broken zone).
    """
    report = check.report
    lame = any(r.lame for r in report.results)
    if check.new_zone_missing:
        shown = [s.server.name or s.server.label for s in check.new_servers] or list(report.expected.ns)
        advice = _fmt_note(_ADVICE_NEW_ZONE, servers=", ".join(dict.fromkeys(shown)))
        if lame:
            advice = Text(_ADVICE_LAME.ja + advice.ja, f"{_ADVICE_LAME.en} {advice.en}")
        return Outcome("new_zone_missing", 2, False, _HEADLINES["new_zone_missing"], advice)
    problems = sum(r.code in ("error", "no_answer") for r in report.results)
    others = sum(r.code == "other" for r in report.results)
    data_judged = any(r.code in ("new", "old", "mixed") and r.role != "parent" for r in report.results)
    if report.verdict is None or not data_judged:
        advice = report.next_step if report.verdict is None else _ADVICE_NO_DATA
        if report.verdict is not None and lame:
            advice = Text(_ADVICE_LAME.ja + advice.ja, f"{_ADVICE_LAME.en} {advice.en}")
        return Outcome("unknown", 2, False, _HEADLINES["unknown"], advice)
    status: Status = report.verdict
    headline = _HEADLINES[status]
    for n, template in ((others, _OTHERS), (problems, _NOT_EVERYWHERE)):
        if n:
            note = _fmt_note(template, n=str(n))
            headline = Text(headline.ja + note.ja, f"{headline.en} {note.en}")
    everywhere = not problems and not others
    exit_code = 0 if status == "switched" and everywhere else 1
    return Outcome(status, exit_code, everywhere, headline, report.next_step)
