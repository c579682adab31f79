/**
 * The read cache on its own: its `call` is answered by each test, so the
 * order of answers is the test's to choose (the same behaviours against the
 * real proxy are in runtime.test.ts).
 */
import { expect } from "@open-wc/testing";
import type { CrmEntry, CrmFieldValue } from "../../proxy/src/domain/entry.ts";
import { CrmError } from "../../widget/src/runtime/index.ts";
import { type Call, ReadCache } from "../../widget/src/runtime/read-cache.ts";

interface PendingCall {
  op: string;
  args: Record<string, unknown>;
  answer(data: unknown): void;
  refuse(error: CrmError): void;
}

/** A cache whose calls wait for the test to answer them, in any order. */
function scriptedCache(): { cache: ReadCache; calls: PendingCall[]; heard: string[] } {
  const calls: PendingCall[] = [];
  const call: Call = (op, args) =>
    new Promise((resolve, reject) => {
      calls.push({
        op,
        args: args as Record<string, unknown>,
        answer: resolve as (data: unknown) => void,
        refuse: reject,
      });
    });
  const cache = new ReadCache(call);
  const heard: string[] = [];
  cache.subscribe((key) => heard.push(key));
  return { cache, calls, heard };
}

const weight = { slug: "tracker", fieldKey: "current_weight" };

function fieldValue(value: number | null, entryId = "entry-1"): CrmFieldValue {
  return { ...weight, value, entryId, updatedAt: null };
}

