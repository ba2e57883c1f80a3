"""THE source of truth for the migration: its 7 steps and the 12 checklist items.

The build hook renders these into the pages (timeline, step badges, per-step checklists, the
checklist form); the progress model, the schedule and the browser read the very same objects.
Ids and anchors here are part of the published URL contract: never change one once published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .text import Text

__all__ = [
    "ACTORS",
    "ITEMS",
    "STEPS",
    "Actor",
    "ChecklistItem",
    "Duration",
    "Step",
    "item_by_number",
    "items_for_step",
    "step_by_number",
]

Actor = Literal["customer", "netcom"]

ACTORS: dict[Actor, Text] = {
    "customer": Text(ja="お客様(販売会社様)の作業", en="Your task (customer / reseller)"),
    "netcom": Text(ja="弊社(Net-com)で実施", en="Done by Net-com"),
}


@dataclass(frozen=True, slots=True)
class Duration:
    """How long a stage takes: the seed's words plus numbers the schedule can plan with.

    ``min_days``/``max_days`` count business days when ``business_days`` is true, else calendar days.
    ``None`` means the seed gives no figure (the DNS switch date is agreed case by case).
    """

    label: Text
    min_days: int | None
    max_days: int | None
    business_days: bool


@dataclass(frozen=True, slots=True)
class Step:
    """One of the seven stages of the migration."""

    number: int
    slug: str  # URL path segment under /steps/, e.g. "1-application"
    title: Text
    short: Text  # the seed's timeline summary of the stage
    actor: Actor
    duration: Duration

    @property
    def path(self) -> str:
        """Site-relative URL of the step page, e.g. ``steps/1-application/``."""
        return f"steps/{self.slug}/"

    @property
    def doc(self) -> str:
        """Source file of the Japanese page inside ``docs/``."""
        return f"steps/{self.slug}.md"


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """A row of the seed's 12-item checklist (No. / チェック項目 / ご対応完了日)."""

    number: int
    anchor: str  # ASCII id of the heading of the item's section in its step page's text
    title: Text
    details: tuple[Text, ...]
    step: int
    actor: Actor
    requires: tuple[int, ...]  # item numbers that must be done before this one can start
    # The checklist-wide date this row also carries: row 1 the 申込日 (application_date), row 2 the ご解約日
    # (cancellation_date), row 8 the agreed DNS 切り替え日 (switch_date); "" for none.
    extra_date: str = ""

    @property
    def row_id(self) -> str:
        """Id of the item on /checklist/ and in its step page's item box, e.g. ``item-2``."""
        return f"item-{self.number}"

    @property
    def has_cancellation_date(self) -> bool:
        """Row 2 carries the ご解約日 field."""
        return self.extra_date == "cancellation_date"


