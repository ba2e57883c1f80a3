"""MkDocs hook: the same site, built with less repeated work (issue 6: ``mkdocs build`` ≤ 3 s for both languages).

static-i18n builds the site once per language, and each build starts from scratch. Two costs are saved here:

* **Compiled templates are kept between builds**, as Python keeps ``.pyc`` files. Each build compiled about 40
  Material templates from source per language (a fifth of the build's time). Jinja's own
  ``FileSystemBytecodeCache`` stores the compiled code in ``build/jinja-cache/`` (``make clean`` removes it); an
  entry is used only while its template's source is unchanged (Jinja compares a checksum of the source) and for the
  same Jinja and Python versions, so an edited override in ``overrides/`` is compiled again. The second language
  already reuses the first one's entries.
* **Material's 14,000 icon files are not listed for nothing.** MkDocs lists every file of the theme folders to find
  the static ones, then drops every name under a folder starting with a dot, such as Material's ``.icons/`` (its
  patterns ``.*`` and ``*/.*``). Listing skips those folders instead; the rest is MkDocs' own code and filter, so
  the same files are copied (tests/site checks the built assets).

``NC_BUILD_SPEEDUPS=0`` builds without either.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.structure.files import Files

CACHE_DIR = Path(__file__).resolve().parent.parent / "build" / "jinja-cache"
_ORIGINAL_ADD_FILES_FROM_THEME = Files.add_files_from_theme


def _enabled() -> bool:
    return os.environ.get("NC_BUILD_SPEEDUPS", "1") != "0"


class _ThemeListing:
    """Stands in for the theme's Jinja environment while MkDocs lists its files: dot folders are not walked."""

    def __init__(self, env: jinja2.Environment) -> None:
        self._env = env

    def list_templates(self, extensions: Any = None, filter_func: Callable[[str], bool] | None = None) -> list[str]:
        loader = self._env.loader
        if not isinstance(loader, jinja2.FileSystemLoader) or extensions is not None:
            return self._env.list_templates(extensions, filter_func)
        found: set[str] = set()
        for searchpath in loader.searchpath:  # as jinja2.FileSystemLoader.list_templates, minus the dot folders
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=loader.followlinks):
                dirnames[:] = [name for name in dirnames if not name.startswith(".")]
                for filename in filenames:
                    template = os.path.join(dirpath, filename)[len(searchpath) :].strip(os.sep).replace(os.sep, "/")
                    if template[:2] == "./":
                        template = template[2:]
                    found.add(template)
        names = sorted(found)
        return [name for name in names if filter_func(name)] if filter_func else names


def _add_files_from_theme(self: Files, env: jinja2.Environment, config: Any) -> None:
    """MkDocs' Files.add_files_from_theme over a listing that skips dot folders (all of whose files it drops)."""
    if not _enabled():
        return _ORIGINAL_ADD_FILES_FROM_THEME(self, env, config)
    return _ORIGINAL_ADD_FILES_FROM_THEME(self, _ThemeListing(env), config)  # type: ignore[arg-type]


def on_startup(command: str, dirty: bool) -> None:
    """Install the listing shortcut before the first build."""
    Files.add_files_from_theme = _add_files_from_theme  # type: ignore[method-assign]


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    """Give the theme's environment the on-disk bytecode cache (pages and templates are rendered after this)."""
    if not _enabled():
        return env
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
    except OSError:
        return env  # a read-only checkout builds as before
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(CACHE_DIR))
    return env
