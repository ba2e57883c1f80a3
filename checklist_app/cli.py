"""The staff CLI: ``python -m checklist_app {hosts,mail,schedule,dnscheck,overview}``.

Every option's help reads "日本語 / English". Output is Japanese unless ``--lang en``; errors are shown in both
languages unless ``--lang`` is given. Exit codes: 0 success, 2 bad input (the error on stderr, nothing on stdout,
never a traceback); ``dnscheck`` also uses 1 for "not switched, propagating or
differs from the new values" (:func:`checklist_app.dnscheck.transport.outcome`).

``overview`` reads a checklist export file (the JSON the checklist page exports) and lists every checklist in it:
progress, the next action, the agreed DNS switch date, the ご解約日 and the warnings of
:mod:`checklist_app.overview` (a table, ``--csv`` for Excel, ``--ics`` for a calendar or ``--json``).

The core takes no clock: this module passes today's date (hosts markers, ``overview``'s warnings) and the current time
(``.ics`` DTSTAMP).
Only ``dnscheck`` touches the network, through :mod:`checklist_app.dnscheck.transport` (CPython only).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, NoReturn

from .errors import ChecklistError
from .provider import SAMPLE_LABEL
from .text import Text

if TYPE_CHECKING:
    from .mail import MailSettings
    from .progress import Workspace

__all__ = ["main"]

Lang = str | None  # "ja", "en", or None: Japanese output, errors in both languages

# ----- words (data, not logic) -----
_W: dict[str, Text] = {
    "error": Text("エラー", "Error"),
    "usage_error": Text("引数が正しくありません", "invalid arguments"),
    "unexpected": Text(
        "予期しないエラーです（不具合の可能性があります。開発担当へお知らせください）",
        "unexpected error (probably a bug: please report it)",
    ),
    "warnings": Text("注意", "Warnings"),
    "notes": Text("補足", "Notes"),
    "flush": Text("キャッシュの消去", "Flush the cache"),
    "removal": Text("切り替え後の削除", "Removing it after the switch"),
    "file": Text("ファイル", "File"),
    "old_account": Text(
        "(a) 既存のアカウントを【旧】として旧サーバーへ向ける",
        "(a) Point the existing account, renamed 【旧】, at the old server",
    ),
    "new_account": Text("(b) 【新】アカウントを追加する", "(b) Add the new account 【新】"),
    "applied": Text("お申し込み日", "Application date"),
    "switch": Text("DNS 切り替え日", "DNS switch date"),
    "switch_planned": Text("（ご希望日）", " (requested)"),
    "switch_earliest": Text("（最短）", " (earliest)"),
    "latest_switch": Text("各段階が最長の場合の切り替え日", "Switch date if every stage takes its longest"),
    "request_by": Text("切り替え日のご連絡期限", "Tell Net-com the switch date by"),
    "double_check": Text("新・旧両方のメールチェック期間", "Check both old and new mail"),
    "removal_day": Text("旧アカウント削除が可能になる最短日", "Earliest day to remove the old account"),
    "cancellation": Text("旧契約の解約日（この日以降）", "Old contract's cancellation (on or after)"),
    "start": Text("開始", "start"),
    "end": Text("完了見込み", "complete"),
    "done": Text("完了日", "completed"),
    "domain": Text("ドメイン", "Domain"),
    "parents": Text("親ゾーンのサーバ", "Parent zone servers"),
    "delegation": Text("委任先 (NS)", "Delegated to (NS)"),
    "none": Text("（なし）", "(none)"),
    "expected": Text("期待値", "expected"),
    "new_value": Text("新", "new"),
    "old_value": Text("旧", "old"),
    "unknown": Text("不明", "unknown"),
    "new_servers": Text("新しいネームサーバ", "New name servers"),
    "old_servers": Text("旧ネームサーバ", "Old name servers"),
    "serves_zone": Text("ゾーンあり", "serves the zone"),
    "labels": Text(
        "新 = 新しいネームサーバの値 / 旧 = 旧ネームサーバの値 / 不一致 = どちらとも違う値 / 混在 = 新と旧の両方",
        "new = the new name servers' values / old = the old name servers' values / other = neither / "
        "mixed = both new and old",
    ),
    "verdict": Text("判定", "Verdict"),
    "next": Text("次にすること", "What to do next"),
    "server": Text("サーバ", "Server"),
    "role": Text("種別", "Role"),
    "result": Text("結果", "Result"),
    "found": Text("応答値 / 詳細", "Found / details"),
    "ov_domain": Text("ドメイン", "Domain"),
    "ov_label": Text("表示名", "Display name"),
    "ov_progress": Text("進捗", "Progress"),
    "ov_next": Text("次の作業", "Next action"),
    "ov_actor": Text("対応", "Who acts"),
    "ov_switch": Text("DNS 切り替え日", "DNS switch date"),
    "ov_cancellation": Text("ご解約日", "Cancellation date"),
    "ov_none": Text("該当するチェックリストはありません。", "No checklist to show."),
    "ov_today": Text("基準日", "As of"),
    "ov_problem": Text("ファイルの一部を読めませんでした", "Part of the file could not be read"),
}
_SOURCES: dict[str, Text] = {
    "given": Text("指定値", "given"),
    "new_authoritative": Text("新しいネームサーバの応答", "as the new name servers answer"),
    "provider": Text("弊社のネームサーバ", "Net-com's name servers"),
    "old_authoritative": Text("旧ネームサーバの応答", "as the old name servers answer"),
    "delegation": Text("親ゾーン・リゾルバが示す新しくない委任先", "the delegation shown that is not the new one"),
}
_ROLES: dict[str, Text] = {
    "parent": Text("親ゾーン", "parent"),
    "authoritative": Text("権威", "authoritative"),
    "resolver": Text("リゾルバ", "resolver"),
}


def _t(key: str, lang: Lang) -> str:
    return _W[key].get(lang or "ja")


# ----- the parser -----


class _UsageError(Exception):
    """argparse's complaint, raised instead of printed so that main() can show it in both languages."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(self, message)


