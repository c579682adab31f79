import { z } from "zod";
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
  .regex(
    /^[a-z][a-z0-9-]{0,62}$/,
    "Must be 1-63 lowercase letters, digits or dashes, starting with a letter",
  );

/** A key of a field, pipeline, stage or select option: safe in JSON paths, URLs and templates. */
export const keySchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,63}$/,
    "Must be 1-64 lowercase letters, digits or underscores, starting with a letter",
  );

export { isCalendarDate };

export const isoDateSchema = z.iso
  .date("Must be a date written YYYY-MM-DD")
  .refine(isCalendarDate, "Must be a real calendar date");

const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Must be a hex color such as #22c55e");

/** Who among customers may see or change a field. Back office callers always may. */
export const customerAccessSchema = z.enum(["none", "read", "write"]);
export type CustomerAccess = z.infer<typeof customerAccessSchema>;

const fieldBase = {
  key: keySchema,
  label: z.string().trim().min(1).max(100),
  description: z.string().max(500).optional(),
  required: z.boolean().default(false),
  customerAccess: customerAccessSchema.default("none"),
  /** Whether every change of this field's value is kept in the history index. */
  history: z.boolean().default(false),
};

export const textFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("text"),
  maxLength: z.int().min(1).max(TEXT_MAX_LENGTH_LIMIT).default(DEFAULT_TEXT_MAX_LENGTH),
  multiline: z.boolean().default(false),
});

export const numberFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("number"),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  /** Decimal places shown and accepted; omitted means any. */
  decimals: z.int().min(0).max(10).optional(),
  /** A unit shown beside the value, e.g. `kg` (an Intl unit identifier where one exists). */
  unit: z.string().max(30).optional(),
});

export const dateFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("date"),
  min: isoDateSchema.optional(),
  max: isoDateSchema.optional(),
});

export const booleanFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("boolean"),
});

export const selectOptionSchema = z.strictObject({
  value: keySchema,
  label: z.string().trim().min(1).max(100),
  color: colorSchema.optional(),
});

export const selectFieldSchema = z.strictObject({
  ...fieldBase,
  type: z.literal("select"),
  options: z.array(selectOptionSchema).min(1).max(200),
});

export const fieldDefinitionSchema = z
  .discriminatedUnion("type", [
    textFieldSchema,
    numberFieldSchema,
    dateFieldSchema,
    booleanFieldSchema,
    selectFieldSchema,
  ])
  .superRefine((field, ctx) => {
    if (field.type === "select") requireUnique(field.options, (o) => o.value, ["options"], ctx);
    if (
      (field.type === "number" || field.type === "date") &&
      field.min !== undefined &&
      field.max !== undefined
    ) {
      if (field.min > field.max)
        ctx.addIssue({ code: "custom", path: ["max"], message: "Must not be below min" });
    }
  });

export const FIELD_TYPES = ["text", "number", "date", "boolean", "select"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;
export type FieldDefinitionInput = z.input<typeof fieldDefinitionSchema>;
export type SelectOption = z.infer<typeof selectOptionSchema>;

export const STAGE_STATUSES = ["active", "won", "lost"] as const;

export const stageDefinitionSchema = z.strictObject({
  key: keySchema,
  label: z.string().trim().min(1).max(100),
  description: z.string().max(500).optional(),
  color: colorSchema.optional(),
  /** `won` and `lost` are terminal outcomes; `active` means work goes on. */
  status: z.enum(STAGE_STATUSES).default("active"),
});

export const pipelineDefinitionSchema = z
  .strictObject({
    key: keySchema,
    label: z.string().trim().min(1).max(100),
    /** Ordered: an entry progresses from the first stage towards the last. */
    stages: z.array(stageDefinitionSchema).min(1).max(50),
    /** Whether customers may move their own entries between stages. */
    customerCanMove: z.boolean().default(false),
  })
  .superRefine((pipeline, ctx) => requireUnique(pipeline.stages, (s) => s.key, ["stages"], ctx));

export type StageStatus = (typeof STAGE_STATUSES)[number];
export type StageDefinition = z.infer<typeof stageDefinitionSchema>;
export type PipelineDefinition = z.infer<typeof pipelineDefinitionSchema>;

export const entityDefinitionSchema = z
  .strictObject({
    slug: slugSchema,
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).optional(),
    /**
     * `one`: each reference has at most one entry of this entity (a tracker, a profile);
     * `many`: a reference may have several (deals, orders), addressed by entry id.
     */
    entriesPerReference: z.enum(["one", "many"]).default("one"),
    /** Whether customers may create entries of a `many` entity themselves (`createCrmEntry`). */
    customerCanCreate: z.boolean().default(false),
    /** Most entries of this entity customers may create for their own reference. */
    customerEntryQuota: z
      .int()
      .min(1)
      .max(MAX_CUSTOMER_ENTRY_QUOTA)
      .default(DEFAULT_CUSTOMER_ENTRY_QUOTA),
    fields: z.array(fieldDefinitionSchema).max(MAX_FIELDS_PER_ENTITY).default([]),
    pipelines: z.array(pipelineDefinitionSchema).max(20).default([]),
  })
  .superRefine((entity, ctx) => {
    requireUnique(entity.fields, (f) => f.key, ["fields"], ctx);
    requireUnique(entity.pipelines, (p) => p.key, ["pipelines"], ctx);
  });

export type EntityDefinition = z.infer<typeof entityDefinitionSchema>;
export type EntityDefinitionInput = z.input<typeof entityDefinitionSchema>;

function requireUnique<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  path: (string | number)[],
  ctx: z.RefinementCtx,
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
