import { cors } from "hono/cors";

/**
 * Browsers on the configured origins may call the proxy; others get no
 * `Access-Control-Allow-Origin`. Sessions travel in the Authorization header,
 * not cookies, so credentials mode is not needed. DELETE is for the back
 * office's staff routes (deleting an entity, erasing a customer).
 */
export function corsAllowList(origins: readonly string[]) {
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type"],
    exposeHeaders: ["Retry-After", "X-Request-Id"],
    maxAge: 600,
  });
}
