/**
 * The Node proxy's budgets, through real HTTP (`startProxy`, its own
 * in-process counters): operations per customer, where a batch costs one per
 * call, and new customer records per client address, which bound what a site
 * issuing tokens to anonymous visitors lets anyone create.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { customerIdFor } from "../../../proxy/src/adapter/ids.ts";
import { loadConfig } from "../../../proxy/src/config.ts";
import { type RunningProxy, startProxy } from "../../../proxy/src/node.ts";
import { createCrmServices } from "../../../proxy/src/services.ts";
import { uniquePrefix } from "../../support/elasticsearch.ts";
import { trackerEntity } from "../../support/entities.ts";
import { ADMIN_TOKEN, hsToken, ISSUER, newSubject, testEnv } from "./support.ts";

const OPERATIONS_PER_MINUTE = 5;
const CREATIONS_PER_MINUTE = 2;
const prefix = uniquePrefix("budgets");
const env = testEnv(prefix, {
  RATE_LIMIT_PER_MINUTE: String(OPERATIONS_PER_MINUTE),
  CUSTOMER_CREATIONS_PER_MINUTE: String(CREATIONS_PER_MINUTE),
  PORT: "0",
});
const services = createCrmServices(loadConfig(env));
/** Each proxy has counters of its own: one per budget under test. */
let operations: RunningProxy;
let direct: RunningProxy;
let behindReverseProxy: RunningProxy;

beforeAll(async () => {
  operations = await startProxy(
    { ...env, CUSTOMER_CREATIONS_PER_MINUTE: "1000" },
    { setUpIndices: true },
  );
  direct = await startProxy(env);
  behindReverseProxy = await startProxy({ ...env, CLIENT_ADDRESS_HEADER: "X-Real-IP" });
  const created = await fetch(`${direct.url}/v1/admin/entities`, {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify(trackerEntity),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await Promise.all([
    operations?.close(),
    direct?.close(),
    behindReverseProxy?.close(),
    services.close(),
  ]);
});

function call(
  proxy: RunningProxy,
  path: string,
  token: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${proxy.url}${path}`, {
    method: options.body === undefined ? "GET" : "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

const readField = { op: "getCrmField", args: { slug: "tracker", fieldKey: "nickname" } };
const batchOf = (size: number) => ({ calls: Array.from({ length: size }, () => readField) });

describe("the operations budget counts operations, not requests", () => {
  test(`a batch of ${OPERATIONS_PER_MINUTE + 1} calls is refused whole, though it is one request; a smaller one still fits`, async () => {
    const token = await hsToken(newSubject("big-batch"));
    const refused = await call(operations, "/v1/batch", token, { body: batchOf(6) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    // The refused batch spent nothing: the whole budget is still there.
    const fits = await call(operations, "/v1/batch", token, {
      body: batchOf(OPERATIONS_PER_MINUTE),
    });
    expect(fits.status).toBe(200);
  });

  test("a full batch spends the budget: the next single read is refused", async () => {
    const token = await hsToken(newSubject("full-batch"));
    const full = await call(operations, "/v1/batch", token, {
      body: batchOf(OPERATIONS_PER_MINUTE),
    });
    expect(full.status).toBe(200);
    const next = await call(operations, "/v1/entries/tracker/fields/nickname", token);
    expect(next.status).toBe(429);
  });

  test("an identity over its budget creates no customer record", async () => {
    const subject = newSubject("over-budget");
    const token = await hsToken(subject);
    const refused = await call(operations, "/v1/batch", token, { body: batchOf(6) });
    expect(refused.status).toBe(429);
    expect(await services.adapter.getCustomer(customerIdFor(ISSUER, subject))).toBeNull();
  });
});

describe("creating customer records is bounded per client address", () => {
  test(`one address creates at most ${CREATIONS_PER_MINUTE} customers a minute; the refused one gets no record`, async () => {
    // Every request of this test comes from 127.0.0.1, the socket's peer address.
    const first = newSubject("guest");
    const statuses = [(await call(direct, "/v1/entities/tracker", await hsToken(first))).status];
    for (let i = 1; i <= CREATIONS_PER_MINUTE; i++) {
      const subject = i === CREATIONS_PER_MINUTE ? "guest-refused" : newSubject("guest");
      const response = await call(direct, "/v1/entities/tracker", await hsToken(subject));
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get("Retry-After")).toMatch(/^\d+$/);
        const body = (await response.json()) as { error: { code: string } };
        expect(body.error.code).toBe("rate_limited");
      }
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(await services.adapter.getCustomer(customerIdFor(ISSUER, "guest-refused"))).toBeNull();

    // A customer whose record exists is found, not created: it spends nothing and goes on.
    const back = await call(direct, "/v1/entities/tracker", await hsToken(first));
    expect(back.status).toBe(200);
  });

  test("behind a reverse proxy, CLIENT_ADDRESS_HEADER names the client: each address has its own budget", async () => {
    const from = (address: string) => ({ headers: { "X-Real-IP": address } });
    const statuses: number[] = [];
    for (let i = 0; i <= CREATIONS_PER_MINUTE; i++) {
      const token = await hsToken(newSubject("proxied-guest"));
      statuses.push(
        (await call(behindReverseProxy, "/v1/entities/tracker", token, from("203.0.113.5"))).status,
      );
    }
    expect(statuses).toEqual([200, 200, 429]);
    const elsewhere = await hsToken(newSubject("proxied-guest"));
    const other = await call(
      behindReverseProxy,
      "/v1/entities/tracker",
      elsewhere,
      from("203.0.113.6"),
    );
    expect(other.status).toBe(200);
  });
});