_LANG_HELP = (
    "出力とエラーの言語（省略時: 出力は日本語、エラーは日英併記） / "
    "language of output and errors (default: Japanese output, errors in both)"
)
_JSON_HELP = "結果を JSON で出力 / print the result as JSON"


_HELP_HELP = "このヘルプを表示して終了 / show this help and exit"
# checklist_app.overview.SORT_KEYS, written out so that --help does not import the planner (tests compare them).
_SORT_KEYS = ("switch", "progress")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("ja", "en"), default=None, help=_LANG_HELP)
    parser.add_argument("-h", "--help", action="help", help=_HELP_HELP)


def _build_parser() -> argparse.ArgumentParser:
    from .mail import CLIENT_ALIASES, CLIENTS

    parser = _Parser(
        prog="python -m checklist_app",
        description="ネット・コミュニケーションズ 移行ツール（スタッフ用） / Net-com migration tools for staff",
        epilog="各サブコマンドの詳細: python -m checklist_app <コマンド> --help / details: <command> --help",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help=_HELP_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="{hosts,mail,schedule,dnscheck,overview}")

    hosts = sub.add_parser(
        "hosts",
        add_help=False,
        help="hosts ファイル用のブロックと手順 / hosts-file block and steps",
        description="新サーバーを DNS 切り替え前に確認するための hosts ブロック / hosts block to test the new server "
        "before the DNS switch",
    )
    hosts.add_argument("domain", metavar="DOMAIN", help="ドメイン名（日本語ドメイン可） / domain name (IDN allowed)")
    hosts.add_argument(
        "--ip",
        action="append",
        required=True,
        metavar="ADDR",
        help="新サーバーの IPv4・IPv6 アドレス（各 1 つまで、繰り返し可） / new server's IPv4 and/or IPv6 address "
        "(repeatable)",
    )
    hosts.add_argument(
        "--name",
        action="append",
        metavar="NAME",
        help="対象の名前（@ = ドメイン自体、www、mail など。省略時 @ と www） / names to cover (@ = the domain "
        "itself, www, mail …; default @ and www)",
    )
    hosts.add_argument(
        "--date", metavar="YYYY-MM-DD", help="目印コメントの日付（省略時: 今日） / date in the markers (default: today)"
    )
    hosts.add_argument(
        "--os",
        choices=("windows", "macos", "linux"),
        help="この OS の手順だけを表示 / show the steps for this OS only",
    )
    hosts.add_argument(
        "--block-only", action="store_true", help="ブロックだけを出力 / print the block only (for pasting)"
    )
    hosts.add_argument("--json", action="store_true", help=_JSON_HELP)
    _common(hosts)

    clients = ", ".join(f"{key} ({name.ja} / {name.en})" for key, name in CLIENTS.items())
    aliases = ", ".join(f"{alias}={key}" for alias, key in CLIENT_ALIASES.items())
    mail = sub.add_parser(
        "mail",
        add_help=False,
        help="メールソフトの設定値（旧・新アカウント）とファイル / mail-client values (old and new account) and files",
        description="移行期間中のメールソフト設定: (a) 旧アカウントを旧サーバーへ、(b) 新アカウントを追加 / mail "
        "client set-up during the migration: (a) old account to the old server, (b) new account added",
    )
    mail.add_argument("addresses", nargs="+", metavar="ADDRESS", help="メールアドレス（複数可） / e-mail address(es)")
    mail.add_argument(
        "--protocol", required=True, metavar="{pop,imap}", help="受信方式 pop / imap / protocol pop or imap"
    )
    mail.add_argument(
        "--client",
        default="outlook_classic",
        metavar="CLIENT",
        help=f"メールソフト（省略時 outlook_classic） / mail client (default outlook_classic): {clients}. "
        f"別名 / aliases: {aliases}",
    )
    mail.add_argument(
        "--old-server",
        metavar="HOST",
        help="旧サーバー固有のホスト名または IP アドレス / the old server's own host name or IP address",
    )
    mail.add_argument(
        "--new-server",
        metavar="HOST",
        help="新サーバーのホスト名（省略時: 弊社の既定値） / new server's host name (default: Net-com's)",
    )
    mail.add_argument(
        "--smtp-security",
        default="starttls",
        metavar="{starttls,ssl}",
        help="送信の暗号化 starttls (587) / ssl (465) / SMTP security: starttls (587) or ssl (465)",
    )
    mail.add_argument(
        "--pop-keep-days",
        type=int,
        default=None,
        metavar="DAYS",
        help="POP でサーバーにコピーを残す日数（省略時 14） / days POP leaves a copy on the server (default 14)",
    )
    mail.add_argument(
        "--format",
        choices=("autoconfig", "mobileconfig"),
        help="設定ファイルを出力: mobileconfig (Apple 構成プロファイル、お客様用) / autoconfig (Thunderbird の "
        "config-v1.1.xml、管理者が autoconfig.<ドメイン>/mail/ に置くもの。お客様は読み込めません) / print a file: "
        "mobileconfig (Apple profile, for customers) or autoconfig (Thunderbird's config-v1.1.xml, for administrators "
        "to publish at autoconfig.<domain>/mail/; customers cannot import it)",
    )
    mail.add_argument("--json", action="store_true", help=_JSON_HELP)
    _common(mail)

    schedule = sub.add_parser(
        "schedule",
        add_help=False,
        help="営業日ベースの移行スケジュールと .ics / migration schedule on business days, and .ics",
        description="お申し込み日から各段階の日程を計画します / plans every stage from the application date",
    )
    schedule.add_argument("--applied", required=True, metavar="YYYY-MM-DD", help="お申し込み日 / application date")
    schedule.add_argument(
        "--transfer-done", metavar="YYYY-MM-DD", help="ドメイン移管の完了日 / domain transfer completed on"
    )
    schedule.add_argument(
        "--account-info-received",
        metavar="YYYY-MM-DD",
        help="『サーバアカウント情報』の受領日 / Server Account Information received on",
    )
    schedule.add_argument(
        "--setup-done", metavar="YYYY-MM-DD", help="お客様データの設定完了日 / customer set-up finished on"
    )
    schedule.add_argument(
        "--switch-date",
        metavar="YYYY-MM-DD",
        help="希望する DNS 切り替え日（平日 月～木） / requested DNS switch date (Monday to Thursday)",
    )
    schedule.add_argument(
        "--notice-days",
        type=int,
        default=None,
        metavar="N",
        help="切り替え日を何営業日前までに連絡するか（省略時 3） / business days of notice for the switch (default 3)",
    )
    schedule.add_argument(
        "--domain", metavar="DOMAIN", help="カレンダーに表示するドメイン名 / domain name shown in the calendar"
    )
    schedule.add_argument("--format", choices=("ics",), help="iCalendar (.ics) を出力 / print an iCalendar (.ics) file")
    schedule.add_argument("--json", action="store_true", help=_JSON_HELP)
    _common(schedule)

    dnscheck = sub.add_parser(
        "dnscheck",
        add_help=False,
        help="DNS 切り替えの確認（実際の DNS サーバへ問い合わせます） / DNS switch-over check (queries real servers)",
        description="親ゾーン・新旧のネームサーバ・リゾルバに問い合わせ、新しい値に切り替わったかを判定します。"
        "新しい値 = 新しいネームサーバの応答、旧の値 = 旧ネームサーバの応答。"
        "終了コード 0 = すべて切替完了、1 = 未切替・伝播中・新しい値と不一致、2 = エラー・新しいゾーンが未設定 / asks "
        "the parent zone, the new and old name servers and resolvers whether the domain has moved: new values are "
        "what the new name servers answer, old values what the old ones answer. Exit 0 switched everywhere, 1 not "
        "yet, mixed or differing from the new values, 2 error or the new zone is not set up",
    )
    dnscheck.add_argument("domain", metavar="DOMAIN", help="ドメイン名（日本語ドメイン可） / domain name (IDN allowed)")
    dnscheck.add_argument(
        "--resolver",
        action="append",
        metavar="ADDR[:PORT]",
        help="問い合わせるリゾルバ（繰り返し可。省略時: Google 8.8.8.8、Cloudflare 1.1.1.1、Quad9 9.9.9.9） / "
        "resolver to ask (repeatable; default: Google, Cloudflare, Quad9)",
    )
    dnscheck.add_argument(
        "--parent",
        action="append",
        metavar="ADDR[:PORT]",
        help="親ゾーンのサーバ（繰り返し可。省略時: 最初のリゾルバで調べる） / parent zone server (repeatable; "
        "default: found through the first resolver)",
    )
    for kind, default, example in (
        (
            "ns",
            Text(
                "弊社のネームサーバ。provider.toml の値がサンプル値の間は省略できません",
                "Net-com's name servers; required while provider.toml holds sample values",
            ),
            "ns1.example.jp",
        ),
        ("a", Text("新しいネームサーバの応答", "what the new name servers answer"), "192.0.2.10"),
        ("aaaa", Text("新しいネームサーバの応答", "what the new name servers answer"), "2001:db8:1::10"),
        ("mx", Text("新しいネームサーバの応答", "what the new name servers answer"), "10 mail.example.jp"),
        ("txt", Text("確認しない", "not checked"), "v=spf1 …"),
    ):
        dnscheck.add_argument(
            f"--expect-{kind}",
            action="append",
            metavar="VALUE",
            help=f"新しい {kind.upper()} の値（繰り返し可。省略時: {default.ja}。書き方の例: {example}） / new "
            f"{kind.upper()} value (repeatable; default: {default.en}; an example of the form, not a default: "
            f"{example})",
        )
    dnscheck.add_argument(
        "--old-ns",
        action="append",
        metavar="NAME",
        help="旧プロバイダのネームサーバ（繰り返し可。旧の値をここに問い合わせます。省略時: 親ゾーン・リゾルバが示す"
        "新しくない委任先） / the old provider's name server (repeatable; asked for the old values; default: the "
        "delegation the parent or a resolver shows that is not the new one)",
    )
    for kind in ("a", "aaaa", "mx", "txt"):
        dnscheck.add_argument(
            f"--old-{kind}",
            action="append",
            metavar="VALUE",
            help=f"旧 {kind.upper()} の値（任意。省略時: 旧ネームサーバの応答） / old {kind.upper()} value (optional; "
            "default: what the old name servers answer)",
        )
    dnscheck.add_argument(
        "--type",
        action="append",
        metavar="TYPE",
        help="確認するレコード種別（繰り返し可。省略時: NS A AAAA MX、--expect-txt があれば TXT も） / record types "
        "to check (repeatable; default: NS A AAAA MX, and TXT with --expect-txt)",
    )
    dnscheck.add_argument(
        "--timeout",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="1 回の問い合わせのタイムアウト秒（省略時 3） / per-query timeout in seconds (default 3)",
    )
    dnscheck.add_argument(
        "--ipv4-only",
        action="store_true",
        help="権威サーバへは IPv4 だけで問い合わせる / ask the authoritative servers over IPv4 only",
    )
    dnscheck.add_argument(
        "--loopback-only",
        action="store_true",
        help="127.0.0.0/8 と ::1 以外へは送信しない（試験用。環境変数 NETCOM_DNSCHECK_LOOPBACK_ONLY=1 でも可） / "
        "never send to an address outside loopback (for tests; also NETCOM_DNSCHECK_LOOPBACK_ONLY=1)",
    )
    dnscheck.add_argument("--json", action="store_true", help=_JSON_HELP)
    _common(dnscheck)

    overview = sub.add_parser(
        "overview",
        add_help=False,
        help="全チェックリストの一覧（進捗・日程・注意） / every checklist at a glance (progress, dates, warnings)",
        description="チェックリストのエクスポートファイルから、ドメインごとの進捗・次の作業・DNS 切り替え日・ご解約日と"
        "注意を一覧にします / lists each domain's progress, next action, DNS switch date, cancellation date and "
        "warnings from a checklist export file",
    )
    overview.add_argument(
        "file",
        metavar="FILE.json",
        help="チェックリストページでエクスポートした JSON ファイル / the JSON file exported from the checklist page",
    )
    overview.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="注意を判定する基準日（省略時: 今日） / the day the warnings are judged on (default: today)",
    )
    overview.add_argument(
        "--sort",
        choices=_SORT_KEYS,
        default=None,
        help="並べ替え: switch = DNS 切り替え日の近い順、progress = 完了数の少ない順（省略時: ファイルの順） / "
        "order: switch = soonest DNS switch first, progress = fewest done first (default: the file's order)",
    )
    overview.add_argument(
        "--attention",
        action="store_true",
        help="要対応（お客様の作業が次、または注意あり）だけを表示 / only the checklists needing action (the "
        "customer's move is next, or a warning stands)",
    )
    overview.add_argument(
        "--csv",
        action="store_true",
        help="Excel 用の CSV（UTF-8 BOM 付き）を出力 / print CSV for Excel (UTF-8 with a BOM)",
    )
    overview.add_argument(
        "--ics",
        action="store_true",
        help="切り替え日・連絡期限・ご解約日の iCalendar (.ics) を出力 / print an iCalendar (.ics) file of the "
        "switch dates, notice deadlines and cancellation dates",
    )
    overview.add_argument("--json", action="store_true", help=_JSON_HELP)
    _common(overview)
    return parser


