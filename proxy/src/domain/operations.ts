import { z } from "zod";
import { entryArgs, fieldArgs, pipelineArgs, referenceArgs } from "./arguments.ts";
import { MAX_BATCH_CALLS, MAX_ENTRIES_OFFSET, MAX_ENTRIES_PER_READ } from "./defaults.ts";
import { keySchema, slugSchema, storedEntityDefinitionSchema } from "./documented.ts";
import {
  crmEntrySchema,
  crmFieldValueSchema,
  crmStageValueSchema,
  wireValueSchema,
} from "./entry.ts";
import type { CrmErrorBody } from "./errors.ts";
import {
  crmFieldHistorySchema,
  crmStageHistorySchema,
  getCrmFieldHistoryArgsSchema,
  getCrmStageHistoryArgsSchema,
} from "./history.ts";
import {
  entityTarget,
  entriesTarget,
  fieldTarget,
  type OperationTarget,
  stageTarget,
} from "./targets.ts";

/**
 * Arguments of the CRM operations, identical at every layer (adapter, HTTP API,
 * widget runtime). Objects are strict: an unknown argument is refused, not ignored.
 */

/**
 * Names one change, chosen by the client (the widget runtime makes one per
 * write and keeps it when it sends the request again). The same change sent
 * again after its answer was lost is then recorded once in history, and a
 * created entry is created once: the id is hashed into the history record's
 * id and the new entry's id. Optional: without it a resend is a new change.
 * Stage moves need none: a move sent again finds the entry in its stage
 * already, which changes and records nothing more.
 */
export const operationIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[\w-]+$/, "Must be 8 to 64 letters, digits, - or _");

/** A page of `getCrmEntries`: newest first, `limit` entries from `offset`. */
export const entriesLimitSchema = z.int().min(1).max(MAX_ENTRIES_PER_READ);
export const entriesOffsetSchema = z.int().min(0).max(MAX_ENTRIES_OFFSET);

export const getCrmEntriesArgsSchema = z.strictObject({
  slug: slugSchema,
  /** Entries per page, at most 100 (the default). */
  limit: entriesLimitSchema.optional(),
  /** How many of the newest entries to skip; the next page starts at offset + limit. */
  offset: entriesOffsetSchema.optional(),
  ...referenceArgs,
});

export const getCrmFieldArgsSchema = z.strictObject({ ...fieldArgs, ...entryArgs });

export const setCrmFieldArgsSchema = z.strictObject({
  ...fieldArgs,
  value: wireValueSchema,
  ...entryArgs,
  operationId: operationIdSchema.optional(),
});

export const getCrmStageArgsSchema = z.strictObject({ ...pipelineArgs, ...entryArgs });

export const setCrmStageArgsSchema = z.strictObject({
  ...pipelineArgs,
  stage: keySchema,
  ...entryArgs,
});

export const createCrmEntryArgsSchema = z.strictObject({
  slug: slugSchema,
  values: z.record(z.string(), wireValueSchema).optional(),
  operationId: operationIdSchema.optional(),
  ...referenceArgs,
});

export const getCrmEntityArgsSchema = z.strictObject({ slug: slugSchema });

export const deleteCrmEntryArgsSchema = z.strictObject({ slug: slugSchema, ...entryArgs });

export const deletedCrmEntrySchema = z
  .object({ slug: z.string(), entryId: z.string(), deleted: z.boolean() })
  .meta({ id: "DeletedCrmEntry" });

export type GetCrmEntriesArgs = z.input<typeof getCrmEntriesArgsSchema>;
export type GetCrmFieldArgs = z.input<typeof getCrmFieldArgsSchema>;
export type SetCrmFieldArgs = z.input<typeof setCrmFieldArgsSchema>;
export type GetCrmStageArgs = z.input<typeof getCrmStageArgsSchema>;
export type SetCrmStageArgs = z.input<typeof setCrmStageArgsSchema>;
export type CreateCrmEntryArgs = z.input<typeof createCrmEntryArgsSchema>;
export type GetCrmEntityArgs = z.input<typeof getCrmEntityArgsSchema>;
export type DeleteCrmEntryArgs = z.input<typeof deleteCrmEntryArgsSchema>;

/** A read changes nothing; a write changes its target. */
export type OperationKind = "read" | "write";

/** One row of the operation table. */
export interface OperationSpec<
  Kind extends OperationKind = OperationKind,
  Args extends z.ZodType = z.ZodType,
  Result extends z.ZodType = z.ZodType,
> {
  kind: Kind;
  /** The strict schema every layer checks the arguments with. */
  args: Args;
  /** What the operation answers (also the OpenAPI response). */
  result: Result;
  /** What the call reads or changes: writes to one target run in order. */
  target: (args: z.output<Args>) => OperationTarget;
  /** One line for the OpenAPI document and the docs. */
  summary: string;
  /** Only staff (and the owner's backend) may call it; customer batches refuse it. */
  staffOnly?: true;
}

/** Keeps each row's literal kind and ties `target` to that row's arguments. */
function operation<
  const Kind extends OperationKind,
  Args extends z.ZodType,
  Result extends z.ZodType,
>(spec: OperationSpec<Kind, Args, Result>): OperationSpec<Kind, Args, Result> {
  return spec;
}

