/**
 * The Worker entry inside workerd (wrangler's unstable_dev), talking to the
 * real test Elasticsearch through the fetch-based connection. Many sequential
 * and concurrent requests go through ONE Worker instance: Workers forbid
 * reusing one request's I/O objects in another, which only shows up there.
 */

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Unstable_DevWorker } from "wrangler";
import type { CrmEntry, CrmFieldValue, CrmStageValue } from "#domain";
import { ADMIN_TOKEN, hsToken, newSubject } from "../proxy/http/support.ts";
import { uniquePrefix } from "../support/elasticsearch.ts";
import { dealsEntity, trackerEntity } from "../support/entities.ts";
import { startTestWorker, startWorkerOverTestIndices } from "./support.ts";

const prefix = uniquePrefix("worker");
let worker: Unstable_DevWorker;

beforeAll(async () => {
  worker = await startWorkerOverTestIndices(prefix, { RATE_LIMIT_PER_MINUTE: "10000" });
});

afterAll(async () => {
  await worker?.stop();
});

async function call(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await worker.fetch(`http://127.0.0.1${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** One visitor's whole widget session: write, read back through every route, move a stage. */
async function visit(label: string): Promise<void> {
  const token = await hsToken(newSubject(label));
  const weight = Math.round(Math.random() * 100) + 50;
  const put = await call("PUT", "/v1/entries/tracker/fields/current_weight", token, {
    value: weight,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);

  const field = await call("GET", "/v1/entries/tracker/fields/current_weight", token);
  expect((field.body as CrmFieldValue).value).toBe(weight);

  const moved = await call("PUT", "/v1/entries/tracker/stages/progress", token, {
    stage: "in_progress",
  });
  expect((moved.body as CrmStageValue).position?.stage).toBe("in_progress");

  const batch = await call("POST", "/v1/batch", token, {
    calls: [
      { op: "getCrmField", args: { slug: "tracker", fieldKey: "current_weight" } },
      { op: "getCrmStage", args: { slug: "tracker", pipeline: "progress" } },
      { op: "getCrmEntity", args: { slug: "tracker" } },
      { op: "setCrmField", args: { slug: "tracker", fieldKey: "nickname", value: label } },
    ],
  });
  expect(batch.status).toBe(200);
  const results = (batch.body as { results: { ok: boolean; data: Record<string, unknown> }[] })
    .results;
  expect(results.map((result) => result.ok)).toEqual([true, true, true, true]);
  expect(results[0]?.data.value).toBe(weight);
  expect(results[1]?.data.position).toMatchObject({ stage: "in_progress" });

  const entries = await call("GET", "/v1/entries/tracker", token);
  const [entry] = (entries.body as { entries: CrmEntry[] }).entries;
  expect(entry?.values).toEqual({ current_weight: weight, nickname: label });
}

describe("the Worker inside workerd", () => {
  test("admin routes seed entity definitions through the Worker", async () => {
    for (const entity of [trackerEntity, dealsEntity]) {
      const created = await call("POST", "/v1/admin/entities", ADMIN_TOKEN, entity);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const list = await call("GET", "/v1/admin/entities", ADMIN_TOKEN);
    expect(
      (list.body as { entities: { slug: string }[] }).entities.map((e) => e.slug).sort(),
    ).toEqual(["deals", "tracker"]);
  });

  test("sequential visitors each write and read back through every route", async () => {
    for (const label of ["first", "second", "third"]) await visit(label);
  });

  test("concurrent visitors through the same Worker instance all succeed", async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => visit(`concurrent${i}`)));
  });

  test("concurrent writes of different fields of one entry lose nothing", async () => {
    const token = await hsToken(newSubject("parallel-fields"));
    const values = {
      current_weight: 70,
      nickname: "Par",
      last_checkin: "2026-01-31",
      newsletter: true,
      plan: "basic",
    };
    const writes = await Promise.all(
      Object.entries(values).map(([key, value]) =>
        call("PUT", `/v1/entries/tracker/fields/${key}`, token, { value }),
      ),
    );
    expect(writes.map((write) => write.status)).toEqual([200, 200, 200, 200, 200]);
    const entries = await call("GET", "/v1/entries/tracker", token);
    expect((entries.body as { entries: CrmEntry[] }).entries[0]?.values).toEqual(values);
  });

  test("the admin CRM tab lists a visitor's entries written through the Worker", async () => {
    const token = await hsToken(newSubject("tab"));
    const created = await call("POST", "/v1/entries/deals", token, {
      values: { title: "Worker deal", amount: 5 },
    });
    expect(created.status).toBe(201);
    const customerId = (created.body as { entry: CrmEntry }).entry.reference.id;
    const tab = await call("GET", `/v1/admin/customers/${customerId}/entries`, ADMIN_TOKEN);
    expect(tab.status).toBe(200);
    const body = tab.body as { customer: { id: string }; entries: CrmEntry[] };
    expect(body.customer.id).toBe(customerId);
    expect(body.entries.map((entry) => entry.values.title)).toEqual(["Worker deal"]);
  });

  test("a bad session and a customer token on an admin route are refused", async () => {
    const expired = await hsToken(newSubject(), {
      iat: Math.floor(Date.now() / 1000) - 600,
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    const denied = await call("GET", "/v1/entries/tracker", expired);
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ error: { code: "unauthenticated" } });
    const admin = await call("GET", "/v1/admin/entities", await hsToken(newSubject()));
    expect(admin.status).toBe(403);
  });

  test("invalid values are refused inside the Worker as on Node", async () => {
    const token = await hsToken(newSubject());
    const refused = await call("PUT", "/v1/entries/tracker/fields/last_checkin", token, {
      value: "2026-02-30",
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: "invalid_value", field: "last_checkin" } });
  });
});

describe("the Worker with Elasticsearch unreachable", () => {
  let down: Unstable_DevWorker;

  beforeAll(async () => {
    down = await startTestWorker(
      {
        ELASTICSEARCH_URL: "http://127.0.0.1:1",
        ELASTICSEARCH_MAX_RETRIES: "0",
        CRM_INDEX_PREFIX: prefix,
        CORS_ORIGINS: "https://shop.test",
      },
      { logLevel: "none" },
    );
  });

  afterAll(async () => {
    await down?.stop();
  });

  test("answers 503 unavailable with Retry-After and CORS, as JSON, request after request", async () => {
    const token = await hsToken(newSubject());
    for (const path of ["/v1/entries/tracker", "/v1/entities/tracker", "/v1/admin/entities"]) {
      const response = await down.fetch(`http://127.0.0.1${path}`, {
        headers: {
          Authorization: `Bearer ${path.includes("admin") ? ADMIN_TOKEN : token}`,
          Origin: "https://shop.test",
        },
      });
      expect(response.status, path).toBe(503);
      expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
      // The widgets on that origin can read the error and back off.
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("https://shop.test");
      expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
    }
  });
});