STEPS: tuple[Step, ...] = (
    Step(
        1,
        "1-application",
        Text(ja="お申し込み", en="Application"),
        Text(
            ja="弊社まで『申込書』と、ドメイン移管に必要な認証コード[ Auth Code ]をお送りください。"
            "現在ご利用のホスティング業者に、サービス解約とドメイン管理を移行することをご連絡ください。",
            en="Send us the application forms and the authorization code (Auth Code) needed for the domain "
            "transfer. Tell your current hosting provider that you are cancelling the service and moving "
            "the domain management.",
        ),
        "customer",
        Duration(Text(ja="1 日", en="1 day"), 1, 1, False),
    ),
    Step(
        2,
        "2-domain-transfer",
        Text(ja="ドメイン管理業者の変更(ドメイン移管)", en="Change of domain registrar (domain transfer)"),
        Text(
            ja="弊社よりドメイン管理業者変更(ドメイン移管)を申請します。",
            en="Net-com applies for the change of registrar (domain transfer).",
        ),
        "netcom",
        Duration(Text(ja="数日～1 週間", en="a few days to 1 week"), 2, 7, False),
    ),
    Step(
        3,
        "3-transfer-approval",
        Text(ja="ドメイン移管のご承認", en="Approving the domain transfer"),
        Text(
            ja="現ドメイン管理業者から承認を求めるメールが届きましたら、内容ご確認のうえ「承認」の旨、"
            "現ドメイン管理業者へお手続きをお願いします。",
            en="When your current registrar e-mails you asking for approval, check it and approve the "
            "transfer with your current registrar.",
        ),
        "customer",
        Duration(Text(ja="数日～1 週間", en="a few days to 1 week"), 2, 7, False),
    ),
    Step(
        4,
        "4-server-setup",
        Text(ja="サーバ構築", en="Server set-up"),
        Text(
            ja="メールサーバ、ウェブサーバを構築し、構築完了後『サーバアカウント情報』を発行します。",
            en="Net-com builds the mail and web servers and then issues your Server Account Information.",
        ),
        "netcom",
        Duration(Text(ja="2～3 営業日", en="2–3 business days"), 2, 3, True),
    ),
    Step(
        5,
        "5-customer-setup",
        Text(ja="お客様データの設定", en="Setting up your data"),
        Text(
            ja="(a) メールサーバへメールアドレス登録 (b) メールソフトへ弊社メールサーバ用アカウントの追加 "
            "(c) ウェブサーバへウェブデータの転送",
            en="(a) register the mail addresses on the mail server, (b) add an account for our mail server "
            "to your mail software, (c) upload your web data to the web server.",
        ),
        "customer",
        Duration(
            Text(ja="サーバ設定後 数日～2 週間", en="a few days to 2 weeks after the server set-up"), 2, 14, False
        ),
    ),
    Step(
        6,
        "6-dns-switch",
        Text(ja="DNS サーバ情報の変更と「ご利用開始」", en="Changing the DNS server information and going live"),
        Text(
            ja="「DNS 切り替え日」を数日前までにご連絡ください。弊社にて DNS サーバ（ドメイン・ネームサーバ）の"
            "情報を変更するとサーバが切り替わります。",
            en="Tell us your DNS switch date a few days in advance. When Net-com changes the domain's DNS server "
            "(name server) information, your services switch to the new servers.",
        ),
        "netcom",
        Duration(Text(ja="日程ご相談", en="date agreed with you"), None, None, True),
    ),
    Step(
        7,
        "7-old-account",
        Text(ja="旧アカウントの無効化", en="Retiring the old account"),
        Text(
            ja="DNS 切替え後も旧サーバにメールが届く場合があるため、1～2 週間程度は新・旧両方をメールチェックし、"
            "旧サーバに届かなくなりましたらメールソフトから現行(旧)アカウントを削除してください。",
            en="Mail may still reach the old server after the DNS switch: check both the [NEW] and the [OLD] "
            "account for about 1–2 weeks, then delete the current ([OLD]) account from your mail software once "
            "no more mail arrives at the old server.",
        ),
        "customer",
        Duration(Text(ja="サーバ切替後 1～2 週間", en="1–2 weeks after the switch"), 7, 14, False),
    ),
)

