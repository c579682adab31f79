/**
 * `npm start`: the whole demo from one command. Finds or starts Elasticsearch
 * (unless ELASTICSEARCH_URL names one), builds the widget bundle if it is
 * missing or stale, sets up the indices, seeds the demo, starts the proxy and
 * the demo site, and prints the one URL to open.
 *
 * Ctrl-C stops the site and the proxy, and Elasticsearch too when this command
 * started it (KEEP_ELASTICSEARCH=1 leaves it running for a faster next start).
 */
import { seconds } from "../../proxy/dev/elapsed.ts";
import { ensureElasticsearch, stopElasticsearch } from "../../proxy/dev/elasticsearch.ts";
import { buildBundle, bundleOutdated } from "./bundle.ts";
import { DEFAULT_PROXY_PORT, DEFAULT_SITE_PORT, demoSettings } from "./config.ts";
import { type RunningDemo, startDemo } from "./demo.ts";

function step(message: string): void {
  console.log(`▸ ${message}`);
}

function done(message: string, since: number): void {
  console.log(`✓ ${message} (${seconds(since)})`);
}

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value.trim() === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    throw new Error(`${name}=${value} is not a port number`);
  }
  return parsed;
}

let demo: RunningDemo | undefined;
let startedElasticsearch = false;
const keepElasticsearch = process.env.KEEP_ELASTICSEARCH === "1";

async function stopStarted(): Promise<void> {
  await demo?.close();
  demo = undefined;
  if (startedElasticsearch && !keepElasticsearch) {
    console.log("▸ stopping the Elasticsearch this command started");
    await stopElasticsearch();
  }
}

async function main(): Promise<void> {
  const settings = demoSettings();
  const sitePort = port("DEMO_PORT", DEFAULT_SITE_PORT);
  const proxyPort = port("DEMO_PROXY_PORT", DEFAULT_PROXY_PORT);

  let since = performance.now();
  step(
    process.env.ELASTICSEARCH_URL
      ? `checking Elasticsearch at ${process.env.ELASTICSEARCH_URL}`
      : "finding or starting the local Elasticsearch (the first run downloads it with Maven)",
  );
  const elasticsearch = await ensureElasticsearch();
  startedElasticsearch = elasticsearch.started;
  done(
    `Elasticsearch ${elasticsearch.version} at ${elasticsearch.url}${elasticsearch.started ? " started" : " already running"}`,
    since,
  );

  const outdated = bundleOutdated();
  if (outdated) {
    since = performance.now();
    step(`building the widget bundle: ${outdated}`);
    await buildBundle();
    done("widget bundle built", since);
  }

  since = performance.now();
  demo = await startDemo({
    elasticsearchUrl: elasticsearch.url,
    settings,
    sitePort,
    proxyPort,
    env: process.env,
    onStep: step,
  });
  const seeded = demo.customers.filter((c) => c.seededTracker || c.seededDeals > 0);
  const kept = demo.customers.filter((c) => !c.seededTracker && c.seededDeals === 0);
  done(
    `${demo.customers.length} demo customers ready` +
      (seeded.length ? `; seeded ${seeded.map((c) => c.name).join(", ")}` : "") +
      (kept.length ? `; kept the data of ${kept.map((c) => c.name).join(", ")}` : ""),
    since,
  );
  console.log(`✓ proxy at ${demo.proxyUrl}/v1, indices ${settings.indexPrefix || ""}crm_*`);
  console.log("");
  console.log(`  Open ${demo.siteUrl}/   (ready in ${seconds(0)})`);
  console.log("");
  console.log(
    `  Ctrl-C stops the site and the proxy${
      startedElasticsearch && !keepElasticsearch
        ? ", and the Elasticsearch this command started."
        : "; Elasticsearch keeps running (`npm run elasticsearch -- stop` stops it)."
    }`,
  );
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      console.log("stopping at once");
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping (press Ctrl-C again to force)`);
    stopStarted().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

try {
  await main();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`✗ ${message}`);
  if (message.includes("EADDRINUSE")) {
    console.error(
      "  Another program (another npm start?) uses that port: stop it, or choose others with DEMO_PORT and DEMO_PROXY_PORT.",
    );
  }
  await stopStarted().catch(() => undefined);
  process.exit(1);
}
