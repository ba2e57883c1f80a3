"""Say whether checklist_app/provider.toml still holds example values: ``python scripts/provider_check.py``.

``make build`` runs it first: while a company value is from a reserved example range it prints ONE warning listing
the keys (the site then marks each such value サンプル値 / sample value) and the build goes on; with
``PROVIDER_STRICT=1`` (``make build PROVIDER_STRICT=1``) it fails instead. ``--file PATH`` checks another file.
A missing, unknown or mistyped key always fails, naming the key.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checklist_app.provider import Provider, ProviderFileError, load_provider

__all__ = ["check_provider", "main"]

_FILE = "checklist_app/provider.toml"


def check_provider(provider: Provider, *, strict: bool, origin: str = _FILE) -> tuple[int, str]:
    """``(exit code, message)``: 0 and "" when no company value is an example; 0 and a warning, or 1 and an error
    under ``strict``, listing the keys that are."""
    keys = provider.example_keys()
    if not keys:
        return 0, ""
    listed = ", ".join(keys)
    if strict:
        return 1, (
            f"PROVIDER_STRICT=1: {origin} still holds example values for: {listed}. "
            "Put the production values in (README.md, “For Net-com: putting in your values”)."
        )
    return 0, (
        f"WARNING: {origin} still holds example values for: {listed}. The site marks each one "
        "「サンプル値」/ “sample value”; put the production values in before publishing "
        "(make build PROVIDER_STRICT=1 fails on them)."
    )


def main(argv: list[str] | None = None) -> int:
    """Check the packaged provider.toml (or ``--file``); the exit code is the build's go / no-go."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--file", type=Path, help="another provider.toml (default: the packaged one)")
    args = parser.parse_args(argv)
    strict = os.environ.get("PROVIDER_STRICT", "") not in ("", "0")
    try:
        provider = load_provider(args.file)
    except ProviderFileError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    code, message = check_provider(provider, strict=strict, origin=str(args.file or _FILE))
    if message:
        print(("ERROR: " if code else "") + message, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
