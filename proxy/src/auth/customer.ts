import { createMiddleware } from "hono/factory";
import { CrmError } from "#domain";
import type { CrmAdapter, Customer } from "../adapter/types.ts";
import { bearerToken, type Session, type SessionVerifier } from "./session.ts";

/** What customer routes find on the context once this middleware ran. */
export interface CustomerVariables {
  /** The verified session token. */
  session: Session;
  /** The customer record of the verified session. */
  customer: Customer;
}

/** The Hono environment of customer routes: only routers that mount `customerAuth` have it. */
export interface CustomerEnv {
  Variables: CustomerVariables;
}

/**
 * Customer routes: verifies the session token, then finds or creates the
 * customer of that identity. Handlers read `c.var.customer` and never take a
 * customer id from the request.
 */
export function customerAuth(
  verify: SessionVerifier,
  adapter: Pick<CrmAdapter, "resolveCustomer">,
) {
  return createMiddleware<CustomerEnv>(async (c, next) => {
    const token = bearerToken(c.req.header("Authorization"));
    if (token === undefined) {
      c.header("WWW-Authenticate", 'Bearer realm="crm"');
      throw new CrmError("unauthenticated", "Session token required");
    }
    let session: Session;
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
