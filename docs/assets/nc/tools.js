// Tool forms (<form class="nc-tool" data-nc-tool="NAME">, rendered from checklist_app/tools/forms.py): the form's
// values go to Python (checklist_app.tools.run_tool) and its answer is written into the page: outputs, warnings,
// downloads, copy buttons, or a message beside each field Python refused. Nothing is checked here.
import { judged } from "./checklist.js";
import { python } from "./python.js";

const { $, $$, el, say, clock, record, readState } = globalThis.ncChecklist;
const named = (attribute, root, key) => $$(`[${attribute}="${CSS.escape(key)}"]`, root);

function params(form) {
  const values = { today: clock().day };
  for (const input of $$("input[name], select[name], textarea[name]", form)) {
    const lines = input.value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    if (input.type === "checkbox") values[input.name] = input.checked;
    else if (input.type === "radio") values[input.name] = input.checked ? input.value : values[input.name];
    else values[input.name] = input.hasAttribute("data-nc-list") ? (values[input.name] || []).concat(lines) : input.value;
  }
  return values;
}

function showAnswer(form, section, answer) {
  for (const { field, message } of answer.errors || []) {
    const slot = named("data-nc-error-for", form, field)[0] || named("data-nc-error-for", form, "_form")[0];
    [slot.textContent, slot.hidden] = [message, false];
    for (const input of named("name", form, field)) {
      input.setAttribute("aria-invalid", "true");
      if (slot.id) input.setAttribute("aria-describedby", slot.id);
    }
  }
  const outputs = answer.outputs || {};
  for (const [key, text] of Object.entries(outputs)) for (const out of named("data-nc-output", section, key)) out.textContent = text;
  // The state is set on the section itself, not left to a selector (tools.css: WebKit's :has(:empty)).
  for (const results of answer.ok ? $$(".nc-results", section) : []) {
    results.toggleAttribute("data-nc-answered", $$("[data-nc-primary]", results).some((out) => out.textContent !== ""));
  }
  for (const warnings of answer.ok ? $$("[data-nc-warnings]", section) : []) {
    warnings.replaceChildren(...(answer.warnings || []).map((text) => el("li", { text })));
    warnings.hidden = !warnings.children.length;
  }
  for (const file of answer.downloads || []) {
    const bytes = file.base64 !== undefined ? Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)) : file.text;
    for (const link of named("data-nc-download", section, file.key)) {
      if (link.href?.startsWith("blob:")) URL.revokeObjectURL(link.href);
      Object.assign(link, { href: URL.createObjectURL(new Blob([bytes], { type: file.mime })), download: file.filename });
      link.removeAttribute("aria-disabled");
    }
  }
  for (const copy of $$("[data-nc-copy]", section).filter((button) => button.dataset.ncCopy in outputs)) {
    copy.disabled = false;
    copy.onclick = () => // a refused clipboard changes nothing: the text is on the page to select
      navigator.clipboard.writeText(outputs[copy.dataset.ncCopy]).then(() => {
        copy.dataset.ncCopied = "1";
        $("[data-nc-python-status]").textContent = say("copied");
      }, () => {});
  }
}

// A tool may ask the page to fetch for it ({"fetch": [{key, url}], "state"}: the DNS check's DoH queries), only after
// the user ticked the form's consent box themselves (a trusted event: a fragment or a script cannot agree for them):
// plain GETs with one CORS-safelisted header (no preflight), no cookies, 5 s each; then the tool is asked again.
document.addEventListener("change", (event) => {
  if (event.target.name === "consent") event.target.dataset.ncAgreed = event.isTrusted && event.target.checked ? "1" : "";
});
async function fetchFor(form, answer) {
  const consent = form.elements.namedItem("consent");
  if (consent?.dataset.ncAgreed !== "1" || !consent.checked) {
    return { ok: false, errors: [{ field: "consent", message: consent?.dataset.ncAgreeFirst || "" }] };
  }
  const one = async ({ key, url }) => {
    const signal = AbortSignal.timeout(5000);
    try {
      const headers = { Accept: "application/dns-message" };
      const response = await fetch(url, { headers, credentials: "omit", cache: "no-store", signal });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return [key, { status: response.status, body_b64: btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join("")) }];
    } catch {
      return [key, { error: signal.aborted ? "timeout" : "network" }];
    }
  };
  const responses = Object.fromEntries(await Promise.all(answer.fetch.map(one)));
  return python.call({ op: "tool", tool: form.dataset.ncTool, params: { ...params(form), responses, state: answer.state } });
}

