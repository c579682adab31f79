// The page's only script, from 'self': it records every CSP violation, then embeds the built
// core by script tag as a site owner would, with the proxy URL and token the test passes in
// the query string.
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
const params = new URLSearchParams(location.search);
window.cspToken = () => params.get("token");
const core = document.createElement("script");
core.type = "module";
core.src = "/test-results/bundle/crm-widgets.js";
core.dataset.proxyUrl = params.get("proxy");
core.dataset.tokenProvider = "cspToken";
document.head.append(core);
