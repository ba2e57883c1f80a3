"""The self-hosted Pyodide runtime folder that scripts/build_pyodide.py puts into the site.

With ``NC_SITE_DIR=site`` (``make test`` after ``make build``) the real ``site/pyodide/<version>/`` is checked;
otherwise the build script runs into a temporary folder. Node loads the runtime from that folder with every
request outside it refused, as the browser must.
"""

from __future__ import annotations

import _imp
import base64
import hashlib
import io
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import brotli
import pytest

from .sitelib import REPO

pytestmark = pytest.mark.site


def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_pyodide", REPO / "scripts" / "build_pyodide.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


build_pyodide = _load_build_script()

# Loads the runtime from argv[1] the way the site's worker does (lockFileURL + packageBaseUrl in that folder),
# records any request that would leave it, loads checklist-app and prints what happened as one JSON line.
NODE_SMOKE = r"""
const [runtimeDir] = process.argv.slice(1);
const remote = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, options) => {
  const url = String(resource instanceof Request ? resource.url : resource);
  if (/^(https?|wss?):/i.test(url)) { remote.push(url); throw new Error(`blocked ${url}`); }
  return realFetch(resource, options);
};
const t0 = performance.now();
const { loadPyodide } = await import(`file://${runtimeDir}/pyodide.mjs`);
const pyodide = await loadPyodide({
  indexURL: `${runtimeDir}/`,
  lockFileURL: `${runtimeDir}/pyodide-lock.json`,
  packageBaseUrl: `${runtimeDir}/`,
});
const started = performance.now();
const errors = [];
await pyodide.loadPackage(["checklist-app"], {
  messageCallback: () => {},
  errorCallback: (message) => errors.push(message),
});
const loaded = performance.now();
let version = null, file = null, platform = null;
if (!errors.length) {
  [version, file, platform] = pyodide.runPython(
    "import sys, checklist_app; [checklist_app.__version__, checklist_app.__file__, sys.platform]"
  ).toJs();
}
const imported = performance.now();
console.log(JSON.stringify({
  version, file, platform, errors, remote, loaded: Object.keys(pyodide.loadedPackages),
  start_s: (started - t0) / 1000, load_s: (loaded - started) / 1000, import_s: (imported - loaded) / 1000,
}));
"""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _run_node(runtime_dir: Path) -> dict[str, Any]:
    if shutil.which("node") is None:
        pytest.fail("node is not installed (make setup installs the npm packages; Node.js comes with the machine)")
    result = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_SMOKE, str(runtime_dir)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0 and lines, f"node failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    report: dict[str, Any] = json.loads(lines[-1])
    return report


@pytest.fixture(scope="module")
def runtime_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """site/pyodide/<version>/ of ``$NC_SITE_DIR`` when set, else a fresh build into a temporary site folder."""
    version = build_pyodide.pyodide_version()
    given = os.environ.get("NC_SITE_DIR")
    if given:
        folder = REPO / given / "pyodide" / version
        if not (folder / build_pyodide.LOCK_NAME).is_file():
            pytest.fail(f"{folder} has no {build_pyodide.LOCK_NAME}: run `make build` first")
        return Path(folder)
    site = tmp_path_factory.mktemp("pyodide-site")
    return Path(build_pyodide.build(site, test_manifest=None, quiet=True))


