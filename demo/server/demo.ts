/**
 * The demo stack in one process: index setup, seed, the demo site and the
 * proxy. `npm start` and the end-to-end tests both start it through here.
 */

import { createCrmAdapter } from "../../proxy/src/adapter/index.ts";
import { ensureCrmIndices } from "../../proxy/src/elasticsearch/setup.ts";
import { type RunningProxy, startProxy } from "../../proxy/src/node.ts";
import { createCrmServices } from "../../proxy/src/services.ts";
import { type DemoSettings, elasticsearchAuth } from "./config.ts";
import { type SeededCustomer, seedDemo } from "./seed.ts";
import { type RunningSite, startSite } from "./site.ts";

export interface DemoOptions {
  elasticsearchUrl: string;
  settings: DemoSettings;
  /** 0 picks free ports (tests). */
  sitePort: number;
  proxyPort: number;
  /**
   * Extra proxy environment (e.g. Elasticsearch credentials); the demo's own settings win,
   * except `CORS_ORIGINS`, whose origins are admitted besides the demo site's.
   */
  env?: NodeJS.ProcessEnv;
  /** Called before each step that may take a while. */
  onStep?: (step: string) => void;
}

export interface RunningDemo {
  siteUrl: string;
  proxyUrl: string;
  customers: SeededCustomer[];
  /** Stops the proxy only (the site keeps serving): what an outage looks like to the widgets. */
  stopProxy(): Promise<void>;
  /** Starts the proxy again on the port it had. */
  restartProxy(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the indices (if missing) and seeds the demo entities and customers. */
export async function prepareDemoData(
  elasticsearchUrl: string,
  settings: DemoSettings,
  env: NodeJS.ProcessEnv = {},
): Promise<SeededCustomer[]> {
  // Writes skip waiting for a refresh each (about a second apiece); one refresh at the end
  // makes the whole seed visible before the proxy serves it.
  const { client, indices, adapter, close } = createCrmServices(
    {
      elasticsearch: { url: elasticsearchUrl, ...elasticsearchAuth(env), timeoutMs: 30_000 },
      indexPrefix: settings.indexPrefix,
    },
    { adapter: { refresh: false } },
  );
  try {
    await ensureCrmIndices(client, indices);
    const adapterAt = (at: Date) =>
      createCrmAdapter({ client, indices, refresh: false, now: () => at });
    const customers = await seedDemo(adapter, adapterAt, settings.issuer);
    await client.indices.refresh({
      index: [indices.entries, indices.entities, indices.customers, indices.history],
    });
    return customers;
  } finally {
    await close();
  }
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const { settings } = options;
  options.onStep?.("setting up indices and seeding the demo data");
  const customers = await prepareDemoData(options.elasticsearchUrl, settings, options.env);

  let proxy: RunningProxy | undefined;
  let proxyUrl = "";
  options.onStep?.("starting the demo site and the proxy");
  const site: RunningSite = await startSite({
    settings,
    customers,
    proxyUrl: () => proxyUrl,
    port: options.sitePort,
  });

  const proxyEnv = (port: number) => ({
    ...options.env,
    ELASTICSEARCH_URL: options.elasticsearchUrl,
    CRM_INDEX_PREFIX: settings.indexPrefix,
    SESSION_ISSUER: settings.issuer,
    SESSION_AUDIENCE: settings.audience,
    SESSION_SECRET: settings.sessionSecret,
    STAFF_AUDIENCE: settings.staffAudience,
    ADMIN_TOKEN: settings.adminToken,
    // The site's own origins, and any the environment names: a developer's own dev server
    // (say http://localhost:5173) can then try the widget package against this proxy.
    CORS_ORIGINS: [...site.origins, options.env?.CORS_ORIGINS ?? ""].join(","),
    PORT: String(port),
  });

  try {
    proxy = await startProxy(proxyEnv(options.proxyPort));
  } catch (error) {
    await site.close();
    throw error;
  }
  proxyUrl = proxy.url;
  const proxyPort = Number(new URL(proxy.url).port);

  return {
    siteUrl: site.url,
    proxyUrl,
    customers,
    async stopProxy() {
      await proxy?.close();
      proxy = undefined;
    },
    async restartProxy() {
      if (!proxy) proxy = await startProxy(proxyEnv(proxyPort));
    },
    async close() {
      await Promise.all([proxy?.close(), site.close()]);
      proxy = undefined;
    },
  };
}
