import type { Context, Env } from "hono";
import { createMiddleware } from "hono/factory";
import { CrmError } from "#domain";
import { bearerToken } from "./session.ts";

/** Who a kind of bearer credential is for, as its 401 answers name it. */
export interface BearerGuard {
  realm: string;
  /** The message of the 401 when the request has no token. */
  missing: string;
}

/**
 * The request's bearer token, verified. No token is 401 with `WWW-Authenticate`
 * naming the realm; a token refused as a credential (any 401) adds
 * `error="invalid_token"` to it.
 */
export async function verifiedBearer<T>(
  c: Context,
  guard: BearerGuard,
  verify: (token: string) => Promise<T>,
): Promise<T> {
  const token = bearerToken(c.req.header("Authorization"));
  if (token === undefined) {
    c.header("WWW-Authenticate", `Bearer realm="${guard.realm}"`);
    throw new CrmError("unauthenticated", guard.missing);
  }
  try {
    return await verify(token);
  } catch (error) {
    if (error instanceof CrmError && error.status === 401) {
      c.header("WWW-Authenticate", `Bearer realm="${guard.realm}", error="invalid_token"`);
    }
    throw error;
  }
}

/**
 * The guard of one kind of route (staff): the request's bearer token, verified
 * (`verifiedBearer`), goes to `keep`, which puts it on the context.
 */
export function bearerAuth<E extends Env, T>(
  guard: BearerGuard,
  verify: (token: string) => Promise<T>,
  keep: (c: Context<E>, verified: T) => void,
) {
  return createMiddleware<E>(async (c, next) => {
    keep(c, await verifiedBearer(c, guard, verify));
    await next();
  });
}
