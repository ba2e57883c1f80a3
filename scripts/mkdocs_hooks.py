"""MkDocs hook: renders checklist_app's single source of truth into the pages.

Placeholders a page may use (each rendered in the page's language):

- ``{{ provider.NAME }}``  a value of :data:`checklist_app.provider.PROVIDER`
- ``{{ timeline }}``       the overview timeline of the seven steps
- ``{{ step_meta }}``      on a step page: who acts, how long, the seed's summary
- ``{{ step_items }}``     on a step page: its checklist items (ids = the items' anchors)
- ``{{ step_nav }}``       on a step page: previous / next step
- ``{{ checklist_form }}`` the 12-item checklist with the completion-date column and ご解約日
- ``{{ tool_form.NAME }}`` a tool's form, from its declaration in :mod:`checklist_app.tools.forms`
  (scripts/tool_forms.py); the page's result section follows, then ``{{ tool_form_end }}`` closes the form

An unknown placeholder fails the build, so a typo never reaches a customer.

A provider value from a reserved example range (see :mod:`checklist_app.provider`) is marked where it is shown: a
「サンプル値」/ "sample value" badge after it in text, a note above a code block that holds it, the words appended
to an attribute (an input's placeholder). ``PROVIDER_STRICT=1`` in the environment fails the build instead.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checklist_app.progress import NOTE_MAX_LENGTH
from checklist_app.provider import PROVIDER, SAMPLE_LABEL
from checklist_app.steps import ACTORS, ITEMS, STEPS, ChecklistItem, Step, items_for_step
from checklist_app.text import Text
from checklist_app.tools.forms import FORMS
from checklist_app.words import page_words_json
from scripts.css_bundle import bundle_site
from scripts.provider_check import check_provider
from scripts.sw_stamp import stamp as stamp_service_worker
from scripts.tool_forms import END as TOOL_FORM_END
from scripts.tool_forms import render_form

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z_0-9]+)?)\s*\}\}")

LABELS = {
    "who": Text(ja="担当", en="Who"),
    "duration": Text(ja="日数目安", en="Typical duration"),
    "step": Text(ja="ステップ", en="Step"),
    "items": Text(ja="このステップのチェック項目", en="Checklist items for this step"),
    "prev": Text(ja="前のステップ", en="Previous step"),
    "next": Text(ja="次のステップ", en="Next step"),
    "no": Text(ja="No.", en="No."),
    "check": Text(ja="チェック項目", en="Checklist item"),
    "done_date": Text(ja="ご対応完了日", en="Date completed"),
    "cancel_date": Text(ja="ご解約日", en="Cancellation date"),
    "application_date": Text(ja="申込日", en="Application date"),
    "switch_date": Text(ja="DNS 切り替え日（決まったら）", en="DNS switch date (once agreed)"),
    "see_step": Text(ja="手順を見る", en="See the step"),
    "checklist_link": Text(ja="チェックリストで見る", en="Open in the checklist"),
    "domain": Text(ja="ドメイン名", en="Domain name"),
    "note": Text(ja="メモ", en="Note"),
}


def _lang(page: Any) -> str:
    locale = getattr(page.file, "locale", None)
    if locale:
        return str(locale)
    return "en" if page.file.src_uri.endswith(".en.md") else "ja"


def _page_step(page: Any) -> Step | None:
    src = page.file.src_uri.replace(".en.md", ".md")
    for step in STEPS:
        if src == step.doc:
            return step
    return None


def _rel(page: Any, target_doc: str) -> str:
    """A relative URL from this page to the built page of ``target_doc`` (same language).

    Raw HTML is not rewritten by MkDocs, so the link is computed from the built URLs; the contract
    tests check every one of them resolves.
    """
    lang = _lang(page)
    prefix = "" if lang == "ja" else f"{lang}/"
    target = target_doc.removesuffix(".md")
    target = prefix + ("" if target == "index" else target + "/")
    here = page.url if page.url.endswith("/") or page.url == "" else page.url.rsplit("/", 1)[0] + "/"
    rel = posixpath.relpath(target or ".", here or ".")
    return "./" if rel == "." else rel + "/"


def _badge(actor: str, lang: str) -> str:
    return f'<span class="nc-badge nc-badge--{actor}">{html.escape(ACTORS[actor].get(lang))}</span>'  # type: ignore[index]


def _step_label(step: Step, lang: str) -> str:
    if lang == "en":
        return f"Step {step.number}"
    return f"ステップ-{step.number}"


def _timeline(page: Any, lang: str) -> str:
    lines = ['<ol class="nc-timeline">']
    for step in STEPS:
        link = _rel(page, step.doc)
        title = html.escape(step.title.get(lang))
        lines.append(f'<li class="nc-timeline__stage nc-timeline__stage--{step.actor}" id="stage-{step.number}">')
        lines.append(f'<p class="nc-timeline__head"><span class="nc-timeline__num">{_step_label(step, lang)}</span> ')
        lines.append(f'<a href="{link}"><strong>{title}</strong></a></p>')
        lines.append(
            f'<p class="nc-timeline__meta">{_badge(step.actor, lang)} '
            f'<span class="nc-duration">{html.escape(LABELS["duration"].get(lang))}: '
            f"{html.escape(step.duration.label.get(lang))}</span></p>"
        )
        lines.append(f'<p class="nc-timeline__text">{html.escape(step.short.get(lang))}</p>')
        lines.append("</li>")
    lines.append("</ol>")
    return "\n".join(lines)


def _step_meta(step: Step, lang: str) -> str:
    return (
        f'<div class="nc-step-meta" data-step="{step.number}">\n'
        f'<p><span class="nc-step-meta__label">{html.escape(LABELS["who"].get(lang))}:</span> '
        f"{_badge(step.actor, lang)}\n"
        f'<span class="nc-step-meta__label">{html.escape(LABELS["duration"].get(lang))}:</span> '
        f'<span class="nc-duration">{html.escape(step.duration.label.get(lang))}</span></p>\n'
        f"<p>{html.escape(step.short.get(lang))}</p>\n"
        "</div>"
    )


def _item_body(item: ChecklistItem, lang: str) -> str:
    parts = [f'<span class="nc-item__title">{html.escape(item.title.get(lang))}</span>']
    if item.details:
        parts.append('<ul class="nc-item__details">')
        parts.extend(f"<li>{html.escape(d.get(lang))}</li>" for d in item.details)
        parts.append("</ul>")
    return "".join(parts)


# The checklist-wide date a row carries (steps.ChecklistItem.extra_date): its id stem and label.
_EXTRA_FIELDS = {
    "cancellation_date": ("cancel-date", "cancel_date"),
    "application_date": ("application-date", "application_date"),
    "switch_date": ("switch-date", "switch_date"),
}


def _extra_field(item: ChecklistItem, lang: str, id_prefix: str) -> str:
    stem, label_key = _EXTRA_FIELDS[item.extra_date]
    label = html.escape(LABELS[label_key].get(lang))
    css = "nc-cancel nc-extra" if item.has_cancellation_date else "nc-extra"
    return (
        f'<p class="{css}"><label for="{id_prefix}{stem}-{item.number}">{label}</label> '
        f'<input type="date" id="{id_prefix}{stem}-{item.number}" name="{stem}" '
        f'class="nc-date" data-item="{item.number}" data-field="{item.extra_date}" data-extra>'
        '<span class="nc-print-value" aria-hidden="true"></span></p>'
    )


def _step_items(page: Any, step: Step, lang: str) -> str:
    items = items_for_step(step.number)
    if not items:
        return ""
    checklist = _rel(page, "checklist.md")
    out = [
        f'<section class="nc-step-items" data-step="{step.number}" aria-labelledby="step-items-title">',
        f'<h2 id="step-items-title">{html.escape(LABELS["items"].get(lang))}</h2>',
        '<p class="nc-step-items__for" aria-live="polite"></p>',
        '<ul class="nc-items">',
    ]
    for item in items:
        out.append(
            f'<li class="nc-item" id="{item.row_id}" data-item="{item.number}">'
            f'<span class="nc-step-check"><input type="checkbox" id="step-done-{item.number}" class="nc-done" '
            f'data-item="{item.number}" aria-label="{item.number}. {html.escape(item.title.get(lang))}" '
            f'aria-describedby="step-status-{item.number}"></span>'
            f'<span class="nc-item__no">{item.number}</span> {_badge(item.actor, lang)} {_item_body(item, lang)} '
            f'<strong class="nc-status" id="step-status-{item.number}"></strong> <span class="nc-step-date"></span> '
            f'<a class="nc-item__link" href="{checklist}#{item.row_id}">'
            f"{html.escape(LABELS['checklist_link'].get(lang))}</a></li>"
        )
    out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def _step_nav(page: Any, step: Step, lang: str) -> str:
    out = ['<nav class="nc-step-nav" aria-label="' + html.escape(LABELS["step"].get(lang)) + '">']
    if step.number > 1:
        prev = STEPS[step.number - 2]
        out.append(
            f'<a class="nc-step-nav__prev" rel="prev" href="{_rel(page, prev.doc)}">← '
            f"{html.escape(LABELS['prev'].get(lang))}: {_step_label(prev, lang)} "
            f"{html.escape(prev.title.get(lang))}</a>"
        )
    if step.number < len(STEPS):
        nxt = STEPS[step.number]
        out.append(
            f'<a class="nc-step-nav__next" rel="next" href="{_rel(page, nxt.doc)}">'
            f"{html.escape(LABELS['next'].get(lang))}: {_step_label(nxt, lang)} "
            f"{html.escape(nxt.title.get(lang))} →</a>"
        )
    out.append("</nav>")
    return "\n".join(out)


def _checklist_form(page: Any, lang: str) -> str:
    out = [
        '<form class="nc-checklist" id="checklist-form" autocomplete="off">',
        '<p class="nc-checklist__domain"><label for="checklist-domain">'
        f"{html.escape(LABELS['domain'].get(lang))}</label> "
        '<input type="text" id="checklist-domain" name="domain" class="nc-domain" inputmode="url" '
        'spellcheck="false"></p>',
        '<table class="nc-checklist__table">',
        "<thead><tr>"
        f'<th scope="col" class="nc-col-no">{LABELS["no"].get(lang)}</th>'
        f'<th scope="col">{html.escape(LABELS["check"].get(lang))}</th>'
        f'<th scope="col" class="nc-col-date">{html.escape(LABELS["done_date"].get(lang))}</th>'
        "</tr></thead>",
        "<tbody>",
    ]
    for item in ITEMS:
        step = STEPS[item.step - 1]
        link = f"{_rel(page, step.doc)}#{item.anchor}"
        cancel = _extra_field(item, lang, "") if item.extra_date else ""
        n = item.number
        note = (
            f'<p class="nc-note"><label for="note-{n}">{html.escape(LABELS["note"].get(lang))}</label>'
            f'<textarea id="note-{n}" rows="1" maxlength="{NOTE_MAX_LENGTH}" data-item="{n}" data-field="note" '
            'class="nc-note__input"></textarea><span class="nc-note__print" aria-hidden="true"></span></p>'
        )
        out.append(
            f'<tr id="{item.row_id}" class="nc-row" data-item="{n}" data-step="{item.step}">'
            f'<th scope="row" class="nc-col-no">'
            f'<input type="checkbox" id="done-{n}" class="nc-done" data-item="{n}" '
            f'aria-label="{n}. {html.escape(item.title.get(lang))}" aria-describedby="status-{n}"> '
            f'<label for="done-{n}">{n}</label></th>'
            f'<td><strong class="nc-status" id="status-{n}"></strong> '
            f"{_badge(item.actor, lang)} {_item_body(item, lang)}{cancel}"
            f' <a class="nc-row__step" href="{link}">{html.escape(LABELS["see_step"].get(lang))} '
            f"({_step_label(step, lang)})</a>{note}</td>"
            f'<td class="nc-col-date" data-label="{html.escape(LABELS["done_date"].get(lang))}">'
            f'<input type="date" class="nc-date" id="date-{item.number}" '
            f'data-item="{item.number}" data-field="completed_on" '
            f'aria-label="{item.number}. {html.escape(LABELS["done_date"].get(lang))}">'
            f'<span class="nc-print-blank" aria-hidden="true"></span>'
            f'<span class="nc-expected" id="expected-{n}"></span></td>'
            "</tr>"
        )
    out.append("</tbody></table></form>")
    # Right after the form: the script that reads the saved state and shows it before the first paint (classic and
    # synchronous, so it runs before the theme's bundle at the end of the page; app.js uses the same script).
    out.append(f'<script src="{html.escape(_asset(page, EARLY_SCRIPT))}"></script>')
    return "\n".join(out)


EARLY_SCRIPT = "assets/checklist-view.js"


def _asset(page: Any, path: str) -> str:
    """A relative URL from this page to a file of the site root (assets are shared by both languages)."""
    here = page.url if page.url.endswith("/") or page.url == "" else page.url.rsplit("/", 1)[0] + "/"
    return posixpath.relpath(path, here or ".")


_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_ENDS_CJK = re.compile(f"[{_CJK}]$")
_STARTS_CJK = re.compile(f"^[ \\t]*[{_CJK}]")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


def join_cjk_lines(markdown: str) -> str:
    """Join soft line breaks between two Japanese characters.

    Markdown turns a line break inside a paragraph into a space, which is right in English and wrong in
    Japanese (「設定し ます」). Headings, table rows and code fences are left alone.
    """
    out: list[str] = []
    in_fence = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            continue
        if (
            not in_fence
            and out
            and _ENDS_CJK.search(out[-1])
            and _STARTS_CJK.match(line)
            and not out[-1].lstrip().startswith(("#", "|"))
        ):
            out[-1] += line.lstrip()
            continue
        out.append(line)
    return "\n".join(out)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace every ``{{ … }}`` placeholder (an unknown one fails the build); join Japanese soft breaks."""
    lang = _lang(page)
    if lang == "ja":
        markdown = join_cjk_lines(markdown)
    step = _page_step(page)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("provider."):
            attr = name.split(".", 1)[1]
            if not hasattr(PROVIDER, attr):
                raise ValueError(f"{page.file.src_uri}: unknown provider value {name!r}")
            value = getattr(PROVIDER, attr)
            if isinstance(value, Text):
                return value.get(lang)
            samples = PROVIDER.sample_values()
            if isinstance(value, tuple):
                shown = [_sample(str(v)) if v in samples else str(v) for v in value]
                return "、".join(shown) if lang == "ja" else ", ".join(shown)
            return _sample(str(value)) if value in samples else str(value)
        if name.startswith("tool_form."):
            tool = name.split(".", 1)[1]
            if tool not in FORMS:
                raise ValueError(f"{page.file.src_uri}: no tool form {tool!r} (declared: {', '.join(FORMS)})")
            return render_form(FORMS[tool], lang, lambda text: PLACEHOLDER.sub(replace, text))
        if name == "tool_form_end":
            return TOOL_FORM_END
        if name == "timeline":
            return _timeline(page, lang)
        if name == "checklist_form":
            return _checklist_form(page, lang)
        if name in ("step_meta", "step_items", "step_nav"):
            if step is None:
                raise ValueError(f"{page.file.src_uri}: {{{{ {name} }}}} used outside a step page")
            if name == "step_meta":
                return _step_meta(step, lang)
            if name == "step_items":
                return _step_items(page, step, lang)
            return _step_nav(page, step, lang)
        raise ValueError(f"{page.file.src_uri}: unknown placeholder {match.group(0)!r}")

    names = [m.group(1) for m in PLACEHOLDER.finditer(markdown)]
    opened = [n for n in names if n.startswith("tool_form.")]
    if len(opened) != names.count("tool_form_end"):
        raise ValueError(f"{page.file.src_uri}: every {{{{ tool_form.NAME }}}} needs one {{{{ tool_form_end }}}}")
    return PLACEHOLDER.sub(replace, markdown)


