"""Fallback for the site's trimmed standard library: a module it lacks is loaded from the full zip.

scripts/build_pyodide.py puts this file into the trimmed ``python_stdlib-<hash>.zip`` as ``_nc_stdlib_fallback.py``,
followed by ``MISSING`` (every module of the full standard library that the trimmed zip left out), and
docs/assets/py-worker.js calls ``install(<URL of the runtime's full python_stdlib.zip>)`` right after Python starts.
The finder sits last on ``sys.meta_path``: it is asked only about a module nothing else found, and answers only
for names in ``MISSING`` (an optional third-party import that fails stays a plain ImportError, fetching nothing).
The first such import downloads the full zip once with a synchronous request (allowed in a worker), writes it into
Pyodide's file system and imports the module from it; later misses use the same file. The import then costs one
download, never a broken page. ``install(url, fetch)`` takes another downloader (tests).
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__ = ["FullStdlibFinder", "install"]

FULL_PATH = "/lib/python_stdlib_full.zip"
MISSING: frozenset[str] = frozenset()  # the build appends the real set after this module's source


def _fetch_sync(url: str) -> bytes:
    """GET ``url`` synchronously from a Web Worker (XMLHttpRequest; a page's main thread refuses binary sync XHR)."""
    from js import XMLHttpRequest  # type: ignore[import-not-found]

    request = XMLHttpRequest.new()
    request.open("GET", url, False)
    request.responseType = "arraybuffer"
    request.send(None)
    if request.status != 200:
        raise ImportError(f"{url}: HTTP {request.status}")
    data: bytes = request.response.to_bytes()
    return data


class FullStdlibFinder:
    """Meta-path finder for the standard-library modules the trimmed zip lacks."""

    def __init__(self, url: str, fetch: Callable[[str], bytes], missing: frozenset[str], path: str) -> None:
        self.url = url
        self.fetch = fetch
        self.missing = missing
        self.path = path
        self.loaded: list[str] = []  # modules this finder has found (the browser tests read it)

    def _zip(self) -> str:
        if not os.path.isfile(self.path):
            data = self.fetch(self.url)
            with open(self.path, "wb") as handle:
                handle.write(data)
        return self.path

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in self.missing:
            return None
        full = self._zip()
        parent, _, _ = fullname.rpartition(".")
        if parent:
            # A package from the trimmed zip: its submodules missing there are looked up in the full zip as well.
            location = f"{full}/{parent.replace('.', '/')}"
            package = sys.modules.get(parent)
            search = list(getattr(package, "__path__", []) or [])
            if location not in search and package is not None and hasattr(package, "__path__"):
                package.__path__.append(location)
            spec = importlib.machinery.PathFinder.find_spec(fullname, [location])
        else:
            spec = importlib.machinery.PathFinder.find_spec(fullname, [full])
        if spec is not None:
            self.loaded.append(fullname)
        return spec


def install(url: str, fetch: Callable[[str], bytes] | None = None, path: str = FULL_PATH) -> FullStdlibFinder:
    """Put the finder last on ``sys.meta_path`` (once; a second call returns the first finder)."""
    for finder in sys.meta_path:
        if isinstance(finder, FullStdlibFinder):
            return finder
    finder = FullStdlibFinder(url, fetch or _fetch_sync, MISSING, path)
    sys.meta_path.append(finder)
    return finder
