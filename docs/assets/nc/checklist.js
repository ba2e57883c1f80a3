// The checklist's hand to Python: after every edit (this tab's or another's) Python folds the journal into the stored
// document and gives the next view (checklist_app.browser op "fold"); this module writes what Python answered and
// asks the painter to paint it. The buttons that change the list (add, rename, delete, reset, undo) record edits like
// a tick does; Python's word on them — a field message for a refused domain — comes back with the fold.
// Export and import need Python itself: their controls show that they wait while it starts. No rule lives here.
import { python } from "./python.js";

const nc = globalThis.ncChecklist;
const { $, el, say, store, paint, record } = nc;
const BACKUP_KEY = "netcom-checklist-backup";
const waiting = new Map(); // entry key → resolve({ok, field, message}) once Python has folded or refused it

function settle(view) {
  for (const [key, resolve] of waiting) {
    const refused = view ? view.rejected[key] : { [nc.LANG]: say("unavailable") };
    if ((refused || view.folded.includes(key)) && waiting.delete(key)) resolve({ ok: !refused, message: refused?.[nc.LANG] });
  }
}

function message(text, ...extra) {
  $("#nc-message").replaceChildren(...(text ? [el("p", {}, text, ...extra)] : []));
  $("#nc-message").hidden = !text;
}
const list = (texts) => el("ul", { class: "nc-problems" }, ...texts.map((text) => el("li", { text })));

// Fold the journal into the document: the backup of a document Python had to repair first, then the document (only
// when Python's join changed it and no other tab wrote meanwhile: then fold again), then the view; entries older than
// a minute go. Every storage event folds again, so a stale write of another tab is repaired and nothing is lost.
let folding = null;
let again = false;
const entries = () => Object.fromEntries(store.keys().filter((k) => k.startsWith(nc.EDIT_PREFIX)).map((k) => [k, store.get(k)]));
export async function fold(importText) {
  if (python.state !== "ready") return null;
  if (folding && importText === undefined) return (again = true) && folding; // the running fold takes it in
  await folding;
  folding = (async () => {
    let answer;
    let imported = null; // an import stays in every round until a document holding it is stored
    do {
      again = false;
      const stored = store.get(nc.KEY);
      const [now_ms, today] = [Date.now(), nc.clock().day]; // the user's day: the overview's warnings need it
      answer = await python.call({ op: "fold", stored, entries: entries(), now_ms, today, import: importText });
      if (!answer.ok) break;
      settle(JSON.parse(answer.view)); // Python's word on each edit, stored or not
      if (answer.backup !== null && store.get(BACKUP_KEY) !== answer.backup) {
        if (store.set(BACKUP_KEY, answer.backup) !== "ok") return nc.alertOnce("backup", say("backup_failed"));
        nc.alertOnce("repaired", say(answer.migrated_from ? "migrated" : "recovered"));
      }
      if (answer.problems.length && !$("#nc-alerts .nc-problems")) $("#nc-alerts").append(list(answer.problems));
      if (answer.changed && store.get(nc.KEY) !== stored) again = true;
      // A document or view that cannot be written (storage full): the entries stay, painted as they are.
      else if (answer.changed && store.set(nc.KEY, answer.stored) !== "ok") return { ok: false, errors: [] };
      else [importText, imported] = [undefined, imported || answer.imported];
      if (store.get(nc.VIEW_KEY) !== answer.view && store.set(nc.VIEW_KEY, answer.view) !== "ok") break;
      answer.remove.forEach(store.remove);
      paint();
    } while (again);
    return { ...answer, imported };
  })();
  try {
    return await folding;
  } finally {
    folding = null;
  }
}

// Python's word on a recorded edit; beside a field only Python can judge (a domain), "Checking…" until it answers.
const decision = (key) => // without Python nothing can judge an edit: say so at once
  key && python.state !== "failed"
    ? new Promise((resolve) => waiting.set(key, resolve))
    : Promise.resolve({ ok: false, message: key ? say("unavailable") : "" });
export async function judged(input, key) {
  const slot = document.getElementById(`${input.id}-error`) || el("span", { id: `${input.id}-error`, class: "nc-error" });
  input.after(slot);
  input.setAttribute("aria-describedby", slot.id);
  [slot.textContent, slot.hidden] = [say("checking"), false];
  const result = await decision(key);
  [slot.textContent, slot.hidden] = [result.message || "", result.ok];
  input.setAttribute("aria-invalid", String(!result.ok)); // "false" is ARIA's own "not invalid"
  return result.ok;
}
const panelEdit = (input, kind, fields) => judged(input, record(kind, { ...fields, via: "panel" }));

// Controls that need Python say so when it could not start, and show that they wait while it starts.
const busy = (control, work) => (python.state === "failed" ? message(say("unavailable")) : python.busy(control, work));
const button = (text, extra = "") => el("button", { type: "button", class: `md-button ${extra}`.trim(), text });

