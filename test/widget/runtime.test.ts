import { expect } from "@open-wc/testing";
import { configFromScript } from "../../widget/src/runtime/index.ts";
import { CrmRuntime } from "../../widget/src/runtime/runtime.ts";
import { dealsEntity } from "../support/entities.ts";
import {
  countBatchRequests,
  freshToken,
  holdNextAnswer,
  newCustomer,
  newSession,
  ownEntity,
  runtimeFor,
  seedEntry,
  trackerCalls,
} from "./support.ts";

/**
 * A new customer's runtime that has read the current weight once, and a hold
 * on its next answer: the races of two writes to that field start here.
 */
async function weightReadThenHeld(name: string) {
  const session = await newSession(name);
  const runtime = runtimeFor(session);
  const weight = { slug: "tracker", fieldKey: "current_weight" };
  await runtime.getCrmField(weight);
  return { session, runtime, weight, held: holdNextAnswer(runtime) };
}

describe("page runtime against the real proxy", () => {
  it("sends the calls of one task as one batch request and shares identical reads", async () => {
    const session = await newCustomer(
      "runtime-batch",
      trackerCalls({ current_weight: 81.5, mood: "great" }),
    );
    const runtime = runtimeFor(session);
    const spy = countBatchRequests(runtime);
    try {
      const [weight, again, mood, entity] = await Promise.all([
        runtime.getCrmField({ slug: "tracker", fieldKey: "current_weight" }),
        runtime.getCrmField({ slug: "tracker", fieldKey: "current_weight" }),
        runtime.getCrmField({ slug: "tracker", fieldKey: "mood" }),
        runtime.getCrmEntity({ slug: "tracker" }),
      ]);
      expect(spy.count).to.equal(1);
      expect((spy.bodies[0] as { calls: unknown[] }).calls).to.have.length(3);
      expect(weight.value).to.equal(81.5);
      expect(again).to.equal(weight);
      expect(mood.value).to.equal("great");
      expect(entity.fields.map((field) => field.key)).not.to.include("coach_notes");
    } finally {
      spy.restore();
    }
  });

  it("answers a read it already holds from its cache without a request", async () => {
    const session = await newSession("runtime-cache");
    const runtime = runtimeFor(session);
    await runtime.getCrmEntity({ slug: "tracker" });
    const spy = countBatchRequests(runtime);
    try {
      await runtime.getCrmEntity({ slug: "tracker" });
      expect(spy.count).to.equal(0);
    } finally {
      spy.restore();
    }
  });

  it("rejects each failing call with its CrmError code while the others succeed", async () => {
    const session = await newSession("runtime-errors");
    const runtime = runtimeFor(session);
    const [unknownField, readOnly, ok] = await Promise.allSettled([
      runtime.getCrmField({ slug: "tracker", fieldKey: "coach_notes" }),
      runtime.setCrmField({ slug: "tracker", fieldKey: "goal_weight", value: 70 }),
      runtime.getCrmStage({ slug: "tracker", pipeline: "progress" }),
    ]);
    expect(unknownField.status === "rejected" && unknownField.reason.code).to.equal(
      "field_not_found",
    );
    expect(readOnly.status === "rejected" && readOnly.reason.code).to.equal("field_not_writable");
    expect(ok.status === "fulfilled" && ok.value.position).to.equal(null);
  });

  it("asks the token provider for a new token once after a 401 and retries the call", async () => {
    const session = await newSession("runtime-401");
    let asked = 0;
    const runtime = new CrmRuntime({
      proxyUrl: session.proxyUrl,
      token: session.expiredToken,
      tokenProvider: async () => {
        asked++;
        return freshToken(session);
      },
    });
    const stage = await runtime.getCrmStage({ slug: "tracker", pipeline: "progress" });
    expect(stage.pipeline).to.equal("progress");
    expect(asked).to.equal(1);
  });

  it("retries a 401 with a token configured meanwhile instead of asking the provider again", async () => {
    const session = await newSession("runtime-401-newer");
    const fresh = await freshToken(session);
    let asked = 0;
    let signedInAgain = false;
    const runtime: CrmRuntime = new CrmRuntime({
      proxyUrl: session.proxyUrl,
      token: session.expiredToken,
      tokenProvider: async () => {
        asked++;
        return freshToken(session);
      },
      // The site signs the visitor in again while the request with the expired token is on its way.
      fetch: (url, init) => {
        const answer = fetch(url, init);
        if (!signedInAgain) runtime.configure({ token: fresh });
        signedInAgain = true;
        return answer;
      },
    });
    const stage = await runtime.getCrmStage({ slug: "tracker", pipeline: "progress" });
    expect(stage.pipeline).to.equal("progress");
    expect(asked).to.equal(0);
  });

  it("gives up with unauthenticated when the fresh token is refused too", async () => {
    const session = await newSession("runtime-401-twice");
    let asked = 0;
    const runtime = new CrmRuntime({
      proxyUrl: session.proxyUrl,
      tokenProvider: () => {
        asked++;
        return session.expiredToken;
      },
    });
    const error = await runtime
      .getCrmEntity({ slug: "tracker" })
      .catch((reason: unknown) => reason);
    expect((error as { code: string }).code).to.equal("unauthenticated");
    expect(asked).to.equal(2);
  });

  it("turns an unreachable proxy into an unavailable CrmError", async () => {
    const runtime = new CrmRuntime({ proxyUrl: "http://127.0.0.1:9", token: "x" });
    const error = await runtime
      .getCrmEntity({ slug: "tracker" })
      .catch((reason: unknown) => reason);
    expect((error as { code: string }).code).to.equal("unavailable");
  });

  it("reads its configuration from the script tag's data attributes, token provider by name", async () => {
    const session = await newSession("runtime-script");
    const script = document.createElement("script");
    script.dataset.proxyUrl = session.proxyUrl;
    script.dataset.locale = "de-DE";
    script.dataset.tokenProvider = "crmTestTokenProvider";
    const global = window as unknown as Record<string, unknown>;
    global.crmTestTokenProvider = () => freshToken(session);
    try {
      const config = configFromScript(script);
      expect(config.proxyUrl).to.equal(session.proxyUrl);
      expect(config.locale).to.equal("de-DE");
      const runtime = new CrmRuntime(config);
      const entity = await runtime.getCrmEntity({ slug: "tracker" });
      expect(entity.name).to.equal("Weight Tracker");
    } finally {
      delete global.crmTestTokenProvider;
    }
  });

  it("tells subscribers about a write and rolls the cached value back when the proxy refuses", async () => {
    const session = await newSession("runtime-rollback");
    const runtime = runtimeFor(session);
    await runtime.getCrmField({ slug: "tracker", fieldKey: "current_weight" });
    const seen: unknown[] = [];
    runtime.subscribe(() => {
      void runtime
        .getCrmField({ slug: "tracker", fieldKey: "current_weight" })
        .then((v) => seen.push(v.value));
    });
    // 1000 passes the wire schema but not the field's max: only the proxy's field check refuses it.
    const error = await runtime
      .setCrmField({ slug: "tracker", fieldKey: "current_weight", value: 1000 })
      .catch((reason: unknown) => reason);
    expect((error as { code: string }).code).to.equal("invalid_value");
    await new Promise((done) => setTimeout(done, 0));
    expect(seen).to.deep.equal([1000, null]);
    expect(
      (await runtime.getCrmField({ slug: "tracker", fieldKey: "current_weight" })).value,
    ).to.equal(null);
  });

  it("moving one entry's stage leaves the stage of the entity's other entries as it was", async () => {
    const session = await newSession("runtime-stage-entries");
    // The shared deals of test/support: many entries per customer, a pipeline customers move.
    const slug = await ownEntity(session, "deals", (slug) => ({ ...dealsEntity, slug }));
    const first = await seedEntry(session, slug, { title: "First" }, { sales: "lead" });
    const second = await seedEntry(session, slug, { title: "Second" }, { sales: "lead" });
    const runtime = runtimeFor(session);
    const read = (entryId: string) => runtime.getCrmStage({ slug, pipeline: "sales", entryId });
    await Promise.all([read(first), read(second)]);
    const moved = runtime.setCrmStage({ slug, pipeline: "sales", stage: "won", entryId: first });
    expect((await read(second)).position?.stage, "while saving").to.equal("lead");
    await moved;
    expect((await read(first)).position?.stage).to.equal("won");
    expect((await read(second)).position?.stage, "after saving").to.equal("lead");
  });

  it("a refused earlier write answered last does not roll back a later saved one", async () => {
    const { runtime, weight, held } = await weightReadThenHeld("runtime-late-refusal");
    // 1000 passes the wire schema but not the field's max: only the proxy refuses it.
    const refused = runtime.setCrmField({ ...weight, value: 1000 }).catch((error) => error);
    await held.sent;
    await runtime.setCrmField({ ...weight, value: 70.5 });
    held.release();
    expect((await refused).code).to.equal("invalid_value");
    expect((await runtime.getCrmField(weight)).value).to.equal(70.5);
  });

  it("an earlier write answered last does not replace a later write's value", async () => {
    const { session, runtime, weight, held } = await weightReadThenHeld("runtime-late-save");
    const earlier = runtime.setCrmField({ ...weight, value: 60.5 });
    await held.sent;
    await runtime.setCrmField({ ...weight, value: 70.5 });
    held.release();
    expect((await earlier).value).to.equal(60.5);
    expect((await runtime.getCrmField(weight)).value).to.equal(70.5);
    expect((await runtimeFor(session).getCrmField(weight)).value, "stored").to.equal(70.5);
  });

  it("a refused write rolls back to the value of an earlier write still on its way", async () => {
    const { runtime, weight, held } = await weightReadThenHeld("runtime-rollback-chain");
    const earlier = runtime.setCrmField({ ...weight, value: 60.5 });
    await held.sent;
    const error = await runtime.setCrmField({ ...weight, value: 1000 }).catch((reason) => reason);
    expect(error.code).to.equal("invalid_value");
    expect((await runtime.getCrmField(weight)).value, "while the earlier is pending").to.equal(
      60.5,
    );
    held.release();
    await earlier;
    expect((await runtime.getCrmField(weight)).value).to.equal(60.5);
  });

  it("a read on its way while a write lands keeps the written value, not the answer from before it", async () => {
    const session = await newCustomer(
      "runtime-read-during-write",
      trackerCalls({ current_weight: 81.5 }),
    );
    const runtime = runtimeFor(session);
    const weight = { slug: "tracker", fieldKey: "current_weight" };
    const held = holdNextAnswer(runtime);
    const read = runtime.getCrmField(weight);
    // The proxy has answered the read (81.5); the page sees that answer only after the write.
    await held.sent;
    await runtime.setCrmField({ ...weight, value: 70.5 });
    held.release();
    expect((await read).value).to.equal(70.5);
    expect((await runtime.getCrmField(weight)).value).to.equal(70.5);
  });
});
