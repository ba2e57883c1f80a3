"""hosts-file entries for testing the new server before the DNS switch (the seed's 『hosts 設定_簡易マニュアル』).

The customer pastes a marked block into their hosts file so that their own PC reaches the new server while the rest
of the world still sees the old one, and later removes it. Everything that ends up in that file goes through strict
validation here: a hosts file is a line-oriented format, so a stray newline, space, tab or ``#`` in a name would add a
line or a second name the customer never asked for.

Validation helpers :func:`normalize_domain`, :func:`normalize_host` and :func:`parse_ip` are shared with
:mod:`checklist_app.mail`.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import idna

from .errors import ChecklistError
from .provider import PROVIDER
from .text import Text

__all__ = [
    "DEFAULT_NAMES",
    "HOSTS_NOTES",
    "MARKER_LABEL",
    "OS_GUIDES",
    "HostsBlock",
    "HostsEntry",
    "HostsRemoval",
    "OsGuide",
    "address_warning",
    "build_hosts_block",
    "normalize_domain",
    "normalize_host",
    "parse_ip",
    "remove_hosts_blocks",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
OsId = Literal["windows", "macos", "linux"]

# Marker comments: dated and naming the (ASCII) domain, so the block can be found and removed later. The company's
# short name keeps them from matching anyone else's comments.
MARKER_LABEL = f"{PROVIDER.company_short} migration"
_MARKER_RE = re.compile(
    r"^[ \t]*#[ \t]*(BEGIN|END)[ \t]+" + re.escape(MARKER_LABEL) + r"[ \t]+(\S+)[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*\r?$"
)

# One LDH label after IDNA conversion (RFC 1123 host name rules; A-labels are LDH too).
_LDH_LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_MAX_LABEL = 63
_MAX_NAME = 253
# Surrounding spaces (ASCII and the ideographic space a Japanese IME types) are trimmed: they cannot reach the output,
# because only the normalised name is written. Anything else unusual is rejected, wherever it is.
_TRIM = " \u3000"
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})

_DOCUMENTATION_NETS = tuple(
    ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)


# --------------------------------------------------------------------------------------------------------------------
# Messages (data, not logic)

_FIELD_NAMES: dict[str, Text] = {
    "domain": Text(ja="ドメイン名", en="The domain name"),
    "names": Text(ja="ホスト名", en="The host name"),
    "old_server": Text(ja="旧サーバーのホスト名", en="The old server's host name"),
    "new_server": Text(ja="新サーバーのホスト名", en="The new server's host name"),
    "addresses": Text(ja="メールアドレスのドメイン部分", en="The domain part of the e-mail address"),
}


def _msg(field: str, ja: str, en: str) -> ChecklistError:
    """An error whose message starts with the field's own name, so it reads well beside any input."""
    name = _FIELD_NAMES.get(field, Text(ja="入力", en="The input"))
    return ChecklistError(field, ja=f"{name.ja}{ja}", en=f"{name.en} {en}")


_EXAMPLE = "例: example.co.jp / 日本語.jp"
_EXAMPLE_EN = "e.g. example.co.jp or 日本語.jp"


# --------------------------------------------------------------------------------------------------------------------
# Validation shared with mail.py


def _clean(value: object, field: str, what_ja: str, what_en: str) -> str:
    """Trim surrounding spaces; reject non-strings, empty input and any control, format or space character inside."""
    if not isinstance(value, str):
        raise ChecklistError(field, ja=f"{what_ja}を文字列で指定してください。", en=f"Give {what_en} as text.")
    s = value.strip(_TRIM)
    if not s:
        raise ChecklistError(field, ja=f"{what_ja}を入力してください。", en=f"Enter {what_en}.")
    for ch in s:
        if unicodedata.category(ch) in _BAD_CATEGORIES or ch in "\t\n\r\v\f":
            raise ChecklistError(
                field,
                ja=f"{what_ja}に空白・タブ・改行・制御文字は使えません（U+{ord(ch):04X}）。",
                en=f"{what_en[0].upper()}{what_en[1:]} must not contain spaces, tabs, line breaks or control "
                f"characters (found U+{ord(ch):04X}).",
            )
    return s


