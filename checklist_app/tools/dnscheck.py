"""The in-browser DNS switch-over check (``/tools/dns-check/``): pure Python, the page does the asking.

Two rounds through :func:`checklist_app.tools.run_tool` (tool ``dnscheck``):

1. The form's params (``domain``, ``resolvers`` — one DoH base URL per line, optionally preceded by a name —,
   the new values from the customer's Server Account Information: ``expect_a`` and ``expect_mx`` (required),
   ``expect_aaaa`` (optional: AAAA is not checked without it), ``expect_ns`` (the provider's name servers when empty,
   once ``provider.toml`` holds real ones; required while they are samples), and ``consent``). A browser cannot ask
   authoritative servers, so the new A/MX values cannot be learnt here and no example value stands in for them or
   for NS: without them the answer is an error on their field. Without ``consent=True``
   nothing is built: the answer only asks the reader to agree first. With it, the answer is
   ``{"ok": True, "fetch": [{"key", "url"}], "state": S}``: one RFC 8484 GET URL per resolver and record type.
2. The page fetches each URL (GET, ``Accept: application/dns-message``, no other header: no CORS preflight) and
   calls again with the same params plus ``state`` and ``responses`` = ``{key: {"status": N, "body_b64": "..."}}``
   or ``{key: {"error": "timeout" | "network"}}``. The old values are learnt from the resolvers that still show
   another delegation (:func:`checklist_app.dnscheck.evaluate.learn_old`), and the bodies go to
   :func:`checklist_app.dnscheck.evaluate.evaluate` (every server a ``"resolver"``) — the CLI's classification. The
   answer is the usual ``outputs``: ``verdict``, ``next``, ``summary``, ``values`` (the new and old values and where
   they came from) and a plain-text ``table`` (one block per resolver, one line per record type).

Nothing here does I/O; the page's ``fetch`` is the transport.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from ..dnscheck.evaluate import (
    RESULT_LABELS,
    TIMEOUT,
    Expected,
    Observation,
    RecordType,
    Report,
    Source,
    doh_get_url,
    evaluate,
    learn_old,
    make_query,
    normalize_domain,
    provider_nameservers,
)
from ..errors import ChecklistError
from ..text import Text
from .forms import FORMS

__all__ = [
    "CHECK_TYPES",
    "DEFAULT_RESOLVERS",
    "FETCH_TIMEOUT_S",
    "MAX_RESOLVERS",
    "DohResolver",
    "parse_resolver",
    "run_dnscheck",
]

CHECK_TYPES: Final[tuple[RecordType, ...]] = ("NS", "A", "AAAA", "MX")
MAX_RESOLVERS: Final = 8
# What the page waits for each answer (app.js aborts the fetch after it); documented on the page.
FETCH_TIMEOUT_S: Final = 5
_FORM: Final = "_form"
_BLANK: Final = " \u3000\t\r\n"


@dataclass(frozen=True, slots=True)
class DohResolver:
    """A DNS-over-HTTPS resolver: a name for people and its RFC 8484 base URL."""

    name: str
    url: str


# The page lists exactly these (name and URL) as its default; public resolvers that answer DoH GET with CORS.
DEFAULT_RESOLVERS: Final[tuple[DohResolver, ...]] = (
    DohResolver("Google Public DNS", "https://dns.google/dns-query"),
    DohResolver("Cloudflare", "https://cloudflare-dns.com/dns-query"),
    DohResolver("Quad9", "https://dns.quad9.net/dns-query"),
    DohResolver("IIJ Public DNS", "https://public.dns.iij.jp/dns-query"),
)

# ----- words (data, not logic) -----

_MSG: Final[dict[str, Text]] = {
    "consent": Text(
        "確認するには、上記の DoH サーバへ問い合わせることに同意するチェックを入れ、「確認する」を押してください。"
        "同意いただくまで何も送信しません。",
        "To check, tick the box to agree that the page asks the DoH resolvers listed above, then press “Check”. "
        "Nothing is sent before you agree.",
    ),
    "no_resolvers": Text(
        "問い合わせる DoH サーバを 1 つ以上入力してください。", "Enter at least one DoH resolver to ask."
    ),
    "too_many": Text("DoH サーバは {n} 個までです。", "Give at most {n} DoH resolvers."),
    "bad_url": Text(
        "DoH サーバは「名前 URL」または「URL」の形で、https:// で始まる URL を 1 行に 1 つ入力してください"
        "（例: Google https://dns.google/dns-query）: {line}",
        "Give one DoH resolver per line as “name URL” or “URL”, with an https:// URL "
        "(e.g. Google https://dns.google/dns-query): {line}",
    ),
    "duplicate": Text("同じ DoH サーバが 2 回入力されています: {url}", "The same DoH resolver is listed twice: {url}"),
    "text": Text("{what}を文字列で指定してください。", "Give {what} as text."),
    "list": Text("{what}を文字列の一覧で指定してください。", "Give {what} as a list of text."),
    "required": Text("{what}を入力してください。", "Enter {what}."),
    "changed": Text(
        "確認中に入力が変わりました。もう一度「確認する」を押してください。",
        "The form changed while checking: press “Check” again.",
    ),
    "responses": Text(
        "DoH サーバの応答を受け取れませんでした。ページを再読み込みしてください。",
        "The resolvers' answers could not be read: reload the page.",
    ),
    "network": Text(
        "network error, or the resolver does not allow this site (CORS)",
        "network error, or the resolver does not allow this site (CORS)",
    ),
    "missing": Text("no answer received", "no answer received"),
    "summary": Text(
        "{domain}: 新 {new} / 旧 {old} / 不一致 {other} / 混在 {mixed} / 応答なし {no_answer} / エラー {error}",
        "{domain}: new {new} / old {old} / other {other} / mixed {mixed} / no answer {no_answer} / error {error}",
    ),
    "account_info": Text(
        "『サーバアカウント情報』に記載の{what}を入力してください（ブラウザーからは新しいサーバに直接問い合わせられない"
        "ため、この値がないと判定できません）。",
        "Enter {what} from your Server Account Information (a browser cannot ask the new servers themselves, so "
        "this cannot be judged without it).",
    ),
    "ns_sample": Text(
        "『サーバアカウント情報』に記載の{what}を 1 行に 1 つ入力してください（このサイトに載っている弊社の"
        "ネームサーバはサンプル値のため、判定には使えません）。",
        "Enter {what} from your Server Account Information, one per line (Net-com's name servers shown on this site "
        "are sample values and cannot be used to judge).",
    ),
    "values_new": Text("新しい値", "New values"),
    "values_old": Text("旧の値", "Old values"),
    "unknown": Text("不明", "unknown"),
    "from_given": Text("入力された値", "as entered"),
    "from_provider": Text("弊社のネームサーバ", "Net-com's name servers"),
    "from_resolvers": Text(
        "新しくないネームサーバを返した DoH サーバの応答", "answers of the DoH resolvers that show other name servers"
    ),
    "no_verdict": Text("判定できません", "cannot tell"),
    "checking": Text("確認中…", "Checking…"),
}
# The page's form, declared once (tools/forms.py): only its fields are read, errors name them with its words.
_DECLARED: Final = FORMS["dnscheck"]
_EXPECT_FIELDS: Final = ("expect_ns", "expect_a", "expect_aaaa", "expect_mx")


def _error(key: str, field: str, **values: str) -> ChecklistError:
    what = _DECLARED.field(field).what
    msg = _MSG[key]
    return ChecklistError(field, msg.ja.format(what=what.ja, **values), msg.en.format(what=what.en, **values))


# ----- params -----


def _text(params: Mapping[str, object], field: str) -> str | None:
    value = params.get(_DECLARED.field(field).name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _error("text", field)
    return value if value.strip(_BLANK) else None


def _items(params: Mapping[str, object], field: str) -> list[str]:
    value = params.get(_DECLARED.field(field).name)
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split("\n")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _error("list", field)
    return [v.strip(_BLANK) for v in value if v.strip(_BLANK)]


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_resolver(line: str, *, field: str = "resolvers") -> DohResolver:
    """``"URL"`` or ``"name URL"`` → :class:`DohResolver`.

    The URL must be ``https://`` (``http://`` only for a resolver on this computer: 127.0.0.0/8, ::1, localhost),
    without a user name, password or fragment. Raises ``ChecklistError(field)``.
    """
    if not isinstance(line, str):
        raise _error("list", field)
    words = line.split()
    error = _error("bad_url", field, line=line.strip(_BLANK))
    if not words:
        raise error
    url = words[-1]
    parts = urlsplit(url)
    try:
        host = parts.hostname or ""
        parts.port  # noqa: B018  (validates the port: ValueError when it is not a number in range)
    except ValueError:
        raise error from None
    ok_scheme = parts.scheme == "https" or (parts.scheme == "http" and _is_local(host))
    if (
        not ok_scheme
        or not host
        or parts.username is not None
        or parts.password is not None
        or parts.fragment
        or "#" in url
        or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url)
    ):
        raise error
    name = " ".join(words[:-1]) or host
    return DohResolver(name, url)


def _resolvers(params: Mapping[str, object]) -> tuple[DohResolver, ...]:
    lines = _items(params, "resolvers")
    if not lines:
        raise _error("no_resolvers", "resolvers")
    if len(lines) > MAX_RESOLVERS:
        raise _error("too_many", "resolvers", n=str(MAX_RESOLVERS))
    out: list[DohResolver] = []
    for line in lines:
        resolver = parse_resolver(line)
        if any(r.url == resolver.url for r in out):
            raise _error("duplicate", "resolvers", url=resolver.url)
        out.append(resolver)
    return tuple(out)


# Without these the page refuses to judge: the customer's own values, never an example.
_REQUIRED_FIELDS: Final = ("expect_a", "expect_mx")


def _expected(params: Mapping[str, object]) -> tuple[Expected, dict[RecordType, Source]]:
    """The new values from the form: NS defaults to the provider's name servers (required while those are samples),
    A and MX are required, AAAA is optional (not checked when empty). Errors name their field; every missing
    required field is reported."""
    given = {f: _items(params, f) for f in _EXPECT_FIELDS}
    missing = [f for f in _REQUIRED_FIELDS if not given[f]]
    errors = [_error("account_info", f) for f in missing]
    default_ns = provider_nameservers()
    if not given["expect_ns"] and not default_ns:
        errors.append(_error("ns_sample", "expect_ns"))
    try:
        expected = Expected(
            ns=tuple(given["expect_ns"]) or default_ns,
            a=tuple(given["expect_a"]),
            aaaa=tuple(given["expect_aaaa"]),
            mx=tuple(given["expect_mx"]),
        )
    except ChecklistError as exc:
        errors.insert(0, exc)
        expected = Expected()
    if len(errors) > 1:
        from . import _Errors  # the page protocol's "several fields at once" (the package imports us lazily)

        raise _Errors(tuple({e.field: e for e in reversed(errors)}.values())[::-1])
    if errors:
        raise errors[0]
    sources: dict[RecordType, Source] = {"NS": "given" if given["expect_ns"] else "provider"}
    sources |= {k: "given" for k in CHECK_TYPES if k != "NS" and expected.values(k)}
    return expected, sources


def _key(index: int, kind: RecordType) -> str:
    return f"r{index}_{kind.lower()}"


def _server_label(index: int, resolver: DohResolver) -> str:
    # Numbered: two resolvers may share a name, and evaluate() keys its answers by label.
    return f"{index + 1}. {resolver.name}"


# ----- the two rounds -----


@dataclass(frozen=True, slots=True)
class _Plan:
    domain: str
    resolvers: tuple[DohResolver, ...]
    expected: Expected
    sources: dict[RecordType, Source]
    types: tuple[RecordType, ...]
    state: dict[str, Any]


def _plan(params: Mapping[str, object]) -> _Plan:
    domain_text = _text(params, "domain")
    if domain_text is None:
        raise _error("required", "domain")
    domain = normalize_domain(domain_text)
    resolvers = _resolvers(params)
    expected, sources = _expected(params)
    types = tuple(k for k in CHECK_TYPES if expected.values(k))
    state = {
        "domain": domain,
        "resolvers": [r.url for r in resolvers],
        "types": list(types),
        "expected": {k: list(expected.values(k)) for k in types},
    }
    return _Plan(domain, resolvers, expected, sources, types, state)


def _fetches(domain: str, resolvers: tuple[DohResolver, ...], types: tuple[RecordType, ...]) -> list[dict[str, str]]:
    fetches: list[dict[str, str]] = []
    for kind in types:
        wire = make_query(domain, kind)  # id 0 (RFC 8484): the same query bytes for every resolver
        for i, resolver in enumerate(resolvers):
            fetches.append({"key": _key(i, kind), "url": doh_get_url(resolver.url, wire)})
    return sorted(fetches, key=lambda f: f["key"])


def _observation(raw: object, lang: str) -> Observation:
    """One fetch result from the page → what :func:`checklist_app.dnscheck.evaluate.classify` takes."""
    missing = _MSG["missing"].ja if lang == "ja" else _MSG["missing"].en
    if raw is None:
        return missing
    if not isinstance(raw, Mapping):
        raise ChecklistError(_FORM, _MSG["responses"].ja, _MSG["responses"].en)
    error = raw.get("error")
    if error is not None:
        if error == "timeout":
            return TIMEOUT
        return _MSG["network"].en
    status = raw.get("status")
    if isinstance(status, bool) or not isinstance(status, int):
        raise ChecklistError(_FORM, _MSG["responses"].ja, _MSG["responses"].en)
    if status != 200:
        return f"HTTP {status}"
    body = raw.get("body_b64")
    if not isinstance(body, str):
        raise ChecklistError(_FORM, _MSG["responses"].ja, _MSG["responses"].en)
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        # Not the page's base64: report it like any unreadable answer (classify says "malformed").
        return b""


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _values(report: Report, types: tuple[RecordType, ...], sources: Mapping[RecordType, Source], lang: str) -> str:
    """Per record type, the new values (and where they came from) and the old ones (or that they are unknown)."""

    def pick(text: Text) -> str:
        return text.ja if lang == "ja" else text.en

    origin = {"given": _MSG["from_given"], "provider": _MSG["from_provider"]}
    lines: list[str] = []
    for kind in types:
        new = ", ".join(report.expected.values(kind))
        old = ", ".join(report.old.values(kind))
        where_new = pick(origin.get(sources.get(kind, "given"), _MSG["from_given"]))
        where_old = pick(_MSG["from_resolvers"]) if old else ""
        new_part = f"{pick(_MSG['values_new'])}: {new}" + (f"（{where_new}）" if lang == "ja" else f" ({where_new})")
        old_text = old or pick(_MSG["unknown"])
        old_note = "" if not where_old else (f"（{where_old}）" if lang == "ja" else f" ({where_old})")
        lines.append(f"{kind:<5} {new_part} / {pick(_MSG['values_old'])}: {old_text}{old_note}")
    return "\n".join(lines)


def _table(report: Report, resolvers: tuple[DohResolver, ...], lang: str) -> str:
    """One block per resolver: its name and URL, then a line per record type (type, result, what was found)."""
    by_server: dict[str, list[Any]] = {}
    for result in report.results:
        by_server.setdefault(result.server, []).append(result)
    label_width = max(_width(t.ja if lang == "ja" else t.en) for t in RESULT_LABELS.values())
    blocks: list[str] = []
    for i, resolver in enumerate(resolvers):
        lines = [f"{_server_label(i, resolver)} — {resolver.url}"]
        for result in by_server.get(_server_label(i, resolver), []):
            label = result.label.ja if lang == "ja" else result.label.en
            detail = result.detail.ja if lang == "ja" else result.detail.en
            lines.append(f"  {result.rdtype:<5} {_pad(label, label_width)}  {detail}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def run_dnscheck(params: Mapping[str, object], lang: str = "ja") -> dict[str, Any]:
    """Either round of the check (see the module docstring): the page protocol's response. Raises ChecklistError."""
    language = "en" if lang == "en" else "ja"
    plan = _plan(params)
    domain, resolvers, state = plan.domain, plan.resolvers, plan.state
    consent = params.get(_DECLARED.field("consent").name) is True
    if not consent:
        # Refuse to build any request: the page sends nothing until the reader agrees.
        prompt = _MSG["consent"]
        return {"ok": True, "outputs": {"status": prompt.ja if language == "ja" else prompt.en}, "warnings": []}
    responses = params.get("responses")
    if responses is None:
        checking = _MSG["checking"]
        return {
            "ok": True,
            "fetch": _fetches(domain, resolvers, plan.types),
            "state": state,
            "outputs": {"status": checking.ja if language == "ja" else checking.en},
        }
    if params.get("state") != state:
        raise ChecklistError(_FORM, _MSG["changed"].ja, _MSG["changed"].en)
    if not isinstance(responses, Mapping):
        raise ChecklistError(_FORM, _MSG["responses"].ja, _MSG["responses"].en)
    answers: dict[str, dict[str, Observation]] = {}
    for i, resolver in enumerate(resolvers):
        answers[_server_label(i, resolver)] = {
            kind: _observation(responses.get(_key(i, kind)), language) for kind in plan.types
        }
    # The same classification as the CLI; the old values come from resolvers still showing another delegation.
    old = learn_old(domain, answers, plan.expected)
    report = evaluate(domain, answers, expected=plan.expected, old=old, sources=plan.sources)

    def pick(text: Text) -> str:
        return text.ja if language == "ja" else text.en

    verdict = report.verdict_label
    counts = {code: str(n) for code, n in report.counts().items()}
    return {
        "ok": True,
        "outputs": {
            "status": "",
            "verdict": pick(verdict) if verdict is not None else pick(_MSG["no_verdict"]),
            "verdict_code": report.verdict or "unknown",
            "next": pick(report.next_step),
            "summary": pick(_MSG["summary"]).format(domain=report.domain_display, **counts),
            "values": _values(report, plan.types, plan.sources, language),
            "table": _table(report, resolvers, language),
        },
        "warnings": [],
    }
