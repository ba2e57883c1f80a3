// Module Web Worker: starts the site's own Pyodide, installs checklist_app and answers the page.
// The page (app.js) owns localStorage and the DOM; this worker only turns JSON requests into JSON answers
// through checklist_app.browser.dispatch. Nothing is loaded from anywhere but this site: wheels come from the
// site's own pyodide-lock.json (checked against its sha256) and are unpacked here, never resolved by a CDN.
//
// Repeat visits start from a memory snapshot. The first visit starts Python plainly, imports what the page
// needs, then copies Python's memory (pyodide.makeMemorySnapshot, ~30 MB) into this site's Cache Storage.
// The next visit restores that copy instead of booting and importing again (several times faster). The
// snapshot is keyed by the runtime folder (its version) and the sha256 of every wheel in it, so a new deploy
// never restores an old interpreter; anything wrong with it (missing, evicted, corrupt, from another
// build, Cache Storage unavailable) falls back to a plain start, which then stores a fresh snapshot.
// The snapshot options are private in Pyodide's API: the runtime is pinned (package.json) and both paths are
// tested in tests/browser/test_snapshot.py.

const SNAPSHOT_FORMAT = 1;
// Snapshots live in the origin's Cache Storage, one entry per kind of page ("slot"). They were in IndexedDB until
// WebKit (Safari's engine; WebKitGTK 2.50.6 here) showed that leaving a page while its snapshot was being written
// left every later IndexedDB read of the origin hanging for the rest of the browser's life (the next page's Python
// never started); Cache Storage did not, in the same walk. Any wait on it is still bounded: a read that does not
// answer means a plain start, a write that does not means no snapshot this time.
const CACHE_NAME = "netcom-pyodide-snapshots";
const READ_WAIT_MS = 8000;
const WRITE_WAIT_MS = 60000;

let dispatch = null; // checklist_app.browser.dispatch once Python is ready
let pyodide = null;
let context = null; // { indexURL, lock, installed: Set<string> }
let pendingSnapshot = null; // { entry, key } when this start should store a snapshot once ready

function lockEntry(lock, name) {
  const entry = lock.packages && lock.packages[name];
  if (!entry) throw new Error(`pyodide-lock.json has no package ${name}`);
  return entry;
}

async function fetchWheel(indexURL, entry) {
  const url = new URL(entry.file_name, indexURL).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // crypto.subtle exists in secure contexts (HTTPS, localhost): the deployed site always is one.
  if (self.crypto && crypto.subtle && entry.sha256) {
    const sha = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const digest = Array.from(sha, (b) => b.toString(16).padStart(2, "0")).join("");
    if (digest !== entry.sha256) throw new Error(`${url}: sha256 ${digest} does not match the lock`);
  }
  return bytes;
}

// Fetch (in parallel, possibly before Python exists) and unpack wheels into site-packages. Unpacking by
// hand instead of pyodide.loadPackage keeps Pyodide's package registry empty, which makeMemorySnapshot
// requires; after a restore the files are unpacked again (imported modules are already in memory, but a
// later lazy import reads its file).
function fetchWheels(names) {
  const { indexURL, lock } = context;
  return names.map((name) => ({ name, bytes: fetchWheel(indexURL, lockEntry(lock, name)) }));
}

// Our own wheel is byte-compiled for this runtime at build (scripts/pyodide_compile.py: sourceless .pyc modules) and
// imported straight from the zip (zipimport): the wheel file is written into Pyodide's file system before Python
// starts (loadPyodide's fsInit) and a .pth file puts it on sys.path. Nothing is unpacked and no module is compiled:
// unpack + import took ~90 ms, the zip import of the compiled modules ~25 ms (Node). Other wheels are unpacked.
const OWN_WHEEL = "checklist-app";
const OWN_ZIP = "/lib/checklist_app.whl";

