import { z } from "zod";
import { MAX_BATCH_CALLS } from "./defaults.ts";
import { keySchema, slugSchema } from "./entity.ts";
import type { CrmErrorBody } from "./errors.ts";

/**
 * Arguments of the CRM operations, identical at every layer (adapter, HTTP API,
 * widget runtime). Objects are strict: an unknown argument is refused, not ignored.
 *
 * The reference defaults to `customer` + the session customer's id
 * (see `DEFAULT_REFERENCE_TYPE`); customers may only name their own.
 */
const referenceArgs = {
  referenceType: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, "Must be a reference type such as customer")
    .optional(),
  referenceId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:@-]+$/, "Must be a reference id")
    .optional(),
};

const entryIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.:@-]+$/, "Must be an entry id");

/** A value as sent over the wire; its field's own schema checks it further. */
export const wireValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const getCrmEntriesArgsSchema = z.strictObject({
  slug: slugSchema,
  ...referenceArgs,
});

export const getCrmFieldArgsSchema = z.strictObject({
  slug: slugSchema,
  fieldKey: keySchema,
  /** Required for entities with several entries per reference; otherwise the reference's one entry. */
  entryId: entryIdSchema.optional(),
  ...referenceArgs,
});

export const setCrmFieldArgsSchema = z.strictObject({
  slug: slugSchema,
  fieldKey: keySchema,
  value: wireValueSchema,
  entryId: entryIdSchema.optional(),
  ...referenceArgs,
});

export const getCrmStageArgsSchema = z.strictObject({
  slug: slugSchema,
  pipeline: keySchema,
  entryId: entryIdSchema.optional(),
  ...referenceArgs,
});

export const setCrmStageArgsSchema = z.strictObject({
  slug: slugSchema,
  pipeline: keySchema,
  stage: keySchema,
  entryId: entryIdSchema.optional(),
  ...referenceArgs,
});

export const getCrmEntityArgsSchema = z.strictObject({ slug: slugSchema });

export type GetCrmEntriesArgs = z.infer<typeof getCrmEntriesArgsSchema>;
export type GetCrmFieldArgs = z.infer<typeof getCrmFieldArgsSchema>;
export type SetCrmFieldArgs = z.infer<typeof setCrmFieldArgsSchema>;
export type GetCrmStageArgs = z.infer<typeof getCrmStageArgsSchema>;
export type SetCrmStageArgs = z.infer<typeof setCrmStageArgsSchema>;
export type GetCrmEntityArgs = z.infer<typeof getCrmEntityArgsSchema>;

/** Every operation a batch may carry, by name. */
export const operationArgsSchemas = {
  getCrmEntries: getCrmEntriesArgsSchema,
  getCrmField: getCrmFieldArgsSchema,
  setCrmField: setCrmFieldArgsSchema,
  getCrmStage: getCrmStageArgsSchema,
  setCrmStage: setCrmStageArgsSchema,
  getCrmEntity: getCrmEntityArgsSchema,
} as const;

export type OperationName = keyof typeof operationArgsSchemas;
export const OPERATION_NAMES = Object.keys(operationArgsSchemas) as OperationName[];

export const batchRequestSchema = z.strictObject({
  calls: z
    .array(z.unknown())
    .min(1)
    .max(MAX_BATCH_CALLS, `At most ${MAX_BATCH_CALLS} calls per batch`),
});

/** One call of a batch, after its arguments passed their operation's schema. */
export type BatchCall = {
  [K in OperationName]: { op: K; args: z.infer<(typeof operationArgsSchemas)[K]> };
}[OperationName];

/** One result of a batch, in the order of the calls: each succeeds or fails on its own. */
export type BatchResult = { ok: true; data: unknown } | { ok: false; error: CrmErrorBody };

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === "string" && Object.hasOwn(operationArgsSchemas, value);
}
