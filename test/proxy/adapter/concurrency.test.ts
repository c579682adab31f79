import { describe, expect, test } from "vitest";
import type { FieldDefinitionInput } from "#domain";
import { useAdapterFixture } from "./fixtures.ts";

const crm = useAdapterFixture("adapter concurrency");

describe("concurrent first requests", () => {
  test("50 concurrent resolutions of a new identity end with exactly one customer document", async () => {
    const identity = { issuer: "https://shop.example", subject: "rush-hour" };
    // Separate adapters: 50 proxy processes with cold caches, all racing in Elasticsearch.
    const customers = await Promise.all(
      Array.from({ length: 50 }, () => crm.newAdapter().resolveCustomer(identity)),
    );
    expect(new Set(customers.map((customer) => customer.id)).size).toBe(1);
    expect(new Set(customers.map((customer) => customer.createdAt)).size).toBe(1);

    await crm.client.indices.refresh({ index: crm.indices.customers });
    const { count } = await crm.client.count({
      index: crm.indices.customers,
      query: {
        bool: {
          filter: [{ term: { issuer: identity.issuer } }, { term: { subject: identity.subject } }],
        },
      },
    });
    expect(count).toBe(1);
  });

  test("100 concurrent setCrmField calls on different fields of one new entry lose nothing", async () => {
    const fields: FieldDefinitionInput[] = Array.from({ length: 100 }, (_, i) => ({
      key: `answer_${i}`,
      label: `Answer ${i}`,
      type: "number",
      customerAccess: "write",
    }));
    await crm.adapter.entities.create({ slug: "survey", name: "Survey", fields });
    const customer = await crm.adapter.resolveCustomer({
      issuer: "https://shop.example",
      subject: "surveyed",
    });
    const me = crm.adapter.forCustomer(customer.id);

    const results = await Promise.all(
      fields.map((field, i) => me.setCrmField({ slug: "survey", fieldKey: field.key, value: i })),
    );
    expect(new Set(results.map((result) => result.entryId)).size).toBe(1);

    const entries = await me.getCrmEntries({ slug: "survey" });
    expect(entries).toHaveLength(1);
    expect(entries[0]?.values).toEqual(
      Object.fromEntries(fields.map((field, i) => [field.key, i])),
    );
    // One-entry writes skip the refresh (reads are by id), so make them searchable to count.
    await crm.client.indices.refresh({ index: crm.indices.entries });
    const { count } = await crm.client.count({
      index: crm.indices.entries,
      query: { term: { slug: "survey" } },
    });
    expect(count).toBe(1);
  });
});
