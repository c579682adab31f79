import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { customerIdFor } from "../adapter/ids.ts";
import type { CrmAdapter, Customer } from "../adapter/types.ts";
import {
  type OperationCount,
  type RateLimiter,
  rateLimited,
} from "../http/middleware/rate-limit.ts";
import { type BearerGuard, verifiedBearer } from "./bearer.ts";
import type { Session, SessionVerifier } from "./session.ts";

/** What customer routes find on the context once the customer guard ran. */
export interface CustomerVariables {
  /** The verified session token. */
  session: Session;
  /** The customer record of the verified session. */
  customer: Customer;
}

/** The Hono environment of customer routes: only routers that mount the customer guard have it. */
export interface CustomerEnv {
  Variables: CustomerVariables;
}

/** The address a request came from, as far as the runtime knows it (undefined: unknown). */
export type ClientAddress = (c: Context) => string | undefined;

export interface CustomerGuardOptions {
  verify: SessionVerifier;
  /** The budget of operations per customer. */
  operations: RateLimiter;
  /** How many operations a request of the guarded routes is. */
  count: OperationCount;
  adapter: Pick<CrmAdapter, "getCustomer" | "resolveCustomer">;
  /** The budget of new customer records per client address. */
  creations: RateLimiter;
  clientAddress: ClientAddress;
}

const SESSION_GUARD: BearerGuard = { realm: "crm", missing: "Session token required" };

/**
 * The guard of customer routes, in this order, as one middleware (each Hono middleware
 * is one more promise and closure on every request):
 *
 * 1. a valid session token, or 401;
 * 2. each operation of the request spends one unit of the session customer's budget (a
 *    batch of 50 calls costs 50), before the customer record is looked up or created, so
 *    an identity over its budget costs Elasticsearch nothing; 429 past it;
 * 3. the customer of the verified identity, found or created. A site that issues tokens
 *    to anonymous visitors lets anyone mint identities, so creating records is bounded:
 *    each new customer spends one unit of its client address's `creations` budget, and
 *    past it the address gets 429 until the window ends. Known customers are never
 *    refused (they are found before any budget is asked).
 *
 * The customer id derives from the verified identity (a hash): it is worked out once per
 * verified session, which the session verifier hands out again for the same token.
 */
export function customerGuard(options: CustomerGuardOptions) {
  const { verify, operations, count, adapter, creations, clientAddress } = options;
  const customerIds = new WeakMap<Session, string>();
  const customerIdOf = (session: Session): string => {
    let id = customerIds.get(session);
    if (id === undefined) {
      id = customerIdFor(session.issuer, session.subject);
      customerIds.set(session, id);
    }
    return id;
  };
  return createMiddleware<CustomerEnv>(async (c, next) => {
    const session = await verifiedBearer(c, SESSION_GUARD, verify);
    c.set("session", session);
    const customerId = customerIdOf(session);
    const decision = await operations.take(customerId, await count(c));
    if (!decision.allowed) {
      throw rateLimited(c, decision.retryAfterSeconds, "Too many operations");
    }
    let customer = await adapter.getCustomer(customerId);
    if (customer === null) {
      const created = await creations.take(clientAddress(c) ?? "unknown address", 1);
      if (!created.allowed) {
        throw rateLimited(c, created.retryAfterSeconds, "Too many new customers from this address");
      }
      customer = await adapter.resolveCustomer({
        issuer: session.issuer,
        subject: session.subject,
      });
    }
    c.set("customer", customer);
    await next();
  });
}
