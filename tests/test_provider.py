"""checklist_app.provider: the values come from provider.toml; bad keys are named; examples are recognised."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from checklist_app.provider import (
    ILLUSTRATION_KEYS,
    PROVIDER,
    ProviderFileError,
    is_example_value,
    load_provider,
    parse_provider,
)

PACKAGED = resources.files("checklist_app").joinpath("provider.toml").read_text(encoding="utf-8")

# Production-looking values (not real hosts: never resolved) and reserved examples, for every company key that can
# hold an example: the tests build both files from the packaged one, whatever it holds today.
REAL_VALUES: dict[str, str] = {
    "support_email": '"support@net-com.co.jp"',
    "support_phone": '"03-5555-0100"',
    "support_fax": '"03-5555-0101"',
    "nameservers": '["ns1.net-com.co.jp", "ns2.net-com.co.jp"]',
    "mail_host_example": '"mail01.net-com.co.jp"',
    "web_host_example": '"web01.net-com.co.jp"',
    "web_ipv4_example": '"100.64.10.10"',
    "web_ipv6_example": '"2400:4050::10"',
    "mail_ipv4_example": '"100.64.10.25"',
}
EXAMPLE_VALUES: dict[str, str] = {
    "support_email": '"support@net-com.example"',
    "support_phone": '"03-0000-0000"',
    "support_fax": '"03-0000-0001"',
    "nameservers": '["ns1.net-com.example", "ns2.net-com.example"]',
    "mail_host_example": '"mail01.net-com.example"',
    "web_host_example": '"web01.net-com.example"',
    "web_ipv4_example": '"203.0.113.10"',
    "web_ipv6_example": '"2001:db8::10"',
    "mail_ipv4_example": '"203.0.113.25"',
}


def with_values(values: dict[str, str], text: str = PACKAGED) -> str:
    """``text`` with each ``key = …`` line of ``values`` replaced."""
    for key, value in values.items():
        text, count = re.subn(rf"(?m)^{re.escape(key)} = .*$", f"{key} = {value}", text)
        assert count == 1, f"{key} is not defined once in provider.toml"
    return text


def real_toml() -> str:
    """The packaged provider.toml with every company value that can be an example set to a non-example value."""
    return with_values(REAL_VALUES)


def example_toml() -> str:
    """The packaged provider.toml with those values set to reserved examples."""
    return with_values(EXAMPLE_VALUES)


def without_line(key: str) -> str:
    """The packaged file with the line defining ``key`` removed."""
    lines = [line for line in PACKAGED.splitlines() if not re.match(rf"{re.escape(key)}\s*=", line)]
    assert len(lines) == len(PACKAGED.splitlines()) - 1, key
    return "\n".join(lines) + "\n"


def test_the_package_reads_the_packaged_file() -> None:
    """PROVIDER is exactly what checklist_app/provider.toml says (the file shipped in the wheel)."""
    assert parse_provider(PACKAGED) == PROVIDER
    assert PROVIDER.support_email in PACKAGED
    assert f'mail_host_example = "{PROVIDER.mail_host_example}"' in PACKAGED


def test_load_provider_reads_a_given_file(tmp_path: Path) -> None:
    """load_provider(path) reads another file: a changed value comes through."""
    path = tmp_path / "provider.toml"
    path.write_text(real_toml(), encoding="utf-8")
    provider = load_provider(path)
    assert provider.support_email == "support@net-com.co.jp"
    assert provider.nameservers == ("ns1.net-com.co.jp", "ns2.net-com.co.jp")


def test_example_values_are_flagged_by_key() -> None:
    """Every company value from a reserved range is listed; ports, names and texts are not."""
    assert set(parse_provider(example_toml()).example_keys()) == set(EXAMPLE_VALUES)


def test_illustrations_are_samples_but_not_example_keys() -> None:
    """The old provider's host is always shown as a sample but never counted by the build warning."""
    for provider in (PROVIDER, parse_provider(example_toml())):
        assert "old_mail_host_example" in provider.sample_keys()
        assert "old_mail_host_example" not in provider.example_keys()
        assert provider.old_mail_host_example in provider.sample_values()


def test_real_values_leave_no_example_key() -> None:
    """With production values in the file, nothing is an example any more (only the illustration stays a sample)."""
    provider = parse_provider(real_toml())
    assert provider.example_keys() == ()
    assert provider.sample_keys() == ILLUSTRATION_KEYS
    assert provider.sample_values() == frozenset({provider.old_mail_host_example})


