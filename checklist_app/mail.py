"""Mail-client values for the migration (the seed's 『他社からの移行_メールソフト設定』) and set-up files.

For each address the customer keeps two accounts during the propagation period (the seed's 《ご参考》):

(a) the existing account, renamed 【旧】 and rewritten to the old server's *own* host name or IP address — if it kept
    ``mail.<domain>`` it would silently reach the new server after the DNS switch;
(b) a new account 【新】 for the new server, addressed by the new server's own host name, so that it works before the
    switch as well.

Address forms (a decision, documented here): the local part must be ASCII (RFC 5322 dot-atom, as mail servers and
clients without SMTPUTF8 expect); a Japanese domain is kept for display (``address_display``, what the customer
recognises) but every value a client or server reads — user name, e-mail address in the files — uses the Punycode form
(``address``), because POP/IMAP/SMTP logins and many clients only handle ASCII domains.

No value or file here ever carries a password: clients ask for it.

A server name from a reserved example range (the provider's sample default, see :mod:`checklist_app.provider`) is
listed in :attr:`MailSettings.samples` and marked wherever it goes: a warning first in the list, a comment in the
Thunderbird file, the words サンプル値 / sample value in the Apple profile's name and description.

Android (checked 2026-12): since January 2026 Gmail no longer fetches other accounts by POP, and the Gmail app
offers other providers' accounts over IMAP: for ``android`` the protocol must be IMAP; the message names another app
for POP.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal, cast

from .errors import ChecklistError
from .hosts import _clean, normalize_domain, normalize_host
from .provider import PROVIDER, SAMPLE_LABEL, is_example_value
from .text import Text

if TYPE_CHECKING:
    import uuid
    import xml.etree.ElementTree as ET

# plistlib, uuid and xml.etree are imported by the two file builders only: the other tool pages import this module
# (through checklist_app.tools) and never build a file, so they skip those imports when Python starts.

__all__ = [
    "CLIENTS",
    "CLIENT_ALIASES",
    "FIELD_LABELS",
    "AccountSettings",
    "Client",
    "MailField",
    "MailSettings",
    "NewAccount",
    "OldAccount",
    "Protocol",
    "Security",
    "ServerSettings",
    "SmtpSecurity",
    "apple_mobileconfig",
    "mail_settings",
    "parse_address",
    "thunderbird_autoconfig",
]

Protocol = Literal["pop", "imap"]
Client = Literal["outlook_classic", "new_outlook", "thunderbird", "apple_mail", "ios", "android"]
SmtpSecurity = Literal["starttls", "ssl"]
Security = Literal["ssl", "starttls"]  # "ssl" = implicit TLS from the first byte (RFC 8314), "starttls" = upgrade

DEFAULT_POP_KEEP_DAYS = 14  # the seed's "1～2 週間" of double checking

CLIENTS: dict[Client, Text] = {
    "outlook_classic": Text(ja="Outlook（クラシック）", en="Outlook (classic)"),
    "new_outlook": Text(ja="新しい Outlook for Windows", en="New Outlook for Windows"),
    "thunderbird": Text(ja="Thunderbird", en="Thunderbird"),
    "apple_mail": Text(ja="Mac のメール（Apple Mail）", en="Apple Mail (Mac)"),
    "ios": Text(ja="iPhone・iPad のメール", en="Mail on iPhone and iPad"),
    "android": Text(ja="Android（Gmail アプリ）", en="Android (Gmail app)"),
}

# Names people and the CLI use for the same clients.
CLIENT_ALIASES: dict[str, Client] = {
    "outlook": "outlook_classic",
    "classic_outlook": "outlook_classic",
    "outlook_new": "new_outlook",
    "mac": "apple_mail",
    "macos": "apple_mail",
    "mail": "apple_mail",
    "iphone": "ios",
    "ipad": "ios",
    "ipados": "ios",
    "gmail": "android",
}

_PROTOCOL_ALIASES: dict[str, Protocol] = {"pop": "pop", "pop3": "pop", "imap": "imap", "imap4": "imap"}
_SMTP_ALIASES: dict[str, SmtpSecurity] = {
    "starttls": "starttls",
    "587": "starttls",
    "ssl": "ssl",
    "tls": "ssl",
    "ssl/tls": "ssl",
    "465": "ssl",
}

# --------------------------------------------------------------------------------------------------------------------
# Field labels as each client names them (data). Order = the order a table shows them in.

FieldId = Literal[
    "account_name",
    "email",
    "protocol",
    "username",
    "incoming_server",
    "incoming_port",
    "incoming_security",
    "authentication",
    "outgoing_server",
    "outgoing_port",
    "outgoing_security",
    "outgoing_auth",
    "outgoing_username",
    "leave_copy",
]

FIELD_LABELS: dict[Client, dict[FieldId, Text]] = {
    "outlook_classic": {
        "account_name": Text("メール アカウント名（詳細設定 › 全般）", "Mail account name (More Settings › General)"),
        "email": Text("電子メール アドレス", "Email address"),
        "protocol": Text("アカウントの種類", "Account type"),
        "username": Text("アカウント名（ログオン情報）", "User name (logon information)"),
        "incoming_server": Text("受信メール サーバー", "Incoming mail server"),
        "incoming_port": Text("受信サーバーのポート番号", "Incoming server port"),
        "incoming_security": Text("受信: 暗号化された接続の種類", "Incoming: type of encrypted connection"),
        "authentication": Text(
            "セキュリティで保護されたパスワード認証 (SPA) でのログオンが必要",
            "Require logon using Secure Password Authentication (SPA)",
        ),
        "outgoing_server": Text("送信メール サーバー (SMTP)", "Outgoing mail server (SMTP)"),
        "outgoing_port": Text("送信サーバー (SMTP) のポート番号", "Outgoing server (SMTP) port"),
        "outgoing_security": Text("送信: 暗号化された接続の種類", "Outgoing: type of encrypted connection"),
        "outgoing_auth": Text("送信サーバー (SMTP) は認証が必要", "My outgoing server (SMTP) requires authentication"),
        "leave_copy": Text("サーバーにメッセージのコピーを置く", "Leave a copy of messages on the server"),
    },
    "new_outlook": {
        "account_name": Text("アカウント名（設定 › アカウント）", "Account name (Settings › Accounts)"),
        "email": Text("メール アドレス", "Email address"),
        "protocol": Text("アカウントの種類", "Account type"),
        "username": Text("ユーザー名", "Username"),
        "incoming_server": Text("受信サーバー", "Incoming server"),
        "incoming_port": Text("受信サーバーのポート", "Incoming server port"),
        "incoming_security": Text("受信: セキュリティで保護された接続の種類", "Incoming: secure connection type"),
        "outgoing_username": Text("SMTP ユーザー名", "SMTP username"),
        "outgoing_server": Text("SMTP サーバー", "SMTP server"),
        "outgoing_port": Text("SMTP ポート", "SMTP port"),
        "outgoing_security": Text("SMTP: セキュリティで保護された接続の種類", "SMTP: secure connection type"),
    },
    "thunderbird": {
        "account_name": Text("アカウント名", "Account name"),
        "email": Text("メールアドレス", "Email address"),
        "protocol": Text("受信サーバー: プロトコル", "Incoming server: protocol"),
        "username": Text("受信サーバー: ユーザー名", "Incoming server: username"),
        "incoming_server": Text("受信サーバー: ホスト名", "Incoming server: hostname"),
        "incoming_port": Text("受信サーバー: ポート番号", "Incoming server: port"),
        "incoming_security": Text("受信サーバー: 接続の保護", "Incoming server: connection security"),
        "authentication": Text("受信サーバー: 認証方式", "Incoming server: authentication method"),
        "outgoing_server": Text("送信サーバー: ホスト名", "Outgoing server: hostname"),
        "outgoing_port": Text("送信サーバー: ポート番号", "Outgoing server: port"),
        "outgoing_security": Text("送信サーバー: 接続の保護", "Outgoing server: connection security"),
        "outgoing_auth": Text("送信サーバー: 認証方式", "Outgoing server: authentication method"),
        "outgoing_username": Text("送信サーバー: ユーザー名", "Outgoing server: username"),
        "leave_copy": Text("ダウンロードしたメッセージをサーバーに残す", "Leave messages on server"),
    },
    "apple_mail": {
        "account_name": Text("説明", "Description"),
        "email": Text("メールアドレス", "Email Address"),
        "protocol": Text("アカウントの種類", "Account Type"),
        "username": Text("ユーザ名", "User Name"),
        "incoming_server": Text("受信用メールサーバ", "Incoming Mail Server"),
        "incoming_port": Text("受信: ポート", "Incoming: Port"),
        "incoming_security": Text("受信: TLS/SSL を使用", "Incoming: Use TLS/SSL"),
        "authentication": Text("受信: 認証", "Incoming: Authentication"),
        "outgoing_server": Text("送信用メールサーバ (SMTP)", "Outgoing Mail Server (SMTP)"),
        "outgoing_username": Text("送信: ユーザ名", "Outgoing: User Name"),
        "outgoing_port": Text("送信: ポート", "Outgoing: Port"),
        "outgoing_security": Text("送信: TLS/SSL を使用", "Outgoing: Use TLS/SSL"),
        "outgoing_auth": Text("送信: 認証", "Outgoing: Authentication"),
        "leave_copy": Text(
            "メッセージ受信後にサーバからメッセージを削除", "Remove copy from server after retrieving a message"
        ),
    },
    "ios": {
        "account_name": Text("説明", "Description"),
        "email": Text("メール", "Email"),
        "protocol": Text("IMAP / POP（追加時に選択）", "IMAP / POP (chosen when adding)"),
        "incoming_server": Text("受信メールサーバ: ホスト名", "Incoming Mail Server: Host Name"),
        "username": Text("受信メールサーバ: ユーザ名", "Incoming Mail Server: User Name"),
        "incoming_security": Text("受信: SSL を使用", "Incoming: Use SSL"),
        "authentication": Text("受信: 認証", "Incoming: Authentication"),
        "incoming_port": Text("受信: サーバポート", "Incoming: Server Port"),
        "outgoing_server": Text("送信メールサーバ: ホスト名", "Outgoing Mail Server: Host Name"),
        "outgoing_username": Text("送信メールサーバ: ユーザ名", "Outgoing Mail Server: User Name"),
        "outgoing_security": Text("送信: SSL を使用", "Outgoing: Use SSL"),
        "outgoing_auth": Text("送信: 認証", "Outgoing: Authentication"),
        "outgoing_port": Text("送信: サーバポート", "Outgoing: Server Port"),
        "leave_copy": Text("サーバから削除", "Delete from server"),
    },
    "android": {
        "account_name": Text("アカウント名", "Account name"),
        "email": Text("メールアドレス", "Email address"),
        "protocol": Text("アカウントの種類", "Account type"),
        "username": Text("受信サーバーの設定: ユーザー名", "Incoming server settings: Username"),
        "incoming_server": Text("受信サーバーの設定: サーバー", "Incoming server settings: Server"),
        "incoming_port": Text("受信サーバーの設定: ポート", "Incoming server settings: Port"),
        "incoming_security": Text("受信サーバーの設定: セキュリティの種類", "Incoming server settings: Security type"),
        "outgoing_auth": Text("送信サーバーの設定: ログインが必要", "Outgoing server settings: Require sign-in"),
        "outgoing_username": Text("送信サーバーの設定: ユーザー名", "Outgoing server settings: Username"),
        "outgoing_server": Text("送信サーバーの設定: SMTP サーバー", "Outgoing server settings: SMTP server"),
        "outgoing_port": Text("送信サーバーの設定: ポート", "Outgoing server settings: Port"),
        "outgoing_security": Text("送信サーバーの設定: セキュリティの種類", "Outgoing server settings: Security type"),
        "leave_copy": Text("サーバーからメールを削除", "Delete email from server"),
    },
}

_ON = Text("オン", "On")
_OFF = Text("オフ", "Off")
_PASSWORD = Text("パスワード", "Password")
_NORMAL_PASSWORD = Text("通常のパスワード認証", "Normal password")
_SECURITY_NAMES: dict[Security, Text] = {"ssl": Text("SSL/TLS", "SSL/TLS"), "starttls": Text("STARTTLS", "STARTTLS")}
# Apple's clients show a single "Use SSL" switch; on the submission port it means STARTTLS.
_SWITCH_SECURITY: frozenset[Client] = frozenset({"apple_mail", "ios"})

_AUTH_VALUES: dict[Client, Text] = {
    "outlook_classic": _OFF,  # SPA is a Microsoft-only scheme; our server wants a normal password over TLS
    "thunderbird": _NORMAL_PASSWORD,
    "apple_mail": _PASSWORD,
    "ios": _PASSWORD,
}
_OUTGOING_AUTH_VALUES: dict[Client, Text] = {
    "outlook_classic": Text(
        "オン（受信メール サーバーと同じ設定を使用する）", "On (use same settings as my incoming mail server)"
    ),
    "thunderbird": _NORMAL_PASSWORD,
    "apple_mail": _PASSWORD,
    "ios": _PASSWORD,
    "android": _ON,
}


def _leave_copy_value(client: Client, days: int) -> Text:
    """The POP "leave a copy" setting in the client's own terms (some offer only fixed periods)."""
    if client == "apple_mail":
        # Apple Mail offers 1 day / 1 week / 1 month: take the shortest one that is at least ``days``.
        if days <= 1:
            return Text("1日後", "After one day")
        if days <= 7:
            return Text("1週間後", "After one week")
        return Text("1か月後", "After one month")
    if client == "ios":
        if days <= 7:
            return Text("7日後", "After seven days")
        return Text(f"しない（{days} 日後を目安に手動で削除）", f"Never (delete by hand after about {days} days)")
    if client == "android":
        return Text("しない", "Never")
    if client == "thunderbird":
        return Text(f"オン（最長 {days} 日間）", f"On (for at most {days} days)")
    return Text(f"オン（サーバーから削除する: {days} 日後）", f"On (remove from server after {days} days)")


