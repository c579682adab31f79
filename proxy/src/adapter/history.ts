import { createHash } from "node:crypto";
import type { Client, estypes } from "@elastic/elasticsearch";
import {
  CrmError,
  type FieldDefinition,
  type FieldValue,
  type HistoryActor,
  isCalendarDate,
  type Reference,
} from "#domain";
import {
  elasticsearchCall,
  fromElasticsearchError,
  responseErrorType,
} from "../elasticsearch/errors.ts";
import type { EntryDocument, HistoryDocument } from "../elasticsearch/schema.ts";
import type { AdapterContext, RefreshPolicy } from "./context.ts";
import { type EntryStore, type EntryWrite, isMissingEntry } from "./entries.ts";
import { routingOf } from "./ids.ts";
import type { Caller } from "./scope.ts";

/**
 * The history index: immutable records of acknowledged changes.
 *
 * A write of a history field or a stage move is one `_bulk`: the entry's
 * partial update and the change's history records, so history costs the
 * write no extra round trip and no refresh wait (a page that saved a value
 * shows it from its own answer; other readers see the record within the
 * history index's refresh interval). The items of one bulk fail on their own,
 * so the answer is checked item by item:
 * - the entry update failed (refused, missing entry, blocked or unavailable
 *   shard): the records this bulk created are deleted again before the
 *   caller hears of the failure, so no refused change stays in history;
 * - a record failed while the entry changed: it is sent again; if it still
 *   fails the caller is told `outcome_unknown` (send it again), so no
 *   acknowledged change is missing from history.
 * Record ids are hashes: of the client's operation id when it sent one (a
 * resend of the same change is then one record), else of the change itself
 * (what, where and when). A record that already exists answers 409 and counts
 * as stored once its stored value is checked to be this change's.
 * What stays open: a proxy that dies between a bulk whose entry update failed
 * and the deletion of its records leaves those records (the client, told
 * nothing, sends the change again, which then applies it).
 * Fields without `history` keep their one-update write.
 */

/** Extra attempts of history records that failed after their entry change was stored. */
const RECORD_RETRIES = 2;
const RECORD_RETRY_PAUSE_MS = 100;

const RECORD_ID_LENGTH = 22;

/**
 * A failed bulk item as the caller may see it, the way a failed single
 * request is (see `fromElasticsearchError`): an entry that is missing is not
 * an error here, the caller says what it means.
 */
function bulkItemError(status: number, type: string): CrmError {
  if (status === 429 || status >= 500 || type === "cluster_block_exception") {
    console.error(`Elasticsearch refused an entry update: ${status} ${type}`);
    return new CrmError("unavailable", "The CRM store is unavailable, try again shortly");
  }
  console.error(`Unexpected Elasticsearch failure of an entry update: ${status} ${type}`);
  return new CrmError("internal", "Something went wrong");
}

/** What the caller names as who made a change; customers' own sessions, staff or backend. */
export function actorOf(caller: Caller): HistoryActor {
  if (caller.kind === "customer") return { type: "customer", id: caller.customerId };
  if (caller.kind === "staff") return { type: "staff", id: caller.subject };
  return { type: "backend", id: null };
}

function hashId(parts: unknown): string {
  const hash = createHash("sha256").update(JSON.stringify(parts)).digest("base64url");
  return `h_${hash.slice(0, RECORD_ID_LENGTH)}`;
}

/**
 * With the client's operation id: a hash of it and of what it changed (the
 * entry and field), so the same operation sent again is the same record
 * whenever it arrives. Without: a hash of what changed, where and when; not
 * of who, so one change stored twice (a move found in place) is one record.
 */
function recordId(record: Omit<HistoryDocument, "record_id">, operationId?: string): string {
  if (operationId !== undefined) {
    return hashId(["operation", operationId, record.entry_id, record.kind, record.key]);
  }
  const { actor_type: _type, actor_id: _id, ...change } = record;
  return hashId(change);
}

function withId(record: Omit<HistoryDocument, "record_id">, operationId?: string): HistoryDocument {
  return { record_id: recordId(record, operationId), ...record };
}

/**
 * What a withdrawn record is written over with (see `HistoryStore.withdraw`):
 * no slug, field or value, so no history read or export matches it.
 */
