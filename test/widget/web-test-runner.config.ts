/**
 * Widget tests in real headless Chromium (Debian's /usr/bin/chromium) against
 * the real proxy and the real Elasticsearch: the proxy runs in this process
 * with its own index prefix, the test entities are created through its admin
 * API, and browser tests ask the `crm-*` server commands below for signed
 * session tokens, seeded data and screenshots.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import type { TestRunnerConfig, TestRunnerPlugin } from "@web/test-runner";
import { type ChromeLauncher, chromeLauncher } from "@web/test-runner-chrome";
import { ensureElasticsearch } from "../../proxy/dev/elasticsearch.ts";
import { freePort } from "../../proxy/dev/ports.ts";
import { customerIdFor } from "../../proxy/src/adapter/ids.ts";
import { createCrmAdapter } from "../../proxy/src/adapter/index.ts";
import type { CrmAdapter } from "../../proxy/src/adapter/types.ts";
import { deleteCrmIndices } from "../../proxy/src/elasticsearch/setup.ts";
import { type RunningProxy, startProxy } from "../../proxy/src/node.ts";
import { createCrmServices } from "../../proxy/src/services.ts";
import { buildBundle } from "../../widget/bundle.ts";
import { chromiumLaunch } from "../support/chromium.ts";
import { signSession } from "../support/tokens.ts";
import { buildFrameworkApps } from "./frameworks/build.ts";
import { testEntities } from "./seed.ts";
import { ssrPages } from "./ssr/pages.ts";

const root = resolve(import.meta.dirname, "../..");
const screenshots = join(root, "test-results", "screenshots");
/** Where the tests' copy of the minified bundle is built, served as /test-results/bundle/. */
const bundleDir = join(root, "test-results", "bundle");
const issuer = "https://widget-tests.example";
const audience = "crm-widget-tests";
const secret = randomBytes(32).toString("hex");
const adminToken = randomBytes(32).toString("hex");
const indexPrefix = `t-widget-${randomBytes(4).toString("hex")}-`;

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;

/** What the browser tests may ask the Node side to do; `at` backdates a change (history). */
export type SeedCall =
  | {
      op: "setCrmField";
      args: { slug: string; fieldKey: string; value: unknown; entryId?: string };
      at?: string;
    }
  | {
      op: "setCrmStage";
      args: { slug: string; pipeline: string; stage: string; entryId?: string };
      at?: string;
    }
  | { op: "createCrmEntry"; args: { slug: string; values?: Record<string, unknown> } };

