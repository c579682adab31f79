/**
 * The value stored under `key` in a record of values by key, never one that
 * every object inherits: field and pipeline keys are the site owner's words,
 * and `constructor` is a valid key (a plain lookup would find Object).
 */
export function ownValue<T>(
  record: Readonly<Record<string, T>> | null | undefined,
  key: string,
): T | undefined {
  return record != null && Object.hasOwn(record, key) ? record[key] : undefined;
}
