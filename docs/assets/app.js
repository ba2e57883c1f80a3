// The page glue (main thread). Python (checklist_app) runs in a module Worker (py-worker.js); this file
// owns localStorage and the DOM. It shows saved progress at once with a tiny reader of the documented
// storage format (checklist_app/STORAGE_FORMAT.md), records simple changes (tick, date, note) at once,
// and hands every change to Python once it is ready. User text only ever reaches the page as textContent.
// The words, the reader and writer of the format and the checklist's rendering live in checklist-view.js (a classic
// script loaded before this one; the checklist page runs it right after its form, so the saved state shows before
// the first paint).

// Material's alternate-language integration (bundle: setupAlternate) fetches sitemap.xml beside each
// <link rel="alternate">, made for language roots; static-i18n's links name this page's twins, so it asked for
// <page>/sitemap.xml (two 404s per page) and sent the switcher to the twin's URL without its slash (a redirect).
// Its DOMContentLoaded listener was registered by the bundle, before this module runs: hide the links from it,
// then put them back for everything that reads the page later (search engines render it).
{
  const alternates = [...document.querySelectorAll('link[rel="alternate"][hreflang]')];
  for (const link of alternates) link.rel = "x-nc-alternate";
  document.addEventListener("DOMContentLoaded", () => {
    for (const link of alternates) link.rel = "alternate";
  }, { once: true });
}

const {
  takeEarlyEdits,
  $,
  $$,
  BACKUP_KEY,
  derive,
  DOMAIN_MAX,
  el,
  emptyDoc,
  emptyItems,
  fitNote,
  formatDate,
  ID,
  ITEM_COUNT,
  itemRules,
  LABEL_MAX,
  LANG,
  markVisible,
  NOTE_MAX,
  prepareChecklist,
  readDoc,
  renderChecklist,
  setValue,
  STORAGE_KEY,
  T,
  validDate,
  writeDoc,
} = globalThis.ncChecklist;

// A first start is slow on a phone on a mobile network (38-46 s measured with Chromium's phone emulation) and in
// WebKit (13-26 s on an idle desktop here, over 60 s under load): only a start that never ends is a failure.
// Until then the page works without Python and says it is still preparing.
const START_TIMEOUT_MS = 300000;

// ---------------------------------------------------------------------------------------------------------
// Clock: "today" is the customer's own calendar day; Python never reads a clock.

