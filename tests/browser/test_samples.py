"""The サンプル値 / sample value badge is drawn with a size beside the example contact values, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from checklist_app.provider import PROVIDER, SAMPLE_LABEL

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "lang"), [("", "ja"), ("en/", "en")])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_contact_badges_are_drawn_beside_the_values(
    page: Page, base_url: str, path: str, lang: str, scheme: str
) -> None:
    """On the overview, each example contact value has a badge drawn with a size (light and dark), a real one none."""
    contact = (PROVIDER.support_email, PROVIDER.support_phone, PROVIDER.support_fax)
    examples = [v for v in contact if v in PROVIDER.sample_values()]
    page.goto(base_url + path)
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    found = page.eval_on_selector_all(
        "article [data-nc-sample]",
        """els => els.map(e => {
            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return {text: e.textContent, cell: e.parentElement.textContent, width: r.width, height: r.height,
                    color: s.color, background: s.backgroundColor, border: s.borderTopStyle};
        })""",
    )
    for value in set(contact) - set(examples):  # a real value carries no badge
        assert not [b for b in found if value in b["cell"]], f"{value} is real but marked"
    for value in examples:
        badges = [b for b in found if value in b["cell"]]
        assert badges, f"no badge beside {value}"
        badge = badges[0]
        assert badge["text"] == SAMPLE_LABEL.get(lang)
        assert badge["width"] > 20 and badge["height"] > 8, badge
        assert badge["border"] == "dashed" and badge["color"] != badge["background"]
