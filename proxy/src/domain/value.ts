import { z } from "zod";
import { type FieldDefinition, isCalendarDate } from "./entity.ts";

/** A stored field value. `null` means empty. */
export type FieldValue = string | number | boolean | null;

/**
 * The one schema a value must pass for a field: the proxy enforces it and the
 * widgets run the same one as the user types, so both show the same message.
 */
export function fieldValueSchema(field: FieldDefinition): z.ZodType<FieldValue> {
  const value = presentValueSchema(field);
  if (field.required) {
    return z.unknown().superRefine((input, ctx) => {
      if (input === null || input === undefined || input === "") ctx.addIssue({ code: "custom", message: "Required" });
    }).pipe(value);
  }
  return value.nullable();
}

function presentValueSchema(field: FieldDefinition): z.ZodType<FieldValue> {
  switch (field.type) {
    case "text": {
      return z
        .string({ error: "Must be text" })
        .max(field.maxLength, `Must be at most ${field.maxLength} characters`)
        .refine((text) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text), "Must not contain control characters");
    }
    case "number": {
      let schema = z.number({ error: "Must be a number" }).finite("Must be a finite number");
      if (field.min !== undefined) schema = schema.min(field.min, `Must be at least ${field.min}`);
      if (field.max !== undefined) schema = schema.max(field.max, `Must be at most ${field.max}`);
      const decimals = field.decimals;
      if (decimals === undefined) return schema;
      return schema.refine(
        (n) => Number.isInteger(Math.round(n * 10 ** decimals * 1e6) / 1e6),
        decimals === 0 ? "Must be a whole number" : `Must have at most ${decimals} decimal places`,
      );
    }
    case "date": {
      let schema = z
        .string({ error: "Must be a date written YYYY-MM-DD" })
        .regex(/^\d{4}-\d{2}-\d{2}$/, "Must be a date written YYYY-MM-DD")
        .refine(isCalendarDate, "Must be a real calendar date");
      if (field.min !== undefined) {
        const min = field.min;
        schema = schema.refine((d) => d >= min, `Must be on or after ${min}`);
      }
      if (field.max !== undefined) {
        const max = field.max;
        schema = schema.refine((d) => d <= max, `Must be on or before ${max}`);
      }
      return schema;
    }
    case "boolean":
      return z.boolean({ error: "Must be true or false" });
    case "select": {
      const values = field.options.map((option) => option.value);
      return z.string({ error: "Must be one of the options" }).refine(
        (v) => values.includes(v),
        `Must be one of: ${values.join(", ")}`,
      );
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
