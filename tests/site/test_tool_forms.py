"""The tool forms on the built pages are exactly their one declaration (checklist_app/tools/forms.py).

Each page is parsed with html.parser (sitelib.parse_tree); the hook renders the form (scripts/tool_forms.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from checklist_app.provider import PROVIDER
from checklist_app.text import Text
from checklist_app.tools.forms import FORMS, Field, ToolForm

from .sitelib import LANGS, Element, page_file, parse_tree

pytestmark = pytest.mark.site

PAGES = {
    "hosts": "/tools/hosts/",
    "mail": "/tools/mail/",
    "schedule": "/tools/schedule/",
    "dnscheck": "/tools/dns-check/",
    "stafflink": "/tools/staff-link/",
}


@pytest.fixture(scope="module")
def tree(site_dir: Path) -> Callable[[str], Element]:
    """Parse a built page (cached)."""
    cache: dict[str, Element] = {}

    def get(rel: str) -> Element:
        if rel not in cache:
            cache[rel] = parse_tree((site_dir / rel).read_text(encoding="utf-8"))
        return cache[rel]

    return get


_PROVIDER = re.compile(r"\{\{\s*provider\.([a-z_0-9]+)\s*\}\}")


def _resolved(text: Text, lang: str) -> str:
    """The declared text as the page shows it (provider values filled in; labels hold no sample value)."""

    def value(match: re.Match[str]) -> str:
        found = getattr(PROVIDER, match.group(1))
        return found.get(lang) if isinstance(found, Text) else str(found)

    return " ".join(_PROVIDER.sub(value, text.get(lang)).split())


def _form(tree: Callable[[str], Element], tool: str, lang: str) -> Element:
    forms = tree(page_file(PAGES[tool], lang)).find_all("form", cls="nc-tool")
    assert len(forms) == 1, f"{tool}/{lang}: {len(forms)} tool forms"
    return forms[0]


def _controls(form: Element) -> list[Element]:
    return [e for e in form.iter() if e.tag in ("input", "select", "textarea") and "name" in e.attrs]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tool", sorted(FORMS))
def test_the_page_has_exactly_the_declared_fields(tool: str, lang: str, tree: Callable[[str], Element]) -> None:
    """Every named control of the built form, in page order, is a declared field, and every declared field is there."""
    form = _form(tree, tool, lang)
    names = list(dict.fromkeys(c.attrs["name"] for c in _controls(form)))  # a radio group counts once
    assert names == list(FORMS[tool].names)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tool", sorted(FORMS))
def test_the_form_tag_says_the_tool_and_its_wheels(tool: str, lang: str, tree: Callable[[str], Element]) -> None:
    """data-nc-tool, data-nc-packages (what the page loads) and the id come from the declaration."""
    declared: ToolForm = FORMS[tool]
    attrs = _form(tree, tool, lang).attrs
    assert (attrs["data-nc-tool"], attrs["data-nc-packages"].split(), attrs["id"]) == (
        tool,
        list(declared.packages),
        f"{tool}-form",
    )


def _check_field(form: Element, field: Field, lang: str) -> None:
    controls = [c for c in _controls(form) if c.attrs["name"] == field.name]
    slot = form.find(data_nc_error_for=field.name)
    assert slot is not None and slot.attrs.get("id") == f"{field.name}-error" and "hidden" in slot.attrs
    if field.kind == "radio":
        assert [(c.attrs.get("type"), c.attrs["value"]) for c in controls] == [("radio", o.value) for o in field.options]
        assert [c.attrs["value"] for c in controls if "checked" in c.attrs] == [field.default_in(lang)]
        group = next(e for e in form.iter() if e.tag == "fieldset" and controls[0] in list(e.iter()))
        legend = group.find("legend")
        assert legend is not None and legend.text == _resolved(field.label, lang)
        return
    (control,) = controls
    if field.kind == "checkbox":
        label = next(e for e in form.iter() if e.tag == "label" and control in list(e.iter()))
        assert control.attrs["type"] == "checkbox"
        assert ("required" in control.attrs) == field.required
        assert label.text == _resolved(field.label, lang)
        return
    assert control.attrs["id"] == field.id
    label = form.find("label", **{"for": field.id})
    assert label is not None and label.text == _resolved(field.label, lang)
    if field.kind == "list":
        assert (control.tag, "data-nc-list" in control.attrs) == ("textarea", True)
        assert control.attrs["rows"] == str(field.rows)
    elif field.kind == "select":
        assert control.tag == "select"
        options = [o for o in control.iter() if o.tag == "option"]
        assert [o.attrs["value"] for o in options] == [o.value for o in field.options]
        assert [o.text for o in options] == [_resolved(o.label, lang) for o in field.options]
        chosen = [o.attrs["value"] for o in options if "selected" in o.attrs]
        assert chosen == ([field.default_in(lang)] if field.default_in(lang) else [])
    else:
        assert (control.tag, control.attrs["type"]) == ("input", field.kind)
    described = control.attrs.get("aria-describedby")
    if field.hint is None:
        assert described is None
    else:
        hint = form.find(id=described or "")
        assert described == f"{field.id}-hint" and hint is not None and hint.text
    if field.placeholder is not None:
        assert control.attrs.get("placeholder")
    else:
        assert "placeholder" not in control.attrs


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tool", sorted(FORMS))
def test_each_field_is_drawn_as_declared(tool: str, lang: str, tree: Callable[[str], Element]) -> None:
    """Kind, id, label (in the page's language), hint named by aria-describedby, options, default, error slot."""
    form = _form(tree, tool, lang)
    for field in FORMS[tool].fields:
        _check_field(form, field, lang)
    submit = form.find("button", type="submit")
    assert submit is not None and submit.text == _resolved(FORMS[tool].submit, lang)
    assert form.find(data_nc_error_for="_form") is not None


@pytest.mark.parametrize("tool", sorted(FORMS))
def test_example_placeholders_are_marked_as_samples(tool: str, tree: Callable[[str], Element]) -> None:
    """A placeholder holding a provider example value says so (the hook's sample mark reaches rendered forms)."""
    samples = PROVIDER.sample_values()
    for lang in LANGS:
        form = _form(tree, tool, lang)
        for control in _controls(form):
            shown = control.attrs.get("placeholder", "")
            if any(str(v) in shown for v in samples):
                assert ("サンプル値" if lang == "ja" else "sample value") in shown, (tool, lang, shown)


def test_an_undeclared_or_unclosed_tool_form_fails_the_build(tmp_path: Path) -> None:
    """``{{ tool_form.hots }}`` (no such form) and a form without ``{{ tool_form_end }}`` stop the build."""
    from .test_hook import _tiny_site

    rc, log, _ = _tiny_site(tmp_path / "a", {"index.md": "# x\n\n{{ tool_form.hots }}\n{{ tool_form_end }}\n"})
    assert rc != 0 and "hots" in log
    rc, log, _ = _tiny_site(tmp_path / "b", {"index.md": "# x\n\n{{ tool_form.hosts }}\n"})
    assert rc != 0 and "tool_form_end" in log
    rc, log, site = _tiny_site(tmp_path / "c", {"index.md": "# x\n\n{{ tool_form.hosts }}\n{{ tool_form_end }}\n"})
    assert rc == 0, log
    assert 'data-nc-tool="hosts"' in (site / "index.html").read_text(encoding="utf-8")
