"""DNS switch-over evaluation: build queries, classify answers, give a verdict. No sockets here.

The transports live elsewhere (UDP/TCP in the staff CLI, DNS-over-HTTPS ``fetch`` in the browser); they send
the wire bytes :func:`make_query` builds and hand back what they got — a :class:`dns.message.Message`, the
response's wire bytes, or a transport failure string (:data:`TIMEOUT`, :data:`REFUSED_CONNECTION` or any other
message) — to :func:`evaluate`, which compares them with the new values and the old ones per server and record
type, and gives an overall verdict with what to do next.

Where "new" and "old" come from (never from the provider's example values):

* NS: new = the ones given, else the provider's name servers once ``provider.toml`` holds real ones
  (:func:`provider_nameservers`: nothing while they are samples, so the caller must ask for them); old = the
  delegation the parent or a resolver still shows that is not the new one (or the ones given).
* Every other type: new = what the new provider's authoritative servers answer for the domain
  (:func:`authoritative_values`, after :func:`zone_problem` said they serve the zone), unless given; old = what the
  old provider's servers answer. The browser cannot ask authoritative servers: it takes the new values from the
  customer and learns the old ones from resolvers that still follow the old delegation (:func:`learn_old`).

A resolver's answer equal to the new values is 新, equal to the old ones 旧, and anything else 不一致 (``other``):
an unknown value is never called old. Answers that are new or 不一致 with nothing old give their own verdict
(``differs``): waiting for propagation does not change a value that is simply not the new one.
"""

from __future__ import annotations

import base64
import functools
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import idna

from ..errors import ChecklistError
from ..provider import PROVIDER, is_example_value
from ..text import Text

__all__ = [
    "DEFAULT_EDNS_PAYLOAD",
    "RECORD_TYPES",
    "REFUSED_CONNECTION",
    "RESULT_LABELS",
    "ROLES",
    "SOURCES",
    "TIMEOUT",
    "VERDICT_LABELS",
    "Expected",
    "Observation",
    "RecordResult",
    "RecordType",
    "Report",
    "ResultCode",
    "Role",
    "Source",
    "Verdict",
    "authoritative_values",
    "build_query",
    "classify",
    "doh_get_url",
    "evaluate",
    "learn_old",
    "make_query",
    "normalize_domain",
    "provider_nameservers",
    "sample_nameservers",
    "zone_problem",
]

RecordType = Literal["NS", "A", "AAAA", "MX", "TXT"]
RECORD_TYPES: tuple[RecordType, ...] = get_args(RecordType)
# Who answered: a recursive resolver, a server named in the domain's NS set, or a server of the parent zone
# (which answers with a referral: the NS records sit in the authority section, without the AA bit).
Role = Literal["resolver", "authoritative", "parent"]
ROLES: tuple[Role, ...] = get_args(Role)
ResultCode = Literal["new", "old", "mixed", "other", "no_answer", "error"]
# Where an expected (new) value came from: typed by staff or the customer, what the new provider's authoritative
# servers answer, or the provider's own name servers (NS only: never an example value of the provider's data).
Source = Literal["given", "new_authoritative", "provider"]
SOURCES: tuple[Source, ...] = get_args(Source)
# differs: nothing old is seen, but some answers are not the new values (不一致): no propagation will fix that.
Verdict = Literal["not_switched", "propagating", "differs", "switched"]
# What a transport hands over: the parsed response, its wire bytes, or why there is none.
Observation = dns.message.Message | bytes | str

TIMEOUT = "timeout"
REFUSED_CONNECTION = "refused-connection"
# DNS Flag Day 2020: a payload that avoids IP fragmentation.
DEFAULT_EDNS_PAYLOAD = 1232
_MAX_DOMAIN_LENGTH = 253