@pytest.fixture(scope="module")
def lock(runtime_dir: Path) -> dict[str, Any]:
    """The generated pyodide-lock.json."""
    data: dict[str, Any] = json.loads((runtime_dir / build_pyodide.LOCK_NAME).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def project() -> dict[str, Any]:
    """pyproject.toml's [project] table."""
    data: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return data


@pytest.fixture(scope="module")
def site_pins() -> dict[str, Any]:
    """wheels.lock's "site" group by canonical name."""
    return {_canonical(p.name): p for p in build_pyodide.load_pins() if p.group == "site"}


def test_lock_lists_exactly_our_packages(lock: dict[str, Any], site_pins: dict[str, Any]) -> None:
    """The lock holds checklist-app and the pinned site wheels, nothing from upstream's 357 packages."""
    assert set(lock["packages"]) == {"checklist-app", *site_pins}


def test_lock_versions_are_the_pinned_versions(
    lock: dict[str, Any], site_pins: dict[str, Any], project: dict[str, Any]
) -> None:
    """Every package in the lock has the version wheels.lock (or pyproject, for ours) pins."""
    expected = {name: pin.version for name, pin in site_pins.items()} | {"checklist-app": project["version"]}
    assert {name: entry["version"] for name, entry in lock["packages"].items()} == expected


def test_checklist_app_depends_on_its_declared_dependencies(lock: dict[str, Any], project: dict[str, Any]) -> None:
    """The lock's dependency list for checklist-app is pyproject's dependencies, so loading it loads them."""
    declared = {
        _canonical(re.split(r"[=<>!~;\s\[]", requirement, maxsplit=1)[0]) for requirement in project["dependencies"]
    }
    assert set(lock["packages"]["checklist-app"]["depends"]) == declared


def test_every_tool_form_names_its_wheels_with_their_dependencies(lock: dict[str, Any]) -> None:
    """The worker loads exactly what a page's forms name (data-nc-packages): each list holds its own dependencies."""
    from checklist_app.tools.forms import FORMS

    for name, form in FORMS.items():
        for package in form.packages:
            missing = set(lock["packages"][package].get("depends", [])) - set(form.packages)
            assert not missing, (name, package, missing)


def test_every_wheel_in_the_lock_is_shipped_with_its_sha256(runtime_dir: Path, lock: dict[str, Any]) -> None:
    """Each file_name exists under the runtime folder and its bytes hash to the lock's sha256."""
    mismatched = {
        name: entry["file_name"]
        for name, entry in lock["packages"].items()
        if not (runtime_dir / entry["file_name"]).is_file()
        or _sha256(runtime_dir / entry["file_name"]) != entry["sha256"]
    }
    assert mismatched == {}


def test_every_wheel_is_stored_and_served_with_brotli(runtime_dir: Path, lock: dict[str, Any]) -> None:
    """Wheels hold stored entries (scripts/build_pyodide.py) and have a brotli variant that is smaller than the wheel
    deflated would be (what a phone downloads: scripts/precompress.py, scripts/serve.py)."""
    for entry in lock["packages"].values():
        wheel = runtime_dir / entry["file_name"]
        with zipfile.ZipFile(wheel) as archive:
            assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}, wheel.name
            deflated = io.BytesIO()
            with zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
                for info in archive.infolist():
                    out.writestr(info.filename, archive.read(info))
        variant = wheel.with_name(wheel.name + ".br")
        assert variant.is_file(), variant
        assert brotli.decompress(variant.read_bytes()) == wheel.read_bytes()
        assert variant.stat().st_size < len(deflated.getvalue()), wheel.name


def test_shipped_pinned_wheels_match_the_pinned_hashes(
    runtime_dir: Path, lock: dict[str, Any], site_pins: dict[str, Any]
) -> None:
    """Each third-party wheel served is the one pinned in wheels.lock, its entries stored (for brotli over the whole
    file) and perhaps byte-compiled: every other file is identical, every module is the pinned source or a pyc whose
    PEP 552 source hash is the pinned source's, and the name carries its own content hash. idna is shipped compiled
    (scripts/build_pyodide.py says why)."""
    problems: dict[str, str] = {}
    compiled_names = []
    for name, pin in site_pins.items():
        shipped = runtime_dir / lock["packages"][name]["file_name"]
        if _sha256(shipped) == pin.sha256:
            continue
        compiled_names.append(name)
        pinned = REPO / "build" / "wheels-cache" / pin.file
        assert _sha256(pinned) == pin.sha256, f"{pinned} is not the pinned wheel"
        assert shipped.name.split("-")[2] == "0" + _sha256(shipped)[:12], shipped.name
        with zipfile.ZipFile(pinned) as source, zipfile.ZipFile(shipped) as served:
            originals = {i.filename: source.read(i) for i in source.infolist()}
            for info in served.infolist():
                data = served.read(info)
                if info.filename.endswith(".dist-info/RECORD"):
                    continue
                if info.filename.endswith(".pyc") and info.filename[:-1] in originals:
                    code = originals.pop(info.filename[:-1])
                    # The hash is keyed by the pyc's own magic number (Pyodide's CPython, not this one).
                    if data[8:16] != _imp.source_hash(int.from_bytes(data[:4], "little"), code):
                        problems[info.filename] = "pyc of another source"
                elif originals.pop(info.filename, None) != data:
                    problems[info.filename] = "not in the pinned wheel, or changed"
            leftover = [n for n in originals if not n.endswith(".dist-info/RECORD")]
            if leftover:
                problems[f"{name} (missing)"] = ", ".join(leftover[:5])
    assert problems == {}
    assert "idna" in compiled_names


