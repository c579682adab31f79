import { describe, expect, test } from "vitest";
import type { CrmEntry, CrmFieldValue, CrmStageValue, EntityDefinition } from "#domain";
import { dealsEntity, trackerEntity } from "../../support/entities.ts";
import { ADMIN_TOKEN, hsToken, json, newSubject, useJwksProxy } from "./support.ts";

const { proxy, jwks } = useJwksProxy("http routes");

describe("customer routes answer the session customer's own data", () => {
  test("GET /v1/entities/:slug returns the definition without fields hidden from customers", async () => {
    const token = await hsToken(newSubject());
    const entity = await proxy.json<EntityDefinition>("GET", "/v1/entities/tracker", { token });
    expect(entity.slug).toBe("tracker");
    // The shared tracker's fields in their order, but coach_notes (customer access none).
    expect(entity.fields.map((field) => field.key)).toEqual(
      trackerEntity.fields.flatMap((field) => (field.customerAccess === "none" ? [] : [field.key])),
    );
    expect(entity.fields.map((field) => field.key)).not.toContain("coach_notes");
    expect(entity.pipelines.map((pipeline) => pipeline.key)).toEqual(["progress", "review"]);
  });

  test("PUT then GET /v1/entries/:slug/fields/:fieldKey stores and returns the typed value", async () => {
    const token = await hsToken(newSubject());
    const empty = await proxy.json<CrmFieldValue>(
      "GET",
      "/v1/entries/tracker/fields/current_weight",
      { token },
    );
    expect(empty).toEqual({
      slug: "tracker",
      fieldKey: "current_weight",
      value: null,
      entryId: null,
      updatedAt: null,
    });

    const written = await proxy.json<CrmFieldValue>(
      "PUT",
      "/v1/entries/tracker/fields/current_weight",
      {
        token,
        body: { value: 82.5 },
      },
    );
    expect(written).toMatchObject({ slug: "tracker", fieldKey: "current_weight", value: 82.5 });
    expect(written.entryId).toEqual(expect.any(String));

    const read = await proxy.json<CrmFieldValue>(
      "GET",
      "/v1/entries/tracker/fields/current_weight",
      { token },
    );
    expect(read).toEqual(written);
  });

  test("each field type round-trips through PUT and GET with its JSON type", async () => {
    const token = await hsToken(newSubject());
    const values = {
      nickname: "Sam",
      last_checkin: "2026-02-28",
      newsletter: false,
      plan: "premium",
    };
    for (const [key, value] of Object.entries(values)) {
      await proxy.json("PUT", `/v1/entries/tracker/fields/${key}`, { token, body: { value } });
    }
    for (const [key, value] of Object.entries(values)) {
      const read = await proxy.json<CrmFieldValue>("GET", `/v1/entries/tracker/fields/${key}`, {
        token,
      });
      expect(read.value).toStrictEqual(value);
    }
  });

  test("PUT null empties a field", async () => {
    const token = await hsToken(newSubject());
    await proxy.json("PUT", "/v1/entries/tracker/fields/nickname", {
      token,
      body: { value: "Jo" },
    });
    await proxy.json("PUT", "/v1/entries/tracker/fields/nickname", {
      token,
      body: { value: null },
    });
    const read = await proxy.json<CrmFieldValue>("GET", "/v1/entries/tracker/fields/nickname", {
      token,
    });
    expect(read.value).toBeNull();
  });

  test("GET /v1/entries/:slug lists the customer's entry with readable values only", async () => {
    const subject = newSubject();
    const token = await hsToken(subject);
    const none = await proxy.json<{ entries: CrmEntry[] }>("GET", "/v1/entries/tracker", { token });
    expect(none.entries).toEqual([]);

    await proxy.json("PUT", "/v1/entries/tracker/fields/nickname", {
      token,
      body: { value: "Ana" },
    });
    const { entries } = await proxy.json<{ entries: CrmEntry[] }>("GET", "/v1/entries/tracker", {
      token,
    });
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry?.values).toEqual({ nickname: "Ana" });
    expect(entry?.reference.type).toBe("customer");
    // The backend may fill a field customers cannot see; the customer's read leaves it out.
    await proxy.adapter.setCrmField({
      slug: "tracker",
      fieldKey: "coach_notes",
      value: "private",
      referenceId: entry?.reference.id as string,
    });
    const again = await proxy.json<{ entries: CrmEntry[] }>("GET", "/v1/entries/tracker", {
      token,
    });
    expect(again.entries[0]?.values).toEqual({ nickname: "Ana" });
  });

  test("PUT then GET /v1/entries/:slug/stages/:pipeline moves the entry and records when", async () => {
    const token = await hsToken(newSubject());
    const before = await proxy.json<CrmStageValue>("GET", "/v1/entries/tracker/stages/progress", {
      token,
    });
    expect(before).toEqual({
      slug: "tracker",
      pipeline: "progress",
      position: null,
      entryId: null,
    });

    const moved = await proxy.json<CrmStageValue>("PUT", "/v1/entries/tracker/stages/progress", {
      token,
      body: { stage: "in_progress" },
    });
    expect(moved.position?.stage).toBe("in_progress");
    expect(Number.isNaN(Date.parse(moved.position?.enteredAt ?? ""))).toBe(false);

    const after = await proxy.json<CrmStageValue>("GET", "/v1/entries/tracker/stages/progress", {
      token,
    });
    expect(after).toEqual(moved);
  });

  test("POST /v1/entries/:slug creates entries of a many-entries entity, addressed by entryId", async () => {
    const token = await hsToken(newSubject());
    const first = await proxy.json<{ entry: CrmEntry }>("POST", "/v1/entries/deals", {
      token,
      body: { values: { title: "Gym plan", amount: 120 } },
      status: 201,
    });
    expect(first.entry.values).toEqual({ title: "Gym plan", amount: 120 });
    const second = await proxy.json<{ entry: CrmEntry }>("POST", "/v1/entries/deals", {
      token,
      body: { values: { title: "Shoes" } },
      status: 201,
    });
    expect(second.entry.id).not.toBe(first.entry.id);

    const query = `entryId=${encodeURIComponent(second.entry.id)}`;
    await proxy.json("PUT", "/v1/entries/deals/fields/amount", {
      token,
      body: { value: 80, entryId: second.entry.id },
    });
    const amount = await proxy.json<CrmFieldValue>(
      "GET",
      `/v1/entries/deals/fields/amount?${query}`,
      { token },
    );
    expect(amount).toMatchObject({ value: 80, entryId: second.entry.id });

    const stage = await proxy.json<CrmStageValue>("PUT", "/v1/entries/deals/stages/sales", {
      token,
      body: { stage: "won", entryId: second.entry.id },
    });
    expect(stage.position?.stage).toBe("won");
    const stageRead = await proxy.json<CrmStageValue>(
      "GET",
      `/v1/entries/deals/stages/sales?${query}`,
      { token },
    );
    expect(stageRead.position?.stage).toBe("won");

    const { entries } = await proxy.json<{ entries: CrmEntry[] }>("GET", "/v1/entries/deals", {
      token,
    });
    // Newest first.
    expect(entries.map((entry) => entry.values)).toEqual([
      { title: "Shoes", amount: 80 },
      { title: "Gym plan", amount: 120 },
    ]);
  });

  test("POST /v1/batch answers every operation in call order", async () => {
    const token = await hsToken(newSubject());
    const body = {
      calls: [
        { op: "getCrmEntity", args: { slug: "tracker" } },
        { op: "setCrmField", args: { slug: "tracker", fieldKey: "nickname", value: "Batch" } },
        { op: "setCrmStage", args: { slug: "tracker", pipeline: "progress", stage: "starting" } },
        { op: "getCrmField", args: { slug: "tracker", fieldKey: "goal_weight" } },
        { op: "getCrmStage", args: { slug: "tracker", pipeline: "review" } },
        { op: "getCrmEntries", args: { slug: "deals" } },
      ],
    };
    const { results } = await proxy.json<{ results: { ok: boolean; data?: unknown }[] }>(
      "POST",
      "/v1/batch",
      { token, body },
    );
    expect(results.map((result) => result.ok)).toEqual([true, true, true, true, true, true]);
    expect(results[0]?.data).toMatchObject({ slug: "tracker" });
    expect(results[1]?.data).toMatchObject({ fieldKey: "nickname", value: "Batch" });
    expect(results[2]?.data).toMatchObject({
      pipeline: "progress",
      position: { stage: "starting" },
    });
    expect(results[3]?.data).toMatchObject({ fieldKey: "goal_weight", value: null });
    expect(results[4]?.data).toMatchObject({ pipeline: "review", position: null });
    expect(results[5]?.data).toEqual([]);
  });

  test("POST /v1/batch runs every operation of the table, createCrmEntry included, and a read after it sees the new entry", async () => {
    const token = await hsToken(newSubject());
    const body = {
      calls: [
        { op: "createCrmEntry", args: { slug: "deals", values: { title: "From a batch" } } },
        { op: "getCrmEntries", args: { slug: "deals" } },
      ],
    };
    const { results } = await proxy.json<{ results: { ok: boolean; data?: unknown }[] }>(
      "POST",
      "/v1/batch",
      { token, body },
    );
    expect(results[0]).toMatchObject({ ok: true, data: { values: { title: "From a batch" } } });
    expect(results[1]).toMatchObject({ ok: true, data: [{ values: { title: "From a batch" } }] });
  });

  test("a session signed with an RS256 key from the JWKS URL is accepted", async () => {
    const token = await jwks.rsToken(newSubject("rs"));
    const entity = await proxy.json<EntityDefinition>("GET", "/v1/entities/deals", { token });
    expect(entity.slug).toBe("deals");
    expect(jwks.fetches()).toBeGreaterThan(0);
  });

  test("the same subject resolves to the same customer on every request", async () => {
    const subject = newSubject();
    await proxy.json("PUT", "/v1/entries/tracker/fields/nickname", {
      token: await hsToken(subject),
      body: { value: "A" },
    });
    const { entries } = await proxy.json<{ entries: CrmEntry[] }>("GET", "/v1/entries/tracker", {
      token: await hsToken(subject),
    });
    expect(entries[0]?.values.nickname).toBe("A");
  });
});

