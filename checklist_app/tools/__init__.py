"""The browser tools' one entry point: plain form values in, the page protocol's response out.

``checklist_app.browser`` routes ``{"op": "tool", "tool": NAME, "params": {...}, "lang": ...}`` here. The params are
what a form holds (strings, lists of strings from ``data-nc-list`` inputs, booleans), plus ``today`` (``YYYY-MM-DD``),
which the page passes because this package never reads a clock. The answer is plain data::

    {"ok": True, "outputs": {KEY: text}, "warnings": [text],
     "downloads": [{"key", "filename", "mime", "text" or "base64"}]}
    {"ok": False, "errors": [{"field": NAME, "message": text}]}

Every output is text that the page puts into ``[data-nc-output=KEY]`` with ``textContent``: no markup is ever built
here, so nothing a visitor types can become HTML. Output keys use only ``[a-z0-9_]`` so any selector finds them.

Tools: ``hosts``, ``mail``, ``schedule`` (the generators of :mod:`checklist_app.hosts`, :mod:`checklist_app.mail` and
:mod:`checklist_app.schedule`) and ``stafflink`` (a link to one of those pages with the values in the URL fragment,
which browsers never send to the server).
"""

from __future__ import annotations

import base64
import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Final, get_args
from urllib.parse import quote, urlsplit

from ..errors import ChecklistError
from ..hosts import OS_GUIDES, build_hosts_block, normalize_domain, normalize_host, parse_ip
from ..mail import FIELD_LABELS, FieldId, MailSettings, apple_mobileconfig, mail_settings, parse_address
from ..provider import SAMPLE_LABEL
from ..text import Text
from .forms import FORMS, ToolForm

if TYPE_CHECKING:
    from ..schedule import Schedule

__all__ = [
    "FORM_FIELD",
    "LINK_FIELDS",
    "MAIL_FIELD_IDS",
    "TOOLS",
    "Download",
    "ToolResult",
    "run_tool",
]

# Errors that belong to no single input go to the form's own slot (data-nc-error-for="_form").
FORM_FIELD: Final = "_form"

# The mail table's rows, in order: the field ids mail.py defines (one list, not a copy).
MAIL_FIELD_IDS: tuple[str, ...] = get_args(FieldId)
# The only fields the old account changes (mail.OldAccount): everything else stays as it is.
_OLD_CHANGED = frozenset({"account_name", "incoming_server", "outgoing_server"})

# The fields each tool page reads from its URL fragment, in link order (the staff form's order); lists may repeat.
# All of them come from the forms' declaration (tools/forms.py), so a renamed field cannot drift from its page.
_LINKED: tuple[str, ...] = tuple(o.value for o in FORMS["stafflink"].field("tool").options)
LINK_FIELDS: dict[str, tuple[str, ...]] = {
    tool: tuple(n for n in FORMS["stafflink"].names if n in FORMS[tool].names) for tool in _LINKED
}
_LIST_FIELDS = frozenset(f.name for form in FORMS.values() for f in form.fields if f.kind == "list")
# Choices a staff link may leave to the customer: the page's own default then applies; validation uses the same.
_FORM_DEFAULTS: dict[str, dict[str, str]] = {
    tool: {f.name: f.default_in("ja") for f in FORMS[tool].fields if f.kind in ("radio", "select") and f.default}
    for tool in _LINKED
}
_BLANK = " \u3000\t\r\n"
_JST = _dt.timezone(_dt.timedelta(hours=9), "JST")

# --------------------------------------------------------------------------------------------------------------------
# Words (data, not logic)

