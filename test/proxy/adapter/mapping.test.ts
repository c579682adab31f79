import { describe, expect, test } from "vitest";
import type { FieldDefinitionInput, FieldValue } from "#domain";
import { useAdapterFixture } from "./fixtures.ts";

const crm = useAdapterFixture("adapter mapping");

/** Every leaf field path of the entries index mapping. */
async function mappedFields(): Promise<string[]> {
  const response = await crm.client.indices.getMapping({ index: crm.indices.entries });
  const mapping = Object.values(response)[0]?.mappings;
  const paths: string[] = [];
  const walk = (
    properties: Record<string, { properties?: Record<string, unknown> }>,
    prefix: string,
  ) => {
    for (const [name, property] of Object.entries(properties)) {
      if (property.properties) {
        walk(
          property.properties as Record<string, { properties?: Record<string, unknown> }>,
          `${prefix}${name}.`,
        );
      } else {
        paths.push(`${prefix}${name}`);
      }
    }
  };
  walk((mapping?.properties ?? {}) as Record<string, { properties?: Record<string, unknown> }>, "");
  return paths.sort();
}

describe("the entries mapping", () => {
  test("holds one key as a number in one entity and as text in another, each read back typed", async () => {
    const before = await mappedFields();
    await crm.adapter.entities.create({
      slug: "scale",
      name: "Scale",
      fields: [{ key: "weight", label: "Weight", type: "number" }],
    });
    await crm.adapter.entities.create({
      slug: "labels",
      name: "Labels",
      fields: [{ key: "weight", label: "Weight", type: "text" }],
    });
    await crm.adapter.setCrmField({
      slug: "scale",
      fieldKey: "weight",
      value: 81.5,
      referenceId: "two-types",
    });
    await crm.adapter.setCrmField({
      slug: "labels",
      fieldKey: "weight",
      value: "heavy",
      referenceId: "two-types",
    });

    expect(
      (
        await crm.adapter.getCrmField({
          slug: "scale",
          fieldKey: "weight",
          referenceId: "two-types",
        })
      ).value,
    ).toBe(81.5);
    expect(
      (
        await crm.adapter.getCrmField({
          slug: "labels",
          fieldKey: "weight",
          referenceId: "two-types",
        })
      ).value,
    ).toBe("heavy");
    const all = await crm.adapter.getReferenceEntries({ type: "customer", id: "two-types" });
    expect(all.map((entry) => [entry.slug, entry.values.weight])).toEqual([
      ["labels", "heavy"],
      ["scale", 81.5],
    ]);
    expect(await mappedFields()).toEqual(before);
  });

  test("takes 2,000 distinct keys in one entry without growing, and returns every value", async () => {
    const before = await mappedFields();
    const types = ["number", "text", "boolean", "date"] as const;
    const fields: FieldDefinitionInput[] = Array.from({ length: 2_000 }, (_, i) => ({
      key: `field_${i}`,
      label: `Field ${i}`,
      type: types[i % types.length] ?? "text",
    }));
    const sampleValue = (i: number): FieldValue => {
      switch (i % types.length) {
        case 0:
          return i + 0.5;
        case 1:
          return `text ${i}`;
        case 2:
          return i % 3 === 0;
        default:
          return `2025-01-${String((i % 28) + 1).padStart(2, "0")}`;
      }
    };
    await crm.adapter.entities.create({
      slug: "wide",
      name: "Wide",
      entriesPerReference: "many",
      fields,
    });
    const values = Object.fromEntries(fields.map((field, i) => [field.key, sampleValue(i)]));

    const created = await crm.adapter.createCrmEntry({
      slug: "wide",
      values,
      referenceId: "wide-customer",
    });
    const updated = await crm.adapter.setCrmField({
      slug: "wide",
      fieldKey: "field_1999",
      value: "2025-12-31",
      entryId: created.id,
      referenceId: "wide-customer",
    });
    expect(updated.value).toBe("2025-12-31");

    const [entry] = await crm.adapter.getCrmEntries({ slug: "wide", referenceId: "wide-customer" });
    expect(entry?.values).toEqual({ ...values, field_1999: "2025-12-31" });
    const one = await crm.adapter.getCrmField({
      slug: "wide",
      fieldKey: "field_1200",
      entryId: created.id,
      referenceId: "wide-customer",
    });
    expect(one.value).toBe(1200.5);

    expect(await mappedFields()).toEqual(before);
    expect(before).toEqual([
      "created_at",
      "reference_id",
      "reference_type",
      "slug",
      "stages",
      "updated_at",
      "updated_by.id",
      "updated_by.type",
      "values",
    ]);
  });

  test("stores and returns the longest text a field allows: 10,000 three-byte characters", async () => {
    await crm.adapter.entities.create({
      slug: "journal",
      name: "Journal",
      fields: [{ key: "entry", label: "Entry", type: "text", maxLength: 10_000 }],
    });
    const text = "€".repeat(10_000);
    await crm.adapter.setCrmField({
      slug: "journal",
      fieldKey: "entry",
      value: text,
      referenceId: "long-text",
    });
    const read = await crm.adapter.getCrmField({
      slug: "journal",
      fieldKey: "entry",
      referenceId: "long-text",
    });
    expect(read.value).toBe(text);
  });

  test("refuses a document with a stray top-level field", async () => {
    const refused = await crm.client
      .index({
        index: crm.indices.entries,
        id: "stray",
        routing: "customer:stray",
        document: { slug: "scale", reference_type: "customer", reference_id: "stray", owner: "x" },
      })
      .then(
        () => "stored",
        () => "refused",
      );
    expect(refused).toBe("refused");
  });
});
