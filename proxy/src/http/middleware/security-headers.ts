import { createMiddleware } from "hono/factory";
import { secureHeaders as honoSecureHeaders } from "hono/secure-headers";

/**
 * Headers for a JSON API that serves personal data: nothing may be framed,
 * scripted or cached by shared caches.
 */
export function securityHeaders() {
  const headers = honoSecureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    strictTransportSecurity: "max-age=31536000; includeSubDomains",
    xFrameOptions: "DENY",
  });
  const noStore = createMiddleware(async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  });
  return [headers, noStore] as const;
}
