/**
 * A real 3-node Elasticsearch cluster loses a node under write-and-read traffic through a real
 * proxy that lists all three nodes: `kill -9` of each node in turn (the first listed included),
 * in turn. One cluster serves every scenario; each ends with the node back and the cluster
 * green. Prints the table of requests, errors, longest outage and lost writes.
 * (A hung node, SIGSTOP, is not here yet: runs of it lost acknowledged writes; see the README.)
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitForGreen } from "../../../proxy/dev/elasticsearch/cluster.ts";
import {
  type ClusterNode,
  type LocalCluster,
  startLocalCluster,
} from "../../../proxy/dev/elasticsearch.ts";
import { ensureCrmIndices } from "../../../proxy/src/elasticsearch/setup.ts";
import { type RunningProxy, startProxy } from "../../../proxy/src/node.ts";
import { createCrmServices } from "../../../proxy/src/services.ts";
import { dealsEntity, trackerEntity } from "../../support/entities.ts";
import { ADMIN_TOKEN, hsToken, newSubject, testEnv } from "../http/support.ts";

const TIMEOUT_MS = 5_000;
/** Follower and leader checks every 1 s, 2 s timeout, 2 failures: a hung node is out in ~4-6 s. */
const FAULT_DETECTION = {
  "cluster.fault_detection.follower_check.interval": "1s",
  "cluster.fault_detection.follower_check.timeout": "2s",
  "cluster.fault_detection.follower_check.retry_count": "2",
  "cluster.fault_detection.leader_check.interval": "1s",
  "cluster.fault_detection.leader_check.timeout": "2s",
  "cluster.fault_detection.leader_check.retry_count": "2",
};
const WRITERS = 6;
const CREATORS = 3;
const READERS = 3;
/**
 * A kill may cost each client the request it has in flight on that node when it dies, and,
 * for writes, one more while the shards it held get their replicas promoted: two per client.
 */
const KILL_ERRORS_AT_MOST = 2 * (WRITERS + CREATORS + READERS);

interface Outcome {
  kind: "write" | "create" | "read";
  startedAt: number;
  endedAt: number;
  /** 0 when no HTTP answer came at all. */
  status: number;
  code: string | undefined;
}

interface Row {
  fault: string;
  requests: number;
  errors: number;
  codes: string;
  longestOutageMs: number;
  lostWrites: number;
  slowestFailureMs: number;
}

let cluster: LocalCluster;
let proxy: RunningProxy;
const prefix = `t-cluster-${randomBytes(4).toString("hex")}-`;
const rows: Row[] = [];

beforeAll(async () => {
  cluster = await startLocalCluster({
    name: "cluster-faults",
    nodes: 3,
    fresh: true,
    heap: "256m",
    settings: FAULT_DETECTION,
  });
  // Setup is not what is measured: the indices are created with a generous timeout first, so
  // the proxy (with the short timeout under test) finds them.
  const setup = createCrmServices({
    elasticsearch: { url: cluster.urls.join(","), timeoutMs: 120_000 },
    indexPrefix: prefix,
  });
  await ensureCrmIndices(setup.client, setup.indices);
  await setup.close();
  const env = testEnv(prefix, {
    ELASTICSEARCH_URL: cluster.urls.join(","),
    ELASTICSEARCH_TIMEOUT_MS: String(TIMEOUT_MS),
    RATE_LIMIT_PER_MINUTE: "1000000",
    PORT: "0",
  });
  // Its own index check at start-up may outlast the short timeout on a busy machine: try again.
  for (let attempt = 1; ; attempt++) {
    try {
      proxy = await startProxy(env);
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(2_000);
    }
  }
  for (const entity of [trackerEntity, dealsEntity]) {
    // A fresh cluster may still be allocating replicas: a create it did not confirm is sent
    // again, and 409 then says the first one was stored.
    let status = 0;
    for (let attempt = 0; attempt < 10 && status !== 201 && status !== 409; attempt++) {
      if (attempt > 0) await sleep(1_000);
      const response = await fetch(`${proxy.url}/v1/admin/entities`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify(entity),
      });
      status = response.status;
    }
    expect([201, 409]).toContain(status);
  }
  // Every CRM index has its replica before the first fault.
  await waitForGreen(cluster.urls[0] ?? "", 3);
}, 600_000);