def test_lock_file_names_stay_inside_the_runtime_folder(lock: dict[str, Any]) -> None:
    """No wheel is named by an absolute URL or path, so none can be fetched from a CDN or another host."""
    outside = [
        e["file_name"]
        for e in lock["packages"].values()
        if "://" in e["file_name"] or e["file_name"].startswith(("/", ".."))
    ]
    assert outside == []


def test_lock_info_is_the_runtime_s_own(lock: dict[str, Any]) -> None:
    """The info block (Python, ABI, platform) is copied from the npm runtime's lock, so Pyodide accepts the lock."""
    upstream = json.loads((build_pyodide.NPM_PYODIDE / build_pyodide.LOCK_NAME).read_text(encoding="utf-8"))
    assert lock["info"] == upstream["info"]


def test_runtime_files_are_the_pinned_npm_files(runtime_dir: Path) -> None:
    """pyodide.mjs, the asm glue, the wasm and the stdlib are the node_modules/pyodide files, byte for byte."""
    differing = [
        name
        for name in build_pyodide.RUNTIME_FILES
        if _sha256(runtime_dir / name) != _sha256(build_pyodide.NPM_PYODIDE / name)
    ]
    assert differing == []


def test_runtime_folder_holds_only_what_the_browser_needs(runtime_dir: Path, lock: dict[str, Any]) -> None:
    """Nothing else (old wheels, source maps, the upstream lock) is left in the immutable folder."""
    # scripts/precompress.py's .br/.gz variants of these files are served only by negotiation: not files of their own.
    variant = lambda p: p.suffix in {".br", ".gz"} and p.with_suffix("").is_file()  # noqa: E731
    present = {str(p.relative_to(runtime_dir)) for p in runtime_dir.rglob("*") if p.is_file() and not variant(p)}
    wanted = {
        *build_pyodide.RUNTIME_FILES,
        lock["nc_stdlib"]["file_name"],
        build_pyodide.LOCK_NAME,
        *(e["file_name"] for e in lock["packages"].values()),
    }
    assert present == wanted


def test_own_wheel_name_carries_its_content_hash(runtime_dir: Path, lock: dict[str, Any]) -> None:
    """checklist_app's file name changes with its bytes, so an immutable cache can never serve a stale wheel."""
    file_name = lock["packages"]["checklist-app"]["file_name"]
    build_tag = Path(file_name).name.split("-")[2]
    assert build_tag == "0" + _sha256(runtime_dir / file_name)[:12]


def test_load_pins_rejects_a_compiled_wheel(tmp_path: Path) -> None:
    """A pin whose file is not a py3-none-any wheel is refused: it could not load in Pyodide."""
    pins = tmp_path / "wheels.lock"
    pins.write_text(
        '[[wheel]]\ngroup = "test"\nname = "hypothesis"\nversion = "6.170.17"\n'
        'file = "hypothesis-6.170.17-cp313-cp313-manylinux_2_17_x86_64.whl"\nsha256 = "' + "0" * 64 + '"\n',
        encoding="utf-8",
    )
    with pytest.raises(build_pyodide.BuildError, match="not a pure-Python wheel"):
        build_pyodide.load_pins(pins)