# --- sample values ------------------------------------------------------------------------------------------------
# on_page_markdown wraps an example value in two private-use characters; once the page is HTML, on_page_content
# knows the context (text, code block, attribute) and marks the value there. None may be left in a built page.

_SAMPLE_OPEN, _SAMPLE_CLOSE = "\ue000", "\ue001"
_SAMPLE_SPAN = re.compile(f"{_SAMPLE_OPEN}(.*?){_SAMPLE_CLOSE}", re.DOTALL)
# A code block with its highlight wrapper (the note goes before the wrapper, not inside it).
_CODE_BLOCK = re.compile(
    r'(?:<div class="(?:highlight|language-[\w-]+ highlight)">)?<pre\b.*?</pre>(?:</div>)?', re.DOTALL
)
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_URL_ATTR = re.compile(r'(\s(?:href|src|action)=")([^"]*)(")')
_TAGS_INSIDE = re.compile(r"<[^<>]*>")


def _sample(value: str) -> str:
    return f"{_SAMPLE_OPEN}{value}{_SAMPLE_CLOSE}"


def sample_badge(lang: str) -> str:
    """The visible mark beside an example value (site.css draws it)."""
    return f'<span class="nc-sample" data-nc-sample>{html.escape(SAMPLE_LABEL.get(lang))}</span>'


