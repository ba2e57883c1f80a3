"""Put the self-hosted Pyodide runtime, our wheel and its pinned dependencies into the built site.

Run after ``mkdocs build`` (``make build`` does both). Writes::

    site/pyodide/<pyodide version>/
        pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip   # from node_modules/pyodide
        python_stdlib-<hash>.zip   # the standard-library modules the import audit found (scripts/stdlib-modules.txt)
        pyodide-lock.json          # exactly our packages, made with pyodide-lock's add_wheels tooling
        wheels/*.whl               # checklist_app (byte-compiled for Pyodide, content-hash build tag)
                                   # + the pinned "site" wheels

and ``build/pyodide-test/manifest.json`` telling ``scripts/pyodide_pytest.mjs`` where the runtime and the
pinned "test" wheels (pytest, hypothesis, ...) are. Pins and sha256 hashes live in ``wheels.lock``.

Incremental: pinned wheels are downloaded once into ``build/wheels-cache/`` and verified on every run;
our wheel is rebuilt only when its sources change. Everything under ``site/pyodide/`` is owned here.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import brotli

__all__ = [
    "FULL_STDLIB",
    "RUNTIME_FILES",
    "PinnedWheel",
    "build",
    "build_stdlib",
    "compile_for_pyodide",
    "load_pins",
    "main",
    "pyodide_version",
    "read_stdlib_list",
    "sha256_of",
]

ROOT = Path(__file__).resolve().parent.parent
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
PINS_FILE = ROOT / "wheels.lock"
CACHE_DIR = ROOT / "build" / "wheels-cache"
OWN_WHEEL_DIR = ROOT / "build" / "wheels"
COMPILED_WHEEL_DIR = ROOT / "build" / "wheels-compiled"
STORED_WHEEL_DIR = ROOT / "build" / "wheels-stored"
TEST_MANIFEST = ROOT / "build" / "pyodide-test" / "manifest.json"
GZIP_SIZES_CACHE = ROOT / "build" / "pyodide-gzip-sizes.json"
STDLIB_CACHE = ROOT / "build" / "stdlib-compiled"

# The npm runtime files, copied as they are: the ES module, the Emscripten glue, the wasm binary and the full
# standard library. pyodide.js (classic script) is left out: the site loads Pyodide from a module worker.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
# The site's pages do not load the full python_stdlib.zip (2.5 MB): they load python_stdlib-<hash>.zip (stdLibURL,
# named in the lock's "nc_stdlib"), which holds only the modules of scripts/stdlib-modules.txt (the import audit,
# scripts/stdlib_audit.py) and the fallback finder (scripts/stdlib_fallback.py) that fetches the full zip if ever a
# module is missing. Without stdLibURL (the benchmark's bare page, Node tests) loadPyodide takes the full one.
FULL_STDLIB = "python_stdlib.zip"
STDLIB_LIST = ROOT / "scripts" / "stdlib-modules.txt"
FALLBACK_SOURCE = ROOT / "scripts" / "stdlib_fallback.py"
FALLBACK_MODULE = "_nc_stdlib_fallback"
WHEELS_SUBDIR = "wheels"
LOCK_NAME = "pyodide-lock.json"
OWN_PACKAGE = "checklist_app"
# Sources that go into our wheel; a change to any of them rebuilds it.
OWN_SOURCES = ("pyproject.toml", "README.md", OWN_PACKAGE)
# Fixed zip timestamps (1980-01-01) make the wheel byte-for-byte reproducible, so its hash names its content.
SOURCE_DATE_EPOCH = "315532800"


class BuildError(Exception):
    """A build step failed; the message says which and why."""


@dataclass(frozen=True, slots=True)
class PinnedWheel:
    """One pinned wheel from wheels.lock."""

    group: str
    name: str
    version: str
    file: str
    sha256: str


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def pyodide_version() -> str:
    """The Pyodide version pinned in package.json, checked against the installed node_modules copy."""
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    installed_file = NPM_PYODIDE / "package.json"
    if not installed_file.is_file():
        raise BuildError(f"{installed_file} is missing: run `npm ci` (make setup)")
    installed = json.loads(installed_file.read_text(encoding="utf-8"))["version"]
    if installed != pinned:
        raise BuildError(f"node_modules/pyodide is {installed} but package.json pins {pinned}: run `npm ci`")
    return str(installed)


def load_pins(path: Path = PINS_FILE) -> list[PinnedWheel]:
    """Read wheels.lock; every entry names its group, version, exact file name and sha256."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pins = [PinnedWheel(**entry) for entry in data["wheel"]]
    for pin in pins:
        if pin.group not in {"site", "test"}:
            raise BuildError(f"wheels.lock: {pin.name} has unknown group {pin.group!r}")
        if not re.fullmatch(r"[0-9a-f]{64}", pin.sha256):
            raise BuildError(f"wheels.lock: {pin.name} has a malformed sha256")
        # Only pure-Python wheels can load in Pyodide without a WebAssembly build.
        if not pin.file.endswith("-none-any.whl"):
            raise BuildError(f"wheels.lock: {pin.file} is not a pure-Python wheel")
    return pins


