import { describe, expect, test } from "vitest";
import type { CrmAdapter } from "../../../proxy/src/adapter/types.ts";
import { historyDealsEntity, historyTrackerEntity } from "../../support/entities.ts";
import { failure, newCustomer, storedHistory, useAdapterFixture } from "./fixtures.ts";

const crm = useAdapterFixture("adapter history", [historyTrackerEntity, historyDealsEntity]);

/**
 * An adapter whose clock starts at `start` and moves one day per change.
 * With `refresh: false` its writes do not wait for searches to see them (the
 * test refreshes once before reading), which saves a refresh interval each.
 */
function dailyAdapter(start: string, refresh: false | "wait_for" = "wait_for"): CrmAdapter {
  let day = 0;
  const base = Date.parse(start);
  return crm.newAdapter({ refresh, now: () => new Date(base + day++ * 86_400_000) });
}

/**
 * Writes of one-entry entities do not wait for searches to see their records
 * (the page that saved shows its own answer); a read in a test right after
 * them refreshes first, as the index's refresh interval would a moment later.
 */
async function searchable(): Promise<void> {
  await crm.client.indices.refresh({ index: crm.indices.history });
}

describe.concurrent("what is recorded", () => {
  test("each change of a history field is a record with its value in the sub-field of its type", async () => {
    const id = await newCustomer(crm.adapter, "typed");
    const me = crm.adapter.forCustomer(id);
    await me.setCrmField({ slug: "tracker", fieldKey: "weight", value: 81.4 });
    await me.setCrmField({ slug: "tracker", fieldKey: "mood", value: "great" });
    await me.setCrmField({ slug: "tracker", fieldKey: "exercised", value: false });
    await me.setCrmField({ slug: "tracker", fieldKey: "checked_on", value: "2026-03-02" });
    await me.setCrmField({ slug: "tracker", fieldKey: "motto", value: "Step by step" });
    await me.setCrmField({ slug: "tracker", fieldKey: "weight", value: null });

    const records = await storedHistory(crm, id);
    expect(records.map((r) => [r.key, r.value_type, r.value])).toEqual([
      ["weight", "number", { number: 81.4 }],
      ["mood", "select", { keyword: "great" }],
      ["exercised", "boolean", { boolean: false }],
      ["checked_on", "date", { date: "2026-03-02" }],
      ["motto", "text", { keyword: "Step by step" }],
      // Emptying a field is a change too: the record holds no value.
      ["weight", "number", {}],
    ]);
    for (const record of records) {
      expect(record).toMatchObject({
        slug: "tracker",
        kind: "field",
        reference_type: "customer",
        reference_id: id,
        actor_type: "customer",
        actor_id: id,
      });
    }
  });

  test("numbers and dates range and aggregate in the history index, which flattened values cannot", async () => {
    const id = await newCustomer(crm.adapter, "aggregate");
    const me = dailyAdapter("2026-01-05T08:00:00Z", false).forCustomer(id);
    for (const weight of [84, 83.5, 82, 81.5]) {
      await me.setCrmField({ slug: "tracker", fieldKey: "weight", value: weight });
    }
    await crm.client.indices.refresh({ index: crm.indices.history });
    const result = await crm.client.search({
      index: crm.indices.history,
      size: 0,
      query: {
        bool: {
          filter: [
            { term: { reference_id: id } },
            { range: { "value.number": { lt: 83.6 } } },
            { range: { at: { gte: "2026-01-06" } } },
          ],
        },
      },
      aggs: {
        lowest: { min: { field: "value.number" } },
        mean: { avg: { field: "value.number" } },
      },
    });
    const aggregations = result.aggregations as Record<string, { value: number }>;
    expect(aggregations.lowest?.value).toBe(81.5);
    expect(aggregations.mean?.value).toBeCloseTo((83.5 + 82 + 81.5) / 3);
  });

  test("fields without history keep no records", async () => {
    const id = await newCustomer(crm.adapter, "no-history");
    const me = crm.adapter.forCustomer(id);
    await me.setCrmField({ slug: "tracker", fieldKey: "notes", value: "Felt good" });
    await crm.adapter.setCrmField({
      slug: "tracker",
      fieldKey: "goal",
      value: 75,
      referenceId: id,
    });
    expect(await storedHistory(crm, id)).toEqual([]);
    expect((await me.getCrmFieldHistory({ slug: "tracker", fieldKey: "notes" })).points).toEqual(
      [],
    );
  });

  test("every stage move is recorded, with who moved it; a move to the current stage is none", async () => {
    const id = await newCustomer(crm.adapter, "stages");
    const backend = dailyAdapter("2026-02-01T09:00:00Z");
    for (const stage of ["starting", "in_progress", "in_progress", "goal_reached"]) {
      await backend.setCrmStage({ slug: "tracker", pipeline: "progress", stage, referenceId: id });
    }
    await searchable();
    const history = await crm.adapter.getCrmStageHistory({
      slug: "tracker",
      pipeline: "progress",
      referenceId: id,
      order: "asc",
    });
    expect(history.moves.map((move) => [move.stage, move.at])).toEqual([
      ["starting", "2026-02-01T09:00:00.000Z"],
      ["in_progress", "2026-02-02T09:00:00.000Z"],
      // The clock moves only when something changes.
      ["goal_reached", "2026-02-03T09:00:00.000Z"],
    ]);
    expect(history.moves[0]?.by).toEqual({ type: "backend", id: null });
    expect(history.next).toBeNull();
  });

  test("entries created with values record their history fields, and so do later changes and moves", async () => {
    const id = await newCustomer(crm.adapter, "deals");
    const me = crm.adapter.forCustomer(id);
    const first = await me.createCrmEntry({ slug: "deals", values: { title: "A", amount: 100 } });
    const second = await me.createCrmEntry({ slug: "deals", values: { title: "B" } });
    await me.setCrmField({ slug: "deals", fieldKey: "amount", value: 250, entryId: second.id });
    await me.setCrmStage({ slug: "deals", pipeline: "sales", stage: "won", entryId: first.id });

    const all = await me.getCrmFieldHistory({ slug: "deals", fieldKey: "amount", order: "asc" });
    expect(all.points.map((p) => [p.entryId, p.value])).toEqual([
      [first.id, 100],
      [second.id, 250],
    ]);
    const one = await me.getCrmFieldHistory({
      slug: "deals",
      fieldKey: "amount",
      entryId: first.id,
    });
    expect(one.points.map((p) => p.value)).toEqual([100]);
    const moves = await me.getCrmStageHistory({ slug: "deals", pipeline: "sales" });
    expect(moves.moves.map((m) => [m.entryId, m.stage])).toEqual([[first.id, "won"]]);
  });

  test("refused changes leave no record", async () => {
    const id = await newCustomer(crm.adapter, "refused");
    const me = crm.adapter.forCustomer(id);
    await me.setCrmField({ slug: "tracker", fieldKey: "weight", value: 80 });
    const refusals = await Promise.all([
      failure(me.setCrmField({ slug: "tracker", fieldKey: "weight", value: "heavy" })),
      failure(me.setCrmField({ slug: "tracker", fieldKey: "mood", value: "sad" })),
      failure(me.setCrmField({ slug: "tracker", fieldKey: "coach_score", value: 3 })),
      failure(me.setCrmStage({ slug: "tracker", pipeline: "review", stage: "done" })),
      failure(
        crm.adapter.setCrmStage({
          slug: "tracker",
          pipeline: "progress",
          stage: "nowhere",
          referenceId: id,
        }),
      ),
      failure(
        me.setCrmField({
          slug: "deals",
          fieldKey: "amount",
          value: 5,
          entryId: `${(await me.createCrmEntry({ slug: "deals", values: { title: "C" } })).id.split(".")[0]}.missing`,
        }),
      ),
    ]);
    expect(refusals.map((error) => error.code)).toEqual([
      "invalid_value",
      "invalid_value",
      "field_not_found",
      "stage_not_movable",
      "stage_not_found",
      "entry_not_found",
    ]);
    expect((await storedHistory(crm, id)).map((r) => [r.key, r.value])).toEqual([
      ["weight", { number: 80 }],
    ]);
  });

  test("a record sent twice is stored once (its id is derived from the record)", async () => {
    const id = await newCustomer(crm.adapter, "twice");
    const clock = () => new Date("2026-03-01T10:00:00Z");
    const a = crm.newAdapter({ now: clock });
    const b = crm.newAdapter({ now: clock });
    // Two proxies applying the very same change at the same instant: one record.
    await a.setCrmField({ slug: "tracker", fieldKey: "weight", value: 79.9, referenceId: id });
    await b.setCrmField({ slug: "tracker", fieldKey: "weight", value: 79.9, referenceId: id });
    expect(await storedHistory(crm, id)).toHaveLength(1);
  });
});

