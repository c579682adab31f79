import { describe, expect, test } from "vitest";
import { createElasticsearchClient } from "../../../proxy/src/elasticsearch/client.ts";
import { crmIndices, DEFAULT_INDICES } from "../../../proxy/src/elasticsearch/indices.ts";
import { entriesMappings } from "../../../proxy/src/elasticsearch/schema.ts";
import { ensureCrmIndices } from "../../../proxy/src/elasticsearch/setup.ts";
import { elasticsearchUrl, testClient, uniquePrefix } from "../../support/elasticsearch.ts";

const prefix = uniquePrefix("schema setup");

describe("index names", () => {
  test("default to the names BRIEF.md gives, and take a prefix or explicit names", () => {
    expect(crmIndices()).toEqual({
      entries: "crm_entries",
      entities: "crm_entities",
      customers: "crm_customers",
      history: "crm_history",
    });
    expect(DEFAULT_INDICES.entries).toBe("crm_entries");
    expect(crmIndices({ prefix: "t1-" }).customers).toBe("t1-crm_customers");
    expect(crmIndices({ prefix: "t1-", entries: "records" }).entries).toBe("t1-records");
  });
});

describe("ensureCrmIndices", () => {
  test("creates the four indices with strict mappings, from several processes at once and again later", async () => {
    const indices = crmIndices({ prefix });
    const clients = Array.from({ length: 4 }, () =>
      createElasticsearchClient({ url: elasticsearchUrl() }),
    );
    try {
      await Promise.all(clients.map((client) => ensureCrmIndices(client, indices)));
      await ensureCrmIndices(clients[0] ?? testClient(), indices);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }

    const es = testClient();
    const all = [indices.entries, indices.entities, indices.customers, indices.history];
    const mappings = await es.indices.getMapping({ index: all });
    for (const name of all) {
      expect(mappings[name]?.mappings.dynamic).toBe("strict");
    }
    const entries = mappings[indices.entries]?.mappings;
    expect(entries?._routing?.required).toBe(true);
    expect(entries?.properties?.values?.type).toBe("flattened");
    expect(entries?.properties?.reference_type?.type).toBe("keyword");
    expect(entries?.properties?.reference_id?.type).toBe("keyword");
    // History values sit in typed sub-fields, so numbers and dates range and aggregate.
    const history = mappings[indices.history]?.mappings;
    expect(history?._routing?.required).toBe(true);
    const value = history?.properties?.value;
    const typed = value && "properties" in value ? value.properties : undefined;
    expect(typed?.number?.type).toBe("double");
    expect(typed?.date?.type).toBe("date");
    expect(typed?.keyword?.type).toBe("keyword");
    expect(typed?.boolean?.type).toBe("boolean");
  });

  test("installs index templates, so an index created by a stray write still gets the CRM mapping", async () => {
    const indices = crmIndices({ prefix: `${prefix}stray-` });
    const es = testClient();
    await ensureCrmIndices(es, indices);
    await es.indices.delete({ index: indices.entries });

    await es.index({
      index: indices.entries,
      id: "auto",
      routing: "customer:c1",
      document: { slug: "s", reference_type: "customer", reference_id: "c1", values: { a: 1 } },
    });
    const mapping = await es.indices.getMapping({ index: indices.entries });
    expect(mapping[indices.entries]?.mappings.properties?.values?.type).toBe("flattened");
    expect(mapping[indices.entries]?.mappings._routing?.required).toBe(true);
  });

  test("migrates an index created with an older mapping: the fields the mapping gained are added, data stays", async () => {
    const indices = crmIndices({ prefix: `${prefix}migrate-` });
    const es = testClient();
    // The entries index as an older release made it: without `updated_at`.
    const { updated_at: _added, ...olderProperties } = entriesMappings.properties ?? {};
    await es.indices.create({
      index: indices.entries,
      mappings: { ...entriesMappings, properties: olderProperties },
    });
    await es.index({
      index: indices.entries,
      id: "old",
      routing: "customer:c1",
      refresh: true,
      document: { slug: "s", reference_type: "customer", reference_id: "c1", values: { a: 1 } },
    });
    const before = await es.indices.getMapping({ index: indices.entries });
    expect(before[indices.entries]?.mappings.properties?.updated_at).toBeUndefined();

    const outcomes = await ensureCrmIndices(es, indices);
    expect(outcomes).toEqual({
      [indices.entries]: "migrated",
      [indices.entities]: "created",
      [indices.customers]: "created",
      [indices.history]: "created",
    });
    const after = await es.indices.getMapping({ index: indices.entries });
    expect(after[indices.entries]?.mappings.properties?.updated_at).toMatchObject({ type: "date" });
    expect(after[indices.entries]?.mappings.dynamic).toBe("strict");
    expect(
      (await es.get({ index: indices.entries, id: "old", routing: "customer:c1" })).found,
    ).toBe(true);
    // Writing the new field works now; running setup again changes nothing.
    await es.update({
      index: indices.entries,
      id: "old",
      routing: "customer:c1",
      doc: { updated_at: "2026-01-01T00:00:00Z" },
    });
    expect(new Set(Object.values(await ensureCrmIndices(es, indices)))).toEqual(
      new Set(["migrated"]),
    );
  });

  test("entries cannot be written without routing", async () => {
    const indices = crmIndices({ prefix: `${prefix}routing-` });
    const es = testClient();
    await ensureCrmIndices(es, indices);
    const outcome = await es
      .index({
        index: indices.entries,
        id: "x",
        document: { slug: "s", reference_type: "customer", reference_id: "c1" },
      })
      .then(
        () => "stored",
        () => "refused",
      );
    expect(outcome).toBe("refused");
  });
});