describe("read your writes across routes", () => {
  test("a field PUT is returned by the next GET entries and the next batch getCrmField", async () => {
    const token = await hsToken(newSubject());
    await proxy.json("PUT", "/v1/entries/tracker/fields/current_weight", {
      token,
      body: { value: 77 },
    });
    const { entries } = await proxy.json<{ entries: CrmEntry[] }>("GET", "/v1/entries/tracker", {
      token,
    });
    expect(entries[0]?.values.current_weight).toBe(77);
    const { results } = await proxy.json<{ results: { ok: boolean; data: CrmFieldValue }[] }>(
      "POST",
      "/v1/batch",
      {
        token,
        body: {
          calls: [{ op: "getCrmField", args: { slug: "tracker", fieldKey: "current_weight" } }],
        },
      },
    );
    expect(results[0]?.data.value).toBe(77);
  });

  test("a batch setCrmField is returned by the next GET field and by a search of many entries", async () => {
    const token = await hsToken(newSubject());
    const { entry } = await proxy.json<{ entry: CrmEntry }>("POST", "/v1/entries/deals", {
      token,
      body: { values: { title: "Before" } },
      status: 201,
    });
    await proxy.json("POST", "/v1/batch", {
      token,
      body: {
        calls: [
          {
            op: "setCrmField",
            args: { slug: "deals", fieldKey: "title", value: "After", entryId: entry.id },
          },
          { op: "setCrmField", args: { slug: "tracker", fieldKey: "nickname", value: "Kim" } },
        ],
      },
    });
    const nickname = await proxy.json<CrmFieldValue>("GET", "/v1/entries/tracker/fields/nickname", {
      token,
    });
    expect(nickname.value).toBe("Kim");
    const { entries } = await proxy.json<{ entries: CrmEntry[] }>("GET", "/v1/entries/deals", {
      token,
    });
    expect(entries.map((e) => e.values.title)).toEqual(["After"]);
  });

  test("a read after a write in the same batch sees that write, every time", async () => {
    for (let round = 0; round < 10; round++) {
      const token = await hsToken(newSubject());
      const { results } = await proxy.json<{ results: { ok: boolean; data: CrmFieldValue }[] }>(
        "POST",
        "/v1/batch",
        {
          token,
          body: {
            calls: [
              { op: "getCrmField", args: { slug: "tracker", fieldKey: "nickname" } },
              { op: "setCrmField", args: { slug: "tracker", fieldKey: "nickname", value: "v1" } },
              { op: "setCrmField", args: { slug: "tracker", fieldKey: "plan", value: "basic" } },
              { op: "getCrmField", args: { slug: "tracker", fieldKey: "nickname" } },
              { op: "getCrmField", args: { slug: "tracker", fieldKey: "plan" } },
            ],
          },
        },
      );
      expect(results.map((result) => result.data.value)).toEqual([
        null,
        "v1",
        "basic",
        "v1",
        "basic",
      ]);
    }
  });
});