function entry(id: string, currentWeight: number): CrmEntry {
  return {
    id,
    slug: "tracker",
    reference: { type: "customer", id: "c1" },
    values: { current_weight: currentWeight },
    stages: {},
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
}

const invalid = () => new CrmError("invalid_value", "current_weight: Must be at most 400");

/** Lets the cache's promise chains run. */
const settle = () => new Promise((resolve) => setTimeout(resolve));

describe("read cache", () => {
  it("shares one call among identical reads and answers later ones without a call", async () => {
    const { cache, calls } = scriptedCache();
    const first = cache.read("getCrmField", weight);
    const second = cache.read("getCrmField", { fieldKey: "current_weight", slug: "tracker" });
    expect(calls).to.have.length(1);
    calls[0]!.answer(fieldValue(80));
    expect(await first).to.equal(await second);
    expect((await cache.read("getCrmField", weight)).value).to.equal(80);
    expect(calls).to.have.length(1);
  });

  it("does not cache a failed read: the next read calls again", async () => {
    const { cache, calls } = scriptedCache();
    const failed = cache.read("getCrmField", weight).catch((reason: unknown) => reason);
    calls[0]!.refuse(new CrmError("unavailable", "The CRM service cannot be reached"));
    expect(((await failed) as CrmError).code).to.equal("unavailable");
    void cache.read("getCrmField", weight);
    expect(calls).to.have.length(2);
  });

  it("shows a write at once in the cached read, tells listeners, and keeps the saved answer", async () => {
    const { cache, calls, heard } = scriptedCache();
    const read = cache.read("getCrmField", weight);
    calls[0]!.answer(fieldValue(80));
    await read;
    const write = cache.write("setCrmField", { ...weight, value: 79.5 });
    expect((await cache.read("getCrmField", weight)).value, "at once").to.equal(79.5);
    expect(heard).to.have.length(1);
    calls[1]!.answer({ ...fieldValue(79.5), updatedAt: "2026-03-01T00:00:00.000Z" });
    expect((await write).updatedAt).to.equal("2026-03-01T00:00:00.000Z");
    expect((await cache.read("getCrmField", weight)).updatedAt).to.equal(
      "2026-03-01T00:00:00.000Z",
    );
    expect(calls, "no read after the write").to.have.length(2);
  });

  it("puts the covered value back and rejects when the write is refused", async () => {
    const { cache, calls } = scriptedCache();
    const read = cache.read("getCrmField", weight);
    calls[0]!.answer(fieldValue(80));
    await read;
    const write = cache.write("setCrmField", { ...weight, value: 1000 }).catch((e: unknown) => e);
    calls[1]!.refuse(invalid());
    expect(((await write) as CrmError).code).to.equal("invalid_value");
    expect((await cache.read("getCrmField", weight)).value).to.equal(80);
  });

  it("keeps a later write's value when an earlier write is answered (saved or refused) last", async () => {
    for (const outcome of ["saved", "refused"] as const) {
      const { cache, calls } = scriptedCache();
      const read = cache.read("getCrmField", weight);
      calls[0]!.answer(fieldValue(80));
      await read;
      const earlier = cache.write("setCrmField", { ...weight, value: 60 }).catch(() => undefined);
      const later = cache.write("setCrmField", { ...weight, value: 70 });
      calls[2]!.answer(fieldValue(70));
      await later;
      if (outcome === "saved") calls[1]!.answer(fieldValue(60));
      else calls[1]!.refuse(invalid());
      await earlier;
      expect((await cache.read("getCrmField", weight)).value, outcome).to.equal(70);
    }
  });

  it("rolls a refused write back to the value of an earlier write still on its way", async () => {
    const { cache, calls } = scriptedCache();
    const read = cache.read("getCrmField", weight);
    calls[0]!.answer(fieldValue(80));
    await read;
    const earlier = cache.write("setCrmField", { ...weight, value: 60 });
    const refused = cache.write("setCrmField", { ...weight, value: 1000 }).catch((e: unknown) => e);
    calls[2]!.refuse(invalid());
    await refused;
    expect((await cache.read("getCrmField", weight)).value, "while pending").to.equal(60);
    calls[1]!.answer(fieldValue(60));
    await earlier;
    expect((await cache.read("getCrmField", weight)).value).to.equal(60);
  });

  it("reads again when a write started or ended while a read was on its way", async () => {
    const { cache, calls } = scriptedCache();
    const read = cache.read("getCrmField", weight);
    const write = cache.write("setCrmField", { ...weight, value: 70 });
    calls[1]!.answer(fieldValue(70));
    await write;
    // The read's answer predates the write: the cache asks again instead of keeping 80.
    calls[0]!.answer(fieldValue(80));
    await settle();
    expect(calls.map((call) => call.op)).to.deep.equal([
      "getCrmField",
      "setCrmField",
      "getCrmField",
    ]);
    calls[2]!.answer(fieldValue(70));
    expect((await read).value).to.equal(70);
  });

  it("changes the cached reads of the written entry only", async () => {
    const { cache, calls } = scriptedCache();
    const first = { ...weight, entryId: "entry-1" };
    const second = { ...weight, entryId: "entry-2" };
    const reads = [cache.read("getCrmField", first), cache.read("getCrmField", second)];
    calls[0]!.answer(fieldValue(80, "entry-1"));
    calls[1]!.answer(fieldValue(90, "entry-2"));
    await Promise.all(reads);
    void cache.write("setCrmField", { ...first, value: 70 });
    expect((await cache.read("getCrmField", first)).value).to.equal(70);
    expect((await cache.read("getCrmField", second)).value).to.equal(90);
  });

  it("updates a read without entry id once a write by that entry's id is saved", async () => {
    const { cache, calls } = scriptedCache();
    const read = cache.read("getCrmField", weight);
    calls[0]!.answer(fieldValue(80, "entry-1"));
    await read;
    const write = cache.write("setCrmField", { ...weight, entryId: "entry-1", value: 70 });
    calls[1]!.answer(fieldValue(70, "entry-1"));
    await write;
    expect((await cache.read("getCrmField", weight)).value).to.equal(70);
  });

  it("patches the saved entry inside cached entry lists and drops lists that lack it", async () => {
    const { cache, calls } = scriptedCache();
    const withEntry = cache.read("getCrmEntries", { slug: "tracker" });
    const other = cache.read("getCrmEntries", { slug: "tracker", referenceId: "c2" });
    calls[0]!.answer([entry("entry-1", 80)]);
    calls[1]!.answer([entry("entry-9", 50)]);
    await Promise.all([withEntry, other]);
    const write = cache.write("setCrmField", { ...weight, value: 70 });
    calls[2]!.answer(fieldValue(70, "entry-1"));
    await write;
    const [patched] = await cache.read("getCrmEntries", { slug: "tracker" });
    expect(patched!.values.current_weight).to.equal(70);
    expect(calls, "no read for the patched list").to.have.length(3);
    void cache.read("getCrmEntries", { slug: "tracker", referenceId: "c2" });
    expect(calls, "the list without the entry is read again").to.have.length(4);
  });

  it("forgets everything on reset, tells listeners, and keeps no answer from before it", async () => {
    const { cache, calls, heard } = scriptedCache();
    const before = cache.read("getCrmField", weight);
    cache.reset();
    expect(heard).to.deep.equal(["*"]);
    calls[0]!.answer(fieldValue(80));
    expect((await before).value, "the caller still gets its answer").to.equal(80);
    void cache.read("getCrmField", weight);
    expect(calls, "not cached: read again").to.have.length(2);
  });

  it("adds a saved value to the cached history pages it belongs to at once, without reading again", async () => {
    const { cache, calls } = scriptedCache();
    const point = (at: string, value: number) => ({ at, value, entryId: "entry-1" });
    const history = (points: ReturnType<typeof point>[], next: string | null = null) => ({
      ...weight,
      points,
      next,
    });
    const newest = cache.read("getCrmFieldHistory", { ...weight, order: "desc", limit: 2 });
    const oldest = cache.read("getCrmFieldHistory", { ...weight, order: "asc", limit: 5 });
    const later = cache.read("getCrmFieldHistory", {
      ...weight,
      after: "1.h_0000000000000000000000",
    });
    const bounded = cache.read("getCrmFieldHistory", { ...weight, to: "2026-01-31" });
    calls[0]!.answer(
      history(
        [point("2026-01-08T08:00:00.000Z", 81), point("2026-01-01T08:00:00.000Z", 82)],
        "2.h_0000000000000000000000",
      ),
    );
    calls[1]!.answer(
      history([point("2026-01-01T08:00:00.000Z", 82), point("2026-01-08T08:00:00.000Z", 81)]),
    );
    calls[2]!.answer(history([]));
    calls[3]!.answer(history([point("2026-01-01T08:00:00.000Z", 82)]));
    await Promise.all([newest, oldest, later, bounded]);

    const write = cache.write("setCrmField", { ...weight, value: 80.5 });
    const sent = calls[4]!;
    expect(sent.op).to.equal("setCrmField");
    expect(sent.args.operationId, "each write names itself").to.match(/^\d{1,3}(-\d{1,3}){15}$/);
    sent.answer({
      ...weight,
      value: 80.5,
      entryId: "entry-1",
      updatedAt: "2026-01-15T08:00:00.000Z",
    });
    await write;
    expect(calls, "nothing read again but the bounded page").to.have.length(5);

    const saved = point("2026-01-15T08:00:00.000Z", 80.5);
    const first = await cache.read("getCrmFieldHistory", { ...weight, order: "desc", limit: 2 });
    expect(first.points[0], "newest first: on top of the first page").to.deep.equal(saved);
    expect(first.next, "the page still continues after its last stored point").to.equal(
      "2.h_0000000000000000000000",
    );
    const last = await cache.read("getCrmFieldHistory", { ...weight, order: "asc", limit: 5 });
    expect(last.points.at(-1), "oldest first: at the end of the last page").to.deep.equal(saved);
    const next = await cache.read("getCrmFieldHistory", {
      ...weight,
      after: "1.h_0000000000000000000000",
    });
    expect(next.points, "a later page of newest first holds older points only").to.deep.equal([]);
    void cache.read("getCrmFieldHistory", { ...weight, to: "2026-01-31" });
    expect(calls, "a page with an upper bound is read again").to.have.length(6);
  });

  it("keeps an operationId the caller gives, and gives stage moves none", async () => {
    const { cache, calls } = scriptedCache();
    void cache.write("setCrmField", { ...weight, value: 80, operationId: "mine-12345" });
    void cache.write("setCrmStage", { slug: "tracker", pipeline: "progress", stage: "starting" });
    await settle();
    expect(calls[0]!.args.operationId).to.equal("mine-12345");
    expect(calls[1]!.args).not.to.have.property("operationId");
  });
});
