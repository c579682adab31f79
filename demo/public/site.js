// The site's one shared script. The CRM widgets call this (named in
// data-token-provider) whenever they need a session token: the site's own
// backend issues it for the signed-in visitor, so the browser never holds a secret.
window.demoSessionToken = async () => {
  const response = await fetch("/session-token", { headers: { accept: "application/json" } });
  if (response.status === 401) {
    window.location.assign("/sign-in");
    throw new Error("Signed out");
  }
  if (!response.ok) throw new Error(`The site answered ${response.status}`);
  const { token } = await response.json();
  return token;
};
