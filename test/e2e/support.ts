/**
 * The real demo stack for end-to-end tests: Elasticsearch (the test run's, under
 * a unique index prefix), the seeded demo, the proxy and the demo site in this
 * process, the built widget bundle, and headless Debian Chromium.
 */
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll } from "vitest";
import { buildBundle, bundleOutdated } from "../../demo/server/bundle.ts";
import { demoSettings } from "../../demo/server/config.ts";
import { type RunningDemo, startDemo } from "../../demo/server/demo.ts";
import type { SeededCustomer } from "../../demo/server/seed.ts";
import type { CrmAdapter } from "../../proxy/src/adapter/types.ts";
import { createCrmServices } from "../../proxy/src/services.ts";
import { chromiumLaunch } from "../support/chromium.ts";
import { elasticsearchUrl, uniquePrefix } from "../support/elasticsearch.ts";

const root = resolve(import.meta.dirname, "../..");
export const screenshotDir = join(root, "test-results", "e2e");

export interface E2eStack {
  demo: RunningDemo;
  prefix: string;
  /** The proxy's ADMIN_TOKEN of this stack: no demo page may ever contain it. */
  adminToken: string;
  browser: Browser;
  /** The backend's view of the same indices, to check what really got stored. */
  adapter: CrmAdapter;
  customer(name: string): SeededCustomer;
  /** A fresh browser profile (own cookies), optionally in dark mode. */
  newContext(options?: { dark?: boolean }): Promise<BrowserContext>;
  /** Runs a demo backend script (`demo/scripts/<name>.ts`) against this stack's indices. */
  runScript(name: string, args: string[]): Promise<string>;
}

let bundleReady: Promise<void> | undefined;

/** Builds dist/crm-widgets.js once per test process when it is missing or stale. */
function ensureBundle(): Promise<void> {
  bundleReady ??= bundleOutdated() ? buildBundle() : Promise.resolve();
  return bundleReady;
}

export async function startStack(name: string): Promise<E2eStack> {
  const prefix = uniquePrefix(`e2e ${name}`);
  await ensureBundle();
  const settings = { ...demoSettings({}), indexPrefix: prefix };
  const demo = await startDemo({
    elasticsearchUrl: elasticsearchUrl(),
    settings,
    sitePort: 0,
    proxyPort: 0,
  });
  const browser = await chromium.launch(chromiumLaunch);
  const services = createCrmServices({
    elasticsearch: { url: elasticsearchUrl() },
    indexPrefix: prefix,
  });
  afterAll(async () => {
    await browser.close();
    await demo.close();
    await services.close();
  });
  mkdirSync(screenshotDir, { recursive: true });
  const run = promisify(execFile);
  return {
    demo,
    prefix,
    adminToken: settings.adminToken,
    browser,
    adapter: services.adapter,
    customer(customerName) {
      const found = demo.customers.find((customer) => customer.name === customerName);
      if (!found) throw new Error(`No demo customer ${customerName}`);
      return found;
    },
    newContext: (options = {}) =>
      browser.newContext({
        baseURL: demo.siteUrl,
        viewport: { width: 1200, height: 820 },
        locale: "en-US",
        colorScheme: options.dark ? "dark" : "light",
      }),
    async runScript(script, args) {
      const { stdout } = await run(
        process.execPath,
        [join(root, "demo", "scripts", `${script}.ts`), ...args],
        {
          cwd: root,
          env: {
            ...process.env,
            ELASTICSEARCH_URL: elasticsearchUrl(),
            CRM_INDEX_PREFIX: prefix,
            SESSION_ISSUER: settings.issuer,
          },
        },
      );
      return stdout;
    },
  };
}

/** Signs in on the demo's sign-in page by picking the customer, like a visitor does. */
export async function signIn(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: new RegExp(`^\\S?\\s*${name}(\\s|$)`) }).click();
  await page.waitForURL("**/progress");
  return page;
}

/** Signs in on the demo's staff sign-in page as a demo staff member (Sam: staff, Ada: admin). */
export async function staffSignIn(context: BrowserContext, name: "Sam" | "Ada"): Promise<Page> {
  const page = await context.newPage();
  await page.goto("/staff/sign-in");
  await page.getByRole("button", { name: new RegExp(`^\\S?\\s*${name}\\b`) }).click();
  await page.waitForURL("**/back-office");
  return page;
}

/** The formatted value a `crm-field` shows once loaded. */
export async function fieldText(page: Page, fieldKey: string): Promise<string> {
  const text = await page
    .locator(`crm-field[field="${fieldKey}"] [part="value"]`)
    .first()
    .textContent({ timeout: 15_000 });
  return (text ?? "").replace(/\s+/g, " ").trim();
}

/** Everything the page's CRM widgets render (their shadow roots), as one string. */
export function widgetText(
  page: Page,
  selector = "crm-field, crm-pipeline-progress, crm-form, crm-customer-details",
): Promise<string> {
  return page
    .locator(selector)
    .evaluateAll((elements) =>
      elements.map((element) => element.shadowRoot?.textContent ?? "").join(" "),
    )
    .then((text) => text.replace(/\s+/g, " "));
}

/** The "x kg to go" line of the progress page once the page script filled it in. */
export async function distanceText(page: Page): Promise<string> {
  const line = page.locator("#to-go");
  await line.filter({ hasNotText: "…" }).waitFor({ timeout: 15_000 });
  return ((await line.textContent()) ?? "").trim();
}

/** Saves a full-page screenshot under test-results/e2e/ once the widgets are settled. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.locator("[aria-busy=true]").first().waitFor({ state: "detached", timeout: 15_000 });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
