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
 * Writes of one entry are compare-and-set (`if_seq_no`/`if_primary_term`): Elasticsearch may
 * run a write long after its client gave up on it (a coordinating node that loses the
 * primary's node re-sends the request to the new primary, even past its `timeout`), and an
 * unconditional one would then overwrite a newer acknowledged value. A late conditional write
 * finds the entry changed and is refused. A conflict re-reads the version and tries again,
 * after a short random pause, up to this many times.
 */
const MAX_WRITE_ATTEMPTS = 30;
const CONFLICT_PAUSE_MS = 20;
/** Entry versions remembered from earlier writes and reads, so a write rarely needs a read first. */
const MAX_KNOWN_VERSIONS = 10_000;

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
  private readonly versions = new KnownVersions();
  /** One writer for every request, where the runtime lets requests share I/O (Node). */
  private readonly sharedWriter: EntryWriter | undefined;

  constructor(context: AdapterContext, options: { shareWrites: boolean }) {
    this.client = context.client;
    this.index = context.indices.entries;
    if (options.shareWrites) this.sharedWriter = this.newWriter();
  }

  /** A reader whose reads started together share one `_mget` (see `EntryReader`). */
  reader(): EntryReader {
    return new EntryReader(this.client, this.index);
  }

  /**
   * A writer whose concurrent changes of one entry go out as one write (see `EntryWriter`):
   * the process's own on Node, one per request on Workers, which forbid settling one
   * request's promises with another request's I/O.
   */
  writer(): EntryWriter {
    return this.sharedWriter ?? this.newWriter();
  }

  private newWriter(): EntryWriter {
    return new EntryWriter(this.client, this.index, this.versions);
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
   * Applies a change to an entry (see `EntryWriter`). With `createAs`, a missing entry is
   * created with that slug; without it, false says there is no such entry.
   */
  applyChange(write: EntryWrite & { refresh: RefreshPolicy }): Promise<boolean> {
    return this.writer().applyChange(write);
  }

  /**
   * `applyChange`'s write as the two lines of a `_bulk`, for a write that sends its history
   * records in the same request (see `HistoryStore.apply`): a compare-and-set update of the
   * version this process knows or reads now, or a create when the entry is missing and
   * `createAs` says to make it; null when it is missing and may not be made. A conflict or a
   * missing entry in the bulk's answer goes through `applyChange`; a success goes to
   * `written`.
   */
  async entryLines(
    write: EntryWrite,
  ): Promise<
    | [{ update: BulkTarget & EntryVersionQuery }, { doc: Partial<EntryDocument>; _source: false }]
    | [{ create: BulkTarget }, EntryDocument]
    | null
  > {
    const { id, change, now, by, createAs, reference } = write;
    const routing = routingOf(reference);
    const version =
      this.versions.get(id) ??
      (await readVersion(this.client, this.index, id, routing, this.versions));
    const target = { _index: this.index, _id: id, routing };
    if (version === null) {
      if (!createAs) return null;
      return [{ create: target }, newEntryDocument(createAs.slug, write, now, now, by, change)];
    }
    return [
      { update: { ...target, if_seq_no: version.seqNo, if_primary_term: version.primaryTerm } },
      { doc: { ...change, updated_at: now, updated_by: by }, _source: false },
    ];
  }

  /** Remembers the version a write of `id` left (from a bulk item), for the next write. */
  written(id: string, item: { _seq_no?: number; _primary_term?: number }): void {
    this.versions.remember(id, item);
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
    this.versions.forget(id);
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
      const created = await this.client.create<EntryDocument>(
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
      this.versions.remember(id, created);
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

/** The version of an entry a compare-and-set write names. */
interface EntryVersion {
  seqNo: number;
  primaryTerm: number;
}

/** Versions of entries this process wrote or read last, bounded (oldest forgotten first). */
class KnownVersions {
  readonly #versions = new Map<string, EntryVersion>();

  get(id: string): EntryVersion | undefined {
    return this.#versions.get(id);
  }

  remember(id: string, written: { _seq_no?: number; _primary_term?: number }): void {
    if (written._seq_no === undefined || written._primary_term === undefined) return;
    this.#versions.delete(id);
    this.#versions.set(id, { seqNo: written._seq_no, primaryTerm: written._primary_term });
    if (this.#versions.size > MAX_KNOWN_VERSIONS) {
      const oldest = this.#versions.keys().next();
      if (!oldest.done) this.#versions.delete(oldest.value);
    }
  }

  forget(id: string): void {
    this.#versions.delete(id);
  }
}

/** The target of a `_bulk` line. */
interface BulkTarget {
  _index: string;
  _id: string;
  routing: string;
}

/** A compare-and-set condition. */
interface EntryVersionQuery {
  if_seq_no: number;
  if_primary_term: number;
}

interface QueuedWrite extends EntryWrite {
  refresh: RefreshPolicy;
  resolve: (applied: boolean) => void;
  reject: (error: unknown) => void;
}

/** The strongest refresh any of the writes asked for. */
function strongestRefresh(writes: QueuedWrite[]): RefreshPolicy {
  if (writes.some((write) => write.refresh === true)) return true;
  return writes.some((write) => write.refresh === "wait_for") ? "wait_for" : false;
}

/** The document of an entry a write creates. */
function newEntryDocument(
  slug: string,
  write: EntryWrite,
  createdAt: string,
  updatedAt: string,
  by: Actor,
  change: EntryChange,
): EntryDocument {
  return {
    slug,
    reference_type: write.reference.type,
    reference_id: write.reference.id,
    values: change.values ?? {},
    stages: change.stages ?? {},
    created_at: createdAt,
    updated_at: updatedAt,
    updated_by: by,
  };
}

/** An entry's current version (a realtime read, remembered), or null when there is no such entry. */
async function readVersion(
  client: Client,
  index: string,
  id: string,
  routing: string,
  versions: KnownVersions,
): Promise<EntryVersion | null> {
  const found = await elasticsearchCall(() =>
    client.get({ index, id, routing, _source: false }, { ignore: [404] }),
  );
  if (!found.found) return null;
  versions.remember(id, found);
  return versions.get(id) ?? null;
}

/**
 * Compare-and-set writes of entries. Changes of one entry that arrive while a write of it is
 * under way wait for it, then go out together as one write (in arrival order, so a later
 * value of a field wins): a hundred widgets saving at once cost a few writes, not a hundred
 * rounds of conflicts.
 */
export class EntryWriter {
  private readonly client: Client;
  private readonly index: string;
  private readonly versions: KnownVersions;
  private readonly queues = new Map<string, QueuedWrite[]>();

  constructor(client: Client, index: string, versions: KnownVersions) {
    this.client = client;
    this.index = index;
    this.versions = versions;
  }

  /** Applies a change to an entry; false when the entry is missing and `createAs` is not given. */
  applyChange(write: EntryWrite & { refresh: RefreshPolicy }): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const queued = this.queues.get(write.id);
      if (queued) {
        queued.push({ ...write, resolve, reject });
        return;
      }
      this.queues.set(write.id, [{ ...write, resolve, reject }]);
      void this.drain(write.id);
    });
  }

  private async drain(id: string): Promise<void> {
    for (;;) {
      const group = this.queues.get(id)?.splice(0) ?? [];
      if (group.length === 0) {
        this.queues.delete(id);
        return;
      }
      try {
        const applied = await this.commit(group);
        for (const write of group) write.resolve(applied);
      } catch (error) {
        for (const write of group) write.reject(error);
      }
    }
  }

  /** Writes the merged changes of `group` (one entry) with compare-and-set. */
  private async commit(group: QueuedWrite[]): Promise<boolean> {
    const first = group[0] as QueuedWrite;
    const last = group.at(-1) as QueuedWrite;
    const { id, reference } = first;
    const createAs = group.find((write) => write.createAs)?.createAs;
    const values = Object.assign({}, ...group.map((write) => write.change.values));
    const stages = Object.assign({}, ...group.map((write) => write.change.stages));
    const change: EntryChange = {
      ...(group.some((write) => write.change.values) ? { values } : {}),
      ...(group.some((write) => write.change.stages) ? { stages } : {}),
    };
    const routing = routingOf(reference);
    const refresh = strongestRefresh(group);
    for (let attempt = 1; ; attempt++) {
      const version =
        this.versions.get(id) ??
        (await readVersion(this.client, this.index, id, routing, this.versions));
      try {
        if (version === null) {
          if (!createAs) return false;
          const document = newEntryDocument(
            createAs.slug,
            first,
            first.now,
            last.now,
            last.by,
            change,
          );
          // Sent once: a create sent again after its first attempt was stored would conflict.
          const created = await this.client.create<EntryDocument>(
            { index: this.index, id, routing, refresh, document },
            { maxRetries: 0 },
          );
          this.versions.remember(id, created);
        } else {
          const updated = await this.client.update<EntryDocument, Partial<EntryDocument>>({
            index: this.index,
            id,
            routing,
            refresh,
            if_seq_no: version.seqNo,
            if_primary_term: version.primaryTerm,
            _source: false,
            doc: { ...change, updated_at: last.now, updated_by: last.by },
          });
          this.versions.remember(id, updated);
        }
        return true;
      } catch (error) {
        this.versions.forget(id);
        const status = responseStatus(error);
        const type = responseErrorType(error);
        // Changed (or created, or deleted) by someone else since the version was read: read
        // it again. A write that conflicts with its own earlier attempt (sent again by the
        // transport after a broken connection) is applied again over it, which is the same.
        const changedMeanwhile =
          (status === 409 && type === "version_conflict_engine_exception") ||
          isMissingEntry(status, type);
        if (!changedMeanwhile) throw fromElasticsearchError(error);
        if (attempt >= MAX_WRITE_ATTEMPTS) {
          throw new CrmError("conflict", "The record was changed concurrently, try again");
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_PAUSE_MS));
      }
    }
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
      const [only] = reads;
      if (reads.length === 1 && only) {
        // A read alone is a GET: the same realtime read, without a body to send and
        // Elasticsearch's multi-get fan-out to run. A missing index answers 404 with the
        // error an `_mget` item would carry, and is handled as one below.
        const found = await this.client.get<EntryDocument>(
          {
            index: this.index,
            id: only.id,
            routing: routingOf(only.reference),
            ...(only.fields ? { _source_includes: [...ENTRY_IDENTITY, ...only.fields] } : {}),
          },
          { ignore: [404] },
        );
        docs = [found];
      } else {
        const result = await this.client.mget<EntryDocument>({
          index: this.index,
          docs: reads.map((read) => ({
            _id: read.id,
            routing: routingOf(read.reference),
            ...(read.fields ? { _source: { includes: [...ENTRY_IDENTITY, ...read.fields] } } : {}),
          })),
        });
        docs = result.docs;
      }
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
