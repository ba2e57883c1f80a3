"""Every tool form, declared once: the build hook renders it into both language pages, the readers take its names.

A :class:`ToolForm` lists its fields (name, HTML id, kind, whether required, the label, hint and sample placeholder
in both languages, and ``what``: how an error message names the field), the wheels its page loads
(``data-nc-packages``) and its submit label. ``scripts/mkdocs_hooks.py`` writes the HTML
(``{{ tool_form.NAME }}`` … ``{{ tool_form_end }}`` in a page); :mod:`checklist_app.tools` and
:mod:`checklist_app.tools.dnscheck` read only declared names and word their errors with ``what``.

Texts may hold ``{{ provider.NAME }}``: the hook fills in the provider's value and marks an example one as a
sample. Nothing here builds markup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final, Literal

from ..provider import PROVIDER, is_example_value
from ..text import Text

__all__ = ["FORMS", "Field", "Group", "Kind", "Option", "ToolForm"]

# text: a name or address (no spell check, no capitals); url; date; list: a textarea, one value per line
# (data-nc-list); radio and select: one of the options; checkbox: a box the reader ticks.
Kind = Literal["text", "url", "date", "list", "radio", "select", "checkbox"]


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a radio group or a select."""

    value: str
    label: Text


@dataclass(frozen=True, slots=True)
class Field:
    """One input as the page shows it and the reader reads it (``name`` is both the HTML name and the params key).

    ``default`` is the option chosen at first (a :class:`Text` when it follows the page's language) or a textarea's
    first content. ``required``: the tool answers with an error on this field (a checkbox: it does nothing) without
    it. A radio group has no id of its own (its legend is its label).
    """

    name: str
    id: str
    kind: Kind
    label: Text
    what: Text
    required: bool = False
    hint: Text | None = None
    placeholder: Text | None = None
    options: tuple[Option, ...] = ()
    default: str | Text = ""
    rows: int = 2
    agree_first: Text | None = None

    def default_in(self, lang: str) -> str:
        """The default in the page's language."""
        return self.default.get(lang) if isinstance(self.default, Text) else self.default


@dataclass(frozen=True, slots=True)
class Group:
    """A fieldset of fields under a legend (with an optional hint and id)."""

    legend: Text
    fields: tuple[Field, ...]
    hint: Text | None = None
    id: str = ""


