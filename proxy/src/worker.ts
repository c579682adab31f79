import type { ExecutionContext } from "hono";
import { CrmError } from "#domain";
import { ConfigError, type EnvRecord, loadConfig } from "./config.ts";
import { FetchConnection } from "./elasticsearch/fetch-connection.ts";
import { checkCrmIndices } from "./elasticsearch/setup.ts";
import { createApp, type ProxyApp } from "./http/app.ts";
import { bindingRateLimiter, isRateLimitBinding } from "./http/middleware/rate-limit.ts";
import { createCrmServices } from "./services.ts";

/**
 * The Cloudflare Workers entry. One app per isolate: the configuration, the
 * JWKS cache and the adapter's customer and entity caches live as long as the
 * isolate. Budgets are not kept here: an isolate's counters would multiply the
 * limit by the number of isolates, so both go through Cloudflare's Rate
 * Limiting bindings (wrangler.toml), which count per Cloudflare location. Nothing request-bound is kept: the
 * Elasticsearch client opens a new `fetch()` for every call.
 */
let app: ProxyApp | undefined;

/** The `period` of both `[[ratelimits]]` bindings in wrangler.toml, in seconds. */
const RATE_LIMIT_PERIOD_SECONDS = 60;

function setUp(env: EnvRecord): ProxyApp {
  const config = loadConfig(env);
  const { RATE_LIMITER, CUSTOMER_CREATION_LIMITER } = env;
  if (!isRateLimitBinding(RATE_LIMITER) || !isRateLimitBinding(CUSTOMER_CREATION_LIMITER)) {
    throw new ConfigError([
      "the Rate Limiting bindings RATE_LIMITER and CUSTOMER_CREATION_LIMITER are required ([[ratelimits]] in wrangler.toml)",
    ]);
  }
  const services = createCrmServices(config, {
    Connection: FetchConnection,
    adapter: { shareWrites: false },
  });
  let indicesReady = false;
  // The Worker's credential may only read and write the CRM indices: it checks
  // that setup ran (`npm run setup`), never sets anything up. Each request
  // checks until one succeeds; a failure answers through the app, with its
  // CORS headers and Retry-After.
  const ready = async () => {
    if (indicesReady) return;
    await checkCrmIndices(services.client, services.indices);
    indicesReady = true;
  };
  return createApp({
    config,
    adapter: services.adapter,
    ready,
    limits: {
      operations: bindingRateLimiter(RATE_LIMITER, RATE_LIMIT_PERIOD_SECONDS),
      customerCreations: bindingRateLimiter(CUSTOMER_CREATION_LIMITER, RATE_LIMIT_PERIOD_SECONDS),
    },
    // Set by Cloudflare on every request; a client cannot choose it.
    clientAddress: (c) => c.req.header("CF-Connecting-IP"),
  });
}

export default {
  async fetch(request: Request, env: EnvRecord, ctx: ExecutionContext): Promise<Response> {
    try {
      app ??= setUp(env);
    } catch (error) {
      // Without a valid configuration there is no CORS list to answer with.
      console.error(error instanceof ConfigError ? error.message : error);
      const failure = new CrmError("internal", "The proxy is not configured");
      return Response.json({ error: failure.toJSON() }, { status: failure.status });
    }
    return app.fetch(request, env, ctx);
  },
};
