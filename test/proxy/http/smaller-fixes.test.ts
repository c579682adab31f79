/**
 * The smaller findings of the outside review: dates of the years 0001–0099,
 * and positions in pipelines removed from a definition. Through the proxy app
 * over the real Elasticsearch.
 */
import { describe, expect, test } from "vitest";
import type { CrmEntry, CrmFieldValue, EntityDefinitionInput } from "#domain";
import { createTestProxy, hsToken, newSubject, useTestProxy } from "./support.ts";

const journal = {
  slug: "journal",
  name: "Journal",
  fields: [{ key: "day", label: "Day", type: "date", customerAccess: "write" }],
  pipelines: [
    {
      key: "kept",
      label: "Kept",
      customerCanMove: true,
      stages: [{ key: "a", label: "A" }],
    },
    {
      key: "removed",
      label: "Removed later",
      customerCanMove: true,
      stages: [{ key: "b", label: "B" }],
    },
  ],
} satisfies EntityDefinitionInput;

const proxy = useTestProxy({ name: "smaller fixes", entities: [journal] });

describe("smaller fixes", () => {
  test("dates in the years 0001–0099 are accepted and kept as written", async () => {
    const token = await hsToken(newSubject("years"));
    for (const day of ["0001-01-01", "0050-06-15", "0099-12-31"]) {
      const set = await proxy.call("PUT", "/v1/entries/journal/fields/day", {
        token,
        body: { value: day },
      });
      expect(set.status, day).toBe(200);
      const read = await proxy.call("GET", "/v1/entries/journal/fields/day", { token });
      expect(((await read.json()) as CrmFieldValue).value).toBe(day);
    }
    const impossible = await proxy.call("PUT", "/v1/entries/journal/fields/day", {
      token,
      body: { value: "0050-02-30" },
    });
    expect(impossible.status).toBe(400);
  });

  test("a position in a pipeline removed from the definition is not returned to customers", async () => {
    const subject = newSubject("removed-pipeline");
    const token = await hsToken(subject);
    for (const [pipeline, stage] of [
      ["kept", "a"],
      ["removed", "b"],
    ]) {
      const moved = await proxy.call("PUT", `/v1/entries/journal/stages/${pipeline}`, {
        token,
        body: { stage },
      });
      expect(moved.status).toBe(200);
    }
    await proxy.adapter.entities.update(
      "journal",
      {
        ...journal,
        pipelines: journal.pipelines.filter((pipeline) => pipeline.key !== "removed"),
      },
      { acceptBreaking: true },
    );
    const other = await createTestProxy({ prefix: proxy.config.indexPrefix });
    const { entries } = (await (
      await other.call("GET", "/v1/entries/journal", { token })
    ).json()) as { entries: CrmEntry[] };
    expect(Object.keys(entries[0]?.stages ?? {})).toEqual(["kept"]);
    // Staff still see what is stored.
    const customer = await other.adapter.resolveCustomer({
      issuer: other.config.session.issuer,
      subject,
    });
    const [stored] = await other.adapter.getCrmEntries({
      slug: "journal",
      referenceId: customer.id,
    });
    expect(Object.keys(stored?.stages ?? {}).sort()).toEqual(["kept", "removed"]);
  });
});