_MSG: dict[str, Text] = {
    "unknown_tool": Text(
        "「{name}」というツールはありません（使えるもの: {names}）。", "There is no tool {name!r} ({names})."
    ),
    "params": Text(
        "入力値を受け取れませんでした。ページを再読み込みしてください。",
        "The form values could not be read: reload the page.",
    ),
    "today": Text(
        "今日の日付を取得できませんでした。ページを再読み込みしてください。",
        "Today's date could not be read: reload the page.",
    ),
    "text": Text("{what}を文字列で指定してください。", "Give {what} as text."),
    "list": Text("{what}を文字列の一覧で指定してください。", "Give {what} as a list of text."),
    "choice": Text("{what}は次から選んでください: {options}", "Choose {what} from: {options}"),
    "required": Text("{what}を入力してください。", "Enter {what}."),
    "internal": Text(
        "予期しないエラーが起きました（{kind}）。入力を確かめてもう一度お試しください。",
        "Something unexpected went wrong ({kind}). Check the values and try again.",
    ),
    "base_url": Text(
        "サイトの URL は http:// または https:// で始まる、? や # を含まないアドレスで入力してください"
        "（例: https://guide.example.jp/）。",
        "The site URL must start with http:// or https:// and contain no ? or # (e.g. https://guide.example.jp/).",
    ),
    "unchanged": Text("（変更しない）", "(leave as it is)"),
    "none": Text("—", "—"),
    "planned_requested": Text("{day}（ご希望日）", "{day} (the date you asked for)"),
    "planned_earliest": Text("{day}（最短）", "{day} (earliest)"),
    "range": Text("{a} ～ {b}", "{a} – {b}"),
    "done_on": Text("{day}（完了）", "{day} (done)"),
    "double_check": Text("{start} から 1～2 週間（{a} ～ {b}）", "1–2 weeks from {start} ({a} to {b})"),
    "other_addresses": Text(
        "ほかのアドレス（{addresses}）も同じ値です。アカウント名・メールアドレス・ユーザー名だけを、"
        "それぞれのアドレスにしてください（下の「すべてのアドレスの設定値」に一覧があります）。",
        "The other addresses ({addresses}) use the same values: only the account name, e-mail address and user "
        "names change to each address (all of them are listed under “Values for every address” below).",
    ),
    "old_heading": Text("【旧】アカウント（変更する項目だけ）", "【旧】 old account (only the fields to change)"),
    "new_heading": Text("【新】アカウント", "【新】 new account"),
    "step": Text("ステップ {n}", "Step {n}"),
}
_WEEKDAYS: tuple[Text, ...] = (
    Text("月", "Mon"),
    Text("火", "Tue"),
    Text("水", "Wed"),
    Text("木", "Thu"),
    Text("金", "Fri"),
    Text("土", "Sat"),
    Text("日", "Sun"),
)
_OS_IDS: tuple[str, ...] = tuple(g.id for g in OS_GUIDES)
_TOOL_PAGES: tuple[str, ...] = _LINKED


# --------------------------------------------------------------------------------------------------------------------
# Result types


@dataclass(frozen=True, slots=True)
class Download:
    """A file the page offers through ``<a data-nc-download=KEY>``: text, or bytes sent as base64."""

    key: str
    filename: str
    mime: str
    content: str | bytes

    def to_dict(self) -> dict[str, str]:
        """The protocol's download object."""
        out = {"key": self.key, "filename": self.filename, "mime": self.mime}
        if isinstance(self.content, bytes):
            out["base64"] = base64.b64encode(self.content).decode("ascii")
        else:
            out["text"] = self.content
        return out


