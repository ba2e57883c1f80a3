// The page's Python client is py-start.js (a classic script in the head of the pages that start Python, so that the
// worker starts as early as the page allows). Should it not have run yet when the modules run, it is loaded once more
// and waited for; if it cannot load at all, a client that has failed stands in and says so. Pages without Python
// (no py-start.js tag: the template decides, once) get a client that is "off".
const tag = document.querySelector("script[data-nc-python]");

// Python cannot start here (py-start.js did not load), or the page has none ("off"): every ask says so in words.
function standIn(reason) {
  if (reason) [document.documentElement.dataset.ncPython, window.ncPython] = ["failed", { failed: reason }];
  const failure = { ok: false, errors: [{ field: "_form", message: globalThis.ncChecklist.say("unavailable") }] };
  return {
    state: reason ? "failed" : "off",
    onChange: (listener) => reason && listener("failed"),
    settled: async () => false,
    call: async () => failure,
    busy: (control, work) => work(),
  };
}

// The client (a live binding: importers see it once it is known) and the promise that it is known. Not a top-level
// await: WebKit 2.50 ran an importer's body before such a module had finished (its export still uninitialized).
export let python = globalThis.ncPythonClient || standIn(null);
export const known = new Promise((resolve) => {
  if (!tag || globalThis.ncPythonClient) return resolve();
  // WebKit fired no load event for the copy of a script already on its way: the first copy's client ends the wait too.
  const done = () => resolve(clearInterval(poll));
  const poll = setInterval(() => globalThis.ncPythonClient && done(), 50);
  const again = Object.assign(document.createElement("script"), { src: tag.src, onload: done, onerror: done });
  Object.assign(again.dataset, tag.dataset);
  document.head.append(again);
}).then(() => (python = globalThis.ncPythonClient || (tag ? standIn("py-start.js did not load") : python)));
