import type { estypes } from "@elastic/elasticsearch";

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

export const entriesMappings: estypes.MappingTypeMapping = {
  dynamic: "strict",
  // Every entry is routed by its reference, so one customer's reads hit one shard.
  _routing: { required: true },
  properties: {
    slug: keyword,
    reference_type: keyword,
    reference_id: keyword,
    values: { type: "flattened", depth_limit: 1, ignore_above: VALUE_IGNORE_ABOVE },
    // `{ <pipelineKey>: { stage, entered_at } }`
    stages: { type: "flattened", depth_limit: 2 },
    created_at: date,
    updated_at: date,
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
    issuer: keyword,
    subject: keyword,
    created_at: date,
  },
};

/** One replica where the cluster has room for it, none on a single development node. */
export const crmIndexSettings: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  auto_expand_replicas: "0-1",
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
}

export interface EntityDocument {
  slug: string;
  name: string;
  definition: unknown;
  created_at: string;
  updated_at: string;
}

export interface CustomerDocument {
  issuer: string;
  subject: string;
  created_at: string;
}