# ----- words (data, not logic) -----
RESULT_LABELS: dict[ResultCode, Text] = {
    "new": Text("新", "new"),
    "old": Text("旧", "old"),
    "mixed": Text("混在", "mixed"),
    "other": Text("不一致", "other"),
    "no_answer": Text("応答なし", "no answer"),
    "error": Text("エラー", "error"),
}
VERDICT_LABELS: dict[Verdict, Text] = {
    "not_switched": Text("未切替", "not switched"),
    "propagating": Text("伝播中", "propagating"),
    "differs": Text("新しい値と不一致", "differs from the new values"),
    "switched": Text("切替完了", "switched"),
}
_NEXT_STEPS: dict[Verdict | None, Text] = {
    "not_switched": Text(
        "まだ旧サーバの情報が返っています。弊社が DNS サーバ情報を変更済みであれば、行き渡るまでお待ちください"
        "（通常 24～48 時間、1 週間程度かかる場合もあります）。まだの場合は「DNS 切り替え日」（平日 月～木）を"
        "弊社へご連絡ください。",
        "The old servers' values are still returned. If Net-com has already changed the DNS server information, "
        "wait for it to spread (usually 24–48 hours, sometimes about a week). If not, tell Net-com your DNS "
        "switch date (Monday to Thursday).",
    ),
    "propagating": Text(
        "新旧の情報が混在するプロパゲーション期間です（通常 24～48 時間、1 週間程度かかる場合もあります）。"
        "新・旧両方のメールアカウントでメールを確認し、旧アカウントはまだ削除しないでください。",
        "This is the propagation period: some servers return the new values, others the old ones (usually "
        "24–48 hours, sometimes about a week). Check mail in both the new and the old account, and do not "
        "delete the old account yet.",
    ),
    "differs": Text(
        "旧サーバの値は返っていませんが、新しい値と異なる値を返しているサーバがあります（表の「不一致」）。"
        "待っても直るとは限りません。新しい値（入力した値、または新しいネームサーバの値）が正しいかを確かめ、"
        "わからない場合は弊社までご連絡ください。",
        "No server returns the old values, but some return values that differ from the new ones (“other” in the "
        "table). Waiting will not necessarily fix this: check that the new values (the ones entered, or those of "
        "the new name servers) are right, and ask Net-com if unsure.",
    ),
    "switched": Text(
        "確認したすべてのサーバが新しい情報を返しています。切り替え後 1～2 週間は旧サーバにも届くことがあるため"
        "新・旧両方を確認し、旧サーバに届かなくなったら旧アカウントを削除してください（ステップ 7）。",
        "Every server checked returns the new values. Mail may still reach the old server for 1–2 weeks after "
        "the switch: check both accounts, and delete the old account once no more mail arrives there (step 7).",
    ),
    None: Text(
        "どのサーバからも判定できる応答が得られませんでした。ドメイン名とネットワークを確認し、"
        "下の各エラーをご覧ください。",
        "No server gave an answer that could be judged. Check the domain name and the network, and see the "
        "errors below.",
    ),
}
_NEXT_PROBLEMS = Text(
    "エラーまたは応答なしが {n} 件あります（表をご覧ください）。",
    "{n} checks gave an error or no answer (see the table).",
)
_NEXT_OTHER = Text(
    "{n} 件は新旧どちらの値とも一致しない値を返しています（表の「不一致」をご覧ください）。",
    "{n} checks returned values that are neither the new nor the old ones (see “other” in the table).",
)
_NEXT_ONLY_OTHER = Text(
    "返っている値が、新しい値とも旧サーバの値とも一致しません。新しい値（『サーバアカウント情報』の値）が正しいか"
    "ご確認ください（表の「不一致」をご覧ください）。",
    "The values returned match neither the new values nor the old servers' values. Check that the new values (from "
    "the Server Account Information) are right (see “other” in the table).",
)
_NEXT_LAME = Text(
    "ドメインの NS に登録されたサーバの一部が正しく応答していません（レイムデリゲーション）。弊社までご連絡ください。",
    "A name server listed for the domain does not answer for it (lame delegation): please tell Net-com.",
)

_DETAIL_TIMEOUT = Text("応答がありません（タイムアウト）", "no response (timeout)")
_DETAIL_REFUSED_CONNECTION = Text("接続を拒否されました", "the connection was refused")
_DETAIL_TRANSPORT = Text("通信エラー: {message}", "network error: {message}")
_DETAIL_MALFORMED = Text(
    "応答を解析できません（不正な DNS メッセージ: {reason}）",
    "the response could not be read (malformed DNS message: {reason})",
)
_DETAIL_NOT_RESPONSE = Text("DNS の応答ではありません（QR ビットなし）", "not a DNS response (QR bit not set)")
_DETAIL_WRONG_QUESTION = Text(
    "問い合わせと異なる質問への応答です（{question}）",
    "the response answers a different question ({question})",
)
_DETAIL_TRUNCATED = Text(
    "応答が切り詰められています（TC ビット）。TCP で問い合わせ直してください",
    "the response was truncated (TC bit): ask again over TCP",
)
_DETAIL_LAME_REFUSED = Text(
    "レイムデリゲーション: NS に登録されたサーバがこのドメインへの問い合わせを拒否しました（REFUSED）",
    "lame delegation: a server listed in the NS records refused queries for this domain (REFUSED)",
)
_DETAIL_LAME_NOT_AA = Text(
    "レイムデリゲーション: NS に登録されたサーバがこのドメインの権威ある応答を返しません（AA ビットなし）",
    "lame delegation: a server listed in the NS records does not answer authoritatively for this domain "
    "(AA bit not set)",
)
_DETAIL_NODATA = Text(
    "該当するレコードがありません（NOERROR・データなし）",
    "no records of this type (NOERROR, no data)",
)
_DETAIL_NEW = Text("新しい値です: {found}", "the new values: {found}")
_DETAIL_NEW_PARTIAL = Text(
    "新しい値です: {found}（期待値のうち {missing} は返っていません）",
    "the new values: {found} ({missing} expected but not returned)",
)
_DETAIL_MIXED = Text("新旧の値が混在しています: 新 {new} / 旧 {old}", "new and old values mixed: new {new}; old {old}")
_DETAIL_OLD = Text("旧サーバの値のままです: {found}", "still the old values: {found}")
_DETAIL_OTHER = Text(
    "新旧どちらの値とも一致しません: {found}（新: {new} / 旧: {old}）",
    "neither the new nor the old values: {found} (new: {new}; old: {old})",
)
_UNKNOWN = Text("不明", "unknown")
_RCODE_TEXT: dict[str, Text] = {
    "SERVFAIL": Text(
        "サーバエラー（SERVFAIL）: 名前解決に失敗しました",
        "server failure (SERVFAIL): the server could not resolve the name",
    ),
    "NXDOMAIN": Text("ドメインが存在しません（NXDOMAIN）", "the domain does not exist (NXDOMAIN)"),
    "REFUSED": Text("問い合わせを拒否されました（REFUSED）", "the server refused the query (REFUSED)"),
    "FORMERR": Text("問い合わせの形式エラー（FORMERR）", "the server could not read the query (FORMERR)"),
    "NOTIMP": Text("サーバが未対応の問い合わせです（NOTIMP）", "the server does not support the query (NOTIMP)"),
}
_RCODE_OTHER = Text("エラー応答（{rcode}）", "error response ({rcode})")


