import type { Client, estypes } from "@elastic/elasticsearch";
import {
  type Actor,
  type CrmEntry,
  CrmError,
  type FieldValue,
  type Reference,
  type StagePosition,
} from "#domain";
import {
  elasticsearchCall,
  fromElasticsearchError,
  responseErrorType,
  responseStatus,
} from "../elasticsearch/errors.ts";
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

/** What every read returns besides the fields asked for: enough to check the entry's owner. */
const ENTRY_IDENTITY = ["slug", "reference_type", "reference_id", "created_at", "updated_at"];

interface PendingRead {
  id: string;
  slug: string;
  reference: Reference;
  fields: string[] | undefined;
  resolve: (entry: StoredEntry | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs after the current turn's promise callbacks, so every read a batch
 * starts together is queued before the flush. `setImmediate` where the
 * runtime has it (Node, workerd with nodejs_compat), else a zero timeout.
 */
function scheduleSoon(task: () => void): void {
  if (typeof globalThis.setImmediate === "function") globalThis.setImmediate(task);
  else setTimeout(task, 0);
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

/** One change of one entry (see `EntryStore.applyChange`). */
export interface EntryWrite {
  id: string;
  reference: Reference;
  change: EntryChange;
  /** Who makes the change: kept as the entry's `updated_by`. */
  by: Actor;
  /** ISO timestamp of the change: `updated_at`, and `created_at` of a created entry. */
  now: string;
  /** Create the entry with this slug if it is missing (one-entry entities). */
  createAs?: { slug: string } | undefined;
}

/** Whether an update failed because its entry does not exist (and was not to be created). */
export function isMissingEntry(status: number | undefined, type: string | undefined): boolean {
  return status === 404 && type === "document_missing_exception";
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

  /** A reader whose reads started together share one `_mget` (see `EntryReader`). */
  reader(): EntryReader {
    return new EntryReader(this.client, this.index);
  }

  /** Several entries of one reference by id in one realtime request; missing ones are left out. */
  async getMany(ids: string[], reference: Reference): Promise<StoredEntry[]> {
    if (ids.length === 0) return [];
    const result = await elasticsearchCall(() =>
      this.client.mget<EntryDocument>({ index: this.index, routing: routingOf(reference), ids }),
    );
    return result.docs.flatMap((doc) =>
      "found" in doc && doc.found && doc._source ? [{ id: doc._id, document: doc._source }] : [],
    );
  }

  /** Entries of one reference (optionally of some entities), from one shard thanks to routing. */
  async search(
    reference: Reference,
    options: { slugs?: string[]; size: number; from?: number; sort: estypes.Sort },
  ): Promise<StoredEntry[]> {
    const filter: estypes.QueryDslQueryContainer[] = [
      { term: { reference_type: reference.type } },
      { term: { reference_id: reference.id } },
    ];
    if (options.slugs !== undefined) filter.push({ terms: { slug: options.slugs } });
    const result = await elasticsearchCall(() =>
      this.client.search<EntryDocument>({
        index: this.index,
        routing: routingOf(reference),
        size: options.size,
        ...(options.from ? { from: options.from } : {}),
        sort: options.sort,
        query: { bool: { filter } },
      }),
    );
    return result.hits.hits.flatMap((hit) =>
      hit._id !== undefined && hit._source ? [{ id: hit._id, document: hit._source }] : [],
    );
  }

  /** How many entries of one entity a reference has (searchable ones: many-entry writes wait for a refresh). */
  async count(reference: Reference, slug: string): Promise<number> {
    const result = await elasticsearchCall(() =>
      this.client.count({
        index: this.index,
        routing: routingOf(reference),
        query: {
          bool: {
            filter: [
              { term: { reference_type: reference.type } },
              { term: { reference_id: reference.id } },
              { term: { slug } },
            ],
          },
        },
      }),
    );
    return result.count;
  }

  /**
   * Applies a change to an entry in one partial update. With `createAs`, a
   * missing entry is created with that slug in the same atomic request
   * (race-free: concurrent creations settle as updates); without it, false
   * says there is no such entry.
   */
  async applyChange(write: EntryWrite & { refresh: RefreshPolicy }): Promise<boolean> {
    const [action, body] = this.updateLines(write);
    try {
      await withConflictResends(() =>
        this.client.update<EntryDocument, Partial<EntryDocument>>({
          index: this.index,
          id: action.update._id,
          routing: action.update.routing,
          refresh: write.refresh,
          retry_on_conflict: RETRY_ON_CONFLICT,
          ...body,
        }),
      );
    } catch (error) {
      if (isMissingEntry(responseStatus(error), responseErrorType(error))) return false;
      throw fromElasticsearchError(error);
    }
    return true;
  }

  /**
   * `applyChange`'s update as the two lines of a `_bulk`, for a write that
   * sends its history records in the same request (see `HistoryStore.apply`).
   */
  updateLines(
    write: EntryWrite,
  ): [
    { update: { _index: string; _id: string; routing: string; retry_on_conflict: number } },
    { doc: Partial<EntryDocument>; upsert?: EntryDocument; _source: false },
  ] {
    const { change, now, by, createAs, reference } = write;
    const upsert: EntryDocument | undefined = createAs && {
      slug: createAs.slug,
      reference_type: reference.type,
      reference_id: reference.id,
      values: change.values ?? {},
      stages: change.stages ?? {},
      created_at: now,
      updated_at: now,
      updated_by: by,
    };
    return [
      {
        update: {
          _index: this.index,
          _id: write.id,
          routing: routingOf(reference),
          retry_on_conflict: RETRY_ON_CONFLICT,
        },
      },
      {
        doc: { ...change, updated_at: now, updated_by: by },
        ...(upsert ? { upsert } : {}),
        _source: false,
      },
    ];
  }

  /** Deletes one entry; false if there was none. */
  async delete({
    id,
    reference,
    refresh,
  }: {
    id: string;
    reference: Reference;
    refresh: RefreshPolicy;
  }): Promise<boolean> {
    const result = await elasticsearchCall(() =>
      this.client.delete(
        { index: this.index, id, routing: routingOf(reference), refresh },
        { ignore: [404] },
      ),
    );
    return result.result === "deleted";
  }

  /**
   * Stores a new entry under a fresh id. With `idFromOperation`, the id was
   * derived from the client's operation id, so an entry already stored under
   * it is this very operation sent again: it answers that entry.
   */
  async create({
    id,
    slug,
    reference,
    values,
    now,
    refresh,
    by,
    idFromOperation = false,
  }: {
    id: string;
    slug: string;
    reference: Reference;
    values: Record<string, FieldValue>;
    now: string;
    refresh: RefreshPolicy;
    by: Actor;
    idFromOperation?: boolean;
  }): Promise<StoredEntry> {
    const document: EntryDocument = {
      slug,
      reference_type: reference.type,
      reference_id: reference.id,
      values,
      stages: {},
      created_at: now,
      updated_at: now,
      updated_by: by,
    };
    try {
      await this.client.create<EntryDocument>(
        {
          index: this.index,
          id,
          routing: routingOf(reference),
          refresh,
          document,
        },
        // A create retried after a gateway error that hid its success would answer 409.
        { maxRetries: 0 },
      );
    } catch (error) {
      // The id is new (random), so a 409 can only be this create itself: Elasticsearch re-runs
      // a write on the new primary when the old one fails mid-request, and the new primary
      // already holds the replicated document. Read it back (realtime) to be sure it is ours.
      // An id derived from the operation id is the client's resend of this create.
      if (responseStatus(error) === 409) {
        const [stored] = await this.getMany([id], reference).catch(() => []);
        if (stored && (idFromOperation || stored.document.created_at === now)) return stored;
        throw new CrmError(
          "outcome_unknown",
          "The CRM store did not confirm the new entry: it may have been saved. Check before repeating it",
        );
      }
      throw fromElasticsearchError(error);
    }
    return { id, document };
  }
}

/**
 * Reads entries by id. Reads asked for in the same turn of the event loop (the
 * calls of one batch, the components of one page) go to Elasticsearch as one
 * realtime `_mget`. One reader serves one caller's request: Workers forbid
 * settling one request's promises with another request's I/O, so readers are
 * never shared between requests.
 */
export class EntryReader {
  private readonly client: Client;
  private readonly index: string;
  private pendingReads: PendingRead[] = [];

  constructor(client: Client, index: string) {
    this.client = client;
    this.index = index;
  }

  /**
   * The entry with this id if it belongs to this entity and reference.
   * `fields` narrows `_source` to what the caller needs (e.g. one value).
   */
  get(
    id: string,
    slug: string,
    reference: Reference,
    fields?: string[],
  ): Promise<StoredEntry | null> {
    return new Promise((resolve, reject) => {
      if (this.pendingReads.length === 0) scheduleSoon(() => this.flushReads());
      this.pendingReads.push({ id, slug, reference, fields, resolve, reject });
    });
  }

  private async flushReads(): Promise<void> {
    const reads = this.pendingReads;
    this.pendingReads = [];
    let docs: estypes.MgetResponseItem<EntryDocument>[];
    try {
      const result = await this.client.mget<EntryDocument>({
        index: this.index,
        docs: reads.map((read) => ({
          _id: read.id,
          routing: routingOf(read.reference),
          ...(read.fields ? { _source: { includes: [...ENTRY_IDENTITY, ...read.fields] } } : {}),
        })),
      });
      docs = result.docs;
    } catch (error) {
      const failure = fromElasticsearchError(error);
      for (const read of reads) read.reject(failure);
      return;
    }
    reads.forEach((read, index) => {
      const doc = docs[index];
      if (doc && "error" in doc) {
        // A missing index holds no entries yet. Other per-document failures are
        // shard-level (e.g. no shard available): the store is unavailable for now.
        if (doc.error.type === "index_not_found_exception") {
          read.resolve(null);
        } else {
          console.error("Elasticsearch could not read an entry:", doc.error.type);
          read.reject(
            new CrmError("unavailable", "The CRM store is unavailable, try again shortly"),
          );
        }
        return;
      }
      const document = doc?.found ? doc._source : undefined;
      // Ids derive from slug and reference, so this holds unless documents were written by hand.
      const belongs =
        document !== undefined &&
        document.slug === read.slug &&
        document.reference_type === read.reference.type &&
        document.reference_id === read.reference.id;
      read.resolve(belongs ? { id: read.id, document } : null);
    });
  }
}

/** The entry as every layer returns it; `keepValue` decides which stored values the caller may see. */
export function toCrmEntry(stored: StoredEntry, view: EntryView = FULL_VIEW): CrmEntry {
  const keepValue = view.keep;
  const { document } = stored;
  const values: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(document.values ?? {})) {
    if (keepValue(key)) values[key] = value;
  }
  const stages: Record<string, StagePosition> = {};
  for (const [pipeline, position] of Object.entries(document.stages ?? {})) {
    if (view.keepPipeline(pipeline)) {
      stages[pipeline] = { stage: position.stage, enteredAt: position.entered_at };
    }
  }
  return {
    id: stored.id,
    slug: document.slug,
    reference: { type: document.reference_type, id: document.reference_id },
    values,
    stages,
    createdAt: document.created_at,
    updatedAt: document.updated_at,
    ...(view.withWriter && document.updated_by ? { updatedBy: document.updated_by } : {}),
  };
}

/** What of a stored entry a caller sees: which values, and whether who wrote it last. */
export interface EntryView {
  keep: (key: string) => boolean;
  /** Which stored pipeline positions the caller sees (customers: only pipelines still defined). */
  keepPipeline: (key: string) => boolean;
  withWriter: boolean;
}

/** Staff and backend callers see everything. */
const FULL_VIEW: EntryView = { keep: () => true, keepPipeline: () => true, withWriter: true };