async function run(form) {
  const turn = (form.ncTurn = (form.ncTurn ?? 0) + 1); // a later run (or a plan opened) makes this answer stale
  for (const slot of $$("[data-nc-error-for]", form)) [slot.textContent, slot.hidden] = ["", true];
  for (const input of $$("[aria-invalid]", form)) input.removeAttribute("aria-invalid");
  const answer = await python.busy($("[type=submit]", form) || form, async () => {
    const first = await python.call({ op: "tool", tool: form.dataset.ncTool, params: params(form) });
    return first.ok && first.fetch ? fetchFor(form, first) : first;
  });
  if (turn === form.ncTurn) showAnswer(form, form.closest("section, .nc-tool-section") || form.parentElement, answer);
}

// Prefill from the fragment (#domain=…&ip=…), which never reaches the server, and answer at once.
function prefill(forms, fragment = location.hash.slice(1)) {
  const given = new URLSearchParams(fragment);
  for (const form of fragment.includes("=") ? forms : []) {
    const names = [...new Set(given.keys())].filter((name) => form.elements.namedItem(name));
    for (const [name, values, inputs] of names.map((n) => [n, given.getAll(n), named("name", form, n)])) {
      if (inputs[0].hasAttribute("data-nc-list")) inputs[0].value = values.join("\n");
      else if (inputs[0].type === "checkbox") inputs[0].checked = ["1", "true", "on", "yes"].includes(values[0]);
      else if (inputs[0].type === "radio") inputs.forEach((radio) => (radio.checked = radio.value === values[0]));
      else inputs.forEach((input, i) => (input.value = values[i] ?? values.at(-1)));
    }
    if (names.length) run(form);
  }
}

// The planner opens the plan of the checklist picked above the form: the dates Python keeps for it (its overview
// row's planner link, which names the checklist), or an empty form when it has no application date. The address
// loses the values of a link followed earlier, so a reload does not bring them back.
const forget = () => history.replaceState(null, "", location.pathname + location.search);
function openPlan(form, id) {
  forget() || form.reset();
  form.ncTurn = (form.ncTurn ?? 0) + 1; // an answer still on its way for the values shown before is not drawn
  $$(".nc-results", form.closest("section, .nc-tool-section") || form.parentElement).forEach((r) => r.removeAttribute("data-nc-answered"));
  prefill([form], readState().view?.overview?.rows.find((r) => r.id === id)?.plan_url.split("#")[1] ?? "");
}

// The planner saves its application and switch dates into the checklist picked (or named by the overview's link);
// as any edit, Python folds them in and judges them (a refused date is said beside the planner's field).
function setupSavePlan(button, form, pick) {
  if (pick) pick.value = new URLSearchParams(location.hash.slice(1)).get("checklist") || "";
  const show = () => button && (button.hidden = !pick?.value);
  pick?.addEventListener("change", ({ target: { value } }) => show() || (value && record("select", { migration: value }) && openPlan(form, value)));
  show();
  button?.addEventListener("click", async () => {
    const saved = await Promise.all(["applied", "switch_date"].map((name, i) => judged(form.elements[name],
      record(["application_date", "switch_date"][i], { value: form.elements[name].value || null, migration: pick.value }))));
    // Saved: the address forgets the link's values (a reload must not bring back what the plan no longer says).
    $("[data-nc-python-status]").textContent = saved.every(Boolean) && !forget() ? say("plan_saved", { name: readState().view?.current?.name }) : "";
  });
}

export function setupTools(forms) {
  for (const form of forms) {
    let timer = null;
    form.addEventListener("submit", (event) => event.preventDefault() || run(form));
    const later = () => clearTimeout(timer) || (timer = setTimeout(() => run(form), 300));
    if (form.hasAttribute("data-nc-live")) form.addEventListener("input", later);
  }
  prefill(forms);
  addEventListener("hashchange", () => prefill(forms));
  setupSavePlan($("[data-nc-save-plan]"), $('form[data-nc-tool="schedule"]'), $("#nc-plan-domain"));
}
