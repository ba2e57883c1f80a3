"""Byte-compile a pure-Python wheel for the interpreter that runs this module: ``compile_wheel(source, target)``.

The build (scripts/build_pyodide.py) runs it inside Pyodide under Node (scripts/pyodide_compile.mjs), so the
bytecode is Pyodide's CPython's: a wheel compiled by the build machine's CPython would be refused ("bad magic
number"). Every module ``x.py`` becomes ``x.pyc`` in its place (a sourceless module: imported without compiling, also
straight from the zip), as an unchecked-hash pyc (PEP 552: never compared with a source that is not there). Everything
else is copied as is, in the same order, with the same zip timestamps; RECORD is rewritten for the new files. The
same wheel and interpreter give the same bytes, so the wheel's content-hash name stays stable.

Measured (Node, Pyodide 314): importing checklist_app.browser took 41-95 ms from source, 21-29 ms from these pycs.

Wheels and the standard library are written with their entries *stored* (not deflated): the site serves them
brotli-compressed as a whole (scripts/precompress.py), which is a quarter to a half smaller on the wire than
per-entry deflate (checklist_app: 332 kB deflated, 237 kB stored + brotli), and zipimport reads stored entries
without inflating them. The standard library's modules are compiled with ``optimize=2`` (no docstrings, no
``assert``; what ``python -OO`` does, a mode the standard library is tested in): 208 kB less with brotli. Pyodide's own
packages (``_pyodide``, ``pyodide``: they read docstrings at start-up) keep ``optimize=0``. Our own package
(:data:`OPTIMIZED_PACKAGES`: it has no ``assert`` and never reads a ``__doc__``; the Pyodide test run imports this
very wheel) is compiled with ``optimize=2`` too: 211 → 190 kB with brotli, 60 kB less to unmarshal at start-up. The
pinned wheels keep ``optimize=0`` (their code is not ours to check for asserts and docstrings).

pyodide_compile.mjs starts Pyodide with ``PYTHONNODEBUGRANGES=1`` (what ``python -X no_debug_ranges`` does), so every
code object compiled here keeps its line numbers but no column ranges: a traceback still names each file and line,
without the ``^^^`` markers under the expression. The column tables hardly compress: without them the trimmed
standard library is 1.21 → 0.91 MB with brotli and our wheel 217 → 160 kB. The .mjs refuses to compile if the
runtime ignored the variable.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import marshal
import zipfile
from pathlib import Path

__all__ = ["KEEP_DOCSTRINGS", "OPTIMIZED_PACKAGES", "compile_source", "compile_wheel", "compile_zip"]

_FLAGS_UNCHECKED_HASH = 0b01  # PEP 552: hash-based, check_source off


# Standard-library packages compiled with optimize=0 all the same: Pyodide's own, which use their docstrings.
KEEP_DOCSTRINGS = ("_pyodide/", "pyodide/", "_nc_stdlib_fallback.py")
# Wheel entries compiled with optimize=2: our own package's modules.
OPTIMIZED_PACKAGES = ("checklist_app/",)


def compile_source(source: bytes, filename: str, optimize: int = 0) -> bytes:
    """The unchecked-hash ``.pyc`` bytes of one module's source, for the running interpreter."""
    code = compile(source, filename, "exec", dont_inherit=True, optimize=optimize)
    header = importlib.util.MAGIC_NUMBER + _FLAGS_UNCHECKED_HASH.to_bytes(4, "little")
    return header + importlib.util.source_hash(source) + marshal.dumps(code)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def compile_wheel(source: str | Path, target: str | Path) -> list[str]:
    """Write ``target``: wheel ``source`` with every module compiled to a sourceless ``.pyc``; return their names."""
    compiled: list[str] = []
    with zipfile.ZipFile(source) as wheel:
        entries: list[tuple[zipfile.ZipInfo, bytes]] = []
        record_name = next((i.filename for i in wheel.infolist() if i.filename.endswith(".dist-info/RECORD")), None)
        if record_name is None:
            raise ValueError(f"{source}: no .dist-info/RECORD (not a wheel)")
        for info in wheel.infolist():
            data = wheel.read(info)
            if info.filename.endswith(".py") and ".dist-info/" not in info.filename:
                pyc = zipfile.ZipInfo(info.filename + "c", date_time=info.date_time)
                pyc.external_attr = info.external_attr
                optimize = 2 if info.filename.startswith(OPTIMIZED_PACKAGES) else 0
                entries.append((pyc, compile_source(data, info.filename, optimize)))
                compiled.append(pyc.filename)
            else:
                entries.append((info, data))
    lines = [_record_line(info.filename, data) for info, data in entries if info.filename != record_name]
    record = ("\n".join([*lines, f"{record_name},,"]) + "\n").encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for info, data in entries:
            info.compress_type = zipfile.ZIP_STORED
            out.writestr(info, record if info.filename == record_name else data)
    return compiled


def compile_zip(source: str | Path, target: str | Path) -> list[str]:
    """Write ``target``: the module zip ``source`` (a standard library), every ``x.py`` as a sourceless ``x.pyc``.

    Entries keep their order and timestamps and are stored uncompressed (the server's brotli compresses the whole
    file); anything that is not a module is copied. Modules are compiled with ``optimize=2`` except those of
    :data:`KEEP_DOCSTRINGS`. Returns the compiled entries' names.
    """
    compiled: list[str] = []
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith(".py"):
                pyc = zipfile.ZipInfo(info.filename + "c", date_time=info.date_time)
                pyc.external_attr = info.external_attr
                optimize = 0 if info.filename.startswith(KEEP_DOCSTRINGS) else 2
                out.writestr(pyc, compile_source(data, info.filename, optimize), compress_type=zipfile.ZIP_STORED)
                compiled.append(pyc.filename)
            else:
                out.writestr(info, data, compress_type=zipfile.ZIP_STORED)
    return compiled
