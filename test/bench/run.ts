/**
 * `npm run bench`: proxy vs direct Elasticsearch, Elasticsearch requests per
 * operation, getCrmEntries latency at 10k and 1M entries, and bundle sizes —
 * side by side in one run on this machine, against the real local
 * Elasticsearch. Prints a table; writes JSON, Markdown and an SVG chart to
 * `.local/bench/`. Performance is reported here, never asserted in tests.
 *
 * Knobs: BENCH_SECONDS (per load run, default 10), BENCH_CONNECTIONS
 * (default 10), BENCH_ROUNDS (alternating direct/proxy rounds, default 2),
 * BENCH_CUSTOMERS (default 100), BENCH_ENTRIES (default 1,000,000).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { Client } from "@elastic/elasticsearch";
import { build } from "esbuild";
import { ensureElasticsearch } from "../../proxy/dev/elasticsearch.ts";
import { customerIdFor, referenceEntryId } from "../../proxy/src/adapter/ids.ts";
import { createCrmAdapter } from "../../proxy/src/adapter/index.ts";
import { crmIndices } from "../../proxy/src/elasticsearch/indices.ts";
import { ensureCrmIndices } from "../../proxy/src/elasticsearch/setup.ts";
import { createCrmServices } from "../../proxy/src/services.ts";
import { minifyTemplatesPlugin } from "../../widget/minify-templates.ts";
import { CrmRuntime } from "../../widget/src/runtime/runtime.ts";
import { startCountingForwarder } from "./counting-forwarder.ts";
import { fillEntries, settleMerges } from "./entries-load.ts";
import {
  dealsEntity,
  ISSUER,
  PAGE_FIELDS,
  proxyEnv,
  sessionToken,
  trackerEntity,
} from "./fixtures.ts";
import { sequentialLatency, sequentialTimes, summarize } from "./latency.ts";
import { type ProxyProcess, startProxyProcess } from "./proxy-process.ts";
import {
  type ChartGroup,
  formatNumber,
  type Row,
  type Target,
  table,
  targetTable,
  writeReport,
} from "./report.ts";
import { type LoadFigures, type LoadTarget, load, randomWeight } from "./throughput.ts";

const root = resolve(import.meta.dirname, "../..");
const outFolder = join(root, ".local", "bench");

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw.replace(/[_,]/g, ""));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const SECONDS = setting("BENCH_SECONDS", 10);
const CONNECTIONS = setting("BENCH_CONNECTIONS", 10);
const ROUNDS = setting("BENCH_ROUNDS", 2);
const CUSTOMERS = setting("BENCH_CUSTOMERS", 100);
const ENTRIES = setting("BENCH_ENTRIES", 1_000_000);
const SMALL_ENTRIES = Math.min(10_000, ENTRIES);
const WARMUP_SECONDS = 2;

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface BenchCustomer {
  subject: string;
  token: string;
  customerId: string;
  entryId: string;
  routing: string;
}

async function benchCustomer(subject: string): Promise<BenchCustomer> {
  const customerId = customerIdFor(ISSUER, subject);
  const reference = { type: "customer", id: customerId };
  return {
    subject,
    token: await sessionToken(subject),
    customerId,
    entryId: referenceEntryId("tracker", reference),
    routing: `customer:${customerId}`,
  };
}

async function call(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await response.json();
  if (!response.ok)
    throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

function spawnText(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(command, args, {
    cwd: root,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnText(command, args, env);
  if (result.status !== 0) {
    throw new Error(
      `${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

// ---------------------------------------------------------------- (d) bundles

interface BundleSizes {
  widget: {
    file: string;
    minBytes: number;
    gzipBytes: number;
    buildSays: string;
    largestInputs: string[];
    /** What each kind of page downloads, as the build measured it (dist/sizes.json). */
    pages: Record<string, { gzipBytes: number; requests: number; tags: string[]; budget?: number }>;
  };
  worker: { rawBytes: number; gzipBytes: number; minified: boolean; largestInputs: string[] };
}

/**
 * Where the widget core's bytes come from: the same entry bundled again in memory, with
 * esbuild's per-input byte counts of the minified output, grouped by package or folder.
 */