// Not concurrent: the request counter sees every request of the file.
describe("Elasticsearch requests", () => {
  test("a write of a history field costs one Elasticsearch request (a _bulk), of another field one (an update)", async () => {
    const id = await newCustomer(crm.adapter, "requests");
    const me = crm.adapter.forCustomer(id);
    const write = (fieldKey: string, value: string | number) =>
      crm.requestsDuring(() => me.setCrmField({ slug: "tracker", fieldKey, value }));
    await me.setCrmField({ slug: "tracker", fieldKey: "notes", value: "warm-up" });
    expect(await write("notes", "x")).toBe(1);
    expect(await write("weight", 80)).toBe(1);
    expect(
      await crm.requestsDuring(() =>
        me.getCrmFieldHistory({ slug: "tracker", fieldKey: "weight" }),
      ),
    ).toBe(1);
  });
});

describe.concurrent("reading history", () => {
  test("newest first by default, oldest first on request, paged with next until the end", async () => {
    const id = await newCustomer(crm.adapter, "paging");
    const writer = dailyAdapter("2026-01-01T07:30:00Z", false);
    const weights = Array.from({ length: 25 }, (_, day) => 90 - day * 0.25);
    for (const weight of weights) {
      await writer.setCrmField({
        slug: "tracker",
        fieldKey: "weight",
        value: weight,
        referenceId: id,
      });
    }
    await crm.client.indices.refresh({ index: crm.indices.history });
    const me = crm.adapter.forCustomer(id);

    const newest = await me.getCrmFieldHistory({ slug: "tracker", fieldKey: "weight", limit: 3 });
    expect(newest.points.map((p) => p.value)).toEqual([84, 84.25, 84.5]);
    expect(newest.points[0]?.at).toBe("2026-01-25T07:30:00.000Z");

    const seen: number[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await me.getCrmFieldHistory({
        slug: "tracker",
        fieldKey: "weight",
        order: "asc",
        limit: 10,
        ...(after ? { after } : {}),
      });
      seen.push(...page.points.map((p) => Number(p.value)));
      after = page.next ?? undefined;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(weights);

    const window = await me.getCrmFieldHistory({
      slug: "tracker",
      fieldKey: "weight",
      from: "2026-01-03",
      to: "2026-01-05",
      order: "asc",
    });
    // A date alone as `to` includes that whole day.
    expect(window.points.map((p) => p.at.slice(0, 10))).toEqual([
      "2026-01-03",
      "2026-01-04",
      "2026-01-05",
    ]);
    const precise = await me.getCrmFieldHistory({
      slug: "tracker",
      fieldKey: "weight",
      from: "2026-01-03T07:30:00.001Z",
      to: "2026-01-05T07:30:00Z",
    });
    expect(precise.points.map((p) => p.at.slice(0, 10))).toEqual(["2026-01-05", "2026-01-04"]);
  });

  test("limits and cursors are checked: above the maximum, malformed or unknown arguments are refused", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "bounds"));
    const tooMany = await failure(
      me.getCrmFieldHistory({ slug: "tracker", fieldKey: "weight", limit: 1001 }),
    );
    expect(tooMany).toMatchObject({ code: "invalid_request", field: "limit" });
    const cursor = await failure(
      me.getCrmFieldHistory({ slug: "tracker", fieldKey: "weight", after: '{"query":1}' }),
    );
    expect(cursor).toMatchObject({ code: "invalid_request", field: "after" });
    const unknown = await failure(
      me.getCrmStageHistory({ slug: "tracker", pipeline: "progress", size: 5 } as never),
    );
    expect(unknown.code).toBe("invalid_request");
    const date = await failure(
      me.getCrmFieldHistory({ slug: "tracker", fieldKey: "weight", from: "2026-02-30" }),
    );
    expect(date).toMatchObject({ code: "invalid_request", field: "from" });
  });

  test("customers read only their own history, of fields they may read, and never who made a change", async () => {
    const alice = await newCustomer(crm.adapter, "alice");
    const bob = await newCustomer(crm.adapter, "bob");
    await crm.adapter.setCrmField({
      slug: "tracker",
      fieldKey: "weight",
      value: 70,
      referenceId: bob,
    });
    await crm.adapter.setCrmField({
      slug: "tracker",
      fieldKey: "coach_score",
      value: 4,
      referenceId: alice,
    });
    await crm.adapter
      .forCustomer(alice)
      .setCrmField({ slug: "tracker", fieldKey: "weight", value: 65 });
    const asAlice = crm.adapter.forCustomer(alice);
    await searchable();

    const other = await failure(
      asAlice.getCrmFieldHistory({ slug: "tracker", fieldKey: "weight", referenceId: bob }),
    );
    expect(other.code).toBe("entry_not_found");
    const otherStages = await failure(
      asAlice.getCrmStageHistory({ slug: "tracker", pipeline: "progress", referenceId: bob }),
    );
    expect(otherStages.code).toBe("entry_not_found");
    const bobsEntry = await crm.adapter.getCrmField({
      slug: "tracker",
      fieldKey: "weight",
      referenceId: bob,
    });
    const byEntryId = await failure(
      asAlice.getCrmFieldHistory({
        slug: "tracker",
        fieldKey: "weight",
        entryId: bobsEntry.entryId ?? "",
      }),
    );
    expect(byEntryId.code).toBe("entry_not_found");

    const hidden = await failure(
      asAlice.getCrmFieldHistory({ slug: "tracker", fieldKey: "coach_score" }),
    );
    expect(hidden).toMatchObject({ code: "field_not_found", field: "coach_score" });

    const own = await asAlice.getCrmFieldHistory({ slug: "tracker", fieldKey: "weight" });
    expect(own.points).toHaveLength(1);
    expect(own.points[0]).toEqual({
      at: expect.any(String),
      value: 65,
      entryId: expect.any(String),
    });
    expect(own.points[0]).not.toHaveProperty("by");

    const staff = await crm.adapter.getCrmFieldHistory({
      slug: "tracker",
      fieldKey: "coach_score",
      referenceId: alice,
    });
    expect(staff.points.map((p) => [p.value, p.by])).toEqual([[4, { type: "backend", id: null }]]);
    const staffWeights = await crm.adapter.getCrmFieldHistory({
      slug: "tracker",
      fieldKey: "weight",
      referenceId: alice,
    });
    expect(staffWeights.points[0]?.by).toEqual({ type: "customer", id: alice });
  });

  test("unknown entities, fields and pipelines are refused like their current-value reads", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "unknown"));
    expect((await failure(me.getCrmFieldHistory({ slug: "nope", fieldKey: "weight" }))).code).toBe(
      "entity_not_found",
    );
    expect((await failure(me.getCrmFieldHistory({ slug: "tracker", fieldKey: "nope" }))).code).toBe(
      "field_not_found",
    );
    expect((await failure(me.getCrmStageHistory({ slug: "tracker", pipeline: "nope" }))).code).toBe(
      "pipeline_not_found",
    );
  });
});