def _check_pins_match_pyproject(pins: list[PinnedWheel]) -> None:
    """The browser must run the same dependency versions as CPython: compare with pyproject's exact pins."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        declared.extend(extra)
    site = {_canonical(p.name): p.version for p in pins if p.group == "site"}
    wanted: dict[str, str] = {}
    for requirement in declared:
        match = re.fullmatch(r"\s*([A-Za-z0-9._-]+)\s*==\s*([^\s;]+)\s*", requirement)
        if match is None:
            raise BuildError(f"pyproject.toml: {requirement!r} is not an exact pin (name==version)")
        wanted[_canonical(match.group(1))] = match.group(2)
    if wanted != site:
        raise BuildError(f"wheels.lock site pins {site} differ from pyproject.toml pins {wanted}")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def fetch_pinned(pins: list[PinnedWheel]) -> dict[str, Path]:
    """Make sure every pinned wheel is in the cache with the pinned hash; download only the missing ones."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    missing = []
    for pin in pins:
        cached = CACHE_DIR / pin.file
        if cached.is_file() and sha256_of(cached) == pin.sha256:
            continue
        cached.unlink(missing_ok=True)
        missing.append(pin)
    if missing:
        print(f"downloading {len(missing)} pinned wheel(s): {', '.join(p.file for p in missing)}")
        # --python-version/--platform/--abi force the pure-Python wheel for Pyodide's CPython 3.14,
        # never a wheel compiled for the interpreter running this script.
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--python-version", "3.14", "--implementation", "py", "--abi", "none", "--platform", "any",
            "--dest", str(CACHE_DIR),
            *(f"{p.name}=={p.version}" for p in missing),
        ]  # fmt: skip
        subprocess.run(command, check=True)
    paths = {}
    for pin in pins:
        cached = CACHE_DIR / pin.file
        if not cached.is_file():
            raise BuildError(f"pip did not produce {pin.file} for {pin.name}=={pin.version}")
        actual = sha256_of(cached)
        if actual != pin.sha256:
            cached.unlink()
            raise BuildError(f"{pin.file}: sha256 {actual} does not match the pin {pin.sha256}; file removed")
        paths[pin.name] = cached
    return paths


