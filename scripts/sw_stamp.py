"""Stamp the built service worker (``site/sw.js``) with a content hash of the built site.

The service worker names its page and asset caches after ``VERSION``; a new value makes browsers install the new
worker, which deletes the caches of the old one. The hash covers every built file except:

* ``sw.js`` itself (the stamped file; static-i18n's copy under ``en/`` is removed: only the root one is registered);
* ``pyodide/``: named by version and by content hash, never changed in place (the worker prunes that cache by
  the lock file instead), and written after MkDocs by ``scripts/build_pyodide.py``;
* ``sitemap.xml``: it carries the build date, which is not a change of the site;
* ``*.gz``, ``*.br``: compressed copies of other files (``sitemap.xml.gz``, ``scripts/precompress.py``'s output);
* ``search/search_index.json``: made from the pages (a change there is a change of a page), and static-i18n writes
  the merged index after this hook has run.

The MkDocs hook calls :func:`stamp` after each build; ``python scripts/sw_stamp.py SITE`` does it by hand.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

SW_NAME = "sw.js"
_VERSION_LINE = re.compile(r'^const VERSION = "[^"\n]*";', re.MULTILINE)
_SKIPPED_TOP = {"pyodide"}
_SKIPPED_NAMES = {SW_NAME, "sitemap.xml"}
_SKIPPED_PATHS = {"search/search_index.json"}


def site_digest(site: Path) -> str:
    """A 16-hex-digit hash of the built site's paths and contents (see the module docstring for what is left out)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site)
        if (
            rel.parts[0] in _SKIPPED_TOP
            or path.name in _SKIPPED_NAMES
            or path.suffix in (".gz", ".br")
            or rel.as_posix() in _SKIPPED_PATHS
        ):
            continue
        digest.update(rel.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def stamp_text(source: str, version: str) -> str:
    """``source`` (sw.js) with its ``const VERSION = "…";`` line set to ``version``; fails when the line is missing."""
    stamped, count = _VERSION_LINE.subn(f'const VERSION = "{version}";', source, count=1)
    if count != 1:
        raise ValueError(f'{SW_NAME} has no `const VERSION = "…";` line to stamp')
    return stamped


def stamp(site: Path) -> str | None:
    """Write the site's digest into ``site/sw.js`` and remove copies of it elsewhere; returns the version."""
    worker = site / SW_NAME
    if not worker.is_file():
        return None
    for copy in site.glob(f"*/{SW_NAME}"):
        copy.unlink()
    version = site_digest(site)
    worker.write_text(stamp_text(worker.read_text(encoding="utf-8"), version), encoding="utf-8")
    return version


def main(argv: list[str]) -> int:
    """``python scripts/sw_stamp.py [SITE]`` (default ``site``): stamp and print the version."""
    site = Path(argv[0] if argv else "site")
    version = stamp(site)
    if version is None:
        print(f"sw_stamp: {site / SW_NAME} is missing", file=sys.stderr)
        return 1
    print(version)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
