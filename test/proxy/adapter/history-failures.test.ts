/**
 * The failure cases of the history write path, against the real node: writes
 * to one index are blocked with `index.blocks.write`, so Elasticsearch itself
 * refuses that half of a change. Not concurrent: a block affects the whole file.
 */
import { afterEach, describe, expect, test } from "vitest";
import { historyTrackerEntity } from "../../support/entities.ts";
import { failure, newCustomer, storedHistory, useAdapterFixture } from "./fixtures.ts";

const crm = useAdapterFixture("adapter history failures", [historyTrackerEntity]);

async function blockWrites(index: string, blocked: boolean): Promise<void> {
  await crm.client.indices.putSettings({ index, settings: { "index.blocks.write": blocked } });
}

afterEach(async () => {
  await blockWrites(crm.indices.history, false);
  await blockWrites(crm.indices.entries, false);
});

describe("history writes refused by Elasticsearch", () => {
  test("a change whose history cannot be recorded is not acknowledged; its retry is recorded once", async () => {
    const id = await newCustomer(crm.adapter, "history-blocked");
    const me = crm.adapter.forCustomer(id);
    await me.setCrmField({ slug: "tracker", fieldKey: "weight", value: 82 });
    await blockWrites(crm.indices.history, true);

    const field = await failure(me.setCrmField({ slug: "tracker", fieldKey: "weight", value: 81 }));
    expect(field.code).toBe("outcome_unknown");
    const stage = await failure(
      me.setCrmStage({ slug: "tracker", pipeline: "progress", stage: "starting" }),
    );
    expect(stage.code).toBe("outcome_unknown");
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
    const id = await newCustomer(crm.adapter, "entries-blocked");
    const me = crm.adapter.forCustomer(id);
    await me.setCrmField({ slug: "tracker", fieldKey: "weight", value: 90 });
    await blockWrites(crm.indices.entries, true);

    const field = await failure(me.setCrmField({ slug: "tracker", fieldKey: "weight", value: 89 }));
    expect(field.code).toBe("unavailable");
    const stage = await failure(
      me.setCrmStage({ slug: "tracker", pipeline: "progress", stage: "goal_reached" }),
    );
    expect(stage.code).toBe("unavailable");

    await blockWrites(crm.indices.entries, false);
    expect((await storedHistory(crm, id)).map((r) => r.value)).toEqual([{ number: 90 }]);
    expect((await me.getCrmField({ slug: "tracker", fieldKey: "weight" })).value).toBe(90);
  });

  test("a history record whose first answer was lost is not recorded twice when sent again", async () => {
    const id = await newCustomer(crm.adapter, "resent");
    const clock = () => new Date("2026-03-01T10:00:00Z");
    const adapter = crm.newAdapter({ now: clock });
    await adapter.setCrmField({ slug: "tracker", fieldKey: "weight", value: 80, referenceId: id });
    // The same operation applied again (the way a resent request would) at the same instant.
    await adapter.setCrmField({ slug: "tracker", fieldKey: "weight", value: 80, referenceId: id });
    expect(await storedHistory(crm, id)).toHaveLength(1);
  });
});
