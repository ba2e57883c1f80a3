// The page's entry (an ES module, deferred): theme fixes on every page; on the checklist page and the tool pages it
// takes over the Python worker and connects the checklist (nc/checklist.js) and the tool forms (nc/tools.js).
// Painting the saved checklist and recording edits is checklist-view.js's job (a classic script: it runs before
// this). Whether a page starts Python is decided once, by the template: it puts py-start.js's tag in the head.
import { fixThemeA11y, hideAlternates, releaseSearchAfter } from "./nc/theme.js";
import { setupChecklist } from "./nc/checklist.js";
import { known, python } from "./nc/python.js";
import { setupTools } from "./nc/tools.js";

hideAlternates();
fixThemeA11y();
const { $, $$ } = globalThis.ncChecklist;
const tools = $$("form.nc-tool[data-nc-tool]");
const live = $("#checklist-form") || $$(".nc-step-items").length || tools.length;
if (live) document.documentElement.classList.add("nc-js");
known.then(() => {
  setupChecklist();
  if (live) document.documentElement.dataset.ncState = "shown"; // the saved state is painted and edits are folded
  if (python.state !== "off") setupTools(tools);
  if (python.state !== "off") releaseSearchAfter(python.settled());
});
