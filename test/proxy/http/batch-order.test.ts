/**
 * A batch applies consecutive writes to one target in the order listed: the
 * value stored is the last one listed, every time. Through the proxy app over
 * the real Elasticsearch; several rounds, since a lost order shows up as a race.
 */
import { describe, expect, test } from "vitest";
import type { BatchResult, CrmFieldValue, CrmStageValue } from "#domain";
import { testEntities } from "../../support/entities.ts";
import { hsToken, newSubject, useTestProxy } from "./support.ts";

const proxy = useTestProxy({ name: "batch order", entities: testEntities });

const ROUNDS = 8;

async function batch(token: string, calls: unknown[]): Promise<BatchResult[]> {
  const response = await proxy.call("POST", "/v1/batch", { token, body: { calls } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { results: BatchResult[] }).results;
}

async function storedField(token: string, fieldKey: string): Promise<unknown> {
  const response = await proxy.call("GET", `/v1/entries/tracker/fields/${fieldKey}`, { token });
  return ((await response.json()) as CrmFieldValue).value;
}

describe("writes to one target in one batch apply in the order listed", () => {
  test("five setCrmField calls to one field store the last value listed", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const token = await hsToken(newSubject("order-field"));
      const values = [81, 82, 83, 84, 85];
      const results = await batch(
        token,
        values.map((value) => ({
          op: "setCrmField",
          args: { slug: "tracker", fieldKey: "current_weight", value },
        })),
      );
      expect(results.every((result) => result.ok)).toBe(true);
      expect(await storedField(token, "current_weight")).toBe(85);
    }
  });

  test("two setCrmStage calls to one pipeline leave the entry in the stage listed last", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const token = await hsToken(newSubject("order-stage"));
      await batch(token, [
        { op: "setCrmStage", args: { slug: "tracker", pipeline: "progress", stage: "starting" } },
        {
          op: "setCrmStage",
          args: { slug: "tracker", pipeline: "progress", stage: "in_progress" },
        },
      ]);
      const response = await proxy.call("GET", "/v1/entries/tracker/stages/progress", { token });
      expect(((await response.json()) as CrmStageValue).position?.stage).toBe("in_progress");
    }
  });

  test("a call naming the customer's own reference and one leaving it out are one target", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const subject = newSubject("order-reference");
      const token = await hsToken(subject);
      const customer = await proxy.adapter.resolveCustomer({
        issuer: proxy.config.session.issuer,
        subject,
      });
      const args = { slug: "tracker", fieldKey: "nickname" };
      await batch(token, [
        { op: "setCrmField", args: { ...args, value: "first", referenceId: customer.id } },
        { op: "setCrmField", args: { ...args, value: "second" } },
        {
          op: "setCrmField",
          args: { ...args, value: "third", referenceType: "customer", referenceId: customer.id },
        },
      ]);
      expect(await storedField(token, "nickname")).toBe("third");
    }
  });

  test("interleaved writes to two fields keep each field's order, and a read after them sees both", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const token = await hsToken(newSubject("order-two"));
      const set = (fieldKey: string, value: unknown) => ({
        op: "setCrmField",
        args: { slug: "tracker", fieldKey, value },
      });
      const results = await batch(token, [
        set("current_weight", 90),
        set("nickname", "a"),
        set("current_weight", 91),
        set("nickname", "b"),
        set("current_weight", 92),
        { op: "getCrmEntries", args: { slug: "tracker" } },
      ]);
      const last = results.at(-1);
      expect(last?.ok && last.data).toMatchObject([
        { values: { current_weight: 92, nickname: "b" } },
      ]);
    }
  });
});
