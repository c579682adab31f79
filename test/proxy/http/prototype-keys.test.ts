/**
 * Field and pipeline keys are the site owner's words, and `constructor` is a
 * valid key (the one name of Object.prototype that keySchema allows): every
 * lookup by key must see only what was stored, never what every object
 * inherits.
 * Through the proxy app over the real Elasticsearch.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { CrmEntry, CrmFieldValue, CrmStageValue, EntityDefinitionInput } from "#domain";
import { oddKeysEntity } from "../../support/entities.ts";
import { createTestProxy, hsToken, newSubject, type TestProxy } from "./support.ts";

let proxy: TestProxy;

/** Many entries per reference, `constructor` kept in history. */
const oddNotes = {
  slug: "odd-notes",
  name: "Odd notes",
  entriesPerReference: "many",
  customerCanCreate: true,
  fields: [
    {
      key: "constructor",
      label: "Constructor",
      type: "text",
      customerAccess: "write",
      history: true,
    },
    { key: "title", label: "Title", type: "text", customerAccess: "write", history: true },
  ],
} satisfies EntityDefinitionInput;

beforeAll(async () => {
  proxy = await createTestProxy({ name: "prototype keys" });
  await proxy.adapter.entities.create(oddKeysEntity());
  await proxy.adapter.entities.create(oddNotes);
});

async function json<T>(response: Response): Promise<T> {
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as T;
}

describe("keys named like Object.prototype's members", () => {
  test("an unset field keyed `constructor` reads as null, before and after another field of the entry is set", async () => {
    const token = await hsToken(newSubject("ctor-field"));
    const read = () =>
      proxy
        .call("GET", "/v1/entries/odd-keys/fields/constructor", { token })
        .then(json<CrmFieldValue>);
    expect((await read()).value).toBeNull();
    await json(
      await proxy.call("PUT", "/v1/entries/odd-keys/fields/nickname", {
        token,
        body: { value: "Ada" },
      }),
    );
    const field = await read();
    expect(field).toHaveProperty("value", null);
    const { entries } = await json<{ entries: CrmEntry[] }>(
      await proxy.call("GET", "/v1/entries/odd-keys", { token }),
    );
    expect(entries[0]?.values).toEqual({ nickname: "Ada" });
    expect(Object.hasOwn(entries[0]?.values ?? {}, "constructor")).toBe(false);
  });

  test("a field keyed `constructor` stores and reads back its own value", async () => {
    const token = await hsToken(newSubject("ctor-value"));
    await json(
      await proxy.call("PUT", "/v1/entries/odd-keys/fields/constructor", {
        token,
        body: { value: "built" },
      }),
    );
    const field = await json<CrmFieldValue>(
      await proxy.call("GET", "/v1/entries/odd-keys/fields/constructor", { token }),
    );
    expect(field.value).toBe("built");
  });

  test("a pipeline keyed `constructor` has no position until moved, then the one it was moved to", async () => {
    const token = await hsToken(newSubject("ctor-stage"));
    const read = () =>
      proxy
        .call("GET", "/v1/entries/odd-keys/stages/constructor", { token })
        .then(json<CrmStageValue>);
    await json(
      await proxy.call("PUT", "/v1/entries/odd-keys/fields/nickname", {
        token,
        body: { value: "Ada" },
      }),
    );
    expect((await read()).position).toBeNull();
    // Moving to the stage keyed `constructor` moves: it is not taken for the current stage.
    const moved = await json<CrmStageValue>(
      await proxy.call("PUT", "/v1/entries/odd-keys/stages/constructor", {
        token,
        body: { stage: "constructor" },
      }),
    );
    expect(moved.position?.stage).toBe("constructor");
    expect(typeof moved.position?.enteredAt).toBe("string");
    expect((await read()).position?.stage).toBe("constructor");
  });

  test("a new entry without a value of the history field `constructor` records no history of it", async () => {
    const token = await hsToken(newSubject("ctor-create"));
    const { entry } = await json<{ entry: CrmEntry }>(
      await proxy.call("POST", "/v1/entries/odd-notes", {
        token,
        body: { values: { title: "no constructor" } },
      }),
    );
    expect(entry.values).toEqual({ title: "no constructor" });
    const history = (path: string) =>
      proxy
        .call("GET", `/v1/entries/odd-notes/fields/${path}/history?entryId=${entry.id}`, { token })
        .then(json<{ points: unknown[] }>);
    expect((await history("title")).points).toHaveLength(1);
    expect((await history("constructor")).points).toEqual([]);
  });

  test("a batch reading `constructor` beside other fields and stages of the entry sees only stored values", async () => {
    const token = await hsToken(newSubject("ctor-batch"));
    await json(
      await proxy.call("PUT", "/v1/entries/odd-keys/fields/nickname", {
        token,
        body: { value: "Ada" },
      }),
    );
    const { results } = await json<{ results: { ok: boolean; data: Record<string, unknown> }[] }>(
      await proxy.call("POST", "/v1/batch", {
        token,
        body: {
          calls: [
            { op: "getCrmField", args: { slug: "odd-keys", fieldKey: "constructor" } },
            { op: "getCrmStage", args: { slug: "odd-keys", pipeline: "constructor" } },
            { op: "getCrmField", args: { slug: "odd-keys", fieldKey: "nickname" } },
            { op: "getCrmEntries", args: { slug: "odd-keys" } },
          ],
        },
      }),
    );
    expect(results.map((result) => result.ok)).toEqual([true, true, true, true]);
    expect(results[0]?.data).toHaveProperty("value", null);
    expect(results[1]?.data).toHaveProperty("position", null);
    expect(results[2]?.data.value).toBe("Ada");
  });
});
