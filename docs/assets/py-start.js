// The page's Python client: starts Python's Worker as early as the page allows, on the pages that use Python only, and
// is the page's one way to ask it (checklist_app.browser.dispatch: JSON in, JSON out). A classic script loaded `async`
// in the head (overrides/main.html, block libs, before the theme's first blocking script): it waits neither for the
// parser nor for the stylesheets, so the runtime downloads and compiles while the page is still being parsed.
// What to load comes from this tag's attributes, written by the template from the page itself (one source: the
// checklist form, or the tool forms and their data-nc-packages): data-nc-python="checklist" or "tools",
// data-nc-packages (tools' extra wheels), data-nc-pyodide (the runtime folder's version).
// Every answer has one envelope, {"ok": true, …} or {"ok": false, "errors": [{"field", "message"}]}; a failure of the
// worker itself comes in the same envelope. The modules (docs/assets/nc/python.js) take this client as it is.
(() => {
  const tag = document.currentScript;
  if (!tag || globalThis.ncPythonClient) return;
  // A first start is slow on a phone on a mobile network (38-46 s measured with Chromium's phone emulation) and in
  // WebKit (13-26 s here, over 60 s under load): only a start that never ends is a failure.
  const START_TIMEOUT_MS = 300000;
  const html = document.documentElement;
  const unavailable = () => JSON.parse(document.getElementById("nc-words")?.textContent || "{}").unavailable || "";
  const failure = (message) => ({ ok: false, errors: [{ field: "_form", message }] });
  const reached = [];
  const client = {
    state: "starting", // starting | ready | failed
    worker: null,
    calls: new Map(),
    serial: 0,
    listeners: [],
    settle(state, facts) {
      if (this.state === state || this.state === "failed") return; // "ready" may still turn "failed" (the worker died)
      clearTimeout(timer);
      [this.state, html.dataset.ncPython, window.ncPython] = [state, state, { ...window.ncPython, ...facts }];
      this.listeners.splice(0).forEach((listener) => listener(state));
    },
    fail(reason) {
      if (this.state === "failed") return;
      this.worker?.terminate();
      console.warn("[checklist] Python could not start:", reason);
      this.settle("failed", { failed: String(reason) });
      this.calls.forEach((resolve) => resolve(failure(unavailable())));
    },
    // Once Python is ready or has failed (at once if it has already): the listener gets "ready" or "failed".
    onChange(listener) {
      if (this.state === "starting") this.listeners.push(listener);
      else listener(this.state);
    },
    settled() {
      return new Promise((resolve) => this.onChange((state) => resolve(state === "ready")));
    },
    // A control that needs Python shows that it waits (aria-busy, a spinner), only while it waits.
    busy(control, work) {
      control.setAttribute("aria-busy", "true");
      return Promise.resolve(work()).finally(() => control.removeAttribute("aria-busy"));
    },
    async call(request) {
      if (!(await this.settled())) return failure(unavailable());
      const id = ++this.serial;
      const lang = html.lang.startsWith("en") ? "en" : "ja";
      return new Promise((resolve) => {
        this.calls.set(id, resolve);
        this.worker.postMessage({ type: "call", id, request: JSON.stringify({ lang, ...request }) });
      });
    },
    receive(event) {
      const message = event.data || {};
      if (event.type === "error" || message.type === "failed") return this.fail(message.message || event.message || "worker error");
      if (message.type === "phase") reached.push(message.name);
      if (message.type === "ready" && this.state === "starting") {
        performance.mark("nc-python-ready");
        this.settle("ready", { readyMs: performance.now() - startedAt, phases: message.phases });
      } else if (message.type === "snapshot") {
        // The worker kept a copy of Python's memory for the next visit (or could not): tests and the bench wait on it.
        window.ncPython = { ...window.ncPython, snapshot: message };
        html.dataset.ncSnapshot = message.stored ? "stored" : "failed";
      } else if (message.type === "answer") {
        this.calls.get(message.id)?.(JSON.parse(message.response));
        this.calls.delete(message.id);
      }
    },
  };
  globalThis.ncPythonClient = client;
  const startedAt = performance.now();
  performance.mark("nc-python-start");
  const timer = setTimeout(() => client.fail(`timeout (phases reached: ${reached.join(", ") || "none"})`), START_TIMEOUT_MS);
  const packages =
    tag.dataset.ncPython === "checklist" ? "checklist" : (tag.dataset.ncPackages || "").split(/\s+/).filter(Boolean);
  try {
    if (typeof WebAssembly !== "object") throw new Error("no WebAssembly");
    const indexURL = new URL(`../pyodide/${tag.dataset.ncPyodide}/`, tag.src).href;
    // What to load travels in the worker's name, read as soon as the worker runs (py-worker.js says why).
    const name = JSON.stringify({ indexURL, packages });
    client.worker = new Worker(new URL("py-worker.js", tag.src), { type: "module", name });
    for (const type of ["message", "error"]) client.worker.addEventListener(type, (event) => client.receive(event));
  } catch (error) {
    setTimeout(() => client.fail(String(error)), 0);
  }
})();
