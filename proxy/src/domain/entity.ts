// zod/mini: the back office's CRM settings editor checks a draft with this very
// schema in the browser, where classic zod would add ~100 KB gzipped and zod/mini
// only what these schemas use. The server documents them through `documented.ts`.
import * as z from "zod/mini";
import { isCalendarDate } from "./calendar.ts";
import {
  DEFAULT_CUSTOMER_ENTRY_QUOTA,
  DEFAULT_TEXT_MAX_LENGTH,
  MAX_CUSTOMER_ENTRY_QUOTA,
  MAX_FIELDS_PER_ENTITY,
  TEXT_MAX_LENGTH_LIMIT,
} from "./defaults.ts";

/** An entity's machine-readable identifier, used in URLs and in every operation. */
export const slugSchema = z
  .string()
  .check(
    z.regex(
      /^[a-z][a-z0-9-]{0,62}$/,
      "Must be 1-63 lowercase letters, digits or dashes, starting with a letter",
    ),
  );

/** A key of a field, pipeline, stage or select option: safe in JSON paths, URLs and templates. */
export const keySchema = z
  .string()
  .check(
    z.regex(
      /^[a-z][a-z0-9_]{0,63}$/,
      "Must be 1-64 lowercase letters, digits or underscores, starting with a letter",
    ),
  );

export { isCalendarDate };

export const isoDateSchema = z.iso
  .date("Must be a date written YYYY-MM-DD")
  .check(z.refine(isCalendarDate, "Must be a real calendar date"));

const colorSchema = z
  .string()
  .check(z.regex(/^#[0-9a-fA-F]{6}$/, "Must be a hex color such as #22c55e"));

/**
 * zod/mini carries no locale, so every check says its message in the product's
 * words: the editor shows them as they are.
 */
function text(max: number, { trimmed = false } = {}) {
  const tooLong = z.maxLength(max, `Must be at most ${max} characters`);
  return trimmed
    ? z.string("Must be text").check(z.trim(), z.minLength(1, "Required"), tooLong)
    : z.string("Must be text").check(tooLong);
}

function flag(defaultValue: boolean) {
  return z._default(z.boolean("Must be true or false"), defaultValue);
}

function wholeNumber(min: number, max: number) {
  return z
    .int("Must be a whole number")
    .check(z.gte(min, `Must be at least ${min}`), z.lte(max, `Must be at most ${max}`));
}

function list<T extends z.core.SomeType>(item: T, min: number, max: number) {
  const tooMany = z.maxLength(max, `At most ${max} allowed`);
  return min > 0
    ? z.array(item).check(z.minLength(min, `At least ${min} required`), tooMany)
    : z.array(item).check(tooMany);
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, `Must be one of: ${values.join(", ")}`);
}

/** Who among customers may see or change a field. Back office callers always may. */
export const customerAccessSchema = oneOf(["none", "read", "write"]);
export type CustomerAccess = z.infer<typeof customerAccessSchema>;

const label = () => text(100, { trimmed: true });

const fieldBase = {
  key: keySchema,
  label: label(),
  description: z.optional(text(500)),
  required: flag(false),
  customerAccess: z._default(customerAccessSchema, "none"),
  /** Whether every change of this field's value is kept in the history index. */
  history: flag(false),
};

export const textFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("text"),
  maxLength: z._default(wholeNumber(1, TEXT_MAX_LENGTH_LIMIT), DEFAULT_TEXT_MAX_LENGTH),
  multiline: flag(false),
});

export const numberFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("number"),
  min: z.optional(z.number("Must be a number")),
  max: z.optional(z.number("Must be a number")),
  /** Decimal places shown and accepted; omitted means any. */
  decimals: z.optional(wholeNumber(0, 10)),
  /** A unit shown beside the value, e.g. `kg` (an Intl unit identifier where one exists). */
  unit: z.optional(text(30)),
});

export const dateFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("date"),
  min: z.optional(isoDateSchema),
  max: z.optional(isoDateSchema),
});

export const booleanFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("boolean"),
});

export const selectOptionSchema = z.strictObject({
  value: keySchema,
  label: label(),
  color: z.optional(colorSchema),
});

export const selectFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("select"),
  options: list(selectOptionSchema, 1, 200),
});

export const FIELD_TYPES = ["text", "number", "date", "boolean", "select"] as const;

