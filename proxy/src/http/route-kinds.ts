import { createRoute, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Env } from "hono";
import type { BlankEnv } from "hono/types";
import type { CustomerEnv } from "../auth/customer.ts";
import { errorResponses } from "./schemas.ts";

/** Where customer routes are registered: its context has the session and the customer. */
export type CustomerRouter = OpenAPIHono<CustomerEnv>;
/** Where admin routes are registered: its context has no session and no customer. */
export type AdminRouter = OpenAPIHono<BlankEnv>;

/**
 * The kinds of route, each with its credential (an OpenAPI security scheme)
 * and the errors any route of that kind can answer. A route file states only
 * what is its own; `customerRoute`/`adminRoute` add the rest (after Unkey's
 * `createAuthRoute`).
 */
const ROUTE_KINDS = {
  customer: {
    scheme: "session",
    errors: [400, 401, 403, 404, 413, 429, 503],
    securityScheme: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description: "The visitor's session token, signed by the site owner's backend",
    },
  },
  admin: {
    scheme: "admin",
    errors: [400, 401, 403, 404, 409, 413, 503],
    securityScheme: {
      type: "http",
      scheme: "bearer",
      description: "The ADMIN_TOKEN of this proxy",
    },
  },
} as const;

type RouteKind = keyof typeof ROUTE_KINDS;
type OwnRoute = Omit<RouteConfig, "security">;

function routeOf<const R extends OwnRoute>(kind: RouteKind, route: R) {
  const { scheme, errors } = ROUTE_KINDS[kind];
  return createRoute({
    ...route,
    security: [{ [scheme]: [] }],
    responses: { ...errorResponses(...errors), ...route.responses },
  });
}

/** A route that acts for the session customer (mounted on a customer router). */
export function customerRoute<const R extends OwnRoute>(route: R) {
  return routeOf("customer", route);
}

/** A back office route behind the admin credential (mounted on the admin router). */
export function adminRoute<const R extends OwnRoute>(route: R) {
  return routeOf("admin", route);
}

/** Declares every kind's security scheme in the OpenAPI document. */
export function registerSecuritySchemes<E extends Env>(app: OpenAPIHono<E>): void {
  for (const { scheme, securityScheme } of Object.values(ROUTE_KINDS)) {
    app.openAPIRegistry.registerComponent("securitySchemes", scheme, { ...securityScheme });
  }
}