# --------------------------------------------------------------------------------------------------------------------
# Warnings (data)

_W_TWO_ACCOUNTS = Text(
    ja="DNS 切り替え後もしばらくは旧サーバーにメールが届きます。1～2 週間程度は【旧】と【新】の両方のアカウントで"
    "メールを確認し、【旧】にメールが届かなくなってから【旧】アカウントを削除してください（ステップ 7）。",
    en="Mail keeps arriving at the old server for a while after the DNS switch. Check both the “[Old]” and "
    "“[New]” accounts for about one to two weeks, and delete the old account only once no more mail arrives "
    "there (step 7).",
)
_W_OP25B = Text(
    ja="送信にポート 25 は使わないでください。国内の多くのプロバイダーはポート 25 への送信を遮断しています"
    "（OP25B）。送信はポート 587（STARTTLS）または 465（SSL/TLS）と SMTP 認証で行います。",
    en="Never send on port 25: most Japanese ISPs block it (OP25B). Send on port 587 (STARTTLS) or 465 (SSL/TLS) "
    "with SMTP authentication.",
)
_W_MANUAL_SETUP = Text(
    ja="メールソフトがドメインから設定を自動検出して mail.<ドメイン> などを入れることがあります。"
    "「手動設定」「詳細設定」を選び、ここに示す値をそのまま入力してください。",
    en="Mail clients may guess settings from the domain and fill in mail.<domain>. Choose manual / advanced "
    "set-up and type the values shown here.",
)
_W_NO_OLD_SERVER = Text(
    ja="旧サーバー固有のホスト名または IP アドレス（mail.<お客様のドメイン> ではないもの）を、現在ご利用の"
    "ホスティング業者にご確認ください。",
    en="Ask your current hosting provider for the old server's own host name or IP address (not mail.<your domain>).",
)
_W_POP_COPY = Text(
    ja="POP の【新】アカウントでは、移行期間中「サーバーにメッセージのコピーを置く」をオンにし、削除までの期間を"
    "設定してください。設定を誤ったときや他の端末からも、新サーバーのメールを確認できます。",
    en="For the new POP account, turn on “leave a copy on the server” during the migration, with a removal "
    "period: if something is set up wrongly, or on another device, the mail is still on the new server.",
)
_W_IMAP_MOVE = Text(
    ja="IMAP の場合、旧サーバーに保存されているメールは自動では移りません。必要なフォルダーやメールは、旧サーバーの"
    "ご解約日より前に【旧】から【新】アカウントへドラッグして移してください。",
    en="With IMAP, mail stored on the old server is not moved automatically: drag the folders and messages you "
    "need from the [Old] account to the [New] account before the old contract ends.",
)
_CLIENT_WARNINGS: dict[Client, tuple[Text, ...]] = {
    "outlook_classic": (
        Text(
            ja="【新】アカウントを追加するときは、【旧】アカウントと「同じデータファイル」（.pst）に配信されるよう"
            "設定してください。データファイルを指定せずに【旧】アカウントを削除すると、Outlook 内のメールが"
            "削除される場合があります。削除の前にデータファイルをエクスポート（バックアップ）してください。",
            en="When you add the new account, have it deliver to the same data file (.pst) as the old account. "
            "Deleting the old account without doing so can delete the mail in Outlook: export (back up) the data "
            "file before deleting.",
        ),
        Text(
            ja="Outlook 2016 以降は、同じメールアドレスのアカウントを 2 つ目として追加できないことがあります。"
            "その場合はコントロールパネルの「Mail (Microsoft Outlook)」→「電子メール アカウント」→「新規」→"
            "「自分で電子メールやその他のサービスを使うための設定をする（手動設定）」から追加してください。",
            en="Outlook 2016 and later may refuse a second account with the same address. Then add it from Control "
            "Panel › Mail (Microsoft Outlook) › Email Accounts › New › Manual setup or additional server types.",
        ),
    ),
    "new_outlook": (
        Text(
            ja="新しい Outlook は、POP/IMAP のメールをお使いの PC からではなく Microsoft のクラウドを経由して"
            "取得します。このため PC の hosts ファイルは効かず、パスワードも Microsoft 側に保存されます。",
            en="New Outlook fetches POP/IMAP mail through Microsoft's cloud rather than from your PC, so the PC's "
            "hosts file does not apply and the password is stored by Microsoft.",
        ),
        Text(
            ja="既存アカウントのサーバー名を変更できない場合は、下の値で【旧】アカウントを追加し直してください"
            "（POP の場合は、先にメールを保存してから）。",
            en="If the existing account's server cannot be changed, add the old account again with the values below "
            "(with POP, save the mail first).",
        ),
    ),
    "thunderbird": (),
    "apple_mail": (
        Text(
            ja="構成プロファイル（.mobileconfig）を使う場合、署名のないプロファイルとして警告が表示されます。"
            "内容を確認してからインストールしてください。パスワードはインストール時に入力します。",
            en="A configuration profile (.mobileconfig) shows a warning because it is unsigned: check its contents, "
            "then install it. The password is asked for during installation.",
        ),
    ),
    "ios": (
        Text(
            ja="構成プロファイル（.mobileconfig）はダウンロード後、「設定」→「一般」→「VPN とデバイス管理」から"
            "インストールします。署名のないプロファイルの警告が出ます。パスワードはインストール時に入力します。",
            en="After downloading the configuration profile (.mobileconfig), install it in Settings › General › VPN "
            "& Device Management. It warns that the profile is unsigned; the password is asked for during "
            "installation.",
        ),
    ),
    "android": (
        Text(
            ja="項目名は Gmail アプリのものです。メーカー独自のメールアプリでは名前が異なります。",
            en="The field names are those of the Gmail app; manufacturers' own mail apps name them differently.",
        ),
    ),
}
_W_ANDROID_POP = Text(
    ja="Android の Gmail アプリ（2026 年 12 月時点）で他社のメールアカウントに使えるのは IMAP です。受信方式は"
    "「IMAP」を選んでください。POP を使い続ける場合は、Thunderbird for Android など POP に対応した別のメールアプリ"
    "をお使いください（項目名はこの表と異なります）。",
    en="The Gmail app on Android (as of December 2026) supports other providers' accounts over IMAP: choose IMAP. "
    "To keep using POP, use another mail app that supports it, such as Thunderbird for Android (its field names "
    "differ from this table).",
)
_W_PROFILE_POP = Text(
    ja="POP アカウントを構成プロファイルで入れた場合、プロファイルを削除すると端末内のメールも消えます。",
    en="A POP account installed by a configuration profile takes the mail on the device with it when the profile "
    "is removed.",
)


