/**
 * What an operation reads or changes, as a key: two calls with one target
 * touch the same data, so a batch keeps writes to one target in their order
 * and a cache knows which of its reads a write concerns. Targets compare
 * within one caller (a reference left out is the caller's own). Zod-free, so
 * the browser runtime uses the same keys as the proxy.
 */
export type OperationTarget = string;

/** The arguments that say which entry of which reference a call addresses. */
export interface EntryAddress {
  slug: string;
  entryId?: string | undefined;
  referenceType?: string | undefined;
  referenceId?: string | undefined;
}

function referenceOf(address: Omit<EntryAddress, "entryId">): string {
  return `${address.referenceType ?? ""}/${address.referenceId ?? ""}`;
}

function entryOf(address: EntryAddress): string {
  return `${address.slug}/${referenceOf(address)}/${address.entryId ?? ""}`;
}

/** One field of one entry. */
export function fieldTarget(args: EntryAddress & { fieldKey: string }): OperationTarget {
  return `field:${entryOf(args)}/${args.fieldKey}`;
}

/** One pipeline of one entry. */
export function stageTarget(args: EntryAddress & { pipeline: string }): OperationTarget {
  return `stage:${entryOf(args)}/${args.pipeline}`;
}

/** The list of one entity's entries for one reference (creating an entry changes it). */
export function entriesTarget(args: Omit<EntryAddress, "entryId">): OperationTarget {
  return `entries:${args.slug}/${referenceOf(args)}`;
}

/** One entity definition. */
export function entityTarget(args: { slug: string }): OperationTarget {
  return `entity:${args.slug}`;
}
