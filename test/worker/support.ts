/**
 * The Worker inside workerd, started through wrangler the way every worker
 * suite starts it: the test session keys and admin token, then the suite's
 * own `vars`; nothing reaches the network (wrangler fetches no Request.cf
 * data and sends no metrics).
 */
import { resolve } from "node:path";
import { type Unstable_DevWorker, unstable_dev } from "wrangler";
import { crmIndices } from "../../proxy/src/elasticsearch/indices.ts";
import { ensureCrmIndices } from "../../proxy/src/elasticsearch/setup.ts";
import { ADMIN_TOKEN, AUDIENCE, ISSUER, SESSION_SECRET } from "../proxy/http/support.ts";
import { elasticsearchUrl, testClient } from "../support/elasticsearch.ts";

export async function startTestWorker(
  vars: Record<string, string>,
  options: { config?: string; logLevel?: "warn" | "none" } = {},
): Promise<Unstable_DevWorker> {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_SEND_METRICS = "false";
  return unstable_dev(resolve("proxy/src/worker.ts"), {
    config: options.config ?? "wrangler.toml",
    vars: {
      SESSION_ISSUER: ISSUER,
      SESSION_AUDIENCE: AUDIENCE,
      SESSION_SECRET,
      ADMIN_TOKEN,
      ...vars,
    },
    ip: "127.0.0.1",
    port: 0,
    inspect: false,
    logLevel: options.logLevel ?? "warn",
    experimental: { disableExperimentalWarning: true, disableDevRegistry: true },
  });
}

/**
 * A Worker over the real test Elasticsearch and fresh indices under `prefix`, answering
 * the test shop's origin. The indices exist before the Worker's own idempotent setup
 * runs; a short refresh interval keeps writes that wait for a refresh
 * (read-your-writes) quick.
 */
export async function startWorkerOverTestIndices(
  prefix: string,
  vars: Record<string, string> = {},
  options: { config?: string } = {},
): Promise<Unstable_DevWorker> {
  const indices = crmIndices({ prefix });
  await ensureCrmIndices(testClient(), indices);
  await testClient().indices.putSettings({
    index: Object.values(indices),
    settings: { refresh_interval: "50ms" },
  });
  return startTestWorker(
    {
      ELASTICSEARCH_URL: elasticsearchUrl(),
      CRM_INDEX_PREFIX: prefix,
      CORS_ORIGINS: "https://shop.test",
      ...vars,
    },
    options,
  );
}
