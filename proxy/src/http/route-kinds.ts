import { createRoute, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Env } from "hono";
import type { BlankEnv } from "hono/types";
import type { CustomerEnv } from "../auth/customer.ts";
import { requireAdminRole, type StaffEnv } from "../auth/staff.ts";
import { errorResponses } from "./schemas.ts";

/** Where customer routes are registered: its context has the session and the customer. */
export type CustomerRouter = OpenAPIHono<CustomerEnv>;
/** Where staff routes are registered: its context has the verified staff member. */
export type StaffRouter = OpenAPIHono<StaffEnv>;
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
    errors: [400, 401, 403, 404, 409, 413, 429, 503],
    securityScheme: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description: "The visitor's session token, signed by the site owner's backend",
    },
  },
  staff: {
    scheme: "staff",
    errors: [400, 401, 403, 404, 409, 413, 503],
    securityScheme: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description:
        "A staff token (`typ: staff+jwt`, the staff audience, `role` staff or admin), signed by the site owner's backend with the session keys",
    },
  },
  admin: {
    scheme: "admin",
    errors: [400, 401, 403, 404, 409, 413, 503],
    securityScheme: {
      type: "http",
      scheme: "bearer",
      description:
        "The ADMIN_TOKEN of this proxy: for the owner's backend only, never sent to a browser",
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

/** A back office route any staff member (role staff or admin) may use. */
export function staffRoute<const R extends OwnRoute>(route: R) {
  return routeOf("staff", route);
}

/** A back office route only staff members with the admin role may use. */
export function staffAdminRoute<const R extends OwnRoute>(route: R) {
  return routeOf("staff", {
    ...route,
    description: `Admin role only. ${route.description ?? ""}`.trim(),
    middleware: [requireAdminRole],
  });
}

/** Declares every kind's security scheme in the OpenAPI document. */
export function registerSecuritySchemes<E extends Env>(app: OpenAPIHono<E>): void {
  for (const { scheme, securityScheme } of Object.values(ROUTE_KINDS)) {
    app.openAPIRegistry.registerComponent("securitySchemes", scheme, { ...securityScheme });
  }
}
