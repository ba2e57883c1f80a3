"""Which standard-library modules our package and its pinned wheels import: an import audit.

``install()`` wraps ``builtins.__import__`` and ``importlib.import_module`` and records, for every import statement
that runs (also of a module already imported), an edge *importer -> imported module*. ``Audit.needed()`` follows
the edges from the roots (checklist_app, the pinned "site" wheels, Pyodide's own ``pyodide``/``_pyodide`` and the
worker's own statements) through the standard library and returns every standard-library module reached, with the
modules already imported when the audit started (what the interpreter itself needs to start).

Run inside Pyodide by ``node scripts/pyodide_pytest.mjs --audit FILE`` (the test suite, then every tool), which
writes the list that ``scripts/build_pyodide.py`` turns into the site's trimmed ``python_stdlib-<hash>.zip``
(``scripts/stdlib-modules.txt``, regenerated with ``make stdlib-audit``). Importers that are neither roots nor the
standard library (pytest, hypothesis, the tests themselves) are not followed: what only they import is not shipped.
A module missing from the trimmed zip is still found in the browser (docs/assets/py-worker.js: a meta-path finder
falls back to the full zip).
"""

from __future__ import annotations

import builtins
import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["ROOTS", "WORKER_IMPORTS", "Audit", "install", "stdlib_module_names"]

# Import names whose imports count: our package, the pinned "site" wheels (wheels.lock), Pyodide's own runtime
# packages (they live in the stdlib zip and run the worker's unpackArchive, runPython, ...).
ROOTS = ("checklist_app", "idna", "jpholiday", "icalendar", "dateutil", "tzdata", "dns", "pyodide", "_pyodide")
# What docs/assets/py-worker.js itself runs (runPython / its fallback finder).
WORKER_IMPORTS = ("importlib", "importlib.abc", "importlib.machinery", "zipimport")


def stdlib_module_names(entries: Iterable[str]) -> set[str]:
    """Module names of the ``.py``/``.pyc`` entries of a zip (``a/b.py`` -> ``a.b``, ``a/__init__.pyc`` -> ``a``)."""
    names = set()
    for entry in entries:
        if not entry.endswith((".py", ".pyc")):
            continue
        parts = entry.rsplit(".", 1)[0].split("/")
        if parts[-1] == "__init__":
            parts.pop()
        if parts:
            names.add(".".join(parts))
    return names


class Audit:
    """The recorded import edges and the modules present when recording began."""

    def __init__(self) -> None:
        self.edges: dict[str, set[str]] = {}
        self.baseline: set[str] = set(sys.modules)
        self._original_import: Callable[..., Any] | None = None
        self._original_import_module: Callable[..., Any] | None = None

    def record(self, importer: str, imported: str) -> None:
        self.edges.setdefault(importer, set()).add(imported)

    def _importer(self, globals_: object, depth: int) -> str:
        if isinstance(globals_, dict) and isinstance(globals_.get("__name__"), str):
            return str(globals_["__name__"])
        try:
            return str(sys._getframe(depth).f_globals.get("__name__", "?"))
        except ValueError:
            return "?"

    def _wrapped_import(
        self, name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
    ) -> Any:
        assert self._original_import is not None
        module = self._original_import(name, globals, locals, fromlist, level)
        try:
            importer = self._importer(globals, 2)
            if level:
                package = (globals or {}).get("__package__") or (globals or {}).get("__name__", "")
                resolved = importlib.util.resolve_name("." * level + name, package)
            else:
                resolved = name
            self.record(importer, resolved)
            for item in fromlist or ():
                if isinstance(item, str) and f"{resolved}.{item}" in sys.modules:
                    self.record(importer, f"{resolved}.{item}")
        except Exception:  # the audit must never change what an import does
            pass
        return module

    def _wrapped_import_module(self, name: str, package: str | None = None) -> Any:
        assert self._original_import_module is not None
        module = self._original_import_module(name, package)
        try:
            resolved = importlib.util.resolve_name(name, package) if name.startswith(".") else name
            self.record(self._importer(None, 2), resolved)
        except Exception:
            pass
        return module

    def start(self) -> Audit:
        self._original_import = builtins.__import__
        self._original_import_module = importlib.import_module
        builtins.__import__ = self._wrapped_import
        importlib.import_module = self._wrapped_import_module  # type: ignore[assignment]
        return self

    def stop(self) -> None:
        if self._original_import is not None:
            builtins.__import__ = self._original_import
        if self._original_import_module is not None:
            importlib.import_module = self._original_import_module  # type: ignore[assignment]

    def needed(
        self, stdlib: set[str], roots: Iterable[str] = ROOTS, extra: Iterable[str] = WORKER_IMPORTS
    ) -> list[str]:
        """Sorted standard-library modules (of ``stdlib``) reached from the roots, the baseline and ``extra``."""
        root_tops = set(roots)

        def is_root(name: str) -> bool:
            return name.partition(".")[0] in root_tops

        todo = [m for m in self.baseline | set(extra) if m in stdlib]
        for importer, targets in self.edges.items():
            if is_root(importer):
                todo.extend(targets)
        found: set[str] = set()
        visited: set[str] = set()
        while todo:
            name = todo.pop()
            if name in visited:
                continue
            visited.add(name)
            if name in stdlib:
                found.add(name)
                parent = name.rpartition(".")[0]
                if parent:
                    todo.append(parent)
            if name in stdlib or is_root(name):
                todo.extend(self.edges.get(name, ()))
        return sorted(found)


def install() -> Audit:
    """Start recording imports in this interpreter; returns the audit (``audit.needed(...)`` at the end)."""
    return Audit().start()
