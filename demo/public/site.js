// The site's one shared script, on every page with widgets. The widgets ask the token
// providers below whenever they need a token: the site's own backend issues it for whoever
// is signed in, so the browser never holds a secret.

/** A token from the site's backend (`path`); a visitor who is signed out goes to `signInPath`. */
window.demoToken = async (path, signInPath) => {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  if (response.status === 401) {
    window.location.assign(signInPath);
    throw new Error("Signed out");
  }
  if (!response.ok) throw new Error(`The site answered ${response.status}`);
  const { token } = await response.json();
  return token;
};

// The session token provider the customer pages name in data-token-provider.
window.demoSessionToken = () => window.demoToken("/session-token", "/sign-in");