// Delete and reset ask first (the safe choice focused), then record the edit and offer undo as another edit.
function confirmThen(event, kind, undo) {
  const m = nc.readState().view?.current;
  if (!m) return;
  const [box, yes, no] = [$("#nc-confirm"), button(say(`yes_${kind}`), "md-button--primary"), button(say("no"))];
  let before = null; // what undo of a reset puts back: the rows once every pending edit is folded in
  box.replaceChildren(el("p", { id: "nc-confirm-text", text: say(`confirm_${kind}`, m) }), yes, " ", no);
  box.hidden = false;
  const close = (focus) => (box.hidden = true) && focus.focus();
  no.addEventListener("click", () => close(event.target));
  box.onkeydown = (event) => void (event.key === "Escape" && no.click()); // returning false would cancel Tab
  yes.addEventListener("click", async () => {
    close($("#nc-migration-select"));
    const done = await busy(event.target, async () => {
      await python.settled();
      before = (await fold()) && nc.readState().data?.undo_reset;
      return decision(record(kind, { migration: m.id }));
    });
    if (!done?.ok) return;
    const offer = button(say("undo"), "nc-undo");
    offer.addEventListener("click", async () => {
      offer.disabled = true;
      if ((await decision(record(undo, { migration: m.id, value: before }))).ok) message(say("undone"));
    });
    message(say(kind === "delete" ? "deleted" : "reset", m), " ", offer);
    offer.focus();
  });
  no.focus();
}

function setupWorkspace() {
  const [panel, domain, label] = [$("#nc-migration-form"), $("#nc-form-domain"), $("#nc-form-label")];
  let mode = "add";
  $("#nc-migration-select").addEventListener("change", (event) => record("select", { migration: event.target.value }));
  const open = (kind) => {
    const m = kind === "rename" ? nc.readState().view?.current : null;
    [mode, panel.hidden, domain.value, label.value] = [kind, false, m?.domain || "", m?.label || ""];
    $("[data-nc-mode-title]", panel).textContent = panel.dataset[kind === "add" ? "titleAdd" : "titleRename"];
    domain.focus();
  };
  const close = (focus) => (panel.hidden = true) && (focus || $(`#nc-${mode}`)).focus();
  $("#nc-add").addEventListener("click", () => open("add"));
  $("#nc-rename").addEventListener("click", () => open("rename"));
  $("#nc-form-cancel").addEventListener("click", () => close());
  panel.addEventListener("keydown", (event) => event.key === "Escape" && close());
  panel.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ok =
      mode === "add"
        ? await panelEdit(domain, "add", { migration: null, value: domain.value, label: label.value })
        : (await panelEdit(domain, "domain", { value: domain.value })) && (await panelEdit(label, "label", { value: label.value }));
    if (ok) close($("#nc-migration-select"));
  });
  $("#nc-delete").addEventListener("click", (event) => confirmThen(event, "delete", "restore"));
  $("#nc-reset")?.addEventListener("click", (event) => confirmThen(event, "reset", "put"));
}

function setupFiles() {
  const exportFile = (event, id, format = "json") =>
    busy(event.target, async () => {
      await python.settled(); // then the document and the entries of this moment, folded by the export itself
      const { day: today, now } = nc.clock();
      const answer = await python.call({ op: "export", stored: store.get(nc.KEY), entries: entries(), id, today, now, format });
      if (!answer.ok) return message(answer.errors.map((e) => e.message).join(" "));
      const href = URL.createObjectURL(new Blob([answer.text], { type: answer.mime }));
      const link = el("a", { href, download: answer.filename });
      document.body.append(link);
      link.click();
      link.remove();
      message(say("exported", { name: answer.filename }));
    });
  $("#nc-export").addEventListener("click", (event) => exportFile(event, nc.readState().view?.active ?? null));
  $("#nc-export-all").addEventListener("click", (event) => exportFile(event, null));
  // The overview's CSV (for Excel) and calendar (.ics) of every domain.
  for (const button of nc.$$("[data-nc-export]")) button.addEventListener("click", (event) => exportFile(event, null, button.dataset.ncExport));
  $("#nc-print").addEventListener("click", () => window.print());
  const input = $("#nc-import");
  input.addEventListener("change", () =>
    busy(input.labels[0] || input, async () => {
      const text = await input.files[0]?.text();
      input.value = "";
      const answer = text === undefined ? null : await fold(text);
      if (answer && !answer.ok) message(answer.errors.map((e) => e.message).join(" ") || say("quota"));
      const problems = answer?.imported?.problems.length ? [list(answer.imported.problems)] : [];
      if (answer?.ok) message(answer.imported.message, ...problems);
    }),
  );
}

export function setupChecklist() {
  const form = $("#checklist-form");
  for (const region of [$("#nc-message"), $("#nc-alerts")]) if (region && !region.textContent) region.hidden = true;
  $("#nc-tools")?.removeAttribute("hidden");
  for (const setup of form ? [setupWorkspace, setupFiles] : []) setup();
  nc.listeners.push((key, entry) => {
    if (entry.edit === "domain" && entry.via !== "panel" && form) judged($("#checklist-domain"), key);
    fold();
  });
  // Nothing to say while Python starts (all a customer can do works meanwhile); if it cannot start, what still works.
  python.onChange((state) => {
    const region = $("[data-nc-python-status]");
    if (state === "ready") return fold();
    if (region) [region.dataset.state, region.hidden] = ["failed", false];
    region?.replaceChildren(el("p", { text: say("failed") }));
    settle(null) || paint();
  });
  // Another tab recorded or folded: paint what it wrote, and fold again (a stale write of theirs is repaired here).
  addEventListener("storage", (event) => {
    if (event.key === null || event.key.startsWith(nc.KEY)) paint();
    if (event.key === null || event.key === nc.KEY || event.key.startsWith(nc.EDIT_PREFIX)) fold();
  });
}