def _w_samples(hosts: Sequence[str], new_default: bool) -> Text:
    listed = ", ".join(hosts)
    what = "are examples, not real servers" if len(hosts) > 1 else "is an example, not a real server"
    if new_default:
        return Text(
            ja=f"{SAMPLE_LABEL.ja}: {listed} は説明用のサンプルで、実在のサーバーではありません。"
            f"【新】アカウントには、『{PROVIDER.account_info_doc.ja}』に記載のサーバー名を新サーバーとして指定して"
            "ください。",
            en=f"{SAMPLE_LABEL.en.capitalize()}: {listed} {what}. For the [New] account, "
            f"give the server name from the {PROVIDER.account_info_doc.en} as the new server.",
        )
    return Text(
        ja=f"{SAMPLE_LABEL.ja}: {listed} は説明用のサンプルで、実在のサーバーではありません。実際のサーバー名を"
        "入力してください。",
        en=f"{SAMPLE_LABEL.en.capitalize()}: {listed} {what}. Enter the real server name.",
    )


def _w_old_is_ip(host: str) -> Text:
    return Text(
        ja=f"旧サーバーを IP アドレス（{host}）で指定すると、証明書の警告が出ることがあります。その場合は、"
        "証明書に記載されたホスト名を旧ホスティング業者にご確認ください。",
        en=f"Pointing the old account at an IP address ({host}) may cause a certificate warning; ask the old "
        "provider which host name their certificate covers.",
    )


