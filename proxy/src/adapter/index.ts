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
import { BackOfficeStore, type BreakingChange, type ErasedCustomer } from "./back-office.ts";
import { TtlCache } from "./cache.ts";
import type { AdapterContext, RefreshPolicy } from "./context.ts";
import { CustomerStore } from "./customers.ts";
import { type CachedDefinition, EntityStore } from "./entities.ts";
import { EntryStore, MAX_REFERENCE_ENTRIES, toCrmEntry } from "./entries.ts";
import { HistoryStore } from "./history.ts";
import { referenceEntryId } from "./ids.ts";
import { crmOperations, parseArgs } from "./operations.ts";
import type { CrmAdapter, Customer, CustomerExport } from "./types.ts";

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
  /**
   * Whether concurrent requests' changes of one entry may go out as one write (default true).
   * Workers must say false: a request there may not settle with another request's I/O.
   */
  shareWrites?: boolean;
}

const DEFAULT_CACHE = { ttlMs: 60_000, maxEntries: 10_000 };

const referenceSchema = z.strictObject({
  type: getCrmEntriesArgsSchema.shape.referenceType.unwrap(),
  id: getCrmEntriesArgsSchema.shape.referenceId.unwrap(),
});

/**
 * The refusal of a definition change that would make stored values invalid,
 * naming the first input concerned so an editor shows it there.
 */
function breakingChangeRefused(breaking: [BreakingChange, ...BreakingChange[]]): CrmError {
  const total = breaking.reduce((sum, change) => sum + change.entries, 0);
  const list = breaking.map((change) => `${change.problem} (${change.entries})`).join("; ");
  return new CrmError(
    "breaking_change",
    // How to make it anyway (`acceptBreaking`) is the code's documented meaning.
    `This change would break ${total} stored ${total === 1 ? "entry" : "entries"}: ${list}`,
    breaking[0].field,
  );
}

const customerIdSchema = getCrmEntriesArgsSchema.shape.referenceId.unwrap();

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
  const entities = new EntityStore(context, new TtlCache<string, CachedDefinition>(cacheOptions));
  const customers = new CustomerStore(context, new TtlCache<string, Customer>(cacheOptions));
  const entries = new EntryStore(context, { shareWrites: options.shareWrites ?? true });
  const history = new HistoryStore(context);
  const deps = { entities, entries, history, now: context.now, refresh: context.refresh };
  const backOffice = new BackOfficeStore(context);

  /** Every entry of one reference across the given entities: the CRM tab and the export. */
  async function referenceEntries(
    reference: { type: string; id: string },
    definitions: EntityDefinition[],
  ): Promise<CrmEntry[]> {
    // One-entry entities are read by their deterministic ids (realtime, no
    // refresh needed); only many-entry entities are searched.
    const oneIds = definitions
      .filter((entity) => entity.entriesPerReference === "one")
      .map((entity) => referenceEntryId(entity.slug, reference));
    const manySlugs = definitions
      .filter((entity) => entity.entriesPerReference === "many")
      .map((entity) => entity.slug);
    const [ones, manies] = await Promise.all([
      entries.getMany(oneIds, reference),
      manySlugs.length === 0
        ? []
        : entries.search(reference, {
            slugs: manySlugs,
            size: MAX_REFERENCE_ENTRIES,
            sort: [{ slug: "asc" }, { created_at: "asc" }],
          }),
    ]);
    return [...ones, ...manies]
      .map((stored) => toCrmEntry(stored))
      .sort((a, b) => a.slug.localeCompare(b.slug) || a.createdAt.localeCompare(b.createdAt));
  }

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
      return referenceEntries(parseArgs(referenceSchema, reference), await entities.list());
    },

    forStaff(subject) {
      if (typeof subject !== "string" || subject.length === 0) {
        throw new CrmError("invalid_request", "A staff subject is required");
      }
      return crmOperations({ kind: "staff", subject }, deps);
    },

    findCustomers: (options) => backOffice.findCustomers(options),

    async exportCustomer(customerId): Promise<CustomerExport> {
      const id = parseArgs(customerIdSchema, customerId);
      const reference = { type: "customer", id };
      const [customer, definitions, history] = await Promise.all([
        customers.get(id),
        entities.list(),
        backOffice.customerHistory(id),
      ]);
      const exported = await referenceEntries(reference, definitions);
      const used = new Set(exported.map((entry) => entry.slug));
      return {
        exportedAt: context.now().toISOString(),
        customer,
        entities: definitions.filter((entity) => used.has(entity.slug)),
        entries: exported,
        history,
      };
    },

    async eraseCustomer(customerId): Promise<ErasedCustomer> {
      const id = parseArgs(customerIdSchema, customerId);
      const erased = await backOffice.eraseCustomer(id);
      customers.forget(id);
      return erased;
    },

    entities: {
      list: () => entities.list(),
      get: (slug) => entities.get(slug),
      create: (definition) => entities.create(definition),
      update: (slug, definition, options = {}) =>
        entities.update(slug, definition, async (current, next) => {
          if (options.acceptBreaking) return;
          const [first, ...more] = await backOffice.breakingChanges(current, next);
          if (first) throw breakingChangeRefused([first, ...more]);
        }),
      async delete(slug, options = {}) {
        const entity = await entities.get(slug);
        const stored = await backOffice.countEntries(entity.slug);
        if (stored > 0 && !options.deleteEntries) {
          throw new CrmError(
            "conflict",
            `Entity "${slug}" has ${stored} stored ${stored === 1 ? "entry" : "entries"}; delete them too (deleteEntries) or keep the entity`,
          );
        }
        const deletedEntries = stored > 0 ? await backOffice.deleteEntriesOf(entity.slug) : 0;
        await entities.delete(entity.slug);
        return { slug: entity.slug, deletedEntries };
      },
    },
  };
}