afterAll(async () => {
  await proxy?.close();
  await cluster?.stop({ removeData: true });
  if (rows.length > 0) console.log(`cluster faults:\n${table(rows)}`);
}, 120_000);

function table(list: Row[]): string {
  const lines = [
    "| Fault | Requests | Errors | Longest outage | Acknowledged writes lost | Slowest failure |",
    "|---|---|---|---|---|---|",
    ...list.map(
      (row) =>
        `| ${row.fault} | ${row.requests} | ${row.errors}${row.codes ? ` (${row.codes})` : ""} | ${(row.longestOutageMs / 1000).toFixed(2)} s | ${row.lostWrites} | ${row.slowestFailureMs ? `${(row.slowestFailureMs / 1000).toFixed(2)} s` : "-"} |`,
    ),
  ];
  return lines.join("\n");
}

/** Write-and-read traffic until `stop()`: nickname writes with rising numbers, creates, reads. */
async function startTraffic() {
  const outcomes: Outcome[] = [];
  /** Per writer: the numbers acknowledged, in order. */
  const acknowledged = new Map<string, number[]>();
  const created: string[] = [];
  const tokens = new Map<string, string>();
  let running = true;

  const send = async (kind: Outcome["kind"], token: string, serial: number) => {
    const startedAt = performance.now();
    const auth = { Authorization: `Bearer ${token}` };
    const request: [string, RequestInit] =
      kind === "write"
        ? [
            "/v1/entries/tracker/fields/nickname",
            {
              method: "PUT",
              headers: { ...auth, "Content-Type": "application/json" },
              body: JSON.stringify({ value: `n${serial}` }),
            },
          ]
        : kind === "create"
          ? [
              "/v1/entries/deals",
              {
                method: "POST",
                headers: { ...auth, "Content-Type": "application/json" },
                body: JSON.stringify({ values: { title: `deal ${serial}` } }),
              },
            ]
          : ["/v1/entries/tracker", { headers: auth }];
    let status = 0;
    let code: string | undefined;
    try {
      const response = await fetch(`${proxy.url}${request[0]}`, request[1]);
      status = response.status;
      const body = (await response.json()) as { entry?: { id: string }; error?: { code: string } };
      code = body.error?.code;
      if (kind === "create" && status === 201 && body.entry) created.push(body.entry.id);
    } catch {
      // No answer at all: recorded as status 0, which the assertions refuse.
    }
    outcomes.push({ kind, startedAt, endedAt: performance.now(), status, code });
    return status === 200 || status === 201;
  };

  const loop = async (kind: Outcome["kind"]) => {
    const subject = newSubject(`cluster-${kind}`);
    const token = await hsToken(subject, { exp: Math.floor(Date.now() / 1000) + 900 });
    tokens.set(subject, token);
    const acks: number[] = [];
    if (kind === "write") acknowledged.set(subject, acks);
    for (let serial = 1; running; serial++) {
      if ((await send(kind, token, serial)) && kind === "write") acks.push(serial);
      await sleep(5);
    }
  };
  const loops = [
    ...Array.from({ length: WRITERS }, () => loop("write")),
    ...Array.from({ length: CREATORS }, () => loop("create")),
    ...Array.from({ length: READERS }, () => loop("read")),
  ];
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
      return { outcomes, acknowledged, created, tokens };
    },
  };
}

type Traffic = Awaited<ReturnType<Awaited<ReturnType<typeof startTraffic>>["stop"]>>;

/** Waits until every traffic loop has had an answer, and a second more. */
async function serving(outcomes: Outcome[]): Promise<void> {
  while (outcomes.length < WRITERS + CREATORS + READERS) await sleep(100);
  await sleep(1_000);
}

