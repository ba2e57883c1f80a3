// Material's search worker, started later on the pages that start Python (the checklist and the tools).
// Building the search index (lunr over every page, Japanese split by TinySegmenter) is about a second of CPU. On a
// two-core machine it ran while Pyodide compiled and started, and slowed Python's start on a first visit and its
// restore on a repeat visit (measured in `make bench`). On those pages the build hook points Material's config at this
// file instead of Material's worker (scripts/mkdocs_hooks.py), and this file holds the messages Material sends (the
// index, SETUP) until one of these happens:
// - the page says "go" on the BroadcastChannel "netcom-search" (app.js: Python is ready or has failed, or the reader
//   focused the search box or opened search);
// - 10 s have passed (app.js did not run, or Python is very slow);
// - the page is closed, and nothing is built.
// Then the held messages reach Material's worker in order, exactly as they came. Material sends queries only after
// the index is ready, so no query is lost. Everything else is Material's worker, unchanged (imported from this same
// folder, so its "../lunr" paths resolve as usual). This file must stay in assets/javascripts/workers/.
"use strict";

(() => {
  const RELEASE_AFTER_MS = 10_000;
  // Material's worker in this folder: written here by the build (scripts/mkdocs_hooks.py, stamp_search_worker). Not
  // read from this worker's URL: a copy served by the service worker (offline) has lost the URL's fragment.
  const material = "search.MATERIAL.min.js";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(material)) throw new Error(`nc-search.js: not stamped (${material})`);

  const held = [];
  let released = false;
  let channel = null;
  // What the tests (and a curious developer) can read from this worker: messages held so far, released or not.
  const state = (self.ncSearchHold = { held: 0, released: false, reason: null });

  // Registered before Material's listener, so it runs first and can keep the event from reaching it.
  self.addEventListener("message", (event) => {
    if (released) return;
    event.stopImmediatePropagation();
    held.push(event.data);
    state.held += 1;
  });

  function release(reason) {
    if (released) return;
    released = true;
    Object.assign(state, { released: true, reason });
    clearTimeout(timer);
    channel?.close();
    for (const data of held.splice(0)) self.dispatchEvent(new MessageEvent("message", { data }));
  }

  const timer = setTimeout(release, RELEASE_AFTER_MS, "timeout");
  if (typeof BroadcastChannel === "function") {
    channel = new BroadcastChannel("netcom-search");
    channel.addEventListener("message", (event) => event.data === "go" && release("go"));
    channel.postMessage("ask"); // Python may have settled before this worker started: the page answers "go"
  } else {
    release("no BroadcastChannel");
  }

  importScripts(material);
})();