export const WITHDRAWN = "withdrawn";
export interface WithdrawnRecord {
  record_id: string;
  reference_type: string;
  reference_id: string;
  kind: typeof WITHDRAWN;
  at: string;
}

/** One record to store: `create` (new), or `index` over a withdrawn record of the same change. */
interface RecordWrite {
  record: HistoryDocument;
  op: "create" | "index";
}

function routingFor(record: { reference_type: string; reference_id: string }): string {
  return routingOf({ type: record.reference_type, id: record.reference_id });
}

/** The same change: what a record already stored under a record's id must hold to count as it. */
function sameChange(stored: HistoryDocument, record: HistoryDocument): boolean {
  return (
    stored.entry_id === record.entry_id &&
    stored.kind === record.kind &&
    stored.key === record.key &&
    JSON.stringify(stored.value ?? {}) === JSON.stringify(record.value)
  );
}

/** The typed sub-field a value goes to: ranges and aggregations work on numbers and dates. */
function typedValue(type: FieldDefinition["type"], value: FieldValue): HistoryDocument["value"] {
  if (value === null) return {};
  switch (type) {
    case "number":
      return typeof value === "number" ? { number: value } : {};
    case "date":
      return typeof value === "string" && isCalendarDate(value) ? { date: value } : {};
    case "boolean":
      return typeof value === "boolean" ? { boolean: value } : {};
    default:
      return { keyword: String(value) };
  }
}

/** The value a record holds, read back from the sub-field its type names. */
export function recordValue(document: HistoryDocument): FieldValue {
  const value = document.value ?? {};
  switch (document.value_type) {
    case "number":
      return value.number ?? null;
    case "date":
      return value.date ?? null;
    case "boolean":
      return value.boolean ?? null;
    default:
      return value.keyword ?? null;
  }
}

export function recordActor(document: HistoryDocument): HistoryActor {
  return { type: document.actor_type, id: document.actor_id };
}

interface ChangeOf {
  entryId: string;
  slug: string;
  reference: Reference;
  at: string;
  by: HistoryActor;
  /** The client's name for the change (see `operationIdSchema`). */
  operationId?: string | undefined;
}

/** The record of a field's new value. */
export function fieldRecord(
  change: ChangeOf,
  field: FieldDefinition,
  value: FieldValue,
): HistoryDocument {
  return withId(
    {
      entry_id: change.entryId,
      slug: change.slug,
      reference_type: change.reference.type,
      reference_id: change.reference.id,
      kind: "field",
      key: field.key,
      value_type: field.type,
      value: typedValue(field.type, value),
      at: change.at,
      actor_type: change.by.type,
      actor_id: change.by.id,
    },
    change.operationId,
  );
}

/**
 * The record of a move into a stage. Its id derives from the move itself
 * (stage and time entered), never from an operation id: a move sent again
 * finds the entry in that stage and records the stored move, the same id.
 */
export function stageRecord(change: ChangeOf, pipeline: string, stage: string): HistoryDocument {
  return withId({
    entry_id: change.entryId,
    slug: change.slug,
    reference_type: change.reference.type,
    reference_id: change.reference.id,
    kind: "stage",
    key: pipeline,
    value_type: "stage",
    value: { keyword: stage },
    at: change.at,
    actor_type: change.by.type,
    actor_id: change.by.id,
  });
}

/** Which records one history read asks for. */
export interface HistoryQuery {
  reference: Reference;
  slug: string;
  kind: HistoryDocument["kind"];
  key: string;
  entryId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  order: "asc" | "desc";
  limit: number;
  after?: string | undefined;
}

export interface HistoryPage {
  records: HistoryDocument[];
  next: string | null;
}

/** A date alone bounds by whole days: `to: 2026-03-01` includes all of March 1st (UTC). */
function timeRange(
  from: string | undefined,
  to: string | undefined,
): estypes.QueryDslQueryContainer[] {
  if (from === undefined && to === undefined) return [];
  const range: estypes.QueryDslDateRangeQuery = {};
  if (from !== undefined) range.gte = from;
  if (to !== undefined) {
    if (isCalendarDate(to)) range.lt = `${to}||+1d`;
    else range.lte = to;
  }
  return [{ range: { at: range } }];
}