describe("admin routes", () => {
  const admin = { token: ADMIN_TOKEN };

  test("POST, GET and PUT /v1/admin/entities manage definitions", async () => {
    const definition = {
      slug: "visits",
      name: "Visits",
      fields: [{ key: "count", label: "Count", type: "number" }],
    };
    const created = await proxy.json<EntityDefinition>("POST", "/v1/admin/entities", {
      ...admin,
      body: definition,
      status: 201,
    });
    expect(created).toMatchObject({ slug: "visits", entriesPerReference: "one" });
    expect(created.fields[0]).toMatchObject({
      key: "count",
      customerAccess: "none",
      required: false,
    });

    const { entities } = await proxy.json<{ entities: EntityDefinition[] }>(
      "GET",
      "/v1/admin/entities",
      admin,
    );
    expect(entities.map((entity) => entity.slug).sort()).toEqual(["deals", "tracker", "visits"]);

    const updated = await proxy.json<EntityDefinition>("PUT", "/v1/admin/entities/visits", {
      ...admin,
      body: { ...definition, name: "Store visits" },
    });
    expect(updated.name).toBe("Store visits");
    const read = await proxy.json<EntityDefinition>("GET", "/v1/admin/entities/visits", admin);
    expect(read.name).toBe("Store visits");
  });

  test("GET /v1/admin/entities/:slug includes fields hidden from customers", async () => {
    const entity = await proxy.json<EntityDefinition>("GET", "/v1/admin/entities/tracker", admin);
    expect(entity.fields.map((field) => field.key)).toContain("coach_notes");
    expect(entity.fields).toHaveLength(trackerEntity.fields?.length ?? 0);
  });

  test("GET /v1/admin/customers/:id/entries returns the customer, every entry across entities and their definitions", async () => {
    const token = await hsToken(newSubject("crm-tab"));
    await proxy.json("PUT", "/v1/entries/tracker/fields/nickname", {
      token,
      body: { value: "Tab" },
    });
    const { entry } = await proxy.json<{ entry: CrmEntry }>("POST", "/v1/entries/deals", {
      token,
      body: { values: { title: "Deal" } },
      status: 201,
    });
    const customerId = entry.reference.id;
    await proxy.adapter.setCrmField({
      slug: "tracker",
      fieldKey: "coach_notes",
      value: "staff only",
      referenceId: customerId,
    });

    const tab = await proxy.json<{
      customer: { id: string } | null;
      entities: EntityDefinition[];
      entries: CrmEntry[];
    }>("GET", `/v1/admin/customers/${customerId}/entries`, admin);
    expect(tab.customer?.id).toBe(customerId);
    expect(tab.entities.map((entity) => entity.slug).sort()).toEqual(
      [dealsEntity.slug, trackerEntity.slug].sort(),
    );
    expect(tab.entries.map((e) => e.slug).sort()).toEqual(["deals", "tracker"]);
    expect(tab.entries.find((e) => e.slug === "tracker")?.values).toEqual({
      nickname: "Tab",
      coach_notes: "staff only",
    });
  });

  test("GET /v1/admin/customers/:id/entries of an unknown customer is empty with customer null", async () => {
    const tab = await proxy.json<{ customer: unknown; entities: unknown[]; entries: unknown[] }>(
      "GET",
      "/v1/admin/customers/c_nobody/entries",
      admin,
    );
    expect(tab).toEqual({ customer: null, entities: [], entries: [] });
  });
});

