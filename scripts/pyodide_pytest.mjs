// Run the project's unit tests INSIDE Pyodide under Node: `node scripts/pyodide_pytest.mjs [pytest args]`.
//
// Loads the runtime that `make build` put into site/pyodide/<version>/ (scripts/build_pyodide.py), installs
// checklist_app and its dependencies from that folder's pyodide-lock.json exactly as the browser does, adds the
// pinned test wheels (pytest, hypothesis, ...) from build/wheels-cache/, mounts the repository with mountNodeFS and
// calls pytest.main on tests/ minus the real-part folders (site, browser, dns, engines) and the `slow` marker.
// Exit code: pytest's own; 5 (no tests collected) is reported as a failure, as is any package that fails to load.
// Nothing is fetched from the network: fetch() is replaced by a guard that fails on any http(s) URL.
// It tests the wheel as built by the last `make build`, not the working tree: `make test-pyodide` builds first.
// Extra arguments are appended to pytest's (e.g. `-x`, `-k storage`, `--deselect tests/test_x.py::test_y`).
//
// Import audit (scripts/stdlib_audit.py): Python starts from the full standard library (python_stdlib.zip), the
// audit records every import from the moment Python runs, and after the tests every tool runs once more. Any
// standard-library module our package or its wheels imported that scripts/stdlib-modules.txt (the site's trimmed
// python_stdlib.zip) lacks fails the run. `--audit FILE` (before the pytest arguments) also writes the audited list
// to FILE: `make stdlib-audit` writes scripts/stdlib-modules.txt that way.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MANIFEST = path.join(ROOT, "build", "pyodide-test", "manifest.json");
// Real-part tests need CPython, servers or a browser; the slow properties run in CPython only.
const EXCLUDED_DIRS = ["tests/site", "tests/browser", "tests/dns", "tests/engines"];

function fail(message, code = 1) {
  process.stderr.write(`pyodide_pytest: ${message}\n`);
  process.exit(code);
}

// Any attempt to reach the network (the CDN fallback included) is a bug: fail loudly instead.
const blockedRequests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, options) => {
  const url = String(resource instanceof Request ? resource.url : resource);
  if (/^(https?|wss?):/i.test(url)) {
    blockedRequests.push(url);
    throw new Error(`pyodide_pytest: blocked network request to ${url}`);
  }
  return realFetch(resource, options);
};

if (!existsSync(MANIFEST)) {
  fail(`${path.relative(ROOT, MANIFEST)} is missing: run \`make build\` (scripts/build_pyodide.py) first`);
}
const manifest = JSON.parse(readFileSync(MANIFEST, "utf8"));
const runtimeDir = path.resolve(ROOT, manifest.runtime_dir);
if (!existsSync(path.join(runtimeDir, "pyodide.mjs"))) {
  fail(`${runtimeDir} holds no Pyodide runtime (site/ rebuilt since?): run \`make build\` first`);
}
let auditFile = null;
const extraArgs = process.argv.slice(2);
if (extraArgs[0] === "--audit") {
  auditFile = path.resolve(extraArgs[1] || fail("--audit needs a file name"));
  extraArgs.splice(0, 2);
}
const MODULE_LIST = path.join(ROOT, "scripts", "stdlib-modules.txt");
const fullStdlib = path.join(runtimeDir, "python_stdlib.zip");
if (!existsSync(fullStdlib)) fail(`${fullStdlib} is missing: run \`make build\` first`);

const t0 = performance.now();
const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);

let pyodide;
try {
  pyodide = await loadPyodide({
    indexURL: runtimeDir + path.sep,
    lockFileURL: path.join(runtimeDir, manifest.lock_file),
    // Without packageBaseUrl a wheel missing from the folder silently falls back to the jsDelivr CDN.
    packageBaseUrl: runtimeDir + path.sep,
    // The whole standard library: pytest and hypothesis need much more than the site's trimmed zip holds.
    stdLibURL: fullStdlib,
    env: { PYTHONDONTWRITEBYTECODE: "1", HOME: "/home/pyodide" },
  });
} catch (error) {
  fail(`Pyodide did not start: ${error}`);
}
const tStarted = performance.now();

