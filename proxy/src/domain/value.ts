// zod's core (what zod/mini is built on): the widget bundle ships these schemas to the
// browser, where classic zod alone would weigh ~100 KB gzipped, and zod/mini's schema
// methods (parse, encode, decode, clone, register, …) another 0.9 KB that nothing here calls.
import * as z from "zod/v4/core";
import { isCalendarDate } from "./calendar.ts";
import type { FieldDefinition } from "./entity.ts";

/** A stored field value. `null` means empty. */
export type FieldValue = string | number | boolean | null;

/** A schema for one field's values; parse with zod's `safeParse(schema, input)`. */
export type FieldValueSchema = z.$ZodType<FieldValue>;

/** `schema` with `checks` added, as zod/mini's `.check()` does. */
function checked<T extends z.$ZodType>(schema: T, ...checks: z.$ZodCheck<never>[]): T {
  const def = schema._zod.def;
  return z.clone(schema, { ...def, checks: [...(def.checks ?? []), ...checks] });
}

function refine<T>(test: (value: T) => boolean, message: string): z.$ZodCheck<never> {
  return z._refine(z.$ZodCustom, test, message) as unknown as z.$ZodCheck<never>;
}

/**
 * The one schema a value must pass for a field: the proxy enforces it and the
 * widgets run the same one as the user types, so both show the same message.
 */
export function fieldValueSchema(field: FieldDefinition): FieldValueSchema {
  const value = presentValueSchema(field);
  if (field.required) {
    const required = checked(
      z._unknown(z.$ZodUnknown),
      refine((input) => input !== null && input !== undefined && input !== "", "Required"),
    );
    return new z.$ZodPipe({ type: "pipe", in: required, out: value }) as FieldValueSchema;
  }
  return new z.$ZodNullable({ type: "nullable", innerType: value }) as FieldValueSchema;
}

function presentValueSchema(field: FieldDefinition): FieldValueSchema {
  switch (field.type) {
    case "text":
      return checked(
        z._string(z.$ZodString, { error: "Must be text" }),
        z._maxLength(field.maxLength, `Must be at most ${field.maxLength} characters`),
        refine(
          // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the intent
          (text: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text),
          "Must not contain control characters",
        ),
      );
    case "number": {
      // A number schema already refuses NaN and ±Infinity with its type error.
      const checks: z.$ZodCheck<never>[] = [];
      if (field.min !== undefined) checks.push(z._gte(field.min, `Must be at least ${field.min}`));
      if (field.max !== undefined) checks.push(z._lte(field.max, `Must be at most ${field.max}`));
      const decimals = field.decimals;
      if (decimals !== undefined) {
        checks.push(
          refine(
            (n: number) => Number.isInteger(Math.round(n * 10 ** decimals * 1e6) / 1e6),
            decimals === 0
              ? "Must be a whole number"
              : `Must have at most ${decimals} decimal places`,
          ),
        );
      }
      return checked(z._number(z.$ZodNumber, { error: "Must be a number" }), ...checks);
    }
    case "date": {
      const checks: z.$ZodCheck<never>[] = [
        z._regex(/^\d{4}-\d{2}-\d{2}$/, "Must be a date written YYYY-MM-DD"),
        refine(isCalendarDate, "Must be a real calendar date"),
      ];
      const { min, max } = field;
      if (min !== undefined)
        checks.push(refine((d: string) => d >= min, `Must be on or after ${min}`));
      if (max !== undefined)
        checks.push(refine((d: string) => d <= max, `Must be on or before ${max}`));
      return checked(
        z._string(z.$ZodString, { error: "Must be a date written YYYY-MM-DD" }),
        ...checks,
      );
    }
    case "boolean":
      return z._boolean(z.$ZodBoolean, { error: "Must be true or false" });
    case "select": {
      const values = field.options.map((option) => option.value);
      return checked(
        z._string(z.$ZodString, { error: "Must be one of the options" }),
        refine((v: string) => values.includes(v), `Must be one of: ${values.join(", ")}`),
      );
    }
  }
}

export type ValueCheck = { ok: true; value: FieldValue } | { ok: false; message: string };

/** Checks one value against its field; the message is the one shown to people. */
export function checkFieldValue(field: FieldDefinition, input: unknown): ValueCheck {
  const result = z.safeParse(fieldValueSchema(field), input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues[0]?.message ?? "Invalid value" };
}
