/**
 * Field and pipeline keys are the site owner's words, and `constructor` is a
 * valid key (the one name of Object.prototype that keySchema allows): every
 * lookup by key must see only what was stored, never what every object
 * inherits.
 * Through the proxy app over the real Elasticsearch.
 */
import { describe, expect, test } from "vitest";
import type { CrmEntry, CrmFieldValue, CrmStageValue, EntityDefinitionInput } from "#domain";
import { oddKeysEntity } from "../../support/entities.ts";
import { hsToken, newSubject, useTestProxy } from "./support.ts";

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

const proxy = useTestProxy({ name: "prototype keys", entities: [oddKeysEntity(), oddNotes] });

/** Creates the customer's odd-keys entry with only its nickname stored. */
const storeNickname = (token: string) =>
  proxy.json("PUT", "/v1/entries/odd-keys/fields/nickname", { token, body: { value: "Ada" } });

describe("keys named like Object.prototype's members", () => {
  test("an unset field keyed `constructor` reads as null, before and after another field of the entry is set", async () => {
    const token = await hsToken(newSubject("ctor-field"));
    const read = () =>
      proxy.json<CrmFieldValue>("GET", "/v1/entries/odd-keys/fields/constructor", { token });
    expect((await read()).value).toBeNull();
    await storeNickname(token);
    const field = await read();
    expect(field).toHaveProperty("value", null);
    const { entries } = await proxy.json<{ entries: CrmEntry[] }>("GET", "/v1/entries/odd-keys", {
      token,
    });
    expect(entries[0]?.values).toEqual({ nickname: "Ada" });
    expect(Object.hasOwn(entries[0]?.values ?? {}, "constructor")).toBe(false);
  });

  test("a field keyed `constructor` stores and reads back its own value", async () => {
    const token = await hsToken(newSubject("ctor-value"));
    const path = "/v1/entries/odd-keys/fields/constructor";
    await proxy.json("PUT", path, { token, body: { value: "built" } });
    expect((await proxy.json<CrmFieldValue>("GET", path, { token })).value).toBe("built");
  });

  test("a pipeline keyed `constructor` has no position until moved, then the one it was moved to", async () => {
    const token = await hsToken(newSubject("ctor-stage"));
    const path = "/v1/entries/odd-keys/stages/constructor";
    const read = () => proxy.json<CrmStageValue>("GET", path, { token });
    await storeNickname(token);
    expect((await read()).position).toBeNull();
    // Moving to the stage keyed `constructor` moves: it is not taken for the current stage.
    const moved = await proxy.json<CrmStageValue>("PUT", path, {
      token,
      body: { stage: "constructor" },
    });
    expect(moved.position?.stage).toBe("constructor");
    expect(typeof moved.position?.enteredAt).toBe("string");
    expect((await read()).position?.stage).toBe("constructor");
  });

  test("a new entry without a value of the history field `constructor` records no history of it", async () => {
    const token = await hsToken(newSubject("ctor-create"));
    const { entry } = await proxy.json<{ entry: CrmEntry }>("POST", "/v1/entries/odd-notes", {
      token,
      body: { values: { title: "no constructor" } },
      status: 201,
    });
    expect(entry.values).toEqual({ title: "no constructor" });
    const history = (field: string) =>
      proxy.json<{ points: unknown[] }>(
        "GET",
        `/v1/entries/odd-notes/fields/${field}/history?entryId=${entry.id}`,
        { token },
      );
    expect((await history("title")).points).toHaveLength(1);
    expect((await history("constructor")).points).toEqual([]);
  });

  test("a batch reading `constructor` beside other fields and stages of the entry sees only stored values", async () => {
    const token = await hsToken(newSubject("ctor-batch"));
    await storeNickname(token);
    const { results } = await proxy.json<{
      results: { ok: boolean; data: Record<string, unknown> }[];
    }>("POST", "/v1/batch", {
      token,
      body: {
        calls: [
          { op: "getCrmField", args: { slug: "odd-keys", fieldKey: "constructor" } },
          { op: "getCrmStage", args: { slug: "odd-keys", pipeline: "constructor" } },
          { op: "getCrmField", args: { slug: "odd-keys", fieldKey: "nickname" } },
          { op: "getCrmEntries", args: { slug: "odd-keys" } },
        ],
      },
    });
    expect(results.map((result) => result.ok)).toEqual([true, true, true, true]);
    expect(results[0]?.data).toHaveProperty("value", null);
    expect(results[1]?.data).toHaveProperty("position", null);
    expect(results[2]?.data.value).toBe("Ada");
  });
});
