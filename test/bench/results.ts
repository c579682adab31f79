/** The bench's results: the table and targets it prints, and the report files it writes. */
import { cpus, totalmem } from "node:os";
import type { ElasticsearchInfo } from "../../proxy/dev/elasticsearch.ts";
import type { BundleSizes } from "./bundles.ts";
import type { EntryLevelFigures } from "./entry-levels.ts";
import { type HistoryBench, historyResults } from "./history.ts";
import type { ProxyVsDirect } from "./proxy-vs-direct.ts";
import {
  atLeast,
  atMost,
  type ChartGroup,
  formatNumber,
  type Row,
  type Target,
  table,
  targetTable,
  writeReport,
} from "./report.ts";
import type { RequestCounts } from "./request-counts.ts";
import {
  CONNECTIONS,
  CUSTOMERS,
  ENTRIES,
  kb,
  log,
  ms,
  outFolder,
  ROUNDS,
  SECONDS,
} from "./settings.ts";

export interface BenchResults {
  started: number;
  elasticsearch: ElasticsearchInfo;
  bundles: BundleSizes;
  counts: RequestCounts;
  proxyVsDirect: ProxyVsDirect;
  entryLevels: EntryLevelFigures[];
  history: HistoryBench;
}

export function reportResults(results: BenchResults): void {
  const { started, elasticsearch, bundles, counts, entryLevels } = results;
  const { reads, writes, floor, sequentialDirect, sequentialProxy } = results.proxyVsDirect;
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
  const pass = results.proxyVsDirect.passThrough;
  const passRatio = pass.proxy.rps / pass.direct.rps;
  const passAddedP99 = pass.proxy.p99 - pass.direct.p99;
  const passAddedCpu =
    (pass.proxy.cpuMsPerRequest ?? Number.NaN) - (pass.direct.cpuMsPerRequest ?? Number.NaN);
  add("getCrmField", "pass-through req/s", formatNumber(pass.direct.rps));
  add("getCrmField", "proxy req/s (same rounds)", formatNumber(pass.proxy.rps));
  add("getCrmField", "proxy / pass-through throughput", `${passRatio.toFixed(2)}×`);
  add(
    "getCrmField",
    "pass-through / proxy p50 / p99",
    `${pass.direct.p50.toFixed(1)} / ${pass.direct.p99.toFixed(1)} ms, ${pass.proxy.p50.toFixed(1)} / ${pass.proxy.p99.toFixed(1)} ms`,
  );
  add(
    "getCrmField",
    "CPU per request: pass-through / proxy (added)",
    `${ms(pass.direct.cpuMsPerRequest ?? Number.NaN)} / ${ms(pass.proxy.cpuMsPerRequest ?? Number.NaN)} (${ms(passAddedCpu)})`,
  );
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
    atLeast("read throughput, proxy vs direct", readRatio, 0.8, "×"),
    atLeast("read throughput, proxy vs pass-through", passRatio, 0.8, "×"),
    // Issue 14 words the CPU target as the proxy's own CPU; the pass-through alone
    // costs more than that here, so the bench reports both readings.
    atMost("proxy CPU per hot read", pass.proxy.cpuMsPerRequest ?? Number.NaN, 0.1, " ms"),
    atMost("proxy CPU per hot read, added over the pass-through", passAddedCpu, 0.1, " ms"),
    atMost(
      `added p99 over the pass-through, reads, ${CONNECTIONS} connections`,
      passAddedP99,
      2,
      " ms",
    ),
    atMost(`added p99, reads, ${CONNECTIONS} connections`, readAddedP99, 5, " ms"),
    atMost("added p99, reads, 1 connection", sequentialProxy.p99 - sequentialDirect.p99, 5, " ms"),
    atMost(`added p99, writes, ${CONNECTIONS} connections`, writeAddedP99, 5, " ms"),
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
    atMost(
      `getCrmEntries ${large?.entries.toLocaleString("en")} vs ${small?.entries.toLocaleString("en")} entries (p50)`,
      entriesRatio,
      1.5,
      "×",
    ),
    // Against the page's budget, which the build enforces (the customer pages': issue 15's targets).
    ...Object.entries(bundles.widget.pages).flatMap(([name, page]) => {
      const target = page.budget;
      return target === undefined
        ? []
        : [
            {
              name: `widget page ${name} min+gzip`,
              target: `≤ ${kb(target)}`,
              value: `${kb(page.gzipBytes)} (${page.requests} files)`,
              met: page.gzipBytes <= target,
            },
          ];
    }),
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

  const history = historyResults(results.history);
  rows.push(...history.rows);
  targetList.push(...history.targets);
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
        passThrough: pass,
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
}
