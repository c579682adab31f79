import type { OpenAPIHono, RouteConfig, z } from "@hono/zod-openapi";
import type { Context, Env } from "hono";
import { validationError } from "./errors.ts";

/** A GET route whose path parameters and query string have schemas. */
export type CheckedGetRoute = RouteConfig & {
  method: "get";
  request: { params: z.ZodType<object>; query: z.ZodType<object> };
};

/** The query string as Hono's validator hands it over: a repeated key becomes an array. */
function queryOf(c: Context): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([key, values]) => [
      key,
      values.length === 1 ? (values[0] as string) : values,
    ]),
  );
}

function checked(schema: z.ZodType<object>, input: unknown): object {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error.issues);
  return result.data;
}

/**
 * Documents `route` and serves it with `handler`, given the query and the path parameters
 * checked against the schemas the route documents, in that order, in one synchronous step:
 * `openapi()` adds a validator layer per part, each parsing asynchronously and awaiting
 * its hook, the largest cost of a hot read's HTTP layer after its headers. Invalid input is
 * answered as the validators answer it (`validationError`). `input` is the query's values
 * and the path's, as the schemas output them.
 */
export function serveCheckedGet<E extends Env>(
  router: OpenAPIHono<E>,
  route: CheckedGetRoute,
  handler: (c: Context<E>, input: object) => Promise<Response>,
): void {
  router.openAPIRegistry.registerPath(route);
  const { params, query } = route.request;
  router.get(route.path.replaceAll(/\/{(.+?)}/g, "/:$1"), (c) =>
    // Both are new objects of zod's: the path's values join the query's.
    handler(c, Object.assign(checked(query, queryOf(c)), checked(params, c.req.param()))),
  );
}