def mark_samples(content: str, lang: str) -> str:
    """Turn the sentinels of :func:`_sample` into visible marks, each suited to where the value ended up."""
    if _SAMPLE_OPEN not in content:
        return content
    word = SAMPLE_LABEL.get(lang)

    def code_block(match: re.Match[str]) -> str:
        block = match.group(0)
        values = [_TAGS_INSIDE.sub("", v) for v in _SAMPLE_SPAN.findall(block)]
        if not values:
            return block
        # Inside a block the reader copies, a badge would be copied with it: say it once above the block.
        listed = ("、" if lang == "ja" else ", ").join(f"<code>{v}</code>" for v in dict.fromkeys(values))
        note = f'<p class="nc-sample-note">{sample_badge(lang)} {listed}</p>\n'
        return note + block.replace(_SAMPLE_OPEN, "").replace(_SAMPLE_CLOSE, "")

    def tag(match: re.Match[str]) -> str:
        text = match.group(0)
        if _SAMPLE_OPEN not in text:
            return text
        # A URL keeps the bare value; any other attribute (a placeholder, a label) says what it is.
        text = _URL_ATTR.sub(lambda m: m.group(1) + _SAMPLE_SPAN.sub(r"\1", m.group(2)) + m.group(3), text)
        suffix = f"（{word}）" if lang == "ja" else f" ({word})"
        return _SAMPLE_SPAN.sub(lambda m: m.group(1) + suffix, text)

    content = _CODE_BLOCK.sub(code_block, content)
    content = _TAG.sub(tag, content)
    # In text (and inline code: the badge goes after the closing tag) the badge follows the value.
    return re.sub(
        f"{_SAMPLE_OPEN}(.*?){_SAMPLE_CLOSE}((?:</code>|</strong>|</em>)*)",
        lambda m: f"{m.group(1)}{m.group(2)} {sample_badge(lang)}",
        content,
        flags=re.DOTALL,
    )


