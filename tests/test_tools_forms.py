"""checklist_app.tools.forms: one declaration per tool form, and the readers read exactly what it declares."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from checklist_app import tools
from checklist_app.hosts import OS_GUIDES
from checklist_app.mail import CLIENTS
from checklist_app.text import LANGUAGES
from checklist_app.tools import LINK_FIELDS, run_tool
from checklist_app.tools.forms import FORMS, Field

TODAY = "2026-12-01"
# A full, valid form per tool (every declared field given).
FULL: dict[str, dict[str, object]] = {
    "hosts": {"domain": "example.co.jp", "ip": ["192.0.2.10"], "names": ["shop"], "os": "macos"},
    "mail": {
        "addresses": ["taro@example.co.jp"],
        "protocol": "imap",
        "client": "thunderbird",
        "old_server": "mail.oldhost.example",
        "new_server": "mail.example.net",
        "smtp_security": "ssl",
    },
    "schedule": {
        "applied": "2026-12-21",
        "transfer_done": "2026-12-28",
        "account_info_received": "2027-01-05",
        "customer_setup_done": "2027-01-08",
        "switch_date": "2027-01-20",
        "domain": "example.co.jp",
    },
    "dnscheck": {
        "domain": "customer.test",
        "resolvers": ["Old http://127.0.0.7/dns-query"],
        "expect_a": ["192.0.2.10"],
        "expect_mx": ["mail.example.net"],
        "expect_aaaa": ["2001:db8::10"],
        "expect_ns": ["ns1.example.net"],
        "consent": True,
    },
}
# Params of the page protocol that are no form field.
PROTOCOL = {"today", "responses", "state"}


class Recording(Mapping[str, object]):
    """Params that remember which keys the reader asked for."""

    def __init__(self, data: Mapping[str, object]) -> None:
        self._data = dict(data)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> object:
        self.read.add(key)
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _read_by(tool: str, params: Mapping[str, object]) -> set[str]:
    recording = Recording({**params, "today": TODAY})
    answer = run_tool(tool, recording, "ja")
    assert answer["ok"] is True, answer
    return recording.read - PROTOCOL


@pytest.mark.parametrize("tool", sorted(FULL))
def test_the_reader_reads_exactly_the_declared_fields(tool: str) -> None:
    """Every field the Python reader asks for is declared, and every declared field is read."""
    assert _read_by(tool, FULL[tool]) == set(FORMS[tool].names)


def test_the_staff_link_reads_exactly_its_declared_fields() -> None:
    """Over the three target tools, the staff form's reader reads every field the staff form declares, no other."""
    read: set[str] = set()
    for target in LINK_FIELDS:
        read |= _read_by("stafflink", {"tool": target, "link_lang": "en", **FULL[target]})
    assert read == set(FORMS["stafflink"].names)


def test_a_link_carries_every_field_of_its_tool() -> None:
    """The staff form offers every field of each page it links to (and the link keeps the staff form's order)."""
    for target, fields in LINK_FIELDS.items():
        assert set(fields) == set(FORMS[target].names)
        staff = FORMS["stafflink"].names
        assert list(fields) == sorted(fields, key=staff.index)


def _without(tool: str, field: Field) -> dict[str, object]:
    params = {k: v for k, v in FULL[tool].items() if k != field.name}
    return {**params, "today": TODAY}


@pytest.mark.parametrize(
    ("tool", "field"),
    [(tool, f) for tool in FULL for f in FORMS[tool].fields if f.kind != "checkbox"],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_required_means_an_error_on_that_field(tool: str, field: Field) -> None:
    """Leaving a declared-required field out gives an error on it; leaving an optional one out gives none there."""
    answer = run_tool(tool, _without(tool, field), "en")
    fields = {e["field"] for e in answer.get("errors", [])}
    assert (field.name in fields) == field.required, answer


def test_without_consent_the_dns_check_sends_nothing() -> None:
    """The required consent box: without it the answer builds no request."""
    answer = run_tool("dnscheck", _without("dnscheck", FORMS["dnscheck"].field("consent")), "en")
    assert answer["ok"] is True and "fetch" not in answer


@pytest.mark.parametrize("tool", sorted(FORMS))
def test_every_field_has_its_words_in_both_languages(tool: str) -> None:
    """Label and the error's name of a field in Japanese and English; options too; names and ids unique."""
    form = FORMS[tool]
    for field in form.fields:
        texts = [field.label, field.what, *(o.label for o in field.options)]
        texts += [t for t in (field.hint, field.placeholder) if t is not None]
        for text in texts:
            assert all(text.get(lang).strip() for lang in LANGUAGES), (tool, field.name)
        assert field.id or field.kind in ("radio", "checkbox"), field.name
    ids = [f.id for f in form.fields if f.id]
    assert len(set(form.names)) == len(form.names) and len(set(ids)) == len(ids)
    assert form.submit.ja and form.submit.en and form.noscript.ja and form.noscript.en


def test_choices_are_those_the_generators_accept() -> None:
    """The OS and mail-client options are the ids hosts.py and mail.py define; defaults are among the options."""
    assert [o.value for o in FORMS["hosts"].field("os").options] == [g.id for g in OS_GUIDES]
    assert [o.value for o in FORMS["mail"].field("client").options] == list(CLIENTS)
    for form in FORMS.values():
        for field in form.fields:
            if field.kind in ("radio", "select"):
                values = [o.value for o in field.options]
                assert all(field.default_in(lang) in values for lang in LANGUAGES), field.name


def test_the_dns_page_offers_the_default_resolvers() -> None:
    """The resolvers textarea starts with tools.dnscheck.DEFAULT_RESOLVERS, one "name URL" per line."""
    from checklist_app.tools.dnscheck import DEFAULT_RESOLVERS

    shown = FORMS["dnscheck"].field("resolvers").default_in("ja").split("\n")
    assert shown == [f"{r.name} {r.url}" for r in DEFAULT_RESOLVERS]


def test_an_undeclared_field_cannot_be_read() -> None:
    """A reader asking for a name its form does not declare fails (the drift guard), however the params look."""
    params = tools._Params({"ips": ["192.0.2.1"]}, "ja", FORMS["hosts"])
    with pytest.raises(KeyError, match="ips"):
        params.items("ips")
    with pytest.raises(KeyError, match="ips"):
        params.text("ips")


def test_the_name_servers_field_is_required_exactly_while_the_provider_values_are_samples() -> None:
    """The DNS page's NS field is required iff the check has no provider name servers to fall back on (the same rule
    as checklist_app.dnscheck.evaluate.provider_nameservers): never a sample as the expectation, real ones as today."""
    from checklist_app.dnscheck.evaluate import provider_nameservers
    from checklist_app.tools.forms import _nameservers_field

    assert FORMS["dnscheck"].field("expect_ns").required == (provider_nameservers() == ())
    required, optional = _nameservers_field(samples=True), _nameservers_field(samples=False)
    assert required.required and "必須" in required.label.ja and "required" in required.label.en
    assert not optional.required and "任意" in optional.label.ja and "optional" in optional.label.en
    # Empty means the provider's own only once they are real; the placeholder is an example of the form either way.
    assert optional.hint is not None and "{{ provider.nameservers }}" in optional.hint.en
    assert required.hint is not None and "{{ provider.nameservers }}" not in required.hint.en
    for field in (required, optional):
        assert field.placeholder is not None and field.placeholder.ja.startswith("例: ")
        assert field.placeholder.en.startswith("e.g. ") and field.name == "expect_ns"
