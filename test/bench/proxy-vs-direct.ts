/**
 * (a) Proxy vs direct: the hot read and the write through the proxy and straight to
 * Elasticsearch, in alternating rounds, plus the proxy's floor and one-connection latency.
 */
import type { BenchCustomer } from "./customers.ts";
import {
  HOT_READ_PATH,
  passThroughHotRead,
  proxyHotRead,
  randomCustomer,
  startPassThrough,
} from "./hot-read.ts";
import { type LatencyFigures, sequentialLatency } from "./latency.ts";
import type { ProxyProcess } from "./proxy-process.ts";
import type { RequestCounts } from "./request-counts.ts";
import { CONNECTIONS, log, ROUNDS, SECONDS, WARMUP_SECONDS } from "./settings.ts";
import { type LoadFigures, type LoadTarget, load, randomWeight } from "./throughput.ts";

export interface Comparison {
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
  const pick = randomCustomer(customers);
  /** The proxy's own query string (refresh policy, retries, _source filter), routed to `c`. */
  const query = (observedQuery: string, c: BenchCustomer) => {
    const params = new URLSearchParams(observedQuery);
    params.set("routing", c.routing);
    return params.toString();
  };
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
    proxyRead: proxyHotRead(proxy, customers),
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
        path: HOT_READ_PATH,
        headers: { authorization: `Bearer ${pick().token}`, "content-type": "application/json" },
        body: JSON.stringify({ value: randomWeight() }),
      }),
    },
  } satisfies Record<string, LoadTarget>;
}

export interface ProxyVsDirect {
  reads: Comparison;
  /** The hot read through the proxy against the bare pass-through, in alternating rounds. */
  passThrough: Comparison;
  writes: Comparison;
  /** `/v1/health`: a route with no session and no Elasticsearch. */
  floor: LoadFigures;
  sequentialDirect: LatencyFigures;
  sequentialProxy: LatencyFigures;
}

export async function measureProxyVsDirect(
  customers: BenchCustomer[],
  elasticsearchUrl: string,
  proxy: ProxyProcess,
  entriesIndex: string,
  observed: RequestCounts["observed"],
  /** The proxy's environment, which the pass-through shares. */
  env: Record<string, string>,
): Promise<ProxyVsDirect> {
  const targets = loadTargets(customers, elasticsearchUrl, proxy, entriesIndex, observed);
  log(`direct reads use ?${observed.readQuery}; direct writes ?${observed.writeQuery}`);
  const reads = await compare("getCrmField", targets.directRead, targets.proxyRead);
  const passThrough = await compareWithPassThrough(customers, env, entriesIndex, targets.proxyRead);
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
    `${elasticsearchUrl}${targets.directRead.next().path}`,
    {},
    { seconds: SECONDS / 2 },
  );
  const sequentialProxy = await sequentialLatency(
    `${proxy.url}${HOT_READ_PATH}`,
    { authorization: `Bearer ${first.token}` },
    { seconds: SECONDS / 2 },
  );
  return { reads, passThrough, writes, floor, sequentialDirect, sequentialProxy };
}

/**
 * The proxy's hot read against the pass-through (`hot-read.ts`) in its own process, so both CPU
 * figures are per process. In `Comparison`, `direct` is the pass-through.
 */
async function compareWithPassThrough(
  customers: BenchCustomer[],
  env: Record<string, string>,
  entriesIndex: string,
  proxyRead: LoadTarget,
): Promise<Comparison> {
  const passThrough = await startPassThrough(env, entriesIndex);
  try {
    return await compare(
      "getCrmField vs pass-through",
      passThroughHotRead(passThrough, customers),
      proxyRead,
    );
  } finally {
    await passThrough.stop();
  }
}
