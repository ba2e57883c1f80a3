"""The provider's own values, read from ``provider.toml`` beside this module (the one data file).

The file ships inside the wheel, so CPython (tests, the CLI), the build hook and Pyodide read the same values.
A value from a reserved example range (RFC 2606 names, RFC 5737 / RFC 3849 addresses, a ``03-0000-…`` phone
number) is a *sample*: :meth:`Provider.example_keys` lists the company's own keys that still hold one, and every
place that shows such a value marks it (ja: サンプル値 / en: sample value).
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from .text import Text

__all__ = [
    "ILLUSTRATION_KEYS",
    "PROVIDER",
    "SAMPLE_LABEL",
    "Provider",
    "ProviderFileError",
    "is_example_value",
    "load_provider",
    "parse_provider",
]

SAMPLE_LABEL = Text(ja="サンプル値", en="sample value")

# Keys that illustrate something that is not Net-com's (another provider's server): kept under [illustrations],
# always an example, always marked, never counted by the build warning or PROVIDER_STRICT.
ILLUSTRATION_KEYS: tuple[str, ...] = ("old_mail_host_example",)


class ProviderFileError(ValueError):
    """provider.toml is missing, unreadable, or a key is missing, unknown or of the wrong type (names the key)."""


@dataclass(frozen=True, slots=True)
class Provider:
    """Everything about Net-com that a page or a generator may show."""

    company: Text
    company_short: str
    support_email: str
    support_phone: str
    support_fax: str
    business_hours: Text
    dns_switch_rule: Text
    closed_days: Text
    # (month, day) pairs of the company's own closed days besides weekends and public holidays.
    closed_month_days: tuple[tuple[int, int], ...]
    nameservers: tuple[str, ...]
    mail_host_example: str
    web_host_example: str
    web_ipv4_example: str
    web_ipv6_example: str
    mail_ipv4_example: str
    old_mail_host_example: str
    pop_port: int
    imap_port: int
    smtp_port: int
    smtp_port_alt: int
    application_form: Text
    transfer_form: Text
    account_info_doc: Text

    def sample_keys(self) -> tuple[str, ...]:
        """Every key whose value (or one of whose values) is a reserved example, illustrations included."""
        return tuple(f.name for f in fields(self) if any(is_example_value(v) for v in _strings(getattr(self, f.name))))

    def example_keys(self) -> tuple[str, ...]:
        """The company's own keys that still hold an example value: what the build warns about."""
        return tuple(k for k in self.sample_keys() if k not in ILLUSTRATION_KEYS)

    def sample_values(self) -> frozenset[str]:
        """Every example value shown anywhere (the strings a page or a tool must mark)."""
        return frozenset(v for f in fields(self) for v in _strings(getattr(self, f.name)) if is_example_value(v))


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple):
        return tuple(v for v in value if isinstance(v, str))
    return ()


# --------------------------------------------------------------------------------------------------------------------
# Reserved example ranges

# RFC 2606 §2 reserved TLDs (also RFC 6761) and §3 second-level names.
_EXAMPLE_TLDS = frozenset({"example", "test", "invalid", "localhost"})
_EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
# RFC 5737 (IPv4 documentation), RFC 3849 (IPv6 documentation) and RFC 9637 (its larger IPv6 successor range).
_EXAMPLE_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20")
)
# A Japanese number written 0X-XXXX-XXXX whose middle group (the local exchange) is all zeros, as in 03-0000-0000:
# a local exchange number never starts with 0, so no such number is assigned.
_EXAMPLE_PHONE = re.compile(r"\+?[0-9]{1,5}[- ]0+[- ][0-9]{1,5}")


def is_example_value(value: str) -> bool:
    """Whether ``value`` (a host name, e-mail address, IP address or phone number) is from a reserved example range."""
    s = value.strip().rstrip(".").lower()
    if not s:
        return False
    if _EXAMPLE_PHONE.fullmatch(s):
        return True
    try:
        address = ipaddress.ip_address(s)
    except ValueError:
        pass
    else:
        return any(address in net for net in _EXAMPLE_NETWORKS)
    host = s.rpartition("@")[2]
    if " " in host or ("." not in host and host not in _EXAMPLE_TLDS):
        return False
    return host.rsplit(".", 1)[-1] in _EXAMPLE_TLDS or any(
        host == d or host.endswith("." + d) for d in _EXAMPLE_DOMAINS
    )


