// Byte-compile pure-Python wheels with Pyodide's own CPython, under Node:
//   node scripts/pyodide_compile.mjs <source.whl> <target.whl> [<source.whl> <target.whl> ...]
// A <source.zip> (the trimmed standard library) is compiled with compile_zip instead of compile_wheel.
// Run by scripts/build_pyodide.py. The work is scripts/pyodide_compile.py's compile_wheel (read from that file and
// run inside Pyodide); this file only starts the runtime from node_modules/pyodide and moves bytes in and out.
// Nothing is fetched from the network: Pyodide starts from local files and no package is loaded.
// Exit code 0, or 1 with the reason on stderr.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNTIME = path.join(ROOT, "node_modules", "pyodide");

function fail(message) {
  process.stderr.write(`pyodide_compile: ${message}\n`);
  process.exit(1);
}

const pairs = process.argv.slice(2);
if (!pairs.length || pairs.length % 2) fail("usage: node scripts/pyodide_compile.mjs <source.whl> <target.whl> ...");

const { loadPyodide } = await import(pathToFileURL(path.join(RUNTIME, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: RUNTIME + path.sep,
  packageBaseUrl: RUNTIME + path.sep,
  // PYTHONNODEBUGRANGES: code objects keep their line numbers but no column ranges (what `python -X
  // no_debug_ranges` does): tracebacks still name file and line, without the ^^^ markers. The column tables compress
  // badly: the trimmed standard library is 1.21 -> 0.87 MB with brotli without them.
  env: { PYTHONDONTWRITEBYTECODE: "1", PYTHONNODEBUGRANGES: "1", HOME: "/home/pyodide" },
  stdout: () => {},
});
try {
  const columns = pyodide.runPython(
    'str([p[2:] for p in compile("x = a.b + c[1]", "t", "exec").co_positions() if p[2:] != (None, None)])',
  );
  if (columns !== "[]") fail(`PYTHONNODEBUGRANGES was not honoured: compiled code still has columns ${columns}`);
  pyodide.runPython(readFileSync(path.join(ROOT, "scripts", "pyodide_compile.py"), "utf8"));
  const compileWheel = pyodide.globals.get("compile_wheel");
  const compileZip = pyodide.globals.get("compile_zip"); // a .zip (the trimmed standard library), not a wheel
  for (let i = 0; i < pairs.length; i += 2) {
    const [source, target] = [path.resolve(pairs[i]), path.resolve(pairs[i + 1])];
    pyodide.FS.writeFile("/tmp/source.whl", new Uint8Array(readFileSync(source)));
    const compile = source.endsWith(".zip") ? compileZip : compileWheel;
    const compiled = compile("/tmp/source.whl", "/tmp/target.whl").toJs();
    writeFileSync(target, pyodide.FS.readFile("/tmp/target.whl"));
    process.stdout.write(`compiled ${compiled.length} modules: ${path.basename(source)} -> ${path.basename(target)}\n`);
  }
} catch (error) {
  fail(error?.message ?? String(error));
}
