/**
 * The failure cases of the history write path, against the real node: writes
 * to one index are blocked with `index.blocks.write`, so Elasticsearch itself
 * refuses that half of a change. Not concurrent: a block affects the whole file.
 */
import { afterEach, describe, expect, test } from "vitest";
import { historyDealsEntity, historyTrackerEntity } from "../../support/entities.ts";
import { failure, newCustomer, storedHistory, useAdapterFixture } from "./fixtures.ts";

const crm = useAdapterFixture("adapter history failures", [
  historyTrackerEntity,
  historyDealsEntity,
]);

async function blockWrites(index: string, blocked: boolean): Promise<void> {
  await crm.client.indices.putSettings({ index, settings: { "index.blocks.write": blocked } });
}

/** A new customer whose weight `weight` is stored, and then writes to `blocked` are refused. */
async function weighedCustomer(subject: string, weight: number, blocked: string) {
  const id = await newCustomer(crm.adapter, subject);
  const me = crm.adapter.forCustomer(id);
  await me.setCrmField({ slug: "tracker", fieldKey: "weight", value: weight });
  await blockWrites(blocked, true);
  return { id, me };
}

/** The error codes a weight change and a Progress move of `me` are refused with. */
async function refusals(
  me: ReturnType<typeof crm.adapter.forCustomer>,
  weight: number,
  stage: string,
): Promise<string[]> {
  const field = await failure(
    me.setCrmField({ slug: "tracker", fieldKey: "weight", value: weight }),
  );
  const moved = await failure(me.setCrmStage({ slug: "tracker", pipeline: "progress", stage }));
  return [field.code, moved.code];
}

afterEach(async () => {
  await blockWrites(crm.indices.history, false);
  await blockWrites(crm.indices.entries, false);
});

describe("history writes refused by Elasticsearch", () => {
  test("a change whose history cannot be recorded is not acknowledged; its retry is recorded once", async () => {
    const { id, me } = await weighedCustomer("history-blocked", 82, crm.indices.history);
    expect(await refusals(me, 81, "starting")).toEqual(["outcome_unknown", "outcome_unknown"]);
    // A field without history does not depend on the history index.
    const notes = await me.setCrmField({ slug: "tracker", fieldKey: "notes", value: "still fine" });
    expect(notes.value).toBe("still fine");
    expect((await storedHistory(crm, id)).map((r) => r.value)).toEqual([{ number: 82 }]);

    await blockWrites(crm.indices.history, false);
    // The caller retries what it was told failed: the change is acknowledged and kept once.
    // (The failed stage move did reach the entry, so its retry finds the entry in that stage
    // already: it records the stored move instead of nothing.)
    await me.setCrmField({ slug: "tracker", fieldKey: "weight", value: 81 });
    await me.setCrmStage({ slug: "tracker", pipeline: "progress", stage: "starting" });
    const kept = await storedHistory(crm, id);
    expect(kept.filter((r) => r.kind === "field").map((r) => r.value)).toEqual([
      { number: 82 },
      { number: 81 },
    ]);
    expect(kept.filter((r) => r.kind === "stage").map((r) => r.value)).toEqual([
      { keyword: "starting" },
    ]);
    // Every acknowledged change is in history, and what it shows is the stored value.
    const history = await me.getCrmFieldHistory({ slug: "tracker", fieldKey: "weight" });
    const current = await me.getCrmField({ slug: "tracker", fieldKey: "weight" });
    expect(history.points[0]?.value).toBe(current.value);
  });

  test("a change the entry index refuses leaves no history record", async () => {
    const { id, me } = await weighedCustomer("entries-blocked", 90, crm.indices.entries);
    expect(await refusals(me, 89, "goal_reached")).toEqual(["unavailable", "unavailable"]);

    await blockWrites(crm.indices.entries, false);
    expect((await storedHistory(crm, id)).map((r) => r.value)).toEqual([{ number: 90 }]);
    expect((await me.getCrmField({ slug: "tracker", fieldKey: "weight" })).value).toBe(90);
  });

  test("a change the entry index refuses next to a history record that was stored leaves that record withdrawn", async () => {
    // Entries blocked, history open: in the one _bulk, the history create succeeds and the
    // entry update fails; the record is deleted again before the caller is told.
    const { id, me } = await weighedCustomer("withdrawn", 70, crm.indices.entries);
    const change = { slug: "tracker", fieldKey: "weight", value: 69, operationId: "op-withdrawn" };
    expect((await failure(me.setCrmField(change))).code).toBe("unavailable");
    await blockWrites(crm.indices.entries, false);
    expect((await storedHistory(crm, id)).map((r) => r.value)).toEqual([{ number: 70 }]);
    // Sent again once the store takes writes: applied and recorded, once.
    await me.setCrmField(change);
    expect((await storedHistory(crm, id)).map((r) => r.value)).toEqual([
      { number: 70 },
      { number: 69 },
    ]);
  });
});

