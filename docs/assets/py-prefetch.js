// Fetch ahead, politely: on a page that links to a Python page (a step or manual page linking to a tool or the
// checklist; overrides/main.html decides, mkdocs.yml's extra.nc_prefetch: false turns it off), the Python runtime is
// downloaded into the browser's HTTP cache once the page is idle, so that the tool the reader opens next starts from
// the cache instead of the network. Nothing is run: the bytes are only read and dropped (the cache keeps them; the
// runtime folder is served immutable, and a service worker in control keeps them in its own cache too).
// Polite: at low fetch priority, one file after another, only after the page has loaded and gone idle; never when
// navigator.connection says saveData or a 2G/3G effectiveType; at most once per runtime version (both languages share
// the files: a localStorage mark holds the version). The outcome is left on <html data-nc-prefetch> for the tests:
// running, done, failed, or skipped-save-data / skipped-slow / skipped-done / skipped-storage.
(() => {
  const tag = document.currentScript;
  if (!tag || globalThis.ncPrefetch) return;
  globalThis.ncPrefetch = true;
  const MARK = "nc-prefetched-runtime";
  const version = tag.dataset.ncPyodide;
  const indexURL = new URL(`../pyodide/${version}/`, tag.src);
  const say = (state) => (document.documentElement.dataset.ncPrefetch = state);

  function skipReason() {
    if (navigator.connection?.saveData) return "skipped-save-data";
    if (/^(slow-2g|2g|3g)$/.test(navigator.connection?.effectiveType || "")) return "skipped-slow";
    try {
      if (localStorage.getItem(MARK) === version) return "skipped-done";
      localStorage.setItem(MARK, version); // set first: an interrupted prefetch is not retried on every page
    } catch {
      return "skipped-storage"; // no storage (private mode, blocked): no way to keep it to once
    }
    return null;
  }

  async function get(url) {
    const response = await fetch(url, { priority: "low", credentials: "same-origin" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    // Read to the end (the cache stores a complete body) without keeping the bytes.
    const reader = response.body.getReader();
    while (!(await reader.read()).done);
  }

  async function prefetch() {
    const reason = skipReason();
    if (reason) return say(reason);
    say("running");
    const lockResponse = await fetch(new URL("pyodide-lock.json", indexURL), { priority: "low" });
    if (!lockResponse.ok) throw new Error(`pyodide-lock.json: HTTP ${lockResponse.status}`);
    const lock = await lockResponse.json();
    const packages = lock.packages || {};
    // What every Python page loads first: the wasm (the largest), the trimmed stdlib, the glue, our wheel and idna
    // (every tool page needs it). Other wheels are left to the tool that needs them.
    const files = [
      "pyodide.asm.wasm",
      ...(lock.nc_stdlib ? [lock.nc_stdlib.file_name] : []),
      "pyodide.asm.mjs",
      "pyodide.mjs",
      ...["checklist-app", "jpholiday", "idna"].filter((name) => packages[name]).map((name) => packages[name].file_name),
    ];
    for (const file of files) await get(new URL(file, indexURL));
    say("done");
  }

  const idle = (run) =>
    "requestIdleCallback" in globalThis ? requestIdleCallback(run, { timeout: 5000 }) : setTimeout(run, 2000);
  const begin = () => idle(() => prefetch().catch(() => say("failed")));
  if (document.readyState === "complete") begin();
  else addEventListener("load", begin, { once: true });
})();
