"""The provider's own values: the one place the site and the generators read them from.

Change a value here and both the pages (through the build hook) and the generators follow.
Host names and addresses are examples from reserved ranges (RFC 2606 / RFC 5737 / RFC 3849) until
the company fills in its production values.
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import Text

__all__ = ["PROVIDER", "Provider"]


@dataclass(frozen=True, slots=True)
class Provider:
    """Everything about Net-com that a page or a generator may show."""

    company: Text
    company_short: str
    support_email: str
    support_phone: str
    support_fax: str
    business_hours: Text
    dns_switch_rule: Text
    closed_days: Text
    # (month, day) pairs of the company's own closed days besides weekends and public holidays.
    closed_month_days: tuple[tuple[int, int], ...]
    nameservers: tuple[str, ...]
    mail_host_example: str
    web_host_example: str
    web_ipv4_example: str
    web_ipv6_example: str
    mail_ipv4_example: str
    old_mail_host_example: str
    pop_port: int
    imap_port: int
    smtp_port: int
    smtp_port_alt: int
    application_form: Text
    transfer_form: Text
    account_info_doc: Text


PROVIDER = Provider(
    company=Text(ja="ネット・コミュニケーションズ", en="Net Communications"),
    company_short="Net-com",
    support_email="support@net-com.example",
    support_phone="03-0000-0000",
    support_fax="03-0000-0001",
    business_hours=Text(
        ja="平日 10:00～18:00（土・日・祝日、年末年始を除く）",
        en="Weekdays 10:00–18:00 JST (except weekends, public holidays and the New Year break)",
    ),
    dns_switch_rule=Text(ja="平日(月～木)営業時間内", en="Monday to Thursday, within business hours"),
    closed_days=Text(ja="12月29日～1月3日", en="29 December to 3 January"),
    closed_month_days=((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)),
    nameservers=("ns1.net-com.example", "ns2.net-com.example"),
    mail_host_example="mail01.net-com.example",
    web_host_example="web01.net-com.example",
    web_ipv4_example="203.0.113.10",
    web_ipv6_example="2001:db8::10",
    mail_ipv4_example="203.0.113.25",
    old_mail_host_example="mail.oldhost.example",
    pop_port=995,
    imap_port=993,
    smtp_port=587,
    smtp_port_alt=465,
    application_form=Text(ja="ホスティングサービスの契約申込書", en="Hosting service application form"),
    transfer_form=Text(ja="ドメイン名 転入申請書", en="Domain name transfer-in request form"),
    account_info_doc=Text(ja="サーバアカウント情報", en="Server Account Information"),
)