def test_node_imports_checklist_app_from_the_site_runtime(runtime_dir: Path, project: dict[str, Any]) -> None:
    """Node loads the runtime and checklist-app from the folder alone and imports the package from the wheel."""
    report = _run_node(runtime_dir)
    assert (report["errors"], report["remote"], report["platform"], report["version"]) == (
        [],
        [],
        "emscripten",
        project["version"],
    )
    assert "/site-packages/checklist_app/" in report["file"]


def test_missing_wheel_fails_loudly_instead_of_using_a_cdn(runtime_dir: Path, tmp_path: Path) -> None:
    """With one dependency's wheel gone, loading reports an error and no request leaves the folder."""
    copy = tmp_path / "runtime"
    shutil.copytree(runtime_dir, copy)
    lock = json.loads((copy / build_pyodide.LOCK_NAME).read_text(encoding="utf-8"))
    (copy / lock["packages"]["jpholiday"]["file_name"]).unlink()
    report = _run_node(copy)
    assert report["remote"] == [] and report["version"] is None
    assert any("jpholiday" in message for message in report["errors"])


def _own_wheel(runtime_dir: Path, lock: dict[str, Any]) -> Path:
    return runtime_dir / lock["packages"]["checklist-app"]["file_name"]


def test_every_lock_entry_names_its_import_names(lock: dict[str, Any]) -> None:
    """Each package lists what it is imported as (checklist_app's comes from top_level.txt: its wheel has no .py)."""
    imports = {name: entry["imports"] for name, entry in lock["packages"].items()}
    assert imports["checklist-app"] == ["checklist_app"]
    assert imports["dnspython"] == ["dns"] and imports["python-dateutil"] == ["dateutil"]
    assert all(imports.values())


def test_own_wheel_holds_a_compiled_module_for_every_source_module(runtime_dir: Path, lock: dict[str, Any]) -> None:
    """checklist_app ships byte-compiled (scripts/pyodide_compile.py): one unchecked-hash .pyc per module of the
    repo's package, no .py, and a RECORD whose hashes and sizes match every file (read back with zipfile)."""
    sources = {f"{p.relative_to(REPO).as_posix()}c" for p in (REPO / "checklist_app").rglob("*.py")}
    with zipfile.ZipFile(_own_wheel(runtime_dir, lock)) as wheel:
        names = wheel.namelist()
        assert {n for n in names if n.endswith((".py", ".pyc"))} == sources
        for name in sources:
            header = wheel.read(name)[:16]
            assert int.from_bytes(header[4:8], "little") == 0b01, name  # PEP 552: hash-based, unchecked
        record_name = next(n for n in names if n.endswith(".dist-info/RECORD"))
        rows = [line.split(",") for line in wheel.read(record_name).decode("utf-8").splitlines()]
        assert sorted(row[0] for row in rows) == sorted(names)
        for path, digest, size in rows:
            if path == record_name:
                assert (digest, size) == ("", "")
                continue
            data = wheel.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
            assert (digest, int(size)) == (f"sha256={expected}", len(data)), path