def _to_ascii_labels(s: str, field: str) -> list[str]:
    """Convert a (possibly Japanese) dotted name to A-labels per IDNA 2008 with UTS 46 mapping.

    UTS 46 maps full-width letters and the ideographic full stop (。) to their ASCII forms and lowercases. Each label
    is checked on its own so the error can say which rule broke (length, characters, hyphens).
    """
    try:
        mapped = idna.uts46_remap(s, std3_rules=True, transitional=False)
    except UnicodeError:
        # Name the culprit when it is a visible ASCII character such as "#", "_" or "*".
        bad = next((c for c in s if c.isascii() and not (c.isalnum() or c in "-.")), None)
        shown_ja = f"（「{bad}」）" if bad else ""
        shown_en = f" ({bad!r})" if bad else ""
        raise _msg(
            field,
            f"に使えない文字が含まれています{shown_ja}。使えるのは英数字・ハイフン・日本語で、"
            f"ラベルはドット(.)で区切ります（{_EXAMPLE}）。",
            f"contains a character that is not allowed{shown_en}. Use letters, digits, hyphens or Japanese, with "
            f"labels separated by dots ({_EXAMPLE_EN}).",
        ) from None
    labels = mapped.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()  # one trailing dot (fully qualified form) is harmless: drop it
    out: list[str] = []
    for label in labels:
        if not label:
            raise _msg(
                field,
                "に空のラベルがあります（ドットが連続しているか、先頭にあります）。",
                "has an empty label (two dots in a row, or a leading dot).",
            )
        # The 63-octet limit applies to the A-label ("xn--" + Punycode), not to the Japanese form.
        ascii_label = label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        if len(ascii_label) > _MAX_LABEL:
            raise _msg(
                field,
                f"のラベル（ドットで区切られた各部分）は {_MAX_LABEL} 文字以内にしてください"
                f"（日本語は punycode 変換後の長さ）: {len(ascii_label)} 文字です。",
                f"has a label (a part between dots) longer than {_MAX_LABEL} characters after Punycode "
                f"conversion: {len(ascii_label)}.",
            )
        try:
            encoded = idna.alabel(label).decode("ascii")
        except UnicodeError:
            raise _msg(
                field,
                f"のラベル「{label}」は使えません。英数字・ハイフン・日本語で、先頭と末尾はハイフン以外、"
                f"3・4 文字目に「--」を置かない形にしてください（{_EXAMPLE}）。",
                f"has a label that is not allowed: {label!r}. Use letters, digits, hyphens or Japanese, not starting "
                f"or ending with a hyphen and without '--' in positions 3-4 ({_EXAMPLE_EN}).",
            ) from None
        if not _LDH_LABEL_RE.fullmatch(encoded):  # belt and braces: never write anything but LDH into a hosts file
            raise _msg(field, f"のラベル「{label}」は使えません。", f"has a label that is not allowed: {label!r}.")
        out.append(encoded)
    return out


def _check_total(name: str, field: str) -> None:
    if len(name) > _MAX_NAME:
        raise _msg(
            field,
            f"は全体で {_MAX_NAME} 文字以内にしてください（punycode 変換後 {len(name)} 文字です）。",
            f"must be at most {_MAX_NAME} characters in total (it is {len(name)} after Punycode conversion).",
        )


def normalize_domain(value: object, *, field: str = "domain") -> tuple[str, str]:
    """Validate a domain name and return ``(ascii, unicode)``: the Punycode form and a readable form.

    Japanese (IDN) domains are converted per IDNA 2008 with UTS 46 mapping (``idna`` package), e.g.
    ``日本語.jp`` → ``("xn--wgv71a119e.jp", "日本語.jp")``. At least two labels and a non-numeric top-level label
    are required, so that neither ``localhost`` nor an IP address passes as a domain.
    Raises :class:`ChecklistError` naming ``field``.
    """
    name = _FIELD_NAMES.get(field, _FIELD_NAMES["domain"])
    s = _clean(value, field, name.ja, name.en[0].lower() + name.en[1:])
    labels = _to_ascii_labels(s, field)
    if len(labels) < 2:
        raise _msg(
            field,
            f"はトップレベルドメインまで含めて入力してください（{_EXAMPLE}）。",
            f"must be complete, including the top-level domain ({_EXAMPLE_EN}).",
        )
    if labels[-1].isdigit():
        raise _msg(
            field,
            f"には IP アドレスではなく名前を入力してください（{_EXAMPLE}）。",
            f"must be a name, not an IP address ({_EXAMPLE_EN}).",
        )
    ascii_name = ".".join(labels)
    _check_total(ascii_name, field)
    return ascii_name, idna.decode(ascii_name)


