// The checklist's painter and recorder (STORAGE_FORMAT.md, "The journal and the view"). It holds no rule and writes no
// document: it paints what Python last decided (the view Python keeps under netcom-checklist:view) and records what
// the user does, one journal entry per edit; Python (app.js → checklist_app.browser op "fold") folds the entries into
// the document and writes the next view. An edit Python has not folded yet is shown as the user made it, and its row
// claims no status until Python has decided one. Words come from Python too (checklist_app/words.py, #nc-words).
// A classic script, so that it can run in the middle of parsing: the build puts it right after the checklist form,
// where it paints the saved state before the first paint and records ticks made before app.js has loaded; every
// page loads it (deferred) for the step pages' items. It runs once per page. User text only ever goes to textContent.
globalThis.ncChecklist ??= (() => {
  "use strict";
  const KEY = "netcom-checklist";
  const VIEW_KEY = "netcom-checklist:view";
  const EDIT_PREFIX = "netcom-checklist:edit:";
  const LANG = document.documentElement.lang.startsWith("en") ? "en" : "ja";
  const WORDS = JSON.parse(document.getElementById("nc-words")?.textContent || "{}");
  const say = (key, vars = {}) => (WORDS[key] || "").replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? "");
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    node.append(...children);
    return node;
  }
  // Only touch a field that differs, and never the one being typed in: no flicker, no lost caret.
  function setValue(input, value) {
    if (input && input.value !== value && document.activeElement !== input) input.value = value;
  }
  function alertOnce(key, text) {
    const region = $("#nc-alerts");
    if (region && !$(`[data-nc-alert="${key}"]`, region)) region.append(el("p", { "data-nc-alert": key, text }));
    if (region) region.hidden = false;
  }

  // Storage: localStorage when the browser allows it, else memory (and the page says so).
  const store = {
    local: null,
    memory: new Map(),
    init() {
      try {
        this.local = window.localStorage;
        this.local.getItem(KEY);
      } catch {
        this.local = null;
        alertOnce("memory", say("memory"));
      }
    },
    get(key) {
      return this.local ? this.local.getItem(key) : (this.memory.get(key) ?? null);
    },
    keys() {
      return this.local ? Object.keys(this.local) : [...this.memory.keys()];
    },
    // "ok", or "quota" (nothing written: what was saved stays) — the page then says so.
    set(key, value) {
      try {
        if (this.local) this.local.setItem(key, value);
        else this.memory.set(key, value);
        return "ok";
      } catch {
        alertOnce("quota", say("quota"));
        return "quota";
      }
    },
    remove(key) {
      if (this.local) this.local.removeItem(key);
      else this.memory.delete(key);
    },
  };

  // What the page paints: Python's last view, and the entries it has not folded (or refused) yet, oldest first.
  function readState() {
    let data = null;
    try {
      data = JSON.parse(store.get(VIEW_KEY));
    } catch {
      data = null;
    }
    const decided = new Set([...(data?.folded || []), ...Object.keys(data?.rejected || {})]);
    const pending = [];
    for (const key of store.keys().filter((k) => k.startsWith(EDIT_PREFIX) && !decided.has(k)).sort()) {
      try {
        pending.push({ key, ...JSON.parse(store.get(key)) });
      } catch {
        /* not an entry: Python drops it */
      }
    }
    return { data, view: data?.[LANG] || null, pending, stored: store.get(KEY) !== null };
  }

  // The view's current checklist with the pending edits shown as the user made them.
  function withPending(view, pending) {
    const current = view?.current ? structuredClone(view.current) : null;
    const rows = current?.items || Array.from({ length: 12 }, () => ({ done: false, date: null, note: "" }));
    const shown = { domain: current?.domain ?? "", cancel: current?.cancellation_date ?? null, touched: new Set() };
    shown.cancelText = current?.cancellation_date_text ?? "";
    for (const edit of pending) {
      const row = rows[edit.item - 1];
      if ((edit.migration ?? null) !== (current?.id ?? null)) continue;
      if (edit.edit === "domain") shown.domain = edit.value;
      if (edit.edit === "cancellation_date") shown.cancel = shown.cancelText = edit.value;
      if (!row || !["done", "date", "note"].includes(edit.edit)) continue;
      shown.touched.add(edit.item);
      if (edit.edit === "done") row.date = edit.value && !row.date ? edit.day : row.date;
      row[edit.edit] = edit.value;
      row.date_text = row.date || "";
    }
    return { current, rows, ...shown };
  }

  // A note grows with its text: CSS does it where the browser knows `field-sizing`; elsewhere once per frame.
  const fitsItself = globalThis.CSS?.supports?.("field-sizing", "content");
  function fitNote(note) {
    if (fitsItself || !note.value) return;
    requestAnimationFrame(() => {
      note.style.height = "auto";
      note.style.height = `${Math.min(note.scrollHeight + 2, 240)}px`;
    });
  }

  function paintBadge(badge, row, known) {
    badge.textContent = known ? row.status_label : "";
    badge.className = known ? `nc-status nc-status--${row.status}` : "nc-status";
    badge.hidden = !known;
  }

  function paintChecklist(form, state) {
    const { current, rows, domain, cancel, cancelText, touched } = withPending(state.view, state.pending);
    form.classList.add("nc-live");
    setValue($("#checklist-domain", form), domain);
    for (const tr of $$("tr.nc-row", form)) {
      const n = Number(tr.dataset.item);
      const row = rows[n - 1];
      const known = Boolean(current) && !touched.has(n);
      $(".nc-done", tr).checked = row.done;
      setValue($('[data-field="completed_on"]', tr), row.date || "");
      $(".nc-print-blank", tr).textContent = row.date_text || "";
      const note = $(".nc-note__input", tr);
      setValue(note, row.note);
      fitNote(note);
      $(".nc-note__print", tr).textContent = row.note;
      tr.classList.toggle("nc-has-note", Boolean(row.note));
      paintBadge($(".nc-status", tr), row, known);
      tr.dataset.status = known ? row.status : "";
      const cancelInput = $('[data-field="cancellation_date"]', tr);
      if (cancelInput) setValue(cancelInput, cancel || "");
      if (cancelInput) $(".nc-print-value", tr).textContent = cancelText || "";
    }
    const text = $("#nc-progress-text");
    const bar = $("#nc-progress");
    // Without Python (it could not start) nothing says how far along the list is: the status line says what works.
    const waiting = document.documentElement.dataset.ncPython === "failed" ? "" : say("reading");
    if (text) text.textContent = current ? current.summary : state.pending.length || state.stored ? waiting : say("no_migration");
    if (bar) [bar.value, bar.hidden] = [current ? current.done : 0, !current];
    const next = $("#nc-next");
    if (next) {
      next.textContent = "";
      next.hidden = !current;
      if (current && !current.next) next.append(say("all_done"));
      if (current?.next) {
        const link = $(`#${current.next.row_id} a.nc-row__step`);
        const href = link ? link.getAttribute("href") : `#${current.next.row_id}`;
        next.append(el("span", { class: "nc-next__label", text: say("next") }), " ");
        next.append(el("a", { href, text: `${current.next.item}. ${current.next.title}` }));
        if (current.next.actor === "netcom") next.append(" ", el("span", { class: "nc-next__netcom", text: say("next_netcom") }));
      }
    }
    const select = $("#nc-migration-select");
    if (!select) return;
    const migrations = state.view?.migrations || [];
    const wanted = migrations.map((m) => [m.id, m.choice]);
    if (JSON.stringify(wanted) !== JSON.stringify($$("option", select).map((o) => [o.value, o.textContent]))) {
      select.replaceChildren(...wanted.map(([value, text]) => el("option", { value, text })));
    }
    select.value = state.view?.active || "";
    for (const control of [select, ...$$("#nc-rename, #nc-delete, #nc-reset, #nc-export, #nc-export-all")]) {
      control.disabled = !migrations.length;
    }
  }

  function paintStep(section, state) {
    const { current, rows, touched } = withPending(state.view, state.pending);
    section.classList.add("nc-live");
    const intro = current ? `${say("step_for", { name: current.name })}: ${current.summary}` : say("step_none");
    $(".nc-step-items__for", section).textContent = touched.size ? `${intro} ${say("step_pending")}` : intro;
    for (const li of $$("li.nc-item[data-item]", section)) {
      const n = Number(li.dataset.item);
      $(".nc-done", li).checked = rows[n - 1].done;
      paintBadge($(".nc-status", li), rows[n - 1], Boolean(current) && !touched.has(n));
      $(".nc-step-date", li).textContent = rows[n - 1].date_text || "";
    }
  }

  let shown = null; // the state last painted: edits name the checklist it showed
  function paint() {
    shown = readState();
    const form = document.getElementById("checklist-form");
    if (form) paintChecklist(form, shown);
    for (const section of $$(".nc-step-items")) paintStep(section, shown);
    return shown;
  }

  // Recording: one entry per edit, written at once; its stamp orders it (milliseconds, never twice the same here).
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  const listeners = [];
  let last = 0;
  // The user's own calendar day and local time (Python never reads a clock).
  function clock() {
    const d = new Date();
    const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    const offset = -d.getTimezoneOffset();
    const zone = `${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    return { ms: d.getTime(), day, now: `${day}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}` };
  }
  function record(edit, fields = {}) {
    const { ms, day, now } = clock();
    last = Math.max(ms, last + 1);
    const key = `${EDIT_PREFIX}${pad(last, 13)}-${Math.random().toString(36).slice(2, 10) || "0"}`;
    const migration = shown?.view?.current?.id ?? null;
    const entry = { edit, migration, item: null, value: null, label: null, day, now, ...fields };
    if (store.set(key, JSON.stringify(entry)) !== "ok") return paint() && null;
    paint();
    for (const listener of listeners) listener(key, entry);
    return key;
  }

  // What the user did in a checklist row, the domain field above it, or a step page's item.
  const FIELDS = { completed_on: "date", note: "note", cancellation_date: "cancellation_date" };
  const noteTimers = new Map();
  const noteSaves = new Map();
  function onEdit(event) {
    const target = event.target;
    const item = Number(target.dataset.item) || null;
    if (target.id === "checklist-domain") {
      if (event.type === "change" && target.value.trim()) record("domain", { value: target.value });
    } else if (target.classList.contains("nc-done") && event.type === "change") {
      record("done", { item, value: target.checked });
    } else if (target.dataset.field === "note") {
      // A note is recorded once typing pauses, and at once when the field is left.
      clearTimeout(noteTimers.get(item));
      const save = () => noteSaves.delete(item) && record("note", { item, value: target.value });
      noteSaves.set(item, save);
      noteTimers.set(item, setTimeout(save, 400));
      if (event.type === "change") save();
      fitNote(target);
    } else if (FIELDS[target.dataset.field] && event.type === "change") {
      record(FIELDS[target.dataset.field], { item, value: target.value || null });
    }
  }
  function listen(root) {
    root.addEventListener("change", onEdit);
    root.addEventListener("input", onEdit);
  }

  function start() {
    store.init();
    const form = document.getElementById("checklist-form");
    if (form) form.addEventListener("submit", (event) => event.preventDefault());
    $("#nc-app")?.removeAttribute("hidden");
    // Leaving the page while a note waits for typing to pause: record it now (closing the tab never loses it).
    addEventListener("pagehide", () => [...noteSaves.values()].forEach((save) => save()));
    for (const root of [form, ...$$(".nc-step-items")]) if (root) listen(root);
    paint();
    if (form && !document.documentElement.dataset.ncState) performance.mark("nc-state-visible");
    if (form) document.documentElement.dataset.ncState = "visible";
  }
  start();
  return { KEY, VIEW_KEY, EDIT_PREFIX, LANG, say, $, $$, el, alertOnce, store, paint, record, listeners, readState, clock };
})();
