"""The HTML of a tool form, from its one declaration (:mod:`checklist_app.tools.forms`), for the build hook.

``{{ tool_form.NAME }}`` in a page becomes the form's opening tag, its fields, the submit button, the form's own
error slot and the Python status; the page's result section follows in the Markdown and ``{{ tool_form_end }}``
closes the form. Every text is escaped here; ``resolve`` fills in ``{{ provider.NAME }}`` first (the hook marks
example values as samples afterwards). What app.js relies on: ``data-nc-tool``, ``data-nc-packages``,
``data-nc-list`` on textareas, ``data-nc-error-for=NAME`` with ``id=NAME-error``, hints ``id=ID-hint`` named by
``aria-describedby``.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from checklist_app.text import Text
from checklist_app.tools.forms import Field, Group, ToolForm

__all__ = ["END", "render_form"]

END = "</form>"
_DATES = 'min="2000-01-01" max="2100-12-31"'
_NAME_LIKE = 'inputmode="url" spellcheck="false" autocapitalize="off"'


def render_form(form: ToolForm, lang: str, resolve: Callable[[str], str]) -> str:
    """The form's HTML in ``lang`` up to (not including) its result section."""

    def text(value: Text) -> str:
        return html.escape(resolve(value.get(lang)))

    lines = [
        f'<form class="nc-tool" data-nc-tool="{html.escape(form.tool)}" '
        f'data-nc-packages="{html.escape(" ".join(form.packages))}" id="{html.escape(form.tool)}-form" '
        'method="dialog" novalidate autocomplete="off">',
        f'<noscript><p class="nc-noscript">{text(form.noscript)}</p></noscript>',
    ]
    for part in form.parts:
        if isinstance(part, Group):
            ident = f' id="{html.escape(part.id)}"' if part.id else ""
            lines.append(f'<fieldset class="nc-field"{ident}>')
            lines.append(f"<legend>{text(part.legend)}</legend>")
            if part.hint is not None:
                lines.append(f'<p class="nc-hint">{text(part.hint)}</p>')
            for field in part.fields:
                lines.extend(_field(field, lang, text))
            lines.append("</fieldset>")
        else:
            lines.extend(_field(part, lang, text))
    submit = f'<button type="submit" class="md-button md-button--primary">{text(form.submit)}</button>'
    lines += [
        f'<p class="nc-actions">{submit}</p>',
        _error_slot("_form"),
        '<div class="nc-python-status" data-nc-python-status role="status" aria-live="polite"></div>',
    ]
    return "\n".join(lines)


def _error_slot(name: str) -> str:
    name = html.escape(name)
    return f'<p class="nc-error" data-nc-error-for="{name}" id="{name}-error" aria-live="polite" hidden></p>'


def _field(field: Field, lang: str, text: Callable[[Text], str]) -> list[str]:
    name = html.escape(field.name)
    default = field.default_in(lang)
    if field.kind == "radio":
        lines = ['<fieldset class="nc-field">', f"<legend>{text(field.label)}</legend>"]
        for option in field.options:
            checked = " checked" if option.value == default else ""
            lines.append(
                f'<label><input type="radio" name="{name}" value="{html.escape(option.value)}"{checked}> '
                f"{text(option.label)}</label>"
            )
        return [*lines, _error_slot(field.name), "</fieldset>"]
    if field.kind == "checkbox":
        required = " required" if field.required else ""
        agree = f' data-nc-agree-first="{text(field.agree_first)}"' if field.agree_first is not None else ""
        box = f'<label><input type="checkbox" name="{name}"{required}{agree}> {text(field.label)}</label>'
        return ['<div class="nc-field">', box, _error_slot(field.name), "</div>"]

    ident = html.escape(field.id)
    placeholder = f' placeholder="{text(field.placeholder)}"' if field.placeholder is not None else ""
    described = f' aria-describedby="{ident}-hint"' if field.hint is not None else ""
    control: list[str]
    if field.kind == "list":
        content = f"\n{html.escape(default)}\n" if default else ""
        control = [
            f'<textarea id="{ident}" name="{name}" data-nc-list rows="{field.rows}" spellcheck="false" '
            f'autocapitalize="off"{placeholder}{described}>{content}</textarea>'
        ]
    elif field.kind == "select":
        control = [f'<select id="{ident}" name="{name}"{described}>']
        for option in field.options:
            selected = " selected" if option.value and option.value == default else ""
            control.append(f'<option value="{html.escape(option.value)}"{selected}>{text(option.label)}</option>')
        control.append("</select>")
    elif field.kind == "date":
        control = [f'<input type="date" id="{ident}" name="{name}" {_DATES}{placeholder}{described}>']
    else:  # text, url
        kind = html.escape(field.kind)
        control = [f'<input type="{kind}" id="{ident}" name="{name}" {_NAME_LIKE}{placeholder}{described}>']
    lines = ['<div class="nc-field">', f'<label for="{ident}">{text(field.label)}</label>', *control]
    if field.hint is not None:
        lines.append(f'<p class="nc-hint" id="{ident}-hint">{text(field.hint)}</p>')
    return [*lines, _error_slot(field.name), "</div>"]
