import { createHash, randomBytes } from "node:crypto";
import type { Reference } from "#domain";

/**
 * Deterministic ids. A customer's id derives from the verified identity, an
 * entry's id from its entity and reference: concurrent first writes then
 * address the same document, and Elasticsearch's create-only writes settle the
 * race. Hashing keeps ids short and URL-safe whatever the inputs contain.
 */

const HASH_LENGTH = 22;

/**
 * Synchronous on purpose: WebCrypto's digest costs ~100 µs and a trip through
 * the thread pool per call, where `node:crypto` (also in workerd with
 * nodejs_compat) takes ~2 µs, and a synchronous id keeps the reads of one
 * batch in the same turn of the event loop so they share one `_mget`.
 */
function hash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("base64url").slice(0, HASH_LENGTH);
}

/** The customer id of a token's issuer and subject. */
export function customerIdFor(issuer: string, subject: string): string {
  return `c_${hash("customer", issuer, subject)}`;
}

/**
 * The id of the one entry a reference has of an entity with one entry per
 * reference. Entities with many entries use it as the prefix of every entry
 * id, so an id proves which entity and reference it belongs to.
 */
export function referenceEntryId(slug: string, reference: Reference): string {
  return `e_${hash("entry", slug, reference.type, reference.id)}`;
}

/**
 * A new entry id of an entity with many entries per reference: random, or
 * derived from the client's operation id, so that the create sent again
 * addresses the entry its first attempt stored.
 */
export function newEntryId(slug: string, reference: Reference, operationId?: string): string {
  const own =
    operationId === undefined
      ? randomBytes(16).toString("base64url")
      : hash("operation", operationId);
  return `${referenceEntryId(slug, reference)}.${own}`;
}

/** Whether an entry id of a many-entries entity was issued for this entity and reference. */
export function isEntryIdOf(entryId: string, slug: string, reference: Reference): boolean {
  const prefix = `${referenceEntryId(slug, reference)}.`;
  return entryId.startsWith(prefix) && entryId.length > prefix.length;
}

/** Entries are routed by their reference, so one reference's entries share a shard. */
export function routingOf(reference: Reference): string {
  return `${reference.type}:${reference.id}`;
}
