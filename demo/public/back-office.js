// The back office's own script. The widgets call this provider whenever they need a
// staff token: the site's backend issues it for the signed-in staff member (site.js asks
// it), so the page never holds a credential of its own (and never the proxy's ADMIN_TOKEN).
import { configure } from "/crm-widgets.js";

configure({ staffTokenProvider: () => window.demoToken("/staff-token", "/staff/sign-in") });

// The search shows the chosen customer in the details itself (its `for` attribute); the page
// only puts the choice in the address, so a reload or a shared link opens the same customer.
document.addEventListener("crm-customer-select", (event) => {
  const url = new URL(window.location.href);
  url.searchParams.set("customer", event.detail.customer.id);
  window.history.replaceState(null, "", url);
});

// An erased customer is gone: the address no longer names them.
document.addEventListener("crm-customer-erase", () => {
  const url = new URL(window.location.href);
  url.searchParams.delete("customer");
  window.history.replaceState(null, "", url);
});