def parse_ip(value: object, *, field: str = "ip") -> IPAddress:
    """Parse one IPv4 or IPv6 address written as text; reject zone ids and IPv4-mapped IPv6 forms."""
    s = _clean(value, field, "IP アドレス", "an IP address")
    if "%" in s:
        raise ChecklistError(
            field,
            ja=f"IP アドレスにゾーン ID（% 以降）は付けられません: {s}",
            en=f"An IP address must not carry a zone id (the part after %): {s}",
        )
    try:
        address = ipaddress.ip_address(s)
    except ValueError:
        raise ChecklistError(
            field,
            ja=f"IP アドレスの形式ではありません: {s}（例: 203.0.113.10 / 2001:db8::10）",
            en=f"Not an IP address: {s} (e.g. 203.0.113.10 or 2001:db8::10).",
        ) from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        raise ChecklistError(
            field,
            ja=f"IPv4 射影アドレスは使えません。IPv4 アドレス {address.ipv4_mapped} をそのまま入力してください。",
            en=f"IPv4-mapped IPv6 addresses are not accepted: enter the IPv4 address {address.ipv4_mapped} itself.",
        )
    return address


def normalize_host(value: object, *, field: str) -> str:
    """Validate a server given as a host name or an IP address; return its ASCII host name or canonical address."""
    if isinstance(value, str):
        stripped = value.strip(_TRIM)
        if stripped.startswith("[") and stripped.endswith("]"):
            stripped = stripped[1:-1]  # an IPv6 literal in URL brackets
        if ":" in stripped or re.fullmatch(r"[0-9.]+", stripped):
            return str(parse_ip(stripped, field=field))
    return normalize_domain(value, field=field)[0]


def address_warning(address: IPAddress) -> Text | None:
    """A warning when ``address`` cannot be the new server's public address (documentation, private, …)."""
    a = str(address)
    if any(address in net for net in _DOCUMENTATION_NETS):
        return Text(
            ja=f"{a} は説明用(ドキュメント用)のアドレスです。『サーバアカウント情報』に記載の新サーバーの IP アドレスを"
            "入力してください。",
            en=f"{a} is a documentation address. Enter the new server's IP address from the Server Account "
            "Information.",
        )
    checks: tuple[tuple[bool, str, str], ...] = (
        (address.is_unspecified, "未指定アドレス", "the unspecified address"),
        (address.is_loopback, "ループバックアドレス（この PC 自身）", "a loopback address (this PC itself)"),
        (address.is_link_local, "リンクローカルアドレス", "a link-local address"),
        (address.is_multicast, "マルチキャストアドレス", "a multicast address"),
        (address.is_private, "プライベートアドレス", "a private address"),
        (not address.is_global, "インターネットで使われないアドレス", "not a public Internet address"),
    )
    for hit, ja, en in checks:
        if hit:
            return Text(
                ja=f"{a} は{ja}です。新サーバーのインターネット上の IP アドレスか、もう一度ご確認ください。",
                en=f"{a} is {en}. Check that it is the new server's public IP address.",
            )
    return None


# --------------------------------------------------------------------------------------------------------------------
# Per-OS steps (data)


