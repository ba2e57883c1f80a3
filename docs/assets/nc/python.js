// The worker client: takes over the Python worker py-start.js started from the head, and is the page's one way to
// ask Python (checklist_app.browser.dispatch: JSON in, JSON out). Every answer has one envelope, {"ok": true, …} or
// {"ok": false, "errors": [{"field", "message"}]}; a failure of the worker itself is given in the same envelope.
const { say } = globalThis.ncChecklist;

// A first start is slow on a phone on a mobile network (38-46 s measured with Chromium's phone emulation) and in
// WebKit (13-26 s here, over 60 s under load): only a start that never ends is a failure.
const START_TIMEOUT_MS = 300000;
const LANG = globalThis.ncChecklist.LANG;
const failure = (message) => ({ ok: false, errors: [{ field: "_form", message }] });

export const python = {
  state: "off", // off | starting | ready | failed
  worker: null,
  calls: new Map(),
  serial: 0,
  listeners: [],
  // py-start.js (async, in the head) normally created the worker long before this module runs: take it over. Should
  // it not have run yet, run it once more from here and wait for that copy (whichever runs first starts the worker).
  start() {
    const tag = document.querySelector("script[data-nc-python]");
    if (!tag) return this.fail("no runtime configured");
    this.state = "starting";
    this.emit();
    if (globalThis.ncPythonEarly) return this.adopt(globalThis.ncPythonEarly);
    const again = Object.assign(document.createElement("script"), { src: tag.src });
    Object.assign(again.dataset, tag.dataset);
    again.addEventListener("load", () => this.adopt(globalThis.ncPythonEarly));
    again.addEventListener("error", () => this.fail("py-start.js did not load"));
    document.head.append(again);
  },
  adopt(early) {
    if (!early || early.error || !early.worker) return this.fail(early?.error || "py-start.js did not run");
    this.worker = early.worker;
    performance.mark("nc-python-adopted");
    const reached = [];
    const left = START_TIMEOUT_MS - (performance.now() - early.startedAt);
    const timer = setTimeout(() => this.fail(`timeout (phases reached: ${reached.join(", ") || "none"})`), left);
    early.adopt((event) => {
      const message = event.data || {};
      if (event.type === "error" || message.type === "failed") {
        clearTimeout(timer);
        this.fail(message.message || event.message || "worker error");
      } else if (message.type === "phase") {
        reached.push(message.name);
      } else if (message.type === "ready" && this.state === "starting") {
        clearTimeout(timer);
        this.state = "ready";
        performance.mark("nc-python-ready");
        window.ncPython = { readyMs: performance.now() - early.startedAt, phases: message.phases };
        document.documentElement.dataset.ncPython = "ready";
        this.emit();
      } else if (message.type === "snapshot") {
        // The worker kept a copy of Python's memory for the next visit (or could not): tests and the bench wait on it.
        window.ncPython = { ...window.ncPython, snapshot: message };
        document.documentElement.dataset.ncSnapshot = message.stored ? "stored" : "failed";
      } else if (message.type === "answer") {
        this.calls.get(message.id)?.(JSON.parse(message.response));
        this.calls.delete(message.id);
      }
    });
  },
  fail(reason) {
    if (this.state === "failed") return;
    this.state = "failed";
    window.ncPython = { ...window.ncPython, failed: String(reason) };
    document.documentElement.dataset.ncPython = "failed";
    this.worker?.terminate();
    for (const resolve of this.calls.values()) resolve(failure(say("unavailable")));
    this.calls.clear();
    console.warn("[checklist] Python could not start:", reason);
    this.emit();
  },
  emit() {
    for (const listener of this.listeners) listener(this.state);
  },
  onChange(listener) {
    this.listeners.push(listener);
  },
  // Resolves when Python is ready (true) or has failed (false).
  settled() {
    if (this.state === "ready" || this.state === "failed") return Promise.resolve(this.state === "ready");
    return new Promise((resolve) => this.onChange((state) => state !== "starting" && resolve(state === "ready")));
  },
  async call(request) {
    if (!(await this.settled())) return failure(say("unavailable"));
    const id = ++this.serial;
    return new Promise((resolve) => {
      this.calls.set(id, resolve);
      this.worker.postMessage({ type: "call", id, request: JSON.stringify({ lang: LANG, ...request }) });
    });
  },
};
