import { expect } from "@open-wc/testing";
import { MAX_BATCH_CALLS } from "../../proxy/src/domain/browser.ts";
import { type BatchCall, batchQueue } from "../../widget/src/runtime/batch-queue.ts";
import { CrmError } from "../../widget/src/runtime/index.ts";
import type { Call } from "../../widget/src/runtime/read-cache.ts";
import { Transport } from "../../widget/src/runtime/transport.ts";
import { newSession, type TestSession } from "./support.ts";

/** A queue sending to the real proxy, with the batches it sent. */
function queueFor(session: TestSession): { call: Call; batches: BatchCall[][] } {
  const transport = new Transport(() => ({ proxyUrl: session.proxyUrl }));
  transport.token = session.token;
  const batches: BatchCall[][] = [];
  const call = batchQueue((body) => {
    batches.push(body.calls);
    return transport.request("/v1/batch", { method: "POST", body: JSON.stringify(body) });
  });
  return { call, batches };
}

describe("batch queue", () => {
  it("sends the calls of one task as one batch, in order, each settled by its own result", async () => {
    const session = await newSession("queue-one-task");
    const { call, batches } = queueFor(session);
    const [entity, hidden, stage] = await Promise.allSettled([
      call("getCrmEntity", { slug: "tracker" }),
      call("getCrmField", { slug: "tracker", fieldKey: "coach_notes" }),
      call("getCrmStage", { slug: "tracker", pipeline: "progress" }),
    ]);
    expect(batches.map((calls) => calls.map((call) => call.op))).to.deep.equal([
      ["getCrmEntity", "getCrmField", "getCrmStage"],
    ]);
    expect(entity.status === "fulfilled" && entity.value.slug).to.equal("tracker");
    expect(hidden.status === "rejected" && hidden.reason).to.be.instanceOf(CrmError);
    expect(hidden.status === "rejected" && hidden.reason.code).to.equal("field_not_found");
    expect(stage.status === "fulfilled" && stage.value.position).to.equal(null);
  });

  it("sends calls made in a later task in a batch of their own", async () => {
    const session = await newSession("queue-tasks");
    const { call, batches } = queueFor(session);
    const first = call("getCrmEntity", { slug: "tracker" });
    await new Promise((resolve) => setTimeout(resolve));
    await Promise.all([first, call("getCrmEntity", { slug: "deals" })]);
    expect(batches.map((calls) => calls.length)).to.deep.equal([1, 1]);
  });

  it(`splits the calls of one task into batches of at most ${MAX_BATCH_CALLS}`, async () => {
    const session = await newSession("queue-split");
    const { call, batches } = queueFor(session);
    const count = MAX_BATCH_CALLS + 3;
    const results = await Promise.all(
      Array.from({ length: count }, () => call("getCrmEntity", { slug: "tracker" })),
    );
    expect(batches.map((calls) => calls.length)).to.deep.equal([MAX_BATCH_CALLS, 3]);
    expect(results.every((entity) => entity.slug === "tracker")).to.equal(true);
  });

  it("rejects every call of a batch that could not be sent with the transport's error", async () => {
    const unreachable = new CrmError("unavailable", "The CRM service cannot be reached");
    const call = batchQueue(() => Promise.reject(unreachable));
    const outcomes = await Promise.allSettled([
      call("getCrmEntity", { slug: "tracker" }),
      call("setCrmField", { slug: "tracker", fieldKey: "notes", value: "x" }),
    ]);
    expect(
      outcomes.map((outcome) => outcome.status === "rejected" && outcome.reason),
    ).to.deep.equal([unreachable, unreachable]);
  });

  it("rejects a call the answer holds no result for as internal, not as a success", async () => {
    const call = batchQueue(async () => ({ results: [] }));
    const error = await call("getCrmEntity", { slug: "tracker" }).catch(
      (reason: unknown) => reason,
    );
    expect(error).to.be.instanceOf(CrmError);
    expect((error as CrmError).code).to.equal("internal");
  });
});
