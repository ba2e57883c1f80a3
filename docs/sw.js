// Service worker (site root, so its scope covers / and /en/): repeat visits work offline.
// Registered by assets/offline.js. Strategies, by what each kind of file promises:
// - pages (navigations): network first, so a new deploy shows at once online; the cached copy when offline;
//   a page never saved shows the offline page of its language (offline/ or en/offline/) at its own URL.
// - /pyodide/<version>/… (named by version or by content, served immutable): cache first, never refetched.
// - pyodide-lock.json (names the current wheels) and every other file of the site: network first, cache fallback.
// Only same-origin GET requests inside the scope are handled; anything else (the DNS check's DoH requests to other
// origins, POSTs, range requests) is not intercepted. Only complete 200 responses of this origin are stored.
// On a first visit the page is not yet controlled: offline.js then sends the URLs it loaded and this worker copies
// them from the HTTP cache (cache mode "only-if-cached"), so nothing is downloaded twice (runtime files missing
// from the HTTP cache are the exception: see keepOne).

const VERSION = "dev"; // replaced by a content hash of the built site (scripts/sw_stamp.py)
const PAGES = `nc-pages-${VERSION}`;
const ASSETS = `nc-assets-${VERSION}`;
const FALLBACK = `nc-offline-${VERSION}`; // the offline pages, apart so that trimming PAGES never drops them
// Versioned runtime files never change under their name: this cache outlives site versions (refetching 13 MB
// after every deploy would be waste) and is pruned to the runtime and wheels the current lock file names.
const RUNTIME = "nc-runtime";
const LIMITS = { [PAGES]: 100, [ASSETS]: 150 };
const SCOPE = new URL(self.registration.scope);
const RUNTIME_DIR = /^pyodide\/\d+(\.\d+)*[a-z0-9.]*\//;
// The standard library the pages load is python_stdlib-<hash>.zip, named in the lock's "nc_stdlib": kept with the
// core files. The full python_stdlib.zip is only the fallback for a module the trimmed zip lacks: not kept here.
const RUNTIME_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json"];
const OFFLINE = { ja: "offline/", en: "en/offline/" };
const SEARCH_FILE = /^(assets\/javascripts\/(lunr|workers)\/[^/]+(\/[^/]+)?\.js|search\/search_index\.json)$/;

const inScope = (url) => url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname);
const sitePath = (url) => url.pathname.slice(SCOPE.pathname.length);
const keyOf = (url) => url.origin + url.pathname; // no query, no fragment
const isImmutable = (path) => RUNTIME_DIR.test(path) && !path.endsWith("/pyodide-lock.json");
const cacheFor = (path) => (RUNTIME_DIR.test(path) ? RUNTIME : ASSETS);
const langOf = (path) => (path === "en" || path.startsWith("en/") ? "en" : "ja");
const storable = (response) => response && response.status === 200 && response.type === "basic";

async function put(cacheName, key, response) {
  const cache = await caches.open(cacheName);
  await cache.delete(key); // re-inserted last: the oldest entries are the least recently stored
  await cache.put(key, response);
  const keys = await cache.keys(); // the runtime's cache has no limit (Infinity): nothing is trimmed there
  for (const old of keys.slice(0, Math.max(0, keys.length - (LIMITS[cacheName] ?? Infinity)))) await cache.delete(old);
}

async function offlinePage(url) {
  const own = new URL(OFFLINE[langOf(sitePath(url))], SCOPE);
  const cached = await caches.match(keyOf(own), { cacheName: FALLBACK });
  if (!cached) return Response.error();
  // Served at the requested URL (a reload retries it); <base> makes the page's relative links resolve as on its own.
  const text = (await cached.text()).replace(/<head>/i, `<head><base href="${own.href}">`);
  return new Response(text, { status: 503, statusText: "Offline", headers: cached.headers });
}

// Pages (with the navigation preload) and theme files: the network first, the saved copy when it cannot answer; a page
// never saved falls back to the offline page in its language.
async function networkFirst(event, cacheName) {
  const url = new URL(event.request.url);
  try {
    const response = (cacheName === PAGES && (await event.preloadResponse)) || (await fetch(event.request));
    if (storable(response)) event.waitUntil(put(cacheName, keyOf(url), response.clone()));
    return response;
  } catch (error) {
    const cached = await caches.match(keyOf(url), { cacheName });
    if (cached || cacheName !== PAGES) return cached || Promise.reject(error);
    return offlinePage(url);
  }
}

