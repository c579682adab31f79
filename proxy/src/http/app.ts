import { MAX_BATCH_CALLS } from "#domain";
import type { CrmAdapter } from "../adapter/types.ts";
import { adminAuth } from "../auth/admin.ts";
import { type ClientAddress, type CustomerEnv, customerGuard } from "../auth/customer.ts";
import { createSessionVerifier, tokenKeys } from "../auth/session.ts";
import { createStaffVerifier, type StaffEnv, staffAuth } from "../auth/staff.ts";
import type { ProxyConfig } from "../config.ts";
import { notFound, onError } from "./errors.ts";
import { requestDeadline } from "./middleware/deadline.ts";
import { requestGate } from "./middleware/gate.ts";
import {
  batchOperations,
  memoryRateLimiter,
  type OperationCount,
  oneOperation,
  type RateLimiter,
} from "./middleware/rate-limit.ts";
import { registerSecuritySchemes } from "./route-kinds.ts";
import { createRouter, guardedRouter } from "./router.ts";
import { adminRoutes } from "./routes/admin.ts";
import { batchRoutes } from "./routes/batch.ts";
import { entityRoutes } from "./routes/entities.ts";
import { entryRoutes } from "./routes/entries.ts";
import { metaRoutes } from "./routes/meta.ts";
import { staffRoutes } from "./routes/staff.ts";

export interface AppOptions {
  config: ProxyConfig;
  adapter: CrmAdapter;
  /**
   * Runs before each request reaches authentication and routes, after the
   * headers and CORS, so its failures answer like any other error (the Worker
   * makes sure the indices exist here).
   */
  ready?: () => Promise<void>;
  /**
   * The budgets of customer routes: operations per customer, new customer
   * records per client address. Default: counters in this process's memory
   * (the Node proxy); the Worker passes Cloudflare's Rate Limiting bindings.
   */
  limits?: { operations: RateLimiter; customerCreations: RateLimiter };
  /** Where a request came from, the key of the creation budget (default: unknown, one key). */
  clientAddress?: ClientAddress;
}

/**
 * The proxy as one Hono app, the same on Node and Workers. Every request
 * first passes the request gate (`middleware/gate.ts`): its request id and the
 * headers every answer carries (errors included), CORS (preflights end there),
 * 405 for a method the path does not have, size and content checks before
 * anything reads a body. Each route group is then mounted on a router of its
 * kind, whose guards run for that group only: customer routes verify the
 * session and rate-limit per customer, admin routes check the admin credential.
 */
export function createApp({
  config,
  adapter,
  ready,
  limits = {
    operations: memoryRateLimiter(config.rateLimitPerMinute),
    customerCreations: memoryRateLimiter(config.customerCreationsPerMinute),
  },
  clientAddress = () => undefined,
}: AppOptions) {
  const keys = tokenKeys(config.session);
  const verify = createSessionVerifier(config.session, keys);
  const verifyStaff = createStaffVerifier(
    { issuer: config.session.issuer, ...config.staff },
    keys,
    verify,
  );
  const app = createRouter();

  app.use(
    "*",
    requestGate(app, {
      corsOrigins: config.corsOrigins,
      bodyLimitBytes: config.bodyLimitBytes,
      ready,
    }),
  );

  // One budget for every customer route (per customer, not per group). The deadline first,
  // so it bounds the customer's resolution too.
  const customerRouter = (count: OperationCount = oneOperation) =>
    guardedRouter<CustomerEnv>([
      requestDeadline(config.elasticsearch.timeoutMs),
      customerGuard({
        verify,
        operations: limits.operations,
        count,
        adapter,
        creations: limits.customerCreations,
        clientAddress,
      }),
    ]);
  const staffRouter = () => guardedRouter<StaffEnv>([staffAuth(verifyStaff)]);
  const adminRouter = () => guardedRouter([adminAuth(config.adminToken)]);

  app.route("/v1", metaRoutes());
  app.route("/v1/batch", batchRoutes(customerRouter(batchOperations(MAX_BATCH_CALLS)), adapter));
  app.route("/v1/entities", entityRoutes(customerRouter(), adapter));
  app.route("/v1/entries", entryRoutes(customerRouter(), adapter));
  app.route("/v1/staff", staffRoutes(staffRouter(), adapter));
  app.route("/v1/admin", adminRoutes(adminRouter(), adapter));

  registerSecuritySchemes(app);
  app.doc31("/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "crm-widgets proxy",
      version: "1.0.0",
      description: "The customer's own CRM data for embedded widgets, and back office routes.",
    },
  });

  app.onError(onError);
  app.notFound(notFound);
  return app;
}

export type ProxyApp = ReturnType<typeof createApp>;