async function largestWidgetInputs(): Promise<string[]> {
  const result = await build({
    entryPoints: ["widget/src/crm-widgets.ts"],
    absWorkingDir: root,
    tsconfig: join(root, "tsconfig.json"),
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    write: false,
    metafile: true,
    legalComments: "none",
    logLevel: "silent",
    plugins: [minifyTemplatesPlugin()],
  });
  const output = Object.values(result.metafile.outputs)[0];
  const byGroup = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const group = pkg ?? input.replace(/\/[^/]+$/, "/");
    byGroup.set(group, (byGroup.get(group) ?? 0) + bytesInOutput);
  }
  return [...byGroup.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, size]) => `${name} ${kb(size)} min`);
}

async function bundleSizes(): Promise<BundleSizes> {
  log("building the widget bundle (npm run build)");
  const buildStarted = Date.now();
  const built = spawnText(process.execPath, ["widget/build.ts"]);
  const file = join(root, "dist", "crm-widgets.js");
  // The build writes the bundle before it checks its own budget: a budget failure still
  // leaves a fresh bundle to measure. Anything else (no fresh bundle) stops the bench.
  if (!existsSync(file) || statSync(file).mtimeMs < buildStarted - 1000) {
    throw new Error(`widget/build.ts failed (${built.status}):\n${built.stdout}\n${built.stderr}`);
  }
  const widgetBytes = readFileSync(file);
  const buildSays = [
    /crm-widgets\.js\s+(.*)/.exec(built.stdout)?.[1]?.trim() ?? "",
    built.status === 0
      ? ""
      : `(the build itself failed: ${(built.stderr || built.stdout).trim().split("\n").at(-1)})`,
  ]
    .filter(Boolean)
    .join(" ");

  log("bundling the Worker (wrangler deploy --dry-run)");
  const tmp = mkdtempSync(join(tmpdir(), "crm-bench-worker-"));
  const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" };
  try {
    run(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", tmp], env);
    const worker = readFileSync(join(tmp, "worker.js"));
    return {
      widget: {
        file: "dist/crm-widgets.js",
        minBytes: widgetBytes.length,
        gzipBytes: gzipSync(widgetBytes).length,
        buildSays,
        largestInputs: await largestWidgetInputs(),
        pages: JSON.parse(readFileSync(join(root, "dist", "sizes.json"), "utf8")),
      },
      worker: {
        rawBytes: worker.length,
        gzipBytes: gzipSync(worker).length,
        minified: /^\s*minify\s*=\s*true/m.test(readFileSync(join(root, "wrangler.toml"), "utf8")),
        largestInputs: largestWorkerInputs(join(tmp, "worker.js.map")),
      },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Which packages weigh most in the Worker bundle, from its source map's sources. */
function largestWorkerInputs(mapFile: string): string[] {
  if (!existsSync(mapFile)) return [];
  const map = JSON.parse(readFileSync(mapFile, "utf8")) as {
    sources: string[];
    sourcesContent?: (string | null)[];
  };
  const byPackage = new Map<string, number>();
  map.sources.forEach((source, i) => {
    const size = map.sourcesContent?.[i]?.length ?? 0;
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    const name = match?.[1] ?? (source.includes("proxy/src") ? "(proxy/src)" : "(other)");
    byPackage.set(name, (byPackage.get(name) ?? 0) + size);
  });
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, size]) => `${name} ${kb(size)} source`);
}

// ------------------------------------------------------- (b) requests counted

interface RequestCounts {
  /** The query strings the proxy sent with its hot read and its write, reused for the direct runs. */
  observed: { readQuery: string; writeQuery: string };
  coldFirstVisit: string[];
  firstVisit: string[];
  hotRead: string[];
  write: string[];
  page: { components: number; calls: number; proxyRequests: number; es: string[] };
  firstVisitPage: { components: number; calls: number; proxyRequests: number; es: string[] };
}

/** `PUT /bench-x-crm_customers/_create/c_abc?x=1` → `PUT crm_customers/_create/{id}`. */
function shortPath(line: string, prefix: string): string {
  const [method, url = ""] = line.split(" ");
  const path = url.split("?")[0] ?? "";
  const segments = path.split("/").filter(Boolean);
  const named = segments.map((segment, i) => {
    const previous = segments[i - 1];
    if (previous && ["_doc", "_create", "_update", "_source"].includes(previous)) return "{id}";
    return segment.startsWith(prefix) ? segment.slice(prefix.length) : segment;
  });
  return `${method} ${named.join("/")}`;
}

async function countRequests(elasticsearchUrl: string, prefix: string): Promise<RequestCounts> {
  const es = await startCountingForwarder(elasticsearchUrl);
  let proxy: ProxyProcess | undefined;
  try {
    proxy = await startProxyProcess(proxyEnv(es.url, prefix));
    const front = await startCountingForwarder(proxy.url);
    try {
      const field = "/v1/entries/tracker/fields/current_weight";
      const short = (lines: string[]) => lines.map((line) => shortPath(line, prefix));
      const first = await benchCustomer(`count-cold-${randomBytes(4).toString("hex")}`);
      const coldFirstVisit = await es.during(() => call(front.url, "GET", field, first.token));
      const visitor = await benchCustomer(`count-${randomBytes(4).toString("hex")}`);
      const firstVisit = await es.during(() => call(front.url, "GET", field, visitor.token));
      const hotRead = await es.during(() => call(front.url, "GET", field, visitor.token));
      const write = await es.during(() =>
        call(front.url, "PUT", field, visitor.token, { value: randomWeight() }),
      );

      // What ten `crm-field` components ask the page runtime for (see crm-field.ts):
      // the entity definition and their field, all in the same task.
      const page = async (token: string) => {
        const runtime = new CrmRuntime({ proxyUrl: front.url, token });
        let proxyRequests = 0;
        const esRequests = await es.during(async () => {
          const sent = await front.during(() =>
            Promise.all(
              PAGE_FIELDS.flatMap((fieldKey) => [
                runtime.getCrmEntity({ slug: "tracker" }),
                runtime.getCrmField({ slug: "tracker", fieldKey }),
              ]),
            ),
          );
          proxyRequests = sent.length;
        });
        return {
          components: PAGE_FIELDS.length,
          calls: PAGE_FIELDS.length + 1,
          proxyRequests,
          es: short(esRequests),
        };
      };
      const returning = await page(visitor.token);
      const newcomer = await benchCustomer(`count-page-${randomBytes(4).toString("hex")}`);
      const firstVisitPage = await page(newcomer.token);
      const queryOf = (lines: string[], method: string) =>
        lines.find((line) => line.startsWith(`${method} `))?.split("?")[1] ?? "";
      return {
        observed: { readQuery: queryOf(hotRead, "GET"), writeQuery: queryOf(write, "POST") },
        coldFirstVisit: short(coldFirstVisit),
        firstVisit: short(firstVisit),
        hotRead: short(hotRead),
        write: short(write),
        page: returning,
        firstVisitPage,
      };
    } finally {
      await front.close();
    }
  } finally {
    await proxy?.stop();
    await es.close();
  }
}

// ------------------------------------------------------ (a) proxy vs direct

interface Comparison {
  direct: LoadFigures;
  proxy: LoadFigures;
  rounds: { direct: LoadFigures; proxy: LoadFigures }[];
}

function mean(figures: LoadFigures[]): LoadFigures {
  const avg = (pick: (f: LoadFigures) => number) =>
    figures.reduce((sum, f) => sum + pick(f), 0) / figures.length;
  return {
    rps: avg((f) => f.rps),
    p50: avg((f) => f.p50),
    p99: avg((f) => f.p99),
    requests: figures.reduce((sum, f) => sum + f.requests, 0),
    failures: figures.reduce((sum, f) => sum + f.failures, 0),
    ...(figures.every((f) => f.cpuMsPerRequest !== undefined)
      ? { cpuMsPerRequest: avg((f) => f.cpuMsPerRequest ?? 0) }
      : {}),
  };
}

async function compare(name: string, direct: LoadTarget, proxy: LoadTarget): Promise<Comparison> {
  const options = { connections: CONNECTIONS, seconds: SECONDS };
  log(`${name}: warming up both paths (${WARMUP_SECONDS} s each)`);
  await load(proxy, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  await load(direct, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  const rounds: Comparison["rounds"] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so neither path always runs on a warmer (or more tired) node.
    const directFirst = round % 2 === 0;
    let d: LoadFigures | undefined;
    let p: LoadFigures | undefined;
    for (const which of directFirst ? ["direct", "proxy"] : ["proxy", "direct"]) {
      log(
        `${name}: round ${round + 1}/${ROUNDS}, ${which}, ${CONNECTIONS} connections, ${SECONDS} s`,
      );
      if (which === "direct") d = await load(direct, options);
      else p = await load(proxy, options);
    }
    if (d && p) rounds.push({ direct: d, proxy: p });
  }
  return {
    direct: mean(rounds.map((r) => r.direct)),
    proxy: mean(rounds.map((r) => r.proxy)),
    rounds,
  };
}

function loadTargets(
  customers: BenchCustomer[],
  elasticsearchUrl: string,
  proxy: ProxyProcess,
  entriesIndex: string,
  observed: RequestCounts["observed"],
) {
  const proxyUrl = proxy.url;
  const pick = () => customers[Math.floor(Math.random() * customers.length)] as BenchCustomer;
  /** The proxy's own query string (refresh policy, retries, _source filter), routed to `c`. */
  const query = (observedQuery: string, c: BenchCustomer) => {
    const params = new URLSearchParams(observedQuery);
    params.set("routing", c.routing);
    return params.toString();
  };
  const field = "/v1/entries/tracker/fields/current_weight";
  return {
    directRead: {
      url: elasticsearchUrl,
      next: () => {
        const c = pick();
        return {
          method: "GET",
          path: `/${entriesIndex}/_doc/${c.entryId}?${query(observed.readQuery, c)}`,
        };
      },
    },
    proxyRead: {
      url: proxyUrl,
      pid: proxy.pid,
      next: () => ({
        method: "GET",
        path: field,
        headers: { authorization: `Bearer ${pick().token}` },
      }),
    },
    // The adapter's write: a partial `doc` update with upsert, with the proxy's own parameters.
    directWrite: {
      url: elasticsearchUrl,
      next: () => {
        const c = pick();
        const now = new Date().toISOString();
        return {
          method: "POST",
          path: `/${entriesIndex}/_update/${c.entryId}?${query(observed.writeQuery, c)}`,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            doc: { values: { current_weight: randomWeight() }, updated_at: now },
            upsert: {
              slug: "tracker",
              reference_type: "customer",
              reference_id: c.customerId,
              values: {},
              stages: {},
              created_at: now,
              updated_at: now,
            },
          }),
        };
      },
    },
    proxyWrite: {
      url: proxyUrl,
      pid: proxy.pid,
      next: () => ({
        method: "PUT",
        path: field,
        headers: { authorization: `Bearer ${pick().token}`, "content-type": "application/json" },
        body: JSON.stringify({ value: randomWeight() }),
      }),
    },
  } satisfies Record<string, LoadTarget>;
}

