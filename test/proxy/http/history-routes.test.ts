import { describe, expect, test } from "vitest";
import type { CrmFieldHistory, CrmStageHistory } from "#domain";
import { historyTrackerEntity } from "../../support/entities.ts";
import { hsToken, ISSUER, newSubject, staffToken, useTestProxy } from "./support.ts";

const proxy = useTestProxy({ name: "http history", entities: [historyTrackerEntity] });

describe("history over HTTP", () => {
  test("GET …/fields/:fieldKey/history pages the session customer's values, without who", async () => {
    const token = await hsToken(newSubject());
    for (const value of [82, 81.5, 81]) {
      await proxy.json("PUT", "/v1/entries/tracker/fields/weight", { token, body: { value } });
    }
    await proxy.searchable();
    const first = await proxy.json<CrmFieldHistory>(
      "GET",
      "/v1/entries/tracker/fields/weight/history?limit=2",
      { token },
    );
    expect(first.points.map((point) => point.value)).toEqual([81, 81.5]);
    expect(first.points[0]).not.toHaveProperty("by");
    expect(first.next).toEqual(expect.any(String));
    const rest = await proxy.json<CrmFieldHistory>(
      "GET",
      `/v1/entries/tracker/fields/weight/history?limit=2&after=${first.next}`,
      { token },
    );
    expect(rest.points.map((point) => point.value)).toEqual([82]);
    expect(rest.next).toBeNull();
    const oldest = await proxy.json<CrmFieldHistory>(
      "GET",
      "/v1/entries/tracker/fields/weight/history?order=asc&limit=1",
      {
        token,
      },
    );
    expect(oldest.points.map((point) => point.value)).toEqual([82]);
  });

  test("hidden fields, unknown arguments and limits above the maximum are refused", async () => {
    const token = await hsToken(newSubject());
    const hidden = await proxy.call("GET", "/v1/entries/tracker/fields/coach_score/history", {
      token,
    });
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { error: { code: string } }).error.code).toBe(
      "field_not_found",
    );
    const tooMany = await proxy.call(
      "GET",
      "/v1/entries/tracker/fields/weight/history?limit=5000",
      {
        token,
      },
    );
    expect(tooMany.status).toBe(400);
    const unknown = await proxy.call("GET", "/v1/entries/tracker/fields/weight/history?size=5", {
      token,
    });
    expect(unknown.status).toBe(400);
    expect((await proxy.call("GET", "/v1/entries/tracker/fields/weight/history")).status).toBe(401);
  });

  test("the batch and the stage route read stage moves; staff see who moved", async () => {
    const subject = newSubject();
    const token = await hsToken(subject);
    await proxy.json("PUT", "/v1/entries/tracker/stages/progress", {
      token,
      body: { stage: "starting" },
    });
    await proxy.searchable();
    const moves = await proxy.json<CrmStageHistory>(
      "GET",
      "/v1/entries/tracker/stages/progress/history",
      { token },
    );
    expect(moves.moves.map((move) => move.stage)).toEqual(["starting"]);
    const batch = await proxy.json<{ results: { ok: boolean; data: CrmStageHistory }[] }>(
      "POST",
      "/v1/batch",
      {
        token,
        body: {
          calls: [{ op: "getCrmStageHistory", args: { slug: "tracker", pipeline: "progress" } }],
        },
      },
    );
    expect(batch.results[0]?.data.moves).toEqual(moves.moves);
    const { id: customerId } = await proxy.adapter.resolveCustomer({ issuer: ISSUER, subject });
    const staff = await proxy.json<{ results: { ok: boolean; data: CrmStageHistory }[] }>(
      "POST",
      "/v1/staff/batch",
      {
        token: await staffToken("coach@example.com", "staff"),
        body: {
          calls: [
            {
              op: "getCrmStageHistory",
              args: { slug: "tracker", pipeline: "progress", referenceId: customerId },
            },
          ],
        },
      },
    );
    expect(staff.results[0]?.data.moves[0]?.by).toEqual({ type: "customer", id: customerId });
  });
});
