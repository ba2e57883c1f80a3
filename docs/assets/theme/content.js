// Material's content scripts (material/templates/partials/javascripts/content.html), verbatim, served as a file
// so that they run under a CSP with no 'unsafe-inline'. Linked content tabs run only when the template marks the
// tag with data-tabs-link (the content.tabs.link feature), as Material's partial does.
if(document.currentScript.hasAttribute("data-tabs-link")){var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}}
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));