// The import audit starts before any package is loaded (its baseline: what Python imported to start).
pyodide.globals.set("_AUDIT_SOURCE", readFileSync(path.join(ROOT, "scripts", "stdlib_audit.py"), "utf8"));
pyodide.runPython(`
import sys, types
_audit_module = types.ModuleType("stdlib_audit")
sys.modules["stdlib_audit"] = _audit_module
exec(compile(_AUDIT_SOURCE, "scripts/stdlib_audit.py", "exec"), _audit_module.__dict__)
_AUDIT = _audit_module.install()
del _AUDIT_SOURCE
`);

// loadPackage reports failures through errorCallback instead of throwing: collect them and stop.
const loadErrors = [];
await pyodide.loadPackage(manifest.site_packages, {
  messageCallback: () => {},
  errorCallback: (message) => loadErrors.push(message),
});
const missing = manifest.site_packages.filter((name) => !(name in pyodide.loadedPackages));
if (loadErrors.length || missing.length) {
  fail(`site packages failed to load (${missing.join(", ")}):\n  ${loadErrors.join("\n  ")}`);
}
const tSitePackages = performance.now();

// unpackArchive extracts into the working directory unless told where site-packages is.
const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
for (const wheel of manifest.test_wheels) {
  const file = path.resolve(ROOT, wheel.path);
  if (!existsSync(file)) fail(`test wheel ${wheel.path} is missing: run scripts/build_pyodide.py`);
  const bytes = readFileSync(file);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== wheel.sha256) fail(`${wheel.path}: sha256 ${digest} does not match the pin ${wheel.sha256}`);
  // unpackArchive wants a Uint8Array; a Node Buffer is rejected.
  pyodide.unpackArchive(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), "wheel", {
    extractDir: sitePackages,
  });
}

// Pass pytest's output through unchanged (no line batching, no extra newlines).
const passThrough = (stream) => ({
  write: (buffer) => {
    stream.write(buffer);
    return buffer.length;
  },
});
pyodide.setStdout(passThrough(process.stdout));
pyodide.setStderr(passThrough(process.stderr));

pyodide.FS.mkdirTree(ROOT);
pyodide.mountNodeFS(ROOT, ROOT);

const pytestArgs = [
  path.join(ROOT, "tests"),
  ...EXCLUDED_DIRS.flatMap((dir) => ["--ignore", path.join(ROOT, dir)]),
  "-m",
  "not slow",
  "-p",
  "no:cacheprovider",
  // The runner imports hypothesis before pytest starts (to set its profile), so pytest cannot rewrite it.
  "-W",
  "ignore::pytest.PytestAssertRewriteWarning",
  "--rootdir",
  ROOT,
  "-c",
  path.join(ROOT, "pyproject.toml"),
  ...extraArgs,
];
pyodide.globals.set("PYTEST_ARGS", pyodide.toPy(pytestArgs));

const tImport = performance.now();
// A PythonError's message is the Python traceback; print that, not Node's dump of the minified runtime.
function runPython(code) {
  try {
    return pyodide.runPython(code);
  } catch (error) {
    fail(error?.message ?? String(error));
  }
}

const importSeconds = runPython(`
import time as _time
_t = _time.perf_counter()
import checklist_app
_elapsed = _time.perf_counter() - _t
_elapsed
`);
const tBeforeTests = performance.now();
const seconds = (a, b) => ((b - a) / 1000).toFixed(2);
// Timings go first so that pytest's summary stays the last line of the output.
process.stdout.write(
  `pyodide_pytest: runtime start ${seconds(t0, tStarted)} s, site packages ${seconds(tStarted, tSitePackages)} s, ` +
    `import checklist_app ${importSeconds.toFixed(2)} s (${seconds(tImport, tBeforeTests)} s wall)\n`,
);