def on_config(config: Any) -> Any:
    """With ``PROVIDER_STRICT=1``, a provider example value stops the build (the Makefile warns otherwise)."""
    strict = os.environ.get("PROVIDER_STRICT", "") not in ("", "0")
    code, message = check_provider(PROVIDER, strict=strict)
    if code != 0:
        from mkdocs.exceptions import PluginError

        raise PluginError(message)
    return config


# Compiled theme templates are kept between builds, as Python keeps .pyc files: static-i18n builds once per language
# and each build compiled ~40 Material templates from source (about a fifth of `mkdocs build`'s CPU time here).
# Jinja's own cache checks each template's source checksum and its Jinja/Python version; `make clean` removes it.
TEMPLATE_CACHE = Path(__file__).resolve().parent.parent / "build" / "jinja-cache"


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    """Give the theme's environment the on-disk bytecode cache (``NC_BUILD_SPEEDUPS=0``: none; read-only: none)."""
    if os.environ.get("NC_BUILD_SPEEDUPS", "1") == "0":
        return env
    try:
        TEMPLATE_CACHE.mkdir(parents=True, exist_ok=True)
    except OSError:
        return env
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(TEMPLATE_CACHE))
    return env


def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    """Mark every example provider value on the page as a sample (see :func:`mark_samples`)."""
    return mark_samples(html_text, _lang(page))


