import type { Context } from "hono";
import { CrmError } from "#domain";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/**
 * Requests that carry a body must say it is JSON. Without this, a body sent
 * with a missing or other content type would be validated as `{}` (or reach
 * the handler unparsed) instead of being refused.
 */
export function requireJsonBody(c: Context): void {
  if (!BODY_METHODS.has(c.req.method)) return;
  const type = c.req.header("Content-Type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new CrmError("invalid_request", "Content-Type must be application/json");
  }
}
