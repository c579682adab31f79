/**
 * Concurrency through real HTTP: proxies started as they run in production
 * (`startProxy`), each with its own caches, over one real Elasticsearch.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CrmEntry, CrmFieldValue, EntityDefinitionInput } from "#domain";
import { customerIdFor } from "../../../proxy/src/adapter/ids.ts";
import { entriesMappings } from "../../../proxy/src/elasticsearch/schema.ts";
import { type RunningProxy, startProxy } from "../../../proxy/src/node.ts";
import { testClient, uniquePrefix } from "../../support/elasticsearch.ts";
import { trackerEntity } from "../../support/entities.ts";
import { ADMIN_TOKEN, hsToken, ISSUER, newSubject, testEnv } from "../http/support.ts";

const prefix = uniquePrefix("hardening concurrency");
const indices = {
  entries: `${prefix}crm_entries`,
  customers: `${prefix}crm_customers`,
};

/** One hundred writable fields: a hundred widgets of one form saving at once. */
const wideKeys = Array.from({ length: 100 }, (_, i) => `f${String(i).padStart(3, "0")}`);
const wideEntity: EntityDefinitionInput = {
  slug: "wide",
  name: "Wide form",
  fields: wideKeys.map((key, i) => ({
    key,
    label: `Field ${i}`,
    type: "number" as const,
    customerAccess: "write" as const,
  })),
};

let proxies: RunningProxy[] = [];

async function call(
  proxy: RunningProxy,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${proxy.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Documents of one customer's reference (or with one customer identity), after a refresh. */
async function countDocuments(index: string, field: string, value: string): Promise<number> {
  const es = testClient();
  await es.indices.refresh({ index });
  return (await es.count({ index, query: { term: { [field]: value } } })).count;
}

beforeAll(async () => {
  const env = testEnv(prefix, { RATE_LIMIT_PER_MINUTE: "1000000", PORT: "0" });
  // Two proxies with separate caches: the races below also cross processes' worth of state.
  proxies = [await startProxy(env, { setUpIndices: true }), await startProxy(env)];
  const first = proxies[0] as RunningProxy;
  for (const entity of [trackerEntity, wideEntity]) {
    const created = await call(first, "POST", "/v1/admin/entities", ADMIN_TOKEN, entity);
    expect(created.status).toBe(201);
  }
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
});

describe("races through real HTTP against real Elasticsearch", () => {
  test("200 concurrent first requests of one new visitor over two proxies create exactly one customer and one entry", async () => {
    const subject = newSubject("stampede");
    const token = await hsToken(subject);
    const requests = Array.from({ length: 200 }, (_, i) => {
      const proxy = proxies[i % 2] as RunningProxy;
      switch (i % 4) {
        case 0:
          return call(proxy, "GET", "/v1/entries/tracker/fields/nickname", token);
        case 1:
          return call(proxy, "PUT", "/v1/entries/tracker/fields/current_weight", token, {
            value: 50 + (i % 100),
          });
        case 2:
          return call(proxy, "POST", "/v1/batch", token, {
            calls: [{ op: "getCrmEntries", args: { slug: "tracker" } }],
          });
        default:
          return call(proxy, "GET", "/v1/entities/tracker", token);
      }
    });
    const statuses = (await Promise.all(requests)).map((response) => response.status);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const customerId = customerIdFor(ISSUER, subject);
    expect(await countDocuments(indices.customers, "subject", subject)).toBe(1);
    expect(await countDocuments(indices.entries, "reference_id", customerId)).toBe(1);
  });

  test("100 concurrent writes to 100 different fields of one entry all persist", async () => {
    const subject = newSubject("wide");
    const token = await hsToken(subject);
    const keys = wideKeys;
    const written = await Promise.all(
      keys.map((key, i) =>
        call(proxies[i % 2] as RunningProxy, "PUT", `/v1/entries/wide/fields/${key}`, token, {
          value: i + 0.5,
        }),
      ),
    );
    expect(written.map((response) => response.status).filter((status) => status !== 200)).toEqual(
      [],
    );
    const read = await call(proxies[0] as RunningProxy, "GET", "/v1/entries/wide", token);
    const { entries } = (await read.json()) as { entries: CrmEntry[] };
    expect(entries).toHaveLength(1);
    expect(entries[0]?.values).toEqual(Object.fromEntries(keys.map((key, i) => [key, i + 0.5])));
    const customerId = customerIdFor(ISSUER, subject);
    expect(await countDocuments(indices.entries, "reference_id", customerId)).toBe(1);
  });

  test("concurrent writes to one field: last write wins whole — the stored value and timestamp come from one acknowledged write, other fields intact", async () => {
    const subject = newSubject("same-field");
    const token = await hsToken(subject);
    const proxy = proxies[0] as RunningProxy;
    const before = await call(proxy, "PUT", "/v1/entries/tracker/fields/plan", token, {
      value: "premium",
    });
    expect(before.status).toBe(200);
    const values = Array.from({ length: 60 }, (_, i) => 100 + i / 10);
    const answers = await Promise.all(
      values.map((value, i) =>
        call(
          proxies[i % 2] as RunningProxy,
          "PUT",
          "/v1/entries/tracker/fields/current_weight",
          token,
          {
            value,
          },
        ),
      ),
    );
    expect(answers.map((response) => response.status).filter((status) => status !== 200)).toEqual(
      [],
    );
    const acknowledged = (await Promise.all(answers.map((r) => r.json()))) as CrmFieldValue[];

    const read = await call(proxy, "GET", "/v1/entries/tracker", token);
    const [entry] = ((await read.json()) as { entries: CrmEntry[] }).entries;
    const final = entry?.values.current_weight;
    expect(values).toContain(final);
    // The winning write's value and its timestamp were applied together: no torn document.
    const winner = acknowledged.find((answer) => answer.value === final);
    expect(entry?.updatedAt).toBe(winner?.updatedAt);
    expect(entry?.values).toEqual({ plan: "premium", current_weight: final });

    // The stored document still has exactly the mapped shape, and there is one of it.
    const customerId = customerIdFor(ISSUER, subject);
    expect(await countDocuments(indices.entries, "reference_id", customerId)).toBe(1);
    const stored = await testClient().search({
      index: indices.entries,
      query: { term: { reference_id: customerId } },
    });
    expect(Object.keys(stored.hits.hits[0]?._source ?? {}).sort()).toEqual(
      Object.keys(entriesMappings.properties ?? {}).sort(),
    );
  });
});
