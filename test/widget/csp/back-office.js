// The back office page's only script, from 'self': it records every CSP violation, embeds the
// built back office bundle by script tag, and configures the staff token the test passes in the
// query string, as an owner's admin page does from its own script.
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
const params = new URLSearchParams(location.search);
const bundle = document.createElement("script");
bundle.type = "module";
bundle.src = "/test-results/bundle/crm-back-office.js";
bundle.dataset.proxyUrl = params.get("proxy");
bundle.addEventListener("load", () => {
  window.CrmWidgets.configure({ staffToken: params.get("staffToken") });
  document.getElementById("details").customerId = params.get("customer");
});
document.head.append(bundle);
