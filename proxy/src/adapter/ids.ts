import type { Reference } from "#domain";

/**
 * Deterministic ids. A customer's id derives from the verified identity, an
 * entry's id from its entity and reference: concurrent first writes then
 * address the same document, and Elasticsearch's create-only writes settle the
 * race. Hashing keeps ids short and URL-safe whatever the inputs contain.
 */

const HASH_LENGTH = 22;

async function hash(...parts: string[]): Promise<string> {
  const bytes = new TextEncoder().encode(parts.join("\n"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return base64url(digest).slice(0, HASH_LENGTH);
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The customer id of a token's issuer and subject. */
export async function customerIdFor(issuer: string, subject: string): Promise<string> {
  return `c_${await hash("customer", issuer, subject)}`;
}

/**
 * The id of the one entry a reference has of an entity with one entry per
 * reference. Entities with many entries use it as the prefix of every entry
 * id, so an id proves which entity and reference it belongs to.
 */
export async function referenceEntryId(slug: string, reference: Reference): Promise<string> {
  return `e_${await hash("entry", slug, reference.type, reference.id)}`;
}

/** A new random entry id of an entity with many entries per reference. */
export async function newEntryId(slug: string, reference: Reference): Promise<string> {
  const random = crypto.getRandomValues(new Uint8Array(16));
  return `${await referenceEntryId(slug, reference)}.${base64url(random)}`;
}

/** Whether an entry id of a many-entries entity was issued for this entity and reference. */
export async function isEntryIdOf(
  entryId: string,
  slug: string,
  reference: Reference,
): Promise<boolean> {
  const prefix = `${await referenceEntryId(slug, reference)}.`;
  return entryId.startsWith(prefix) && entryId.length > prefix.length;
}

/** Entries are routed by their reference, so one reference's entries share a shard. */
export function routingOf(reference: Reference): string {
  return `${reference.type}:${reference.id}`;
}
