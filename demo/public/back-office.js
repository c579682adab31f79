// The back office's one script. The widgets call this provider whenever they need a
// staff token: the site's backend issues it for the signed-in staff member, so the page
// never holds a credential of its own (and never the proxy's ADMIN_TOKEN).
import { configure } from "/crm-widgets.js";

configure({
  staffTokenProvider: async () => {
    const response = await fetch("/staff-token", { headers: { accept: "application/json" } });
    if (response.status === 401) {
      window.location.assign("/staff/sign-in");
      throw new Error("Signed out");
    }
    if (!response.ok) throw new Error(`The site answered ${response.status}`);
    const { token } = await response.json();
    return token;
  },
});

// Choosing a customer shows theirs (a listener here: the page's CSP allows no inline handlers).
document.getElementById("customer")?.addEventListener("change", (event) => {
  event.target.form?.requestSubmit();
});
