/**
 * What customers may do with the entries of many-entry entities: create them
 * only where the entity allows it, with every required field, up to a quota
 * per reference; and read them in pages, newest first, never silently cut.
 * Through the proxy app over the real Elasticsearch.
 */
import { describe, expect, test } from "vitest";
import type { BatchResult, CrmEntry, EntityDefinitionInput } from "#domain";
import { errorOf, hsToken, newSubject, useTestProxy } from "./support.ts";

/** Like the demo's Deals: every field read-only for customers, a required title. */
const closedDeals: EntityDefinitionInput = {
  slug: "closed-deals",
  name: "Deals",
  entriesPerReference: "many",
  fields: [
    { key: "title", label: "Title", type: "text", required: true, customerAccess: "read" },
    { key: "amount", label: "Amount", type: "number", customerAccess: "read" },
  ],
};

const requests: EntityDefinitionInput = {
  slug: "requests",
  name: "Support requests",
  entriesPerReference: "many",
  customerCanCreate: true,
  customerEntryQuota: 3,
  fields: [
    { key: "subject", label: "Subject", type: "text", required: true, customerAccess: "write" },
    { key: "priority", label: "Priority", type: "number", required: true, customerAccess: "read" },
    { key: "note", label: "Note", type: "text", customerAccess: "write" },
  ],
};

const notes: EntityDefinitionInput = {
  slug: "notes",
  name: "Notes",
  entriesPerReference: "many",
  customerCanCreate: true,
  fields: [{ key: "text", label: "Text", type: "text", required: true, customerAccess: "write" }],
};

/** Field keys that are also names on Object.prototype. */
const prototypeKeys: EntityDefinitionInput = {
  slug: "prototype-keys",
  name: "Prototype keys",
  entriesPerReference: "many",
  customerCanCreate: true,
  fields: [
    {
      key: "constructor",
      label: "Constructor",
      type: "text",
      required: true,
      customerAccess: "write",
    },
    { key: "to_string", label: "To string", type: "text", customerAccess: "write" },
  ],
};

const proxy = useTestProxy({
  name: "customer entries",
  entities: [closedDeals, requests, notes, prototypeKeys],
});

const create = (token: string, slug: string, values: Record<string, unknown>) =>
  proxy.call("POST", `/v1/entries/${slug}`, { token, body: { values } });

async function customerOf(subject: string): Promise<string> {
  const customer = await proxy.adapter.resolveCustomer({
    issuer: proxy.config.session.issuer,
    subject,
  });
  return customer.id;
}

