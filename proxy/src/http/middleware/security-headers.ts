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
  // Set before the route answers (a route may still set its own): setting a header on a
  // finished answer makes Hono rebuild it.
  const noStore = createMiddleware(async (c, next) => {
    c.header("Cache-Control", "no-store");
    await next();
  });
  return [headers, noStore] as const;
}