describe("resends of one operation (the same operationId)", () => {
  /** An adapter whose clock moves on by a second at each change: a resend arrives later. */
  function ticking() {
    let tick = 0;
    return crm.newAdapter({ now: () => new Date(Date.UTC(2026, 2, 1, 10, 0, tick++)) });
  }

  test("a change sent again after its answer was lost is recorded once, whenever it arrives", async () => {
    const id = await newCustomer(crm.adapter, "resent");
    const proxy = ticking();
    const save = { slug: "tracker", fieldKey: "weight", value: 80, referenceId: id };
    await proxy.setCrmField({ ...save, operationId: "op-resent-1" });
    // The client lost the answer and sends the very same call again, a second later.
    const again = await proxy.setCrmField({ ...save, operationId: "op-resent-1" });
    expect(again.value).toBe(80);
    expect((await storedHistory(crm, id)).map((r) => r.value)).toEqual([{ number: 80 }]);
    // Another save of the same value is another check-in: a record of its own.
    await proxy.setCrmField({ ...save, operationId: "op-resent-2" });
    expect(await storedHistory(crm, id)).toHaveLength(2);
  });

  test("an operationId used again for another value does not hide that change from history", async () => {
    const id = await newCustomer(crm.adapter, "reused");
    const proxy = ticking();
    const save = { slug: "tracker", fieldKey: "weight", referenceId: id, operationId: "op-reused" };
    await proxy.setCrmField({ ...save, value: 75 });
    await proxy.setCrmField({ ...save, value: 74 });
    expect((await storedHistory(crm, id)).map((r) => r.value)).toEqual([
      { number: 75 },
      { number: 74 },
    ]);
    const stored = await crm.adapter.getCrmField({
      slug: "tracker",
      fieldKey: "weight",
      referenceId: id,
    });
    expect(stored.value).toBe(74);
  });

  test("a change whose history write failed, sent again with its operationId, is recorded once", async () => {
    const id = await newCustomer(crm.adapter, "resent-after-block");
    const me = crm.adapter.forCustomer(id);
    await blockWrites(crm.indices.history, true);
    const change = {
      slug: "tracker",
      fieldKey: "weight",
      value: 66,
      operationId: "op-after-block",
    };
    expect((await failure(me.setCrmField(change))).code).toBe("outcome_unknown");
    await blockWrites(crm.indices.history, false);
    for (let resend = 0; resend < 2; resend++) await me.setCrmField(change);
    expect((await storedHistory(crm, id)).map((r) => r.value)).toEqual([{ number: 66 }]);
  });

  test("a new entry created again with its operationId is one entry with its history once", async () => {
    const id = await newCustomer(crm.adapter, "deal-resent");
    const me = ticking().forCustomer(id);
    const create = {
      slug: "deals",
      values: { title: "Renewal", amount: 120 },
      operationId: "op-new-deal",
    };
    await blockWrites(crm.indices.history, true);
    expect((await failure(me.createCrmEntry(create))).code).toBe("outcome_unknown");
    await blockWrites(crm.indices.history, false);
    const first = await me.createCrmEntry(create);
    const second = await me.createCrmEntry(create);
    expect(second.id).toBe(first.id);
    expect(second.createdAt).toBe(first.createdAt);
    expect(await me.getCrmEntries({ slug: "deals" })).toHaveLength(1);
    expect((await storedHistory(crm, id)).map((r) => [r.entry_id, r.value])).toEqual([
      [first.id, { number: 120 }],
    ]);
  });
});
