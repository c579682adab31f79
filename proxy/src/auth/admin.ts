import { createMiddleware } from "hono/factory";
import { CrmError } from "#domain";
import { bearerToken } from "./session.ts";

/**
 * Admin routes take a separate credential: `Authorization: Bearer <ADMIN_TOKEN>`.
 * No credential → 401; a wrong one (a customer's session token included) → 403.
 * Without a configured ADMIN_TOKEN every admin request is refused with 403.
 */
export function adminAuth(adminToken: string | undefined) {
  const expected = adminToken === undefined ? undefined : sha256(adminToken);
  return createMiddleware(async (c, next) => {
    const token = bearerToken(c.req.header("Authorization"));
    if (token === undefined) {
      c.header("WWW-Authenticate", 'Bearer realm="crm-admin"');
      throw new CrmError("unauthenticated", "Admin credential required");
    }
    if (expected === undefined) {
      throw new CrmError("forbidden", "Admin routes are disabled: ADMIN_TOKEN is not configured");
    }
    if (!constantTimeEqual(await sha256(token), await expected)) {
      throw new CrmError("forbidden", "Admin credential is not valid");
    }
    await next();
  });
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/**
 * Compares digests without an early exit, so the time taken says nothing about
 * how much of the token matched; hashing first makes the lengths equal.
 */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}