const code = runPython(`
import os
import sys

# Tests must exercise the installed wheel, not the mounted sources: checklist_app is already imported from
# site-packages, so a sys.path entry pytest adds for the repository cannot shadow it.
sys.dont_write_bytecode = True
if "site-packages" not in checklist_app.__file__:
    raise SystemExit(f"checklist_app was imported from {checklist_app.__file__}, not from the wheel")
print(f"pyodide_pytest: Python {sys.version.split()[0]} on {sys.platform}, checklist_app "
      f"{checklist_app.__version__} from {os.path.dirname(checklist_app.__file__)}", flush=True)
# Run from the repository so paths read as in CPython, but keep Hypothesis's example database in Pyodide's
# memory file system rather than writing it into the mounted repository.
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = "/tmp/hypothesis"
os.chdir(${JSON.stringify(ROOT)})

# Python in WebAssembly runs a few times slower than CPython, more so on a loaded CI machine: Hypothesis's
# 200 ms per-example deadline would make timing, not behaviour, fail. A conftest that loads its own profile wins.
from hypothesis import settings

settings.register_profile("pyodide", deadline=None)
settings.load_profile("pyodide")

import pytest

_code = int(pytest.main(list(PYTEST_ARGS)))
sys.stdout.flush()
sys.stderr.flush()
_code
`);

// Every tool once more, as the pages run them (the audit's second source), then the audited list.
const audited = runPython(`
import json
import zipfile

from checklist_app import browser as _browser
from checklist_app.tools import dnscheck as _webdns  # noqa: F401 - the DNS page's module
from checklist_app.tools import TOOLS as _TOOLS

_today = "2026-12-01"
_samples = {
    "hosts": {"domain": "example.co.jp", "ip": ["133.0.0.1"], "os": "windows", "today": _today},
    "mail": {"addresses": ["taro@example.co.jp"], "protocol": "imap", "client": "apple", "today": _today},
    "schedule": {"applied": "2026-12-21", "today": _today},
    "stafflink": {"tool": "schedule", "applied": "2026-12-21", "today": _today},
}
for _tool in _TOOLS:
    for _lang in ("ja", "en"):
        _browser.dispatch(json.dumps({"op": "tool", "tool": _tool, "params": _samples[_tool], "lang": _lang}))
_browser.dispatch(json.dumps({"op": "ping"}))
_AUDIT.stop()
with zipfile.ZipFile(f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip") as _zip:
    _stdlib = _audit_module.stdlib_module_names(_zip.namelist())
json.dumps(_AUDIT.needed(_stdlib))
`);
const needed = JSON.parse(audited);
if (auditFile) {
  if (code !== 0) fail(`pytest failed (exit ${code}): the audit is written only after a passing run`, code || 1);
  const header =
    "# Standard-library modules the site's trimmed python_stdlib-<hash>.zip holds: written by `make stdlib-audit`\n" +
    "# (scripts/stdlib_audit.py inside Pyodide: the test suite and every tool). Do not edit by hand.\n";
  writeFileSync(auditFile, header + needed.join("\n") + "\n");
  process.stdout.write(`pyodide_pytest: ${needed.length} standard-library modules audited, written to ${auditFile}\n`);
}
const listed = new Set(existsSync(MODULE_LIST) ? readFileSync(MODULE_LIST, "utf8").split(/\s+/).filter(Boolean) : []);
const unlisted = needed.filter((name) => !listed.has(name));
if (unlisted.length && !auditFile) {
  fail(
    `the import audit found standard-library modules that scripts/stdlib-modules.txt (the site's trimmed ` +
      `python_stdlib.zip) lacks: ${unlisted.join(", ")}. Run \`make stdlib-audit\`, then \`make build\`.`,
    3,
  );
}

if (blockedRequests.length) {
  fail(`network requests were attempted and blocked: ${blockedRequests.join(", ")}`);
}
if (code === 5) {
  fail("pytest collected no tests (exit 5): treated as a failure", 5);
}
process.exit(code);
