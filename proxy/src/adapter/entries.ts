import type { Client, estypes } from "@elastic/elasticsearch";
import type { CrmEntry, FieldValue, Reference, StagePosition } from "#domain";
import { responseErrorType, responseStatus, toCrmError } from "../elasticsearch/errors.ts";
import type { EntryDocument } from "../elasticsearch/schema.ts";
import type { AdapterContext, RefreshPolicy } from "./context.ts";
import { routingOf } from "./ids.ts";

/**
 * Partial updates of one entry race with each other (100 widgets saving
 * different fields at once): Elasticsearch re-applies a `doc` merge on a
 * version conflict up to this many times, in a tight loop on the primary.
 * Measured here: 100 concurrent updates of one document lose ~70 with 10
 * retries, ~1 with 50, none with 200.
 */
const RETRY_ON_CONFLICT = 100;

/** Should the tight loop still lose, the request is sent again after a random pause, this many times. */
const CONFLICT_RESENDS = 4;
const CONFLICT_PAUSE_MS = 50;

/** Sends a partial update again while it only failed on a version conflict; merges are idempotent. */
async function withConflictResends<T>(send: () => Promise<T>): Promise<T> {
  for (let resend = 0; ; resend++) {
    try {
      return await send();
    } catch (error) {
      if (
        resend >= CONFLICT_RESENDS ||
        responseErrorType(error) !== "version_conflict_engine_exception"
      ) {
        throw error;
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.random() * CONFLICT_PAUSE_MS * (resend + 1)),
      );
    }
  }
}

/** Most entries `getReferenceEntries` returns for one reference across all entities. */
export const MAX_REFERENCE_ENTRIES = 1_000;

/** One entry's stored document, as read by id. */
export interface StoredEntry {
  id: string;
  document: EntryDocument;
}

/** What a write changes: some values and/or some pipeline positions. */
export interface EntryChange {
  values?: Record<string, FieldValue>;
  stages?: Record<string, { stage: string; entered_at: string }>;
}

/**
 * Reads and writes of entry documents. Every call is routed by the entry's
 * reference; reads by id are realtime GETs, writes are single partial updates.
 */
export class EntryStore {
  private readonly client: Client;
  private readonly index: string;

  constructor(context: AdapterContext) {
    this.client = context.client;
    this.index = context.indices.entries;
  }

  /**
   * The entry with this id if it belongs to this entity and reference.
   * `fields` narrows `_source` to what the caller needs (e.g. one value).
   */
  async get(
    id: string,
    slug: string,
    reference: Reference,
    fields?: string[],
  ): Promise<StoredEntry | null> {
    let result: estypes.GetGetResult<EntryDocument>;
    try {
      result = await this.client.get<EntryDocument>(
        {
          index: this.index,
          id,
          routing: routingOf(reference),
          ...(fields
            ? {
                _source_includes: [
                  "slug",
                  "reference_type",
                  "reference_id",
                  "created_at",
                  "updated_at",
                  ...fields,
                ],
              }
            : {}),
        },
        { ignore: [404] },
      );
    } catch (error) {
      throw toCrmError(error);
    }
    const document = result.found ? result._source : undefined;
    if (!document) return null;
    // Ids derive from slug and reference, so this holds unless documents were written by hand.
    if (
      document.slug !== slug ||
      document.reference_type !== reference.type ||
      document.reference_id !== reference.id
    ) {
      return null;
    }
    return { id, document };
  }

  /** Several entries of one reference by id in one realtime request; missing ones are left out. */
  async getMany(ids: string[], reference: Reference): Promise<StoredEntry[]> {
    if (ids.length === 0) return [];
    try {
      const result = await this.client.mget<EntryDocument>({
        index: this.index,
        routing: routingOf(reference),
        ids,
      });
      return result.docs.flatMap((doc) =>
        "found" in doc && doc.found && doc._source ? [{ id: doc._id, document: doc._source }] : [],
      );
    } catch (error) {
      throw toCrmError(error);
    }
  }

