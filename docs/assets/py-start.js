// Starts Python's Worker as early as the page allows, on the pages that use Python only. A classic script loaded
// `async` in the head (overrides/main.html, block libs, before the theme's first blocking script): it neither waits
// for the parser nor for the stylesheets, so the runtime downloads and compiles while the page is still being parsed
// and the theme starts, instead of after app.js (an ES module: it runs only once the whole page is parsed).
//
// What to load comes from this tag's attributes, written by the template from the page itself (one source: the
// checklist form, or the tool forms and their data-nc-packages): data-nc-python="checklist" or "tools",
// data-nc-packages (tools' extra wheels), data-nc-pyodide (the runtime folder's version).
// Nothing here touches the page: whatever the worker says before app.js listens is kept, in order, and handed over
// when app.js adopts the worker (ncPythonEarly.adopt); app.js owns the failure message, the timeout and the marks
// that follow. No worker at all (no WebAssembly, a blocked Worker): `error` says why, app.js shows the failure.
(() => {
  const tag = document.currentScript;
  if (!tag || globalThis.ncPythonEarly) return;
  const early = {
    startedAt: performance.now(),
    worker: null,
    error: null,
    events: [], // the worker's messages and errors until app.js listens
    listener: null,
    // app.js takes over: kept events are replayed in a later task, in order, as if they had just arrived.
    adopt(listener) {
      setTimeout(() => {
        for (const event of this.events.splice(0)) listener(event);
        this.listener = listener;
      }, 0);
    },
  };
  globalThis.ncPythonEarly = early;
  const deliver = (event) => (early.listener ? early.listener(event) : early.events.push(event));
  performance.mark("nc-python-start");
  const packages =
    tag.dataset.ncPython === "checklist" ? "checklist" : (tag.dataset.ncPackages || "").split(/\s+/).filter(Boolean);
  try {
    if (typeof WebAssembly !== "object") throw new Error("no WebAssembly");
    const indexURL = new URL(`../pyodide/${tag.dataset.ncPyodide}/`, tag.src).href;
    // What to load travels in the worker's name, read as soon as the worker runs (py-worker.js says why).
    const name = JSON.stringify({ indexURL, packages });
    const worker = new Worker(new URL("py-worker.js", tag.src), { type: "module", name });
    worker.addEventListener("message", deliver);
    worker.addEventListener("error", deliver);
    early.worker = worker;
  } catch (error) {
    early.error = String(error);
  }
})();
