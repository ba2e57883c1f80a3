"""Search finds the right page for what customers type, judged on the built search index.

The ranking is an emulation of Material's lunr search (see :func:`sitelib.search`); the browser suite can
reuse :data:`SEARCH_CASES` to run the same queries through the real search box.
"""

from __future__ import annotations

from typing import Any

import pytest

from .sitelib import ContractPage, search

pytestmark = pytest.mark.site

# (language, what the customer types, pages that must be among the first three results)
SEARCH_CASES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ja", "プロパゲーション", ("propagation/",)),
    ("ja", "hosts", ("manuals/hosts/",)),
    ("ja", "Auth Code", ("steps/1-application/",)),
    ("ja", "解約", ("steps/1-application/", "checklist/")),
    ("ja", "Outlook", ("manuals/mail-client-migration/",)),
    ("ja", "DNS 切り替え", ("steps/6-dns-switch/",)),
    ("en", "propagation", ("en/propagation/",)),
    ("en", "hosts", ("en/manuals/hosts/",)),
    ("en", "Auth Code", ("en/steps/1-application/",)),
    ("en", "Outlook", ("en/manuals/mail-client-migration/",)),
)
TOP = 3


@pytest.mark.parametrize(("lang", "query", "expected"), SEARCH_CASES, ids=[f"{c[0]}:{c[1]}" for c in SEARCH_CASES])
def test_query_finds_the_expected_pages(
    lang: str, query: str, expected: tuple[str, ...], search_index: dict[str, Any]
) -> None:
    """The expected pages are among the first three results for the query."""
    hits = search(search_index, query, lang=lang)
    top = [h.page for h in hits[:TOP]]
    missing = [page for page in expected if page not in top]
    assert not missing, (
        f"{query!r} ({lang}): {missing} not in the top {TOP}; got {[(h.page, h.score) for h in hits[:6]]}"
    )


def test_search_index_is_set_up_for_japanese_and_english(search_index: dict[str, Any]) -> None:
    """The index declares ja and en, splits on Japanese punctuation and does not stem (stemming broke en queries)."""
    config = search_index["config"]
    assert set(config["lang"]) >= {"ja", "en"}
    assert "、" in config["separator"] and "。" in config["separator"]
    assert "stemmer" not in config["pipeline"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_contract_page_is_in_the_search_index(
    lang: str, search_index: dict[str, Any], contract: tuple[ContractPage, ...]
) -> None:
    """Each published page is searchable in this language."""
    locations = {str(d["location"]).split("#", 1)[0] for d in search_index["docs"]}
    prefix = "" if lang == "ja" else "en/"
    missing = [p.url for p in contract if prefix + p.url.lstrip("/") not in locations]
    assert not missing, f"not in the search index ({lang}): {missing}"


def test_emulation_requires_every_query_term() -> None:
    """A section matching only some of the terms is not a result."""
    index = {
        "docs": [
            {"location": "a/", "title": "DNS", "text": ""},
            {"location": "b/", "title": "DNS 切り替え", "text": ""},
        ]
    }
    assert [h.page for h in search(index, "DNS 切り替え")] == ["b/"]


def test_emulation_ranks_a_title_hit_above_a_mention_and_filters_by_language() -> None:
    """A page whose section title holds the term ranks first; lang keeps only that language's pages."""
    index = {
        "docs": [
            {"location": "faq/#x", "title": "メール", "text": "Outlook の設定"},
            {"location": "manual/#outlook", "title": "Outlook", "text": "設定"},
            {"location": "en/manual/#outlook", "title": "Outlook", "text": "Outlook Outlook"},
        ]
    }
    assert [h.page for h in search(index, "outlook", lang="ja")] == ["manual/", "faq/"]