# ----- output helpers -----


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _write_bytes(data: bytes) -> None:
    sys.stdout.flush()  # text written earlier must come first
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _write_json(data: Any) -> None:
    _write(json.dumps(data, ensure_ascii=False, indent=2))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _table(rows: Sequence[Sequence[str]], indent: str = "  ") -> str:
    """Columns aligned for a terminal (East Asian wide characters count double); the last column is not padded."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append((indent + "  ".join(cells)).rstrip())
    return "\n".join(lines)


def _today_arg(value: str | None, field: str = "date") -> date:
    if value is None:
        return date.today()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ChecklistError(
        field, "日付は YYYY-MM-DD 形式で指定してください。", "The date must be in the form YYYY-MM-DD."
    )


def _notice(lines: Text, lang: Lang) -> None:
    """A warning on stderr (the output on stdout stays clean), in ``lang`` or both languages like an error."""
    if lang in ("ja", "en"):
        sys.stderr.write(f"{_W['warnings'].get(lang)}: {lines.get(lang)}\n")
    else:
        sys.stderr.write(f"{_W['warnings'].ja}: {lines.ja}\n{_W['warnings'].en}: {lines.en}\n")


# ----- sub-commands -----


def _cmd_hosts(args: argparse.Namespace) -> int:
    from .hosts import build_hosts_block

    lang: Lang = args.lang
    block = build_hosts_block(args.domain, args.ip, args.name, date=_today_arg(args.date))
    if args.json:
        _write_json(block.to_dict())
        return 0
    if args.block_only:
        _write(block.render())
        return 0
    out = [block.render()]
    if block.warnings:
        out.append(f"{_t('warnings', lang)}:")
        out += [f"  - {w.get(lang or 'ja')}" for w in block.warnings]
        out.append("")
    for guide in block.os_guides:
        if args.os and guide.id != args.os:
            continue
        out.append(f"== {guide.name.get(lang or 'ja')}: {guide.path} ==")
        out += [f"  {i}. {step.get(lang or 'ja')}" for i, step in enumerate(guide.steps, 1)]
        out += [f"  {_t('flush', lang)}: {cmd}" for cmd in guide.flush_commands]
        out.append(f"    ※ {guide.flush_note.get(lang or 'ja')}")
        out.append(f"  {_t('removal', lang)}: {guide.removal.get(lang or 'ja')}")
        out.append("")
    out.append(f"{_t('notes', lang)}:")
    out += [f"  - {n.get(lang or 'ja')}" for n in block.notes]
    _write("\n".join(out))
    return 0


def _cmd_mail(args: argparse.Namespace) -> int:
    from .mail import DEFAULT_POP_KEEP_DAYS, apple_mobileconfig, mail_settings, thunderbird_autoconfig

    lang: Lang = args.lang
    code = lang or "ja"
    if args.json and args.format:
        raise ChecklistError(
            "format", "--json と --format は同時に指定できません。", "--json and --format cannot be combined."
        )
    settings = mail_settings(
        args.addresses,
        args.protocol,
        args.client,
        old_server=args.old_server,
        new_server=args.new_server,
        smtp_security=args.smtp_security,
        pop_keep_days=DEFAULT_POP_KEEP_DAYS if args.pop_keep_days is None else args.pop_keep_days,
    )
    if args.format == "autoconfig":
        _write(thunderbird_autoconfig(settings, lang=code))
        return 0
    if args.format == "mobileconfig":
        _write_bytes(apple_mobileconfig(settings, lang=code))
        return 0
    if args.json:
        _write_json(settings.to_dict())
        return 0
    protocol = "POP" if settings.protocol == "pop" else "IMAP"
    out: list[str] = []
    for account in settings.accounts:
        out.append(f"■ {account.address_display} — {settings.client_name.get(code)} / {protocol}")
        if account.address != account.address_display:
            out.append(f"  ({account.address})")
        out.append("")
        out.append(_t("old_account", lang))
        out.append(
            _table([(f.label.get(code), _marked(f.value.get(code), settings, code)) for f in account.old.fields])
        )
        out.append(f"  ※ {account.old.note.get(code)}")
        out.append("")
        out.append(_t("new_account", lang))
        out.append(
            _table([(f.label.get(code), _marked(f.value.get(code), settings, code)) for f in account.new.fields])
        )
        out.append("")
    out.append(f"{_t('warnings', lang)}:")
    out += [f"  - {w.get(code)}" for w in settings.warnings]
    if settings.samples:  # the first warning names them; say it before the tables too, where the eye starts
        out.insert(0, f"{settings.warnings[0].get(code)}\n")
    _write("\n".join(out))
    return 0


def _marked(value: str, settings: MailSettings, code: str) -> str:
    """A value of the mail tables, with the sample mark when it is a sample server name."""
    return f"{value}  ← {SAMPLE_LABEL.get(code)}" if value in settings.samples else value


def _cmd_schedule(args: argparse.Namespace) -> int:
    from .schedule import DEFAULT_NOTICE_BUSINESS_DAYS, plan_schedule, to_ics

    lang: Lang = args.lang
    code = lang or "ja"
    if args.json and args.format:
        raise ChecklistError(
            "format", "--json と --format は同時に指定できません。", "--json and --format cannot be combined."
        )
    plan = plan_schedule(
        args.applied,
        transfer_done=args.transfer_done,
        account_info_received=args.account_info_received,
        customer_setup_done=args.setup_done,
        switch_date=args.switch_date,
        notice_business_days=DEFAULT_NOTICE_BUSINESS_DAYS if args.notice_days is None else args.notice_days,
    )
    if args.format == "ics":
        _write_bytes(to_ics(plan, lang=code, domain=args.domain, dtstamp=datetime.now(UTC)))
        return 0
    if args.json:
        _write_json(plan.to_dict())
        return 0
    from .steps import ACTORS

    rows: list[tuple[str, ...]] = []
    for stage in plan.stages:
        if stage.known:
            when = f"{_t('done', lang)} {stage.earliest_end.isoformat()}"
        else:
            span = stage.earliest_end.isoformat()
            if stage.latest_end != stage.earliest_end:
                span += f"～{stage.latest_end.isoformat()}"
            when = f"{_t('end', lang)} {span}"
        start = stage.earliest_start.isoformat()
        if stage.latest_start != stage.earliest_start:
            start += f"～{stage.latest_start.isoformat()}"
        rows.append(
            (
                f"{stage.step}.",
                stage.title.get(code),
                ACTORS[stage.actor].get(code),
                f"{_t('start', lang)} {start}",
                when,
            )
        )
    which = "switch_planned" if plan.switch_requested else "switch_earliest"
    key_dates = [
        (_t("applied", lang), plan.applied.isoformat()),
        (_t("request_by", lang), plan.switch_request_by.isoformat()),
        (_t("switch", lang) + _t(which, lang), plan.switch.isoformat()),
        (_t("latest_switch", lang), plan.latest_switch.isoformat()),
        (
            _t("double_check", lang),
            f"{plan.double_check_start.isoformat()}～{plan.double_check_end_latest.isoformat()}",
        ),
        (_t("removal_day", lang), plan.old_account_removal.isoformat()),
        (_t("cancellation", lang), plan.cancellation.isoformat()),
    ]
    out = [_table(rows), "", _table(key_dates), f"  ※ {plan.removal_note.get(code)}"]
    if plan.warnings:
        out += ["", f"{_t('warnings', lang)}:", *(f"  - {w.get(code)}" for w in plan.warnings)]
    _write("\n".join(out))
    return 0


def _cmd_dnscheck(args: argparse.Namespace) -> int:
    from .dnscheck.evaluate import RESULT_LABELS, Expected
    from .dnscheck.transport import DEFAULT_RESOLVERS, LOOPBACK_ONLY_ENV, outcome, parse_server, run_check

    lang: Lang = args.lang
    code = lang or "ja"
    resolvers = tuple(parse_server(r, field="resolver") for r in args.resolver) if args.resolver else DEFAULT_RESOLVERS
    parents = tuple(parse_server(p, field="parent") for p in args.parent) if args.parent else None
    # Only what was typed: every other new value is learnt from the new name servers (never an example value).
    given = {
        k: tuple(getattr(args, f"expect_{k}")) for k in ("ns", "a", "aaaa", "mx", "txt") if getattr(args, f"expect_{k}")
    }
    expected = Expected(**given)
    old_given = {k: tuple(getattr(args, f"old_{k}") or ()) for k in ("ns", "a", "aaaa", "mx", "txt")}
    old = Expected(**old_given) if any(old_given.values()) else None
    loopback_only = args.loopback_only or os.environ.get(LOOPBACK_ONLY_ENV, "") not in ("", "0")
    check = run_check(
        args.domain,
        resolvers=resolvers,
        parents=parents,
        expected=expected,
        old=old,
        types=args.type,
        timeout=args.timeout,
        loopback_only=loopback_only,
        ipv6=not args.ipv4_only,
    )
    result = outcome(check)
    if args.json:
        _write_json(check.to_dict())
        return result.exit_code
    report = check.report
    shown = report.domain_display
    out = [f"{_t('domain', lang)}: {shown}" + (f" ({report.domain})" if shown != report.domain else "")]
    out.append(f"{_t('parents', lang)}: " + (", ".join(s.label for s in check.parents) or _t("none", lang)))
    out.append(f"{_t('delegation', lang)}: " + (", ".join(check.delegation) or _t("none", lang)))
    for key, side in (("new_servers", check.new_servers), ("old_servers", check.old_servers)):
        if side or key == "new_servers":
            shown_servers = [
                f"{s.server.label} {_t('serves_zone', lang) if s.problem is None else '— ' + s.problem.get(code)}"
                for s in side
            ]
            out.append(f"{_t(key, lang)}: " + ("; ".join(shown_servers) or _t("none", lang)))
    out += [f"  ※ {n.get(code)}" for n in check.notes]
    for kind in check.types:
        results = [r for r in report.results if r.rdtype == kind]
        new_values = ", ".join(report.expected.values(kind))
        new_from = _SOURCES[report.sources.get(kind, "given")].get(code)
        old_values = ", ".join(report.old.values(kind)) or _t("unknown", lang)
        old_from = check.old_sources.get(kind)
        old_note = f"（{_SOURCES[old_from].get(code)}）" if old_from and code == "ja" else ""
        old_note = f" ({_SOURCES[old_from].get(code)})" if old_from and code == "en" else old_note
        new_note = f"（{new_from}）" if code == "ja" else f" ({new_from})"
        out.append("")
        new_part = f"{_t('new_value', lang)}: {new_values}{new_note}"
        out.append(f"■ {kind}  {new_part}  {_t('old_value', lang)}: {old_values}{old_note}")
        rows = [(_t("server", lang), _t("role", lang), _t("result", lang), _t("found", lang))]
        for r in results:
            shown_found = ", ".join(r.found) if r.code in ("new", "old", "mixed") else r.detail.get(code)
            rows.append((r.server, _ROLES[r.role].get(code), RESULT_LABELS[r.code].get(code), shown_found))
        out.append(_table(rows))
    out.append("")
    out.append(f"  {_t('labels', lang)}")
    out.append(f"{_t('verdict', lang)}: {result.headline.get(code)}")
    out.append(f"{_t('next', lang)}: {result.advice.get(code)}")
    _write("\n".join(out))
    return result.exit_code


def _read_export(path: str, lang: Lang) -> Workspace:
    """The workspace of an export file (UTF-8, a BOM allowed); ``ChecklistError`` (field ``file``) naming the file
    when it is missing, unreadable or holds no checklist."""
    from .storage import loads

    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise ChecklistError("file", f"ファイル {path} が見つかりません。", f"The file {path} was not found.") from None
    except UnicodeDecodeError:
        raise ChecklistError(
            "file",
            f"ファイル {path} は UTF-8 のテキストではありません。チェックリストページでエクスポートした JSON "
            "ファイルを指定してください。",
            f"The file {path} is not UTF-8 text. Give the JSON file exported from the checklist page.",
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ChecklistError(
            "file", f"ファイル {path} を読めません（{reason}）。", f"The file {path} cannot be read ({reason})."
        ) from None
    result = loads(text)
    if not result.workspace.migrations:
        raise ChecklistError(
            "file",
            f"ファイル {path} にチェックリストがありません。チェックリストページでエクスポートした JSON ファイルを"
            "指定してください。",
            f"The file {path} holds no checklist. Give the JSON file exported from the checklist page.",
        )
    for problem in result.problems:
        _notice(Text(f"{_W['ov_problem'].ja}: {problem.ja}", f"{_W['ov_problem'].en}: {problem.en}"), lang)
    return result.workspace


def _site_url(url: str, code: str) -> str:
    """A site-relative page address (``steps/…/#anchor``) as the site serves it in ``code``'s language."""
    return ("/en/" if code == "en" else "/") + url


def _cmd_overview(args: argparse.Namespace) -> int:
    from .overview import overview, rows_data, sort_rows, to_csv, to_ics

    lang: Lang = args.lang
    code = lang or "ja"
    if sum((args.csv, args.ics, args.json)) > 1:
        raise ChecklistError(
            "format", "--csv・--ics・--json は同時に指定できません。", "--csv, --ics and --json cannot be combined."
        )
    today = _today_arg(args.today, "today")
    workspace = _read_export(args.file, lang)
    rows = list(overview(workspace, today))
    if args.sort is not None:
        rows = sort_rows(rows, args.sort)
    if args.attention:
        rows = [row for row in rows if row.attention]
    if args.csv:
        _write_bytes(to_csv(rows, code))
        return 0
    if args.ics:
        _write_bytes(to_ics(rows, code, dtstamp=datetime.now(UTC)))
        return 0
    data = rows_data(rows, code)
    if args.json:
        _write_json({"today": today.isoformat(), "rows": data})
        return 0
    out = [f"{_t('ov_today', lang)}: {today.isoformat()}", ""]
    if not data:
        out.append(_t("ov_none", lang))
        _write("\n".join(out))
        return 0
    keys = ("ov_domain", "ov_label", "ov_progress", "ov_next", "ov_actor", "ov_switch", "ov_cancellation")
    table: list[tuple[str, ...]] = [tuple(_t(key, lang) for key in keys)]
    for row in data:
        cells = (
            row["domain"],
            row["label"],
            row["progress"],
            row["next"],
            row["actor_text"],
            row["switch_text"],
            row["cancellation_date"],
        )
        table.append(tuple(cell or "-" for cell in cells))
    out.append(_table(table))
    warned = [row for row in data if row["warnings"]]
    if warned:
        out += ["", f"{_t('warnings', lang)}:"]
        for row in warned:
            out.append(f"  ■ {row['domain']}" + (f" ({row['label']})" if row["label"] else ""))
            for warning in row["warnings"]:
                out.append(f"    - {warning['text']}")
                out.append(f"      → {_site_url(warning['url'], code)}")
    _write("\n".join(out))
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "hosts": _cmd_hosts,
    "mail": _cmd_mail,
    "schedule": _cmd_schedule,
    "dnscheck": _cmd_dnscheck,
    "overview": _cmd_overview,
}


