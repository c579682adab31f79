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
import { fromElasticsearchError, responseErrorType } from "../elasticsearch/errors.ts";
import type { HistoryDocument } from "../elasticsearch/schema.ts";
import type { AdapterContext, RefreshPolicy } from "./context.ts";
import { routingOf } from "./ids.ts";
import type { Caller } from "./scope.ts";

/**
 * The history index: immutable records of acknowledged changes.
 *
 * The write path is "entry first, then history", as two requests, on purpose.
 * Elasticsearch is atomic per document only, and the items of one `_bulk` fail
 * independently: with the entry update and the history record in one bulk, an
 * entry update that fails (version conflict, missing entry, blocked or
 * unavailable shard, a 429 on its shard) next to a history create that succeeds
 * leaves a refused change in history, and the compensating delete can fail or
 * never run (a lost response). Recording only after Elasticsearch confirmed the
 * entry change cannot leave a refused change in history. The other way round,
 * a history write that fails after the entry changed is retried with the same
 * record id; only if it still fails is the caller told the write failed
 * (`outcome_unknown`: send it again), so no acknowledged change is ever
 * missing from history.
 * Record ids are a hash of the record, so a create resent (by the client's
 * transport or by the retry here) answers 409 and records nothing twice.
 * Fields without `history` keep their one-request write.
 */

/** Extra attempts of history records that failed after their entry change was stored. */
const RECORD_RETRIES = 2;
const RECORD_RETRY_PAUSE_MS = 100;

const RECORD_ID_LENGTH = 22;

/** What the caller names as who made a change; customers' own sessions, staff or backend. */
export function actorOf(caller: Caller): HistoryActor {
  if (caller.kind === "customer") return { type: "customer", id: caller.customerId };
  if (caller.kind === "staff") return { type: "staff", id: caller.subject };
  return { type: "backend", id: null };
}

/**
 * A hash of what changed, where and when; not of who, so the same change sent
 * again by another caller (a retry after a lost answer) is still one record.
 */
function recordId(record: Omit<HistoryDocument, "record_id">): string {
  const { actor_type: _type, actor_id: _id, ...change } = record;
  const hash = createHash("sha256").update(JSON.stringify(change)).digest("base64url");
  return `h_${hash.slice(0, RECORD_ID_LENGTH)}`;
}

function withId(record: Omit<HistoryDocument, "record_id">): HistoryDocument {
  return { record_id: recordId(record), ...record };
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
}

/** The record of a field's new value. */
export function fieldRecord(
  change: ChangeOf,
  field: FieldDefinition,
  value: FieldValue,
): HistoryDocument {
  return withId({
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
  });
}

/** The record of a move into a stage. */
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
  async record(records: HistoryDocument[], refresh: RefreshPolicy): Promise<void> {
    let pending = records;
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
      pending = await this.createMissing(pending, refresh);
    }
  }

  /** Sends one `_bulk` of creates; returns the records that were not stored. */
  private async createMissing(
    records: HistoryDocument[],
    refresh: RefreshPolicy,
  ): Promise<HistoryDocument[]> {
    const operations = records.flatMap((record) => [
      {
        create: {
          _index: this.index,
          _id: record.record_id,
          routing: routingOf({ type: record.reference_type, id: record.reference_id }),
        },
      },
      record,
    ]);
    let items: estypes.BulkResponse["items"];
    try {
      const result = await this.client.bulk({ operations, refresh });
      items = result.items;
    } catch (error) {
      console.error("Elasticsearch could not record history:", responseErrorType(error) ?? error);
      return records;
    }
    return records.filter((_record, index) => {
      const item = items[index]?.create;
      if (!item?.error) return false;
      // 409: this very record is stored already (same id, same content).
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