@dataclass(frozen=True, slots=True)
class OsGuide:
    """How to edit the hosts file on one operating system, and how to undo it."""

    id: OsId
    name: Text
    path: str
    steps: tuple[Text, ...]
    flush_commands: tuple[str, ...]
    flush_note: Text
    removal: Text
    windows_line_endings: bool

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data."""
        return {
            "id": self.id,
            "name": _text(self.name),
            "path": self.path,
            "steps": [_text(t) for t in self.steps],
            "flush_commands": list(self.flush_commands),
            "flush_note": _text(self.flush_note),
            "removal": _text(self.removal),
            "windows_line_endings": self.windows_line_endings,
        }


_WINDOWS_PATH = r"C:\Windows\System32\drivers\etc\hosts"

OS_GUIDES: tuple[OsGuide, ...] = (
    OsGuide(
        id="windows",
        name=Text(ja="Windows", en="Windows"),
        path=_WINDOWS_PATH,
        steps=(
            Text(
                ja="スタートメニューで「メモ帳」を検索し、右クリックして「管理者として実行」を選びます。",
                en="Search for Notepad in the Start menu, right-click it and choose “Run as administrator”.",
            ),
            Text(
                ja=f"メモ帳の「ファイル」→「開く」で {_WINDOWS_PATH} を開きます"
                "（ファイルの種類を「すべてのファイル」にすると hosts が表示されます）。",
                en=f"In Notepad, choose File › Open and open {_WINDOWS_PATH} (set the file type to “All files” to "
                "see it).",
            ),
            Text(
                ja="ファイルの末尾に、上のブロックを「# BEGIN」の行から「# END」の行まで、そのまま貼り付けます。"
                "既存の行は変更しないでください。",
                en="Paste the block above at the end of the file, from the “# BEGIN” line to the “# END” line, "
                "exactly as it is. Leave the existing lines alone.",
            ),
            Text(
                ja="上書き保存します（「hosts.txt」のように拡張子を付けて保存しないでください）。",
                en="Save the file in place (do not let Notepad add an extension such as hosts.txt).",
            ),
            Text(
                ja="コマンドプロンプトで「ipconfig /flushdns」を実行し、ブラウザーをすべて閉じてから開き直します。",
                en="Run “ipconfig /flushdns” in Command Prompt, then close every browser window and open it again.",
            ),
        ),
        flush_commands=("ipconfig /flushdns",),
        flush_note=Text(
            ja="コマンドプロンプト（管理者でなくても可）で実行します。",
            en="Run it in Command Prompt (administrator rights are not needed).",
        ),
        removal=Text(
            ja="切り替え後は、同じ手順で hosts を開き、「# BEGIN」から「# END」までの行を削除して保存し、"
            "「ipconfig /flushdns」を実行します。",
            en="After the switch, open hosts the same way, delete the lines from “# BEGIN” to “# END”, save, and "
            "run “ipconfig /flushdns”.",
        ),
        windows_line_endings=True,
    ),
    OsGuide(
        id="macos",
        name=Text(ja="macOS", en="macOS"),
        path="/etc/hosts",
        steps=(
            Text(
                ja="「ターミナル」を開き、「sudo nano /etc/hosts」と入力します"
                "（Mac のログインパスワードを聞かれます）。",
                en="Open Terminal and type “sudo nano /etc/hosts” (it asks for your Mac login password).",
            ),
            Text(
                ja="カーソルをファイルの末尾に移動し、上のブロックを「# BEGIN」の行から「# END」の行まで貼り付けます。",
                en="Move to the end of the file and paste the block above, from the “# BEGIN” line to the “# END” "
                "line.",
            ),
            Text(
                ja="control + O、return で保存し、control + X で閉じます。",
                en="Press control + O and return to save, then control + X to quit.",
            ),
            Text(
                ja="「sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder」を実行し、"
                "ブラウザーを開き直します。",
                en="Run “sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder”, then reopen the browser.",
            ),
        ),
        flush_commands=("sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder",),
        flush_note=Text(ja="ターミナルで実行します。", en="Run it in Terminal."),
        removal=Text(
            ja="切り替え後は「sudo nano /etc/hosts」で開き、「# BEGIN」から「# END」までの行を削除して保存し、"
            "キャッシュを消去するコマンドをもう一度実行します。",
            en="After the switch, open it with “sudo nano /etc/hosts”, delete the lines from “# BEGIN” to "
            "“# END”, save, and run the cache-flush command again.",
        ),
        windows_line_endings=False,
    ),
    OsGuide(
        id="linux",
        name=Text(ja="Linux", en="Linux"),
        path="/etc/hosts",
        steps=(
            Text(
                ja="端末で「sudo nano /etc/hosts」（または普段お使いのエディター）で開きます。",
                en="In a terminal, open it with “sudo nano /etc/hosts” (or your usual editor).",
            ),
            Text(
                ja="ファイルの末尾に、上のブロックを「# BEGIN」の行から「# END」の行まで貼り付けて保存します。",
                en="Paste the block above at the end of the file, from the “# BEGIN” line to the “# END” line, "
                "and save.",
            ),
            Text(
                ja="systemd-resolved をお使いの場合は「sudo resolvectl flush-caches」を実行し、"
                "ブラウザーを開き直します。",
                en="If systemd-resolved is in use, run “sudo resolvectl flush-caches”; then reopen the browser.",
            ),
        ),
        flush_commands=("sudo resolvectl flush-caches",),
        flush_note=Text(
            ja="systemd-resolved を使っている場合のみ必要です。",
            en="Only needed when systemd-resolved is in use.",
        ),
        removal=Text(
            ja="切り替え後は同じファイルを開き、「# BEGIN」から「# END」までの行を削除して保存します。",
            en="After the switch, open the same file, delete the lines from “# BEGIN” to “# END” and save.",
        ),
        windows_line_endings=False,
    ),
)

HOSTS_NOTES: tuple[Text, ...] = (
    Text(
        ja="hosts の設定は、その PC からの接続だけを新サーバーに向けます。他の方やインターネット全体には影響しません。",
        en="The hosts file only points this PC at the new server; nobody else and nothing on the Internet is affected.",
    ),
    Text(
        ja="確認には ping やブラウザーを使ってください。nslookup や dig は hosts を読まずに"
        "DNS へ直接問い合わせるため、旧サーバーの IP アドレスが表示されます。",
        en="Check with ping or a browser. nslookup and dig ask DNS directly without reading hosts, so they still "
        "show the old server's address.",
    ),
    Text(
        ja="ブラウザーは独自に DNS の結果を覚えています。反映されないときはブラウザーをすべて閉じて開き直すか、"
        "Chrome / Edge では chrome://net-internals/#dns（Edge は edge://net-internals/#dns）の"
        "「Clear host cache」を押してください。",
        en="Browsers keep their own DNS cache. If nothing changes, close every browser window and reopen it, or in "
        "Chrome / Edge press “Clear host cache” at chrome://net-internals/#dns (edge://net-internals/#dns).",
    ),
    Text(
        ja="iPhone・iPad・Android では hosts ファイルを編集できません。確認は PC から行ってください。",
        en="iPhone, iPad and Android cannot edit a hosts file: test from a PC.",
    ),
    Text(
        ja="DNS 切り替えが終わったら、必ずこのブロックを削除してください。残したままにすると、その PC だけが"
        "ずっとこの IP アドレスに接続し続けます。",
        en="Remove this block once the DNS switch is done. Left in place, this PC keeps using this address for good.",
    ),
)


# --------------------------------------------------------------------------------------------------------------------
# The block


def _text(t: Text) -> dict[str, str]:
    return {"ja": t.ja, "en": t.en}


@dataclass(frozen=True, slots=True)
class HostsEntry:
    """One hosts line: an address and the names it answers for (one name per line in blocks built here)."""

    address: str
    names: tuple[str, ...]

    @property
    def family(self) -> Literal["ipv4", "ipv6"]:
        """``"ipv4"`` or ``"ipv6"``."""
        return "ipv6" if ":" in self.address else "ipv4"

    def line(self) -> str:
        """The line as written to the file, without line ending."""
        return f"{self.address}\t{' '.join(self.names)}"

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data."""
        return {"address": self.address, "names": list(self.names), "family": self.family}