function parseCursor(cursor: string): [number, string] {
  const dot = cursor.indexOf(".");
  return [Number(cursor.slice(0, dot)), cursor.slice(dot + 1)];
}

export class HistoryStore {
  private readonly client: Client;
  private readonly index: string;

  constructor(context: AdapterContext) {
    this.client = context.client;
    this.index = context.indices.history;
  }

  /**
   * Stores records of changes Elasticsearch already acknowledged. Create-only
   * with ids derived from the records, so a record that already exists (an
   * earlier attempt landed although its answer was lost) counts as stored.
   * Failed records are sent again; if some still fail, the caller is told
   * the write's outcome is unknown, and its retry records each change once.
   */
  record(records: HistoryDocument[], refresh: RefreshPolicy): Promise<void> {
    return this.store(
      records.map((record) => ({ record, op: "create" })),
      refresh,
    );
  }

  private async store(writes: RecordWrite[], refresh: RefreshPolicy): Promise<void> {
    let pending = writes;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        if (attempt > RECORD_RETRIES) {
          // The entry change is stored, its record is not: not "nothing changed"
          // (`unavailable`), but a write to send again, which records it once.
          throw new CrmError(
            "outcome_unknown",
            "The change may have been saved but not its history; send it again",
          );
        }
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_PAUSE_MS * attempt));
      }
      pending = await this.storeMissing(pending, refresh);
    }
  }

  /**
   * Applies an entry change and stores its records in one `_bulk` (see the
   * top of this file). False, with no record left, if the entry is missing.
   */
  async apply(
    entries: EntryStore,
    write: EntryWrite,
    records: HistoryDocument[],
    refresh: RefreshPolicy,
  ): Promise<boolean> {
    const entryLines = await entries.entryLines(write);
    if (!entryLines) return false;
    const operations = [
      ...entryLines,
      ...records.flatMap((record) => this.lines({ record, op: "create" })),
    ];
    let items: estypes.BulkResponse["items"];
    try {
      // Two document types in one bulk: the request's type names their union.
      items = (
        await this.client.bulk<EntryDocument | HistoryDocument, Partial<EntryDocument>>({
          operations,
          refresh,
        })
      ).items;
    } catch (error) {
      // Nothing (refused before it ran) or all of it (answer lost): the caller's resend settles it.
      throw fromElasticsearchError(error);
    }
    // The entry's line is a compare-and-set update, or the create of a missing entry.
    const update = items[0]?.update ?? items[0]?.create;
    if (!update) throw new CrmError("internal", "Something went wrong");
    const created = records.filter((_record, index) => items[index + 1]?.create?.status === 201);
    if (update.error) {
      const missing = isMissingEntry(update.status, update.error.type);
      if (missing && !write.createAs) {
        await this.withdraw(created);
        return false;
      }
      let applied: boolean;
      try {
        // Only a lost race with other writers of the entry (changed, created or deleted since
        // its version was read): the single write reads it again and resends.
        if (update.error.type !== "version_conflict_engine_exception" && !missing) {
          throw bulkItemError(update.status, update.error.type);
        }
        applied = await entries.applyChange({ ...write, refresh });
      } catch (error) {
        await this.withdraw(created);
        throw error;
      }
      if (!applied) {
        await this.withdraw(created);
        return false;
      }
    }
    if (!update.error) entries.written(write.id, update);
    const failed: RecordWrite[] = [];
    const taken: HistoryDocument[] = [];
    records.forEach((record, index) => {
      const item = items[index + 1]?.create;
      if (item?.status === 409) taken.push(record);
      else if (item?.error || !item) {
        console.error("Elasticsearch refused a history record:", item?.error?.type);
        failed.push({ record, op: "create" });
      }
    });
    await this.store([...failed, ...(await this.settleTaken(taken))], refresh);
    return true;
  }

  /**
   * Records whose ids are taken already: the same operation sent again, whose
   * record is stored (nothing to do); a record withdrawn since (its change was
   * refused then), written over now that the change is applied; or another
   * change under a reused operation id, stored under an id of its own, so that
   * the change just applied is in history too.
   */
  private async settleTaken(records: HistoryDocument[]): Promise<RecordWrite[]> {
    if (records.length === 0) return [];
    const result = await elasticsearchCall(() =>
      this.client.mget<HistoryDocument | WithdrawnRecord>({
        index: this.index,
        docs: records.map((record) => ({ _id: record.record_id, routing: routingFor(record) })),
      }),
    );
    return records.flatMap((record, index): RecordWrite[] => {
      const doc = result.docs[index];
      const stored = doc && "found" in doc && doc.found ? doc._source : undefined;
      if (stored === undefined || stored.kind === WITHDRAWN) return [{ record, op: "index" }];
      if (sameChange(stored, record)) return [];
      const { record_id: _id, ...change } = record;
      return [{ record: withId(change), op: "create" }];
    });
  }

  /**
   * Withdraws the records of a change that was not applied after all: each is
   * written over with a withdrawn marker that keeps its reference (erase finds
   * it) and matches no history read. A failure is logged, not hidden.
   */
  private async withdraw(records: HistoryDocument[]): Promise<void> {
    if (records.length === 0) return;
    const operations = records.flatMap((record) => {
      const withdrawn: WithdrawnRecord = {
        record_id: record.record_id,
        reference_type: record.reference_type,
        reference_id: record.reference_id,
        kind: WITHDRAWN,
        at: record.at,
      };
      return [
        { index: { _index: this.index, _id: record.record_id, routing: routingFor(record) } },
        withdrawn,
      ];
    });
    for (let attempt = 0; attempt <= RECORD_RETRIES; attempt++) {
      try {
        const result = await this.client.bulk({ operations, refresh: false });
        if (!result.errors) return;
      } catch {
        // Sent again below.
      }
      await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_PAUSE_MS * (attempt + 1)));
    }
    console.error(
      "History keeps records of a change that was not applied:",
      records.map((record) => record.record_id).join(", "),
    );
  }

  private lines({ record, op }: RecordWrite) {
    return [
      { [op]: { _index: this.index, _id: record.record_id, routing: routingFor(record) } },
      record,
    ];
  }

  /** Sends one `_bulk` of the writes; returns those that were not stored. */
  private async storeMissing(
    writes: RecordWrite[],
    refresh: RefreshPolicy,
  ): Promise<RecordWrite[]> {
    const operations = writes.flatMap((write) => this.lines(write));
    let items: estypes.BulkResponse["items"];
    try {
      const result = await this.client.bulk({ operations, refresh });
      items = result.items;
    } catch (error) {
      console.error("Elasticsearch could not record history:", responseErrorType(error) ?? error);
      return writes;
    }
    return writes.filter((write, index) => {
      const item = items[index]?.[write.op];
      if (!item?.error) return false;
      // 409 of a create: this very record is stored already (same id, same content).
      if (item.status === 409) return false;
      console.error("Elasticsearch refused a history record:", item.error.type);
      return true;
    });
  }

  /** One page of records, from one shard thanks to routing. */
  async search(query: HistoryQuery): Promise<HistoryPage> {
    const filter: estypes.QueryDslQueryContainer[] = [
      { term: { reference_type: query.reference.type } },
      { term: { reference_id: query.reference.id } },
      { term: { slug: query.slug } },
      { term: { kind: query.kind } },
      { term: { key: query.key } },
      ...(query.entryId === undefined ? [] : [{ term: { entry_id: query.entryId } }]),
      ...timeRange(query.from, query.to),
    ];
    let hits: estypes.SearchHit<HistoryDocument>[];
    try {
      const result = await this.client.search<HistoryDocument>({
        index: this.index,
        routing: routingOf(query.reference),
        // One more than asked says whether another page follows.
        size: query.limit + 1,
        track_total_hits: false,
        sort: [{ at: query.order }, { record_id: query.order }],
        query: { bool: { filter } },
        ...(query.after === undefined ? {} : { search_after: parseCursor(query.after) }),
      });
      hits = result.hits.hits;
    } catch (error) {
      if (responseErrorType(error) === "index_not_found_exception")
        return { records: [], next: null };
      throw fromElasticsearchError(error);
    }
    const page = hits.slice(0, query.limit);
    const last = page.at(-1);
    const next =
      hits.length > query.limit && last?.sort
        ? `${String(last.sort[0])}.${String(last.sort[1])}`
        : null;
    return {
      records: page.flatMap((hit) => (hit._source ? [hit._source] : [])),
      next,
    };
  }
}
