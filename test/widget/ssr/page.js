// The server-rendered pages' only script, from 'self': it records every CSP violation, then
// loads what the query's `hydrate` names: `crm` the package's hydrate support, `lit` Lit's
// alone, `off` none, each followed by the built core embedded by script tag as a site owner
// would (with the proxy URL and token of the query); `npm` the package's modules instead
// (npm-client.js); `none` loads nothing.
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
const params = new URLSearchParams(location.search);
window.cspToken = () => params.get("token");
const hydrate = params.get("hydrate");
const hydrateSupport = {
  crm: "/test-results/ssr-package/lib/hydrate-support.js",
  lit: "/node_modules/@lit-labs/ssr-client/lit-element-hydrate-support.js",
}[hydrate];
if (hydrate === "npm") {
  const client = document.createElement("script");
  client.type = "module";
  client.src = "/test/widget/ssr/npm-client.js";
  document.head.append(client);
} else if (hydrate !== "none") {
  // The hydrate support must be in place before the core's Lit runs.
  const ready = hydrateSupport ? import(hydrateSupport) : Promise.resolve();
  ready.then(() => {
    const core = document.createElement("script");
    core.type = "module";
    core.src = "/test-results/bundle/crm-widgets.js";
    core.dataset.proxyUrl = params.get("proxy");
    core.dataset.tokenProvider = "cspToken";
    document.head.append(core);
  });
}