def _fmt(template: Text, **values: str) -> Text:
    return Text(template.ja.format(**values), template.en.format(**values))


# ----- names and values -----


def normalize_domain(domain: str, *, field: str = "domain") -> str:
    """The ASCII (punycode) form of a domain name, lower case, without the trailing dot.

    Japanese (IDN) names are converted per IDNA 2008 / UTS 46. Anything that is not a host name of at least two
    labels raises ``ChecklistError(field)``.
    """
    error = ChecklistError(
        field,
        "ドメイン名が正しくありません（例: example.co.jp、日本語.jp）。",
        "The domain name is not valid (e.g. example.co.jp, 日本語.jp).",
    )
    ascii_name = _to_ascii(domain) if isinstance(domain, str) else None
    if ascii_name is None:
        raise error
    return ascii_name


@functools.lru_cache(maxsize=1024)
def _to_ascii(domain: str) -> str | None:
    """Cached: the evaluator normalizes the same few names for every server and record type (idna is slow)."""
    name = domain.strip().removesuffix(".")
    try:
        ascii_name: str = idna.encode(name, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    labels = ascii_name.split(".")
    # An all-digit last label is an IP address or garbage, never a registrable domain.
    if len(ascii_name) > _MAX_DOMAIN_LENGTH or len(labels) < 2 or labels[-1].isdigit():
        return None
    return ascii_name


def _rdtype(rdtype: str) -> RecordType:
    upper = rdtype.upper() if isinstance(rdtype, str) else ""
    if upper not in RECORD_TYPES:
        raise ChecklistError(
            "rdtype",
            f"レコード種別は {' / '.join(RECORD_TYPES)} のいずれかを指定してください。",
            f"The record type must be one of {', '.join(RECORD_TYPES)}.",
        )
    return upper


def _name_value(value: str, field: str) -> str:
    return normalize_domain(value, field=field)


def _ip_value(value: str, version: int, field: str) -> str:
    try:
        address = ipaddress.ip_address(value.strip() if isinstance(value, str) else "")
    except ValueError:
        address = None
    if address is None or address.version != version:
        kind = "IPv4" if version == 4 else "IPv6"
        raise ChecklistError(
            field, f"{kind} アドレスが正しくありません: {value!r}", f"Not a valid {kind} address: {value!r}"
        )
    return str(address)


def _mx_value(value: str, field: str) -> str:
    """``"host"`` or ``"preference host"`` → normalized ``"host"`` or ``"10 host"``."""
    parts = value.split() if isinstance(value, str) else []
    if len(parts) == 2 and parts[0].isdigit() and int(parts[0]) <= 65535:
        return f"{int(parts[0])} {_name_value(parts[1], field)}"
    if len(parts) == 1:
        return _name_value(parts[0], field)
    raise ChecklistError(
        field,
        f"MX は「ホスト名」または「優先度 ホスト名」で指定してください: {value!r}",
        f"Give an MX as 'host' or 'preference host': {value!r}",
    )


def _txt_value(value: str, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise ChecklistError(field, "TXT の値が空です。", "A TXT value is empty.")
    return value


def provider_nameservers() -> tuple[str, ...]:
    """The provider's name servers from ``provider.toml``, or ``()`` while any of them is a sample (a reserved example
    name such as ``ns1.net-com.example``): an example value is never an expectation, so the caller has to ask for
    the name servers (the CLI's ``--expect-ns``, the page's field) until Net-com puts its real ones in."""
    return () if sample_nameservers() else PROVIDER.nameservers


def sample_nameservers() -> tuple[str, ...]:
    """The provider's name servers while any of them is a sample (for a message that says so), else ``()``."""
    names = PROVIDER.nameservers
    return names if any(is_example_value(n) for n in names) else ()


@dataclass(frozen=True, slots=True)
class Expected:
    """Values of the domain per record type, normalized on creation: the new ones (or, for ``old=``, the old ones).

    Only NS has a default: the provider's name servers once they are real (:func:`provider_nameservers`; empty while
    ``provider.toml`` holds samples). Every other type is empty ("not known yet"): the staff CLI learns it from the
    new provider's authoritative servers and the browser asks the customer; the provider's example values are never
    an expectation. MX entries are ``"host"`` (any preference) or ``"preference host"``; an empty tuple means "not
    known" (not checked). Bad values raise ``ChecklistError`` with field ``expect_ns``, ``expect_a``,
    ``expect_aaaa``, ``expect_mx`` or ``expect_txt``.
    """

    ns: tuple[str, ...] = field(default_factory=provider_nameservers)
    a: tuple[str, ...] = field(default=())
    aaaa: tuple[str, ...] = field(default=())
    mx: tuple[str, ...] = field(default=())
    txt: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        def clean(values: Iterable[str], one: Any, fld: str) -> tuple[str, ...]:
            if isinstance(values, str):
                values = (values,)
            if not isinstance(values, tuple | list):
                raise ChecklistError(fld, "値の一覧を指定してください。", "Give a list of values.")
            out: list[str] = []
            for value in values:
                norm = one(value, fld)
                if norm not in out:
                    out.append(norm)
            return tuple(out)

        # Frozen: normalization writes through object.__setattr__ once, at creation.
        object.__setattr__(self, "ns", clean(self.ns, _name_value, "expect_ns"))
        object.__setattr__(self, "a", clean(self.a, lambda v, f: _ip_value(v, 4, f), "expect_a"))
        object.__setattr__(self, "aaaa", clean(self.aaaa, lambda v, f: _ip_value(v, 6, f), "expect_aaaa"))
        object.__setattr__(self, "mx", clean(self.mx, _mx_value, "expect_mx"))
        object.__setattr__(self, "txt", clean(self.txt, _txt_value, "expect_txt"))

    def values(self, rdtype: str) -> tuple[str, ...]:
        """The expected values of one record type."""
        kind = _rdtype(rdtype)
        return {"NS": self.ns, "A": self.a, "AAAA": self.aaaa, "MX": self.mx, "TXT": self.txt}[kind]

    def record_types(self) -> tuple[RecordType, ...]:
        """The record types with expected values: the ones a transport should ask for."""
        return tuple(t for t in RECORD_TYPES if self.values(t))

    def to_dict(self) -> dict[str, list[str]]:
        """Plain data for JSON."""
        return {t: list(self.values(t)) for t in RECORD_TYPES}

    def with_values(self, rdtype: str, values: Iterable[str]) -> Expected:
        """A copy with the values of one record type replaced (normalized like the rest)."""
        kind = _rdtype(rdtype)
        return replace(self, **{kind.lower(): tuple(values)})


# ----- queries -----


def build_query(domain: str, rdtype: str, *, id: int = 0) -> dns.message.QueryMessage:
    """A recursive query (RD set, EDNS0 with a 1232-byte payload) for ``rdtype`` of ``domain``.

    ``id`` defaults to 0, as RFC 8484 recommends for DNS-over-HTTPS so that GET responses can be cached.
    """
    kind = _rdtype(rdtype)
    if isinstance(id, bool) or not isinstance(id, int) or not 0 <= id <= 0xFFFF:
        raise ChecklistError("id", "id は 0～65535 の整数です。", "The id must be a whole number from 0 to 65535.")
    qname = dns.name.from_text(normalize_domain(domain))
    return dns.message.make_query(qname, kind, id=id, use_edns=0, payload=DEFAULT_EDNS_PAYLOAD)


def make_query(name: str, rdtype: str, *, id: int = 0) -> bytes:
    """The wire bytes of :func:`build_query`: what a UDP/TCP or DoH transport sends."""
    return build_query(name, rdtype, id=id).to_wire()


def doh_get_url(base_url: str, wire: bytes) -> str:
    """The RFC 8484 GET URL: ``base_url`` plus ``dns=`` and the query in base64url without padding."""
    parts = urlsplit(base_url) if isinstance(base_url, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc or parts.fragment:
        raise ChecklistError(
            "doh_url",
            "DoH の URL は https:// で始まる URL を指定してください（例: https://dns.example/dns-query）。",
            "The DoH URL must be an https:// URL, e.g. https://dns.example/dns-query.",
        )
    if not isinstance(wire, bytes | bytearray) or not 12 <= len(wire) <= 0xFFFF:
        raise ChecklistError("wire", "DNS の問い合わせデータが正しくありません。", "The DNS query bytes are not valid.")
    encoded = base64.urlsafe_b64encode(bytes(wire)).rstrip(b"=").decode("ascii")
    separator = "&" if parts.query else ("" if base_url.endswith("?") else "?")
    return f"{base_url}{separator}dns={encoded}"


# ----- classification -----


@dataclass(frozen=True, slots=True)
class RecordResult:
    """What one server said about one record type, judged against the expected values."""

    server: str
    role: Role
    rdtype: RecordType
    code: ResultCode
    expected: tuple[str, ...]
    found: tuple[str, ...]
    detail: Text
    rcode: str | None = None  # the DNS response code in words (NOERROR, SERVFAIL, …); None without a response
    lame: bool = False
    old: tuple[str, ...] = ()  # the old values it was compared with (empty: not known)

    @property
    def label(self) -> Text:
        """新 / 旧 / 混在 / 不一致 / 応答なし / エラー."""
        return RESULT_LABELS[self.code]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON and the browser."""
        return {
            "server": self.server,
            "role": self.role,
            "rdtype": self.rdtype,
            "code": self.code,
            "label": {"ja": self.label.ja, "en": self.label.en},
            "expected": list(self.expected),
            "old": list(self.old),
            "found": list(self.found),
            "detail": {"ja": self.detail.ja, "en": self.detail.en},
            "rcode": self.rcode,
            "lame": self.lame,
        }


def _found_values(kind: RecordType, rrsets: Iterable[dns.rrset.RRset]) -> list[str]:
    values: list[str] = []
    for rrset in rrsets:
        for rdata in rrset:
            if kind == "NS":
                value = rdata.target.to_text(omit_final_dot=True).lower()
            elif kind in ("A", "AAAA"):
                value = str(ipaddress.ip_address(rdata.address))
            elif kind == "MX":
                value = f"{rdata.preference} {rdata.exchange.to_text(omit_final_dot=True).lower()}"
            else:
                value = b"".join(rdata.strings).decode("utf-8", errors="replace")
            if value not in values:
                values.append(value)
    return values


def _matches(kind: RecordType, found: str, wanted: str) -> bool:
    if kind != "MX":
        return found == wanted
    found_host = found.split(" ", 1)[1]
    if " " in wanted:  # "preference host": both must agree
        return found == wanted
    return found_host == wanted


def _judge(
    kind: RecordType, found: list[str], expected: tuple[str, ...], old: tuple[str, ...] | None
) -> tuple[ResultCode, Text]:
    new = [v for v in found if any(_matches(kind, v, e) for e in expected)]
    before = [v for v in found if v not in new and any(_matches(kind, v, o) for o in old or ())]
    other = [v for v in found if v not in new and v not in before]
    if other:
        # Never call an unknown value old (nor new): show what came back beside both known sets.
        shown, wanted = ", ".join(found), ", ".join(expected)
        old_ja, old_en = (", ".join(old),) * 2 if old else (_UNKNOWN.ja, _UNKNOWN.en)
        return "other", Text(
            _DETAIL_OTHER.ja.format(found=shown, new=wanted, old=old_ja),
            _DETAIL_OTHER.en.format(found=shown, new=wanted, old=old_en),
        )
    if new and before:
        return "mixed", _fmt(_DETAIL_MIXED, new=", ".join(new), old=", ".join(before))
    if before:
        return "old", _fmt(_DETAIL_OLD, found=", ".join(before))
    missing = [e for e in expected if not any(_matches(kind, v, e) for v in found)]
    if missing:
        return "new", _fmt(_DETAIL_NEW_PARTIAL, found=", ".join(new), missing=", ".join(missing))
    return "new", _fmt(_DETAIL_NEW, found=", ".join(new))


def _parse(observation: dns.message.Message | bytes | bytearray) -> dns.message.Message | Text:
    if isinstance(observation, dns.message.Message):
        return observation
    try:
        return dns.message.from_wire(bytes(observation))
    # dnspython's parser raises many exception types on hostile bytes (FormError, ValueError, UnicodeError, …);
    # every one of them means "malformed" to the reader.
    except Exception as exc:
        reason = type(exc).__name__
        return _fmt(_DETAIL_MALFORMED, reason=reason)


def classify(
    domain: str,
    rdtype: str,
    observation: Observation,
    *,
    expected: Expected | None = None,
    old: Expected | None = None,
    server: str = "",
    role: str = "resolver",
) -> RecordResult:
    """Judge one server's answer (or transport failure) for one record type of ``domain``.

    ``observation`` is a :class:`dns.message.Message`, the response's wire bytes, :data:`TIMEOUT`,
    :data:`REFUSED_CONNECTION`, or any other string describing a transport failure.
    """
    qname = dns.name.from_text(normalize_domain(domain))
    kind = _rdtype(rdtype)
    who = _role(role)
    want = (expected if expected is not None else Expected()).values(kind)
    if not want:
        raise ChecklistError(
            f"expect_{kind.lower()}",
            f"{kind} の期待値がありません。",
            f"There is no expected value for {kind}.",
        )
    before = old.values(kind) if old is not None else None

    def result(
        code: ResultCode, detail: Text, found: Iterable[str] = (), rcode: str | None = None, lame: bool = False
    ) -> RecordResult:
        return RecordResult(str(server), who, kind, code, want, tuple(found), detail, rcode, lame, before or ())

    message = _read(observation, qname, kind)
    if isinstance(message, tuple):
        return result(*message)
    rcode = dns.rcode.to_text(message.rcode())
    if message.flags & dns.flags.TC:
        return result("error", _DETAIL_TRUNCATED, rcode=rcode)
    if who == "authoritative":
        # A server named in the NS set must answer for the zone itself: REFUSED or a non-authoritative answer
        # is what resolvers see as a lame delegation.
        if rcode == "REFUSED":
            return result("error", _DETAIL_LAME_REFUSED, rcode=rcode, lame=True)
        if rcode in ("NOERROR", "NXDOMAIN") and not message.flags & dns.flags.AA:
            return result("error", _DETAIL_LAME_NOT_AA, rcode=rcode, lame=True)
    if rcode != "NOERROR":
        return result("error", _RCODE_TEXT.get(rcode, _fmt(_RCODE_OTHER, rcode=rcode)), rcode=rcode)
    target = dns.rdatatype.from_text(kind)
    rrsets = [r for r in message.answer if r.rdtype == target and r.rdclass == dns.rdataclass.IN]
    if not rrsets and kind == "NS" and who == "parent":
        # The parent zone answers with a referral: the delegation's NS records are in the authority section.
        rrsets = [r for r in message.authority if r.rdtype == target and r.name == qname]
    found = _found_values(kind, rrsets)
    if not found:
        return result("no_answer", _DETAIL_NODATA, rcode=rcode)
    code, detail = _judge(kind, found, want, before)
    return result(code, detail, found, rcode=rcode)


def _read(observation: Observation, qname: dns.name.Name, kind: str) -> dns.message.Message | tuple[ResultCode, Text]:
    """The response to ``qname``/``kind`` in ``observation``, or why there is none (a result code and words)."""
    if isinstance(observation, str):
        if observation == TIMEOUT:
            return "no_answer", _DETAIL_TIMEOUT
        if observation == REFUSED_CONNECTION:
            return "error", _DETAIL_REFUSED_CONNECTION
        return "error", _fmt(_DETAIL_TRANSPORT, message=observation)
    if not isinstance(observation, dns.message.Message | bytes | bytearray):
        raise ChecklistError(
            "answers",
            "応答は DNS メッセージ、そのバイト列、または通信エラーの文字列で渡してください。",
            "An answer must be a DNS message, its wire bytes, or a transport failure string.",
        )
    message = _parse(observation)
    if isinstance(message, Text):
        return "error", message
    if not message.flags & dns.flags.QR:
        return "error", _DETAIL_NOT_RESPONSE
    question = message.question[0] if len(message.question) == 1 else None
    if question is None or question.name != qname or question.rdtype != dns.rdatatype.from_text(kind):
        asked = "; ".join(f"{q.name} {dns.rdatatype.to_text(q.rdtype)}" for q in message.question) or "-"
        return "error", _fmt(_DETAIL_WRONG_QUESTION, question=asked)
    return message


_ZONE_REFUSED = Text("このドメインのゾーンがありません（REFUSED）", "it has no zone for this domain (REFUSED)")
_ZONE_NXDOMAIN = Text(
    "このドメインは存在しないと答えました（NXDOMAIN）", "it answers that the domain does not exist (NXDOMAIN)"
)
_ZONE_NOT_AA = Text(
    "このドメインについて権威ある応答を返しません（AA ビットなし）",
    "it does not answer authoritatively for this domain (AA bit not set)",
)
_ZONE_OTHER_SOA = Text(
    "別のゾーン（{zone}）の SOA を返しました: このドメインのゾーンはまだありません",
    "it answers with the SOA of another zone ({zone}): there is no zone for this domain yet",
)
_ZONE_NO_SOA = Text("このドメインの SOA を返しません", "it returns no SOA for this domain")


def zone_problem(domain: str, observation: Observation) -> Text | None:
    """``None`` when ``observation`` (a server's answer to an SOA query for ``domain``) shows that the server serves
    the domain's zone; otherwise why not, in words: no answer, REFUSED, NXDOMAIN, not authoritative, or the SOA of
    another zone (a server that only holds a parent or sibling zone)."""
    qname = dns.name.from_text(normalize_domain(domain))
    message = _read(observation, qname, "SOA")
    if isinstance(message, tuple):
        return message[1]
    if message.flags & dns.flags.TC:
        return _DETAIL_TRUNCATED
    rcode = dns.rcode.to_text(message.rcode())
    if rcode == "REFUSED":
        return _ZONE_REFUSED
    if rcode == "NXDOMAIN":
        return _ZONE_NXDOMAIN
    if rcode != "NOERROR":
        return _RCODE_TEXT.get(rcode, _fmt(_RCODE_OTHER, rcode=rcode))
    if not message.flags & dns.flags.AA:
        return _ZONE_NOT_AA
    if any(r.rdtype == dns.rdatatype.SOA and r.name == qname for r in message.answer):
        return None
    for rrset in (*message.answer, *message.authority):
        if rrset.rdtype == dns.rdatatype.SOA:
            return _fmt(_ZONE_OTHER_SOA, zone=rrset.name.to_text(omit_final_dot=True))
    return _ZONE_NO_SOA


def _answer_values(kind: RecordType, message: dns.message.Message) -> list[str]:
    target = dns.rdatatype.from_text(kind)
    return _found_values(kind, [r for r in message.answer if r.rdtype == target and r.rdclass == dns.rdataclass.IN])


def authoritative_values(domain: str, rdtype: str, observation: Observation) -> tuple[str, ...] | None:
    """The values an authoritative server's answer holds for ``rdtype`` of ``domain`` (``()`` when it has none of
    that type), or ``None`` when the answer cannot be used: a failure, an error code, or no AA bit."""
    qname = dns.name.from_text(normalize_domain(domain))
    kind = _rdtype(rdtype)
    message = _read(observation, qname, kind)
    if isinstance(message, tuple) or message.flags & dns.flags.TC:
        return None
    if message.rcode() != dns.rcode.NOERROR or not message.flags & dns.flags.AA:
        return None
    return tuple(_answer_values(kind, message))


def learn_old(domain: str, answers: Mapping[str, Mapping[str, Observation]], expected: Expected) -> Expected:
    """The old values, learnt from resolvers where no old server can be asked (the browser).

    A resolver whose NS answer is not (only) the new name servers still follows the old delegation: the values it
    returns come from the old provider's servers. So its NS names that are not new are the old NS, and its other
    answers that are not new are the old values of their type. Resolvers that show the new NS teach nothing.
    """
    qname = dns.name.from_text(normalize_domain(domain))
    old: dict[RecordType, list[str]] = {t: [] for t in RECORD_TYPES}
    for per_type in answers.values():
        given = {_rdtype(k): v for k, v in per_type.items()}
        ns = _plain_values("NS", qname, given.get("NS"))
        stale = [v for v in ns if not any(_matches("NS", v, e) for e in expected.ns)]
        if not stale:
            continue
        for kind in RECORD_TYPES:
            values = stale if kind == "NS" else _plain_values(kind, qname, given.get(kind))
            wanted = expected.values(kind)
            old[kind] += [v for v in values if v not in old[kind] and not any(_matches(kind, v, e) for e in wanted)]
    return Expected(**{t.lower(): tuple(v) for t, v in old.items()})


def _plain_values(kind: RecordType, qname: dns.name.Name, observation: Observation | None) -> list[str]:
    """The values of a NOERROR answer (nothing for a failure or an error code)."""
    if observation is None:
        return []
    message = _read(observation, qname, kind)
    if isinstance(message, tuple) or message.rcode() != dns.rcode.NOERROR or message.flags & dns.flags.TC:
        return []
    return _answer_values(kind, message)


def _role(role: str) -> Role:
    if role not in ROLES:
        raise ChecklistError(
            "role",
            f"サーバの種別は {' / '.join(ROLES)} のいずれかです。",
            f"The server role must be one of {', '.join(ROLES)}.",
        )
    return role


# ----- the report -----


@dataclass(frozen=True, slots=True)
class Report:
    """Every result, the overall verdict (``None`` when nothing could be judged) and what to do next."""

    domain: str  # ASCII (punycode)
    domain_display: str  # Unicode form for people
    expected: Expected
    results: tuple[RecordResult, ...]
    verdict: Verdict | None
    next_step: Text
    old: Expected = field(default_factory=lambda: Expected(ns=()))
    sources: Mapping[RecordType, Source] = field(default_factory=dict)

    @property
    def verdict_label(self) -> Text | None:
        """未切替 / 伝播中 / 新しい値と不一致 / 切替完了, or ``None``."""
        return None if self.verdict is None else VERDICT_LABELS[self.verdict]

    @property
    def answered(self) -> bool:
        """True when at least one result could be judged new, old or mixed."""
        return self.verdict is not None

    def counts(self) -> dict[ResultCode, int]:
        """How many results of each code."""
        return {code: sum(r.code == code for r in self.results) for code in RESULT_LABELS}

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and the browser."""
        label = self.verdict_label
        return {
            "domain": self.domain,
            "domain_display": self.domain_display,
            "expected": self.expected.to_dict(),
            "expected_source": {t: self.sources[t] for t in RECORD_TYPES if t in self.sources},
            "old": self.old.to_dict(),
            "verdict": self.verdict,
            "verdict_label": None if label is None else {"ja": label.ja, "en": label.en},
            "next_step": {"ja": self.next_step.ja, "en": self.next_step.en},
            "counts": dict(self.counts()),
            "results": [r.to_dict() for r in self.results],
        }


def _verdict(results: Iterable[RecordResult]) -> Verdict | None:
    """切替完了 only when every judged answer is new; 未切替 when the parent still delegates to the old servers or every
    answer is old; 新しい値と不一致 (``differs``) when the answers are new or 不一致 and none is old or mixed: nothing
    is propagating there, a value is simply not the new one; 伝播中 otherwise (new and old both seen). 不一致 answers
    never count as new: with one, 切替完了 cannot be claimed."""
    judged = [r for r in results if r.code in ("new", "old", "mixed", "other")]
    codes = {r.code for r in judged}
    if not codes - {"other"}:
        return None
    if any(r.role == "parent" and r.code == "old" for r in judged):
        return "not_switched"
    if codes == {"new"}:
        return "switched"
    if codes - {"other"} == {"old"}:
        return "not_switched"
    if codes == {"new", "other"}:
        return "differs"
    return "propagating"


def evaluate(
    domain: str,
    answers: Mapping[str, Mapping[str, Observation]],
    *,
    expected: Expected | None = None,
    old: Expected | None = None,
    roles: Mapping[str, str] | None = None,
    sources: Mapping[RecordType, Source] | None = None,
) -> Report:
    """Judge every server's answers and give the verdict.

    ``answers`` maps a server label (e.g. ``"192.0.2.53"`` or ``"ns1.example (192.0.2.1)"``) to a mapping of
    record type (``"NS"``, ``"A"``, …) to an :data:`Observation`. ``roles`` gives each server's role (default
    ``"resolver"``). ``expected`` holds the new values, ``old`` the old ones (unknown when omitted: then any value
    that is not new is 不一致); ``sources`` says where each type's new values came from (:data:`SOURCES`; default
    ``"provider"`` for the provider's own NS, else ``"given"``). Record types without new values are not judged.
    The verdict: see :func:`_verdict`; ``None`` when nothing could be judged.
    """
    ascii_domain = normalize_domain(domain)
    want = expected if expected is not None else Expected()
    before = old if old is not None else Expected(ns=())
    role_of = dict(roles or {})
    if not isinstance(answers, Mapping):
        raise ChecklistError("answers", "応答の一覧が正しくありません。", "The answers are not a mapping.")
    origin: dict[RecordType, Source] = {}
    for kind in RECORD_TYPES:
        if want.values(kind):
            default: Source = "provider" if kind == "NS" and want.ns == provider_nameservers() else "given"
            origin[kind] = _source((sources or {}).get(kind, default))
    results: list[RecordResult] = []
    for server, per_type in answers.items():
        if not isinstance(per_type, Mapping):
            raise ChecklistError("answers", "応答の一覧が正しくありません。", "The answers are not a mapping.")
        given = {_rdtype(k): v for k, v in per_type.items()}
        for kind in RECORD_TYPES:
            if kind in given and want.values(kind):
                results.append(
                    classify(
                        ascii_domain,
                        kind,
                        given[kind],
                        expected=want,
                        old=before,
                        server=str(server),
                        role=role_of.get(server, "resolver"),
                    )
                )
    verdict = _verdict(results)
    next_step = (
        _NEXT_STEPS[verdict] if verdict is not None or not any(r.code == "other" for r in results) else _NEXT_ONLY_OTHER
    )
    extras: list[Text] = []
    if any(r.lame for r in results):
        extras.append(_NEXT_LAME)
    others = sum(r.code == "other" for r in results)
    if others and verdict is not None and verdict != "differs":  # "differs" is about them already
        extras.append(_fmt(_NEXT_OTHER, n=str(others)))
    problems = sum(r.code in ("error", "no_answer") for r in results)
    if problems and verdict is not None:
        extras.append(_fmt(_NEXT_PROBLEMS, n=str(problems)))
    for extra in extras:
        next_step = Text(next_step.ja + extra.ja, f"{next_step.en} {extra.en}")
    return Report(ascii_domain, _display(ascii_domain), want, tuple(results), verdict, next_step, before, origin)


def _source(value: str) -> Source:
    if value not in SOURCES:
        raise ChecklistError(
            "sources",
            f"値の出どころは {' / '.join(SOURCES)} のいずれかです。",
            f"Where a value came from must be one of {', '.join(SOURCES)}.",
        )
    return value


def _display(ascii_domain: str) -> str:
    try:
        shown: str = idna.decode(ascii_domain)
    except (idna.IDNAError, UnicodeError, ValueError):
        shown = ascii_domain
    return shown