function zipInstaller(own) {
  const installer = {
    error: null,
    // Called by Pyodide before Python starts (also when it restores a snapshot); an error is kept and thrown after
    // loadPyodide, with its own message (a wheel that did not download or did not match the lock).
    fsInit: async (FS, { sitePackages }) => {
      try {
        FS.writeFile(OWN_ZIP, await own.bytes);
        FS.writeFile(`${sitePackages}/checklist_app.pth`, `${OWN_ZIP}\n`);
      } catch (error) {
        installer.error = error;
      }
    },
    async check() {
      if (installer.error) throw installer.error;
      // A restored interpreter already has the zip on sys.path (and its directory read): the file must be there.
      if (!pyodide.FS.analyzePath(OWN_ZIP).exists) pyodide.FS.writeFile(OWN_ZIP, await own.bytes);
      context.installed.add(own.name);
    },
  };
  return installer;
}

async function installFetched(fetched) {
  let unpacked = 0;
  for (const { name, bytes } of fetched) {
    if (context.installed.has(name)) continue;
    pyodide.unpackArchive(await bytes, "wheel");
    context.installed.add(name);
    unpacked += 1;
  }
  if (unpacked) pyodide.runPython("import importlib; importlib.invalidate_caches()");
}

// --- Cache Storage: one snapshot per slot, replaced when its key changes ------------------------------------

// A slot's entry is named by a URL that is never fetched: the site's root (two folders above the runtime's), so a
// deploy with a new runtime replaces the entry instead of leaving the old one behind.
const slotURL = (indexURL, slot) => new URL(`../../nc-snapshot/${encodeURIComponent(slot)}`, indexURL).href;