# ----- entry point -----


def _lang_from_argv(argv: Sequence[str]) -> Lang:
    """``--lang`` as typed, for errors that happen before (or while) the arguments are parsed."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("ja", "en"):
            return argv[i + 1]
        if arg in ("--lang=ja", "--lang=en"):
            return arg.split("=", 1)[1]
    return None


def _error(lines: Text, lang: Lang) -> None:
    if lang == "ja":
        text = f"{_W['error'].ja}: {lines.ja}"
    elif lang == "en":
        text = f"{_W['error'].en}: {lines.en}"
    else:
        text = f"{_W['error'].ja}: {lines.ja}\n{_W['error'].en}: {lines.en}"
    sys.stderr.write(text + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from_argv(arguments)
    parser = _build_parser()
    try:
        args = parser.parse_args(arguments)
        return _COMMANDS[args.command](args)
    except SystemExit as exc:  # --help prints and exits 0 through argparse
        return exc.code if isinstance(exc.code, int) else 0
    except _UsageError as exc:
        sys.stderr.write(exc.parser.format_usage())
        _error(Text(f"{_W['usage_error'].ja} — {exc}", f"{_W['usage_error'].en} — {exc}"), lang)
        return 2
    except ChecklistError as exc:
        _error(Text(f"（{exc.field}）{exc.ja}", f"({exc.field}) {exc.en}"), lang)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: nothing more to say, and no traceback.
        return 0
    # Last resort: the user sees one line in words, never a traceback; the type names the bug for a developer.
    except Exception as exc:
        _error(
            Text(
                f"{_W['unexpected'].ja}: {type(exc).__name__}: {exc}",
                f"{_W['unexpected'].en}: {type(exc).__name__}: {exc}",
            ),
            lang,
        )
        return 2