# The worker's way (docs/assets/py-worker.js): the wheel file written before Python starts (fsInit), a .pth putting it
# on sys.path, the package imported from the zip. Then, inside Pyodide's CPython, each compiled module's magic and
# source hash are compared with the repo's source (mounted read-only at /repo).
NODE_ZIP_IMPORT = r"""
import { readFileSync } from "node:fs";
const [runtimeDir, wheelPath, repo] = process.argv.slice(1);
const { loadPyodide } = await import(`file://${runtimeDir}/pyodide.mjs`);
const bytes = new Uint8Array(readFileSync(wheelPath));
const pyodide = await loadPyodide({
  indexURL: `${runtimeDir}/`, lockFileURL: `${runtimeDir}/pyodide-lock.json`, packageBaseUrl: `${runtimeDir}/`,
  fsInit: (FS, { sitePackages }) => {
    FS.writeFile("/lib/checklist_app.whl", bytes);
    FS.writeFile(`${sitePackages}/checklist_app.pth`, "/lib/checklist_app.whl\n");
  },
});
await pyodide.loadPackage("jpholiday"); // the worker loads it on every page: the checklist's plan needs it
pyodide.FS.mkdirTree("/repo");
pyodide.mountNodeFS("/repo", repo);
console.log(pyodide.runPython(`
import importlib.util, json, zipfile
import checklist_app.browser as browser
ping = json.loads(browser.dispatch(json.dumps({"op": "ping"})))
wrong = []
with zipfile.ZipFile("/lib/checklist_app.whl") as wheel:
    for name in wheel.namelist():
        if name.endswith(".pyc"):
            pyc = wheel.read(name)
            source = open("/repo/" + name[:-1], "rb").read()
            if pyc[:4] != importlib.util.MAGIC_NUMBER or pyc[8:16] != importlib.util.source_hash(source):
                wrong.append(name)
import jpholiday
docs = {"browser": browser.__doc__, "dispatch": browser.dispatch.__doc__, "jpholiday": bool(jpholiday.is_holiday.__doc__)}
def code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_positions"):
            yield from code_objects(const)
def lines_and_columns(module, source):
    shipped = {c.co_qualname: c for c in code_objects(module.__loader__.get_code(module.__name__))}
    fresh = {c.co_qualname: c for c in code_objects(compile(source, "x", "exec", optimize=2))}
    columns = sorted({p[2:] for c in shipped.values() for p in c.co_positions()} - {(None, None)})
    same = all(sorted({l for _s, _e, l in shipped[q].co_lines()} - {None})
               == sorted({l for _s, _e, l in fresh[q].co_lines()} - {None}) for q in fresh)
    return {"columns": columns, "same_lines": same and set(shipped) == set(fresh), "codes": len(shipped)}
positions = lines_and_columns(browser, open("/repo/checklist_app/browser.py", "rb").read())
json.dumps({"ping": ping.get("ok"), "origin": browser.__spec__.origin, "wrong": wrong, "docs": docs,
            "positions": positions})
`));
"""


def test_pyodide_imports_the_compiled_modules_from_the_zip(runtime_dir: Path, lock: dict[str, Any]) -> None:
    """In Pyodide (Node), imported the worker's way, checklist_app comes from the .pyc inside the wheel, answers a
    ping, and every .pyc carries Pyodide's magic number and the hash of the repo's source of that module. Our package
    is compiled with optimize=2 (no docstrings); a pinned wheel compiled by the build keeps its own. Code objects
    keep every line number of the source and carry no column ranges."""
    result = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_ZIP_IMPORT, str(runtime_dir), str(_own_wheel(runtime_dir, lock)),
         str(REPO)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0 and lines, f"node failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    report = json.loads(lines[-1])
    assert report["ping"] is True
    assert report["origin"] == "/lib/checklist_app.whl/checklist_app/browser.pyc"
    assert report["wrong"] == []
    assert report["docs"] == {"browser": None, "dispatch": None, "jpholiday": True}
    # No column ranges (PYTHONNODEBUGRANGES at compile time: bytes), every line number as compiled from the source.
    assert report["positions"]["codes"] > 10
    assert report["positions"]["columns"] == [] and report["positions"]["same_lines"] is True


def test_the_own_wheel_ships_provider_toml_byte_for_byte(runtime_dir: Path, lock: dict[str, Any]) -> None:
    """The byte-compiled wheel keeps checklist_app/provider.toml as is: the browser reads the file CPython reads."""
    with zipfile.ZipFile(_own_wheel(runtime_dir, lock)) as wheel:
        shipped = wheel.read("checklist_app/provider.toml")
    assert shipped == (REPO / "checklist_app" / "provider.toml").read_bytes()


# --- the trimmed standard library (scripts/stdlib-modules.txt, the import audit) --------------------------------


def _trimmed(runtime_dir: Path, lock: dict[str, Any]) -> Path:
    return runtime_dir / lock["nc_stdlib"]["file_name"]


def _module_names(names: list[str]) -> set[str]:
    audit = importlib.util.spec_from_file_location("stdlib_audit", REPO / "scripts" / "stdlib_audit.py")
    assert audit is not None and audit.loader is not None
    module = importlib.util.module_from_spec(audit)
    audit.loader.exec_module(module)
    found: set[str] = module.stdlib_module_names(names)
    return found


