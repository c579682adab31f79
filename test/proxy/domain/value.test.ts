import { describe, expect, test } from "vitest";
import { safeParse } from "zod/v4/core";
import {
  checkFieldValue,
  type FieldDefinition,
  fieldDefinitionSchema,
  fieldValueSchema,
} from "#domain";

/** A field definition as the entity schema completes it (key and label filled in). */
const field = (input: { type: string; [property: string]: unknown }): FieldDefinition =>
  fieldDefinitionSchema.parse({ key: "f", label: "F", ...input });

/**
 * What checkFieldValue says about each input: the value it keeps, or its message;
 * the field's zod schema, parsed with zod's own safeParse, must say the same.
 */
function verdicts(definition: FieldDefinition, inputs: unknown[]): unknown[] {
  return inputs.map((input) => {
    const check = checkFieldValue(definition, input);
    const verdict = check.ok ? { value: check.value } : check.message;
    const parsed = safeParse(fieldValueSchema(definition), input);
    expect(parsed.success ? { value: parsed.data } : parsed.error.issues[0]?.message).toEqual(
      verdict,
    );
    return verdict;
  });
}

describe("a field's value schema (the proxy's and the widgets' one check)", () => {
  test("text: length, control characters, empty and missing, required or not", () => {
    const inputs = ["ok", "x".repeat(6), "a\u0000b", "", null, undefined, 5];
    expect(verdicts(field({ type: "text", maxLength: 5 }), inputs)).toEqual([
      { value: "ok" },
      "Must be at most 5 characters",
      "Must not contain control characters",
      { value: "" },
      { value: null },
      "Must be text",
      "Must be text",
    ]);
    // Characters are code points: five emoji fit in five, as zod's maxLength counts them.
    expect(
      verdicts(field({ type: "text", maxLength: 5 }), ["😀".repeat(5), "😀".repeat(6)]),
    ).toEqual([{ value: "😀".repeat(5) }, "Must be at most 5 characters"]);
    expect(verdicts(field({ type: "text", maxLength: 5, required: true }), inputs)).toEqual([
      { value: "ok" },
      "Must be at most 5 characters",
      "Must not contain control characters",
      "Required",
      "Required",
      "Required",
      "Must be text",
    ]);
  });

  test("number: bounds, decimals, not-a-number, empty and missing", () => {
    const inputs = [1.5, 0, 11, 1.55, Number.NaN, Number.POSITIVE_INFINITY, "1", null, ""];
    const bounded = { type: "number", min: 1, max: 10, decimals: 1 } as const;
    // Required or not, every input but the empty ones (null, "") gets the same verdict.
    const filled = [
      { value: 1.5 },
      "Must be at least 1",
      "Must be at most 10",
      "Must have at most 1 decimal places",
      "Must be a number",
      "Must be a number",
      "Must be a number",
    ];
    expect(verdicts(field(bounded), inputs)).toEqual([
      ...filled,
      { value: null },
      "Must be a number",
    ]);
    expect(verdicts(field({ ...bounded, required: true }), inputs)).toEqual([
      ...filled,
      "Required",
      "Required",
    ]);
    expect(verdicts(field({ type: "number", decimals: 0 }), [2, 2.5])).toEqual([
      { value: 2 },
      "Must be a whole number",
    ]);
  });

  test("date: format, calendar, bounds, empty and missing", () => {
    const inputs = ["2026-02-28", "2026-02-30", "28.02.2026", "2025-12-31", "2027-01-01", "", null];
    const bounded = { type: "date", min: "2026-01-01", max: "2026-12-31" } as const;
    expect(verdicts(field(bounded), inputs)).toEqual([
      { value: "2026-02-28" },
      "Must be a real calendar date",
      "Must be a date written YYYY-MM-DD",
      "Must be on or after 2026-01-01",
      "Must be on or before 2026-12-31",
      "Must be a date written YYYY-MM-DD",
      { value: null },
    ]);
    expect(verdicts(field({ ...bounded, required: true }), inputs.slice(5))).toEqual([
      "Required",
      "Required",
    ]);
  });

  test("boolean and select: their values only, empty and missing", () => {
    const flag = field({ type: "boolean" });
    expect(verdicts(flag, [true, false, "true", null])).toEqual([
      { value: true },
      { value: false },
      "Must be true or false",
      { value: null },
    ]);
    expect(verdicts(field({ type: "boolean", required: true }), [false, null])).toEqual([
      { value: false },
      "Required",
    ]);
    const options = [
      { value: "basic", label: "Basic" },
      { value: "premium", label: "Premium" },
    ];
    expect(verdicts(field({ type: "select", options }), ["basic", "gold", 1, "", null])).toEqual([
      { value: "basic" },
      "Must be one of: basic, premium",
      "Must be one of the options",
      "Must be one of: basic, premium",
      { value: null },
    ]);
    expect(
      verdicts(field({ type: "select", options, required: true }), ["premium", "", null]),
    ).toEqual([{ value: "premium" }, "Required", "Required"]);
  });
});