@dataclass(frozen=True, slots=True)
class ToolForm:
    """One tool's form: ``<form data-nc-tool=tool data-nc-packages=… id="<tool>-form">``."""

    tool: str
    packages: tuple[str, ...]  # every wheel the page loads, its dependencies included (the worker adds none)
    noscript: Text
    parts: tuple[Field | Group, ...]
    submit: Text

    @property
    def fields(self) -> tuple[Field, ...]:
        """Every field in page order (those inside groups too)."""
        out: list[Field] = []
        for part in self.parts:
            out.extend(part.fields if isinstance(part, Group) else (part,))
        return tuple(out)

    @property
    def names(self) -> tuple[str, ...]:
        """Every field's name in page order."""
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        """The declared field ``name``; ``KeyError`` for a name the form does not have (a reader that drifted)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"the {self.tool} form declares no field {name!r}")


def _t(ja: str, en: str) -> Text:
    return Text(ja, en)


_SAME_DOMAIN = _t("example.co.jp", "example.co.jp")
_OPTIONAL_CHOICE = Option("", _t("お客様が選ぶ", "Customer chooses"))

# --- hosts -----------------------------------------------------------------------------------------------------------

_HOSTS_DOMAIN = Field(
    "domain",
    "hosts-domain",
    "text",
    _t("ドメイン名", "Domain name"),
    _t("ドメイン名", "the domain name"),
    required=True,
    hint=_t(
        "例: example.co.jp、日本語.jp（www は付けずに入力します）",
        "For example example.co.jp or 日本語.jp (without www).",
    ),
    placeholder=_SAME_DOMAIN,
)
_HOSTS_IP = Field(
    "ip",
    "hosts-ip",
    "list",
    _t("新しいウェブサーバの IP アドレス（1 行に 1 つ）", "IP address of the new web server (one per line)"),
    _t("IP アドレス", "the IP addresses"),
    required=True,
    hint=_t(
        "『{{ provider.account_info_doc }}』に記載のアドレスです。IPv4 と IPv6 の両方がある場合は 2 行で入力します"
        "（例: {{ provider.web_ipv4_example }} と {{ provider.web_ipv6_example }}）。",
        "As given in the {{ provider.account_info_doc }}. If there is both an IPv4 and an IPv6 address, enter them on "
        "two lines (e.g. {{ provider.web_ipv4_example }} and {{ provider.web_ipv6_example }}).",
    ),
    placeholder=_t("{{ provider.web_ipv4_example }}", "{{ provider.web_ipv4_example }}"),
)
_HOSTS_NAMES = Field(
    "names",
    "hosts-names",
    "list",
    _t("追加する名前（任意・1 行に 1 つ）", "More names (optional, one per line)"),
    _t("ホスト名", "the host names"),
    hint=_t(
        "ドメインそのものと www は必ず入ります。shop などのサブドメインも確認する場合に入力します。",
        "The domain itself and www are always included. Add sub-domains such as shop if you want to check them too.",
    ),
    placeholder=_t("shop", "shop"),
)
_OS_OPTIONS = (
    Option("windows", _t("Windows", "Windows")),
    Option("macos", _t("macOS", "macOS")),
    Option("linux", _t("Linux", "Linux")),
)
_HOSTS_OS = Field(
    "os",
    "",
    "radio",
    _t("お使いの OS", "Your operating system"),
    _t("OS", "the operating system"),
    options=_OS_OPTIONS,
    default="windows",
)

HOSTS: Final = ToolForm(
    "hosts",
    ("idna",),
    _t(
        "このツールは JavaScript を使います。JavaScript を有効にするか、下の「手作業で書く場合」の手順をご覧ください。",
        "This tool needs JavaScript. Turn JavaScript on, or follow “Writing the lines by hand” below.",
    ),
    (_HOSTS_DOMAIN, _HOSTS_IP, _HOSTS_NAMES, _HOSTS_OS),
    _t("hosts の行を作る", "Make the hosts lines"),
)

# --- mail ------------------------------------------------------------------------------------------------------------

_CLIENT_OPTIONS = (
    Option("outlook_classic", _t("Outlook（クラシック版）", "Outlook (classic)")),
    Option("new_outlook", _t("新しい Outlook for Windows", "New Outlook for Windows")),
    Option("thunderbird", _t("Thunderbird", "Thunderbird")),
    Option("apple_mail", _t("Apple Mail（Mac）", "Apple Mail (Mac)")),
    Option("ios", _t("iPhone・iPad のメール", "Mail on iPhone and iPad")),
    Option("android", _t("Android（Gmail アプリ）", "Android (Gmail app)")),
)
_MAIL_ADDRESSES = Field(
    "addresses",
    "mail-addresses",
    "list",
    _t("メールアドレス（1 行に 1 つ）", "E-mail addresses (one per line)"),
    _t("メールアドレス", "the e-mail addresses"),
    required=True,
    hint=_t(
        "移行するメールアドレスです。複数ある場合は 1 行に 1 つずつ入力します。",
        "The addresses you are moving. Enter one per line if there are several.",
    ),
    placeholder=_t("taro@example.co.jp", "taro@example.co.jp"),
    rows=3,
)
_MAIL_PROTOCOL = Field(
    "protocol",
    "",
    "radio",
    _t("受信方式", "How you receive mail"),
    _t("受信方式", "the protocol"),
    options=(
        Option("pop", _t("POP（メールをパソコンに保存）", "POP (mail kept on your PC)")),
        Option("imap", _t("IMAP（メールをサーバに保存）", "IMAP (mail kept on the server)")),
    ),
    default="pop",
)
_MAIL_CLIENT = Field(
    "client",
    "mail-client",
    "select",
    _t("メールソフト", "Mail client"),
    _t("メールソフト", "the mail client"),
    hint=_t(
        "Android の Gmail アプリは IMAP で設定します（2026 年 12 月時点。"
        "他社のアカウントの POP には対応していません）。"
        "POP を使う場合は Thunderbird for Android など、POP に対応した別のアプリをお使いください。",
        "The Gmail app on Android is set up with IMAP (as of December 2026 it does not take other providers' "
        "accounts over POP). For POP, use another app that supports it, such as Thunderbird for Android.",
    ),
    options=_CLIENT_OPTIONS,
    default="outlook_classic",
)
_MAIL_OLD_SERVER = Field(
    "old_server",
    "mail-old-server",
    "text",
    _t("旧サーバのサーバ名または IP アドレス", "Old server's name or IP address"),
    _t("旧サーバーのホスト名", "the old server's host name"),
    hint=_t(
        "現在ご利用のホスティング業者の、旧サーバ固有の名前です（mail.<お客様のドメイン> ではありません。"
        "例: {{ provider.old_mail_host_example }}）。わからない場合は空欄のままにしてください。",
        "The old server's own name at your current hosting provider (not mail.<your domain>; e.g. "
        "{{ provider.old_mail_host_example }}). Leave it empty if you do not know it yet.",
    ),
    placeholder=_t("{{ provider.old_mail_host_example }}", "{{ provider.old_mail_host_example }}"),
)
_MAIL_NEW_SERVER = Field(
    "new_server",
    "mail-new-server",
    "text",
    _t("新サーバのサーバ名（任意）", "New server's name (optional)"),
    _t("新サーバーのホスト名", "the new server's host name"),
    hint=_t(
        "空欄の場合は {{ provider.mail_host_example }} を使います。『{{ provider.account_info_doc }}』に別のサーバ名が"
        "あればそれを入力してください。",
        "If left empty, {{ provider.mail_host_example }} is used. If the {{ provider.account_info_doc }} gives another "
        "name, enter that.",
    ),
    placeholder=_t("{{ provider.mail_host_example }}", "{{ provider.mail_host_example }}"),
)
_MAIL_SMTP = Field(
    "smtp_security",
    "",
    "radio",
    _t("送信の暗号化", "Outgoing security"),
    _t("送信の暗号化方式", "the SMTP security"),
    options=(
        Option(
            "starttls",
            _t(
                "ポート {{ provider.smtp_port }}・STARTTLS（おすすめ）",
                "Port {{ provider.smtp_port }}, STARTTLS (recommended)",
            ),
        ),
        Option("ssl", _t("ポート {{ provider.smtp_port_alt }}・SSL/TLS", "Port {{ provider.smtp_port_alt }}, SSL/TLS")),
    ),
    default="starttls",
)

MAIL: Final = ToolForm(
    "mail",
    ("idna",),
    _t(
        "このツールは JavaScript を使います。JavaScript を有効にするか、"
        "『他社からの移行_メールソフト設定』の設定値の表を"
        "ご覧ください。",
        "This tool needs JavaScript. Turn JavaScript on, or use the table of values in the manual "
        "“Mail client set-up when migrating”.",
    ),
    (_MAIL_ADDRESSES, _MAIL_PROTOCOL, _MAIL_CLIENT, _MAIL_OLD_SERVER, _MAIL_NEW_SERVER, _MAIL_SMTP),
    _t("設定値を表示する", "Show the settings"),
)

# --- schedule --------------------------------------------------------------------------------------------------------

_SCHEDULE_APPLIED = Field(
    "applied",
    "schedule-applied",
    "date",
    _t("お申し込み日", "Application date"),
    _t("お申し込み日", "the application date"),
    required=True,
    hint=_t(
        "弊社へ申込書をお送りいただいた日（またはお送りする予定の日）です。",
        "The day you send (or will send) the application forms to Net-com.",
    ),
)
_SCHEDULE_TRANSFER = Field(
    "transfer_done",
    "schedule-transfer-done",
    "date",
    _t("ドメイン移管の完了日", "Domain transfer completed on"),
    _t("ドメイン移管の完了日", "the transfer completion date"),
)
_SCHEDULE_ACCOUNT_INFO = Field(
    "account_info_received",
    "schedule-account-info-received",
    "date",
    _t("『{{ provider.account_info_doc }}』を受け取った日", "{{ provider.account_info_doc }} received on"),
    _t("『サーバアカウント情報』の受領日", "the date the Server Account Information arrived"),
)
_SCHEDULE_SETUP = Field(
    "customer_setup_done",
    "schedule-customer-setup-done",
    "date",
    _t("お客様データの設定が終わった日", "Your set-up finished on"),
    _t("お客様データの設定完了日", "the date your set-up was finished"),
)
_SCHEDULE_SWITCH = Field(
    "switch_date",
    "schedule-switch-date",
    "date",
    _t("ご希望の DNS 切り替え日（任意）", "Preferred DNS switch date (optional)"),
    _t("DNS 切り替え日", "the DNS switch date"),
    hint=_t(
        "{{ provider.dns_switch_rule }}の営業日から選びます。指定できない日の場合は、近い指定可能日をお知らせします。",
        "A business day, {{ provider.dns_switch_rule }}. If the date is not possible, the nearest possible dates are "
        "shown.",
    ),
)
_SCHEDULE_DOMAIN = replace(
    _HOSTS_DOMAIN,
    id="schedule-domain",
    label=_t("ドメイン名（任意）", "Domain name (optional)"),
    required=False,
    hint=_t("カレンダーの予定名に入ります。", "Used in the calendar event names."),
)

SCHEDULE: Final = ToolForm(
    "schedule",
    ("idna", "jpholiday", "icalendar", "python-dateutil", "tzdata"),
    _t(
        "このツールは JavaScript を使います。JavaScript を有効にするか、下の「日数の目安」をご覧ください。",
        "This tool needs JavaScript. Turn JavaScript on, or see “Typical durations” below.",
    ),
    (
        _SCHEDULE_APPLIED,
        Group(
            _t("わかっている日付（任意）", "Dates you already know (optional)"),
            (_SCHEDULE_TRANSFER, _SCHEDULE_ACCOUNT_INFO, _SCHEDULE_SETUP),
            hint=_t(
                "すでに終わった段階の日付を入れると、そこから先を計算し直します。",
                "Dates of stages already finished: the plan is worked out again from them.",
            ),
        ),
        _SCHEDULE_SWITCH,
        _SCHEDULE_DOMAIN,
    ),
    _t("スケジュールを計算する", "Plan the schedule"),
)

# --- dnscheck --------------------------------------------------------------------------------------------------------

# The resolvers the page offers at first: checklist_app.tools.dnscheck.DEFAULT_RESOLVERS (tests/test_tools_forms.py
# checks that the two agree; this module stays free of dnspython, which that one imports).
_DEFAULT_RESOLVER_LINES = (
    "Google Public DNS https://dns.google/dns-query",
    "Cloudflare https://cloudflare-dns.com/dns-query",
    "Quad9 https://dns.quad9.net/dns-query",
    "IIJ Public DNS https://public.dns.iij.jp/dns-query",
)


def _nameservers_field(samples: bool) -> Field:
    """The new name servers: optional (empty = the provider's) once provider.toml holds real ones; required while they
    are samples, which are never an expectation (checklist_app.dnscheck.evaluate.provider_nameservers, the same
    rule; tests/test_tools_forms.py checks that the two agree)."""
    if samples:
        label = _t("ネームサーバ（NS、必須）", "Name servers (NS, required)")
        hint = _t(
            "『{{ provider.account_info_doc }}』に記載の弊社のネームサーバです（1 行に 1 つ）。",
            "Net-com's name servers as given in your {{ provider.account_info_doc }} (one per line).",
        )
    else:
        label = _t("ネームサーバ（NS、任意）", "Name servers (NS, optional)")
        hint = _t(
            "空欄のときは弊社のネームサーバ（{{ provider.nameservers }}）で判定します。",
            "Empty: judged against Net-com's name servers ({{ provider.nameservers }}).",
        )
    return Field(
        "expect_ns",
        "dnscheck-expect-ns",
        "list",
        label,
        _t("新しいネームサーバ", "the new name servers"),
        required=samples,
        hint=hint,
        placeholder=_t("例: {{ provider.nameservers }}", "e.g. {{ provider.nameservers }}"),
    )


_NAMESERVERS_ARE_SAMPLES: Final = any(is_example_value(n) for n in PROVIDER.nameservers)

DNSCHECK: Final = ToolForm(
    "dnscheck",
    ("idna", "dnspython"),
    _t(
        "このツールは JavaScript を使います。JavaScript を有効にしてください。",
        "This tool needs JavaScript. Please turn JavaScript on.",
    ),
    (
        replace(_HOSTS_DOMAIN, id="dnscheck-domain"),
        Field(
            "resolvers",
            "dnscheck-resolvers",
            "list",
            _t(
                "問い合わせる DoH サーバ（1 行に 1 つ、「名前 URL」）",
                'DoH resolvers to ask (one per line, "name URL")',
            ),
            _t("DoH サーバ", "the DoH resolvers"),
            required=True,
            hint=_t(
                "最初は上の表の 4 つです。8 つまで指定できます。", "At first, the four in the table above. Up to eight."
            ),
            default="\n".join(_DEFAULT_RESOLVER_LINES),
            rows=4,
        ),
        Group(
            _t(
                "新しい値（『{{ provider.account_info_doc }}』に記載の値）",
                "New values (from your {{ provider.account_info_doc }})",
            ),
            (
                Field(
                    "expect_a",
                    "dnscheck-expect-a",
                    "list",
                    _t("IPv4 アドレス（A、必須）", "IPv4 addresses (A, required)"),
                    _t("新しい IPv4 アドレス", "the new IPv4 addresses"),
                    required=True,
                    hint=_t(
                        "『{{ provider.account_info_doc }}』のウェブサーバの IP アドレスです。",
                        "The web server's IP address in your {{ provider.account_info_doc }}.",
                    ),
                    placeholder=_t("例: {{ provider.web_ipv4_example }}", "e.g. {{ provider.web_ipv4_example }}"),
                    rows=1,
                ),
                Field(
                    "expect_mx",
                    "dnscheck-expect-mx",
                    "list",
                    _t(
                        "メールサーバ（MX、必須。「ホスト名」または「優先度 ホスト名」）",
                        'Mail servers (MX, required; "host" or "preference host")',
                    ),
                    _t("新しいメールサーバ（MX）", "the new mail servers (MX)"),
                    required=True,
                    hint=_t(
                        "『{{ provider.account_info_doc }}』のメールサーバ（受信・送信サーバ）のホスト名です。",
                        "The mail server's host name (incoming and outgoing) in your {{ provider.account_info_doc }}.",
                    ),
                    placeholder=_t("例: {{ provider.mail_host_example }}", "e.g. {{ provider.mail_host_example }}"),
                    rows=1,
                ),
                Field(
                    "expect_aaaa",
                    "dnscheck-expect-aaaa",
                    "list",
                    _t("IPv6 アドレス（AAAA、任意）", "IPv6 addresses (AAAA, optional)"),
                    _t("新しい IPv6 アドレス", "the new IPv6 addresses"),
                    hint=_t(
                        "記載がなければ空欄のままにします（AAAA は確認しません）。",
                        "Leave it empty if there is none (AAAA is then not checked).",
                    ),
                    placeholder=_t("例: {{ provider.web_ipv6_example }}", "e.g. {{ provider.web_ipv6_example }}"),
                    rows=1,
                ),
                _nameservers_field(_NAMESERVERS_ARE_SAMPLES),
            ),
            hint=_t(
                "1 行に 1 つ入力します。欄の薄い文字は書き方の例です。",
                "One value per line. The grey text in each field is an example of the format.",
            ),
            id="new-values",
        ),
        Field(
            "consent",
            "",
            "checkbox",
            _t(
                "上の DoH サーバへ、ドメイン名を問い合わせることに同意します",
                "I agree that this page asks the DoH resolvers above about the domain name",
            ),
            _t("同意", "your agreement"),
            required=True,
            agree_first=_t(
                "先に、同意のチェックボックスをご自身で入れてください。", "Please tick the consent box yourself first."
            ),
        ),
    ),
    _t("確認する", "Check"),
)

# --- stafflink: one link to a tool page, with the customer's values (the same fields as those tools) ----------------


def _staff(field: Field, id: str, label: Text | None = None, *, hint: Text | None = None) -> Field:
    """A tool's field on the staff page: its own id, no hint, and a choice the customer may be left to make."""
    options = field.options
    if field.kind in ("radio", "select"):
        options = (_OPTIONAL_CHOICE, *options)
    return replace(
        field,
        id=id,
        kind="select" if field.kind == "radio" else field.kind,
        label=label or field.label,
        hint=hint,
        options=options,
        default="",
        required=False,
    )


STAFFLINK: Final = ToolForm(
    "stafflink",
    ("idna", "jpholiday", "icalendar", "python-dateutil", "tzdata"),
    _t("このツールは JavaScript を使います。", "This tool needs JavaScript."),
    (
        Field(
            "tool",
            "staff-tool",
            "select",
            _t("開くツール", "Tool to open"),
            _t("ツール", "the tool"),
            required=True,
            options=(
                Option("hosts", _t("hosts ファイル作成ツール", "hosts file generator")),
                Option("mail", _t("メール設定値ツール", "Mail settings generator")),
                Option("schedule", _t("スケジュール計算ツール", "Schedule planner")),
            ),
            default="hosts",
        ),
        Field(
            "link_lang",
            "staff-link-lang",
            "select",
            _t("お客様のページの言語", "Language of the customer's page"),
            _t("リンク先の言語", "the language of the link"),
            options=(Option("ja", _t("日本語", "Japanese (日本語)")), Option("en", _t("英語（English）", "English"))),
            default=_t("ja", "en"),
        ),
        Field(
            "base_url",
            "staff-base-url",
            "url",
            _t("ガイドサイトの URL（任意）", "Guide site URL (optional)"),
            _t("サイトの URL", "the site URL"),
            hint=_t(
                "https:// から始まるサイトのトップの URL を入れると、メールに貼れる完全な URL になります。"
                "空欄の場合は、"
                "このページから見た相対リンクになります。",
                "With the site's top URL starting with https://, the link is a full URL you can paste into an e-mail. "
                "If left empty, the link is relative to this page.",
            ),
            placeholder=_t("https://guide.example.jp/", "https://guide.example.jp/"),
        ),
        Group(
            _t("共通", "For every tool"),
            (
                _staff(
                    _HOSTS_DOMAIN,
                    "staff-domain",
                    hint=_t("hosts とスケジュールで使います。", "Used by the hosts tool and the schedule planner."),
                ),
            ),
        ),
        Group(
            _t("hosts ファイル作成ツール用", "For the hosts file generator"),
            (
                _staff(_HOSTS_IP, "staff-ip"),
                _staff(_HOSTS_NAMES, "staff-names"),
                _staff(_HOSTS_OS, "staff-os", _t("OS", "Operating system")),
            ),
        ),
        Group(
            _t("メール設定値ツール用", "For the mail settings generator"),
            (
                replace(_staff(_MAIL_ADDRESSES, "staff-addresses"), rows=2),
                replace(
                    _staff(_MAIL_PROTOCOL, "staff-protocol", _t("受信方式", "How mail is received")),
                    options=(
                        _OPTIONAL_CHOICE,
                        Option("pop", _t("POP", "POP")),
                        Option("imap", _t("IMAP", "IMAP")),
                    ),
                ),
                _staff(_MAIL_CLIENT, "staff-client"),
                _staff(
                    _MAIL_OLD_SERVER,
                    "staff-old-server",
                    _t("旧サーバのサーバ名または IP アドレス（任意）", "Old server's name or IP address (optional)"),
                ),
                _staff(_MAIL_NEW_SERVER, "staff-new-server"),
                replace(
                    _staff(_MAIL_SMTP, "staff-smtp-security"),
                    options=(
                        _OPTIONAL_CHOICE,
                        Option(
                            "starttls",
                            _t("ポート {{ provider.smtp_port }}・STARTTLS", "Port {{ provider.smtp_port }}, STARTTLS"),
                        ),
                        Option(
                            "ssl",
                            _t(
                                "ポート {{ provider.smtp_port_alt }}・SSL/TLS",
                                "Port {{ provider.smtp_port_alt }}, SSL/TLS",
                            ),
                        ),
                    ),
                ),
            ),
        ),
        Group(
            _t("スケジュール計算ツール用", "For the schedule planner"),
            (
                _staff(_SCHEDULE_APPLIED, "staff-applied"),
                _staff(
                    _SCHEDULE_TRANSFER,
                    "staff-transfer-done",
                    _t("ドメイン移管の完了日（任意）", "Domain transfer completed on (optional)"),
                ),
                _staff(
                    _SCHEDULE_ACCOUNT_INFO,
                    "staff-account-info-received",
                    _t(
                        "『{{ provider.account_info_doc }}』の発行日（任意）",
                        "{{ provider.account_info_doc }} issued on (optional)",
                    ),
                ),
                _staff(
                    _SCHEDULE_SETUP,
                    "staff-customer-setup-done",
                    _t("お客様データの設定が終わった日（任意）", "Customer's set-up finished on (optional)"),
                ),
                _staff(
                    _SCHEDULE_SWITCH, "staff-switch-date", _t("DNS 切り替え日（任意）", "DNS switch date (optional)")
                ),
            ),
        ),
    ),
    _t("リンクを作る", "Make the link"),
)

FORMS: Final[dict[str, ToolForm]] = {form.tool: form for form in (HOSTS, MAIL, SCHEDULE, DNSCHECK, STAFFLINK)}
