// Material's head script (material/templates/partials/javascripts/base.html), served as a file so that it runs
// under a CSP with no 'unsafe-inline'; the scope comes from the <script> tag's data-md-scope attribute. The globals
// it sets (__md_scope, __md_get, __md_set, __md_hash) are used by Material's bundle and by palette.js/content.js.
// Unlike Material's copy, both helpers survive blocked storage: with cookies and site data blocked, merely reading
// window.localStorage throws a SecurityError (Material's default parameter did so outside its try, an uncaught
// error on every page); they then read nothing and write nothing, and a stored value that is not JSON reads as none.
__md_scope = new URL(document.currentScript.dataset.mdScope, location);
__md_hash = (e) => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0);
__md_store = () => { try { return localStorage; } catch (e) { return null; } };
__md_get = (e, _ = __md_store(), t = __md_scope) => { try { return JSON.parse(_.getItem(t.pathname + "." + e)); } catch (e) { return null; } };
__md_set = (e, _, t = __md_store(), a = __md_scope) => { try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (e) {} };