@dataclass(frozen=True, slots=True)
class ToolResult:
    """A successful run: outputs by key, warnings, downloads (all texts already in the page's language)."""

    outputs: dict[str, str]
    warnings: tuple[str, ...] = ()
    downloads: tuple[Download, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The protocol's ``ok: true`` response."""
        return {
            "ok": True,
            "outputs": dict(self.outputs),
            "warnings": list(self.warnings),
            "downloads": [d.to_dict() for d in self.downloads],
        }


# --------------------------------------------------------------------------------------------------------------------
# Reading form values


class _Params:
    """Typed access to the raw params of one tool's form; every problem is a ChecklistError naming the field.

    Only the fields the form declares can be read (``KeyError`` otherwise: a reader that drifted from its page),
    and errors name a field with its declared ``what``.
    """

    __slots__ = ("_form", "_lang", "_raw")

    def __init__(self, raw: Mapping[str, object], lang: str, form: ToolForm) -> None:
        self._raw = raw
        self._lang = lang
        self._form = form

    def _get(self, field: str) -> object:
        self._form.field(field)  # declared, or KeyError
        return self._raw.get(field)

    def _error(self, key: str, field: str, **values: str) -> ChecklistError:
        what = self._form.field(field).what
        msg = _MSG[key]
        return ChecklistError(
            field,
            msg.ja.format(what=what.ja, **values),
            msg.en.format(what=what.en, **values),
        )

    def text(self, field: str) -> str | None:
        """A single value; an empty or blank input is ``None`` (not given)."""
        value = self._get(field)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._error("text", field)
        return value if value.strip(_BLANK) else None

    def required(self, field: str) -> str:
        """A single value that must be given."""
        value = self.text(field)
        if value is None:
            raise self._error("required", field)
        return value

    def items(self, field: str) -> list[str]:
        """A list (textarea lines or repeated inputs); blank lines are dropped, everything else is kept as typed."""
        value = self._get(field)
        if value is None:
            return []
        if isinstance(value, str):
            # A textarea sent as one string: one value per line (browsers normalise line ends to "\n").
            value = [line.removesuffix("\r") for line in value.split("\n")]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise self._error("list", field)
        return [v for v in value if v.strip(_BLANK)]

    def choice(self, field: str, options: tuple[str, ...], default: str) -> str:
        """One of ``options``; not given → ``default``."""
        value = self.text(field)
        if value is None:
            return default
        key = value.strip().lower()
        if key not in options:
            raise self._error("choice", field, options=" / ".join(options))
        return key

    def need(self, field: str, values: list[str]) -> None:
        """Fail when a required list is empty."""
        if not values:
            raise self._error("required", field)

    def today(self) -> _dt.date:
        """The page's ``today`` (the package has no clock)."""
        value = self._raw.get("today")
        if isinstance(value, str) and len(value) == 10:
            try:
                return _dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ChecklistError(FORM_FIELD, _MSG["today"].ja, _MSG["today"].en)


def _collect(checks: list[Callable[[], object]]) -> None:
    """Run independent validations and raise their errors together (the first per field), so the reader sees every
    bad field at once instead of one per submit."""
    errors: dict[str, ChecklistError] = {}
    for check in checks:
        try:
            check()
        except ChecklistError as exc:
            errors.setdefault(exc.field, exc)
    if errors:
        raise _Errors(tuple(errors.values()))


class _Errors(Exception):
    """Several field errors found together (internal: run_tool turns them into the protocol's error list)."""

    def __init__(self, errors: tuple[ChecklistError, ...]) -> None:
        super().__init__(errors)
        self.errors = errors


# --------------------------------------------------------------------------------------------------------------------
# Formatting


def _day(day: _dt.date, lang: str) -> str:
    wd = _WEEKDAYS[day.weekday()].get(lang)
    return f"{day.isoformat()}（{wd}）" if lang != "en" else f"{day.isoformat()} ({wd})"


def _range(a: _dt.date, b: _dt.date, lang: str) -> str:
    if a == b:
        return _day(a, lang)
    return _MSG["range"].get(lang).format(a=_day(a, lang), b=_day(b, lang))


def _numbered(lines: tuple[Text, ...], lang: str) -> str:
    return "\n".join(f"{i}. {t.get(lang)}" for i, t in enumerate(lines, 1))


# --------------------------------------------------------------------------------------------------------------------
# hosts


def _hosts(p: _Params, lang: str) -> ToolResult:
    """The hosts block for the new server, the chosen OS's steps and cache-flush command; a file to download."""
    domain = p.text("domain") or ""
    ips = p.items("ip")
    extra = p.items("names")
    _collect(
        [
            lambda: normalize_domain(domain, field="domain"),
            lambda: p.need("ip", ips),
            *(partial(parse_ip, a, field="ip") for a in ips),
            lambda: p.choice("os", _OS_IDS, "windows"),
            p.today,
        ]
    )
    os_id = p.choice("os", _OS_IDS, "windows")
    # The bare domain and www always; the form's names field adds labels such as "mail".
    block = build_hosts_block(domain, ips, ["@", "www", *extra], date=p.today())
    guide = next(g for g in OS_GUIDES if g.id == os_id)
    bullet = "• " if lang == "en" else "・"
    outputs = {
        "block": block.render(),
        "domain_ascii": block.domain,
        "domain_unicode": block.domain_unicode,
        "names": "\n".join(block.names),
        "os_name": guide.name.get(lang),
        "path": guide.path,
        "steps": _numbered(guide.steps, lang),
        "flush": "\n".join(guide.flush_commands),
        "flush_note": guide.flush_note.get(lang),
        "removal": guide.removal.get(lang),
        "notes": "\n".join(bullet + n.get(lang) for n in block.notes),
    }
    download = Download(
        key="hosts_file",
        filename=f"hosts-{block.domain}.txt",
        mime="text/plain",
        content=block.render(windows=guide.windows_line_endings),
    )
    return ToolResult(outputs, tuple(w.get(lang) for w in block.warnings), (download,))


# --------------------------------------------------------------------------------------------------------------------
# mail


def _mail(p: _Params, lang: str) -> ToolResult:
    """Old and new account values side by side for the first address, every address as text, the Apple profile.

    Thunderbird's config-v1.1.xml is not offered here: Thunderbird cannot import such a file (the provider's
    administrators publish it on the autoconfig host; the staff CLI writes it, ``mail --format autoconfig``).
    A sample server name fills ``sample_old`` / ``sample_new`` (the page's badges beside the servers) and heads
    ``all_text``; its warning comes first.
    """
    addresses = p.items("addresses")
    old_server = p.text("old_server")
    new_server = p.text("new_server")
    checks: list[Callable[[], object]] = [lambda: p.need("addresses", addresses)]
    checks.extend(partial(parse_address, a) for a in addresses)
    if old_server is not None:
        checks.append(lambda: normalize_host(old_server, field="old_server"))
    if new_server is not None:
        checks.append(lambda: normalize_host(new_server, field="new_server"))
    _collect(checks)
    settings = mail_settings(
        addresses,
        p.text("protocol") or _FORM_DEFAULTS["mail"]["protocol"],
        p.text("client") or _FORM_DEFAULTS["mail"]["client"],
        old_server=old_server,
        new_server=new_server,
        smtp_security=p.text("smtp_security") or _FORM_DEFAULTS["mail"]["smtp_security"],
    )
    outputs = _mail_table(settings, lang)
    domain = settings.domains[0]
    downloads = (
        Download(
            "mobileconfig",
            f"{domain}.mobileconfig",
            "application/x-apple-aspen-config",
            apple_mobileconfig(settings, lang=lang),
        ),
    )
    return ToolResult(outputs, tuple(w.get(lang) for w in settings.warnings), downloads)


def _mail_table(settings: MailSettings, lang: str) -> dict[str, str]:
    """One output per cell: ``label_<field>`` (the client's own name), ``old_<field>`` and ``new_<field>``."""
    first = settings.accounts[0]
    labels: dict[str, Text] = {str(k): v for k, v in FIELD_LABELS[settings.client].items()}
    old = {f.id: f.value.get(lang) for f in first.old.fields}
    new = {f.id: f.value.get(lang) for f in first.new.fields}
    none = _MSG["none"].get(lang)
    outputs: dict[str, str] = {
        "client_name": settings.client_name.get(lang),
        "address": first.address_display,
        "old_note": first.old.note.get(lang),
    }
    for fid in MAIL_FIELD_IDS:
        label = labels.get(fid)
        outputs[f"label_{fid}"] = label.get(lang) if label is not None else none
        outputs[f"new_{fid}"] = new.get(fid, none)
        if fid in _OLD_CHANGED:
            outputs[f"old_{fid}"] = old.get(fid, none)
        else:
            outputs[f"old_{fid}"] = _MSG["unchanged"].get(lang) if label is not None else none
    samples = set(settings.samples)
    word = SAMPLE_LABEL.get(lang)
    outputs["sample_old"] = word if first.old.host in samples else ""
    outputs["sample_new"] = word if first.new.incoming.host in samples else ""
    others = [a.address_display for a in settings.accounts[1:]]
    outputs["other_addresses"] = _MSG["other_addresses"].get(lang).format(addresses=", ".join(others)) if others else ""
    outputs["all_text"] = _mail_text(settings, lang)
    return outputs


def _mail_text(settings: MailSettings, lang: str) -> str:
    """Every address's values as "label: value" lines, to copy into a note or an e-mail."""
    lines: list[str] = []
    if settings.samples:  # the text is copied into notes and e-mails: the sample mark goes with it
        lines.append(settings.warnings[0].get(lang))
    for account in settings.accounts:
        if lines:
            lines.append("")
        lines.append(f"■ {account.address_display}")
        for heading, fields in (("old_heading", account.old.fields), ("new_heading", account.new.fields)):
            lines.append(_MSG[heading].get(lang))
            lines.extend(f"  {f.label.get(lang)}: {f.value.get(lang)}" for f in fields)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------------
# schedule


def _schedule(p: _Params, lang: str) -> ToolResult:
    """Every stage's dates, the switch, cancellation, double-check and removal days; the plan as ``.ics``."""
    # Imported here: only the schedule and staff-link pages load its wheels (jpholiday, icalendar and theirs; each
    # tool form names what it needs in data-nc-packages, tests/test_tool_packages.py checks it).
    from ..schedule import plan_schedule, to_ics

    applied = p.required("applied")
    domain = p.text("domain")
    if domain is not None:
        _collect([lambda: normalize_domain(domain, field="domain")])
    today = p.today()
    plan = plan_schedule(
        applied,
        transfer_done=p.text("transfer_done"),
        account_info_received=p.text("account_info_received"),
        customer_setup_done=p.text("customer_setup_done"),
        switch_date=p.text("switch_date"),
    )
    outputs = _schedule_outputs(plan, lang)
    ics = to_ics(plan, lang=lang, domain=domain, dtstamp=_dt.datetime.combine(today, _dt.time(), _JST))
    download = Download("ics", "schedule.ics", "text/calendar", ics.decode("utf-8"))
    return ToolResult(outputs, tuple(w.get(lang) for w in plan.warnings), (download,))


_SWITCH_STEP = 6


def _schedule_outputs(plan: Schedule, lang: str) -> dict[str, str]:
    outputs: dict[str, str] = {}
    for stage in plan.stages:
        n = stage.step
        outputs[f"step{n}_title"] = stage.title.get(lang)
        outputs[f"step{n}_start"] = _range(stage.earliest_start, stage.latest_start, lang)
        if stage.known and n == _SWITCH_STEP:
            # Step 6 is "known" when a switch date was requested: planned, not done.
            outputs[f"step{n}_end"] = _MSG["planned_requested"].get(lang).format(day=_day(stage.earliest_end, lang))
        elif stage.known:
            outputs[f"step{n}_end"] = _MSG["done_on"].get(lang).format(day=_day(stage.earliest_end, lang))
        else:
            outputs[f"step{n}_end"] = _range(stage.earliest_end, stage.latest_end, lang)
    planned = "planned_requested" if plan.switch_requested else "planned_earliest"
    outputs.update(
        {
            "switch": _MSG[planned].get(lang).format(day=_day(plan.switch, lang)),
            "earliest_switch": _day(plan.earliest_switch, lang),
            "latest_switch": _day(plan.latest_switch, lang),
            "switch_request_by": _day(plan.switch_request_by, lang),
            "cancellation": _day(plan.cancellation, lang),
            "double_check": _MSG["double_check"]
            .get(lang)
            .format(
                start=_day(plan.double_check_start, lang),
                a=_day(plan.double_check_end_earliest, lang),
                b=_day(plan.double_check_end_latest, lang),
            ),
            "removal": _day(plan.old_account_removal, lang),
            "removal_note": plan.removal_note.get(lang),
        }
    )
    return outputs


# --------------------------------------------------------------------------------------------------------------------
# stafflink


def _stafflink(p: _Params, lang: str) -> ToolResult:
    """A link that opens one tool page with the customer's values in the fragment (never sent to the server).

    The values are checked by running the tool itself, so a link that would show the customer an error is refused,
    with the error beside the same field. Without ``base_url`` the link is relative to the staff page itself.
    """
    tool = p.required("tool").strip().lower()
    if tool not in _TOOL_PAGES:
        raise p._error("choice", "tool", options=" / ".join(_TOOL_PAGES))
    link_lang = p.choice("link_lang", ("ja", "en"), "en" if lang == "en" else "ja")
    base = _base_url(p.text("base_url"))

    given: dict[str, str | list[str]] = {}
    for field in LINK_FIELDS[tool]:
        if field in _LIST_FIELDS:
            if values := p.items(field):
                given[field] = values
        elif (value := p.text(field)) is not None:
            given[field] = value
    # Run the tool itself: its errors name the same fields as the staff form's inputs.
    check: dict[str, object] = {**_FORM_DEFAULTS[tool], **given, "today": p.today().isoformat()}
    result = TOOLS[tool](_Params(check, lang, FORMS[tool]), lang)

    pairs: list[tuple[str, str]] = []
    for field, given_value in given.items():
        for v in [given_value] if isinstance(given_value, str) else given_value:
            pairs.append((field, _canonical(field, v)))
    fragment = "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)
    page = f"tools/{tool}/"
    if base is not None:
        url = base + ("en/" if link_lang == "en" else "") + page
    elif link_lang == lang or (lang != "en" and link_lang == "ja"):
        url = f"../{tool}/"  # the staff page is tools/staff-link/ (or en/tools/staff-link/): a sibling
    elif link_lang == "en":
        url = f"../../en/{page}"
    else:
        url = f"../../../{page}"
    # The tool's warnings (e.g. a documentation address) are what the customer will see: staff should too.
    return ToolResult({"url": f"{url}#{fragment}", "fragment": f"#{fragment}"}, result.warnings)


def _canonical(field: str, value: str) -> str:
    """What the link carries: the readable normalised form where there is one, else the value trimmed."""
    if field == "domain":
        return normalize_domain(value, field=field)[1]
    if field == "ip":
        return str(parse_ip(value, field=field))
    if field == "addresses":
        return parse_address(value)[1]
    return value.strip(" \u3000")


def _base_url(value: str | None) -> str | None:
    if value is None:
        return None
    s = value.strip(" \u3000")
    parts = urlsplit(s)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or "?" in s
        or "#" in s
        or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in s)
    ):
        raise ChecklistError("base_url", _MSG["base_url"].ja, _MSG["base_url"].en)
    return s if s.endswith("/") else s + "/"


