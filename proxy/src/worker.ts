import type { ExecutionContext } from "hono";
import { CrmError } from "#domain";
import { ConfigError, type EnvRecord, loadConfig } from "./config.ts";
import { FetchConnection } from "./elasticsearch/fetch-connection.ts";
import { checkCrmIndices } from "./elasticsearch/setup.ts";
import { createApp, type ProxyApp } from "./http/app.ts";
import { createCrmServices } from "./services.ts";

/**
 * The Cloudflare Workers entry. One app per isolate: the configuration, the
 * JWKS cache, the rate-limit windows and the adapter's customer and entity
 * caches live as long as the isolate. Nothing request-bound is kept: the
 * Elasticsearch client opens a new `fetch()` for every call.
 */
let app: ProxyApp | undefined;

function setUp(env: EnvRecord): ProxyApp {
  const config = loadConfig(env);
  const services = createCrmServices(config, { Connection: FetchConnection });
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
  return createApp({ config, adapter: services.adapter, ready });
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
