import type { estypes } from "@elastic/elasticsearch";
import type { Actor } from "#domain";

/**
 * The Elasticsearch shape of the CRM's three indices.
 *
 * Entries keep every field value in ONE `flattened` field, `values`
 * (`{ <fieldKey>: value }`): the mapping never grows with user-defined keys,
 * so thousands of keys cannot hit the field limit, and one key may hold a
 * number in one entity and text in another. The price: values are indexed as
 * keywords (no numeric ranges in queries), which nothing here needs; the typed
 * value comes back from `_source`, checked against the entity definition on
 * every write. A partial `_update` with `doc` merges per key, so setting one
 * field is one atomic request with no read-modify-write.
 */

/** Longer text values stay in `_source` but are not indexed (Lucene refuses terms over 32 KB). */
const VALUE_IGNORE_ABOVE = 1024;

const date: estypes.MappingProperty = { type: "date", format: "strict_date_optional_time" };
const keyword: estypes.MappingProperty = { type: "keyword" };

/** What entries and history records both hold: the entity, and the reference they are routed by. */
const entityAndReference = { slug: keyword, reference_type: keyword, reference_id: keyword };

export const entriesMappings: estypes.MappingTypeMapping = {
  dynamic: "strict",
  // Every entry is routed by its reference, so one customer's reads hit one shard.
  _routing: { required: true },
  properties: {
    ...entityAndReference,
    values: { type: "flattened", depth_limit: 1, ignore_above: VALUE_IGNORE_ABOVE },
    // `{ <pipelineKey>: { stage, entered_at } }`
    stages: { type: "flattened", depth_limit: 2 },
    created_at: date,
    updated_at: date,
    // Who made the last write (`Actor`): a customer, a staff subject or the backend.
    updated_by: { properties: { type: keyword, id: keyword } },
  },
};

export const entitiesMappings: estypes.MappingTypeMapping = {
  dynamic: "strict",
  properties: {
    slug: keyword,
    name: keyword,
    // Stored whole and validated by the domain schema; never queried field by field.
    definition: { type: "object", enabled: false },
    created_at: date,
    updated_at: date,
  },
};

export const customersMappings: estypes.MappingTypeMapping = {
  dynamic: "strict",
  properties: {
    // The document's own id again: `_id` takes no prefix query (the back office finds by id prefix).
    customer_id: keyword,
    issuer: keyword,
    subject: keyword,
    created_at: date,
  },
};

/**
 * History records: one immutable document per acknowledged field change or
 * stage move, routed by the reference like the entries (one customer's history
 * is on one shard). Unlike the entries' `flattened` values, the value sits in a
 * sub-field of its own type, so numbers and dates range, sort and aggregate;
 * the mapping still never grows with user-defined keys (the key is a keyword).
 */
export const historyMappings: estypes.MappingTypeMapping = {
  dynamic: "strict",
  _routing: { required: true },
  properties: {
    // The record's own id again: `_id` cannot be sorted on, and paging needs a tiebreaker.
    record_id: keyword,
    entry_id: keyword,
    ...entityAndReference,
    // `field` (a field's value changed) or `stage` (an entry moved in a pipeline).
    kind: keyword,
    // The field key or the pipeline key.
    key: keyword,
    // The field's type when the change was made, or `stage`; says which sub-field holds the value.
    value_type: keyword,
    // At most one is set; none when the field was emptied.
    value: {
      properties: {
        number: { type: "double" },
        date,
        keyword: { type: "keyword", ignore_above: VALUE_IGNORE_ABOVE },
        boolean: { type: "boolean" },
      },
    },
    at: date,
    actor_type: keyword,
    actor_id: keyword,
  },
};

/** One replica where the cluster has room for it, none on a single development node. */
export const crmIndexSettings: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  auto_expand_replicas: "0-1",
};

/**
 * A write of a history field is answered once its record is searchable
 * (`wait_for`), so a chart read right after shows it: a shorter refresh
 * interval than the default second bounds what that wait adds to the write.
 */
export const historyIndexSettings: estypes.IndicesIndexSettings = {
  ...crmIndexSettings,
  refresh_interval: "250ms",
};

/** The document shape of an entry in `_source`. */
export interface EntryDocument {
  slug: string;
  reference_type: string;
  reference_id: string;
  values?: Record<string, string | number | boolean | null>;
  stages?: Record<string, { stage: string; entered_at: string }>;
  created_at: string;
  updated_at: string;
  /** Absent on entries written before writers were recorded. */
  updated_by?: Actor;
}

/** The document shape of a history record in `_source`. */
export interface HistoryDocument {
  record_id: string;
  entry_id: string;
  slug: string;
  reference_type: string;
  reference_id: string;
  kind: "field" | "stage";
  key: string;
  value_type: string;
  value: { number?: number; date?: string; keyword?: string; boolean?: boolean };
  at: string;
  actor_type: Actor["type"];
  actor_id: string | null;
}

export interface EntityDocument {
  slug: string;
  name: string;
  definition: unknown;
  created_at: string;
  updated_at: string;
}

export interface CustomerDocument {
  /** Absent on customers resolved before the back office searched by id. */
  customer_id?: string;
  issuer: string;
  subject: string;
  created_at: string;
}