# --------------------------------------------------------------------------------------------------------------------
# Entry point

TOOLS: dict[str, Callable[[_Params, str], ToolResult]] = {
    "hosts": _hosts,
    "mail": _mail,
    "schedule": _schedule,
    "stafflink": _stafflink,
}


def _error_list(errors: tuple[ChecklistError, ...], lang: str) -> dict[str, Any]:
    return {"ok": False, "errors": [{"field": e.field, "message": e.message(lang)} for e in errors]}


def run_tool(name: object, params: object, lang: object = "ja") -> dict[str, Any]:
    """Run tool ``name`` on form ``params`` and return the page protocol's response (see the module docstring).

    ``lang`` is ``"ja"`` or ``"en"`` (anything else gives Japanese). Never raises: bad input, an unknown tool or
    malformed params give ``{"ok": False, "errors": [{"field", "message"}]}`` with the message in ``lang``.
    """
    language = "en" if lang == "en" else "ja"
    try:
        if name == "dnscheck" and isinstance(params, Mapping):  # two rounds with the page's fetch: see .dnscheck
            from .dnscheck import run_dnscheck  # lazily: only the DNS page loads dnspython (data-nc-packages)

            return run_dnscheck(params, language)
        if not isinstance(name, str) or name not in TOOLS:
            msg = _MSG["unknown_tool"]
            names = ", ".join(TOOLS)
            raise ChecklistError(
                FORM_FIELD, msg.ja.format(name=name, names=names), msg.en.format(name=name, names=names)
            )
        if not isinstance(params, Mapping) or not all(isinstance(k, str) for k in params):
            raise ChecklistError(FORM_FIELD, _MSG["params"].ja, _MSG["params"].en)
        return TOOLS[name](_Params(params, language, FORMS[name]), language).to_dict()
    except ChecklistError as exc:
        return _error_list((exc,), language)
    except _Errors as exc:
        return _error_list(exc.errors, language)
    except Exception as exc:  # the page boundary: a bug must still reach the reader as a message, not a traceback
        msg = _MSG["internal"]
        kind = type(exc).__name__
        return _error_list((ChecklistError(FORM_FIELD, msg.ja.format(kind=kind), msg.en.format(kind=kind)),), language)
