/**
 * (c) getCrmEntries latency with a small and a large entries index, side by side: two sets of
 * indices (each with its own proxy process), measured in alternating rounds so both levels see
 * the same machine.
 */
import type { Client } from "@elastic/elasticsearch";
import { createCrmAdapter } from "../../proxy/src/adapter/index.ts";
import { crmIndices } from "../../proxy/src/elasticsearch/indices.ts";
import { ensureCrmIndices } from "../../proxy/src/elasticsearch/setup.ts";
import { type BenchCustomer, call } from "./customers.ts";
import { fillEntries, settleMerges } from "./entries-load.ts";
import { dealsEntity, proxyEnv, trackerEntity } from "./fixtures.ts";
import { type LatencyFigures, sequentialTimes, summarize } from "./latency.ts";
import { type ProxyProcess, startProxyProcess } from "./proxy-process.ts";
import { ENTRIES, log, SECONDS, SMALL_ENTRIES } from "./settings.ts";
import { randomWeight } from "./throughput.ts";

interface EntryLevel {
  entries: number;
  loadSeconds: number;
  added: number;
  proxy: ProxyProcess;
  index: string;
  manyTimes: number[];
  oneTimes: number[];
}

export interface EntryLevelFigures {
  entries: number;
  loadSeconds: number;
  added: number;
  many: LatencyFigures;
  one: LatencyFigures;
  mergesSettled: boolean;
}

/** The large level reuses `proxy` and `prefix`; the small one gets its own, pushed to `extraProxies`. */
export async function measureEntryLevels(options: {
  client: Client;
  elasticsearchUrl: string;
  prefix: string;
  proxy: ProxyProcess;
  owner: BenchCustomer;
  extraProxies: ProxyProcess[];
}): Promise<EntryLevelFigures[]> {
  const { client, prefix, proxy, owner, extraProxies } = options;
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
      levelProxy = await startProxyProcess(proxyEnv(options.elasticsearchUrl, levelPrefix));
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
  return entryLevels;
}