def _w_new_under_domain(host: str) -> Text:
    return Text(
        ja=f"新サーバーに {host} を指定していますが、この名前は DNS 切り替えまで旧サーバーを指します。"
        f"切り替えが終わるまでは新サーバー固有のホスト名（例: {PROVIDER.mail_host_example}）を使ってください。",
        en=f"The new server is given as {host}, but that name points at the old server until the DNS switch. Use "
        f"the new server's own host name (e.g. {PROVIDER.mail_host_example}) until the switch is complete.",
    )


# --------------------------------------------------------------------------------------------------------------------
# Data model


def _text(t: Text) -> dict[str, str]:
    return {"ja": t.ja, "en": t.en}


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """One server connection: host name (or address), port and transport security."""

    host: str
    port: int
    security: Security

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data."""
        return {"host": self.host, "port": self.port, "security": self.security}


@dataclass(frozen=True, slots=True)
class MailField:
    """One row of a settings table: the client's own label and the value to enter."""

    id: str
    label: Text
    value: Text

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data."""
        return {"id": self.id, "label": _text(self.label), "value": _text(self.value)}


@dataclass(frozen=True, slots=True)
class OldAccount:
    """(a) The existing account, renamed 【旧】 and pointed at the old server's own name for the propagation period.

    ``host`` is ``None`` when the old server was not given: the customer must ask the old provider.
    Only the fields in ``fields`` change; everything else (ports, user name, password) stays as it is.
    """

    account_name: Text
    host: str | None
    fields: tuple[MailField, ...]
    note: Text

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data."""
        return {
            "account_name": _text(self.account_name),
            "host": self.host,
            "fields": [f.to_dict() for f in self.fields],
            "note": _text(self.note),
        }