describe("service routes", () => {
  test("GET /v1/health answers without credentials", async () => {
    expect(await proxy.json("GET", "/v1/health")).toEqual({ status: "ok" });
  });

  test("GET /v1/openapi.json documents every route with its method", async () => {
    const document = await proxy.json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    }>("GET", "/v1/openapi.json");
    expect(document.openapi).toBe("3.1.0");
    const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        "GET /v1/health",
        "POST /v1/batch",
        "GET /v1/entities/{slug}",
        "GET /v1/entries/{slug}",
        "POST /v1/entries/{slug}",
        "GET /v1/entries/{slug}/fields/{fieldKey}",
        "PUT /v1/entries/{slug}/fields/{fieldKey}",
        "GET /v1/entries/{slug}/stages/{pipeline}",
        "PUT /v1/entries/{slug}/stages/{pipeline}",
        "GET /v1/entries/{slug}/fields/{fieldKey}/history",
        "GET /v1/entries/{slug}/stages/{pipeline}/history",
        "GET /v1/admin/entities",
        "POST /v1/admin/entities",
        "GET /v1/admin/entities/{slug}",
        "PUT /v1/admin/entities/{slug}",
        "GET /v1/admin/customers/{customerId}/entries",
        "POST /v1/staff/batch",
        "GET /v1/staff/customers",
        "GET /v1/staff/customers/{customerId}/entries",
        "GET /v1/staff/customers/{customerId}/export",
        "DELETE /v1/staff/customers/{customerId}",
        "GET /v1/staff/entities",
        "GET /v1/staff/entities/{slug}",
        "POST /v1/staff/entities",
        "PUT /v1/staff/entities/{slug}",
        "DELETE /v1/staff/entities/{slug}",
      ].sort(),
    );
  });

  test("an unknown path answers a JSON 404", async () => {
    const response = await proxy.call("GET", "/v1/nothing-here");
    const body = await json<{ error: { code: string } }>(response, 404);
    expect(body.error.code).toBe("not_found");
  });
});
