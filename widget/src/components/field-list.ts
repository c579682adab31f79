import type { EntityDefinition, FieldDefinition } from "#domain/browser";

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