# --------------------------------------------------------------------------------------------------------------------
# Loading

_FILE = "provider.toml"


def _fail(origin: str, key: str, problem: str) -> ProviderFileError:
    return ProviderFileError(f"{origin}: key {key!r}: {problem}")


def _text_value(origin: str, key: str, value: object) -> Text:
    if not isinstance(value, dict) or set(value) != {"ja", "en"}:
        raise _fail(origin, key, 'must be a table { ja = "…", en = "…" } with exactly the keys ja and en')
    for lang in ("ja", "en"):
        if not isinstance(value[lang], str) or not value[lang].strip():
            raise _fail(origin, f"{key}.{lang}", "must be a non-empty string")
    return Text(ja=value["ja"], en=value["en"])


def _str_value(origin: str, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise _fail(origin, key, "must be a non-empty string without surrounding spaces")
    return value


def _port_value(origin: str, key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise _fail(origin, key, "must be a port number from 1 to 65535")
    return value


def _names_value(origin: str, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(origin, key, "must be a non-empty list of strings")
    return tuple(_str_value(origin, f"{key}[{i}]", v) for i, v in enumerate(value))


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_days_value(origin: str, key: str, value: object) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list):
        raise _fail(origin, key, "must be a list of [month, day] pairs")
    out: list[tuple[int, int]] = []
    for i, pair in enumerate(value):
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in pair)
            or not 1 <= pair[0] <= 12
            or not 1 <= pair[1] <= _DAYS_IN_MONTH[pair[0] - 1]
        ):
            raise _fail(origin, f"{key}[{i}]", "must be a [month, day] pair of a real calendar day, e.g. [12, 29]")
        out.append((pair[0], pair[1]))
    return tuple(out)


_READERS: dict[str, Any] = {
    "Text": _text_value,
    "str": _str_value,
    "int": _port_value,
    "tuple[str, ...]": _names_value,
    "tuple[tuple[int, int], ...]": _month_days_value,
}


def parse_provider(source: str, origin: str = _FILE) -> Provider:
    """The :class:`Provider` described by TOML text ``source``; ``origin`` names the file in error messages.

    Raises :class:`ProviderFileError` naming the key for a syntax error, a missing, unknown or mistyped key, an
    illustration that is not a reserved example, or a company value placed under ``[illustrations]``.
    """
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise ProviderFileError(f"{origin}: not valid TOML: {exc}") from exc
    illustrations = data.pop("illustrations", {})
    if not isinstance(illustrations, dict):
        raise _fail(origin, "illustrations", "must be a table")
    for key in ILLUSTRATION_KEYS:
        if key in data:
            raise _fail(origin, key, "belongs under [illustrations]")
    for key in illustrations:
        if key not in ILLUSTRATION_KEYS:
            raise _fail(origin, f"illustrations.{key}", f"unknown key (illustrations: {', '.join(ILLUSTRATION_KEYS)})")
    data.update(illustrations)
    known = {f.name: str(f.type) for f in fields(Provider)}
    for key in data:
        if key not in known:
            raise _fail(origin, key, "unknown key (a typo? every key is listed in README.md)")
    values: dict[str, object] = {}
    for key, kind in known.items():
        where = f"illustrations.{key}" if key in ILLUSTRATION_KEYS else key
        if key not in data:
            raise _fail(origin, where, "missing")
        values[key] = _READERS[kind](origin, where, data[key])
    for key in ILLUSTRATION_KEYS:
        if not is_example_value(str(values[key])):
            raise _fail(
                origin,
                f"illustrations.{key}",
                "an illustration must be a reserved example (a name under .example, say), never a real host",
            )
    return Provider(**values)  # type: ignore[arg-type]


def load_provider(path: str | Path | None = None) -> Provider:
    """Read ``path`` (default: the ``provider.toml`` packaged beside this module, also inside a zipped wheel)."""
    try:
        if path is None:
            source = resources.files(__package__ or "checklist_app").joinpath(_FILE).read_text(encoding="utf-8")
            origin = f"checklist_app/{_FILE}"
        else:
            source = Path(path).read_text(encoding="utf-8")
            origin = str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ProviderFileError(f"{path or 'checklist_app/' + _FILE}: cannot be read: {exc}") from exc
    return parse_provider(source, origin)


PROVIDER = load_provider()