def test_trimmed_stdlib_holds_exactly_the_audited_modules(runtime_dir: Path, lock: dict[str, Any]) -> None:
    """The audit (scripts/stdlib-modules.txt) and the zip agree: every audited module and its packages, the fallback
    finder, nothing else; each module is the full zip's module byte-compiled by this runtime (the magic number of
    our own wheel's .pyc files, unchecked-hash), each other file the full zip's, all stored for the server's brotli."""
    audited = build_pyodide.read_stdlib_list()
    packages = {".".join(name.split(".")[:i]) for name in audited for i in range(1, name.count(".") + 1)}
    with zipfile.ZipFile(_own_wheel(runtime_dir, lock)) as wheel:
        magic = wheel.read("checklist_app/browser.pyc")[:4]
    with zipfile.ZipFile(_trimmed(runtime_dir, lock)) as trimmed, zipfile.ZipFile(
        runtime_dir / build_pyodide.FULL_STDLIB
    ) as full:
        names = trimmed.namelist()
        assert _module_names(names) == audited | packages | {build_pyodide.FALLBACK_MODULE}
        assert not [name for name in names if name.endswith(".py")]  # sourceless: nothing compiled in the browser
        full_names = set(full.namelist())
        for info in trimmed.infolist():
            assert info.compress_type == zipfile.ZIP_STORED, info.filename
            if info.filename.endswith(".pyc"):
                header = trimmed.read(info)[:8]
                assert header[:4] == magic and int.from_bytes(header[4:8], "little") == 0b01, info.filename
                fallback = info.filename == f"{build_pyodide.FALLBACK_MODULE}.pyc"
                assert fallback or info.filename[:-1] in full_names, info.filename
            elif not info.is_dir():
                assert trimmed.read(info) == full.read(info.filename), info.filename
    assert len(audited) > 50  # the audit found something (a list emptied by mistake would still "agree")


def test_trimmed_stdlib_is_named_by_its_content_and_listed_in_the_lock(runtime_dir: Path, lock: dict[str, Any]) -> None:
    path = _trimmed(runtime_dir, lock)
    digest = _sha256(path)
    assert lock["nc_stdlib"]["sha256"] == digest
    assert path.name == f"python_stdlib-{digest[:12]}.zip"
    variant = path.with_name(path.name + ".br")  # scripts/precompress.py's, served to browsers that accept brotli
    if variant.is_file():
        assert variant.stat().st_size < (runtime_dir / build_pyodide.FULL_STDLIB).stat().st_size * 0.6


