"""Fallback for the site's trimmed standard library: a module it lacks is loaded from the full zip.

scripts/build_pyodide.py puts this file into the trimmed ``python_stdlib-<hash>.zip`` as ``_nc_stdlib_fallback.py``,
followed by ``MISSING`` (every module of the full standard library that the trimmed zip left out), and
docs/assets/py-worker.js calls ``install(<URL of the runtime's full python_stdlib.zip>)`` right after Python starts.
The finder sits first on ``sys.meta_path`` but answers only for names in ``MISSING`` (where the standard library would
be found first anyway; an optional third-party import that fails stays a plain ImportError, fetching nothing), also
for the submodules of a package the trimmed zip holds (``email.mime`` of ``email``).
The first such import downloads the full zip once with a synchronous request (allowed in a worker), writes it into
Pyodide's file system and imports the module from it; later misses use the same file. The import then costs one
download, never a broken page. ``install(url, fetch)`` takes another downloader (tests).

The trimmed zip's modules are compiled with ``optimize=2`` (no docstrings: scripts/pyodide_compile.py), the full zip
holds sources. A module from it is compiled the same way (:class:`OptimizedLoader`), so the two halves agree as in
``python -OO``: a module that reads another's docstring (``email.policy`` extends ``email._policybase``'s) sees
``None`` everywhere, never a docstring on one side and ``None`` on the other.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

__all__ = ["FullStdlibFinder", "OptimizedLoader", "install"]

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


class OptimizedLoader:
    """Loads a module of the full zip compiled with ``optimize=2``, like the trimmed zip's (see the module doc)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader  # the zipimporter that found the module's source

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        spec = module.__spec__
        source = self.loader.get_source(spec.name) if spec is not None and spec.origin else None
        if spec is None or spec.origin is None or source is None:
            raise ImportError(f"no source for {module.__name__} in the full standard library", name=module.__name__)
        exec(compile(source, spec.origin, "exec", dont_inherit=True, optimize=2), module.__dict__)

    def is_package(self, fullname: str) -> bool:
        return bool(self.loader.is_package(fullname))

    def get_source(self, fullname: str) -> str | None:
        source: str | None = self.loader.get_source(fullname)
        return source


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
        # A submodule is looked up in its package's folder of the full zip; the package's own __path__ is left
        # alone, so every missing module comes through this finder (and its loader), never the plain path finder.
        parent, _, _ = fullname.rpartition(".")
        location = f"{full}/{parent.replace('.', '/')}" if parent else full
        spec = importlib.machinery.PathFinder.find_spec(fullname, [location])
        if spec is not None:
            spec.loader = OptimizedLoader(spec.loader)
            self.loaded.append(fullname)
        return spec


def install(url: str, fetch: Callable[[str], bytes] | None = None, path: str = FULL_PATH) -> FullStdlibFinder:
    """Put the finder first on ``sys.meta_path`` (once; a second call returns the first finder)."""
    for finder in sys.meta_path:
        if isinstance(finder, FullStdlibFinder):
            return finder
    finder = FullStdlibFinder(url, fetch or _fetch_sync, MISSING, path)
    sys.meta_path.insert(0, finder)
    return finder