/** The nickname stored for `token`, read through the proxy (retried while the cluster settles). */
async function storedNickname(token: string | undefined): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${proxy.url}/v1/entries/tracker/fields/nickname`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { value?: string };
    if (response.status === 200) return Number(String(body.value ?? "n0").slice(1));
    if (attempt >= 20) throw new Error(`reading the stored nickname: ${response.status}`);
    await sleep(500);
  }
}

/** Acknowledged writes the cluster no longer has: a writer's stored number below its last ack, or a created entry that is gone. */
async function lostWrites(traffic: Traffic): Promise<number> {
  let lost = 0;
  for (const [subject, acks] of traffic.acknowledged) {
    const last = acks.at(-1);
    if (last === undefined) continue;
    const stored = await storedNickname(traffic.tokens.get(subject));
    // A later write whose outcome was unknown may have landed; an older value is a lost write.
    if (stored < last) lost += 1;
  }
  const es = new Client({ node: cluster.urls, requestTimeout: 30_000 });
  try {
    await es.indices.refresh({ index: `${prefix}crm_entries` });
    const found = await es.search({
      index: `${prefix}crm_entries`,
      size: traffic.created.length,
      query: { ids: { values: traffic.created } },
      _source: false,
    });
    const stored = new Set(found.hits.hits.map((hit) => hit._id));
    lost += traffic.created.filter((id) => !stored.has(id)).length;
  } finally {
    await es.close();
  }
  return lost;
}

/** The longest time after `from` during which no request completed successfully. */
function longestOutage(outcomes: Outcome[], from: number, to: number): number {
  const successes = outcomes
    .filter((o) => (o.status === 200 || o.status === 201) && o.endedAt >= from)
    .map((o) => o.endedAt)
    .sort((a, b) => a - b);
  let longest = 0;
  let previous = from;
  for (const at of [...successes, to]) {
    longest = Math.max(longest, at - previous);
    previous = at;
  }
  return longest;
}

function summarize(
  fault: string,
  outcomes: Outcome[],
  lost: number,
  faultAt: number,
  endAt: number,
): Row {
  const failures = outcomes.filter((o) => o.status !== 200 && o.status !== 201);
  const codes = new Map<string, number>();
  for (const failure of failures) {
    const key = `${failure.status} ${failure.code ?? "-"}`;
    codes.set(key, (codes.get(key) ?? 0) + 1);
  }
  return {
    fault,
    requests: outcomes.length,
    errors: failures.length,
    codes: [...codes].map(([key, count]) => `${count} × ${key}`).join(", "),
    longestOutageMs: longestOutage(outcomes, faultAt, endAt),
    lostWrites: lost,
    slowestFailureMs: Math.max(0, ...failures.map((o) => o.endedAt - o.startedAt)),
  };
}

describe("a 3-node cluster loses a node under traffic", () => {
  for (const index of [0, 1, 2]) {
    test(`kill -9 of node-${index + 1}${index === 0 ? " (the first listed)" : ""}: at most a handful of failed requests, no acknowledged write lost`, async () => {
      const node = cluster.nodes[index] as ClusterNode;
      const traffic = await startTraffic();
      await serving(traffic.outcomes);
      const healthy = traffic.outcomes.length;
      const faultAt = performance.now();
      await node.kill();
      await sleep(6_000);
      const endAt = performance.now();
      const result = await traffic.stop();
      await node.start();
      await waitForGreen(cluster.urls[0] ?? "", 3, 300_000);
      const lost = await lostWrites(result);
      const row = summarize(`kill -9 ${node.name}`, result.outcomes, lost, faultAt, endAt);
      rows.push(row);
      console.log(table([row]));

      expect(healthy).toBeGreaterThan(0);
      expect(result.outcomes.filter((o) => ![200, 201, 503].includes(o.status))).toEqual([]);
      expect(row.errors).toBeLessThanOrEqual(KILL_ERRORS_AT_MOST);
      expect(row.lostWrites).toBe(0);
      expect(row.longestOutageMs).toBeLessThan(TIMEOUT_MS + 2_000);
    }, 600_000);
  }
});