@dataclass(frozen=True, slots=True)
class HostsBlock:
    """A marked block of hosts lines for one domain, with warnings and per-OS instructions."""

    domain: str  # ASCII (Punycode) form, as written in the file
    domain_unicode: str  # readable form, for display only
    date: _dt.date
    entries: tuple[HostsEntry, ...]
    warnings: tuple[Text, ...]

    @property
    def begin_marker(self) -> str:
        """The opening comment line."""
        return f"# BEGIN {MARKER_LABEL} {self.domain} {self.date.isoformat()}"

    @property
    def end_marker(self) -> str:
        """The closing comment line."""
        return f"# END {MARKER_LABEL} {self.domain} {self.date.isoformat()}"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the block covers, in order, without repeats."""
        return tuple(dict.fromkeys(n for e in self.entries for n in e.names))

    @property
    def addresses(self) -> tuple[str, ...]:
        """Every address in the block, in order, without repeats."""
        return tuple(dict.fromkeys(e.address for e in self.entries))

    @property
    def text(self) -> str:
        """The block with ``\\n`` line endings (macOS, Linux, and modern Windows editors)."""
        return self.render()

    def render(self, *, windows: bool = False) -> str:
        """The block as text, ending with a line break; ``windows=True`` gives CRLF line endings."""
        lines = [self.begin_marker, *(e.line() for e in self.entries), self.end_marker]
        eol = "\r\n" if windows else "\n"
        return eol.join(lines) + eol

    @property
    def os_guides(self) -> tuple[OsGuide, ...]:
        """Per-OS steps and cache-flush commands."""
        return OS_GUIDES

    @property
    def notes(self) -> tuple[Text, ...]:
        """Advice that holds on every OS (browser caches, phones, removing the block)."""
        return HOSTS_NOTES

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data for the browser and ``--json``."""
        return {
            "domain": self.domain,
            "domain_unicode": self.domain_unicode,
            "date": self.date.isoformat(),
            "entries": [e.to_dict() for e in self.entries],
            "names": list(self.names),
            "addresses": list(self.addresses),
            "begin_marker": self.begin_marker,
            "end_marker": self.end_marker,
            "text": self.render(),
            "text_windows": self.render(windows=True),
            "warnings": [_text(w) for w in self.warnings],
            "os_guides": [g.to_dict() for g in self.os_guides],
            "notes": [_text(n) for n in self.notes],
        }


