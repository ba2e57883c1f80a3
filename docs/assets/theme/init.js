// Material's head script (material/templates/partials/javascripts/base.html), verbatim except that the scope
// comes from the <script> tag's data-md-scope attribute: served as a file, it runs under a CSP with no
// 'unsafe-inline'. The globals it sets (__md_scope, __md_get, __md_set, __md_hash) are used by Material's bundle.
__md_scope=new URL(document.currentScript.dataset.mdScope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