function bounded(promise, waitMs, what) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${waitMs / 1000} s`)), waitMs)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// The stored record of a slot ({key, bytes}) or null (read before the lock is known; its key is checked afterwards).
async function readSnapshot(entry) {
  try {
    const read = async () => {
      const response = await (await caches.open(CACHE_NAME)).match(entry);
      if (!response) return null;
      const key = response.headers.get("x-nc-key");
      const length = Number(response.headers.get("x-nc-length"));
      const bytes = new Uint8Array(await response.arrayBuffer());
      return key && bytes.byteLength === length ? { key, bytes } : null;
    };
    return await bounded(read(), READ_WAIT_MS, "snapshot read");
  } catch {
    return null; // no Cache Storage (private mode, disabled, quota), or it did not answer: a plain start
  }
}

async function writeSnapshot(entry, key, bytes) {
  const headers = { "content-type": "application/octet-stream", "x-nc-key": key, "x-nc-length": String(bytes.byteLength) };
  const write = async () => (await caches.open(CACHE_NAME)).put(entry, new Response(bytes, { headers }));
  await bounded(write(), WRITE_WAIT_MS, "snapshot write");
}

// --- start --------------------------------------------------------------------------------------------------

// Pyodide fetches and compiles pyodide.asm.wasm inside loadPyodide, which can only be called once the snapshot has
// been read from Cache Storage (it decides how Python starts): the compile (a few hundred ms) would wait for that read.
// Start it at once instead and let Pyodide's own instantiation use the result: its instantiateWasm adds its imports
// and calls WebAssembly.instantiateStreaming(<its fetch of the same URL>, imports); this worker's
// instantiateStreaming answers that one call with the module compiled here (Pyodide's request is served by the
// HTTP cache, which the fetch here fills, and its body is dropped). Anything unexpected (another URL, the compile
// here failed) goes to the browser's own instantiateStreaming.
function precompileRuntime(indexURL, done) {
  const url = new URL("pyodide.asm.wasm", indexURL).href;
  const compiled = WebAssembly.compileStreaming(fetch(url));
  compiled.then(done, () => {}); // a failure is reported by Pyodide's own attempt, if that fails too
  const native = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (response.url !== url) return native.call(WebAssembly, response, imports);
    const module = await compiled.catch(() => null);
    if (!module) return native.call(WebAssembly, response, imports);
    if (response.body) response.body.cancel().catch(() => {});
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
}

async function start({ indexURL, packages, snapshot = true }) {
  const started = performance.now();
  const phases = {};
  // Each phase reached is also told to the page as it happens: a start that never ends says how far it got.
  const mark = (name) => {
    phases[name] = Math.round(performance.now() - started);
    self.postMessage({ type: "phase", name });
  };
  if (typeof WebAssembly !== "object") throw new Error("WebAssembly is not available");
  const extra = Array.isArray(packages) ? packages : [];
  const slot = packages === "checklist" ? "checklist" : `tools:${[...extra].sort().join(",")}`;
  const entry = slotURL(indexURL, slot);
  // Independent work starts at once and overlaps: the stored snapshot, the lock, both runtime scripts, the wasm.
  const record = snapshot
    ? readSnapshot(entry).then((found) => (mark("snapshot-read"), found))
    : Promise.resolve(null);
  precompileRuntime(indexURL, () => mark("wasm"));
  const runtime = import(new URL("pyodide.mjs", indexURL).href).then((module) => (mark("script"), module));
  import(new URL("pyodide.asm.mjs", indexURL).href).catch(() => {}); // warms the module cache loadPyodide uses
  const lockURL = new URL("pyodide-lock.json", indexURL).href;
  const lockResponse = await fetch(lockURL, { cache: "no-cache" });
  if (!lockResponse.ok) throw new Error(`${lockURL}: HTTP ${lockResponse.status}`);
  const lock = await lockResponse.json();
  context = { indexURL, lock, installed: new Set() };
  mark("lock");
  // Each page loads the wheels its own forms name (data-nc-packages: checklist_app/tools/forms.py lists them with their
  // dependencies, checked against the lock by tests/site/test_pyodide_build.py), not every dependency of
  // checklist-app: the checklist needs only jpholiday, the hosts tool idna too (tests/test_tool_packages.py).
  // Every page that starts Python folds the checklist, whose plan needs the holidays (checklist_app.schedule).
  const names = [...new Set(["checklist-app", "jpholiday", ...extra])];
  const imports = ["checklist_app.browser"];
  if (packages !== "checklist") imports.push("checklist_app.tools");
  if (extra.includes("icalendar")) imports.push("checklist_app.schedule");
  if (extra.includes("dnspython")) imports.push("checklist_app.tools.dnscheck");
  // The trimmed standard library (scripts/build_pyodide.py: only the audited modules; a module it lacks comes from
  // python_stdlib.zip through the fallback finder installed below). Its name carries its content hash.
  const stdlib = lock.nc_stdlib ? lock.nc_stdlib.file_name : null;
  const key = JSON.stringify({
    format: SNAPSHOT_FORMAT,
    runtime: new URL(indexURL).pathname,
    stdlib,
    wheels: names.map((name) => `${lockEntry(lock, name).file_name}#${lockEntry(lock, name).sha256}`),
    imports,
  });
  const fetched = fetchWheels(names); // downloads run while the runtime starts
  const own = zipInstaller(fetched.find((wheel) => wheel.name === OWN_WHEEL));
  const others = fetched.filter((wheel) => wheel.name !== OWN_WHEEL);
  const { loadPyodide } = await runtime;
  const options = {
    indexURL,
    lockFileContents: lock,
    packageBaseUrl: indexURL,
    fsInit: own.fsInit,
    ...(stdlib ? { stdLibURL: new URL(stdlib, indexURL).href } : {}),
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  };
  const found = await record;
  const stored = found && found.key === key ? found.bytes : null;
  // Pyodide 314 sizes the wasm memory from the module (about 30 MiB), not from the snapshot, and copies the
  // snapshot's heap into it as is: a heap that had grown (a tool page's imports) would not fit. Grow the new
  // module's memory to the snapshot's heap size before Pyodide restores it (header word 1 = header length).
  const growingModule = async () => {
    const { default: createModule } = await import(new URL("pyodide.asm.mjs", indexURL).href);
    const heapBytes = stored.byteLength - new Uint32Array(stored.buffer, stored.byteOffset, 2)[1];
    return async (settings) => {
      const module = await createModule(settings);
      if (module.HEAP8.length < heapBytes && !module._emscripten_resize_heap(heapBytes)) {
        throw new Error(`cannot grow memory to ${heapBytes} bytes for the snapshot`);
      }
      return module;
    };
  };
  // The runtime has started (from the snapshot or plainly): our zip on sys.path, the other wheels unpacked.
  const installAll = async () => {
    mark("runtime");
    await own.check();
    await installFetched(others);
    mark("packages");
  };
  phases.start = "plain";
  if (stored) {
    try {
      pyodide = await loadPyodide({ ...options, _loadSnapshot: stored, createPyodideModule: await growingModule() });
      await installAll();
      dispatch = pyodide.pyimport("checklist_app.browser").dispatch;
      const answer = JSON.parse(dispatch(JSON.stringify({ op: "ping" })));
      if (!answer.ok) throw new Error("ping failed after restore");
      phases.start = "snapshot";
    } catch (error) {
      console.warn("[python] memory snapshot unusable, starting plainly:", String((error && error.message) || error));
      // The plain start below stores a fresh snapshot under the same slot, replacing the unusable one.
      [pyodide, dispatch, phases.start] = [null, null, "fallback"];
      context.installed.clear();
    }
  }
  if (!pyodide) {
    pyodide = await loadPyodide({ ...options, _makeSnapshot: snapshot });
    if (stdlib) {
      const full = JSON.stringify(new URL("python_stdlib.zip", indexURL).href);
      pyodide.runPython(`import _nc_stdlib_fallback\n_nc_stdlib_fallback.install(${full})`);
    }
    await installAll();
    for (const name of imports) pyodide.pyimport(name);
    dispatch = pyodide.pyimport("checklist_app.browser").dispatch;
    if (snapshot) pendingSnapshot = { entry, key };
  }
  mark("import");
  return phases;
}

