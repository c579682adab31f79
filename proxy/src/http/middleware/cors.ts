import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";

const ALLOW_METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS"];
const ALLOW_HEADERS = ["Authorization", "Content-Type"];
const EXPOSE_HEADERS = ["Retry-After", "X-Request-Id"];

/**
 * Browsers on the configured origins may call the proxy; others get no
 * `Access-Control-Allow-Origin`. Sessions travel in the Authorization header,
 * not cookies, so credentials mode is not needed. DELETE is for the back
 * office's staff routes (deleting an entity, erasing a customer).
 *
 * Preflights are Hono's `cors`. Other requests get their headers here, set before the route
 * answers so that they are part of its response as it is made: Hono's `cors` sets them on
 * `c.res` first, which makes Hono rebuild every answer afterwards (on Node a streamed copy of
 * the body), a large part of a hot read's CPU.
 */
export function corsAllowList(origins: readonly string[]) {
  const allowed = new Set(origins);
  const preflight = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ALLOW_METHODS,
    allowHeaders: ALLOW_HEADERS,
    exposeHeaders: EXPOSE_HEADERS,
    maxAge: 600,
  });
  const exposed = EXPOSE_HEADERS.join(",");
  return createMiddleware(async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    const origin = c.req.header("Origin");
    if (origin !== undefined && allowed.has(origin)) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Expose-Headers", exposed);
    }
    // Answers differ by origin, so caches must keep them apart.
    c.header("Vary", "Origin");
    await next();
  });
}
