/**
 * The failure cases of the history write path, against the real node: writes
 * to one index are blocked with `index.blocks.write`, so Elasticsearch itself
 * refuses that half of a change. Not concurrent: a block affects the whole file.
 */
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { CrmError, type EntityDefinitionInput } from "#domain";
import type { HistoryDocument } from "../../../proxy/src/elasticsearch/schema.ts";
import { newCustomer, useAdapterFixture } from "./fixtures.ts";

const crm = useAdapterFixture("adapter history failures");

const tracker = {
  slug: "tracker",
  name: "Tracker",
  fields: [
    { key: "weight", label: "Weight", type: "number", history: true, customerAccess: "write" },
    { key: "notes", label: "Notes", type: "text", customerAccess: "write" },
  ],
  pipelines: [
    {
      key: "progress",
      label: "Progress",
      customerCanMove: true,
      stages: [
        { key: "starting", label: "Starting" },
        { key: "done", label: "Done", status: "won" },
      ],
    },
  ],
} satisfies EntityDefinitionInput;

beforeAll(async () => {
  await crm.adapter.entities.create(tracker);
});

async function blockWrites(index: string, blocked: boolean): Promise<void> {
  await crm.client.indices.putSettings({ index, settings: { "index.blocks.write": blocked } });
}

afterEach(async () => {
  await blockWrites(crm.indices.history, false);
  await blockWrites(crm.indices.entries, false);
});

async function failure(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CrmError)) throw new Error(`Expected a CrmError, got ${String(error)}`);
  return error;
}

async function records(referenceId: string): Promise<HistoryDocument[]> {
  await crm.client.indices.refresh({ index: crm.indices.history });
  const result = await crm.client.search<HistoryDocument>({
    index: crm.indices.history,
    size: 100,
    query: { term: { reference_id: referenceId } },
    sort: [{ at: "asc" }],
  });
  return result.hits.hits.flatMap((hit) => (hit._source ? [hit._source] : []));
}

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
    expect((await records(id)).map((r) => r.value)).toEqual([{ number: 82 }]);

    await blockWrites(crm.indices.history, false);
    // The caller retries what it was told failed: the change is acknowledged and kept once.
    // (The failed stage move did reach the entry, so its retry finds the entry in that stage
    // already: it records the stored move instead of nothing.)
    await me.setCrmField({ slug: "tracker", fieldKey: "weight", value: 81 });
    await me.setCrmStage({ slug: "tracker", pipeline: "progress", stage: "starting" });
    const kept = await records(id);
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
      me.setCrmStage({ slug: "tracker", pipeline: "progress", stage: "done" }),
    );
    expect(stage.code).toBe("unavailable");

    await blockWrites(crm.indices.entries, false);
    expect((await records(id)).map((r) => r.value)).toEqual([{ number: 90 }]);
    expect((await me.getCrmField({ slug: "tracker", fieldKey: "weight" })).value).toBe(90);
  });

  test("a history record whose first answer was lost is not recorded twice when sent again", async () => {
    const id = await newCustomer(crm.adapter, "resent");
    const clock = () => new Date("2026-03-01T10:00:00Z");
    const adapter = crm.newAdapter({ now: clock });
    await adapter.setCrmField({ slug: "tracker", fieldKey: "weight", value: 80, referenceId: id });
    // The same operation applied again (the way a resent request would) at the same instant.
    await adapter.setCrmField({ slug: "tracker", fieldKey: "weight", value: 80, referenceId: id });
    expect(await records(id)).toHaveLength(1);
  });
});
