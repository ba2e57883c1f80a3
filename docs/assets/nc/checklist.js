// The checklist's hand to Python: after every edit (this tab's or another's) Python folds the journal into the stored
// document and gives the next view (checklist_app.browser op "fold"); this module writes what Python answered and
// asks the painter to paint it. The buttons that change the list (add, rename, delete, reset, undo, import) record
// edits like a tick does; their answer — a field message for a refused domain — comes back with the fold.
// Export and import need Python itself: their buttons say so while it starts. No rule lives here.
import { python } from "./python.js";

const nc = globalThis.ncChecklist;
const { $, el, say, store, paint, record } = nc;
const BACKUP_KEY = "netcom-checklist-backup";
const waiting = new Map(); // entry key → resolve({ok, field, message}) once Python has folded or refused it
let fromPanel = false; // a domain recorded by the add/rename panel, not by the field above the list

function settle(view) {
  for (const [key, resolve] of waiting) {
    const refused = view ? view.rejected[key] : { [nc.LANG]: say("unavailable") };
    if (!refused && !view.folded.includes(key)) continue;
    waiting.delete(key);
    resolve(refused ? { ok: false, field: refused.field, message: refused[nc.LANG] } : { ok: true });
  }
}

function message(text, ...extra) {
  const region = $("#nc-message");
  region.replaceChildren(...(text ? [el("p", {}, text, ...extra)] : []));
  region.hidden = !text;
}

// Fold the journal into the document: the backup of a document Python had to repair first, then the document (only
// when Python's join changed it), then the view; entries older than a minute go. Another tab may have written in
// between: every storage event folds again, so a stale write is repaired by the next fold and nothing is lost.
let folding = null;
let again = false;
export async function fold(importText) {
  if (python.state !== "ready") return null;
  if (folding && importText === undefined) return void (again = true);
  await folding;
  folding = (async () => {
    let answer = null;
    do {
      again = false;
      const stored = store.get(nc.KEY);
      const entries = Object.fromEntries(store.keys().filter((k) => k.startsWith(nc.EDIT_PREFIX)).map((k) => [k, store.get(k)]));
      answer = await python.call({ op: "fold", stored, entries, now_ms: Date.now(), import: importText });
      importText = undefined;
      if (!answer.ok) break;
      if (answer.backup !== null && store.get(BACKUP_KEY) !== answer.backup) {
        if (store.set(BACKUP_KEY, answer.backup) !== "ok") return nc.alertOnce("backup", say("backup_failed"));
        nc.alertOnce(answer.migrated_from ? "migrated" : "recovered", say(answer.migrated_from ? "migrated" : "recovered"));
      }
      if (answer.problems.length && !$("#nc-alerts .nc-problems")) {
        $("#nc-alerts")?.append(el("ul", { class: "nc-problems" }, ...answer.problems.map((text) => el("li", { text }))));
      }
      if (answer.changed && store.get(nc.KEY) !== stored) again = true; // another tab wrote meanwhile: fold its text
      // A document that cannot be written (storage full): the entries stay, painted as they are, and nothing is lost.
      else if (answer.changed && store.set(nc.KEY, answer.stored) !== "ok") break;
      if (store.get(nc.VIEW_KEY) !== answer.view) store.set(nc.VIEW_KEY, answer.view);
      for (const key of answer.remove) store.remove(key);
      settle(JSON.parse(answer.view));
      paint();
    } while (again);
    return answer;
  })();
  try {
    return await folding;
  } finally {
    folding = null;
  }
}

// Python's word on a recorded edit: {ok} or {ok: false, field, message}.
const decision = (key) => (key ? new Promise((resolve) => waiting.set(key, resolve)) : Promise.resolve({ ok: false, message: "" }));
const decided = (kind, fields) => decision(record(kind, fields));

// A field only Python can judge (a domain name): "Checking…" beside it until Python answers, then its message.
async function judged(input, key) {
  const slot = document.getElementById(`${input.id}-error`) || el("span", { id: `${input.id}-error`, class: "nc-error", "aria-live": "polite" });
  input.after(slot);
  input.setAttribute("aria-describedby", slot.id);
  input.removeAttribute("aria-invalid");
  [slot.textContent, slot.hidden] = [say("checking"), false];
  const result = await decision(key);
  [slot.textContent, slot.hidden] = [result.ok ? "" : result.message, result.ok];
  if (!result.ok) input.setAttribute("aria-invalid", "true");
  return result.ok;
}
const panelEdit = (input, kind, fields) => {
  fromPanel = true;
  const key = record(kind, fields);
  fromPanel = false;
  return judged(input, key);
};

// Controls that need Python show that they wait, only while they wait.
async function busy(button, work) {
  button.setAttribute("aria-busy", "true");
  button.classList.add("nc-waiting");
  try {
    if (python.state === "failed") return message(say("unavailable"));
    return await work();
  } finally {
    button.removeAttribute("aria-busy");
    button.classList.remove("nc-waiting");
  }
}