function crmPlugin(launcher: ChromeLauncher): TestRunnerPlugin {
  let proxy: RunningProxy | undefined;
  let adapter: CrmAdapter | undefined;
  /** The backend adapter with its clock at `at`: a change made then, as its history records it. */
  let adapterAt: ((at: string) => CrmAdapter) | undefined;
  let searchable: (() => Promise<void>) | undefined;
  let closeClient: (() => Promise<void>) | undefined;
  const sessions = { issuer, audience, key: secret };
  /** A second proxy over indices of its own with no entity at all (the settings' empty state). */
  let emptyProxy: Promise<{ proxy: RunningProxy; close: () => Promise<void> }> | undefined;
  let elasticsearchUrl = "";
  const staffSession = { ...sessions, audience: `${audience}:staff`, typ: "staff+jwt" };
  const proxyEnv = (prefix: string) => ({
    ELASTICSEARCH_URL: elasticsearchUrl,
    CRM_INDEX_PREFIX: prefix,
    SESSION_ISSUER: issuer,
    SESSION_AUDIENCE: audience,
    SESSION_SECRET: secret,
    ADMIN_TOKEN: adminToken,
    CORS_ORIGINS: origin,
    RATE_LIMIT_PER_MINUTE: "100000",
    CUSTOMER_CREATIONS_PER_MINUTE: "100000",
    PORT: "0",
  });

  return {
    name: "crm-proxy",
    async serverStart() {
      await buildBundle(bundleDir);
      await buildFrameworkApps(join(root, "test-results", "frameworks"));
      const elasticsearch = await ensureElasticsearch();
      elasticsearchUrl = elasticsearch.url;
      proxy = await startProxy(proxyEnv(indexPrefix), { setUpIndices: true });
      for (const entity of testEntities) {
        const response = await fetch(`${proxy.url}/v1/admin/entities`, {
          method: "POST",
          headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
          body: JSON.stringify(entity),
        });
        if (!response.ok)
          throw new Error(`Seeding ${entity.slug}: ${response.status} ${await response.text()}`);
      }
      // Backend-only writes (read-only fields, stages customers may not move) go through the
      // unscoped adapter, as the site owner's backend scripts would.
      const services = createCrmServices({
        elasticsearch: { url: elasticsearch.url, timeoutMs: 10_000, maxRetries: 0 },
        indexPrefix,
      });
      const { client, indices } = services;
      adapter = services.adapter;
      // No refresh wait per seeded change: a seed ends by making history searchable once.
      adapterAt = (at) =>
        createCrmAdapter({ client, indices, refresh: false, now: () => new Date(at) });
      searchable = async () => {
        await client.indices.refresh({ index: [indices.entries, indices.history] });
      };
      closeClient = async () => {
        // By name: Elasticsearch refuses wildcard deletes by default.
        await deleteCrmIndices(client, indices);
        await client.close();
      };
    },
    async serverStop() {
      await (await emptyProxy)?.close();
      await proxy?.close();
      await closeClient?.();
    },
    async executeCommand({ command, payload, session }) {
      if (!proxy || !adapter) return undefined;
      const input = (payload ?? {}) as Record<string, unknown>;
      if (command === "crm-session") {
        const subject = `${String(input.name ?? "visitor")}-${randomBytes(4).toString("hex")}`;
        const customer = await adapter.resolveCustomer({ issuer, subject });
        return {
          proxyUrl: proxy.url,
          token: await signSession(sessions, subject, {}, 600),
          expiredToken: await signSession(sessions, subject, {}, -60),
          subject,
          customerId: customer.id,
          adminToken,
          staffToken: await signSession(staffSession, "staff-tester", { role: "admin" }, 600),
          staffRoleToken: await signSession(staffSession, "staff-member", { role: "staff" }, 600),
        };
      }
      if (command === "crm-empty-back-office") {
        emptyProxy ??= (async () => {
          const prefix = `${indexPrefix}empty-`;
          const running = await startProxy(proxyEnv(prefix), { setUpIndices: true });
          const { client, indices } = createCrmServices({
            elasticsearch: { url: elasticsearchUrl, timeoutMs: 10_000, maxRetries: 0 },
            indexPrefix: prefix,
          });
          return {
            proxy: running,
            async close() {
              await running.close();
              await deleteCrmIndices(client, indices);
              await client.close();
            },
          };
        })();
        return {
          proxyUrl: (await emptyProxy).proxy.url,
          staffToken: await signSession(staffSession, "staff-tester", { role: "admin" }, 600),
        };
      }
      if (command === "crm-log") {
        console.log("BROWSER", input.text);
        return true;
      }
      if (command === "crm-searchable") {
        await searchable?.();
        return true;
      }
      if (command === "crm-token") {
        return signSession(sessions, String(input.subject), {}, 600);
      }
      if (command === "crm-seed") {
        const customerId = customerIdFor(issuer, String(input.subject));
        const reference = { referenceType: "customer", referenceId: customerId };
        const results: unknown[] = [];
        for (const call of (input.calls ?? []) as SeedCall[]) {
          const writer = "at" in call && call.at && adapterAt ? adapterAt(call.at) : adapter;
          if (call.op === "setCrmField") {
            results.push(await writer.setCrmField({ ...call.args, ...reference } as never));
          } else if (call.op === "setCrmStage") {
            results.push(await writer.setCrmStage({ ...call.args, ...reference }));
          } else {
            results.push(await adapter.createCrmEntry({ ...call.args, ...reference } as never));
          }
        }
        // Seeded entries and history are searchable before the page reads them (seeds at a
        // time do not wait for that).
        await searchable?.();
        return results;
      }
      if (command === "crm-screenshot") {
        const page = launcher.getPage(session.id);
        const scheme = String(input.colorScheme ?? "light");
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
        // Let the page repaint (and Lit settle) in the new scheme before capturing.
        await page.evaluate(
          () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
        );
        const element = await page.$(String(input.selector));
        if (!element) throw new Error(`No element ${String(input.selector)} to screenshot`);
        const path = join(screenshots, `${String(input.name)}-${scheme}.png`);
        mkdirSync(dirname(path), { recursive: true });
        await element.screenshot({ path });
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
        return path;
      }
      return undefined;
    },
  };
}

const launcher = chromeLauncher({
  launchOptions: chromiumLaunch,
});

const config: TestRunnerConfig = {
  rootDir: root,
  files: ["test/widget/**/*.test.ts"],
  hostname: "127.0.0.1",
  port,
  nodeResolve: { exportConditions: ["production"] },
  browsers: [launcher],
  // One page at a time: a second page is a background tab, where Chromium throttles timers and
  // runs no animation frames (screenshots wait for one).
  concurrency: 1,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 15_000 } },
  // Pages under test/widget/csp/ carry the strict policy the product promises to work under.
  middleware: [
    async (context, next) => {
      await next();
      if (context.path.startsWith("/test/widget/csp/")) {
        context.set(
          "Content-Security-Policy",
          "default-src 'self'; style-src 'self'; connect-src 'self' http://127.0.0.1:*",
        );
      }
    },
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: "es2022", tsconfig: join(root, "tsconfig.json") }),
    crmPlugin(launcher),
    ssrPages(root),
  ],
  // axe-core for the accessibility checks, as a classic script before the tests.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <script src="/node_modules/axe-core/axe.min.js"></script>
    <style>
      /* A site that follows the visitor's color scheme, as the screenshots assume. */
      body { font: 16px system-ui, sans-serif; }
      @media (prefers-color-scheme: dark) { .mount { background: #0d1117; color: #e6edf3; } }
    </style>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};

export default config;