# --- after the build: redirects in every language, and a Japanese 404 page ------------------------------------------

REDIRECT_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{url}">
<meta http-equiv="refresh" content="0; url={url}">
</head>
<body>
<p><a href="{url}">{title}</a></p>
</body>
</html>
"""
REDIRECT_TITLE = {"ja": "移動しました", "en": "This page has moved"}

# static-i18n builds ja first and en last, and each build writes the root 404.html: keep the Japanese one.
_JA_404: dict[str, bytes] = {}


def _doc_url(doc: str) -> str:
    stem = doc.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _write_redirects(config: Any) -> None:
    """Write every redirect stub in every language, with no inline script.

    mkdocs-redirects alone writes only the root copy (with lang="en" and an inline script the CSP blocks);
    this hook runs after it and writes the last word.
    """
    plugin = config.plugins.get("redirects")
    if plugin is None:
        return
    site = Path(config.site_dir)
    if _lang_of_build(config) != "ja" and site.name == _lang_of_build(config):
        site = site.parent
    for old, new in plugin.config["redirect_maps"].items():
        new_doc, _, fragment = str(new).partition("#")
        for lang in ("ja", "en"):
            prefix = "" if lang == "ja" else f"{lang}/"
            old_url, new_url = "/" + prefix + _doc_url(old), "/" + prefix + _doc_url(new_doc)
            rel = posixpath.relpath(new_url, old_url)
            url = html.escape(("./" if rel == "." else rel + "/") + (f"#{fragment}" if fragment else ""))
            dest = site / old_url.lstrip("/") / "index.html"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(REDIRECT_PAGE.format(lang=lang, url=url, title=REDIRECT_TITLE[lang]), encoding="utf-8")


def _lang_of_build(config: Any) -> str:
    return str(config.theme.get("language") or "ja")


def _site_root(config: Any) -> Path:
    site = Path(config.site_dir)
    lang = _lang_of_build(config)
    return site.parent if lang != "ja" and site.name == lang else site


# py-start.js's tag: the template writes it only on the pages that start Python (checklist form, tool forms).
_PYTHON_PAGE = re.compile(r'<script\b[^>]*\sdata-nc-python="')
# Material's search worker in its config block: "search": "<base>assets/javascripts/workers/search.<hash>.min.js".
_MATERIAL_SEARCH = re.compile(r'("search": ")([^"]*/workers/)(search\.[0-9a-f]+\.min\.js)(")')


def hold_search_on_python_pages(output: str) -> str:
    """On a page that starts Python, point Material's search worker at ``nc-search.js#material=<its worker>``.

    nc-search.js runs Material's worker unchanged but holds the index build until Python has started (or the
    reader opens search): on two cores the build slowed Python's start. Other pages are left as they are. The
    fragment tells offline.js which file nc-search.js imports (so both are kept for offline use); nc-search.js
    itself has the name written in by :func:`stamp_search_worker`.
    """
    if not _PYTHON_PAGE.search(output):
        return output
    held, count = _MATERIAL_SEARCH.subn(r"\1\2nc-search.js#material=\3\4", output, count=1)
    if count != 1:
        raise ValueError("Material's search worker was not found in the page's config (theme changed?)")
    return held


_WORKERS = Path("assets") / "javascripts" / "workers"
_STAMP = re.compile(r'(const material = ")[^"]*(";)')


def stamp_search_worker(site: Path) -> str | None:
    """Write the name of Material's search worker into the built ``nc-search.js`` (which imports it); return it.

    A site without ``nc-search.js`` (a test's throw-away site) is left alone. With it, exactly one
    ``search.<hash>.min.js`` must be beside it; anything else fails the build.
    """
    folder = site / _WORKERS
    wrapper = folder / "nc-search.js"
    if not wrapper.is_file():
        return None
    found = sorted(
        p.name for p in folder.glob("search.*.min.js") if re.fullmatch(r"search\.[0-9a-f]+\.min\.js", p.name)
    )
    if len(found) != 1:
        raise ValueError(f"expected one Material search worker in {folder}, found {found}")
    text = wrapper.read_text(encoding="utf-8")
    stamped, count = _STAMP.subn(rf"\g<1>{found[0]}\g<2>", text, count=1)
    if count != 1:
        raise ValueError(f'{wrapper}: no `const material = "…";` to stamp')
    if stamped != text:
        wrapper.write_text(stamped, encoding="utf-8")
    return found[0]


_BODY = re.compile(r"<body\b[^>]*>")


_SEARCH_DIALOG = re.compile(r'<div class="md-search" data-md-component="search" role="dialog">')
_SEARCH_LABEL = re.compile(r'<input type="text" class="md-search__input"[^>]*?aria-label="([^"]*)"')


def name_search_dialog(output: str) -> str:
    """The theme's search dialog gets its search field's name (axe-core: aria-dialog-name), in the page itself."""
    label = _SEARCH_LABEL.search(output)
    if label is None:
        return output
    named = f'<div class="md-search" data-md-component="search" role="dialog" aria-label="{label.group(1)}">'
    return _SEARCH_DIALOG.sub(named, output, count=1)


def words_script(lang: str) -> str:
    """The words the page's JavaScript writes (checklist_app/words.py), as data: no text lives in JavaScript."""
    return f'<script type="application/json" id="nc-words">{page_words_json(lang)}</script>'


_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
# The search's own files beside Material's worker (its importScripts), kept for offline use with the page.
_LUNR_FILES = ("min/lunr.stemmer.support.min.js", "min/lunr.multi.min.js", "min/lunr.ja.min.js", "tinyseg.js")


def offline_keep_list(output: str) -> list[str]:
    """What offline.js asks the service worker to keep besides what the page loaded: the search worker (and, on a
    page whose search is held, Material's worker it imports), lunr's files and the search index, relative to the
    page, read from Material's config in the page. Worked out here once instead of by every visit's JavaScript."""
    found = _CONFIG.search(output)
    try:
        config = json.loads(found.group(1)) if found else {}
    except ValueError:
        config = {}
    urls: list[str] = []
    search, base = config.get("search"), config.get("base")
    if isinstance(search, str) and search:
        worker, _, fragment = search.partition("#")
        folder = posixpath.dirname(worker)
        urls.append(worker)
        urls += [f"{folder}/{name}" for name in parse_qs(fragment).get("material", [])]
        urls += [f"{folder}/../lunr/{name}" for name in _LUNR_FILES]
    if isinstance(base, str) and base:
        urls.append(f"{base}/search/search_index.json")
    return urls


def keep_script(output: str) -> str:
    """The keep list as data (``<script type="application/json" id="nc-keep">``), first in the body."""
    data = json.dumps(offline_keep_list(output)).replace("</", "<\\/")
    return f'<script type="application/json" id="nc-keep">{data}</script>'


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Pages that start Python hold the search index build until Python is ready (see nc-search.js); every page
    carries the glue's words, first in its body (the checklist's early view runs in the middle of the body)."""
    if _SAMPLE_OPEN in output or _SAMPLE_CLOSE in output:  # e.g. a sample value in a heading (the TOC, the title)
        raise ValueError(f"{page.file.src_uri}: an example provider value is shown where it cannot be marked")
    output = name_search_dialog(hold_search_on_python_pages(output))
    head = words_script(_lang(page)) + keep_script(output)
    return _BODY.sub(lambda match: match.group(0) + head, output, count=1)


def on_post_build(config: Any, **kwargs: Any) -> None:
    """Redirect stubs for both languages; the root 404 page stays Japanese whatever language was built last;
    each page links one bundled stylesheet (scripts/css_bundle.py); nc-search.js names Material's search worker; the
    service worker carries a hash of the built site (scripts/sw_stamp.py; the last language's build wins)."""
    _write_redirects(config)
    root_404 = Path(config.site_dir) / "404.html"
    lang = _lang_of_build(config)
    if lang == "ja" and root_404.exists():
        _JA_404[str(root_404)] = root_404.read_bytes()
    elif lang != "ja":
        for path, body in _JA_404.items():
            Path(path).write_bytes(body)
    bundle_site(_site_root(config))
    stamp_search_worker(_site_root(config))
    stamp_service_worker(_site_root(config))