  /** Entries of one reference (optionally of some entities), from one shard thanks to routing. */
  async search(
    reference: Reference,
    options: { slugs?: string[]; size: number; sort: estypes.Sort },
  ): Promise<StoredEntry[]> {
    const filter: estypes.QueryDslQueryContainer[] = [
      { term: { reference_type: reference.type } },
      { term: { reference_id: reference.id } },
    ];
    if (options.slugs !== undefined) filter.push({ terms: { slug: options.slugs } });
    try {
      const result = await this.client.search<EntryDocument>({
        index: this.index,
        routing: routingOf(reference),
        size: options.size,
        sort: options.sort,
        query: { bool: { filter } },
      });
      return result.hits.hits.flatMap((hit) =>
        hit._id !== undefined && hit._source ? [{ id: hit._id, document: hit._source }] : [],
      );
    } catch (error) {
      throw toCrmError(error);
    }
  }

  /**
   * Applies a change to the reference's one entry, creating it if missing: one
   * atomic request, race-free (concurrent creations settle as updates).
   * Returns the timestamp written as `updated_at`.
   */
  async upsert(
    id: string,
    slug: string,
    reference: Reference,
    change: EntryChange,
    now: string,
    refresh: RefreshPolicy,
  ): Promise<void> {
    try {
      await withConflictResends(() =>
        this.client.update<EntryDocument, Partial<EntryDocument>>({
          index: this.index,
          id,
          routing: routingOf(reference),
          refresh,
          retry_on_conflict: RETRY_ON_CONFLICT,
          _source: false,
          doc: { ...change, updated_at: now },
          upsert: {
            slug,
            reference_type: reference.type,
            reference_id: reference.id,
            values: change.values ?? {},
            stages: change.stages ?? {},
            created_at: now,
            updated_at: now,
          },
        }),
      );
    } catch (error) {
      throw toCrmError(error);
    }
  }

  /** Applies a change to an existing entry; false if there is no such entry. */
  async update(
    id: string,
    reference: Reference,
    change: EntryChange,
    now: string,
    refresh: RefreshPolicy,
  ): Promise<boolean> {
    try {
      await withConflictResends(() =>
        this.client.update<EntryDocument, Partial<EntryDocument>>({
          index: this.index,
          id,
          routing: routingOf(reference),
          refresh,
          retry_on_conflict: RETRY_ON_CONFLICT,
          _source: false,
          doc: { ...change, updated_at: now },
        }),
      );
    } catch (error) {
      if (
        responseStatus(error) === 404 &&
        responseErrorType(error) === "document_missing_exception"
      ) {
        return false;
      }
      throw toCrmError(error);
    }
    return true;
  }

  /** Stores a new entry under a fresh id. */
  async create(
    id: string,
    slug: string,
    reference: Reference,
    values: Record<string, FieldValue>,
    now: string,
    refresh: RefreshPolicy,
  ): Promise<StoredEntry> {
    const document: EntryDocument = {
      slug,
      reference_type: reference.type,
      reference_id: reference.id,
      values,
      stages: {},
      created_at: now,
      updated_at: now,
    };
    try {
      await this.client.create<EntryDocument>({
        index: this.index,
        id,
        routing: routingOf(reference),
        refresh,
        document,
      });
    } catch (error) {
      throw toCrmError(error);
    }
    return { id, document };
  }
}

/** The entry as every layer returns it; `keepValue` decides which stored values the caller may see. */
export function toCrmEntry(
  stored: StoredEntry,
  keepValue: (key: string) => boolean = () => true,
): CrmEntry {
  const { document } = stored;
  const values: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(document.values ?? {})) {
    if (keepValue(key)) values[key] = value;
  }
  const stages: Record<string, StagePosition> = {};
  for (const [pipeline, position] of Object.entries(document.stages ?? {})) {
    stages[pipeline] = { stage: position.stage, enteredAt: position.entered_at };
  }
  return {
    id: stored.id,
    slug: document.slug,
    reference: { type: document.reference_type, id: document.reference_id },
    values,
    stages,
    createdAt: document.created_at,
    updatedAt: document.updated_at,
  };
}
