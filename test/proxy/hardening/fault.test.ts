/**
 * Elasticsearch dies during traffic: a dedicated node (never the shared test
 * node) is killed while customers read and create entries through a real
 * proxy, then started again. The proxy must answer 503 with Retry-After
 * quickly, keep running, serve again soon after the node returns, and every
 * write it acknowledged must be stored.
 *
 * One kill and one restart per run (~20 s of Elasticsearch start-up).
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type LocalCluster, startLocalCluster } from "../../../proxy/dev/elasticsearch.ts";
import { type RunningProxy, startProxy } from "../../../proxy/src/node.ts";
import { dealsEntity, trackerEntity } from "../../support/entities.ts";
import { ADMIN_TOKEN, hsToken, newSubject, testEnv } from "../http/support.ts";

/** The deadlines issue 6 sets: 503 within 2.5 s of the outage, service within 5 s of the return. */
const UNAVAILABLE_WITHIN_MS = 2_500;
const BACK_WITHIN_MS = 5_000;
const CUSTOMERS = 12;

interface Outcome {
  kind: "write" | "read";
  startedAt: number;
  endedAt: number;
  /** 0 when no HTTP answer came at all. */
  status: number;
  retryAfter: string | null;
  code: string | undefined;
}

/** A node of its own (never the shared test node): it is killed and started again. */
let elasticsearch: LocalCluster | undefined;
let proxy: RunningProxy;
const prefix = `t-fault-${randomBytes(4).toString("hex")}-`;

beforeAll(async () => {
  elasticsearch = await startLocalCluster({ name: "hardening-fault", nodes: 1, fresh: true });
  proxy = await startProxy(
    testEnv(prefix, {
      ELASTICSEARCH_URL: elasticsearch.urls.join(","),
      ELASTICSEARCH_TIMEOUT_MS: "5000",
      RATE_LIMIT_PER_MINUTE: "1000000",
      PORT: "0",
    }),
    { setUpIndices: true },
  );
  for (const entity of [trackerEntity, dealsEntity]) {
    const response = await fetch(`${proxy.url}/v1/admin/entities`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify(entity),
    });
    expect(response.status).toBe(201);
  }
}, 240_000);

afterAll(async () => {
  await proxy?.close();
  await elasticsearch?.stop({ removeData: true });
}, 60_000);

describe("Elasticsearch killed during traffic", () => {
  test("503 + Retry-After within 2.5 s, no crash, service back within 5 s of the node's return, every acknowledged write stored", async () => {
    const [node] = (elasticsearch as LocalCluster).nodes;
    if (!node) throw new Error("the fault node did not start");
    const tokens = await Promise.all(
      Array.from({ length: CUSTOMERS }, () =>
        hsToken(newSubject("fault"), { exp: Math.floor(Date.now() / 1000) + 600 }),
      ),
    );
    const outcomes: Outcome[] = [];
    const acknowledged: string[] = [];
    let running = true;

    const send = async (kind: Outcome["kind"], token: string, serial: number) => {
      const startedAt = performance.now();
      const init: RequestInit =
        kind === "write"
          ? {
              method: "POST",
              headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
              body: JSON.stringify({ values: { title: `deal ${serial}` } }),
            }
          : { headers: { Authorization: `Bearer ${token}` } };
      const path = kind === "write" ? "/v1/entries/deals" : "/v1/entries/tracker/fields/nickname";
      try {
        const response = await fetch(`${proxy.url}${path}`, init);
        const body = (await response.json()) as {
          entry?: { id: string };
          error?: { code: string };
        };
        outcomes.push({
          kind,
          startedAt,
          endedAt: performance.now(),
          status: response.status,
          retryAfter: response.headers.get("Retry-After"),
          code: body.error?.code,
        });
        if (kind === "write" && response.status === 201 && body.entry)
          acknowledged.push(body.entry.id);
      } catch {
        outcomes.push({
          kind,
          startedAt,
          endedAt: performance.now(),
          status: 0,
          retryAfter: null,
          code: undefined,
        });
      }
    };
    const client = async (token: string, kind: Outcome["kind"]) => {
      for (let serial = 0; running; serial++) {
        await send(kind, token, serial);
        await sleep(10);
      }
    };
    // Two writers per reader: writes in flight at the kill are the ones that could be lost.
    const traffic = tokens.map((token, i) => client(token, i % 3 === 2 ? "read" : "write"));

    await sleep(1_500);
    const healthy = outcomes.length;
    await node.kill();
    const killedAt = performance.now();
    await sleep(UNAVAILABLE_WITHIN_MS + 500);
    await node.start();
    const returnedAt = performance.now();
    await sleep(BACK_WITHIN_MS + 1_500);
    running = false;
    await Promise.all(traffic);

    const during = outcomes.filter((o) => o.startedAt >= killedAt && o.endedAt < returnedAt);
    const after = outcomes.filter((o) => o.startedAt >= returnedAt);
    const firstUnavailable = during
      .filter((o) => o.status === 503)
      .sort((a, b) => a.endedAt - b.endedAt)[0];
    const firstBack = after
      .filter((o) => o.status === 200 || o.status === 201)
      .sort((a, b) => a.endedAt - b.endedAt)[0];
    console.log(
      `fault: ${outcomes.length} requests (${healthy} before the kill, ${during.length} during the outage, ${after.length} after the return); ` +
        `first 503 ${firstUnavailable ? (firstUnavailable.endedAt - killedAt).toFixed(0) : "-"} ms after the kill; ` +
        `first success ${firstBack ? (firstBack.endedAt - returnedAt).toFixed(0) : "-"} ms after the node answered; ` +
        `${acknowledged.length} writes acknowledged`,
    );

    // Nothing but success or a proper 503, ever; every request got an answer.
    expect(outcomes.filter((o) => ![200, 201, 503].includes(o.status))).toEqual([]);
    expect(outcomes.slice(0, healthy).every((o) => o.status === 200 || o.status === 201)).toBe(
      true,
    );
    expect(during.length).toBeGreaterThan(0);
    for (const outcome of during) {
      // A create in flight when the node died may have been stored: it says so.
      expect(outcome.status).toBe(503);
      expect(
        outcome.kind === "write" ? ["unavailable", "outcome_unknown"] : ["unavailable"],
      ).toContain(outcome.code);
      expect(Number(outcome.retryAfter)).toBeGreaterThan(0);
    }
    expect(firstUnavailable && firstUnavailable.endedAt - killedAt).toBeLessThanOrEqual(
      UNAVAILABLE_WITHIN_MS,
    );
    expect(firstBack && firstBack.endedAt - returnedAt).toBeLessThanOrEqual(BACK_WITHIN_MS);
    // Once back, it stays back: the last second of traffic succeeded throughout.
    const lastSecond = after.filter((o) => o.startedAt >= (after.at(-1)?.startedAt ?? 0) - 1_000);
    expect(lastSecond.filter((o) => o.status !== 200 && o.status !== 201)).toEqual([]);

    // No crash: the same proxy still serves.
    expect((await fetch(`${proxy.url}/v1/health`)).status).toBe(200);

    // Every acknowledged write survived the kill.
    const es = new Client({ node: node.url, requestTimeout: 30_000 });
    try {
      await es.indices.refresh({ index: `${prefix}crm_entries` });
      const found = await es.search({
        index: `${prefix}crm_entries`,
        size: acknowledged.length,
        query: { ids: { values: acknowledged } },
        _source: false,
      });
      const stored = new Set(found.hits.hits.map((hit) => hit._id));
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await es.close();
    }
  }, 240_000);
});