ITEMS: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        1,
        "application-documents",
        Text(ja="お申込み", en="Application"),
        (
            Text(ja="弊社へ以下のお申込書をお送りください。", en="Send us the following application documents:"),
            Text(ja="(１) ホスティングサービスの契約申込書", en="(1) Hosting service application form"),
            Text(ja="(２) ドメイン名 転入申請書", en="(2) Domain name transfer-in request form"),
        ),
        step=1,
        actor="customer",
        requires=(),
        extra_date="application_date",
    ),
    ChecklistItem(
        2,
        "cancel-current-host",
        Text(
            ja="現在ご利用のホスティング業者への解約手続き",
            en="Cancelling the service with your current hosting provider",
        ),
        (
            Text(
                ja="現ホスティング業者へサービス解約の申請を行ってください。",
                en="Apply to your current hosting provider to cancel the service.",
            ),
            Text(
                ja="弊社からのドメイン移管申請を承認いただく様お伝えください。",
                en="Ask them to approve the domain transfer request that Net-com will send.",
            ),
            Text(
                ja="「Auth Code」を発行頂き、弊社へお知らせください。",
                en="Have them issue the Auth Code, and send it to us.",
            ),
        ),
        step=1,
        actor="customer",
        requires=(),
        extra_date="cancellation_date",
    ),
    ChecklistItem(
        3,
        "transfer-complete",
        Text(ja="ドメイン移管の完了", en="Domain transfer completed"),
        (
            Text(
                ja="弊社からドメイン移管完了をご連絡いたします。",
                en="Net-com tells you when the domain transfer is complete.",
            ),
        ),
        step=3,
        actor="netcom",
        requires=(1, 2),
    ),
    ChecklistItem(
        4,
        "account-info",
        Text(ja="『サーバアカウント情報』の受領", en="Receiving the Server Account Information"),
        (
            Text(
                ja="弊社からサーバ構築完了のご連絡と併せて、お送りいたします。",
                en="Net-com sends it together with the notice that the servers are set up.",
            ),
        ),
        step=4,
        actor="netcom",
        requires=(3,),
    ),
    ChecklistItem(
        5,
        "register-mail-addresses",
        Text(ja="メールサーバへのメールアドレス登録", en="Registering the mail addresses on the mail server"),
        (
            Text(
                ja="『メールアドレス新規作成_簡易マニュアル』 をご参照ください。",
                en="See the manual “Creating mail addresses”.",
            ),
        ),
        step=5,
        actor="customer",
        requires=(4,),
    ),
    ChecklistItem(
        6,
        "add-mail-account",
        Text(
            ja="メールソフト(Outlook など)への弊社メールサーバ用アカウントの追加",
            en="Adding an account for our mail server to your mail software (Outlook etc.)",
        ),
        (
            Text(
                ja="新規メールソフト設定_簡易マニュアル をご参照ください。",
                en="See the manual “Setting up a new mail client”.",
            ),
        ),
        step=5,
        actor="customer",
        requires=(5,),
    ),
    ChecklistItem(
        7,
        "upload-web-data",
        Text(ja="ウェブサーバへのウェブデータの転送", en="Uploading your web data to the web server"),
        (),
        step=5,
        actor="customer",
        requires=(4,),
    ),
    ChecklistItem(
        8,
        "request-switch-date",
        Text(ja="「DNS 切り替え日」のご連絡", en="Telling us your DNS switch date"),
        (
            Text(
                ja="切り替えは平日(月～木)営業時間内でのご対応とさせていただきます。",
                en="The switch is done Monday to Thursday, within business hours.",
            ),
        ),
        step=6,
        actor="customer",
        requires=(5, 6, 7),
        extra_date="switch_date",
    ),
    ChecklistItem(
        9,
        "dns-switched",
        Text(
            ja="DNS サーバ情報の変更（ホスティングサービスの切り替え）",
            en="Changing the DNS server information (switching the hosting service)",
        ),
        (Text(ja="弊社から切り替え完了をご連絡いたします。", en="Net-com tells you when the switch is complete."),),
        step=6,
        actor="netcom",
        requires=(8,),
    ),
    ChecklistItem(
        10,
        "check-new-mail",
        Text(ja="新メールサーバでのメール送受信確認", en="Checking sending and receiving on the new mail server"),
        (),
        step=6,
        actor="customer",
        requires=(9,),
    ),
    ChecklistItem(
        11,
        "check-website",
        Text(ja="ホームページの動作確認", en="Checking the website"),
        (),
        step=6,
        actor="customer",
        requires=(9,),
    ),
    ChecklistItem(
        12,
        "disable-old-account",
        Text(ja="旧メールサーバ用アカウントの無効化", en="Retiring the account for the old mail server"),
        (
            Text(
                ja="プロパゲーション期間終了後または、現在ご利用ホスティングサービスの解約日以降にご対応ください。",
                en="Do this after the propagation period has ended, or on or after the cancellation date of "
                "your current hosting service.",
            ),
        ),
        step=7,
        actor="customer",
        requires=(9, 10),
    ),
)


def step_by_number(number: int) -> Step:
    """Return step ``number`` (1–7); ``KeyError`` for any other number."""
    for step in STEPS:
        if step.number == number:
            return step
    raise KeyError(number)


def item_by_number(number: int) -> ChecklistItem:
    """Return checklist item ``number`` (1–12); ``KeyError`` for any other number."""
    for item in ITEMS:
        if item.number == number:
            return item
    raise KeyError(number)


def items_for_step(number: int) -> tuple[ChecklistItem, ...]:
    """The checklist items that belong to step ``number``, in checklist order."""
    return tuple(item for item in ITEMS if item.step == number)