def test_build_refuses_a_module_list_naming_an_unknown_module(runtime_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(build_pyodide.BuildError, match="no_such_module"):
        build_pyodide.build_stdlib(runtime_dir / build_pyodide.FULL_STDLIB, {"json", "no_such_module"}, tmp_path)


# The worker's way with the trimmed stdlib (stdLibURL) and the fallback finder: every site wheel loaded, every
# page's module imported and every tool run; then modules the trimmed zip lacks are imported through the fallback.
NODE_TRIMMED = r"""
const [runtimeDir, stdlibName] = process.argv.slice(1);
const { loadPyodide } = await import(`file://${runtimeDir}/pyodide.mjs`);
const pyodide = await loadPyodide({
  indexURL: `${runtimeDir}/`, lockFileURL: `${runtimeDir}/pyodide-lock.json`, packageBaseUrl: `${runtimeDir}/`,
  stdLibURL: `${runtimeDir}/${stdlibName}`,
});
pyodide.FS.mkdirTree("/runtime");
pyodide.mountNodeFS("/runtime", runtimeDir);
pyodide.runPython(`
import _nc_stdlib_fallback
fetched = []
def fetch(url):
    fetched.append(url)
    return open("/runtime/python_stdlib.zip", "rb").read()
finder = _nc_stdlib_fallback.install("https://example.invalid/python_stdlib.zip", fetch)
`);
const errors = [];
await pyodide.loadPackage(["checklist-app", "dnspython"], { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
console.log(pyodide.runPython(`
import json
import _pyodide._base
from checklist_app import browser, schedule
from checklist_app.tools import dnscheck as webdns
samples = {
    "hosts": {"domain": "example.co.jp", "ip": ["133.0.0.1"], "os": "windows", "today": "2026-12-01"},
    "mail": {"addresses": ["taro@example.co.jp"], "protocol": "pop", "client": "thunderbird", "today": "2026-12-01"},
    "schedule": {"applied": "2026-12-21", "today": "2026-12-01"},
    "stafflink": {"tool": "hosts", "domain": "example.co.jp", "ip": ["133.0.0.1"], "today": "2026-12-01"},
}
answers = {t: json.loads(browser.dispatch(json.dumps({"op": "tool", "tool": t, "params": p, "lang": "en"})))["ok"]
           for t, p in samples.items()}
before = list(finder.loaded)
fetched_before = len(fetched)
import difflib, email.mime.text  # not in the trimmed zip: a whole module and a submodule of a trimmed package
diff = "".join(difflib.unified_diff(["a\\n"], ["b\\n"]))
mime = email.mime.text.MIMEText("x")["Content-Type"]
import traceback, zipfile
try:
    json.loads('{"a": }')
except ValueError as error:
    frames = [(f.filename.rsplit("/", 2)[-2:], f.lineno, f.colno) for f in traceback.extract_tb(error.__traceback__)]
with zipfile.ZipFile("/runtime/python_stdlib.zip") as full:
    decoder = full.read("json/decoder.py").decode().splitlines()
stdlib_lines = [decoder[lineno - 1].strip() for where, lineno, _col in frames if where == ["json", "decoder.py"]]
try:
    import no_such_module_anywhere
    unknown = "imported"
except ImportError:
    unknown = "ImportError"
json.dumps({"answers": answers, "before": before, "fetched_before": fetched_before, "after": finder.loaded,
            "fetched": len(fetched), "diff": bool(diff), "mime": mime, "unknown": unknown,
            "difflib": difflib.__file__, "docstrings": [m.__doc__ for m in (json, difflib, email.mime.text)],
            "pyodide_doc": bool(_pyodide._base.eval_code.__doc__), "frames": frames, "stdlib_lines": stdlib_lines})
`));
"""


def test_the_pages_run_on_the_trimmed_stdlib_and_a_missing_module_falls_back(
    runtime_dir: Path, lock: dict[str, Any]
) -> None:
    """Every tool answers with only the trimmed zip (the fallback is never asked); a module it lacks still imports,
    from the full zip fetched once, compiled like the trimmed zip's (no docstrings: email.mime.text imports
    email.policy, which extends email._policybase's docstrings, and broke with only one side stripped); an import
    no standard library has fails as usual and fetches nothing."""
    result = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_TRIMMED, str(runtime_dir), lock["nc_stdlib"]["file_name"]],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0 and lines, f"node failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    report = json.loads(lines[-1])
    assert report["answers"] == {"hosts": True, "mail": True, "schedule": True, "stafflink": True}
    assert (report["before"], report["fetched_before"]) == ([], 0)
    assert "difflib" in report["after"] and "email.mime" in report["after"]  # email.mime.text: then from its package
    assert report["fetched"] == 1 and report["diff"] is True and report["mime"].startswith("text/plain")
    assert report["unknown"] == "ImportError"
    assert report["difflib"].startswith("/lib/python_stdlib_full.zip/")
    # Compiled as with `python -OO` on both sides (trimmed zip and fallback), Pyodide's own package aside.
    assert report["docstrings"] == [None, None, None] and report["pyodide_doc"] is True
    # A traceback through the trimmed zip names each stdlib frame's line (the source's line there raises or calls
    # on); no column ranges are shipped (PYTHONNODEBUGRANGES at compile time), so no frame has a column.
    stdlib_frames = [frame for frame in report["frames"] if frame[0] == ["json", "decoder.py"]]
    assert len(stdlib_frames) >= 2 and all(lineno and col is None for _where, lineno, col in stdlib_frames)
    assert report["stdlib_lines"][0].startswith("obj, end = self.raw_decode(")
    assert report["stdlib_lines"][-1].startswith("raise JSONDecodeError(")