function download(filename, text, mime) {
  const link = el("a", { href: URL.createObjectURL(new Blob([text], { type: mime })), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

function confirmThen(question, yes, then, returnFocus) {
  const box = $("#nc-confirm");
  const yesButton = el("button", { type: "button", class: "md-button md-button--primary", text: yes });
  const noButton = el("button", { type: "button", class: "md-button", text: say("no") });
  box.replaceChildren(el("p", { id: "nc-confirm-text", text: question }), yesButton, " ", noButton);
  box.hidden = false;
  const close = (focus) => {
    [box.hidden, box.textContent] = [true, ""];
    focus?.focus();
  };
  yesButton.addEventListener("click", () => close($("#nc-migration-select")) || then());
  noButton.addEventListener("click", () => close(returnFocus));
  box.addEventListener("keydown", (event) => event.key === "Escape" && noButton.click());
  noButton.focus();
}

async function offerUndo(text, undoKind, fields) {
  const button = el("button", { type: "button", class: "md-button nc-undo", text: say("undo") });
  button.addEventListener("click", async () => {
    button.disabled = true;
    if ((await decided(undoKind, fields)).ok) message(say("undone"));
  });
  message(text, " ", button);
  button.focus();
}

function setupWorkspace() {
  const panel = $("#nc-migration-form");
  const [domain, label] = [$("#nc-form-domain"), $("#nc-form-label")];
  const current = () => nc.readState().view?.current || null;
  let mode = "add";
  $("#nc-migration-select").addEventListener("change", (event) => record("select", { migration: event.target.value }));
  const open = (kind) => {
    mode = kind;
    panel.hidden = false;
    $("[data-nc-mode-title]", panel).textContent = panel.dataset[kind === "add" ? "titleAdd" : "titleRename"];
    domain.value = kind === "rename" ? current()?.domain || "" : "";
    label.value = kind === "rename" ? current()?.label || "" : "";
    domain.focus();
  };
  const close = (focus) => {
    panel.hidden = true;
    (focus || $(mode === "add" ? "#nc-add" : "#nc-rename")).focus();
  };
  $("#nc-add").addEventListener("click", () => open("add"));
  $("#nc-rename").addEventListener("click", () => open("rename"));
  $("#nc-form-cancel").addEventListener("click", () => close());
  panel.addEventListener("keydown", (event) => event.key === "Escape" && close());
  panel.addEventListener("submit", async (event) => {
    event.preventDefault();
    const m = current();
    const ok =
      mode === "add"
        ? await panelEdit(domain, "add", { migration: null, value: domain.value, label: label.value })
        : (await panelEdit(domain, "domain", { value: domain.value })) && (await panelEdit(label, "label", { value: label.value }));
    if (ok || (mode === "rename" && !m)) close($("#nc-migration-select"));
  });
  const named = () => current() && { id: current().id, name: current().name };
  $("#nc-delete").addEventListener("click", (event) => {
    const m = named();
    if (m) confirmThen(say("confirm_delete", m), say("yes_delete"), async () => {
      if ((await decided("delete", { migration: m.id })).ok) offerUndo(say("deleted", m), "restore", { migration: m.id });
    }, event.target);
  });
  $("#nc-reset")?.addEventListener("click", (event) => {
    const m = named();
    const before = nc.readState().data?.undo_reset;
    if (m) confirmThen(say("confirm_reset", m), say("yes_reset"), async () => {
      if ((await decided("reset", { migration: m.id })).ok) offerUndo(say("reset", m), "put", { migration: m.id, value: before });
    }, event.target);
  });
}

function setupFiles() {
  const exportFile = (button, id) =>
    busy(button, async () => {
      await fold();
      const answer = await python.call({ op: "export", stored: store.get(nc.KEY), id, today: nc.clock().day });
      if (!answer.ok) return message(answer.errors.map((e) => e.message).join(" "));
      download(answer.filename, answer.text, answer.mime);
      message(say("exported", { name: answer.filename }));
    });
  $("#nc-export")?.addEventListener("click", (event) => exportFile(event.target, nc.readState().view?.active ?? null));
  $("#nc-export-all")?.addEventListener("click", (event) => exportFile(event.target, null));
  $("#nc-print")?.addEventListener("click", () => window.print());
  const input = $("#nc-import");
  input?.addEventListener("change", () =>
    busy(input, async () => {
      const text = await input.files[0]?.text();
      input.value = "";
      if (text === undefined) return;
      const answer = await fold(text);
      if (!answer?.ok) return message((answer?.errors || []).map((e) => e.message).join(" ") || say("unavailable"));
      message(answer.imported.message);
      if (answer.imported.problems.length) {
        $("#nc-message").append(el("ul", {}, ...answer.imported.problems.map((text) => el("li", { text }))));
      }
    }),
  );
}

function showPythonState(state) {
  const region = $("[data-nc-python-status]");
  if (!region) return;
  region.dataset.state = state;
  region.hidden = state === "ready";
  if (state === "starting") region.setAttribute("aria-busy", "true");
  else region.removeAttribute("aria-busy");
  if (state === "starting") region.replaceChildren(el("span", { class: "nc-spinner", "aria-hidden": "true" }), el("span", { text: say("loading") }));
  if (state === "failed") region.replaceChildren(el("p", { text: say("failed") }));
}

export function setupChecklist() {
  const form = $("#checklist-form");
  $("#nc-tools")?.removeAttribute("hidden");
  for (const region of [$("#nc-message"), $("#nc-alerts")]) if (region && !region.textContent) region.hidden = true;
  if (form) setupWorkspace();
  if (form) setupFiles();
  nc.listeners.push((key, entry) => {
    if (entry.edit === "domain" && !fromPanel && $("#checklist-domain")) judged($("#checklist-domain"), key);
    fold();
  });
  python.onChange((state) => {
    showPythonState(state);
    if (state === "ready") fold();
    if (state === "failed") settle(null) || paint();
  });
  // Another tab recorded or folded: paint what it wrote, and fold again (a stale write of theirs is repaired here).
  addEventListener("storage", (event) => {
    if (event.key === null || event.key.startsWith(nc.KEY)) paint();
    if (event.key === null || event.key === nc.KEY || event.key.startsWith(nc.EDIT_PREFIX)) fold();
  });
  return Boolean(form);
}