interface EntryLevel {
  entries: number;
  loadSeconds: number;
  added: number;
  proxy: ProxyProcess;
  index: string;
  manyTimes: number[];
  oneTimes: number[];
}

// ------------------------------------------------------------------ cleanup

async function deletePrefix(client: Client, prefix: string): Promise<void> {
  const rows = await client.cat.indices({ index: `${prefix}*`, format: "json", h: "index" });
  const names = rows.flatMap((row) => (row.index ? [row.index] : []));
  if (names.length > 0) await client.indices.delete({ index: names, ignore_unavailable: true });
  const templates = await client.indices.getIndexTemplate(
    { name: `${prefix}*` },
    { ignore: [404] },
  );
  for (const template of templates.index_templates ?? []) {
    await client.indices.deleteIndexTemplate({ name: template.name });
  }
}

// --------------------------------------------------------------------- main

async function main(): Promise<void> {
  const started = performance.now();
  const bundles = await bundleSizes();

  const elasticsearch = await ensureElasticsearch();
  log(`Elasticsearch ${elasticsearch.version} at ${elasticsearch.url}`);
  const prefix = `bench-${randomBytes(4).toString("hex")}-`;
  const { client, indices, adapter } = createCrmServices({
    elasticsearch: { url: elasticsearch.url, timeoutMs: 120_000 },
    indexPrefix: prefix,
  });
  let proxy: ProxyProcess | undefined;
  const extraProxies: ProxyProcess[] = [];
  try {
    await ensureCrmIndices(client, indices);
    await adapter.entities.create(trackerEntity);
    await adapter.entities.create(dealsEntity);
    log(`indices under prefix ${prefix}`);

    log("counting Elasticsearch requests per operation (counting forwarder in front of ES)");
    const counts = await countRequests(elasticsearch.url, prefix);

    proxy = await startProxyProcess(proxyEnv(elasticsearch.url, prefix));
    log(`proxy child process pid ${proxy.pid} at ${proxy.url}`);
    const customers: BenchCustomer[] = [];
    for (let i = 0; i < CUSTOMERS; i++) customers.push(await benchCustomer(`bench-${i}`));
    for (let i = 0; i < customers.length; i += 10) {
      await Promise.all(
        customers.slice(i, i + 10).map((c) =>
          call(proxy?.url ?? "", "PUT", "/v1/entries/tracker/fields/current_weight", c.token, {
            value: randomWeight(),
          }),
        ),
      );
    }
    log(`${customers.length} customers with a tracker entry`);

    const targets = loadTargets(
      customers,
      elasticsearch.url,
      proxy,
      indices.entries,
      counts.observed,
    );
    log(
      `direct reads use ?${counts.observed.readQuery}; direct writes ?${counts.observed.writeQuery}`,
    );
    const reads = await compare("getCrmField", targets.directRead, targets.proxyRead);
    const writes = await compare("setCrmField", targets.directWrite, targets.proxyWrite);

    // Diagnostics for the read comparison: the proxy's floor (a route with no session and no
    // Elasticsearch), and added latency with one connection, where nothing queues.
    log(`proxy floor: GET /v1/health, ${CONNECTIONS} connections, ${SECONDS} s`);
    const floor = await load(
      { url: proxy.url, pid: proxy.pid, next: () => ({ method: "GET", path: "/v1/health" }) },
      { connections: CONNECTIONS, seconds: SECONDS },
    );
    const first = customers[0] as BenchCustomer;
    log(`getCrmField with one connection: ${SECONDS} s each, direct then proxy`);
    const sequentialDirect = await sequentialLatency(
      `${elasticsearch.url}${targets.directRead.next().path}`,
      {},
      { seconds: SECONDS / 2 },
    );
    const sequentialProxy = await sequentialLatency(
      `${proxy.url}/v1/entries/tracker/fields/current_weight`,
      { authorization: `Bearer ${first.token}` },
      { seconds: SECONDS / 2 },
    );

    // (c) getCrmEntries latency with a small and a large entries index, side by side: two
    // sets of indices (each with its own proxy process), measured in alternating rounds so
    // both levels see the same machine.
    const owner = customers[0] as BenchCustomer;
    const levelTargets = ENTRIES > SMALL_ENTRIES ? [SMALL_ENTRIES, ENTRIES] : [ENTRIES];
    const levels: EntryLevel[] = [];
    for (const [i, target] of levelTargets.entries()) {
      const levelPrefix = i === levelTargets.length - 1 ? prefix : `${prefix}small-`;
      const levelIndices = crmIndices({ prefix: levelPrefix });
      let levelProxy: ProxyProcess = proxy;
      if (levelPrefix !== prefix) {
        await ensureCrmIndices(client, levelIndices);
        const levelAdapter = createCrmAdapter({ client, indices: levelIndices });
        await levelAdapter.entities.create(trackerEntity);
        await levelAdapter.entities.create(dealsEntity);
        levelProxy = await startProxyProcess(proxyEnv(elasticsearch.url, levelPrefix));
        extraProxies.push(levelProxy);
      }
      await call(levelProxy.url, "PUT", "/v1/entries/tracker/fields/current_weight", owner.token, {
        value: randomWeight(),
      });
      for (let deal = 0; deal < 10; deal++) {
        await call(levelProxy.url, "POST", "/v1/entries/deals", owner.token, {
          values: { title: `Deal ${deal}`, amount: deal * 100 },
        });
      }
      log(`bulk-loading ${levelIndices.entries} to ${target.toLocaleString("en")} documents`);
      const loaded = await fillEntries(client, levelIndices.entries, target, i * 10_000_000);
      log(
        `  ${loaded.added.toLocaleString("en")} added in ${loaded.seconds.toFixed(1)} s; index holds ${loaded.total.toLocaleString("en")}`,
      );
      levels.push({
        entries: loaded.total,
        loadSeconds: loaded.seconds,
        added: loaded.added,
        proxy: levelProxy,
        index: levelIndices.entries,
        manyTimes: [],
        oneTimes: [],
      });
    }
    const mergesSettled: boolean[] = [];
    for (const level of levels) mergesSettled.push(await settleMerges(client, level.index));
    const auth = { authorization: `Bearer ${owner.token}` };
    const entryRounds = 4;
    log(
      `getCrmEntries: ${entryRounds} alternating rounds per level, sequential (one connection), ${SECONDS / entryRounds} s of the many-entry entity and ${SECONDS / entryRounds / 2} s of the one-entry entity each`,
    );
    for (let round = 0; round < entryRounds; round++) {
      for (const level of round % 2 === 0 ? levels : [...levels].reverse()) {
        level.manyTimes.push(
          ...(await sequentialTimes(`${level.proxy.url}/v1/entries/deals`, auth, {
            seconds: SECONDS / entryRounds,
          })),
        );
        level.oneTimes.push(
          ...(await sequentialTimes(`${level.proxy.url}/v1/entries/tracker`, auth, {
            seconds: SECONDS / entryRounds / 2,
          })),
        );
      }
    }
    const entryLevels = levels.map((level, i) => ({
      entries: level.entries,
      loadSeconds: level.loadSeconds,
      added: level.added,
      many: summarize(level.manyTimes),
      one: summarize(level.oneTimes),
      mergesSettled: mergesSettled[i] ?? false,
    }));
    await proxy.stop();
    proxy = undefined;

    // ------------------------------------------------------------ results
    const small = entryLevels[0];
    const large = entryLevels[entryLevels.length - 1];
    const entriesRatio = small && large ? large.many.p50 / small.many.p50 : Number.NaN;
    const entriesRatioP99 = small && large ? large.many.p99 / small.many.p99 : Number.NaN;
    // A realtime GET does not depend on the index size: its ratio shows the machine's noise.
    const controlRatio = small && large ? large.one.p50 / small.one.p50 : Number.NaN;
    const readRatio = reads.proxy.rps / reads.direct.rps;
    const writeRatio = writes.proxy.rps / writes.direct.rps;
    const readAddedP99 = reads.proxy.p99 - reads.direct.p99;
    const writeAddedP99 = writes.proxy.p99 - writes.direct.p99;
    const pageEs = counts.page.es.length;

    const rows: Row[] = [];
    const add = (section: string, metric: string, value: string) =>
      rows.push({ section, metric, value });
    for (const [name, c] of [
      ["getCrmField", reads],
      ["setCrmField", writes],
    ] as const) {
      add(name, "direct ES req/s", formatNumber(c.direct.rps));
      add(name, "proxy req/s", formatNumber(c.proxy.rps));
      add(name, "proxy / direct throughput", `${(c.proxy.rps / c.direct.rps).toFixed(2)}×`);
      add(name, "direct p50 / p99", `${c.direct.p50.toFixed(1)} / ${c.direct.p99.toFixed(1)} ms`);
      add(name, "proxy p50 / p99", `${c.proxy.p50.toFixed(1)} / ${c.proxy.p99.toFixed(1)} ms`);
      add(
        name,
        "added p50 / p99",
        `${(c.proxy.p50 - c.direct.p50).toFixed(1)} / ${(c.proxy.p99 - c.direct.p99).toFixed(1)} ms`,
      );
      add(
        name,
        "requests (direct / proxy), failures",
        `${c.direct.requests} / ${c.proxy.requests}, ${c.direct.failures + c.proxy.failures}`,
      );
      if (c.proxy.cpuMsPerRequest !== undefined) {
        add(name, "proxy process CPU per request", ms(c.proxy.cpuMsPerRequest));
      }
    }
    add(
      "getCrmField",
      "proxy floor: /v1/health req/s",
      `${formatNumber(floor.rps)} (${(floor.rps / reads.direct.rps).toFixed(2)}× direct getCrmField; ${ms(floor.cpuMsPerRequest ?? Number.NaN)} CPU/request)`,
    );
    add(
      "getCrmField",
      "1 connection: direct p50 / p99",
      `${ms(sequentialDirect.p50)} / ${ms(sequentialDirect.p99)}`,
    );
    add(
      "getCrmField",
      "1 connection: proxy p50 / p99",
      `${ms(sequentialProxy.p50)} / ${ms(sequentialProxy.p99)}`,
    );
    add(
      "getCrmField",
      "1 connection: added p50 / p99",
      `${ms(sequentialProxy.p50 - sequentialDirect.p50)} / ${ms(sequentialProxy.p99 - sequentialDirect.p99)}`,
    );
    add(
      "ES requests",
      "first visit, cold proxy",
      `${counts.coldFirstVisit.length} (${counts.coldFirstVisit.join(", ")})`,
    );
    add(
      "ES requests",
      "first visit",
      `${counts.firstVisit.length} (${counts.firstVisit.join(", ")})`,
    );
    add("ES requests", "hot read", `${counts.hotRead.length} (${counts.hotRead.join(", ")})`);
    add("ES requests", "write", `${counts.write.length} (${counts.write.join(", ")})`);
    add(
      "ES requests",
      "page of 10 crm-field (returning)",
      `${counts.page.proxyRequests} proxy request(s), ${pageEs} ES requests`,
    );
    add(
      "ES requests",
      "page of 10 crm-field (first visit)",
      `${counts.firstVisitPage.proxyRequests} proxy request(s), ${counts.firstVisitPage.es.length} ES requests`,
    );
    for (const level of entryLevels) {
      const label = `${level.entries.toLocaleString("en")} entries`;
      add(
        "getCrmEntries",
        `${label}: load time`,
        `${level.loadSeconds.toFixed(1)} s for ${level.added.toLocaleString("en")} docs`,
      );
      add(
        "getCrmEntries",
        `${label}: many (search) p50 / p99`,
        `${ms(level.many.p50)} / ${ms(level.many.p99)} (${level.many.samples} samples)`,
      );
      add(
        "getCrmEntries",
        `${label}: one (GET) p50 / p99`,
        `${ms(level.one.p50)} / ${ms(level.one.p99)}`,
      );
    }
    add(
      "getCrmEntries",
      "large / small latency, many (p50, p99)",
      `${entriesRatio.toFixed(2)}×, ${entriesRatioP99.toFixed(2)}×`,
    );
    add(
      "getCrmEntries",
      "control: large / small, one-entry GET (p50)",
      `${controlRatio.toFixed(2)}× (size-independent; shows the noise)`,
    );
    add(
      "bundles",
      "widget core (crm-widgets.js) min / min+gzip",
      `${kb(bundles.widget.minBytes)} / ${kb(bundles.widget.gzipBytes)}`,
    );
    for (const [name, page] of Object.entries(bundles.widget.pages)) {
      add(
        "bundles",
        `page ${name} (${page.tags.join(", ") || "core only"}) min+gzip`,
        `${kb(page.gzipBytes)} in ${page.requests} files`,
      );
    }
    add(
      "bundles",
      "Worker raw / gzip",
      `${kb(bundles.worker.rawBytes)} / ${kb(bundles.worker.gzipBytes)}`,
    );

    const targetList: Target[] = [
      {
        name: "read throughput, proxy vs direct",
        target: "≥ 0.80×",
        value: `${readRatio.toFixed(2)}×`,
        met: readRatio >= 0.8,
      },
      {
        name: `added p99, reads, ${CONNECTIONS} connections`,
        target: "≤ 5 ms",
        value: `${readAddedP99.toFixed(1)} ms`,
        met: readAddedP99 <= 5,
      },
      {
        name: "added p99, reads, 1 connection",
        target: "≤ 5 ms",
        value: ms(sequentialProxy.p99 - sequentialDirect.p99),
        met: sequentialProxy.p99 - sequentialDirect.p99 <= 5,
      },
      {
        name: `added p99, writes, ${CONNECTIONS} connections`,
        target: "≤ 5 ms",
        value: `${writeAddedP99.toFixed(1)} ms`,
        met: writeAddedP99 <= 5,
      },
      {
        name: "ES requests per hot read",
        target: "1",
        value: String(counts.hotRead.length),
        met: counts.hotRead.length === 1,
      },
      {
        name: "ES requests per write",
        target: "1",
        value: String(counts.write.length),
        met: counts.write.length === 1,
      },
      {
        name: "10 components: proxy requests",
        target: "1",
        value: String(counts.page.proxyRequests),
        met: counts.page.proxyRequests === 1,
      },
      {
        name: "10 components: ES requests",
        target: "≤ 2",
        value: String(pageEs),
        met: pageEs <= 2,
      },
      {
        name: `getCrmEntries ${large?.entries.toLocaleString("en")} vs ${small?.entries.toLocaleString("en")} entries (p50)`,
        target: "≤ 1.5×",
        value: `${entriesRatio.toFixed(2)}×`,
        met: entriesRatio <= 1.5,
      },
      ...Object.entries(bundles.widget.pages).flatMap(([name, page]) =>
        page.budget === undefined
          ? []
          : [
              {
                name: `widget page ${name} min+gzip`,
                target: `≤ ${kb(page.budget)}`,
                value: `${kb(page.gzipBytes)} (${page.requests} files)`,
                met: page.gzipBytes <= page.budget,
              },
            ],
      ),
      {
        name: "Worker bundle gzip",
        target: "≤ 300 KB",
        value: kb(bundles.worker.gzipBytes),
        met: bundles.worker.gzipBytes <= 300 * 1024,
      },
    ];

    const chart: ChartGroup[] = [
      {
        title: "Throughput",
        unit: "req/s",
        bars: [
          { label: "getCrmField direct ES", value: reads.direct.rps, color: "#94a3b8" },
          { label: "getCrmField via proxy", value: reads.proxy.rps, color: "#2563eb" },
          { label: "/v1/health via proxy (floor)", value: floor.rps, color: "#a78bfa" },
          { label: "setCrmField direct ES", value: writes.direct.rps, color: "#94a3b8" },
          { label: "setCrmField via proxy", value: writes.proxy.rps, color: "#2563eb" },
        ],
      },
      {
        title: "getCrmField latency",
        unit: "ms",
        bars: [
          { label: "direct p50", value: reads.direct.p50, color: "#94a3b8" },
          { label: "proxy p50", value: reads.proxy.p50, color: "#2563eb" },
          { label: "direct p99", value: reads.direct.p99, color: "#94a3b8" },
          { label: "proxy p99", value: reads.proxy.p99, color: "#2563eb" },
        ],
      },
      {
        title: "getCrmEntries (many) latency p50",
        unit: "ms",
        bars: entryLevels.map((level, i) => ({
          label: `${level.entries.toLocaleString("en")} entries`,
          value: level.many.p50,
          color: i === 0 ? "#94a3b8" : "#16a34a",
        })),
      },
    ];
    const notes = [
      `Machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; Elasticsearch ${elasticsearch.version} (${elasticsearch.url}), shared with whatever else runs on it.`,
      `Proxy vs direct: autocannon in the bench process, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s each (figures are the mean of the rounds), over ${CUSTOMERS} customers picked at random per request. The proxy runs as a child process (node proxy/src/node.ts); load generator, proxy and Elasticsearch share the machine's cores. autocannon records whole milliseconds.`,
      `Direct read = realtime GET of the entry with the query string the proxy itself sent (observed: ?${counts.observed.readQuery}, routing swapped per customer); direct write = _update with a partial doc + upsert and the proxy's own query string (observed: ?${counts.observed.writeQuery}).`,
      "ES requests were counted by a counting HTTP forwarder between a fresh proxy process and Elasticsearch; the page of 10 components is the real widget runtime (CrmRuntime) issuing what ten crm-field components ask for (getCrmEntity + getCrmField each, in one task), with a second counting forwarder in front of the proxy.",
      `getCrmEntries latency: two entries indices (${entryLevels.map((l) => l.entries.toLocaleString("en")).join(" and ")} documents), each behind its own proxy process, measured in ${4} alternating rounds with one sequential keep-alive client (high-resolution timer), for one customer with 10 deals (many entries: a routed search) and its tracker entry (one entry: a realtime GET, the control). Filler entries belong to other customers (8 each); loaded with _bulk in batches of 10,000, refresh_interval -1 during the load, restored after; merges settled before measuring: ${entryLevels.map((l) => l.mergesSettled).join(", ")}.`,
      `Worker bundle: wrangler deploy --dry-run as wrangler.toml configures it (minify ${bundles.worker.minified ? "on" : "off"}), gzip of worker.js; heaviest inputs by source size: ${bundles.worker.largestInputs.join("; ")}.`,
      `Widget build says: ${bundles.widget.buildSays}; heaviest inputs (minified bytes before gzip): ${bundles.widget.largestInputs.join("; ")}.`,
      `Total bench time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    ];

    console.log(`\n${table(rows)}\n\nTargets:\n${targetTable(targetList)}\n`);
    const files = writeReport(outFolder, {
      json: {
        date: new Date().toISOString(),
        settings: {
          seconds: SECONDS,
          connections: CONNECTIONS,
          rounds: ROUNDS,
          customers: CUSTOMERS,
          entries: ENTRIES,
        },
        elasticsearch: { url: elasticsearch.url, version: elasticsearch.version },
        machine: { cores: cpus().length, memoryBytes: totalmem(), node: process.version },
        getCrmField: {
          ...reads,
          floor,
          oneConnection: { direct: sequentialDirect, proxy: sequentialProxy },
        },
        setCrmField: writes,
        writeThroughputRatio: writeRatio,
        requests: counts,
        getCrmEntries: { levels: entryLevels, ratioP50: entriesRatio, ratioP99: entriesRatioP99 },
        bundles,
      },
      rows,
      targets: targetList,
      chart,
      notes,
    });
    log(`report: ${files.markdown}, ${files.json}, ${files.svg}`);
  } finally {
    await proxy?.stop();
    for (const extra of extraProxies) await extra.stop();
    log(`removing the bench indices (${prefix}*)`);
    await deletePrefix(client, prefix).catch((error: unknown) =>
      console.error(`[bench] cleanup failed: ${(error as Error).message}`),
    );
    await client.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
