/**
 * `npm run bench`: proxy vs direct Elasticsearch, Elasticsearch requests per
 * operation, getCrmEntries latency at 10k and 1M entries, and bundle sizes —
 * side by side in one run on this machine, against the real local
 * Elasticsearch. Prints a table; writes JSON, Markdown and an SVG chart to
 * `.local/bench/`. Performance is reported here, never asserted in tests.
 * Each part is a module of its own; the knobs are in `settings.ts`.
 */
import { runBench, withBenchIndices } from "./bench-indices.ts";
import { bundleSizes } from "./bundles.ts";
import { type BenchCustomer, seedCustomers } from "./customers.ts";
import { measureEntryLevels } from "./entry-levels.ts";
import { benchHistory, HISTORY_RECORDS } from "./history.ts";
import { type ProxyProcess, startProxyProcess } from "./proxy-process.ts";
import { measureProxyVsDirect } from "./proxy-vs-direct.ts";
import { countRequests } from "./request-counts.ts";
import { reportResults } from "./results.ts";
import { log, SECONDS } from "./settings.ts";

async function main(): Promise<void> {
  const started = performance.now();
  const bundles = await bundleSizes();
  await withBenchIndices(async ({ elasticsearch, prefix, env, client, indices }) => {
    log(`Elasticsearch ${elasticsearch.version} at ${elasticsearch.url}, indices under ${prefix}`);
    let proxy: ProxyProcess | undefined;
    const extraProxies: ProxyProcess[] = [];
    try {
      log("counting Elasticsearch requests per operation (counting forwarder in front of ES)");
      const counts = await countRequests(elasticsearch.url, prefix);

      proxy = await startProxyProcess(env);
      log(`proxy child process pid ${proxy.pid} at ${proxy.url}`);
      const customers = await seedCustomers(proxy);
      const proxyVsDirect = await measureProxyVsDirect(
        customers,
        elasticsearch.url,
        proxy,
        indices.entries,
        counts.observed,
        env,
      );
      const entryLevels = await measureEntryLevels({
        client,
        elasticsearchUrl: elasticsearch.url,
        prefix,
        proxy,
        owner: customers[0] as BenchCustomer,
        extraProxies,
      });
      await proxy.stop();
      proxy = undefined;
      log("history: a 365-point read at two history sizes, the write path with history on/off");
      const history = await benchHistory(client, prefix, {
        records: HISTORY_RECORDS,
        seconds: SECONDS,
      });
      reportResults({
        started,
        elasticsearch,
        bundles,
        counts,
        proxyVsDirect,
        entryLevels,
        history,
      });
    } finally {
      await proxy?.stop();
      for (const extra of extraProxies) await extra.stop();
    }
  });
}

await runBench(main);