export const fieldDefinitionSchema = z
  .discriminatedUnion(
    "type",
    [textFieldSchema, numberFieldSchema, dateFieldSchema, booleanFieldSchema, selectFieldSchema],
    `Must be one of: ${FIELD_TYPES.join(", ")}`,
  )
  .check(
    z.superRefine((field, ctx) => {
      if (field.type === "select") requireUnique(field.options, (o) => o.value, ["options"], ctx);
      if (
        (field.type === "number" || field.type === "date") &&
        field.min !== undefined &&
        field.max !== undefined
      ) {
        if (field.min > field.max)
          ctx.addIssue({ code: "custom", path: ["max"], message: "Must not be below min" });
      }
    }),
  );

export type FieldType = (typeof FIELD_TYPES)[number];
export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;
export type FieldDefinitionInput = z.input<typeof fieldDefinitionSchema>;
export type SelectOption = z.infer<typeof selectOptionSchema>;

export const STAGE_STATUSES = ["active", "won", "lost"] as const;

export const stageDefinitionSchema = z.strictObject({
  key: keySchema,
  label: label(),
  description: z.optional(text(500)),
  color: z.optional(colorSchema),
  /** `won` and `lost` are terminal outcomes; `active` means work goes on. */
  status: z._default(oneOf(STAGE_STATUSES), "active"),
});

export const pipelineDefinitionSchema = z
  .strictObject({
    key: keySchema,
    label: label(),
    /** Ordered: an entry progresses from the first stage towards the last. */
    stages: list(stageDefinitionSchema, 1, 50),
    /** Whether customers may move their own entries between stages. */
    customerCanMove: flag(false),
  })
  .check(
    z.superRefine((pipeline, ctx) => requireUnique(pipeline.stages, (s) => s.key, ["stages"], ctx)),
  );

export type StageStatus = (typeof STAGE_STATUSES)[number];
export type StageDefinition = z.infer<typeof stageDefinitionSchema>;
export type PipelineDefinition = z.infer<typeof pipelineDefinitionSchema>;

export const entityDefinitionSchema = z
  .strictObject({
    slug: slugSchema,
    name: label(),
    description: z.optional(text(1000)),
    /**
     * `one`: each reference has at most one entry of this entity (a tracker, a profile);
     * `many`: a reference may have several (deals, orders), addressed by entry id.
     */
    entriesPerReference: z._default(oneOf(["one", "many"]), "one"),
    /** Whether customers may create entries of a `many` entity themselves (`createCrmEntry`). */
    customerCanCreate: flag(false),
    /** Most entries of this entity customers may create for their own reference. */
    customerEntryQuota: z._default(
      wholeNumber(1, MAX_CUSTOMER_ENTRY_QUOTA),
      DEFAULT_CUSTOMER_ENTRY_QUOTA,
    ),
    fields: z._default(list(fieldDefinitionSchema, 0, MAX_FIELDS_PER_ENTITY), []),
    pipelines: z._default(list(pipelineDefinitionSchema, 0, 20), []),
  })
  .check(
    z.superRefine((entity, ctx) => {
      requireUnique(entity.fields, (f) => f.key, ["fields"], ctx);
      requireUnique(entity.pipelines, (p) => p.key, ["pipelines"], ctx);
    }),
  );

export type EntityDefinition = z.infer<typeof entityDefinitionSchema>;
export type EntityDefinitionInput = z.input<typeof entityDefinitionSchema>;

function requireUnique<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  path: (string | number)[],
  ctx: z.core.$RefinementCtx,
): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key))
      ctx.addIssue({
        code: "custom",
        path: [...path, index, "key"],
        message: `Duplicate key "${key}"`,
      });
    seen.add(key);
  });
}

export function findField(entity: EntityDefinition, key: string): FieldDefinition | undefined {
  return entity.fields.find((field) => field.key === key);
}

export function findPipeline(
  entity: EntityDefinition,
  key: string,
): PipelineDefinition | undefined {
  return entity.pipelines.find((pipeline) => pipeline.key === key);
}

/** What a customer may see of an entity: only fields they may read. */
export function customerView(entity: EntityDefinition): EntityDefinition {
  return { ...entity, fields: entity.fields.filter((field) => field.customerAccess !== "none") };
}
