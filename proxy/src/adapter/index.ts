import type { Client } from "@elastic/elasticsearch";
import { z } from "zod";
import {
  type CrmEntry,
  CrmError,
  type CrmOperations,
  type EntityDefinition,
  getCrmEntriesArgsSchema,
  OPERATION_NAMES,
} from "#domain";
import type { CrmIndices } from "../elasticsearch/indices.ts";
import { TtlCache } from "./cache.ts";
import type { AdapterContext, RefreshPolicy } from "./context.ts";
import { CustomerStore } from "./customers.ts";
import { EntityStore } from "./entities.ts";
import { EntryStore, MAX_REFERENCE_ENTRIES, toCrmEntry } from "./entries.ts";
import { HistoryStore } from "./history.ts";
import { referenceEntryId } from "./ids.ts";
import { crmOperations, parseArgs } from "./operations.ts";
import type { CrmAdapter, Customer } from "./types.ts";

export type { RefreshPolicy } from "./context.ts";
export type * from "./types.ts";

export interface CrmAdapterOptions {
  client: Client;
  indices: CrmIndices;
  /** Resolved customers and entity definitions kept in memory (defaults: 60 s, 10,000 each). */
  cache?: { ttlMs: number; maxEntries: number };
  /** Refresh policy of writes; the default `wait_for` makes each write visible to the next search. */
  refresh?: RefreshPolicy;
  now?: () => Date;
}

const DEFAULT_CACHE = { ttlMs: 60_000, maxEntries: 10_000 };

const referenceSchema = z.strictObject({
  type: getCrmEntriesArgsSchema.shape.referenceType.unwrap(),
  id: getCrmEntriesArgsSchema.shape.referenceId.unwrap(),
});

/** Every operation of the table, each call on a fresh set made by `make`. */
function perCall(make: () => CrmOperations): CrmOperations {
  const operations: Partial<Record<string, unknown>> = {};
  for (const name of OPERATION_NAMES) {
    operations[name] = (args: never) => (make()[name] as (args: never) => unknown)(args);
  }
  return operations as CrmOperations;
}

/**
 * The CRM adapter: the three operations, stages, entity definitions and
 * customers over Elasticsearch. The adapter itself is the unscoped backend
 * view (scripts, admin routes); `forCustomer` gives one customer's view.
 */
export function createCrmAdapter(options: CrmAdapterOptions): CrmAdapter {
  const context: AdapterContext = {
    client: options.client,
    indices: options.indices,
    refresh: options.refresh ?? "wait_for",
    now: options.now ?? (() => new Date()),
  };
  const cacheOptions = options.cache ?? DEFAULT_CACHE;
  const entities = new EntityStore(context, new TtlCache<string, EntityDefinition>(cacheOptions));
  const customers = new CustomerStore(context, new TtlCache<string, Customer>(cacheOptions));
  const entries = new EntryStore(context);
  const history = new HistoryStore(context);
  const deps = { entities, entries, history, now: context.now, refresh: context.refresh };

  // A fresh operations object per call: it holds per-request state (batched
  // reads), which Workers forbid sharing between concurrent requests.
  const backend = () => crmOperations({ kind: "backend" }, deps);

  return {
    ...perCall(backend),

    forCustomer(customerId) {
      const id = parseArgs(getCrmEntriesArgsSchema.shape.referenceId, customerId);
      if (id === undefined) throw new CrmError("invalid_request", "A customer id is required");
      return crmOperations({ kind: "customer", customerId: id }, deps);
    },

    resolveCustomer: (identity) => customers.resolve(identity),

    getCustomer(customerId) {
      if (typeof customerId !== "string" || customerId.length === 0) {
        return Promise.reject(new CrmError("invalid_request", "A customer id is required"));
      }
      return customers.get(customerId);
    },

    async getReferenceEntries(reference): Promise<CrmEntry[]> {
      const ref = parseArgs(referenceSchema, reference);
      const definitions = await entities.list();
      // One-entry entities are read by their deterministic ids (realtime, no
      // refresh needed); only many-entry entities are searched.
      const oneIds = definitions
        .filter((entity) => entity.entriesPerReference === "one")
        .map((entity) => referenceEntryId(entity.slug, ref));
      const manySlugs = definitions
        .filter((entity) => entity.entriesPerReference === "many")
        .map((entity) => entity.slug);
      const [ones, manies] = await Promise.all([
        entries.getMany(oneIds, ref),
        manySlugs.length === 0
          ? []
          : entries.search(ref, {
              slugs: manySlugs,
              size: MAX_REFERENCE_ENTRIES,
              sort: [{ slug: "asc" }, { created_at: "asc" }],
            }),
      ]);
      return [...ones, ...manies]
        .map((stored) => toCrmEntry(stored))
        .sort((a, b) => a.slug.localeCompare(b.slug) || a.createdAt.localeCompare(b.createdAt));
    },

    entities: {
      list: () => entities.list(),
      get: (slug) => entities.get(slug),
      create: (definition) => entities.create(definition),
      update: (slug, definition) => entities.update(slug, definition),
    },
  };
}