def _as_list(value: object, field: str, what_ja: str, what_en: str) -> list[object]:
    """Accept one string or a sequence of them (a bare string is one value, not its characters)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return list(value)
    raise ChecklistError(
        field, ja=f"{what_ja}を文字列の一覧で指定してください。", en=f"Give {what_en} as a list of text."
    )


def _resolve_name(raw: object, domain_ascii: str) -> str:
    """A requested name: ``@`` (the bare domain), a label such as ``mail``, or a full name under the domain."""
    s = _clean(raw, "names", "ホスト名", "a host name")
    if s in ("@", domain_ascii):
        return domain_ascii
    labels = _to_ascii_labels(s, "names")
    name = ".".join(labels)
    if name == domain_ascii or name.endswith("." + domain_ascii):
        full = name
    elif len(labels) == 1:
        full = f"{name}.{domain_ascii}"
    else:
        raise ChecklistError(
            "names",
            ja=f"ホスト名「{s}」は {domain_ascii} の下の名前ではありません。「mail」のようなラベルか、"
            f"「mail.{domain_ascii}」のような完全な名前を入力してください。",
            en=f"The host name {s!r} is not under {domain_ascii}. Give a label such as “mail” or a full name "
            f"such as “mail.{domain_ascii}”.",
        )
    _check_total(full, "names")
    return full


DEFAULT_NAMES: tuple[str, ...] = ("@", "www")


def build_hosts_block(
    domain: str,
    addresses: str | Sequence[str],
    names: str | Sequence[str] | None = None,
    *,
    date: _dt.date,
) -> HostsBlock:
    """Build the hosts block that points ``names`` under ``domain`` at the new server's ``addresses``.

    ``addresses``: the new server's IPv4 and/or IPv6 address (at most one of each). ``names``: ``@`` for the bare
    domain, labels such as ``"www"``/``"mail"``, or full names under the domain; default: the bare domain and www.
    ``date`` (passed in, the core has no clock) dates the marker comments. One line per address and name.
    Raises :class:`ChecklistError` with ``field`` ``"domain"``, ``"names"``, ``"ip"`` or ``"date"``.
    """
    domain_ascii, domain_unicode = normalize_domain(domain, field="domain")

    raw_names = list(DEFAULT_NAMES) if names is None else _as_list(names, "names", "ホスト名", "the host names")
    if not raw_names:
        raise ChecklistError(
            "names",
            ja="hosts に書くホスト名を 1 つ以上指定してください（例: @ と www）。",
            en="Give at least one host name for the hosts file (e.g. @ and www).",
        )
    full_names = tuple(dict.fromkeys(_resolve_name(n, domain_ascii) for n in raw_names))

    raw_addresses = _as_list(addresses, "ip", "IP アドレス", "the IP addresses")
    parsed = list(dict.fromkeys(parse_ip(a, field="ip") for a in raw_addresses))
    if not parsed:
        raise ChecklistError(
            "ip",
            ja="新サーバーの IP アドレス（IPv4 と IPv6 のどちらか、または両方）を入力してください。",
            en="Enter the new server's IP address (IPv4, IPv6 or both).",
        )
    # The block tests one server: two addresses of one family would make the PC pick either, hiding a wrong one.
    for version, label in ((4, "IPv4"), (6, "IPv6")):
        same = [str(a) for a in parsed if a.version == version]
        if len(same) > 1:
            raise ChecklistError(
                "ip",
                ja=f"{label} アドレスは 1 つだけ指定してください（指定: {', '.join(same)}）。",
                en=f"Give only one {label} address (got {', '.join(same)}).",
            )
    parsed.sort(key=lambda a: a.version)  # IPv4 lines first: easier to read and to compare with the account sheet

    if isinstance(date, _dt.datetime):
        date = date.date()  # a datetime would put a time into the marker
    if not isinstance(date, _dt.date):
        raise ChecklistError("date", ja="日付を指定してください。", en="Give a date.")

    entries = tuple(HostsEntry(address=str(a), names=(n,)) for a in parsed for n in full_names)
    warnings = tuple(w for a in parsed if (w := address_warning(a)) is not None)
    return HostsBlock(domain=domain_ascii, domain_unicode=domain_unicode, date=date, entries=entries, warnings=warnings)


# --------------------------------------------------------------------------------------------------------------------
# Removal


@dataclass(frozen=True, slots=True)
class HostsRemoval:
    """The hosts text without our blocks, how many were removed, and warnings about anything left alone."""

    text: str
    removed: int
    warnings: tuple[Text, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data."""
        return {"text": self.text, "removed": self.removed, "warnings": [_text(w) for w in self.warnings]}