// After "ready": copy Python's memory (a few tens of ms here, off the main thread) and store it. Until it is
// stored the page keeps working; a failure only means the next visit starts plainly again.
async function storeSnapshot() {
  if (!pendingSnapshot || !pyodide) return;
  const { entry, key } = pendingSnapshot;
  pendingSnapshot = null;
  try {
    const started = performance.now();
    const bytes = pyodide.makeMemorySnapshot();
    const madeMs = Math.round(performance.now() - started);
    await writeSnapshot(entry, key, bytes);
    const totalMs = Math.round(performance.now() - started);
    self.postMessage({ type: "snapshot", stored: true, bytes: bytes.byteLength, madeMs, totalMs });
  } catch (error) {
    console.warn("[python] memory snapshot not stored:", String(error?.message || error));
    self.postMessage({ type: "snapshot", stored: false, error: String(error?.message || error) });
  }
}

// Starts Python (once: the module runs once); "ready" or "failed" is posted once.
function begin(config) {
  start(config).then(
    (phases) => {
      self.postMessage({ type: "ready", phases });
      setTimeout(storeSnapshot, 0);
    },
    (error) => self.postMessage({ type: "failed", message: String((error && error.message) || error) }),
  );
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type !== "call") return;
  let response; // dispatch never raises; a worker without Python (or a crash in it) answers in the same envelope
  try {
    response = dispatch(message.request);
  } catch (error) {
    response = JSON.stringify({ ok: false, errors: [{ field: "_form", message: String(dispatch ? error : "Python is not ready") }] });
  }
  self.postMessage({ type: "answer", id: message.id, response });
});

// py-start.js names what to load in the worker's name ({indexURL, packages} as JSON), so Python starts as soon as this
// module has run. A message posted right after `new Worker()` reaches a worker only when the page's main thread
// forwards it, and while the page is parsed that came 20-190 ms after this module had run (measured in Chromium).
{
  let config = null;
  try {
    config = JSON.parse(self.name || "null");
  } catch {
    // not JSON: said below
  }
  if (config && typeof config.indexURL === "string") begin(config);
  else self.postMessage({ type: "failed", message: "py-worker.js: no {indexURL, packages} in the worker's name" });
}