const pad = (n) => String(n).padStart(2, "0");
function today() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
function nowISO() {
  const d = new Date();
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${today()}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Storage: localStorage when the browser allows it, else memory (and the page says so).

const store = {
  local: null,
  memory: new Map(),
  unavailable: false,
  init() {
    try {
      const local = window.localStorage;
      local.getItem(STORAGE_KEY);
      this.local = local;
    } catch {
      this.unavailable = true;
    }
  },
  get(key) {
    if (this.local) {
      try {
        return this.local.getItem(key);
      } catch {
        this.toMemory();
      }
    }
    return this.memory.has(key) ? this.memory.get(key) : null;
  },
  // Returns "ok", "quota" (nothing written: the old value stays) or "memory" (kept in memory only).
  set(key, value) {
    if (this.local) {
      try {
        this.local.setItem(key, value);
        return "ok";
      } catch (error) {
        if (isQuota(error)) return "quota";
        this.toMemory();
      }
    }
    this.memory.set(key, value);
    return "memory";
  },
  toMemory() {
    if (this.local) {
      for (const key of [STORAGE_KEY, BACKUP_KEY]) {
        try {
          const value = this.local.getItem(key);
          if (value !== null && !this.memory.has(key)) this.memory.set(key, value);
        } catch {
          /* unreadable: nothing to carry over */
        }
      }
    }
    this.local = null;
    this.unavailable = true;
  },
};

function isQuota(error) {
  return (
    error instanceof DOMException &&
    (error.name === "QuotaExceededError" || error.name === "NS_ERROR_DOM_QUOTA_REACHED" || error.code === 22)
  );
}

// Characters the model refuses: controls, lone surrogates, invisible format characters (ZWNJ/ZWJ kept).
const FORBIDDEN = /[\p{Cc}\p{Cs}]|(?![\u200c\u200d])\p{Cf}/u;
const FORBIDDEN_ALL = /[\p{Cc}\p{Cs}]|(?![\u200c\u200d])\p{Cf}/gu;
function cleanNote(value) {
  const text = String(value).replace(/\r\n?/g, "\n");
  return text.replace(FORBIDDEN_ALL, (c) => (c === "\n" || c === "\t" ? c : "")).slice(0, NOTE_MAX);
}
function domainKey(domain) {
  return domain.trim().normalize("NFKC").replace(/[\u3002\uff61]/g, ".").replace(/\.+$/, "").toLowerCase();
}
class InputError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}
function checkDomain(doc, value, exceptId) {
  const domain = String(value ?? "").trim();
  const words = T.domain;
  if (!domain) throw new InputError("domain", words.empty);
  if (domain.length > DOMAIN_MAX) throw new InputError("domain", words.long);
  if (/\s/u.test(domain)) throw new InputError("domain", words.space);
  if (FORBIDDEN.test(domain)) throw new InputError("domain", words.control);
  if (/[/\\:@#?]/.test(domain)) throw new InputError("domain", words.url);
  const taken = doc.migrations.find((m) => m.id !== exceptId && domainKey(m.domain) === domainKey(domain));
  if (taken) throw new InputError("domain", words.taken(taken.domain));
  return domain;
}
function checkLabel(value) {
  const label = String(value ?? "").trim();
  if (label.length > LABEL_MAX) throw new InputError("label", T.label.long);
  if (FORBIDDEN.test(label)) throw new InputError("label", T.label.control);
  return label;
}

// The simple changes, with the model's rules (checklist_app/progress.py): ticking fills an empty date
// with today; unticking keeps date and note. Returns a new document; throws InputError on bad input.
const LOCAL_ACTIONS = new Set(["done", "date", "note", "cancellation_date", "select", "add", "rename"]);
function applyLocal(doc, action, day, now) {
  const next = structuredClone(doc);
  if (action.type === "add") {
    const domain = checkDomain(next, action.domain);
    const label = checkLabel(action.label);
    const used = new Set(next.migrations.map((m) => m.id));
    let serial = next.next_id;
    while (used.has(`m-${serial}`)) serial += 1;
    const id = `m-${serial}`;
    next.next_id = serial + 1;
    next.migrations.push({ id, domain, label, created: now, updated: now, cancellation_date: null, items: emptyItems() });
    next.active = id;
    return next;
  }
  if (action.type === "select") {
    if (!next.migrations.some((m) => m.id === action.id)) throw new InputError("migration", "?");
    next.active = action.id;
    return next;
  }
  const m = next.migrations.find((x) => x.id === action.id);
  if (!m) throw new InputError("migration", T.needDomain);
  if (action.type === "rename") {
    if (action.domain !== undefined && action.domain !== null) m.domain = checkDomain(next, action.domain, m.id);
    if (action.label !== undefined && action.label !== null) m.label = checkLabel(action.label);
  } else if (action.type === "cancellation_date") {
    const value = action.value || null;
    if (!validDate(value)) throw new InputError("cancellation_date", T.date);
    m.cancellation_date = value;
  } else {
    const item = m.items[String(action.item)];
    if (!item) throw new InputError("item", "?");
    if (action.type === "done") {
      item.done = Boolean(action.done);
      if (item.done && !item.date) item.date = day;
    } else if (action.type === "date") {
      const value = action.value || null;
      if (!validDate(value)) throw new InputError("date", T.date);
      item.date = value;
    } else if (action.type === "note") {
      item.note = cleanNote(action.value ?? "");
    } else {
      throw new InputError("_form", T.needPython);
    }
  }
  m.updated = now;
  return next;
}

// ---------------------------------------------------------------------------------------------------------
// Python in a Worker.

const python = {
  state: "off", // off | starting | ready | failed
  worker: null,
  calls: new Map(),
  serial: 0,
  startedAt: 0,
  readyMs: null,
  listeners: [],
  // py-start.js (async, in the head of the pages that use Python) normally created the worker long before this
  // module runs: take it over. Should it not have run yet (or not have loaded), run it once more from here and wait
  // for that copy: whichever copy runs first starts the one worker, and a failed load is known for sure.
  start() {
    const tag = document.querySelector("script[data-nc-python]");
    if (!tag) return this.fail("no runtime configured");
    this.state = "starting";
    if (globalThis.ncPythonEarly) return this.adopt(globalThis.ncPythonEarly);
    const again = document.createElement("script");
    Object.assign(again.dataset, tag.dataset);
    again.addEventListener("load", () => this.adopt(globalThis.ncPythonEarly));
    again.addEventListener("error", () => this.fail("py-start.js did not load"));
    again.src = tag.src;
    document.head.append(again);
  },
  adopt(early) {
    if (this.state !== "starting") return;
    if (!early) return this.fail("py-start.js did not run");
    this.startedAt = early.startedAt;
    if (early.error || !early.worker) return this.fail(early.error || "no worker");
    this.worker = early.worker;
    // From here on the page listens to the worker; before, only py-start.js ran (kept its messages, a few ms).
    performance.mark("nc-python-adopted");
    const reached = [];
    const timer = setTimeout(
      () => this.fail(`timeout (phases reached: ${reached.join(", ") || "none"})`),
      START_TIMEOUT_MS - (performance.now() - this.startedAt),
    );
    early.adopt((event) => {
      if (event.type === "error") {
        clearTimeout(timer);
        this.fail(event.message || "worker error");
        return;
      }
      const message = event.data || {};
      if (message.type === "phase") {
        reached.push(message.name);
      } else if (message.type === "ready") {
        clearTimeout(timer);
        if (this.state !== "starting") return;
        this.state = "ready";
        this.readyMs = performance.now() - this.startedAt;
        this.phases = message.phases;
        performance.mark("nc-python-ready");
        window.ncPython = { readyMs: this.readyMs, phases: message.phases };
        document.documentElement.dataset.ncPython = "ready";
        this.emit();
      } else if (message.type === "failed") {
        clearTimeout(timer);
        this.fail(message.message);
      } else if (message.type === "snapshot") {
        // The worker kept a copy of Python's memory for the next visit (or could not): tests and the bench wait on it.
        window.ncPython = { ...window.ncPython, snapshot: message };
        document.documentElement.dataset.ncSnapshot = message.stored ? "stored" : "failed";
      } else if (message.type === "answer") {
        const resolve = this.calls.get(message.id);
        this.calls.delete(message.id);
        if (resolve) resolve(JSON.parse(message.response));
      }
    });
  },
  fail(reason) {
    if (this.state === "failed") return;
    this.state = "failed";
    this.reason = reason;
    window.ncPython = { ...window.ncPython, failed: String(reason) };
    document.documentElement.dataset.ncPython = "failed";
    if (this.worker) this.worker.terminate();
    for (const resolve of this.calls.values()) resolve({ ok: false, errors: [{ field: "_form", message: T.unavailable }] });
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
  call(request) {
    if (this.state !== "ready") return Promise.resolve({ ok: false, errors: [{ field: "_form", message: T.needPython }] });
    const id = ++this.serial;
    return new Promise((resolve) => {
      this.calls.set(id, resolve);
      this.worker.postMessage({ type: "call", id, request: JSON.stringify({ lang: LANG, ...request }) });
    });
  },
};

// ---------------------------------------------------------------------------------------------------------
// Small DOM helpers (el, $, $$, setValue come from checklist-view.js).

function say(region, text) {
  if (!region) return;
  region.textContent = "";
  if (text) region.append(el("p", { text }));
}
function download(filename, text, mime) {
  const url = URL.createObjectURL(new Blob([text], { type: mime || "application/json" }));
  const link = el("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---------------------------------------------------------------------------------------------------------
// The shared state of a page: the document shown, how it was read, and the write path.

const page = {
  text: null, // the stored text the document was read from
  read: { state: "empty", doc: emptyDoc() },
  view: null, // Python's last view, with the text it describes
  viewText: undefined,
  unsaved: null, // text kept in memory after a failed write (quota)
  queue: [], // actions waiting for Python (the stored data needs Python's repair first)
  busy: false,
  recent: [], // this tab's last writes through Python: { base, text, actions, at } (see repairRace)
  merge: null, // { theirs, mine }: apply the next actions to the other tab's text (see repairRace)
  renderers: [],
  alerts: new Set(),
};

function currentText() {
  return page.unsaved !== null ? page.unsaved : store.get(STORAGE_KEY);
}
function refresh() {
  page.text = currentText();
  page.read = readDoc(page.text);
  render();
}
function render() {
  for (const renderer of page.renderers) renderer();
}
function activeMigration() {
  const doc = page.read.doc;
  return doc.migrations.find((m) => m.id === doc.active) || null;
}
// Python's view, when it describes exactly what is shown.
function currentView() {
  return page.view && page.viewText === page.text ? page.view : null;
}

function alertOnce(key, text) {
  if (page.alerts.has(key)) return;
  page.alerts.add(key);
  const region = $("#nc-alerts");
  if (region) region.append(el("p", { "data-nc-alert": key, text }));
}

// Write a new stored text; "ok" | "quota" | "memory".
function persist(text) {
  const outcome = store.set(STORAGE_KEY, text);
  if (outcome === "quota") {
    page.unsaved = text;
    alertOnce("quota", T.quota);
  } else {
    page.unsaved = null;
    if (outcome === "memory") alertOnce("memory", T.memory);
  }
  return outcome;
}

// One change from the user. Simple changes are recorded at once in JavaScript when the stored
// document is one we fully understand; everything goes through Python once it is ready.
function act(action) {
  if (python.state === "ready") {
    page.queue.push(action);
    flush();
    return;
  }
  const writable = page.read.state !== "dirty" && LOCAL_ACTIONS.has(action.type);
  if (writable) {
    try {
      const base = currentText();
      const read = readDoc(base);
      if (read.state === "dirty") throw new Error("changed under us");
      persist(writeDoc(applyLocal(read.doc, action, today(), nowISO())));
      refresh();
      return true;
    } catch (error) {
      if (error instanceof InputError) {
        showError(error.field, error.message, action);
        return false;
      }
    }
  }
  if (python.state === "failed" && !LOCAL_ACTIONS.has(action.type)) {
    status(T.unavailable);
    return false;
  }
  // Keep it for Python and show it meanwhile.
  page.queue.push(action);
  try {
    page.read = { state: page.read.state, doc: applyLocal(page.read.doc, action, today(), nowISO()) };
    render();
  } catch {
    status(T.needPython);
  }
  return true;
}

// Send queued actions to Python, one batch at a time, against the latest stored text (another tab may
// have written in between: then the same actions are applied again to the new text).
async function flush() {
  if (page.busy || python.state !== "ready" || page.queue.length === 0) return;
  page.busy = true;
  const actions = page.queue.splice(0);
  let retry = false;
  try {
    let answer = null;
    let saved = false;
    let conflict = true; // stays true only when every round found the text changed by another tab
    // The read-apply-write runs under a cross-tab lock (Web Locks) where the browser has one, so two tabs
    // never write over each other; without it, a changed text is detected and the actions applied again.
    const attempt = async () => {
      for (let round = 0; round < 5 && !saved; round++) {
        const seen = currentText();
        const base = page.merge && (seen === page.merge.mine || seen === page.merge.theirs) ? page.merge.theirs : seen;
        answer = await python.call({ op: "apply", stored: base, actions, today: today(), now: nowISO() });
        if (!answer.ok) return void (conflict = false);
        if (currentText() !== seen) continue; // another tab wrote meanwhile: apply again to its text
        conflict = false;
        saved = saveAnswer(answer);
        if (saved) {
          page.merge = null;
          rememberWrite(base, answer.stored, actions);
        }
        return;
      }
    };
    if (navigator.locks && navigator.locks.request) await navigator.locks.request(STORAGE_KEY, attempt);
    else await attempt();
    if (saved) {
      refresh(); // render first: a follow-up (focus, undo button) may need the new controls enabled
      answer.results.forEach((result, index) => afterAction(actions[index], result));
    } else if (answer && !answer.ok) {
      status(answer.errors.map((e) => e.message).join(" "));
    } else if (answer && conflict) {
      // The other tab kept writing: keep the actions and try again shortly.
      page.queue.unshift(...actions);
      retry = true;
    }
  } finally {
    page.busy = false;
    refresh();
    if (page.queue.length) setTimeout(flush, retry ? 200 : 0);
  }
}

// Two tabs can still write at the same moment: localStorage reaches the other tabs asynchronously, so the tab that
// takes the lock next may read the text from before the other's write, and its write then drops the other's change
// (seen in Chromium: 1 in ~10 runs of two tabs ticking four boxes at once). The storage event tells: the other tab's
// write started from the same text as one of ours (its oldValue is our base). Our actions are then applied again, to
// the other tab's text, and written: both changes are kept. Only field changes are repeated (ticks, dates, notes:
// each sets a value, so applying one twice changes nothing); a race is looked for within a few seconds of a write.
const RACE_WINDOW_MS = 5000;
const REPEATABLE = new Set(["done", "date", "note", "cancellation_date"]);

function rememberWrite(base, text, actions) {
  const now = Date.now();
  page.recent = page.recent.filter((write) => now - write.at < RACE_WINDOW_MS);
  const repeatable = actions.filter((action) => REPEATABLE.has(action.type));
  if (text !== null && text !== undefined && text !== base && repeatable.length) {
    page.recent.push({ base, text, actions: repeatable, at: now });
  }
}

function repairRace(event) {
  if (event.oldValue === null || event.newValue === null) return;
  const now = Date.now();
  const raced = page.recent.filter(
    (write) => now - write.at < RACE_WINDOW_MS && write.base === event.oldValue && write.text !== event.newValue,
  );
  if (!raced.length) return;
  page.recent = page.recent.filter((write) => !raced.includes(write));
  page.merge = { theirs: event.newValue, mine: raced[raced.length - 1].text };
  page.queue.push(...raced.flatMap((write) => write.actions));
  flush();
}

// Keep what Python answered: the backup first (never lose the original), then the new text.
function saveAnswer(answer) {
  if (answer.backup !== null && answer.backup !== undefined) {
    const kept = store.set(BACKUP_KEY, answer.backup);
    if (kept === "quota") {
      alertOnce("backup", T.backupFailed);
      return false;
    }
    alertOnce(answer.migrated_from ? "migrated" : "recovered", answer.migrated_from ? T.migrated : T.recovered);
    if (answer.problems && answer.problems.length) {
      const list = el("ul", { class: "nc-problems" });
      for (const problem of answer.problems) list.append(el("li", { text: problem }));
      const region = $("#nc-alerts");
      if (region && !$(".nc-problems", region)) region.append(list);
    }
  }
  if (answer.stored !== null && answer.stored !== undefined && answer.stored !== currentText()) {
    if (persist(answer.stored) === "quota") return false;
  }
  page.view = answer.view;
  page.viewText = answer.stored;
  return true;
}

// Python's view of the current text (statuses, next action) without writing anything.
async function askView() {
  if (python.state !== "ready") return;
  const text = currentText();
  const answer = await python.call({ op: "load", stored: text });
  if (answer.ok && currentText() === text) {
    page.view = answer.view;
    page.viewText = text;
    render();
  }
}

const hooks = { afterAction: [], showError: [] };
function afterAction(action, result) {
  for (const hook of hooks.afterAction) hook(action, result);
}
function showError(field, message, action) {
  for (const hook of hooks.showError) hook(field, message, action);
}
function status(text) {
  say($("#nc-message"), text);
}

// Python is ready: let it read (and repair, keeping a backup) what is stored, then replay the queue.
async function handOver() {
  const base = currentText();
  const answer = await python.call({ op: "load", stored: base });
  if (answer.ok && currentText() === base && (answer.changed || answer.backup)) {
    if (answer.stored !== null) saveAnswer(answer);
  } else if (answer.ok && currentText() === base) {
    page.view = answer.view;
    page.viewText = base;
  }
  refresh();
  await flush();
  await askView();
}

// ---------------------------------------------------------------------------------------------------------
// The checklist page.

function setupChecklist(form) {
  const domainInput = $("#checklist-domain", form);
  prepareChecklist(form); // done already when checklist-view.js ran right after the form
  const tools = $("#nc-tools");
  if (tools) tools.hidden = false;
  form.addEventListener("submit", (event) => event.preventDefault());


  // Changes.
  const noteTimers = new Map();
  const pendingNotes = new Map();
  form.addEventListener("change", (event) => {
    const target = event.target;
    const m = activeMigration();
    if (target === domainInput) {
      clearError(domainInput);
      if (!target.value.trim() && !m) return;
      if (m) act({ type: "rename", id: m.id, domain: target.value });
      else act({ type: "add", domain: target.value, label: "" });
      return;
    }
    if (!m) {
      showError("domain", T.needDomain);
      refresh();
      return;
    }
    const item = Number(target.dataset.item);
    if (target.classList.contains("nc-done")) act({ type: "done", id: m.id, item, done: target.checked });
    else if (target.dataset.field === "completed_on") act({ type: "date", id: m.id, item, value: target.value });
    else if (target.dataset.field === "cancellation_date") act({ type: "cancellation_date", id: m.id, value: target.value });
    else if (target.dataset.field === "note") saveNote(target);
  });
  form.addEventListener("input", (event) => {
    const target = event.target;
    if (target.dataset.field !== "note") return;
    pendingNotes.set(target.dataset.item, target);
    clearTimeout(noteTimers.get(target.dataset.item));
    noteTimers.set(target.dataset.item, setTimeout(() => saveNote(target), 400));
    fitNote(target);
  });
  function saveNote(target) {
    clearTimeout(noteTimers.get(target.dataset.item));
    if (!pendingNotes.has(target.dataset.item)) return;
    pendingNotes.delete(target.dataset.item);
    const m = activeMigration();
    if (m) act({ type: "note", id: m.id, item: Number(target.dataset.item), value: target.value });
  }
  // Leaving the page with a note still being typed or a change still on its way to Python: write it now,
  // synchronously, so closing the tab never loses it.
  window.addEventListener("pagehide", () => {
    const m = activeMigration();
    const actions = [...page.queue];
    if (m) for (const target of pendingNotes.values()) actions.push({ type: "note", id: m.id, item: Number(target.dataset.item), value: target.value });
    if (!actions.length || page.read.state === "dirty") return;
    try {
      let doc = readDoc(currentText()).doc;
      for (const action of actions) if (LOCAL_ACTIONS.has(action.type)) doc = applyLocal(doc, action, today(), nowISO());
      persist(writeDoc(doc));
    } catch {
      /* nothing more can be done while the page goes away */
    }
  });

  hooks.showError.push((field, message) => {
    const target = field === "domain" && !$("#nc-migration-form")?.hidden ? $("#nc-form-domain") : field === "domain" ? domainInput : null;
    if (target) return fieldError(target, message);
    if (field === "label" && $("#nc-form-label")) return fieldError($("#nc-form-label"), message);
    status(message);
  });

  setupWorkspace();
  setupFileTools();

  page.renderers.push(() => renderChecklist(form, page.read.doc, currentView()));
}

function fieldError(input, message) {
  const id = `${input.id}-error`;
  let slot = document.getElementById(id);
  if (!slot) {
    slot = el("span", { id, class: "nc-error", "aria-live": "polite" });
    input.after(slot);
  }
  slot.textContent = message;
  slot.hidden = false;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", id);
  input.focus();
}
function clearError(input) {
  const slot = document.getElementById(`${input.id}-error`);
  if (slot) {
    slot.textContent = "";
    slot.hidden = true;
  }
  input.removeAttribute("aria-invalid");
}

// Domain selector, add / rename / delete with confirmation and undo.
function setupWorkspace() {
  const select = $("#nc-migration-select");
  const panel = $("#nc-migration-form");
  const domain = $("#nc-form-domain");
  const label = $("#nc-form-label");
  let mode = "add";
  if (select) select.addEventListener("change", () => act({ type: "select", id: select.value }));
  function open(kind) {
    mode = kind;
    const m = activeMigration();
    panel.hidden = false;
    panel.dataset.mode = kind;
    $("[data-nc-mode-title]", panel).textContent = panel.dataset[kind === "add" ? "titleAdd" : "titleRename"];
    domain.value = kind === "rename" && m ? m.domain : "";
    label.value = kind === "rename" && m ? m.label : "";
    clearError(domain);
    clearError(label);
    domain.focus();
  }
  function close(focus) {
    panel.hidden = true;
    if (focus) focus.focus();
  }
  $("#nc-add")?.addEventListener("click", () => open("add"));
  $("#nc-rename")?.addEventListener("click", () => open("rename"));
  $("#nc-form-cancel")?.addEventListener("click", () => close($(mode === "add" ? "#nc-add" : "#nc-rename")));
  panel?.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close($(mode === "add" ? "#nc-add" : "#nc-rename"));
  });
  panel?.addEventListener("submit", (event) => {
    event.preventDefault();
    clearError(domain);
    clearError(label);
    const m = activeMigration();
    const action = mode === "add" ? { type: "add", domain: domain.value, label: label.value } : { type: "rename", id: m && m.id, domain: domain.value, label: label.value };
    action.fromPanel = true;
    const outcome = act(action);
    if (outcome === true) close(select);
  });
  hooks.afterAction.push((action, result) => {
    if (action.fromPanel) {
      if (result.ok) close(select);
      else showError(result.errors[0].field, result.errors[0].message);
    } else if (!result.ok) {
      showError(result.errors[0].field, result.errors[0].message);
    }
    if (result.ok && result.undo) offerUndo(action, result.undo);
    if (result.ok && action.type === "restore") status(T.undone);
    if (result.ok && action.type === "put") status(T.undone);
    if (result.ok && action.type === "import") {
      say($("#nc-message"), result.message);
      if (result.problems && result.problems.length) {
        const list = el("ul");
        for (const problem of result.problems) list.append(el("li", { text: problem }));
        $("#nc-message").append(list);
      }
    }
  });

  $("#nc-delete")?.addEventListener("click", () => {
    const m = activeMigration();
    if (m) confirmThen(T.confirmDelete(m.label || m.domain), T.yesDelete, { type: "delete", id: m.id, name: m.label || m.domain }, $("#nc-delete"));
  });
  $("#nc-reset")?.addEventListener("click", () => {
    const m = activeMigration();
    if (m) confirmThen(T.confirmReset(m.label || m.domain), T.yesReset, { type: "reset", id: m.id, name: m.label || m.domain }, $("#nc-reset"));
  });
}

function confirmThen(question, yesText, action, returnFocus) {
  const box = $("#nc-confirm");
  if (python.state !== "ready") {
    status(python.state === "failed" ? T.unavailable : T.needPython);
    return;
  }
  box.textContent = "";
  const text = el("p", { id: "nc-confirm-text", text: question });
  const yes = el("button", { type: "button", class: "md-button md-button--primary", text: yesText });
  const no = el("button", { type: "button", class: "md-button", text: T.no });
  box.append(text, yes, " ", no);
  box.hidden = false;
  const done = () => {
    box.hidden = true;
    box.textContent = "";
  };
  yes.addEventListener("click", () => {
    done();
    act(action);
    const select = $("#nc-migration-select");
    if (select) select.focus();
  });
  no.addEventListener("click", () => {
    done();
    returnFocus.focus();
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") no.click();
  });
  no.focus();
}

function offerUndo(action, undo) {
  const region = $("#nc-message");
  region.textContent = "";
  const text = action.type === "delete" ? T.deleted(action.name) : T.reset(action.name);
  const button = el("button", { type: "button", class: "md-button nc-undo", text: T.undo });
  button.addEventListener("click", () => {
    button.disabled = true;
    act(undo);
  });
  region.append(el("p", {}, text, " ", button));
  button.focus();
}

// Export, import, reset and print.
function setupFileTools() {
  $("#nc-export")?.addEventListener("click", () => exportFile(activeMigration()?.id ?? null));
  $("#nc-export-all")?.addEventListener("click", () => exportFile(null));
  $("#nc-print")?.addEventListener("click", () => window.print());
  const input = $("#nc-import");
  input?.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const text = await file.text();
    input.value = "";
    if (python.state !== "ready") {
      status(python.state === "failed" ? T.unavailable : T.needPython);
      return;
    }
    act({ type: "import", text });
  });
}

async function exportFile(id) {
  if (python.state === "ready") {
    const answer = await python.call({ op: "export", stored: currentText(), id, today: today() });
    if (!answer.ok) return status(answer.errors.map((e) => e.message).join(" "));
    download(answer.filename, answer.text, answer.mime);
    status(T.exported(answer.filename));
    return;
  }
  // Without Python: the stored document as it is (the same format), so nothing is ever stuck here.
  const doc = page.read.doc;
  if (!doc.migrations.length) return;
  const text = JSON.stringify(JSON.parse(writeDoc(doc)), null, 2) + "\n";
  const filename = `netcom-checklist-all-${today()}.json`;
  download(filename, text, "application/json");
  status(T.exported(filename));
}

// ---------------------------------------------------------------------------------------------------------
// Step pages: the step's own items as a small checklist, synced through the same storage.

function setupStepItems(section) {
  const intro = el("p", { class: "nc-step-items__for", "aria-live": "polite" });
  const heading = $("h2", section);
  (heading || section.firstChild).after(intro);
  const items = $$("li.nc-item[data-item]", section);
  for (const li of items) {
    const n = li.dataset.item;
    const title = $(".nc-item__title", li);
    const id = `step-done-${n}`;
    const box = el("input", { type: "checkbox", id, class: "nc-done", "data-item": n, "aria-label": `${n}. ${title ? title.textContent : ""}` });
    const wrap = el("span", { class: "nc-step-check" }, box);
    li.prepend(wrap);
    const badge = el("strong", { class: "nc-status", id: `step-status-${n}` });
    box.setAttribute("aria-describedby", `step-status-${n}`);
    if (title) title.after(" ", badge);
    else li.append(badge);
    const date = el("span", { class: "nc-step-date" });
    badge.after(" ", date);
    box.addEventListener("change", () => {
      const m = activeMigration();
      if (!m || page.read.state === "dirty") {
        box.checked = !box.checked;
        return;
      }
      act({ type: "done", id: m.id, item: Number(n), done: box.checked });
    });
  }
  section.classList.add("nc-live");
  page.renderers.push(() => {
    const m = activeMigration();
    const dirty = page.read.state === "dirty";
    intro.textContent = !m ? T.stepNone : dirty ? T.stepReadOnly : `${T.stepFor(m.label || m.domain)}: ${T.summary(derive(m, null).done, ITEM_COUNT)}`;
    const derived = m ? derive(m, itemRules()) : null;
    for (const li of items) {
      const n = li.dataset.item;
      const state = m ? m.items[n] : null;
      const box = $(".nc-done", li);
      box.checked = Boolean(state && state.done);
      box.disabled = !m || dirty;
      const badge = $(".nc-status", li);
      const code = derived && derived.statuses ? derived.statuses[n] : state && state.done ? "done" : null;
      badge.textContent = code ? T.status[code] : "";
      badge.className = code ? `nc-status nc-status--${code}` : "nc-status";
      $(".nc-step-date", li).textContent = state && state.date ? formatDate(state.date) : "";
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Generic tool forms (<form class="nc-tool" data-nc-tool="NAME">): Python answers, the glue fills in.

function toolParams(form) {
  const params = {};
  for (const input of $$("input[name], select[name], textarea[name]", form)) {
    const name = input.name;
    if (input.type === "checkbox") params[name] = input.checked;
    else if (input.type === "radio") {
      if (input.checked) params[name] = input.value;
    } else if (input.hasAttribute("data-nc-list")) {
      const values = input.tagName === "TEXTAREA" ? input.value.split(/\r?\n/) : [input.value];
      params[name] = (params[name] || []).concat(values.map((v) => v.trim()).filter(Boolean));
    } else params[name] = input.value;
  }
  return params;
}

function setupTool(form) {
  const section = form.closest("section, .nc-tool-section") || form.parentElement;
  const name = form.dataset.ncTool;
  let timer = null;
  async function run() {
    for (const slot of $$("[data-nc-error-for]", form)) {
      slot.textContent = "";
      slot.hidden = true;
    }
    for (const input of $$("[aria-invalid]", form)) input.removeAttribute("aria-invalid");
    if (python.state !== "ready") {
      say($("[data-nc-python-status]"), python.state === "failed" ? T.failed : T.loading);
      form.dataset.ncPending = "1";
      return;
    }
    let answer = await python.call({ op: "tool", tool: name, params: { ...toolParams(form), today: today() } });
    if (answer.ok && answer.fetch) answer = await fetchForTool(form, name, answer);
    if (!answer.ok) {
      for (const error of answer.errors || []) {
        const slot = $(`[data-nc-error-for="${CSS.escape(error.field)}"]`, form) || $('[data-nc-error-for="_form"]', form);
        const input = $(`[name="${CSS.escape(error.field)}"]`, form);
        if (slot) {
          slot.textContent = error.message;
          slot.hidden = false;
        }
        if (input) {
          input.setAttribute("aria-invalid", "true");
          if (slot && slot.id) input.setAttribute("aria-describedby", slot.id);
        }
      }
      return;
    }
    for (const [key, text] of Object.entries(answer.outputs || {})) {
      for (const out of $$(`[data-nc-output="${CSS.escape(key)}"]`, section)) out.textContent = text;
    }
    // The state is set on the section itself, not left to a selector (see tools.css: WebKit's :has(:empty)).
    for (const results of $$(".nc-results", section)) {
      const shown = $$("[data-nc-primary]", results).some((out) => out.textContent !== "");
      results.toggleAttribute("data-nc-answered", shown);
    }
    for (const list of $$("[data-nc-warnings]", section)) {
      list.textContent = "";
      for (const warning of answer.warnings || []) list.append(el("li", { text: warning }));
      list.hidden = !(answer.warnings || []).length;
    }
    for (const file of answer.downloads || []) {
      for (const target of $$(`[data-nc-download="${CSS.escape(file.key)}"]`, section)) {
        const bytes = file.base64 !== undefined ? Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)) : file.text;
        const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
        if (target.tagName === "A") {
          if (target.href.startsWith("blob:")) URL.revokeObjectURL(target.href);
          target.href = url;
          target.download = file.filename;
          target.removeAttribute("aria-disabled");
        } else {
          target.disabled = false;
          target.onclick = () => {
            const link = el("a", { href: url, download: file.filename });
            document.body.append(link);
            link.click();
            link.remove();
          };
        }
      }
    }
    for (const button of $$("[data-nc-copy]", section)) {
      const key = button.dataset.ncCopy;
      if (!(key in (answer.outputs || {}))) continue;
      button.disabled = false;
      button.onclick = async () => {
        try {
          await navigator.clipboard.writeText(answer.outputs[key]);
          button.dataset.ncCopied = "1";
          say($("[data-nc-python-status]"), T.copied);
        } catch {
          /* clipboard refused: the text is on the page to select */
        }
      };
    }
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  if (form.hasAttribute("data-nc-live")) {
    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 300);
    });
  }
  python.onChange((state) => {
    if (state === "ready" && form.dataset.ncPending) {
      delete form.dataset.ncPending;
      run();
    }
  });
  form.ncRun = run;
}

// A tool may ask the page to fetch for it ({"ok": true, "fetch": [{key, url}], "state": S}), e.g. the DNS check's
// DoH queries. Only after the user ticked the form's `consent` box themselves (a trusted event: a URL fragment or a
// script cannot agree for them): plain GETs with one CORS-safelisted header (no preflight), no cookies, 5 s each;
// then the tool is asked again with the bodies (base64) or why there is none.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.name === "consent") box.dataset.ncAgreed = event.isTrusted && box.checked ? "1" : "";
});