describe("creating entries as a customer", () => {
  test("is refused unless the entity allows it (customerCanCreate defaults to false)", async () => {
    const stored = await proxy.adapter.entities.get("closed-deals");
    expect(stored.customerCanCreate).toBe(false);
    const token = await hsToken(newSubject("create-closed"));
    for (const values of [{}, { note: "x" }]) {
      const response = await create(token, "closed-deals", values);
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toMatchObject({ code: "entry_not_creatable" });
    }
    const batch = await proxy.call("POST", "/v1/batch", {
      token,
      body: { calls: [{ op: "createCrmEntry", args: { slug: "closed-deals", values: {} } }] },
    });
    const [result] = ((await batch.json()) as { results: BatchResult[] }).results;
    expect(result).toMatchObject({ ok: false, error: { code: "entry_not_creatable" } });
    const list = await proxy.call("GET", "/v1/entries/closed-deals", { token });
    expect(((await list.json()) as { entries: CrmEntry[] }).entries).toEqual([]);
  });

  test("requires every required field, also one only staff may write", async () => {
    const token = await hsToken(newSubject("create-required"));
    const missing = await create(token, "requests", {});
    expect(missing.status).toBe(400);
    expect(await errorOf(missing)).toMatchObject({ code: "invalid_value", field: "subject" });
    // `priority` is required and read-only for customers: they cannot create such an entry.
    const staffOnly = await create(token, "requests", { subject: "Help" });
    expect(staffOnly.status).toBe(400);
    expect(await errorOf(staffOnly)).toMatchObject({ code: "invalid_value", field: "priority" });
    const backend = await proxy.adapter
      .createCrmEntry({
        slug: "requests",
        referenceId: await customerOf(newSubject("create-required-backend")),
        values: { subject: "Help" },
      })
      .then(
        () => "created",
        (error: { code?: string; field?: string }) => `${error.code} ${error.field}`,
      );
    expect(backend).toBe("invalid_value priority");
  });

  test("a required field keyed constructor must really be given (own properties only)", async () => {
    const token = await hsToken(newSubject("create-constructor"));
    const missing = await create(token, "prototype-keys", {});
    expect(missing.status).toBe(400);
    expect(await errorOf(missing)).toMatchObject({ code: "invalid_value", field: "constructor" });
    const given = await create(token, "prototype-keys", { constructor: "given" });
    expect(given.status).toBe(201);
    const { entry } = (await given.json()) as { entry: CrmEntry };
    expect(entry.values).toEqual({ constructor: "given" });
  });

  test("stops at the entity's quota per reference with entry_quota_exceeded; other customers are not affected", async () => {
    const subject = newSubject("create-quota");
    const referenceId = await customerOf(subject);
    const token = await hsToken(subject);
    // Staff create one for them, the customer the rest of the quota.
    await proxy.adapter.createCrmEntry({
      slug: "requests",
      referenceId,
      values: { subject: "From staff", priority: 1 },
    });
    await proxy.adapter.entities.update("requests", {
      ...requests,
      fields: requests.fields?.map((field) =>
        field.key === "priority" ? { ...field, required: false } : field,
      ),
    });
    for (let i = 0; i < 2; i++) {
      expect((await create(token, "requests", { subject: `Mine ${i}` })).status).toBe(201);
    }
    const over = await create(token, "requests", { subject: "One too many" });
    expect(over.status).toBe(409);
    expect(await errorOf(over)).toMatchObject({ code: "entry_quota_exceeded" });
    expect((await errorOf(await create(token, "requests", { subject: "Again" }))).code).toBe(
      "entry_quota_exceeded",
    );

    const other = await hsToken(newSubject("create-quota-other"));
    expect((await create(other, "requests", { subject: "Theirs" })).status).toBe(201);
    // Staff are not bound by the customers' quota.
    await expect(
      proxy.adapter.createCrmEntry({ slug: "requests", referenceId, values: { subject: "Staff" } }),
    ).resolves.toMatchObject({ slug: "requests" });
  });
});

describe("a customer's entry list", () => {
  test("is paged newest first: 105 entries come back as 100 + 5, none lost, none twice", async () => {
    const subject = newSubject("pages");
    const referenceId = await customerOf(subject);
    const created: string[] = [];
    for (let batch = 0; batch < 7; batch++) {
      const entries = await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          proxy.adapter.createCrmEntry({
            slug: "notes",
            referenceId,
            values: { text: `note ${batch * 15 + i}` },
          }),
        ),
      );
      created.push(...entries.map((entry) => entry.id));
    }
    const token = await hsToken(subject);
    const page = async (query: string) => {
      const response = await proxy.call("GET", `/v1/entries/notes${query}`, { token });
      expect(response.status, await response.clone().text()).toBe(200);
      return ((await response.json()) as { entries: CrmEntry[] }).entries;
    };
    const first = await page("");
    expect(first).toHaveLength(100);
    const second = await page("?offset=100");
    expect(second).toHaveLength(5);
    const all = [...first, ...second];
    expect(new Set(all.map((entry) => entry.id))).toEqual(new Set(created));
    const times = all.map((entry) => entry.createdAt);
    expect(times).toEqual([...times].sort().reverse());

    const small = await page("?limit=10&offset=20");
    expect(small.map((entry) => entry.id)).toEqual(all.slice(20, 30).map((entry) => entry.id));
    const batch = await proxy.call("POST", "/v1/batch", {
      token,
      body: { calls: [{ op: "getCrmEntries", args: { slug: "notes", limit: 10, offset: 20 } }] },
    });
    const [result] = ((await batch.json()) as { results: BatchResult[] }).results;
    expect(result?.ok && (result.data as CrmEntry[]).map((entry) => entry.id)).toEqual(
      small.map((entry) => entry.id),
    );
    for (const query of ["?limit=101", "?limit=0", "?offset=-1", "?limit=abc"]) {
      const response = await proxy.call("GET", `/v1/entries/notes${query}`, { token });
      expect(response.status, query).toBe(400);
    }
  });
});
