import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

const ALLOW_METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS"];
const ALLOW_HEADERS = ["Authorization", "Content-Type"];
const EXPOSE_HEADERS = ["Retry-After", "X-Request-Id"];

export interface CorsPolicy {
  /** Answers a preflight (`OPTIONS`): Hono's `cors`. */
  preflight: MiddlewareHandler;
  /** Whether a request's `Origin` may read the answer. */
  allows(origin: string | undefined): origin is string;
  /** What an allowed origin's answers expose to its scripts. */
  exposed: string;
}

/**
 * Browsers on the configured origins may call the proxy; others get no
 * `Access-Control-Allow-Origin`. Sessions travel in the Authorization header,
 * not cookies, so credentials mode is not needed. DELETE is for the back
 * office's staff routes (deleting an entity, erasing a customer).
 *
 * Preflights are Hono's `cors`. Other requests' CORS headers are part of the
 * answer's headers made by the request gate (`gate.ts`): Hono's `cors` sets
 * them on `c.res` after the route answered, which makes Hono rebuild every
 * answer (on Node a streamed copy of the body).
 */
export function corsPolicy(origins: readonly string[]): CorsPolicy {
  const allowed = new Set(origins);
  return {
    preflight: cors({
      origin: (origin) => (allowed.has(origin) ? origin : null),
      allowMethods: ALLOW_METHODS,
      allowHeaders: ALLOW_HEADERS,
      exposeHeaders: EXPOSE_HEADERS,
      maxAge: 600,
    }),
    allows: (origin): origin is string => origin !== undefined && allowed.has(origin),
    exposed: EXPOSE_HEADERS.join(","),
  };
}