async function cacheFirst(event) {
  const key = keyOf(new URL(event.request.url));
  const cached = await caches.match(key, { cacheName: RUNTIME });
  if (cached) return cached;
  const response = await fetch(event.request);
  if (storable(response)) event.waitUntil(put(RUNTIME, key, response.clone()));
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (!inScope(url)) return; // other origins (DoH resolvers) go to the network untouched
  const path = sitePath(url);
  if (request.mode === "navigate") event.respondWith(networkFirst(event, PAGES));
  else if (isImmutable(path)) event.respondWith(cacheFirst(event));
  else event.respondWith(networkFirst(event, cacheFor(path)));
});

// --- keeping what an uncontrolled page already loaded ----------------------------------------------------------

async function fromHttpCache(key) {
  const response = await fetch(new Request(key, { cache: "only-if-cached", mode: "same-origin" })).catch(() => null);
  return storable(response) ? response : null; // not in the HTTP cache: not downloaded again here
}

// download: for the core runtime files, which Python needs offline. Chromium may not keep a multi-megabyte file in the HTTP
// cache (seen under memory pressure in CI: the wasm was missing and Python could not start offline); such a file
// is then fetched once more, the only case where a first visit downloads something twice.
async function keepOne(key, cacheName, download = false) {
  const cache = await caches.open(cacheName);
  if (await cache.match(key)) return 0;
  let response = await fromHttpCache(key);
  if (!response && download) {
    const fetched = await fetch(new Request(key, { mode: "same-origin" })).catch(() => null); // offline: nothing to keep
    response = storable(fetched) ? fetched : null;
  }
  if (!response) return 0;
  await put(cacheName, key, response);
  return 1;
}

async function runtimeKeys(indexURL) {
  const files = RUNTIME_FILES.map((name) => keyOf(new URL(name, indexURL)));
  const lockKey = keyOf(new URL("pyodide-lock.json", indexURL));
  const lockResponse = (await caches.match(lockKey, { cacheName: RUNTIME })) || (await fromHttpCache(lockKey));
  if (!lockResponse) return { files, complete: false };
  const lock = await lockResponse.json();
  const wheels = Object.values(lock.packages || {}).map((entry) => keyOf(new URL(entry.file_name, indexURL)));
  const stdlib = lock.nc_stdlib ? [keyOf(new URL(lock.nc_stdlib.file_name, indexURL))] : [];
  return { files: files.concat(stdlib, wheels), stdlib, complete: true };
}

async function prune(keep) {
  const cache = await caches.open(RUNTIME);
  for (const request of await cache.keys()) if (!keep.has(request.url)) await cache.delete(request);
}

async function keep({ page = null, urls = [], runtime = null }) {
  let stored = 0;
  const pageURL = page && new URL(page, SCOPE);
  if (pageURL && inScope(pageURL)) stored += await keepOne(keyOf(pageURL), PAGES);
  for (const href of urls) {
    const url = new URL(href, SCOPE);
    // Search files may be downloaded if missing: on the pages that start Python the index is built only after Python
    // is ready (assets/javascripts/workers/nc-search.js), so its scripts may not have been loaded yet.
    if (inScope(url)) stored += await keepOne(keyOf(url), cacheFor(sitePath(url)), SEARCH_FILE.test(sitePath(url)));
  }
  const indexURL = runtime && new URL(runtime, SCOPE);
  if (indexURL && inScope(indexURL) && RUNTIME_DIR.test(sitePath(indexURL))) {
    const { files, stdlib = [], complete } = await runtimeKeys(indexURL);
    // The core files every Python page needs may be downloaded again if missing (see keepOne); wheels only from
    // the HTTP cache: the lock names wheels this page never loaded (dnspython on the checklist page, ...).
    const core = new Set([...RUNTIME_FILES.map((name) => keyOf(new URL(name, indexURL))), ...stdlib]);
    for (const key of files) stored += await keepOne(key, RUNTIME, core.has(key));
    if (complete) await prune(new Set(files));
  }
  return stored;
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  if (data.type !== "keep" || !port) return;
  event.waitUntil(
    keep(data).then(
      (stored) => port.postMessage({ ok: true, stored, version: VERSION }),
      (error) => port.postMessage({ ok: false, error: String(error), version: VERSION }),
    ),
  );
});

// --- life cycle -------------------------------------------------------------------------------------------------

self.addEventListener("install", (event) => {
  // The two offline pages (a few kB each) are the only files fetched for the service worker's own sake.
  const pages = Object.values(OFFLINE).map((path) => new URL(path, SCOPE).href);
  event.waitUntil(caches.open(FALLBACK).then((cache) => cache.addAll(pages)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = new Set([PAGES, ASSETS, FALLBACK, RUNTIME]);
      for (const name of await caches.keys()) if (name.startsWith("nc-") && !current.has(name)) await caches.delete(name);
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});
