import type { ExecutionContext } from "hono";
import { CrmError } from "#domain";
import { ConfigError, type EnvRecord, loadConfig } from "./config.ts";
import { FetchConnection } from "./elasticsearch/fetch-connection.ts";
import { ensureCrmIndices } from "./elasticsearch/setup.ts";
import { createApp, type ProxyApp } from "./http/app.ts";
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from "./http/errors.ts";
import { createServices, type ProxyServices } from "./http/services.ts";

/**
 * The Cloudflare Workers entry. One app per isolate: the configuration, the
 * JWKS cache, the rate-limit windows and the adapter's customer and entity
 * caches live as long as the isolate. Nothing request-bound is kept: the
 * Elasticsearch client opens a new `fetch()` for every call.
 */
interface Isolate {
  app: ProxyApp;
  services: ProxyServices;
  /** Set once the indices are known to exist; until then each request checks (idempotent). */
  indicesReady: boolean;
}

let isolate: Isolate | undefined;

function setUp(env: EnvRecord): Isolate {
  const config = loadConfig(env);
  const services = createServices(config, { Connection: FetchConnection });
  return { app: createApp({ config, adapter: services.adapter }), services, indicesReady: false };
}

function errorJson(error: CrmError, headers: Record<string, string> = {}): Response {
  return Response.json({ error: error.toJSON() }, { status: error.status, headers });
}

export default {
  async fetch(request: Request, env: EnvRecord, ctx: ExecutionContext): Promise<Response> {
    try {
      isolate ??= setUp(env);
    } catch (error) {
      console.error(error instanceof ConfigError ? error.message : error);
      return errorJson(new CrmError("internal", "The proxy is not configured"));
    }
    const current = isolate;
    if (!current.indicesReady) {
      try {
        await ensureCrmIndices(current.services.client, current.services.indices);
        current.indicesReady = true;
      } catch (error) {
        const crmError =
          error instanceof CrmError ? error : new CrmError("internal", "Internal error");
        return errorJson(
          crmError,
          crmError.code === "unavailable"
            ? { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS) }
            : {},
        );
      }
    }
    return current.app.fetch(request, env, ctx);
  },
};