@pytest.mark.parametrize(
    "value",
    [
        "support@net-com.example",
        "mail01.net-com.example.",
        "ns1.foo.test",
        "x.invalid",
        "localhost",
        "www.example.com",
        "example.org",
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.10",
        "2001:db8::10",
        "2001:DB8:1::1",
        "3fff::1",
        "03-0000-0000",
        "0120-0-123",
    ],
)
def test_reserved_example_values_are_recognised(value: str) -> None:
    """RFC 2606 names, RFC 5737 / 3849 / 9637 addresses and a zero local-exchange phone number are examples."""
    assert is_example_value(value)


@pytest.mark.parametrize(
    "value",
    [
        *("support@net-com.co.jp", "mail.example.co.jp", "example.jp", "myexample.com", "100.64.0.1", "2400:4050::1"),
        *("03-5555-0100", "995", "Net-com", "ネット・コミュニケーションズ", ""),
    ],
)
def test_other_values_are_not_examples(value: str) -> None:
    """Real-looking names, addresses and numbers are not examples (nor are names, ports or empty strings)."""
    assert not is_example_value(value)


@pytest.mark.parametrize("key", ["support_email", "nameservers", "pop_port", "company", "closed_month_days"])
def test_a_missing_key_is_named(key: str) -> None:
    """A key left out of the file stops loading with a message naming it."""
    with pytest.raises(ProviderFileError, match=rf"key '{key}': missing"):
        parse_provider(without_line(key))


def test_a_missing_illustration_is_named() -> None:
    """The illustration's key is named with its table."""
    with pytest.raises(ProviderFileError, match=r"'illustrations\.old_mail_host_example': missing"):
        parse_provider(without_line("old_mail_host_example"))


def test_an_unknown_key_is_named() -> None:
    """A typo (an unknown key) is refused by name rather than ignored."""
    with pytest.raises(ProviderFileError, match=r"key 'suport_email': unknown key"):
        parse_provider('suport_email = "a@b.example"\n' + PACKAGED)


@pytest.mark.parametrize(
    ("line", "key", "problem"),
    [
        ('support_email = ""', "support_email", "non-empty string"),
        ("support_email = 3", "support_email", "non-empty string"),
        ("pop_port = 99999", "pop_port", "port number"),
        ('pop_port = "995"', "pop_port", "port number"),
        ("nameservers = []", "nameservers", "non-empty list"),
        ('nameservers = ["ns1.x.example", 2]', "nameservers[1]", "non-empty string"),
        ('company = { ja = "会社" }', "company", "exactly the keys ja and en"),
        ('company = { ja = "会社", en = "" }', "company.en", "non-empty string"),
        ("closed_month_days = [[2, 30]]", "closed_month_days[0]", "real calendar day"),
    ],
)
def test_a_mistyped_value_is_named(line: str, key: str, problem: str) -> None:
    """A value of the wrong type or out of range stops loading, naming the key and what it must be."""
    name = line.split(" ", 1)[0]
    with pytest.raises(ProviderFileError, match=rf"key '{re.escape(key)}': .*{problem}"):
        parse_provider(line + "\n" + without_line(name))


def test_an_illustration_must_be_an_example() -> None:
    """A real-looking host under [illustrations] (a real third party's name) is refused."""
    text = PACKAGED.replace('"mail.oldhost.example"', '"mail.oldhost.co.jp"')
    with pytest.raises(ProviderFileError, match=r"illustrations\.old_mail_host_example.*reserved example"):
        parse_provider(text)


def test_an_illustration_outside_its_table_is_refused() -> None:
    """old_mail_host_example at the top level (where company values live) is named and refused."""
    text = 'old_mail_host_example = "mail.oldhost.example"\n' + PACKAGED
    with pytest.raises(ProviderFileError, match=r"'old_mail_host_example': belongs under \[illustrations\]"):
        parse_provider(text)


def test_bad_toml_and_a_missing_file_are_clear(tmp_path: Path) -> None:
    """A syntax error and an unreadable file both raise ProviderFileError naming the file."""
    with pytest.raises(ProviderFileError, match=r"x\.toml: not valid TOML"):
        parse_provider("support_email = \n", "x.toml")
    missing = tmp_path / "nope.toml"
    with pytest.raises(ProviderFileError, match=r"nope\.toml: cannot be read"):
        load_provider(missing)
