import { createMiddleware } from "hono/factory";
import { CrmError } from "#domain";
import type { CrmAdapter } from "../adapter/types.ts";
import type { AppEnv } from "../http/env.ts";
import { bearerToken, type SessionVerifier } from "./session.ts";

/**
 * Customer routes: verifies the session token, then finds or creates the
 * customer of that identity. Handlers read `c.var.customer` and never take a
 * customer id from the request.
 */
export function customerAuth(
  verify: SessionVerifier,
  adapter: Pick<CrmAdapter, "resolveCustomer">,
) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header("Authorization"));
    if (token === undefined) {
      c.header("WWW-Authenticate", 'Bearer realm="crm"');
      throw new CrmError("unauthenticated", "Session token required");
    }
    let session: AppEnv["Variables"]["session"];
    try {
      session = await verify(token);
    } catch (error) {
      if (error instanceof CrmError && error.code === "unauthenticated") {
        c.header("WWW-Authenticate", 'Bearer realm="crm", error="invalid_token"');
      }
      throw error;
    }
    c.set("session", session);
    c.set(
      "customer",
      await adapter.resolveCustomer({ issuer: session.issuer, subject: session.subject }),
    );
    await next();
  });
}
