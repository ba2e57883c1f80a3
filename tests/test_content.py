"""Facts the pages must state as issue 14 corrected them, checked against the pages' Markdown sources.

The migration guide (the seed PDF) is the source of truth; where a page goes beyond it, it says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checklist_app.steps import ITEMS, STEPS, item_by_number

DOCS = Path(__file__).resolve().parents[1] / "docs"
HEADING = re.compile(r"^#{1,6} ")


def page(name: str) -> str:
    """The Markdown source of ``docs/<name>``."""
    return (DOCS / name).read_text(encoding="utf-8")


def section(name: str, anchor: str) -> str:
    """The text under the heading ``{ #anchor }`` of ``docs/<name>``, up to the next heading."""
    lines = page(name).splitlines()
    start = next(i for i, line in enumerate(lines) if HEADING.match(line) and f"{{ #{anchor} }}" in line)
    end = next((i for i in range(start + 1, len(lines)) if HEADING.match(lines[i])), len(lines))
    return "\n".join(lines[start + 1 : end])


def all_pages() -> list[Path]:
    """Every content page in both languages."""
    return sorted(DOCS.rglob("*.md"))


def all_step_texts() -> list[str]:
    """Every text of checklist_app.steps in both languages."""
    texts = [t for s in STEPS for t in (s.title, s.short, s.duration.label)]
    texts += [t for i in ITEMS for t in (i.title, *i.details)]
    return [lang for t in texts for lang in (t.ja, t.en)]


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, with list items split apart."""
    return [p for block in re.split(r"\n\s*\n", text) for p in re.split(r"\n(?=\s*[-*] |\s*\d+\. |\|)", block)]


def test_item_six_keeps_the_seeds_own_text() -> None:
    """Checklist item 6 says exactly what the PDF's row 6 says; the migration-manual pointer is not in the item."""
    assert [d.ja for d in item_by_number(6).details] == ["新規メールソフト設定_簡易マニュアル をご参照ください。"]
    assert [d.en for d in item_by_number(6).details] == ["See the manual “Setting up a new mail client”."]


@pytest.mark.parametrize("name", ["checklist.md", "checklist.en.md"])
def test_checklist_page_points_migrating_customers_to_the_migration_manual(name: str) -> None:
    """The separate note on the checklist page names item 6 and links the migration manual."""
    how_to = section(name, "how-to-use")
    note = next(p for p in paragraphs(how_to) if "No.6" in p or "Item 6" in p)
    assert "manuals/mail-client-migration.md" in note


def test_faq_gives_the_seeds_24_to_48_hours_for_mail_reaching_the_old_server() -> None:
    """The FAQ's answer on mail reaching the old server uses the PDF's 24–48 hours, not 'about 48 hours'."""
    assert "24～48 時間" in section("faq.md", "mail-overlap")
    assert "24–48" in section("faq.en.md", "mail-overlap")
    assert "48 時間程度ですが" not in page("faq.md")
    assert "about 48 hours" not in page("faq.en.md")


@pytest.mark.parametrize("path", all_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_no_page_gives_an_overall_total_the_seed_does_not_have(path: Path) -> None:
    """No page states an overall 2–5 weeks: the PDF has only the step durations."""
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"2\s*[～~〜]\s*5\s*週間|2\s*[–-]\s*5 weeks", text)


def test_steps_data_has_no_overall_total_and_no_unnatural_english() -> None:
    """The steps data has no 2–5 weeks and none of the English phrasings the issue named."""
    texts = all_step_texts()
    assert not [t for t in texts if re.search(r"2\s*[～~〜]\s*5\s*週間|2\s*[–-]\s*5 weeks", t)]
    assert not [t for t in texts if "let us know it" in t or "is lost to you" in t]


@pytest.mark.parametrize(
    "lang,agreed,chosen_alone", [("", "ご相談", "お客様に決めていただきます"), (".en", "agreed", "you choose it")]
)
def test_faq_says_the_switch_date_is_agreed_with_netcom(lang: str, agreed: str, chosen_alone: str) -> None:
    """The switch date is 日程ご相談: agreed with Net-com, not chosen by the customer alone."""
    answer = section(f"faq{lang}.md", "switch-date")
    assert agreed in answer
    assert chosen_alone not in answer.lower()


@pytest.mark.parametrize("path", all_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_three_business_days_notice_is_called_this_guides_recommendation(path: Path) -> None:
    """Wherever a page asks for 3 business days' notice, the same paragraph says it is this guide's recommendation."""
    for para in paragraphs(path.read_text(encoding="utf-8")):
        if re.search(r"(?<![～〜~])3 営業日", para):
            assert "このガイド" in para, para
        if re.search(r"(?<![–-])3 business days", para):
            assert "this guide" in para, para


def test_dns_records_are_sent_with_the_switch_date_in_one_wording() -> None:
    """The FAQ and step 6 both say the DNS records are sent when the switch date is given (ご連絡の際)."""
    for name in ("faq.md#dns-records", "steps/6-dns-switch.md#before-switch"):
        doc, anchor = name.split("#")
        assert "ご連絡の際に" in section(doc, anchor)
    for name in ("faq.en.md#dns-records", "steps/6-dns-switch.en.md#before-switch"):
        doc, anchor = name.split("#")
        assert "when you tell us your DNS switch date" in " ".join(section(doc, anchor).split())
    assert "のご連絡（[ステップ-6]" not in page("faq.md")


@pytest.mark.parametrize("path", all_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_resolvectl_is_always_run_with_sudo(path: Path) -> None:
    """Flushing systemd-resolved's cache needs root: every resolvectl command on a page has sudo."""
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(?<!sudo )resolvectl flush-caches", text)


@pytest.mark.parametrize("name", ["manuals/mail-client-migration", "manuals/mail-client-new"])
@pytest.mark.parametrize("lang", ["", ".en"])
def test_android_steps_use_imap_in_the_gmail_app(name: str, lang: str) -> None:
    """Since January 2026 the Gmail app is set up over IMAP; POP is left to another app, which the page names."""
    android = section(f"{name}{lang}.md", "android-new" if name.endswith("migration") else "android")
    android = " ".join((android + section(f"{name}{lang}.md", "android")).split())
    assert "POP3" not in android
    assert "IMAP" in android
    assert "Thunderbird for Android" in android


@pytest.mark.parametrize("name", ["manuals/mail-client-migration", "manuals/mail-client-new"])
@pytest.mark.parametrize("lang", ["", ".en"])
def test_outlook_classic_lists_2024_and_dates_the_names(name: str, lang: str) -> None:
    """The classic Outlook versions include 2024, and the section says when its names were checked."""
    outlook = section(f"{name}{lang}.md", "outlook-classic")
    assert "Outlook 2024" in outlook
    assert "2026年11月時点" in outlook or "November 2026" in outlook


@pytest.mark.parametrize("lang,text", [("", "2025年10月14日"), (".en", "14 October 2025")])
def test_outlook_support_end_dates_are_stated(lang: str, text: str) -> None:
    """The migration manual says 2016/2019 left support on 2025-10-14 and 2021 on 2026-10-13."""
    outlook = " ".join(section(f"manuals/mail-client-migration{lang}.md", "outlook-classic").split())
    assert text in outlook
    assert ("2026年10月13日" if not lang else "13 October 2026") in outlook


@pytest.mark.parametrize("name", ["faq.md", "faq.en.md"])
def test_faq_hedges_the_icann_transfer_lock(name: str) -> None:
    """The 60-day transfer lock is given with the 2025 policy's 30 days and a date."""
    answer = section(name, "transfer-lock")
    assert "60" in answer and "30" in answer
    assert "2026年11月時点" in answer or "November 2026" in answer