async function fetchForTool(form, name, answer) {
  const consent = form.elements.namedItem("consent");
  if (!consent || !consent.checked || consent.dataset.ncAgreed !== "1") return { ok: false, errors: [{ field: "consent", message: consent ? consent.dataset.ncAgreeFirst || "" : "" }] };
  form.setAttribute("aria-busy", "true");
  const one = async ({ key, url }) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 5000);
    try {
      const response = await fetch(url, { headers: { Accept: "application/dns-message" }, mode: "cors", credentials: "omit", cache: "no-store", signal: abort.signal });
      const bytes = new Uint8Array(await response.arrayBuffer());
      let binary = "";
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return [key, { status: response.status, body_b64: btoa(binary) }];
    } catch {
      return [key, { error: abort.signal.aborted ? "timeout" : "network" }];
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    const responses = Object.fromEntries(await Promise.all(answer.fetch.map(one)));
    return await python.call({ op: "tool", tool: name, params: { ...toolParams(form), today: today(), responses, state: answer.state } });
  } finally {
    form.removeAttribute("aria-busy");
  }
}

// Prefill tool inputs from the fragment (#domain=…&ip=…): it never reaches the server.
function prefillFromHash(forms) {
  if (!location.hash || !location.hash.includes("=")) return;
  const params = new URLSearchParams(location.hash.slice(1));
  for (const form of forms) {
    let filled = false;
    for (const key of new Set(params.keys())) {
      const values = params.getAll(key);
      const inputs = $$(`[name="${CSS.escape(key)}"]`, form);
      if (!inputs.length) continue;
      filled = true;
      if (inputs[0].tagName === "TEXTAREA" && inputs[0].hasAttribute("data-nc-list")) inputs[0].value = values.join("\n");
      else if (inputs[0].type === "checkbox") inputs[0].checked = ["1", "true", "on", "yes"].includes(values[0]);
      else if (inputs[0].type === "radio") for (const r of inputs) r.checked = r.value === values[0];
      else inputs.forEach((input, i) => (input.value = values[i] ?? values[values.length - 1]));
    }
    if (filled && form.ncRun) form.ncRun();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Start.

function showPythonState(state) {
  const region = $("[data-nc-python-status]");
  if (!region) return;
  region.dataset.state = state;
  if (state === "starting") {
    region.textContent = "";
    region.append(el("span", { class: "nc-spinner", "aria-hidden": "true" }), el("span", { text: T.loading }));
    region.setAttribute("aria-busy", "true");
  } else if (state === "ready") {
    region.removeAttribute("aria-busy");
    region.textContent = T.ready;
    setTimeout(() => {
      if (region.dataset.state === "ready") region.textContent = "";
    }, 2500);
  } else if (state === "failed") {
    region.removeAttribute("aria-busy");
    say(region, T.failed);
  }
}

// Accessibility fixes for the theme's own markup (axe-core: aria-dialog-name, scrollable-region-focusable),
// on every page: the search dialog gets the search field's name; a table that scrolls sideways can be
// reached and scrolled with the keyboard.
function fixThemeA11y() {
  const search = $(".md-search[role='dialog']");
  const input = $("input.md-search__input");
  if (search && input && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder || "Search");
  }
  const markScrollable = () => {
    for (const wrap of $$(".md-typeset__scrollwrap")) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
        const caption = wrap.closest("article") && wrap.previousElementSibling;
        if (!wrap.hasAttribute("aria-label")) wrap.setAttribute("aria-label", (caption && caption.textContent.trim().slice(0, 80)) || "table");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
      }
    }
  };
  // The theme wraps tables after its own start-up: check again once everything has loaded.
  markScrollable();
  window.addEventListener("load", () => setTimeout(markScrollable, 0));
  window.addEventListener("resize", markScrollable);
}