def remove_hosts_blocks(text: str, domain: str | None = None) -> HostsRemoval:
    """Remove our marked block(s) from a hosts file's text, leaving every other line byte for byte as it was.

    With ``domain`` only that domain's blocks go (any date); without it, every block we made. A BEGIN line without
    its matching END line is left in place with a warning, because where such a block ends cannot be known.
    """
    if not isinstance(text, str):
        raise ChecklistError(
            "hosts", ja="hosts ファイルの内容を文字列で指定してください。", en="Give the hosts file as text."
        )
    wanted = None if domain is None else normalize_domain(domain, field="domain")[0]
    # Split on "\n" only (keeping it, and any "\r" before it): str.splitlines() would also split on form feeds and
    # Unicode separators that no hosts parser treats as line ends.
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    keep: list[str] = []
    removed = 0
    warnings: list[Text] = []
    i = 0
    while i < len(lines):
        m = _MARKER_RE.match(lines[i].rstrip("\n"))
        if m and m.group(1) == "BEGIN" and (wanted is None or m.group(2).lower() == wanted):
            end = next(
                (
                    j
                    for j in range(i + 1, len(lines))
                    if (e := _MARKER_RE.match(lines[j].rstrip("\n")))
                    and e.group(1) == "END"
                    and e.group(2) == m.group(2)
                    and e.group(3) == m.group(3)
                ),
                None,
            )
            if end is not None:
                removed += 1
                i = end + 1
                continue
            warnings.append(
                Text(
                    ja=f"{i + 1} 行目の「# BEGIN」に対応する「# END」の行が見つからないため、"
                    "その部分は削除していません。手作業で確認してください。",
                    en=f"Line {i + 1} starts a block whose “# END” line is missing, so it was left in place: "
                    "check it by hand.",
                )
            )
        keep.append(lines[i])
        i += 1
    return HostsRemoval(text="".join(keep), removed=removed, warnings=tuple(warnings))
