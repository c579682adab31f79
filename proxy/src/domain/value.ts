// zod/mini (same core as zod, tree-shakable): the widget bundle ships these
// schemas to the browser, where classic zod alone would weigh ~100 KB gzipped.
import * as z from "zod/mini";
import { isCalendarDate } from "./calendar.ts";
import type { FieldDefinition } from "./entity.ts";

/** A stored field value. `null` means empty. */
export type FieldValue = string | number | boolean | null;

/** A schema for one field's values; parse with `.safeParse()` / `.parse()` as with zod. */
export type FieldValueSchema = z.ZodMiniType<FieldValue>;

/**
 * The one schema a value must pass for a field: the proxy enforces it and the
 * widgets run the same one as the user types, so both show the same message.
 */
export function fieldValueSchema(field: FieldDefinition): FieldValueSchema {
  const value = presentValueSchema(field);
  if (field.required) {
    const required = z
      .unknown()
      .check(
        z.refine((input) => input !== null && input !== undefined && input !== "", "Required"),
      );
    return z.pipe(required, value);
  }
  return z.nullable(value);
}

function presentValueSchema(field: FieldDefinition): FieldValueSchema {
  switch (field.type) {
    case "text":
      return z.string({ error: "Must be text" }).check(
        z.maxLength(field.maxLength, `Must be at most ${field.maxLength} characters`),
        z.refine(
          // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the intent
          (text) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text),
          "Must not contain control characters",
        ),
      );
    case "number": {
      // z.number() already refuses NaN and ±Infinity with its type error.
      const checks: z.core.$ZodCheck<number>[] = [];
      if (field.min !== undefined) checks.push(z.gte(field.min, `Must be at least ${field.min}`));
      if (field.max !== undefined) checks.push(z.lte(field.max, `Must be at most ${field.max}`));
      const decimals = field.decimals;
      if (decimals !== undefined) {
        checks.push(
          z.refine(
            (n: number) => Number.isInteger(Math.round(n * 10 ** decimals * 1e6) / 1e6),
            decimals === 0
              ? "Must be a whole number"
              : `Must have at most ${decimals} decimal places`,
          ),
        );
      }
      return z.number({ error: "Must be a number" }).check(...checks);
    }
    case "date": {
      const checks: z.core.$ZodCheck<string>[] = [
        z.regex(/^\d{4}-\d{2}-\d{2}$/, "Must be a date written YYYY-MM-DD"),
        z.refine(isCalendarDate, "Must be a real calendar date"),
      ];
      const { min, max } = field;
      if (min !== undefined)
        checks.push(z.refine((d: string) => d >= min, `Must be on or after ${min}`));
      if (max !== undefined)
        checks.push(z.refine((d: string) => d <= max, `Must be on or before ${max}`));
      return z.string({ error: "Must be a date written YYYY-MM-DD" }).check(...checks);
    }
    case "boolean":
      return z.boolean({ error: "Must be true or false" });
    case "select": {
      const values = field.options.map((option) => option.value);
      return z
        .string({ error: "Must be one of the options" })
        .check(z.refine((v) => values.includes(v), `Must be one of: ${values.join(", ")}`));
    }
  }
}

export type ValueCheck = { ok: true; value: FieldValue } | { ok: false; message: string };

/** Checks one value against its field; the message is the one shown to people. */
export function checkFieldValue(field: FieldDefinition, input: unknown): ValueCheck {
  const result = fieldValueSchema(field).safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues[0]?.message ?? "Invalid value" };
}