def _sources_fingerprint() -> str:
    """Hash of every file that goes into our wheel (path and bytes), ignoring caches."""
    digest = hashlib.sha256()
    for entry in OWN_SOURCES:
        base = ROOT / entry
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
                continue
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_own_wheel() -> Path:
    """Build checklist_app's wheel from a clean copy of its sources (reused while the sources are unchanged)."""
    OWN_WHEEL_DIR.mkdir(parents=True, exist_ok=True)
    fingerprint = _sources_fingerprint()
    stamp = OWN_WHEEL_DIR / "fingerprint.json"
    if stamp.is_file():
        recorded: dict[str, str] = json.loads(stamp.read_text(encoding="utf-8"))
        wheel = OWN_WHEEL_DIR / recorded.get("wheel", "")
        if recorded.get("fingerprint") == fingerprint and wheel.is_file():
            return wheel
    for old in OWN_WHEEL_DIR.glob("*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="checklist-wheel-") as tmp:
        # Building from a copy keeps setuptools' build/ and *.egg-info out of the repo, and stops a module
        # deleted from the repo but left in a stale build/lib from sneaking into the wheel.
        source = Path(tmp) / "src"
        source.mkdir()
        for entry in OWN_SOURCES:
            origin = ROOT / entry
            if origin.is_dir():
                shutil.copytree(origin, source / entry, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif origin.is_file():
                shutil.copy2(origin, source / entry)
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(OWN_WHEEL_DIR)]
        # With setuptools in the venv no isolated build env is needed (faster, offline); without it pip makes
        # one with the setuptools pinned in [build-system].
        if importlib.util.find_spec("setuptools") is not None:
            command.append("--no-build-isolation")
        command.append(str(source))
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        subprocess.run(command, check=True, env=env)
    wheels = list(OWN_WHEEL_DIR.glob(f"{OWN_PACKAGE}-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one {OWN_PACKAGE} wheel in {OWN_WHEEL_DIR}, found {wheels}")
    stamp.write_text(json.dumps({"fingerprint": fingerprint, "wheel": wheels[0].name}), encoding="utf-8")
    return wheels[0]


# Every wheel is served with its entries stored and brotli over the whole file (scripts/precompress.py), so what a
# wheel costs a phone is its brotli size. A pinned wheel ships byte-compiled when that costs at most
# COMPILED_EXTRA_BYTES more than its sources (about 80 ms at the phone profile's 1.6 Mbit/s), less than compiling
# its modules takes there: idna (+12 kB, and its 237 kB uts46data.py is the largest compile of a tool page's first
# visit), jpholiday (+12 kB, 17 modules every page imports) and tzdata (+1 kB) do; dnspython (+231 kB), icalendar
# (+244 kB) and python-dateutil (+50 kB) would cost more in download than their compile takes, so they ship as
# sources (stored).
COMPILED_EXTRA_BYTES = 16_000
BROTLI_SIZES_CACHE = ROOT / "build" / "pyodide-brotli-sizes.json"


def compile_for_pyodide(wheels: list[Path]) -> list[Path]:
    """The wheels byte-compiled by Pyodide's CPython (scripts/pyodide_compile.mjs + pyodide_compile.py), cached.

    Ours and the pinned ones alike: the browser imports them without compiling a module (see
    docs/assets/py-worker.js; which pinned ones ship compiled: COMPILED_EXTRA_BYTES). One Node run compiles every
    wheel not in the cache; the cache key of each is its sha256, the runtime version and the compile script's bytes.
    """
    script = ROOT / "scripts" / "pyodide_compile.py"
    tool = f"{pyodide_version()}\0{sha256_of(script)}\0{sha256_of(script.with_suffix('.mjs'))}"
    COMPILED_WHEEL_DIR.mkdir(parents=True, exist_ok=True)
    stamp = COMPILED_WHEEL_DIR / "keys.json"
    keys: dict[str, str] = json.loads(stamp.read_text(encoding="utf-8")) if stamp.is_file() else {}
    targets, todo = [], []
    for wheel in wheels:
        key = hashlib.sha256(f"{sha256_of(wheel)}\0{tool}".encode()).hexdigest()
        target = COMPILED_WHEEL_DIR / wheel.name
        targets.append(target)
        if keys.get(target.name) != key or not target.is_file():
            todo.append((wheel, target, key))
    if todo:
        command = ["node", str(script.with_suffix(".mjs"))]
        for wheel, target, _key in todo:
            command += [str(wheel), str(target)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        keys.update({target.name: key for _wheel, target, key in todo})
    wanted = {target.name for target in targets}
    for old in COMPILED_WHEEL_DIR.glob("*.whl"):
        if old.name not in wanted:
            old.unlink()
    stamp.write_text(json.dumps({k: v for k, v in sorted(keys.items()) if k in wanted}, indent=1), encoding="utf-8")
    return targets


def _content_named(wheel: Path) -> str:
    """Our wheel's file name with a build tag from its sha256, e.g. checklist_app-0.1.0-0ab12cd34ef56-py3-none-any.whl.

    The runtime folder is served as immutable; the pinned wheels never change under their names, but ours does
    while its version stays 0.1.0, so the name carries the content hash (a build tag must start with a digit).
    """
    name, version, *tags = wheel.name.removesuffix(".whl").split("-")
    if len(tags) != 3:
        raise BuildError(f"{wheel.name} already has a build tag or is not a wheel name")
    return f"{name}-{version}-0{sha256_of(wheel)[:12]}-{'-'.join(tags)}.whl"


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_size == source.stat().st_size and sha256_of(target) == sha256_of(source):
        return
    shutil.copyfile(source, target)


def read_stdlib_list(path: Path = STDLIB_LIST) -> set[str]:
    """The audited standard-library module names (one a line; ``#`` starts a comment)."""
    if not path.is_file():
        raise BuildError(f"{path} is missing: run `make stdlib-audit` (the import audit writes it)")
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


def _entry_module(name: str) -> str | None:
    """``a/b.py`` -> ``a.b``, ``a/__init__.py`` -> ``a``; None for anything that is not a module."""
    if not name.endswith(".py"):
        return None
    parts = name[: -len(".py")].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or None


def build_stdlib(full_zip: Path, modules: set[str], out_dir: Path) -> Path:
    """Write out_dir/python_stdlib-<sha256[:12]>.zip: the audited modules of full_zip and the fallback finder.

    Every listed module must exist in the full zip (a name that does not is a stale list: an error). Packages keep
    their data files (non-.py files in their own folder). Entries keep their order and timestamps, so the same list
    and runtime give the same bytes (and the same name); modules are byte-compiled for the runtime
    (:func:`_compile_stdlib`). They are stored uncompressed: scripts/precompress.py
    brotli-compresses the whole file, which beats per-entry deflate by about a quarter, and zipimport reads stored
    entries without inflating them.
    """
    with zipfile.ZipFile(full_zip) as source:
        infos = source.infolist()
        present = {m for m in (_entry_module(i.filename) for i in infos) if m}
        unknown = sorted(modules - present)
        if unknown:
            raise BuildError(f"{STDLIB_LIST.name} names modules the runtime's stdlib does not have: {unknown}")
        wanted = set(modules)
        for name in modules:  # a submodule needs its packages
            parts = name.split(".")
            wanted.update(".".join(parts[:i]) for i in range(1, len(parts)))
        packages = {m for m in wanted if f"{m.replace('.', '/')}/__init__.py" in source.namelist()}
        kept: list[tuple[zipfile.ZipInfo, bytes]] = []
        for info in infos:
            module = _entry_module(info.filename)
            folder = info.filename.rstrip("/").rpartition("/")[0] if not info.is_dir() else info.filename.rstrip("/")
            if (module in wanted) if module is not None else (folder.replace("/", ".") in packages):
                kept.append((info, source.read(info)))
        missing = sorted(present - wanted)
    fallback = FALLBACK_SOURCE.read_text(encoding="utf-8")
    fallback += f"\nMISSING = frozenset({missing!r})\n"
    fallback_info = zipfile.ZipInfo(f"{FALLBACK_MODULE}.py", date_time=(1980, 1, 1, 0, 0, 0))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for info, data in kept:
            out.writestr(info, data, compress_type=zipfile.ZIP_STORED)
        out.writestr(fallback_info, fallback.encode("utf-8"), compress_type=zipfile.ZIP_STORED)
    data = _compile_stdlib(buffer.getvalue())
    target = out_dir / f"python_stdlib-{hashlib.sha256(data).hexdigest()[:12]}.zip"
    if not (target.is_file() and target.read_bytes() == data):
        target.write_bytes(data)
    return target


def _compile_stdlib(source: bytes) -> bytes:
    """The trimmed stdlib byte-compiled by Pyodide's CPython (pyodide_compile.py's compile_zip under Node), cached.

    Sourceless .pyc modules: a first visit imports them without compiling (measured under Node on a loaded
    machine: loadPyodide 7.5 s instead of 20.5 s, the pages' imports 0.2 s instead of 3.5-4.2 s), for 0.91 MB
    with brotli instead of 0.77 MB (1.40 MB before the docstrings went, 1.21 MB before the column ranges went:
    scripts/pyodide_compile.py).
    """
    script = ROOT / "scripts" / "pyodide_compile.py"
    key = hashlib.sha256(
        source + f"\0{pyodide_version()}\0{sha256_of(script)}\0{sha256_of(script.with_suffix('.mjs'))}".encode()
    ).hexdigest()
    cached = STDLIB_CACHE / f"{key}.zip"
    if cached.is_file():
        return cached.read_bytes()
    STDLIB_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nc-stdlib-") as tmp:
        plain, compiled = Path(tmp) / "stdlib.zip", Path(tmp) / "compiled.zip"
        plain.write_bytes(source)
        command = ["node", str(script.with_suffix(".mjs")), str(plain), str(compiled)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        data = compiled.read_bytes()
    for old in STDLIB_CACHE.glob("*.zip"):
        old.unlink()
    cached.write_bytes(data)
    return data


def write_lock(out_dir: Path, wheels: list[Path], stdlib: Path | None = None) -> Path:
    """pyodide-lock.json with the upstream `info` block and exactly the given wheels (paths relative to out_dir).

    ``stdlib`` (the trimmed standard library) is named in an extra top-level ``nc_stdlib`` entry ({file_name,
    sha256}) that docs/assets/py-worker.js passes to loadPyodide (Pyodide reads only ``info`` and ``packages``).
    """
    # pyodide-lock's add_wheels_to_spec is what `pyodide lockfile add-wheels` runs; called in-process to save
    # a second interpreter start. It resolves each wheel's Requires-Dist for emscripten/3.14 and refuses a
    # dependency that is neither in the lock nor among the wheels.
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.spec import InfoSpec
    from pyodide_lock.utils import add_wheels_to_spec

    upstream = json.loads((NPM_PYODIDE / LOCK_NAME).read_text(encoding="utf-8"))
    empty = PyodideLockSpec(info=InfoSpec.from_dict(upstream["info"]), packages={})
    # pyodide-lock finds a wheel's import names from its .py files; our byte-compiled wheel has only .pyc files (it
    # would warn and record none): they come from the wheel's own top_level.txt instead, and none at all fails.
    quiet = _DropMessage("failed to parse top level import name")
    logging.getLogger("pyodide_lock.utils").addFilter(quiet)
    try:
        spec = add_wheels_to_spec(empty, wheels, base_path=out_dir)
    finally:
        logging.getLogger("pyodide_lock.utils").removeFilter(quiet)
    for package in spec.packages.values():
        if not package.imports:
            package.imports = _top_level_names(out_dir / package.file_name)
        if not package.imports:
            raise BuildError(f"{package.file_name}: no import names (no .py files and no top_level.txt)")
    lock_path = out_dir / LOCK_NAME
    spec.to_json(lock_path, indent=1)
    written = json.loads(lock_path.read_text(encoding="utf-8"))
    for package in written["packages"].values():
        if "://" in package["file_name"] or package["file_name"].startswith("/"):
            raise BuildError(f"lock entry {package['name']} points outside the runtime folder: {package['file_name']}")
    if stdlib is not None:
        written["nc_stdlib"] = {"file_name": stdlib.name, "sha256": sha256_of(stdlib)}
        lock_path.write_text(json.dumps(written, indent=1), encoding="utf-8")
    return lock_path


class _DropMessage(logging.Filter):
    """Drops log records whose message contains ``text``."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def filter(self, record: logging.LogRecord) -> bool:
        return self.text not in record.getMessage()


def _top_level_names(wheel: Path) -> list[str]:
    """The import names a wheel declares in ``*.dist-info/top_level.txt``, else its top-level packages and modules
    (a folder with ``__init__.pyc``, a ``.pyc`` at the root)."""
    with zipfile.ZipFile(wheel) as archive:
        listed = archive.namelist()
        names = [n for n in listed if n.endswith(".dist-info/top_level.txt")]
        if names:
            return [line.strip() for line in archive.read(names[0]).decode("utf-8").splitlines() if line.strip()]
        found = {n.split("/")[0] for n in listed if n.count("/") == 1 and n.endswith("/__init__.pyc")}
        found |= {n.removesuffix(".pyc") for n in listed if "/" not in n and n.endswith(".pyc")}
        return sorted(found)


def stored_wheel(source: Path) -> Path:
    """build/wheels-stored/<name>: wheel ``source`` with the same entries (bytes, order, timestamps) stored."""
    target = STORED_WHEEL_DIR / source.name
    STORED_WHEEL_DIR.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as wheel, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for info in wheel.infolist():
            data = wheel.read(info)
            info.compress_type = zipfile.ZIP_STORED
            out.writestr(info, data)
    if not (target.is_file() and target.read_bytes() == buffer.getvalue()):
        target.write_bytes(buffer.getvalue())
    return target


def brotli_size(path: Path) -> int:
    """The size of ``path`` compressed as scripts/precompress.py does (brotli 11), cached by content hash."""
    cache: dict[str, int] = {}
    if BROTLI_SIZES_CACHE.is_file():
        cache = json.loads(BROTLI_SIZES_CACHE.read_text(encoding="utf-8"))
    key = sha256_of(path)
    if key not in cache:
        cache[key] = len(brotli.compress(path.read_bytes(), quality=11, lgwin=22))
        BROTLI_SIZES_CACHE.parent.mkdir(parents=True, exist_ok=True)
        BROTLI_SIZES_CACHE.write_text(json.dumps(cache, sort_keys=True), encoding="utf-8")
    return int(cache[key])


def _gzip_size(path: Path, cache: dict[str, int]) -> int:
    key = sha256_of(path)
    if key not in cache:
        cache[key] = len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
    return cache[key]


def report_sizes(out_dir: Path) -> None:
    """Print raw and gzip sizes of everything a browser may fetch from the runtime folder."""
    cache: dict[str, int] = {}
    if GZIP_SIZES_CACHE.is_file():
        cache = json.loads(GZIP_SIZES_CACHE.read_text(encoding="utf-8"))
    rows = []
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        rows.append((str(path.relative_to(out_dir)), path.stat().st_size, _gzip_size(path, cache)))
    GZIP_SIZES_CACHE.parent.mkdir(parents=True, exist_ok=True)
    GZIP_SIZES_CACHE.write_text(json.dumps(cache), encoding="utf-8")
    width = max(len(name) for name, _, _ in rows)
    print(f"  {'file'.ljust(width)} {'raw':>12} {'gzip':>12}")
    for name, raw, packed in rows:
        print(f"  {name.ljust(width)} {raw:>12,} {packed:>12,}")
    runtime = [r for r in rows if r[0] in RUNTIME_FILES or re.fullmatch(r"python_stdlib-[0-9a-f]{12}\.zip", r[0])]
    wheels = [r for r in rows if r[0].startswith(WHEELS_SUBDIR + "/")]
    for label, group in (("runtime", runtime), ("wheels", wheels), ("total", rows)):
        print(f"  {label.ljust(width)} {sum(r[1] for r in group):>12,} {sum(r[2] for r in group):>12,}")


def build(site_dir: Path, test_manifest: Path | None = TEST_MANIFEST, *, quiet: bool = False) -> Path:
    """Copy the runtime, our wheel and the pinned wheels into site_dir/pyodide/<version>/; return that folder.

    test_manifest: where to tell scripts/pyodide_pytest.mjs about this runtime and the test wheels (None: nowhere;
    tests building into a temporary folder pass None so `make test-pyodide` keeps using site/).
    """
    started = time.perf_counter()
    version = pyodide_version()
    pins = load_pins()
    _check_pins_match_pyproject(pins)
    cached = fetch_pinned(pins)
    site_pins = [pin for pin in pins if pin.group == "site"]
    own, *compiled = compile_for_pyodide([build_own_wheel(), *(cached[pin.name] for pin in site_pins)])

    out_dir = site_dir / "pyodide" / version
    wheel_dir = out_dir / WHEELS_SUBDIR
    wheel_dir.mkdir(parents=True, exist_ok=True)
    expected: set[Path] = set()
    for name in RUNTIME_FILES:
        _copy_if_changed(NPM_PYODIDE / name, out_dir / name)
        expected.add(out_dir / name)
    stdlib = build_stdlib(out_dir / FULL_STDLIB, read_stdlib_list(), out_dir)
    expected.add(stdlib)
    shipped = []
    for pin, wheel in zip(site_pins, compiled, strict=True):
        source = cached[pin.name]
        stored = stored_wheel(source)
        chosen = wheel if brotli_size(wheel) <= brotli_size(stored) + COMPILED_EXTRA_BYTES else stored
        # Stored (and perhaps compiled), a pinned wheel's bytes are no longer PyPI's: its name carries their hash like
        # ours (tests/site/test_pyodide_build.py checks every file and module against the pinned wheel's).
        target = wheel_dir / _content_named(chosen)
        _copy_if_changed(chosen, target)
        shipped.append(target)
    own_target = wheel_dir / _content_named(own)
    _copy_if_changed(own, own_target)
    shipped.append(own_target)
    expected.update(shipped)
    expected.add(write_lock(out_dir, shipped, stdlib))

    # site/pyodide/ is ours alone: drop other versions and wheels left by earlier builds.
    for path in sorted((site_dir / "pyodide").rglob("*"), reverse=True):
        if path.is_file() and path not in expected:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()

    if test_manifest is not None:
        _write_test_manifest(test_manifest, version, out_dir, pins, cached)
    if not quiet:
        print(f"Pyodide {version} runtime + {len(shipped)} wheels in {out_dir} ({time.perf_counter() - started:.2f} s)")
        report_sizes(out_dir)
    return out_dir


def _write_test_manifest(
    path: Path, version: str, out_dir: Path, pins: list[PinnedWheel], cached: dict[str, Path]
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "pyodide_version": version,
        "runtime_dir": str(out_dir.relative_to(ROOT)) if out_dir.is_relative_to(ROOT) else str(out_dir),
        "lock_file": LOCK_NAME,
        "site_packages": [*sorted(_canonical(p.name) for p in pins if p.group == "site"), _canonical(OWN_PACKAGE)],
        "test_wheels": [
            {"name": p.name, "path": str(cached[p.name].relative_to(ROOT)), "sha256": p.sha256}
            for p in pins
            if p.group == "test"
        ],
    }
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python scripts/build_pyodide.py [--site-dir site]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="the built MkDocs site (default: site)")
    args = parser.parse_args(argv)
    if not args.site_dir.is_dir():
        print(f"{args.site_dir} does not exist: run `mkdocs build` first", file=sys.stderr)
        return 1
    try:
        build(args.site_dir.resolve())
    except (BuildError, subprocess.CalledProcessError) as error:
        print(f"build_pyodide: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
