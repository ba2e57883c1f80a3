// Tool forms (<form class="nc-tool" data-nc-tool="NAME">, rendered from checklist_app/tools/forms.py): the form's
// values go to Python (checklist_app.tools.run_tool) and its answer is written into the page: outputs, warnings,
// downloads, copy buttons, or a message beside each field Python refused. Nothing is checked here.
import { python } from "./python.js";

const { $, $$, el, say, clock } = globalThis.ncChecklist;
const each = (selector, root, key) => $$(`[${selector}="${CSS.escape(key)}"]`, root);

function params(form) {
  const values = { today: clock().day };
  for (const input of $$("input[name], select[name], textarea[name]", form)) {
    if (input.type === "checkbox") values[input.name] = input.checked;
    else if (input.type === "radio") values[input.name] = input.checked ? input.value : values[input.name];
    else if (!input.hasAttribute("data-nc-list")) values[input.name] = input.value;
    else values[input.name] = (values[input.name] || []).concat(input.value.split(/\r?\n/).map((v) => v.trim()).filter(Boolean));
  }
  return values;
}

function showErrors(form, errors) {
  for (const { field, message } of errors) {
    const slot = $(`[data-nc-error-for="${CSS.escape(field)}"]`, form) || $('[data-nc-error-for="_form"]', form);
    const input = $(`[name="${CSS.escape(field)}"]`, form);
    if (slot) [slot.textContent, slot.hidden] = [message, false];
    input?.setAttribute("aria-invalid", "true");
    if (input && slot?.id) input.setAttribute("aria-describedby", slot.id);
  }
}

function showAnswer(section, answer) {
  const outputs = answer.outputs || {};
  for (const [key, text] of Object.entries(outputs)) for (const out of each("data-nc-output", section, key)) out.textContent = text;
  // The state is set on the section itself, not left to a selector (tools.css: WebKit's :has(:empty)).
  for (const results of $$(".nc-results", section)) {
    results.toggleAttribute("data-nc-answered", $$("[data-nc-primary]", results).some((out) => out.textContent !== ""));
  }
  for (const list of $$("[data-nc-warnings]", section)) {
    list.replaceChildren(...(answer.warnings || []).map((text) => el("li", { text })));
    list.hidden = !list.children.length;
  }
  for (const file of answer.downloads || []) {
    const bytes = file.base64 !== undefined ? Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)) : file.text;
    const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
    for (const target of each("data-nc-download", section, file.key)) {
      if (target.href?.startsWith("blob:")) URL.revokeObjectURL(target.href);
      Object.assign(target, { href: url, download: file.filename });
      target.removeAttribute("aria-disabled");
    }
  }
  for (const button of $$("[data-nc-copy]", section)) {
    const key = button.dataset.ncCopy;
    if (!(key in outputs)) continue;
    button.disabled = false;
    button.onclick = () =>
      navigator.clipboard.writeText(outputs[key]).then(
        () => ($("[data-nc-python-status]").textContent = say("copied")) && (button.dataset.ncCopied = "1"),
        () => {}, // clipboard refused: the text is on the page to select
      );
  }
}

// A tool may ask the page to fetch for it ({"fetch": [{key, url}], "state"}: the DNS check's DoH queries), only after
// the user ticked the form's consent box themselves (a trusted event: a fragment or a script cannot agree for them):
// plain GETs with one CORS-safelisted header (no preflight), no cookies, 5 s each; then the tool is asked again.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.name === "consent") box.dataset.ncAgreed = event.isTrusted && box.checked ? "1" : "";
});
async function fetchFor(form, answer) {
  const consent = form.elements.namedItem("consent");
  if (consent?.dataset.ncAgreed !== "1" || !consent.checked) {
    return { ok: false, errors: [{ field: "consent", message: consent?.dataset.ncAgreeFirst || "" }] };
  }
  const one = async ({ key, url }) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 5000);
    try {
      const response = await fetch(url, { headers: { Accept: "application/dns-message" }, credentials: "omit", cache: "no-store", signal: abort.signal });
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
  form.setAttribute("aria-busy", "true");
  const responses = Object.fromEntries(await Promise.all(answer.fetch.map(one)));
  form.removeAttribute("aria-busy");
  return python.call({ op: "tool", tool: form.dataset.ncTool, params: { ...params(form), responses, state: answer.state } });
}

async function run(form) {
  for (const slot of $$("[data-nc-error-for]", form)) [slot.textContent, slot.hidden] = ["", true];
  for (const input of $$("[aria-invalid]", form)) input.removeAttribute("aria-invalid");
  let answer = await python.call({ op: "tool", tool: form.dataset.ncTool, params: params(form) });
  if (answer.ok && answer.fetch) answer = await fetchFor(form, answer);
  if (answer.ok) showAnswer(form.closest("section, .nc-tool-section") || form.parentElement, answer);
  else showErrors(form, answer.errors || []);
}

// Prefill from the fragment (#domain=…&ip=…), which never reaches the server, and answer at once.
function prefill(forms) {
  if (!location.hash.includes("=")) return;
  const given = new URLSearchParams(location.hash.slice(1));
  for (const form of forms) {
    const names = [...new Set(given.keys())].filter((name) => form.elements.namedItem(name));
    for (const name of names) {
      const values = given.getAll(name);
      const inputs = $$(`[name="${CSS.escape(name)}"]`, form);
      if (inputs[0].hasAttribute("data-nc-list")) inputs[0].value = values.join("\n");
      else if (inputs[0].type === "checkbox") inputs[0].checked = ["1", "true", "on", "yes"].includes(values[0]);
      else if (inputs[0].type === "radio") inputs.forEach((r) => (r.checked = r.value === values[0]));
      else inputs.forEach((input, i) => (input.value = values[i] ?? values.at(-1)));
    }
    if (names.length) run(form);
  }
}

export function setupTools(forms) {
  for (const form of forms) {
    let timer = null;
    form.addEventListener("submit", (event) => event.preventDefault() || run(form));
    if (form.hasAttribute("data-nc-live")) form.addEventListener("input", () => clearTimeout(timer) || (timer = setTimeout(() => run(form), 300)));
  }
  prefill(forms);
  addEventListener("hashchange", () => prefill(forms));
}
