// A server-rendering site's client entry built from the npm package (as its bundler would take
// it; here the test server resolves the bare imports): the hydrate support first, then the
// components, sharing one copy of Lit, configured with the proxy and token of the query.
import "/test-results/ssr-package/lib/hydrate-support.js";
import { configure } from "/test-results/ssr-package/lib/index.js";
import "/test-results/ssr-package/lib/components/crm-field-history.js";

const params = new URLSearchParams(location.search);
configure({ proxyUrl: params.get("proxy"), tokenProvider: () => params.get("token") });
