import { describe, expect, test } from "vitest";
import type { EntityDefinitionInput } from "#domain";
import { trackerEntity } from "../../support/entities.ts";
import { failure, useAdapterFixture } from "./fixtures.ts";

const crm = useAdapterFixture("adapter entities");

const minimal = (slug: string): EntityDefinitionInput => ({
  slug,
  name: "Minimal",
  fields: [{ key: "note", label: "Note", type: "text" }],
});

describe.concurrent("entity definitions", () => {
  test("create applies defaults, get and list return the stored definition", async () => {
    const created = await crm.adapter.entities.create(minimal("minimal"));
    expect(created).toMatchObject({
      slug: "minimal",
      entriesPerReference: "one",
      pipelines: [],
      fields: [
        { key: "note", type: "text", customerAccess: "none", required: false, maxLength: 500 },
      ],
    });
    // A fresh adapter reads it from Elasticsearch, not from the creating one's cache.
    const fresh = crm.newAdapter();
    expect(await fresh.entities.get("minimal")).toEqual(created);
    expect((await fresh.entities.list()).map((entity) => entity.slug)).toContain("minimal");
  });

  test("creating a slug that exists is a conflict", async () => {
    await crm.adapter.entities.create(minimal("taken"));
    const error = await failure(
      crm.adapter.entities.create({ ...minimal("taken"), name: "Other" }),
    );
    expect(error.code).toBe("conflict");
    expect(error.status).toBe(409);
    expect((await crm.newAdapter().entities.get("taken")).name).toBe("Minimal");
  });

  test("update replaces the definition and the next operation uses it", async () => {
    await crm.adapter.entities.create(minimal("evolving"));
    const updated = await crm.adapter.entities.update("evolving", {
      ...minimal("evolving"),
      name: "Evolved",
      fields: [
        { key: "note", label: "Note", type: "text" },
        { key: "score", label: "Score", type: "number", customerAccess: "write" },
      ],
    });
    expect(updated.name).toBe("Evolved");
    const set = await crm.adapter.setCrmField({
      slug: "evolving",
      fieldKey: "score",
      value: 3,
      referenceId: "r1",
    });
    expect(set.value).toBe(3);
    expect(
      (await crm.newAdapter().entities.get("evolving")).fields.map((field) => field.key),
    ).toEqual(["note", "score"]);
  });

  test("update refuses a body whose slug differs, an unknown slug, and a change of entries per reference", async () => {
    await crm.adapter.entities.create(minimal("fixed"));
    expect(await failure(crm.adapter.entities.update("fixed", minimal("renamed")))).toMatchObject({
      code: "invalid_request",
      field: "slug",
    });
    expect((await failure(crm.adapter.entities.update("absent", minimal("absent")))).code).toBe(
      "entity_not_found",
    );
    expect(
      await failure(
        crm.adapter.entities.update("fixed", { ...minimal("fixed"), entriesPerReference: "many" }),
      ),
    ).toMatchObject({ code: "invalid_request", field: "entriesPerReference" });
  });

  test("get of an unknown slug is entity_not_found", async () => {
    expect((await failure(crm.adapter.entities.get("nothing-here"))).code).toBe("entity_not_found");
  });
});

describe.concurrent("entity definition validation names the offending path", () => {
  const cases: [behaviour: string, definition: unknown, path: string][] = [
    ["a slug with capitals and spaces", { ...minimal("x"), slug: "Weight Tracker" }, "slug"],
    [
      "duplicate field keys",
      {
        ...minimal("dupes"),
        fields: [
          { key: "a", label: "A", type: "text" },
          { key: "a", label: "A again", type: "number" },
        ],
      },
      "fields.1.key",
    ],
    [
      "an unknown field type",
      { ...minimal("types"), fields: [{ key: "a", label: "A", type: "color" }] },
      "fields.0.type",
    ],
    [
      "a select without options",
      { ...minimal("select"), fields: [{ key: "a", label: "A", type: "select", options: [] }] },
      "fields.0.options",
    ],
    [
      "a select option with a bad value",
      {
        ...minimal("select"),
        fields: [
          { key: "a", label: "A", type: "select", options: [{ value: "Not OK", label: "x" }] },
        ],
      },
      "fields.0.options.0.value",
    ],
    [
      "an unknown stage status",
      {
        ...minimal("status"),
        pipelines: [{ key: "p", label: "P", stages: [{ key: "s", label: "S", status: "paused" }] }],
      },
      "pipelines.0.stages.0.status",
    ],
    [
      "a color that is not a hex color",
      {
        ...minimal("color"),
        pipelines: [{ key: "p", label: "P", stages: [{ key: "s", label: "S", color: "green" }] }],
      },
      "pipelines.0.stages.0.color",
    ],
    [
      "duplicate stage keys",
      {
        ...minimal("stages"),
        pipelines: [
          {
            key: "p",
            label: "P",
            stages: [
              { key: "s", label: "S" },
              { key: "s", label: "S2" },
            ],
          },
        ],
      },
      "pipelines.0.stages.1.key",
    ],
    [
      "an unknown customer access",
      {
        ...minimal("access"),
        fields: [{ key: "a", label: "A", type: "text", customerAccess: "admin" }],
      },
      "fields.0.customerAccess",
    ],
    ["an unknown property", { ...minimal("extra"), owner: "me" }, ""],
  ];

  test.each(cases)("refuses %s", async (_behaviour, definition, path) => {
    const error = await failure(crm.adapter.entities.create(definition as EntityDefinitionInput));
    expect(error.code).toBe("invalid_request");
    if (path) expect(error.field).toBe(path);
    const { slug } = definition as { slug: string };
    expect((await crm.adapter.entities.list()).map((entity) => entity.slug)).not.toContain(slug);
  });

  test("the team's example definition is accepted whole", async () => {
    const created = await crm.adapter.entities.create(trackerEntity);
    expect(created.pipelines[0]?.stages.map((stage) => stage.status)).toEqual([
      "active",
      "active",
      "won",
    ]);
  });
});
