// The checklist's shared core: the words the page writes, the one JavaScript reader and writer of the storage format
// (checklist_app/STORAGE_FORMAT.md) and the checklist's rendering, as globalThis.ncChecklist.
// A classic script, so that it can run in the middle of parsing: the build hook puts it right after the checklist
// form, where it shows the saved state before the first paint (see the end of this file); every page that has
// app.js also loads it (deferred, before app.js), and app.js takes everything from it. Loaded twice on the
// checklist page, it runs once. User text only ever reaches the page as textContent.

globalThis.ncChecklist ??= (() => {
"use strict";

const STORAGE_KEY = "netcom-checklist";
const BACKUP_KEY = "netcom-checklist-backup";
const FORMAT = "netcom-checklist";
const ITEM_COUNT = 12;
const NOTE_MAX = 1000;
const LABEL_MAX = 100;
const DOMAIN_MAX = 253;
const LANG = (document.documentElement.lang || "ja").toLowerCase().startsWith("en") ? "en" : "ja";

// Words the glue writes itself (everything else comes from the page or from Python), per language.
const STRINGS = {
  ja: {
    loading: "チェックリストの機能を準備しています…(保存済みの内容はそのまま表示・記入できます)",
    ready: "準備ができました。",
    failed:
      "このブラウザではチェックリストの一部の機能(削除・読み込み・書き出しなど)を開始できませんでした。チェックと日付・メモの記入はこのまま使え、ブラウザに保存されます。",
    memory:
      "このブラウザには保存できない設定になっています。入力した内容はこのページを閉じると消えます。「書き出す」でファイルに保存してください。",
    quota:
      "ブラウザの保存容量が足りないため、最後の変更を保存できませんでした(保存済みの内容はそのままです)。「書き出す」でファイルに保存してください。",
    backupFailed: "保存データの修復前のバックアップを保存できなかったため、修復した内容は保存していません。",
    recovered: "保存データの一部が読めませんでした。読めた内容を表示しています。元のデータはバックアップとして残しました。",
    migrated: "以前の形式で保存されたデータを新しい形式に変換しました。元のデータはバックアップとして残しました。",
    summary: (done, total) => `${done} / ${total} 完了`,
    next: "次の作業:",
    nextNetcom: "(弊社の作業です。完了のご連絡をお待ちください)",
    allDone: "すべての項目が完了しました。",
    status: { not_started: "未着手", in_progress: "対応中", done: "完了", cannot_start_yet: "まだ開始できません" },
    note: "メモ",
    deleted: (name) => `「${name}」のチェックリストを削除しました。`,
    reset: (name) => `「${name}」のチェックリストを空にしました。`,
    undo: "元に戻す",
    undone: "元に戻しました。",
    confirmDelete: (name) => `「${name}」のチェックリストを削除しますか?`,
    confirmReset: (name) => `「${name}」のチェックリストのチェック・日付・メモをすべて空にしますか?`,
    yesDelete: "削除する",
    yesReset: "空にする",
    no: "やめる",
    noMigration: "まだチェックリストがありません。ドメイン名を入力して始めてください。",
    needDomain: "先にドメイン名を入力してください。",
    needPython: "この操作は準備ができてから使えます。しばらくお待ちください。",
    unavailable: "この操作は、このブラウザでは使えません。",
    exported: (name) => `${name} を書き出しました。`,
    stepFor: (name) => `「${name}」のチェックリスト`,
    stepNone: "チェックリストにドメイン名を入力すると、ここでもチェックできます。",
    stepReadOnly: "保存データの確認が必要です。チェックリストのページを開いてください。",
    stepDone: (n) => `${n}. 完了`,
    saved: "保存しました。",
    domain: {
      empty: "ドメイン名を入力してください。",
      long: `ドメイン名が長すぎます(${DOMAIN_MAX} 文字まで)。`,
      space: "ドメイン名に空白は使えません。",
      control: "ドメイン名に使えない文字が含まれています。",
      url: "ドメイン名だけを入力してください(例: example.co.jp)。URL やメールアドレスは使えません。",
      taken: (d) => `${d} のチェックリストはすでにあります。`,
    },
    label: { long: `表示名が長すぎます(${LABEL_MAX} 文字まで)。`, control: "表示名に使えない文字が含まれています。" },
    date: "日付は 2000-01-01 から 2099-12-31 までの間で入力してください。",
    copied: "コピーしました。",
  },
  en: {
    loading: "Getting the checklist ready… (your saved progress is shown and can be edited meanwhile)",
    ready: "Ready.",
    failed:
      "Some checklist features (delete, import, export…) could not start in this browser. Ticking and writing dates and notes still work and are saved in the browser.",
    memory:
      "This browser does not allow saving. What you enter is lost when you close this page: use “Export” to save it to a file.",
    quota:
      "The browser's storage is full, so the last change could not be saved (what was saved before is unchanged). Use “Export” to save it to a file.",
    backupFailed: "The backup of the damaged saved data could not be written, so the repaired data was not saved.",
    recovered: "Part of the saved data could not be read. What could be read is shown; the original is kept as a backup.",
    migrated: "Data saved in an older format was converted to the new one; the original is kept as a backup.",
    summary: (done, total) => `${done} of ${total} completed`,
    next: "Next:",
    nextNetcom: "(Net-com's task: we will tell you when it is done)",
    allDone: "Every item is completed.",
    status: { not_started: "Not started", in_progress: "In progress", done: "Completed", cannot_start_yet: "Cannot start yet" },
    note: "Note",
    deleted: (name) => `The checklist “${name}” was deleted.`,
    reset: (name) => `The checklist “${name}” was emptied.`,
    undo: "Undo",
    undone: "Undone.",
    confirmDelete: (name) => `Delete the checklist “${name}”?`,
    confirmReset: (name) => `Clear every tick, date and note of the checklist “${name}”?`,
    yesDelete: "Delete",
    yesReset: "Clear",
    no: "Cancel",
    noMigration: "There is no checklist yet. Enter a domain name to start.",
    needDomain: "Enter the domain name first.",
    needPython: "This is available once the checklist is ready. Please wait a moment.",
    unavailable: "This is not available in this browser.",
    exported: (name) => `Exported ${name}.`,
    stepFor: (name) => `Checklist “${name}”`,
    stepNone: "Enter a domain name in the checklist to tick these items here too.",
    stepReadOnly: "The saved data needs checking: open the checklist page.",
    stepDone: (n) => `${n}. Completed`,
    saved: "Saved.",
    domain: {
      empty: "Enter the domain name.",
      long: `The domain name is too long (at most ${DOMAIN_MAX} characters).`,
      space: "A domain name cannot contain spaces.",
      control: "The domain name contains a character that cannot be used.",
      url: "Enter only the domain name (e.g. example.co.jp), not a URL or an e-mail address.",
      taken: (d) => `There is already a checklist for ${d}.`,
    },
    label: {
      long: `The display name is too long (at most ${LABEL_MAX} characters).`,
      control: "The display name contains a character that cannot be used.",
    },
    date: "Enter a date between 2000-01-01 and 2099-12-31.",
    copied: "Copied.",
  },
};
const T = STRINGS[LANG];

// ---------------------------------------------------------------------------------------------------------
// The tiny reader and writer of the storage format (version 2; version 1 is read for display only).
// A document this reader does not fully understand is shown but never written by JavaScript: Python
// repairs it first and keeps the original as a backup.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_-]{1,40}$/;

function emptyDoc() {
  return { format: FORMAT, version: 2, active: null, next_id: 1, migrations: [] };
}
function emptyItems() {
  const items = {};
  for (let n = 1; n <= ITEM_COUNT; n++) items[String(n)] = { done: false, date: null, note: "" };
  return items;
}
function validDate(value) {
  if (value === null) return true;
  if (typeof value !== "string" || !ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && value >= "2000-01-01" && value <= "2099-12-31";
}
function cleanItem(raw) {
  if (!raw || typeof raw !== "object") return null;
  const item = { done: raw.done, date: raw.date === undefined ? null : raw.date, note: raw.note === undefined ? "" : raw.note };
  if (typeof item.done !== "boolean" || !validDate(item.date) || typeof item.note !== "string") return null;
  if (item.note.length > NOTE_MAX) return null;
  return item;
}

// -> { state: "empty" | "ok" | "dirty", doc } ; "dirty": shown as far as readable, only Python writes it.
function readDoc(text) {
  if (text === null || text === undefined || !String(text).trim()) return { state: "empty", doc: emptyDoc() };
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return { state: "dirty", doc: emptyDoc() };
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return { state: "dirty", doc: emptyDoc() };
  if (data.version === 1) return { state: "dirty", doc: fromVersion1(data) };
  let clean = data.version === 2 && data.format === FORMAT && Array.isArray(data.migrations);
  const doc = emptyDoc();
  doc.next_id = Number.isInteger(data.next_id) && data.next_id >= 1 ? data.next_id : ((clean = false), 1);
  const seen = new Set();
  for (const raw of Array.isArray(data.migrations) ? data.migrations : []) {
    if (!raw || typeof raw !== "object" || typeof raw.domain !== "string" || !raw.domain.trim()) {
      clean = false;
      continue;
    }
    const m = {
      id: typeof raw.id === "string" && ID.test(raw.id) && !seen.has(raw.id) ? raw.id : null,
      domain: raw.domain,
      label: typeof raw.label === "string" ? raw.label : "",
      created: typeof raw.created === "string" ? raw.created : "",
      updated: typeof raw.updated === "string" ? raw.updated : "",
      cancellation_date: validDate(raw.cancellation_date ?? null) ? (raw.cancellation_date ?? null) : null,
      items: emptyItems(),
    };
    if (m.id === null || raw.label === undefined || m.cancellation_date !== (raw.cancellation_date ?? null)) clean = false;
    const items = raw.items && typeof raw.items === "object" ? raw.items : {};
    for (let n = 1; n <= ITEM_COUNT; n++) {
      const item = cleanItem(items[String(n)]);
      if (item) m.items[String(n)] = item;
      else clean = false;
    }
    if (Object.keys(items).length !== ITEM_COUNT) clean = false;
    if (m.id === null) m.id = `tmp-${seen.size + 1}`;
    seen.add(m.id);
    doc.migrations.push(m);
  }
  doc.active = doc.migrations.some((m) => m.id === data.active) ? data.active : data.active === null ? null : ((clean = false), doc.migrations[0]?.id ?? null);
  return { state: clean ? "ok" : "dirty", doc };
}

function fromVersion1(data) {
  const doc = emptyDoc();
  if (typeof data.domain !== "string" || !data.domain.trim()) return doc;
  const items = emptyItems();
  for (const n of Array.isArray(data.checked) ? data.checked : []) if (items[String(n)]) items[String(n)].done = true;
  for (const [n, v] of Object.entries(data.dates || {})) if (items[n] && validDate(v)) items[n].date = v;
  for (const [n, v] of Object.entries(data.notes || {})) if (items[n] && typeof v === "string") items[n].note = v;
  const cancel = validDate(data.cancellation_date ?? null) ? (data.cancellation_date ?? null) : null;
  doc.migrations.push({ id: "m-1", domain: data.domain.trim(), label: "", created: "", updated: "", cancellation_date: cancel, items });
  doc.active = "m-1";
  doc.next_id = 2;
  return doc;
}

// The same text checklist_app.storage.dumps writes: same key order, compact, non-ASCII kept.
function writeDoc(doc) {
  return JSON.stringify({
    format: FORMAT,
    version: 2,
    active: doc.active,
    next_id: doc.next_id,
    migrations: doc.migrations.map((m) => {
      const items = {};
      for (let n = 1; n <= ITEM_COUNT; n++) {
        const i = m.items[String(n)];
        items[String(n)] = { done: i.done, date: i.date, note: i.note };
      }
      return {
        id: m.id,
        domain: m.domain,
        label: m.label,
        created: m.created,
        updated: m.updated,
        cancellation_date: m.cancellation_date,
        items,
      };
    }),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Rules the page can show before Python answers: who acts and what each item waits for, read from the
// rendered rows (the build renders checklist_app.steps into them).

function itemRules() {
  const rules = {};
  for (const row of document.querySelectorAll("[data-item][data-requires]")) {
    const n = row.dataset.item;
    if (!rules[n]) rules[n] = row.dataset.requires.split(/\s+/).filter(Boolean);
  }
  return Object.keys(rules).length === ITEM_COUNT ? rules : null;
}

function derive(m, rules) {
  const items = m.items;
  const done = Object.values(items).filter((i) => i.done).length;
  if (!rules) return { done, statuses: null, next: undefined };
  const statuses = {};
  let next = null;
  for (let n = 1; n <= ITEM_COUNT; n++) {
    const item = items[String(n)];
    const ready = rules[String(n)].every((r) => items[r] && items[r].done);
    let status = "not_started";
    if (item.done) status = "done";
    else if (!ready) status = "cannot_start_yet";
    else if (item.date || item.note || (n === 2 && m.cancellation_date)) status = "in_progress";
    statuses[n] = status;
    if (next === null && !item.done && ready) next = n;
  }
  return { done, statuses, next };
}

// ---------------------------------------------------------------------------------------------------------
// Small DOM helpers: elements are built with textContent only.

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}
const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
function setValue(input, value) {
  // Only touch a field that differs, and never the one being typed in: no flicker, no lost caret.
  if (!input || input.value === value || document.activeElement === input) return;
  input.value = value;
}

// ---------------------------------------------------------------------------------------------------------
// The checklist's rendering: a function of the stored document (and of Python's view once it has one).

function formatDate(value) {
  if (!value) return "";
  const [y, mo, d] = value.split("-");
  return LANG === "ja" ? `${y}年${Number(mo)}月${Number(d)}日` : value;
}

// A note grows with its text: CSS does it where the browser knows `field-sizing` (no layout read here);
// elsewhere the heights are measured together, once, in the next frame (one layout, not one per note).
const SIZES_ITSELF = typeof CSS !== "undefined" && typeof CSS.supports === "function" && CSS.supports("field-sizing", "content");
const toFit = new Set();
function fitNote(textarea) {
  if (SIZES_ITSELF || toFit.has(textarea)) return;
  toFit.add(textarea);
  if (toFit.size > 1) return;
  requestAnimationFrame(() => {
    const notes = [...toFit];
    toFit.clear();
    for (const note of notes) note.style.height = "auto";
    const heights = notes.map((note) => Math.min(note.scrollHeight + 2, 240));
    notes.forEach((note, i) => (note.style.height = `${heights[i]}px`));
  });
}

// The rows' live parts (status badge, note, printed values), added once; the page is shown as live.
function prepareChecklist(form) {
  document.documentElement.classList.add("nc-js");
  form.classList.add("nc-live");
  const app = document.getElementById("nc-app");
  if (app) app.hidden = false;
  if (form.dataset.ncPrepared) return;
  form.dataset.ncPrepared = "1";
  for (const row of $$("tr.nc-row", form)) {
    const n = row.dataset.item;
    const cell = row.cells[1];
    const badge = el("strong", { class: "nc-status", "data-nc-status": "", id: `status-${n}` });
    cell.prepend(badge, " ");
    const noteId = `note-${n}`;
    const note = el(
      "p",
      { class: "nc-note" },
      el("label", { for: noteId, text: T.note }),
      el("textarea", { id: noteId, rows: "1", maxlength: String(NOTE_MAX), "data-item": n, "data-field": "note", class: "nc-note__input" }),
      el("span", { class: "nc-note__print", "aria-hidden": "true" }),
    );
    cell.append(note);
    const checkbox = $(".nc-done", row);
    checkbox.setAttribute("aria-describedby", `status-${n}`);
  }
  const cancel = $(".nc-cancel", form);
  if (cancel) cancel.append(el("span", { class: "nc-print-value", "aria-hidden": "true" }));
}

function activeOf(doc) {
  return doc.migrations.find((m) => m.id === doc.active) || null;
}

// `view`: Python's view of exactly this document, or null (statuses then come from the rules in the rows).
function renderChecklist(form, doc, view) {
  const m = activeOf(doc);
  const current = view && view.current && m && view.current.id === m.id ? view.current : null;
  const derived = m ? derive(m, itemRules()) : null;
  const domainInput = $("#checklist-domain", form);
  form.classList.toggle("nc-empty", !m);
  setValue(domainInput, m ? m.domain : domainInput.value);
  for (const row of $$("tr.nc-row", form)) {
    const n = Number(row.dataset.item);
    const state = m ? m.items[String(n)] : { done: false, date: null, note: "" };
    const checkbox = $(".nc-done", row);
    checkbox.checked = state.done;
    checkbox.disabled = !m;
    const date = $('[data-field="completed_on"]', row);
    setValue(date, state.date || "");
    date.disabled = !m;
    $(".nc-print-blank", row).textContent = formatDate(state.date);
    const note = $(".nc-note__input", row);
    setValue(note, state.note);
    note.disabled = !m;
    if (note.value) fitNote(note);
    $(".nc-note__print", row).textContent = state.note;
    row.classList.toggle("nc-has-note", Boolean(state.note));
    let code = null;
    let label = "";
    if (current) {
      code = current.items[n - 1].status;
      label = current.items[n - 1].status_label;
    } else if (derived && derived.statuses) {
      code = derived.statuses[n];
      label = T.status[code];
    }
    const badge = $(".nc-status", row);
    // No status known yet (Python still starting and no rules in the page): keep what is shown.
    if (!m || code) {
      badge.textContent = m ? label : "";
      badge.className = code && m ? `nc-status nc-status--${code}` : "nc-status";
      row.dataset.status = m && code ? code : "";
    }
    const cancel = $('[data-field="cancellation_date"]', row);
    if (cancel) {
      setValue(cancel, (m && m.cancellation_date) || "");
      cancel.disabled = !m;
      $(".nc-print-value", row).textContent = formatDate(m && m.cancellation_date);
    }
  }
  renderProgress(m, current, derived);
  renderSelector(doc);
}

function renderProgress(m, current, derived) {
  const text = $("#nc-progress-text");
  const bar = $("#nc-progress");
  const nextBox = $("#nc-next");
  if (!text || !bar) return;
  const done = m ? (current ? current.done : derived.done) : 0;
  text.textContent = m ? (current ? current.summary : T.summary(done, ITEM_COUNT)) : T.noMigration;
  bar.value = done;
  bar.max = ITEM_COUNT;
  bar.hidden = !m;
  if (!nextBox) return;
  let nextItem = current ? (current.next ? current.next.item : null) : derived ? derived.next : undefined;
  if (!m || nextItem === undefined) {
    nextBox.hidden = true;
    return;
  }
  nextBox.textContent = "";
  nextBox.hidden = false;
  if (nextItem === null) {
    nextBox.append(T.allDone);
    return;
  }
  const row = document.getElementById(`item-${nextItem}`);
  const link = row && $("a.nc-row__step", row);
  const title = row && $(".nc-item__title", row);
  nextBox.append(
    el("span", { class: "nc-next__label", text: T.next }),
    " ",
    el("a", { href: link ? link.getAttribute("href") : `#item-${nextItem}`, text: `${nextItem}. ${title ? title.textContent : ""}` }),
  );
  if (row && $(".nc-badge--netcom", row)) nextBox.append(" ", el("span", { class: "nc-next__netcom", text: T.nextNetcom }));
}

function renderSelector(doc) {
  const select = $("#nc-migration-select");
  if (!select) return;
  const wanted = doc.migrations.map((m) => [m.id, m.label ? `${m.label} (${m.domain})` : m.domain]);
  const have = Array.from(select.options).map((o) => [o.value, o.textContent]);
  if (JSON.stringify(wanted) !== JSON.stringify(have)) {
    select.textContent = "";
    for (const [id, name] of wanted) select.append(el("option", { value: id, text: name }));
  }
  if (doc.active) select.value = doc.active;
  const none = doc.migrations.length === 0;
  select.disabled = none;
  for (const id of ["#nc-rename", "#nc-delete", "#nc-reset", "#nc-export"]) {
    const button = $(id);
    if (button) button.disabled = none;
  }
  const all = $("#nc-export-all");
  if (all) all.disabled = none;
}

// ---------------------------------------------------------------------------------------------------------
// Early: on the checklist page this script runs right after the form is parsed (before the theme's bundle, which
// comes at the end of the page), reads what is saved and shows it before the first paint. app.js then adds the
// listeners and Python, and renders again with the same reader. Storage that cannot be read is left to app.js (it
// says so and keeps changes in memory).

function showSaved() {
  const form = document.getElementById("checklist-form");
  if (!form || document.documentElement.dataset.ncState) return;
  let text;
  try {
    text = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return;
  }
  prepareChecklist(form);
  renderChecklist(form, readDoc(text).doc, null);
  markVisible("visible");
  // The reader may tick or type before app.js listens: remember which fields, so app.js replays those edits
  // instead of drawing the saved state over them (takeEarlyEdits).
  const remember = (event) => {
    if (event.target && event.target.id) early.ids.add(event.target.id);
  };
  form.addEventListener("input", remember, true);
  form.addEventListener("change", remember, true);
  early.stop = () => {
    form.removeEventListener("input", remember, true);
    form.removeEventListener("change", remember, true);
  };
}

const early = { ids: new Set(), stop: () => {} };

// For app.js, once, before its first render: the fields edited since the early render, with their values now.
function takeEarlyEdits() {
  early.stop();
  const edits = [];
  for (const id of early.ids) {
    const field = document.getElementById(id);
    if (field) edits.push({ id, checked: field.checked, value: field.value });
  }
  early.ids.clear();
  return edits;
}

// The saved state is on the page: "visible" (shown by this script, app.js not listening yet) or "shown" (it is).
function markVisible(state) {
  const root = document.documentElement;
  if (!root.dataset.ncState) performance.mark("nc-state-visible");
  root.dataset.ncState = state;
}

return {
  takeEarlyEdits,
  STORAGE_KEY,
  BACKUP_KEY,
  FORMAT,
  ITEM_COUNT,
  NOTE_MAX,
  LABEL_MAX,
  DOMAIN_MAX,
  LANG,
  T,
  ISO_DATE,
  ID,
  emptyDoc,
  emptyItems,
  validDate,
  cleanItem,
  readDoc,
  fromVersion1,
  writeDoc,
  itemRules,
  derive,
  el,
  $,
  $$,
  setValue,
  formatDate,
  fitNote,
  prepareChecklist,
  activeOf,
  renderChecklist,
  markVisible,
  showSaved,
};
})();

globalThis.ncChecklist.showSaved();
