// Offline support: registers the service worker (sw.js at the site root, scope = the whole site, both languages)
// and, once it is active, asks it to keep what this page has already loaded. The worker copies those files from
// the browser's HTTP cache only, so a first visit downloads nothing twice. On pages that start Python, this waits
// until Python is ready (or has failed), so the runtime files the Python worker fetched are kept too.
// Sets <html data-nc-offline="kept"> when done ("failed" if the worker could not), for tests and the benchmark.
// On the offline page, lists the pages this browser has saved, in the page's language.

import { known, python } from "./nc/python.js";

const root = new URL("../", import.meta.url);
const html = document.documentElement;

const loaded = () =>
  document.readyState === "complete" ? Promise.resolve() : new Promise((r) => addEventListener("load", r, { once: true }));

// What this page loaded: its own resources, Material's search worker and index (fetched by a worker, so not in
// this page's resource timing), and the Python runtime folder when Python ran here.
function loadedURLs() {
  const urls = performance.getEntriesByType("resource").map((entry) => entry.name);
  // The search's files and index: listed by the build (scripts/mkdocs_hooks.py, offline_keep_list) from Material's config.
  const keep = JSON.parse(document.getElementById("nc-keep")?.textContent || "[]");
  urls.push(...keep.map((href) => new URL(href, location.href).href));
  const tag = document.querySelector("script[data-nc-pyodide]");
  const runtime = html.dataset.ncPython && tag ? new URL(`pyodide/${tag.dataset.ncPyodide}/`, root).href : null;
  return { urls: [...new Set(urls)], runtime }; // the service worker keeps only this site's own (sw.js: inScope)
}

function ask(worker, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data || { ok: false });
    worker.postMessage(message, [channel.port2]);
  });
}

// Registered only once the page has loaded and, on Python pages, once Python is ready (or has failed): the
// worker's install and activation, its claim of this page and its fetch handler in the path of the Python
// worker's downloads would otherwise share the CPU with the first visit's Python start (measured: ~150-180 ms of
// service-worker thread in that window, issue 6). Nothing is lost by waiting: keeping copies from the HTTP cache.
async function keepThisPage() {
  await loaded();
  if (document.querySelector("script[data-nc-python]")) await known.then(() => python.settled()); // Python's page
  await navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname });
  const registration = await navigator.serviceWorker.ready;
  const { urls, runtime } = loadedURLs();
  const page = location.href.split("#")[0];
  const answer = await ask(registration.active, { type: "keep", page, urls, runtime });
  html.dataset.ncOffline = answer.ok ? "kept" : "failed";
}

// The offline page: links to the saved pages of its language, titled from their saved copies.
async function listSavedPages(list) {
  const lang = html.lang === "en" ? "en" : "ja";
  const seen = new Set();
  for (const name of (await caches.keys()).filter((cacheName) => cacheName.startsWith("nc-pages-"))) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      const path = url.pathname.slice(root.pathname.length);
      const pageLang = path === "en/" || path.startsWith("en/") ? "en" : "ja";
      if (pageLang !== lang || seen.has(url.href) || /(^|\/)offline\/$/.test(path)) continue;
      seen.add(url.href);
      const doc = new DOMParser().parseFromString(await (await cache.match(request)).text(), "text/html");
      const item = document.createElement("li");
      item.append(Object.assign(document.createElement("a"), { href: url.href, textContent: (doc.title || path).trim() }));
      list.append(item);
    }
  }
  list.closest("[data-nc-offline-saved]")?.toggleAttribute("hidden", list.children.length === 0);
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  keepThisPage().catch((error) => {
    html.dataset.ncOffline = "failed";
    console.warn("[offline] service worker not available:", error);
  });
}
const savedList = document.querySelector("[data-nc-offline-saved] ul");
if (savedList && "caches" in window) listSavedPages(savedList).catch(() => {});
