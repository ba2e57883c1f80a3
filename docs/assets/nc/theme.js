// Fixes to the theme's own behaviour, on every page. Nothing here knows the checklist.
const { $, $$ } = globalThis.ncChecklist;

// Material's alternate-language integration (bundle: setupAlternate) fetches sitemap.xml beside each
// <link rel="alternate">, made for language roots; static-i18n's links name this page's twins, so it asked for
// <page>/sitemap.xml (two 404s per page) and sent the switcher to the twin's URL without its slash (a redirect).
// Its DOMContentLoaded listener was registered by the bundle, before this module runs: hide the links from it,
// then put them back for everything that reads the page later (search engines render it).
export function hideAlternates() {
  const alternates = $$('link[rel="alternate"][hreflang]');
  for (const link of alternates) link.rel = "x-nc-alternate";
  document.addEventListener("DOMContentLoaded", () => alternates.forEach((link) => (link.rel = "alternate")), { once: true });
}

// Accessibility (axe-core: scrollable-region-focusable): a table that scrolls sideways can be reached and scrolled
// with the keyboard. (The search dialog's name is written by the build: scripts/mkdocs_hooks.py.)
export function fixThemeA11y() {
  const markScrollable = () => {
    for (const wrap of $$(".md-typeset__scrollwrap")) {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("role")) {
        const caption = wrap.closest("article") && wrap.previousElementSibling;
        Object.assign(wrap, { tabIndex: 0, role: "region", ariaLabel: caption?.textContent.trim().slice(0, 80) || "table" });
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
      }
    }
  };
  // The theme wraps tables after its own start-up: check again once everything has loaded.
  markScrollable();
  addEventListener("load", () => setTimeout(markScrollable, 0));
  addEventListener("resize", markScrollable);
}

// On the pages that start Python, Material's search index (about a second of CPU) is built only after Python has
// started: workers/nc-search.js holds it until this page says "go" on the channel — once Python is ready or has
// failed, or at once when the reader turns to search. A worker that starts after that asks, and is answered "go".
export function releaseSearchAfter(settled) {
  if (typeof BroadcastChannel !== "function") return; // nc-search.js then does not wait either
  const channel = new BroadcastChannel("netcom-search");
  let go = false;
  const release = () => go || channel.postMessage("go") || (go = true);
  channel.addEventListener("message", (event) => event.data === "ask" && go && channel.postMessage("go"));
  settled.then(release);
  $(".md-search__input")?.addEventListener("focus", release);
  $("#__search")?.addEventListener("change", release);
}
