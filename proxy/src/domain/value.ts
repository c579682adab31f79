// zod's core (what zod/mini is built on): the widget bundle ships these schemas to the
// browser, where classic zod alone would weigh ~100 KB gzipped, and zod/mini's schema
// methods (parse, encode, decode, clone, register, …) another 0.9 KB that nothing here calls.
import * as z from "zod/v4/core";
import { isCalendarDate } from "./calendar.ts";
import type { FieldDefinition } from "./entity.ts";

/** A stored field value. `null` means empty. */
export type FieldValue = string | number | boolean | null;

/** A schema for one field's values; parse with zod's `safeParse(schema, input)` (or see `checkFieldValue`). */
export type FieldValueSchema = z.$ZodType<FieldValue>;

/**
 * A refinement, built as the field schemas are: zod's classes constructed from
 * their definitions, checks included, which is what zod's factories (`_string`,
 * `_refine`, and `clone` for `.check()`) end with after normalizing their parameters,
 * code every page's core would carry. The checks are refinements rather than zod's
 * own bound, length and regex checks: each of those is a class that every page's
 * core would carry, for a message these give as well.
 */
function refine<T>(test: (value: T) => boolean, message: string): z.$ZodCheck<T> {
  // zod runs a schema's checks only on values its type accepted: `test` sees a `T`.
  const fn = test as (value: unknown) => boolean;
  const check = new z.$ZodCustom({ type: "custom", check: "custom", fn, error: () => message });
  // A refinement is a schema and a check at once; zod's own `_check` hands it out as a check.
  return check as unknown as z.$ZodCheck<T>;
}

/** No value: what a required field refuses with "Required". */
const missing = (input: unknown) => input === null || input === undefined || input === "";

/**
 * The one schema a value must pass for a field, as a zod schema to compose with
 * others: `checkFieldValue`, which the proxy enforces and the widgets run as the
 * user types, checks the same (a test holds them to it). An optional field
 * takes null, its empty value.
 */
export function fieldValueSchema(field: FieldDefinition): FieldValueSchema {
  const value = presentValueSchema(field);
  if (field.required) return value;
  return new z.$ZodNullable({ type: "nullable", innerType: value }) as FieldValueSchema;
}

/**
 * A field's schema for a value that is there (not an optional field's null). A
 * required field's type error on a missing value says "Required", and its first
 * check refuses the empty string, so no wrapping schema is needed (zod's pipe
 * would add its weight to every page's core for that one word).
 */
function presentValueSchema(field: FieldDefinition): FieldValueSchema {
  const typeError =
    (message: string) =>
    (issue: { input?: unknown }): string =>
      field.required && missing(issue.input) ? "Required" : message;
  // Text, dates and options are strings, so "" passes the type: the check comes first.
  const present: z.$ZodCheck<string>[] = field.required
    ? [refine((text: string) => text !== "", "Required")]
    : [];
  switch (field.type) {
    case "text": {
      const { maxLength } = field;
      return new z.$ZodString({
        type: "string",
        error: typeError("Must be text"),
        checks: [
          ...present,
          // Code points, as zod's maxLength counts them (an emoji is one character).
          refine(
            (text: string) => [...text].length <= maxLength,
            `Must be at most ${maxLength} characters`,
          ),
          refine(
            // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the intent
            (text: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text),
            "Must not contain control characters",
          ),
        ],
      });
    }
    case "number": {
      // A number schema already refuses NaN and ±Infinity with its type error.
      const checks: z.$ZodCheck<number>[] = [];
      const { min, max } = field;
      if (min !== undefined)
        checks.push(refine((n: number) => n >= min, `Must be at least ${min}`));
      if (max !== undefined) checks.push(refine((n: number) => n <= max, `Must be at most ${max}`));
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
      return new z.$ZodNumber({ type: "number", error: typeError("Must be a number"), checks });
    }
    case "date": {
      const format = "Must be a date written YYYY-MM-DD";
      const checks: z.$ZodCheck<string>[] = [
        ...present,
        refine((d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d), format),
        refine(isCalendarDate, "Must be a real calendar date"),
      ];
      const { min, max } = field;
      if (min !== undefined)
        checks.push(refine((d: string) => d >= min, `Must be on or after ${min}`));
      if (max !== undefined)
        checks.push(refine((d: string) => d <= max, `Must be on or before ${max}`));
      return new z.$ZodString({ type: "string", error: typeError(format), checks });
    }
    case "boolean":
      return new z.$ZodBoolean({ type: "boolean", error: typeError("Must be true or false") });
    case "select": {
      const values = field.options.map((option) => option.value);
      return new z.$ZodString({
        type: "string",
        error: typeError("Must be one of the options"),
        checks: [
          ...present,
          refine((v: string) => values.includes(v), `Must be one of: ${values.join(", ")}`),
        ],
      });
    }
  }
}

export type ValueCheck = { ok: true; value: FieldValue } | { ok: false; message: string };

/**
 * Checks one value against its field, as `fieldValueSchema` does: the proxy
 * enforces it and the widgets run it as the user types, so both show the same
 * message, the one shown to people. An optional field's null passes here rather
 * than through zod's nullable wrapper, whose lazily computed internals (for JSON
 * schemas and patterns) every page's core would download for that one comparison.
 * It asks the schema through the Standard Schema interface (`~standard.validate`),
 * which every zod schema carries anyway, rather than zod's `safeParse`: that one
 * wraps the issues in a `ZodError`, whose classes every page's core would download
 * for the one message read here.
 */
export function checkFieldValue(field: FieldDefinition, input: unknown): ValueCheck {
  if (input === null && !field.required) return { ok: true, value: null };
  const result = presentValueSchema(field)["~standard"].validate(input);
  // Every check here is synchronous, so zod answers at once.
  if (result instanceof Promise) throw new TypeError("A field value schema must be synchronous");
  if (!result.issues) return { ok: true, value: result.value };
  return { ok: false, message: result.issues[0]?.message ?? "Invalid value" };
}
