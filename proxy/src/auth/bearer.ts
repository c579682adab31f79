import type { Context, Env } from "hono";
import { createMiddleware } from "hono/factory";
import { CrmError } from "#domain";
import { bearerToken } from "./session.ts";

/**
 * The guard of one kind of route (customer sessions, staff): the request's
 * bearer token, verified, goes to `keep`, which puts it on the context. No
 * token is 401 with `WWW-Authenticate` naming the realm; a token refused as a
 * credential (any 401) adds `error="invalid_token"` to it.
 */
export function bearerAuth<E extends Env, T>(
  guard: { realm: string; missing: string },
  verify: (token: string) => Promise<T>,
  keep: (c: Context<E>, verified: T) => void,
) {
  return createMiddleware<E>(async (c, next) => {
    const token = bearerToken(c.req.header("Authorization"));
    if (token === undefined) {
      c.header("WWW-Authenticate", `Bearer realm="${guard.realm}"`);
      throw new CrmError("unauthenticated", guard.missing);
    }
    try {
      keep(c, await verify(token));
    } catch (error) {
      if (error instanceof CrmError && error.status === 401) {
        c.header("WWW-Authenticate", `Bearer realm="${guard.realm}", error="invalid_token"`);
      }
      throw error;
    }
    await next();
  });
}
