// Module Web Worker: starts the site's own Pyodide, installs checklist_app and answers the page.
// The page (app.js) owns localStorage and the DOM; this worker only turns JSON requests into JSON answers
// through checklist_app.browser.dispatch. Nothing is loaded from anywhere but this site: the lock file is
// the site's own and packageBaseUrl is set, so a missing wheel fails loudly instead of reaching for a CDN.

let dispatch = null; // checklist_app.browser.dispatch once Python is ready
let pyodide = null;
let starting = null;

function lockEntry(lock, name) {
  const entry = lock.packages && lock.packages[name];
  if (!entry) throw new Error(`pyodide-lock.json has no package ${name}`);
  return entry;
}

async function start({ indexURL, packages }) {
  const started = performance.now();
  const phases = {};
  const mark = (name) => (phases[name] = Math.round(performance.now() - started));
  if (typeof WebAssembly !== "object") throw new Error("WebAssembly is not available");
  const lockURL = new URL("pyodide-lock.json", indexURL).href;
  const lockResponse = await fetch(lockURL, { cache: "no-cache" });
  if (!lockResponse.ok) throw new Error(`${lockURL}: HTTP ${lockResponse.status}`);
  const lock = await lockResponse.json();
  mark("lock");
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const failures = [];
  // The checklist needs only our own wheel (its modules import nothing else); loading it by URL skips
  // the dependency resolution that would also fetch icalendar, tzdata & co. Tool pages name "full".
  const wanted =
    packages === "checklist"
      ? [new URL(lockEntry(lock, "checklist-app").file_name, indexURL).href]
      : ["checklist-app", ...(Array.isArray(packages) ? packages : [])];
  pyodide = await loadPyodide({
    indexURL,
    lockFileContents: lock,
    packageBaseUrl: indexURL,
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  });
  mark("runtime");
  await pyodide.loadPackage(wanted, {
    messageCallback: () => {},
    errorCallback: (message) => failures.push(message),
  });
  if (failures.length) throw new Error(failures.join("\n"));
  mark("packages");
  const module = pyodide.pyimport("checklist_app.browser");
  dispatch = module.dispatch;
  mark("import");
  return phases;
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    if (!starting) starting = start(message);
    try {
      const phases = await starting;
      self.postMessage({ type: "ready", phases });
    } catch (error) {
      self.postMessage({ type: "failed", message: String((error && error.message) || error) });
    }
  } else if (message.type === "call") {
    let response;
    if (!dispatch) {
      response = JSON.stringify({ ok: false, errors: [{ field: "_form", message: "Python is not ready" }] });
    } else {
      try {
        response = dispatch(message.request);
      } catch (error) {
        response = JSON.stringify({ ok: false, errors: [{ field: "_form", message: String(error) }] });
      }
    }
    self.postMessage({ type: "answer", id: message.id, response });
  } else if (message.type === "packages" && pyodide) {
    // A tool that needs more (e.g. dnspython on the DNS page) asks for it when first used.
    const failures = [];
    await pyodide.loadPackage(message.names, { errorCallback: (m) => failures.push(m) });
    self.postMessage({ type: "packages", id: message.id, ok: failures.length === 0, errors: failures });
  }
});