/**
 * THE operation table: every CRM operation, once. The batch dispatch, the set
 * of writes, the adapter's `CrmOperations` type, the HTTP routes' schemas and
 * the widget runtime's operation types are all derived from it. Adding an
 * operation means a row here and its function in the adapter
 * (`proxy/src/adapter/operations.ts`), which the compiler then asks for.
 */
export const OPERATIONS = {
  getCrmEntries: operation({
    kind: "read",
    args: getCrmEntriesArgsSchema,
    result: z.array(crmEntrySchema),
    target: entriesTarget,
    summary:
      "the entries of one entity for a reference (default: the session customer), newest first, a page of `limit` from `offset`",
  }),
  getCrmField: operation({
    kind: "read",
    args: getCrmFieldArgsSchema,
    result: crmFieldValueSchema,
    target: fieldTarget,
    summary: "one field of an entry",
  }),
  setCrmField: operation({
    kind: "write",
    args: setCrmFieldArgsSchema,
    result: crmFieldValueSchema,
    target: fieldTarget,
    summary: "sets one field, creating the entry of a one-entry entity if there is none",
  }),
  getCrmStage: operation({
    kind: "read",
    args: getCrmStageArgsSchema,
    result: crmStageValueSchema,
    target: stageTarget,
    summary: "where an entry stands in a pipeline",
  }),
  setCrmStage: operation({
    kind: "write",
    args: setCrmStageArgsSchema,
    result: crmStageValueSchema,
    target: stageTarget,
    summary: "moves an entry to a stage (pipelines customers may move)",
  }),
  createCrmEntry: operation({
    kind: "write",
    args: createCrmEntryArgsSchema,
    result: crmEntrySchema,
    target: entriesTarget,
    summary: "a new entry of an entity with several entries per reference",
  }),
  // A field's history changes with the field (and a stage's with the stage), so they
  // share its target: a batch orders them after the write, the runtime re-reads them.
  getCrmFieldHistory: operation({
    kind: "read",
    args: getCrmFieldHistoryArgsSchema,
    result: crmFieldHistorySchema,
    target: fieldTarget,
    summary: "recorded values of a field that keeps history, newest first unless asked otherwise",
  }),
  getCrmStageHistory: operation({
    kind: "read",
    args: getCrmStageHistoryArgsSchema,
    result: crmStageHistorySchema,
    target: stageTarget,
    summary: "recorded moves of an entry (or a reference's entries) in one pipeline",
  }),
  deleteCrmEntry: operation({
    kind: "write",
    args: deleteCrmEntryArgsSchema,
    result: deletedCrmEntrySchema,
    target: entriesTarget,
    summary: "deletes an entry (idempotent: `deleted` says whether there was one)",
    staffOnly: true,
  }),
  getCrmEntity: operation({
    kind: "read",
    args: getCrmEntityArgsSchema,
    result: storedEntityDefinitionSchema,
    target: entityTarget,
    summary: "the entity definition as the caller may see it (customers: readable fields only)",
  }),
} as const;

type Table = typeof OPERATIONS;
export type OperationName = keyof Table;
/** The arguments a caller passes to operation `K`. */
export type OperationArgs<K extends OperationName> = z.input<Table[K]["args"]>;
/** What operation `K` answers. */
export type OperationResult<K extends OperationName> = z.output<Table[K]["result"]>;
export type ReadOperationName = {
  [K in OperationName]: Table[K]["kind"] extends "read" ? K : never;
}[OperationName];
export type WriteOperationName = Exclude<OperationName, ReadOperationName>;
/** The operations customers may call (every other one is `staffOnly`). */
export type CustomerOperationName = {
  [K in OperationName]: Table[K] extends { staffOnly: true } ? never : K;
}[OperationName];

/**
 * The CRM operations as functions: the adapter implements this type, the
 * widget runtime exposes it. Failures are `CrmError`s with stable codes.
 */
export type CrmOperations = {
  [K in OperationName]: (args: OperationArgs<K>) => Promise<OperationResult<K>>;
};

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === "string" && Object.hasOwn(OPERATIONS, value);
}

/** Whether customers may call an operation (staff and backend callers may call every one). */
export function isCustomerOperation(name: OperationName): name is CustomerOperationName {
  return !("staffOnly" in OPERATIONS[name]);
}

export function isWriteOperation(name: OperationName): name is WriteOperationName {
  return OPERATIONS[name].kind === "write";
}

export const batchRequestSchema = z.strictObject({
  calls: z
    .array(z.unknown())
    .min(1)
    .max(MAX_BATCH_CALLS, `At most ${MAX_BATCH_CALLS} calls per batch`),
});

/** One call of a batch, after its arguments passed their operation's schema. */
export type BatchCall = {
  [K in OperationName]: { op: K; args: z.output<Table[K]["args"]> };
}[OperationName];

/** Runs one checked call on a set of operations: the table's dispatch, no hand-written switch. */
export function runOperation<K extends OperationName>(
  operations: CrmOperations,
  op: K,
  args: OperationArgs<K>,
): Promise<OperationResult<K>> {
  return operations[op](args);
}

/** What a checked call reads or changes (see `OperationSpec.target`). */
export function targetOf(call: BatchCall): OperationTarget {
  const target = OPERATIONS[call.op].target as (args: BatchCall["args"]) => OperationTarget;
  return target(call.args);
}

/** One result of a batch, in the order of the calls: each succeeds or fails on its own. */
export type BatchResult = { ok: true; data: unknown } | { ok: false; error: CrmErrorBody };
