// The checklist's painter and recorder (STORAGE_FORMAT.md, "The journal and the view"). It holds no rule and writes no
// document: it paints what Python last decided (the view Python keeps under netcom-checklist:view) and records what
// the user does, one journal entry per edit; Python (nc/checklist.js → checklist_app.browser op "fold") folds the
// entries into the document and writes the next view. An edit Python has not folded yet is shown as the user made it,
// and its row claims no status until Python has decided one. Words come from Python too (checklist_app/words.py).
// A classic script, so that it can run in the middle of parsing: the build puts it right after the checklist form,
// where it paints the saved state before the first paint and records ticks made before the modules have loaded; every
// page loads it (deferred) for the step pages' items. It runs once per page. User text only ever goes to textContent.
globalThis.ncChecklist ??= (() => {
  "use strict";
  const [KEY, VIEW_KEY, EDIT_PREFIX] = ["netcom-checklist", "netcom-checklist:view", "netcom-checklist:edit:"];
  const LANG = document.documentElement.lang.startsWith("en") ? "en" : "ja";
  const parse = (text) => {
    try {
      return JSON.parse(text);
    } catch {
      return null; // not JSON (a damaged value): Python reads and repairs what is stored
    }
  };
  const WORDS = parse(document.getElementById("nc-words")?.textContent) || {};
  const say = (key, vars = {}) => (WORDS[key] || "").replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? "");
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  function el(tag, { text = "", ...attrs } = {}, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([name, value]) => node.setAttribute(name, value));
    node.append(text, ...children);
    return node;
  }
  // Only touch a field that differs, and never the one being typed in: no flicker, no lost caret.
  const setValue = (input, value) => input && input.value !== value && document.activeElement !== input && (input.value = value);
  function alertOnce(key, text) {
    const region = $("#nc-alerts");
    if (region && !$(`[data-nc-alert="${key}"]`, region)) region.append(el("p", { "data-nc-alert": key, text }));
    region?.removeAttribute("hidden");
  }

  // Storage: localStorage when the browser allows it, else memory (and the page says so). set → "ok" or "quota".
  let local = null;
  const memory = new Map();
  const store = {
    get: (key) => (local ? local.getItem(key) : (memory.get(key) ?? null)),
    keys: () => (local ? Object.keys(local) : [...memory.keys()]),
    remove: (key) => (local ? local.removeItem(key) : memory.delete(key)),
    set(key, value) {
      try {
        local ? local.setItem(key, value) : memory.set(key, value);
        return "ok";
      } catch {
        alertOnce("quota", say("quota")); // nothing written: what was saved stays
        return "quota";
      }
    },
  };

  // What the page paints: Python's last view, and the entries it has not folded (or refused) yet, oldest first.
  function readState() {
    const data = parse(store.get(VIEW_KEY));
    const decided = new Set([...(data?.folded || []), ...Object.keys(data?.rejected || {})]);
    const keys = store.keys().filter((key) => key.startsWith(EDIT_PREFIX) && !decided.has(key));
    const pending = keys.sort().map((key) => ({ ...parse(store.get(key)), key }));
    return { data, view: data?.[LANG] || null, pending, stored: store.get(KEY) !== null };
  }

  // The view's current checklist with the pending edits shown as the user made them.
  function withPending(view, pending) {
    const current = view?.current ? structuredClone(view.current) : null;
    const rows = current?.items || Array.from({ length: 12 }, () => ({ done: false, date: null, note: "" }));
    const shown = { domain: current?.domain ?? "", dates: { ...current?.dates }, texts: { ...current?.dates_text } };
    shown.touched = new Set();
    for (const edit of pending.filter((e) => (e.migration ?? null) === (current?.id ?? null))) {
      const row = rows[edit.item - 1];
      if (edit.edit === "domain") shown.domain = edit.value;
      if (/_date$/.test(edit.edit)) shown.dates[edit.edit] = shown.texts[edit.edit] = edit.value;
      if (!row || !["done", "date", "note"].includes(edit.edit)) continue;
      shown.touched.add(edit.item);
      if (edit.edit === "done" && edit.value && !row.date) row.date = edit.day;
      row[edit.edit] = edit.value;
      row.date_text = row.date;
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

  function paintRow(root, row, known) {
    $(".nc-done", root).checked = row.done;
    const badge = $(".nc-status", root);
    [badge.textContent, badge.className, badge.hidden] = known
      ? [row.status_label, `nc-status nc-status--${row.status}`, false]
      : ["", "nc-status", true];
    root.dataset.status = known ? row.status : "";
    for (const print of $$(".nc-print-blank, .nc-step-date", root)) print.textContent = row.date_text || "";
    const expected = $(".nc-expected", root);
    if (expected) expected.textContent = (known && row.expected) || "";
  }

  function paintChecklist(form, state) {
    const { current, rows, domain, dates, texts, touched } = withPending(state.view, state.pending);
    form.classList.add("nc-live");
    setValue($("#checklist-domain", form), domain);
    for (const tr of $$("tr.nc-row", form)) {
      const n = Number(tr.dataset.item);
      const [row, note] = [rows[n - 1], $(".nc-note__input", tr)];
      paintRow(tr, row, current && !touched.has(n));
      setValue($('[data-field="completed_on"]', tr), row.date || "");
      setValue(note, row.note);
      fitNote(note);
      $(".nc-note__print", tr).textContent = row.note;
      tr.classList.toggle("nc-has-note", Boolean(row.note));
      for (const input of $$("[data-extra]", tr)) {
        setValue(input, dates[input.dataset.field] || "");
        input.nextElementSibling.textContent = texts[input.dataset.field] || "";
      }
    }
    paintOverview($("#nc-overview"), state.view);
    // Without Python (it could not start) nothing says how far along the list is: the status line says what works.
    const waiting = document.documentElement.dataset.ncPython === "failed" ? "" : say("reading");
    $("#nc-progress-text").textContent = current?.summary ?? (state.pending.length || state.stored ? waiting : say("no_migration"));
    [$("#nc-progress").value, $("#nc-progress").hidden] = [current?.done ?? 0, !current];
    const next = $("#nc-next");
    next.replaceChildren(...(current && !current.next ? [say("all_done")] : []));
    next.hidden = !current;
    if (current?.next) {
      const href = $(`#${current.next.row_id} a.nc-row__step`)?.getAttribute("href") || `#${current.next.row_id}`;
      next.append(el("span", { class: "nc-next__label", text: say("next") }), " ");
      next.append(el("a", { href, text: `${current.next.item}. ${current.next.title}` }));
      if (current.next.actor === "netcom") next.append(" ", el("span", { class: "nc-next__netcom", text: say("next_netcom") }));
    }
    const count = paintSelect($("#nc-migration-select"), state.view);
    const controls = $$("#nc-migration-select, #nc-rename, #nc-delete, #nc-reset, #nc-export, #nc-export-all");
    controls.forEach((control) => (control.disabled = !count));
  }

  // A checklist selector: Python's list, rebuilt only when it changed (a rebuild would close it under the reader's
  // pointer). The checklist's shows the checklist shown; the planner's (`none`: its first option) keeps the choice.
  function paintSelect(select, view, none) {
    const options = (view?.migrations || []).map((m) => el("option", { value: m.id, text: m.choice }));
    const [wanted, value] = none ? [[el("option", { value: "", text: none }), ...options], select.value] : [options, view?.active || ""];
    const html = (list) => list.map((option) => option.outerHTML).join();
    if (html(wanted) !== html($$("option", select))) select.replaceChildren(...wanted);
    select.value = value;
    return options.length;
  }

  // Every checklist at a glance: Python's rows, in the order Python gives for the sort the reader picked.
  let overviewShown = "";
  function paintOverview(box, view) {
    const data = view?.overview;
    if (!box || !data || (box.hidden = !data.count)) return;
    const ids = data.order[$("#nc-overview-sort").value] || data.rows.map((row) => row.id);
    if (overviewShown === (overviewShown = JSON.stringify([ids, data.rows]))) return;
    $("#nc-overview-summary").textContent = data.summary;
    const link = (href, text, attrs = {}) => (href ? el("a", { href, text, ...attrs }) : text);
    const row = (r) => [r.label, r.progress, r.next, r.actor_text, link(r.plan_url, r.switch_text, { "data-nc-select": r.id }), r.cancellation_date];
    const warnings = (r) => r.warnings.map((w) => link(w.url, w.text, { class: "nc-warning" }));
    $("tbody", box).replaceChildren(...ids.map((id) => data.rows.find((r) => r.id === id)).map((r) => el("tr", { "data-attention": r.attention },
      el("th", { scope: "row" }, link("#items", r.domain, { "data-nc-select": r.id })), ...[...row(r), warnings(r)].map((c) => el("td", {}, ...[c].flat())))));
  }

  function paintStep(section, state) {
    const { current, rows, touched } = withPending(state.view, state.pending);
    section.classList.add("nc-live");
    const intro = current ? `${say("step_for", { name: current.name })}: ${current.summary}` : say("step_none");
    $(".nc-step-items__for", section).textContent = touched.size ? `${intro} ${say("step_pending")}` : intro;
    for (const li of $$("li.nc-item[data-item]", section)) {
      const n = Number(li.dataset.item);
      paintRow(li, rows[n - 1], current && !touched.has(n));
    }
  }

  let shown = null; // the state last painted: an edit names the checklist it showed
  function paint() {
    shown = readState();
    const form = document.getElementById("checklist-form");
    if (form) paintChecklist(form, shown);
    for (const section of $$(".nc-step-items")) paintStep(section, shown);
    const pick = document.getElementById("nc-plan-domain"); // the planner's: hidden without a checklist
    if (pick) pick.closest("[data-nc-plan-pick]").hidden = !paintSelect(pick, shown.view, pick.dataset.ncNone);
    return shown;
  }

  // The user's own calendar day and local time (Python never reads a clock).
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  function clock() {
    const d = new Date();
    const [day, offset] = [`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, -d.getTimezoneOffset()];
    const zone = `${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    return { ms: d.getTime(), day, now: `${day}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}` };
  }

  // Recording: one entry per edit, written at once; its stamp orders it (milliseconds, never twice the same here).
  const listeners = [];
  let last = 0;
  function record(edit, fields = {}) {
    const { ms, day, now } = clock();
    last = Math.max(ms, last + 1);
    const key = `${EDIT_PREFIX}${pad(last, 13)}-${Math.random().toString(36).slice(2, 10) || "0"}`;
    const entry = { edit, migration: shown?.view?.current?.id ?? null, item: null, value: null, label: null, day, now };
    const written = store.set(key, JSON.stringify({ ...entry, ...fields })) === "ok";
    paint();
    for (const listener of written ? listeners : []) listener(key, { ...entry, ...fields });
    return written ? key : null;
  }

  // What the user did in a checklist row, the domain field above it, or a step page's item. A note is recorded once
  // typing pauses, and at once when the field is left (or the page is).
  const notes = new Map();
  function onEdit(event) {
    const [target, change] = [event.target, event.type === "change"];
    const item = Number(target.dataset.item) || null;
    if (target.dataset.field === "note") {
      // The note belongs to the checklist shown when typing began, whatever is shown when it is saved.
      const migration = notes.get(item)?.migration ?? shown?.view?.current?.id ?? null;
      clearTimeout(notes.get(item)?.timer);
      const save = () => notes.delete(item) && record("note", { item, value: target.value, migration });
      notes.set(item, { save, migration, timer: setTimeout(save, 400) });
      if (change) save();
      fitNote(target);
    } else if (!change) {
      return;
    } else if (target.id === "checklist-domain" && target.value.trim()) {
      record("domain", { value: target.value });
    } else if (target.classList.contains("nc-done")) {
      record("done", { item, value: target.checked });
    } else if (target.classList.contains("nc-date")) {
      record(target.dataset.field === "completed_on" ? "date" : target.dataset.field, { item, value: target.value || null });
    }
  }

  try {
    local = window.localStorage;
    local.getItem(KEY);
  } catch {
    local = null;
    alertOnce("memory", say("memory"));
  }
  const form = document.getElementById("checklist-form");
  form?.addEventListener("submit", (event) => event.preventDefault());
  $("#nc-app")?.removeAttribute("hidden");
  // Leaving the page, or the phone switching to another app, saves a note still being typed.
  const flush = () => [...notes.values()].forEach((note) => note.save());
  addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => document.hidden && flush());
  for (const root of [form, ...$$(".nc-step-items")].filter(Boolean)) {
    root.addEventListener("change", onEdit);
    root.addEventListener("input", onEdit);
  }
  $("#nc-overview")?.addEventListener("click", (event) => {
    const pick = event.target.closest("[data-nc-select]");
    if (pick) record("select", { migration: pick.dataset.ncSelect });
  });
  $("#nc-overview-sort")?.addEventListener("change", paint);
  paint();
  if (form && !document.documentElement.dataset.ncState) performance.mark("nc-state-visible");
  if (form) document.documentElement.dataset.ncState = "visible";
  return { KEY, VIEW_KEY, EDIT_PREFIX, LANG, say, $, $$, el, alertOnce, store, paint, record, listeners, readState, clock };
})();