@dataclass(frozen=True, slots=True)
class NewAccount:
    """(b) The new account on the new server."""

    account_name: Text
    protocol: Protocol
    incoming: ServerSettings
    outgoing: ServerSettings
    username: str
    authentication: Literal["password"]  # normal (cleartext-over-TLS) password; never SPA/NTLM
    smtp_auth: bool
    leave_copy: bool | None  # POP only: leave a copy on the server during the migration
    leave_copy_days: int | None
    fields: tuple[MailField, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data."""
        return {
            "account_name": _text(self.account_name),
            "protocol": self.protocol,
            "incoming": self.incoming.to_dict(),
            "outgoing": self.outgoing.to_dict(),
            "username": self.username,
            "authentication": self.authentication,
            "smtp_auth": self.smtp_auth,
            "leave_copy": self.leave_copy,
            "leave_copy_days": self.leave_copy_days,
            "fields": [f.to_dict() for f in self.fields],
        }


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """Both accounts for one address."""

    address: str  # ASCII form: what clients and servers read
    address_display: str  # as the customer knows it (Japanese domain kept)
    old: OldAccount
    new: NewAccount

    @property
    def domain(self) -> str:
        """The address's ASCII domain."""
        return self.address.rpartition("@")[2]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data."""
        return {
            "address": self.address,
            "address_display": self.address_display,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Everything a customer needs to set one client up for the migration, for one or more addresses."""

    protocol: Protocol
    client: Client
    smtp_security: SmtpSecurity
    accounts: tuple[AccountSettings, ...]
    warnings: tuple[Text, ...]
    # Server names in these settings that are reserved examples (shown marked as samples everywhere).
    samples: tuple[str, ...] = ()

    @property
    def client_name(self) -> Text:
        """The client's name for display."""
        return CLIENTS[self.client]

    @property
    def domains(self) -> tuple[str, ...]:
        """The distinct ASCII domains of the addresses, in order."""
        return tuple(dict.fromkeys(a.domain for a in self.accounts))

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data for the browser and ``--json``."""
        return {
            "protocol": self.protocol,
            "client": self.client,
            "client_name": _text(self.client_name),
            "smtp_security": self.smtp_security,
            "accounts": [a.to_dict() for a in self.accounts],
            "warnings": [_text(w) for w in self.warnings],
            "samples": list(self.samples),
        }


# --------------------------------------------------------------------------------------------------------------------
# Validation

# RFC 5322 dot-atom: what mail servers and clients accept without quoting.
_LOCAL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_MAX_LOCAL = 64
_MAX_ADDRESS = 254


def _address_error(ja: str, en: str) -> ChecklistError:
    return ChecklistError("addresses", ja=f"メールアドレス{ja}", en=f"The e-mail address {en}")


def parse_address(value: object) -> tuple[str, str]:
    """Validate one e-mail address; return ``(ascii_form, display_form)``.

    ``Taro.Yamada@日本語.jp`` → ``("Taro.Yamada@xn--wgv71a119e.jp", "Taro.Yamada@日本語.jp")``.
    Raises :class:`ChecklistError` with ``field="addresses"``.
    """
    s = _clean(value, "addresses", "メールアドレス", "an e-mail address")
    if "＠" in s:
        raise _address_error(
            "の「＠」は半角の「@」で入力してください。", "must use the half-width “@”, not the full-width “＠”."
        )
    if s.count("@") != 1:
        raise _address_error(
            f"には「@」をちょうど 1 つ含めてください（例: taro@example.co.jp）: {s}",
            f"must contain exactly one “@” (e.g. taro@example.co.jp): {s}",
        )
    local, _, domain = s.partition("@")
    if not local:
        raise _address_error("の「@」の前が空です。", "has nothing before the “@”.")
    if not local.isascii():
        raise _address_error(
            "の「@」より前は半角英数字と記号で入力してください（全角文字・日本語は使えません）。",
            "must have an ASCII part before the “@” (no full-width or Japanese characters).",
        )
    if len(local) > _MAX_LOCAL:
        raise _address_error(
            f"の「@」より前は {_MAX_LOCAL} 文字以内にしてください。",
            f"must have at most {_MAX_LOCAL} characters before the “@”.",
        )
    if not _LOCAL_RE.fullmatch(local):
        raise _address_error(
            "の「@」より前に使えない文字の並びがあります（ドットの連続・先頭や末尾のドット、かっこ・カンマ・"
            "コロンなど）。",
            "has an invalid part before the “@” (two dots in a row, a leading or trailing dot, or characters "
            "such as brackets, commas or colons).",
        )
    if not domain:
        raise _address_error("の「@」の後が空です。", "has nothing after the “@”.")
    domain_ascii, domain_unicode = normalize_domain(domain, field="addresses")
    address = f"{local}@{domain_ascii}"
    if len(address) > _MAX_ADDRESS:
        raise _address_error(
            f"は {_MAX_ADDRESS} 文字以内にしてください。", f"must be at most {_MAX_ADDRESS} characters."
        )
    return address, f"{local}@{domain_unicode}"


def _choice(value: object, field: str, options: dict[str, str], ja: str, en: str) -> str:
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key in options:
            return options[key]
    listed = " / ".join(dict.fromkeys(options.values()))
    raise ChecklistError(field, ja=f"{ja}は次から選んでください: {listed}", en=f"Choose {en} from: {listed}")


def _as_list(value: object) -> list[object]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return list(value)
    raise ChecklistError(
        "addresses", ja="メールアドレスを文字列の一覧で指定してください。", en="Give the e-mail addresses as a list."
    )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


# --------------------------------------------------------------------------------------------------------------------
# Building the values


def _fields(client: Client, values: dict[FieldId, Text]) -> tuple[MailField, ...]:
    """The client's rows, in the client's order, for the fields that have a value."""
    labels = FIELD_LABELS[client]
    return tuple(MailField(fid, label, values[fid]) for fid, label in labels.items() if fid in values)


def _plain(s: str) -> Text:
    return Text(s, s)


def _security_value(client: Client, security: Security) -> Text:
    return _ON if client in _SWITCH_SECURITY else _SECURITY_NAMES[security]


def mail_settings(
    addresses: str | Sequence[str],
    protocol: str,
    client: str,
    old_server: str | None = None,
    new_server: str | None = None,
    smtp_security: str = "starttls",
    *,
    pop_keep_days: int = DEFAULT_POP_KEEP_DAYS,
) -> MailSettings:
    """The values for the old (a) and the new (b) account of each address, for one client and protocol.

    ``protocol``: ``"pop"`` or ``"imap"``. ``client``: one of :data:`CLIENTS` (aliases such as ``"outlook"`` and
    ``"iphone"`` accepted). ``old_server``: the old server's own host name or IP address (``None``: the customer is
    told to ask for it). ``new_server``: defaults to the provider's mail host. ``smtp_security``: ``"starttls"``
    (port 587) or ``"ssl"`` (port 465). ``pop_keep_days``: how long POP leaves a copy on the new server.
    Raises :class:`ChecklistError` naming the field (``addresses``, ``protocol``, ``client``, ``old_server``,
    ``new_server``, ``smtp_security``, ``pop_keep_days``).
    """
    raw = _as_list(addresses)
    if not raw:
        raise _address_error("を 1 つ以上入力してください。", "list is empty: enter at least one address.")
    parsed = list(dict.fromkeys(parse_address(a) for a in raw))
    proto = cast(Protocol, _choice(protocol, "protocol", dict(_PROTOCOL_ALIASES), "受信方式", "the protocol"))
    client_options: dict[str, str] = {c: c for c in CLIENTS} | dict(CLIENT_ALIASES)
    cli = cast(Client, _choice(client, "client", client_options, "メールソフト", "the mail client"))
    smtp = cast(
        SmtpSecurity,
        _choice(smtp_security, "smtp_security", dict(_SMTP_ALIASES), "送信の暗号化方式", "the SMTP security"),
    )
    if isinstance(pop_keep_days, bool) or not isinstance(pop_keep_days, int) or not 1 <= pop_keep_days <= 365:
        raise ChecklistError(
            "pop_keep_days",
            ja="サーバーにコピーを置く日数は 1～365 の整数で指定してください。",
            en="The days to leave a copy on the server must be a whole number from 1 to 365.",
        )

    if cli == "android" and proto == "pop":
        raise ChecklistError("protocol", ja=_W_ANDROID_POP.ja, en=_W_ANDROID_POP.en)

    domains = tuple(dict.fromkeys(a.rpartition("@")[2] for a, _ in parsed))
    warnings: list[Text] = [_W_TWO_ACCOUNTS]

    new_host = PROVIDER.mail_host_example if new_server is None else normalize_host(new_server, field="new_server")
    if any(_under(new_host, d) for d in domains):
        warnings.append(_w_new_under_domain(new_host))

    old_host: str | None = None
    if old_server is not None:
        old_host = normalize_host(old_server, field="old_server")
        for d in domains:
            if _under(old_host, d):
                raise ChecklistError(
                    "old_server",
                    ja=f"旧サーバーに {old_host} は使えません。{d} の下の名前は DNS 切り替え後に新サーバーを指すため、"
                    "旧サーバー固有のホスト名または IP アドレスを、現在ご利用のホスティング業者にご確認ください。",
                    en=f"{old_host} cannot be the old server: names under {d} point at the new server after the DNS "
                    "switch. Ask your current provider for the old server's own host name or IP address.",
                )
        if old_host == new_host:
            raise ChecklistError(
                "old_server",
                ja="旧サーバーと新サーバーに同じホスト名が指定されています。",
                en="The old and the new server are the same host.",
            )
        if _is_ip(old_host):
            warnings.append(_w_old_is_ip(old_host))
    else:
        warnings.append(_W_NO_OLD_SERVER)

    warnings.append(_W_OP25B)
    warnings.append(_W_POP_COPY if proto == "pop" else _W_IMAP_MOVE)
    warnings.append(_W_MANUAL_SETUP)
    warnings.extend(_CLIENT_WARNINGS[cli])
    if proto == "pop" and cli in _SWITCH_SECURITY:
        warnings.append(_W_PROFILE_POP)

    samples = tuple(h for h in dict.fromkeys([new_host, old_host]) if h is not None and is_example_value(h))
    if samples:
        warnings.insert(0, _w_samples(samples, new_default=new_server is None and new_host in samples))

    incoming = ServerSettings(
        host=new_host, port=PROVIDER.pop_port if proto == "pop" else PROVIDER.imap_port, security="ssl"
    )
    outgoing = ServerSettings(
        host=new_host,
        port=PROVIDER.smtp_port if smtp == "starttls" else PROVIDER.smtp_port_alt,
        security="starttls" if smtp == "starttls" else "ssl",
    )
    accounts = tuple(
        _account(cli, proto, address, display, incoming, outgoing, old_host, pop_keep_days)
        for address, display in parsed
    )
    return MailSettings(
        protocol=proto,
        client=cli,
        smtp_security=smtp,
        accounts=accounts,
        warnings=tuple(dict.fromkeys(warnings)),
        samples=samples,
    )


_OLD_NOTE = Text(
    ja="変更するのは表の項目だけです。ポート番号・ユーザー名・パスワードなど、その他の設定はそのままにしてください。",
    en="Change only the fields in the table. Leave everything else (ports, user name, password) as it is.",
)
_OLD_HOST_UNKNOWN = Text(
    "（旧サーバー固有のホスト名または IP アドレス: 旧ホスティング業者にご確認ください）",
    "(the old server's own host name or IP address: ask your old provider)",
)
_PROTOCOL_NAMES: dict[Protocol, Text] = {"pop": _plain("POP3"), "imap": _plain("IMAP")}
_ANDROID_PROTOCOL_NAMES: dict[Protocol, Text] = {
    "pop": Text("個人用（POP3）", "Personal (POP3)"),
    "imap": Text("個人用（IMAP）", "Personal (IMAP)"),
}


def _account(
    client: Client,
    protocol: Protocol,
    address: str,
    display: str,
    incoming: ServerSettings,
    outgoing: ServerSettings,
    old_host: str | None,
    keep_days: int,
) -> AccountSettings:
    # The seed's 【旧】 (old) / 【新】 (new) prefixes; English readers get plain-ASCII equivalents.
    old_name = Text(f"【旧】{display}", f"[Old] {display}")
    new_name = Text(f"【新】{display}", f"[New] {display}")
    old_value = _plain(old_host) if old_host is not None else _OLD_HOST_UNKNOWN
    old = OldAccount(
        account_name=old_name,
        host=old_host,
        fields=_fields(client, {"account_name": old_name, "incoming_server": old_value, "outgoing_server": old_value}),
        note=_OLD_NOTE,
    )
    values: dict[FieldId, Text] = {
        "account_name": new_name,
        "email": _plain(address),
        "protocol": (_ANDROID_PROTOCOL_NAMES if client == "android" else _PROTOCOL_NAMES)[protocol],
        "username": _plain(address),
        "incoming_server": _plain(incoming.host),
        "incoming_port": _plain(str(incoming.port)),
        "incoming_security": _security_value(client, incoming.security),
        "outgoing_server": _plain(outgoing.host),
        "outgoing_port": _plain(str(outgoing.port)),
        "outgoing_security": _security_value(client, outgoing.security),
        "outgoing_username": _plain(address),
    }
    if client in _AUTH_VALUES:
        values["authentication"] = _AUTH_VALUES[client]
    if client in _OUTGOING_AUTH_VALUES:
        values["outgoing_auth"] = _OUTGOING_AUTH_VALUES[client]
    if protocol == "pop":
        values["leave_copy"] = _leave_copy_value(client, keep_days)
    new = NewAccount(
        account_name=new_name,
        protocol=protocol,
        incoming=incoming,
        outgoing=outgoing,
        username=address,
        authentication="password",
        smtp_auth=True,
        leave_copy=True if protocol == "pop" else None,
        leave_copy_days=keep_days if protocol == "pop" else None,
        fields=_fields(client, values),
    )
    return AccountSettings(address=address, address_display=display, old=old, new=new)


# --------------------------------------------------------------------------------------------------------------------
# Files


def _reverse_dns(host: str) -> str:
    return ".".join(reversed(host.split(".")))


_PROVIDER_DOMAIN = PROVIDER.support_email.rpartition("@")[2]


# Deterministic UUIDs (the core has no randomness): the same input always gives the same profile, so reinstalling a
# regenerated profile replaces the earlier one instead of adding a second.
@cache
def _uuid_namespace() -> uuid.UUID:
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_DNS, _PROVIDER_DOMAIN)


_PAYLOAD_PREFIX = f"{_reverse_dns(_PROVIDER_DOMAIN)}.mail-migration"


def thunderbird_autoconfig(settings: MailSettings, *, lang: str = "ja") -> str:
    """Thunderbird's ``config-v1.1.xml`` for the new server (the file served at ``autoconfig.<domain>/mail/``).

    Not for customers (Thunderbird cannot import such a file): the provider's administrators publish it at
    ``https://autoconfig.<domain>/mail/config-v1.1.xml`` (or ``https://<domain>/.well-known/autoconfig/mail/…``),
    where Thunderbird looks while an account is added. Built with :mod:`xml.etree.ElementTree`; the user name is
    ``%EMAILADDRESS%``; no password. A sample server name is named in an XML comment (parsers skip comments).
    """
    if not isinstance(settings, MailSettings):
        raise ChecklistError("settings", ja="メール設定を指定してください。", en="Give the mail settings.")
    import xml.etree.ElementTree as ET

    first = settings.accounts[0].new
    root = ET.Element("clientConfig", {"version": "1.1"})
    if settings.samples:
        listed = ", ".join(settings.samples)
        root.append(ET.Comment(f" {SAMPLE_LABEL.ja} / {SAMPLE_LABEL.en}: {listed} (an example, not a real server) "))
    provider = ET.SubElement(root, "emailProvider", {"id": settings.domains[0]})
    for domain in settings.domains:
        ET.SubElement(provider, "domain").text = domain
    ET.SubElement(provider, "displayName").text = PROVIDER.company.get(lang)
    ET.SubElement(provider, "displayShortName").text = PROVIDER.company_short

    incoming = ET.SubElement(provider, "incomingServer", {"type": "pop3" if settings.protocol == "pop" else "imap"})
    _server_elements(incoming, first.incoming)
    if settings.protocol == "pop":
        pop3 = ET.SubElement(incoming, "pop3")
        ET.SubElement(pop3, "leaveMessagesOnServer").text = "true"
        ET.SubElement(pop3, "daysToLeaveMessagesOnServer").text = str(first.leave_copy_days)
    outgoing = ET.SubElement(provider, "outgoingServer", {"type": "smtp"})
    _server_elements(outgoing, first.outgoing)

    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _server_elements(parent: ET.Element, server: ServerSettings) -> None:
    import xml.etree.ElementTree as ET

    ET.SubElement(parent, "hostname").text = server.host
    ET.SubElement(parent, "port").text = str(server.port)
    ET.SubElement(parent, "socketType").text = "SSL" if server.security == "ssl" else "STARTTLS"
    ET.SubElement(parent, "authentication").text = "password-cleartext"  # over TLS only, as socketType says
    ET.SubElement(parent, "username").text = "%EMAILADDRESS%"


_PROFILE_TEXT = {
    "display": Text("{company} メール設定（{domains}）", "{company} mail settings ({domains})"),
    "sample_display": Text("【{label}】", "[{label}] "),
    "sample_description": Text(
        " {hosts} はサンプル値で、実在のサーバーではありません。", " {hosts}: sample value, not a real server."
    ),
    "description": Text(
        "{company} の新しいメールサーバー用のアカウントを追加します。パスワードはインストール時に入力します。",
        "Adds the accounts for {company}'s new mail server. The password is asked for during installation.",
    ),
}


def _payload_key(address: str) -> str:
    return address.lower()


def apple_mobileconfig(settings: MailSettings, *, lang: str = "ja") -> bytes:
    """An Apple configuration profile (``.mobileconfig``, XML plist) with one ``com.apple.mail.managed`` payload per
    address, for the new account. Built with :mod:`plistlib`; it holds no password (the device asks for it).

    ``PayloadIdentifier`` decides whether installing a profile replaces one already on the device (same identifier)
    or adds a second: the profile's comes from its set of mailboxes (order and case do not matter), each account's
    from its mailbox, so taro@'s and hanako@'s profiles live side by side on one iPhone while a profile made again
    for the same mailboxes replaces the earlier one. A sample server name is said in the profile's name and
    description, which the device shows before installing.
    """
    if not isinstance(settings, MailSettings):
        raise ChecklistError("settings", ja="メール設定を指定してください。", en="Give the mail settings.")
    import plistlib
    import uuid

    company = PROVIDER.company.get(lang)
    domains = ", ".join(dict.fromkeys(a.address_display.rpartition("@")[2] for a in settings.accounts))
    payloads: list[dict[str, object]] = []
    for account in settings.accounts:
        new = account.new
        key = f"{account.address} {new.incoming.host} {settings.protocol}"
        payload_uuid = str(uuid.uuid5(_uuid_namespace(), key)).upper()
        account_id = str(uuid.uuid5(_uuid_namespace(), "account " + _payload_key(account.address))).upper()
        name = new.account_name.get(lang)
        payloads.append(
            {
                "EmailAccountDescription": name,
                "EmailAccountType": "EmailTypePOP" if settings.protocol == "pop" else "EmailTypeIMAP",
                "EmailAddress": account.address,
                "IncomingMailServerAuthentication": "EmailAuthPassword",
                "IncomingMailServerHostName": new.incoming.host,
                "IncomingMailServerPortNumber": new.incoming.port,
                "IncomingMailServerUseSSL": True,
                "IncomingMailServerUsername": new.username,
                "OutgoingMailServerAuthentication": "EmailAuthPassword",
                "OutgoingMailServerHostName": new.outgoing.host,
                "OutgoingMailServerPortNumber": new.outgoing.port,
                # Apple has one switch: with port 587 it means STARTTLS, with 465 implicit TLS.
                "OutgoingMailServerUseSSL": True,
                "OutgoingMailServerUsername": new.username,
                "OutgoingPasswordSameAsIncomingPassword": True,
                "PayloadDescription": name,
                "PayloadDisplayName": name,
                "PayloadIdentifier": f"{_PAYLOAD_PREFIX}.account.{account_id}",
                "PayloadType": "com.apple.mail.managed",
                "PayloadUUID": payload_uuid,
                "PayloadVersion": 1,
            }
        )
    profile_key = " ".join([settings.protocol, *(a.address for a in settings.accounts)])
    profile_uuid = str(uuid.uuid5(_uuid_namespace(), "profile " + profile_key)).upper()
    mailboxes = " ".join(sorted({_payload_key(a.address) for a in settings.accounts}))
    profile_id = str(uuid.uuid5(_uuid_namespace(), "mailboxes " + mailboxes)).upper()
    display = _PROFILE_TEXT["display"].get(lang).format(company=company, domains=domains)
    description = _PROFILE_TEXT["description"].get(lang).format(company=company)
    if settings.samples:
        display = _PROFILE_TEXT["sample_display"].get(lang).format(label=SAMPLE_LABEL.get(lang)) + display
        description += _PROFILE_TEXT["sample_description"].get(lang).format(hosts=", ".join(settings.samples))
    profile: dict[str, object] = {
        "PayloadContent": payloads,
        "PayloadDescription": description,
        "PayloadDisplayName": display,
        "PayloadIdentifier": f"{_PAYLOAD_PREFIX}.profile.{profile_id}",
        "PayloadOrganization": company,
        "PayloadRemovalDisallowed": False,
        "PayloadType": "Configuration",
        "PayloadUUID": profile_uuid,
        "PayloadVersion": 1,
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=True)
