import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { customerIdFor } from "../adapter/ids.ts";
import type { CrmAdapter, Customer } from "../adapter/types.ts";
import { type RateLimiter, rateLimited } from "../http/middleware/rate-limit.ts";
import { bearerAuth } from "./bearer.ts";
import type { Session, SessionVerifier } from "./session.ts";

/** What customer routes find on the context once these middlewares ran. */
export interface CustomerVariables {
  /** The verified session token. */
  session: Session;
  /** The customer record of the verified session. */
  customer: Customer;
}

/** The Hono environment of customer routes: only routers that mount these guards have it (the session first, the customer last). */
export interface CustomerEnv {
  Variables: CustomerVariables;
}

/** The first guard of customer routes: a valid session token, or 401. */
export function sessionAuth(verify: SessionVerifier) {
  return bearerAuth<CustomerEnv, Session>(
    { realm: "crm", missing: "Session token required" },
    verify,
    (c, session) => c.set("session", session),
  );
}

/** The address a request came from, as far as the runtime knows it (undefined: unknown). */
export type ClientAddress = (c: Context) => string | undefined;

/**
 * The last guard of customer routes: finds the customer of the verified
 * identity, or creates it. A site that issues tokens to anonymous visitors
 * lets anyone mint identities, so creating records is bounded: each new
 * customer spends one unit of its client address's `creations` budget, and
 * past it the address gets 429 until the window ends. Known customers are
 * never refused (they are found before any budget is asked).
 */
export function customerRecord(
  adapter: Pick<CrmAdapter, "getCustomer" | "resolveCustomer">,
  creations: RateLimiter,
  clientAddress: ClientAddress,
) {
  return createMiddleware<CustomerEnv>(async (c, next) => {
    const { issuer, subject } = c.var.session;
    let customer = await adapter.getCustomer(customerIdFor(issuer, subject));
    if (customer === null) {
      const decision = await creations.take(clientAddress(c) ?? "unknown address", 1);
      if (!decision.allowed) {
        throw rateLimited(
          c,
          decision.retryAfterSeconds,
          "Too many new customers from this address",
        );
      }
      customer = await adapter.resolveCustomer({ issuer, subject });
    }
    c.set("customer", customer);
    await next();
  });
}