// On the pages that start Python, Material's search index (about a second of CPU) is built only after Python has
// started: assets/javascripts/workers/nc-search.js holds it until this page says "go" on the channel, which it does
// once Python is ready or has failed, or at once when the reader turns to search (focus on the box, search opened).
// A worker that starts after that asks, and is answered "go".
function releaseSearchAfterPython() {
  if (typeof BroadcastChannel !== "function") return; // nc-search.js then does not wait either
  const channel = new BroadcastChannel("netcom-search");
  let go = false;
  const release = () => {
    if (go) return;
    go = true;
    channel.postMessage("go");
  };
  channel.addEventListener("message", (event) => {
    if (event.data === "ask" && go) channel.postMessage("go");
  });
  python.onChange((state) => {
    if (state === "ready" || state === "failed") release();
  });
  $(".md-search__input")?.addEventListener("focus", release);
  $("#__search")?.addEventListener("change", release);
}

function boot() {
  fixThemeA11y();
  const early = takeEarlyEdits(); // before anything here draws over what the reader did meanwhile
  store.init();
  const form = $("#checklist-form");
  const steps = $$(".nc-step-items");
  const tools = $$("form.nc-tool[data-nc-tool]");
  if (!form && !steps.length && !tools.length) return;
  document.documentElement.classList.add("nc-js");
  if (form) setupChecklist(form);
  for (const section of steps) setupStepItems(section);
  for (const tool of tools) setupTool(tool);
  refresh();
  // Edits made before these listeners existed: put them back and let them go through the normal path.
  for (const { id, checked, value } of early) {
    const field = document.getElementById(id);
    if (!field) continue;
    field.checked = checked;
    field.value = value;
    if (field.dataset.field === "note") field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }
  if (store.unavailable) alertOnce("memory", T.memory);
  const alerts = $("#nc-alerts");
  if (page.read.state === "dirty" && alerts && form) {
    /* Python will repair it and say what happened; meanwhile what could be read is shown. */
  }
  window.addEventListener("storage", (event) => {
    if (event.storageArea && store.local && event.storageArea !== store.local) return;
    if (event.key !== STORAGE_KEY && event.key !== null) return;
    if (page.unsaved !== null) return;
    refresh();
    if (event.key === STORAGE_KEY) repairRace(event);
    askView();
  });
  markVisible("shown"); // the mark stays where checklist-view.js first showed the state
  // Python only where it is needed: the checklist page and tool pages. Step pages stay light.
  if (form || tools.length) {
    python.onChange((state) => {
      showPythonState(state);
      if (state === "ready") handOver();
      if (state === "failed") fallBack();
    });
    showPythonState("starting");
    releaseSearchAfterPython();
    python.start(); // the worker py-start.js started; what it loads was decided there (from the template)
    prefillFromHash(tools);
    window.addEventListener("hashchange", () => prefillFromHash(tools));
  }
}

// Python cannot start: keep the checklist working in JavaScript alone. Stored data that needs repair is
// first copied to the backup key, then what could be read becomes the document.
function fallBack() {
  const text = currentText();
  if (page.read.state === "dirty" && text !== null) {
    if (store.set(BACKUP_KEY, text) === "quota") {
      alertOnce("backup", T.backupFailed);
      return;
    }
    alertOnce("recovered", T.recovered);
    const doc = readDoc(text).doc;
    doc.migrations.forEach((m, i) => {
      if (!ID.test(m.id) || m.id.startsWith("tmp-")) m.id = `m-${doc.next_id + i}`;
      m.label = m.label.slice(0, LABEL_MAX);
    });
    doc.next_id += doc.migrations.length;
    if (!doc.migrations.some((m) => m.id === doc.active)) doc.active = doc.migrations[0]?.id ?? null;
    persist(writeDoc(doc));
  }
  const queued = page.queue.splice(0);
  refresh();
  for (const action of queued) if (LOCAL_ACTIONS.has(action.type)) act(action);
}

boot();
