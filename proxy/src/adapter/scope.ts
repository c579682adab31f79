import {
  CrmError,
  DEFAULT_REFERENCE_TYPE,
  type EntityDefinition,
  type FieldDefinition,
  findField,
  findPipeline,
  type PipelineDefinition,
  type Reference,
} from "#domain";
import type { EntryView } from "./entries.ts";

/**
 * Who calls an operation. Backend callers (scripts, admin routes) and staff
 * (a verified staff token, by subject) have full access and name the
 * reference; a customer reaches only their own reference and the fields and
 * pipelines open to customers.
 */
export type Caller =
  | { kind: "backend" }
  | { kind: "staff"; subject: string }
  | { kind: "customer"; customerId: string };

/** The reference an operation addresses, after the caller's scope was applied. */
export function referenceFor(
  caller: Caller,
  args: { referenceType?: string | undefined; referenceId?: string | undefined },
): Reference {
  const type = args.referenceType ?? DEFAULT_REFERENCE_TYPE;
  if (caller.kind !== "customer") {
    if (args.referenceId === undefined) {
      throw new CrmError(
        "invalid_request",
        "referenceId: Required outside a customer session",
        "referenceId",
      );
    }
    return { type, id: args.referenceId };
  }
  const id = args.referenceId ?? caller.customerId;
  // Another reference is answered exactly like a missing entry: its existence stays hidden.
  if (type !== DEFAULT_REFERENCE_TYPE || id !== caller.customerId) throw entryNotFound();
  return { type, id };
}

export function entryNotFound(): CrmError {
  return new CrmError("entry_not_found", "No such entry");
}

/** The field as this caller may read it; fields hidden from customers do not exist for them. */
export function readableField(
  caller: Caller,
  entity: EntityDefinition,
  fieldKey: string,
): FieldDefinition {
  const field = findField(entity, fieldKey);
  if (!field || (caller.kind === "customer" && field.customerAccess === "none")) {
    throw new CrmError(
      "field_not_found",
      `No field "${fieldKey}" in entity "${entity.slug}"`,
      fieldKey,
    );
  }
  return field;
}

export function writableField(
  caller: Caller,
  entity: EntityDefinition,
  fieldKey: string,
): FieldDefinition {
  const field = readableField(caller, entity, fieldKey);
  if (caller.kind === "customer" && field.customerAccess !== "write") {
    throw new CrmError(
      "field_not_writable",
      `Field "${fieldKey}" cannot be changed here`,
      fieldKey,
    );
  }
  return field;
}

/**
 * What of an entry this caller may see: customers only the values of fields
 * open to them, and never who wrote it last; staff and backend callers all.
 */
export function entryView(caller: Caller, entity: EntityDefinition): EntryView {
  if (caller.kind !== "customer") {
    return { keep: () => true, keepPipeline: () => true, withWriter: true };
  }
  const visible = new Set(
    entity.fields.filter((field) => field.customerAccess !== "none").map((field) => field.key),
  );
  const pipelines = new Set(entity.pipelines.map((pipeline) => pipeline.key));
  return {
    keep: (key) => visible.has(key),
    keepPipeline: (key) => pipelines.has(key),
    withWriter: false,
  };
}

export function pipelineOf(entity: EntityDefinition, key: string): PipelineDefinition {
  const pipeline = findPipeline(entity, key);
  if (!pipeline) {
    throw new CrmError(
      "pipeline_not_found",
      `No pipeline "${key}" in entity "${entity.slug}"`,
      "pipeline",
    );
  }
  return pipeline;
}

export function movablePipeline(
  caller: Caller,
  entity: EntityDefinition,
  key: string,
): PipelineDefinition {
  const pipeline = pipelineOf(entity, key);
  if (caller.kind === "customer" && !pipeline.customerCanMove) {
    throw new CrmError(
      "stage_not_movable",
      `Stages of "${key}" cannot be changed here`,
      "pipeline",
    );
  }
  return pipeline;
}
