import type { CrmEntry, EntityDefinition, FieldDefinition } from "#domain/browser";
import type { CrmRuntime } from "../runtime/runtime.ts";

/** An entity's definition and the session customer's entries of it, read in one batch. */
export function entityWithEntries(
  runtime: CrmRuntime,
  slug: string,
): Promise<[EntityDefinition, CrmEntry[]]> {
  return Promise.all([runtime.getCrmEntity({ slug }), runtime.getCrmEntries({ slug })]);
}

/**
 * The fields a component's `fields` attribute names ("weight, mood"), in its
 * order; naming none, those `fallback` picks from the entity's.
 */
export function listedFields(
  entity: EntityDefinition,
  fieldKeys: string,
  fallback: (fields: FieldDefinition[]) => FieldDefinition[],
): FieldDefinition[] {
  const keys = fieldKeys
    .split(",")
    .map((key) => key.trim())
    .filter(Boolean);
  return keys.length
    ? keys.flatMap((key) => entity.fields.filter((field) => field.key === key))
    : fallback(entity.fields);
}
