import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env, MiddlewareHandler } from "hono";
import type { BlankEnv } from "hono/types";
import { validationHook } from "./errors.ts";

/** A router for one route group; every validation error leaves it in the same shape. */
export function createRouter<E extends Env = BlankEnv>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: validationHook });
}

/**
 * A router whose every route runs `guards` first. Mounted with `app.route(base, …)`
 * the guards cover exactly the routes under `base`: which routes need which
 * credential follows from where they are mounted, not from a list of paths.
 */
export function guardedRouter<E extends Env>(guards: MiddlewareHandler<E>[]): OpenAPIHono<E> {
  const router = createRouter<E>();
  router.use("*", ...guards);
  return router;
}
