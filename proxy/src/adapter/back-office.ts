import type { estypes } from "@elastic/elasticsearch";
import { CrmError, type EntityDefinition } from "#domain";
import { elasticsearchCall } from "../elasticsearch/errors.ts";
import type { CustomerDocument, HistoryDocument } from "../elasticsearch/schema.ts";
import type { AdapterContext } from "./context.ts";
import { routingOf } from "./ids.ts";
import type { Customer } from "./types.ts";

const CUSTOMER_REFERENCE = "customer";
const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Documents found and deleted per request when erasing. */
const DELETE_PAGE_SIZE = 1_000;

/** One customer found in the back office, with how many entries it has per entity slug. */
export interface FoundCustomer extends Customer {
  entries: Record<string, number>;
}

export interface CustomerPage {
  customers: FoundCustomer[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}

/** What an erase removed; all zero (and `customer: false`) when there was nothing left. */
export interface ErasedCustomer {
  customerId: string;
  customer: boolean;
  entries: number;
  history: number;
}

/** One history record as an export carries it. */
export interface ExportedHistoryRecord {
  id: string;
  entryId: string;
  slug: string;
  kind: "field" | "stage";
  key: string;
  valueType: string;
  value: HistoryDocument["value"];
  at: string;
  by: { type: string; id: string | null };
}

/** Most history records one export carries (far above what one customer makes). */
const MAX_EXPORTED_HISTORY = 10_000;

/** A refused definition change: each problem with the number of stored entries it would break. */
export interface BreakingChange {
  problem: string;
  entries: number;
  /** Where in the new definition the change is made: `fields.2.type`, `pipelines.0.stages`. */
  field: string;
}

/**
 * The back office's own reads and writes over every index: finding customers,
 * counting what definition changes would break, erasing a customer. Kept
 * apart from the operations, which act on one reference at a time.
 */
export class BackOfficeStore {
  private readonly context: AdapterContext;

  constructor(context: AdapterContext) {
    this.context = context;
  }

  private get client() {
    return this.context.client;
  }

  /**
   * Customers whose subject or id starts with `query` (all when empty), newest
   * first, then by id; `after` is the cursor of the previous page. One search
   * for the page and one aggregation for its entry counts.
   */
  async findCustomers(options: {
    query?: string | undefined;
    size?: number | undefined;
    after?: string | undefined;
  }): Promise<CustomerPage> {
    const size = Math.min(Math.max(options.size ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const query: estypes.QueryDslQueryContainer = options.query
      ? {
          bool: {
            should: [
              { prefix: { subject: options.query } },
              { prefix: { customer_id: options.query } },
            ],
            minimum_should_match: 1,
          },
        }
      : { match_all: {} };
    const result = await elasticsearchCall(() =>
      this.client.search<CustomerDocument>({
        index: this.context.indices.customers,
        size: size + 1,
        query,
        sort: [{ created_at: "desc" }, { customer_id: "asc" }],
        ...(options.after ? { search_after: decodeCursor(options.after) } : {}),
      }),
    );
    const hits = result.hits.hits.slice(0, size);
    const customers = hits.flatMap((hit) =>
      hit._id && hit._source
        ? [
            {
              id: hit._id,
              issuer: hit._source.issuer,
              subject: hit._source.subject,
              createdAt: hit._source.created_at,
            },
          ]
        : [],
    );
    const counts = await this.entryCounts(customers.map((customer) => customer.id));
    const last = hits.at(-1);
    return {
      customers: customers.map((customer) => ({
        ...customer,
        entries: counts.get(customer.id) ?? {},
      })),
      next: result.hits.hits.length > size && last?.sort ? encodeCursor(last.sort) : null,
    };
  }

  /** Entries per entity slug for each customer id, in one aggregation. */
  private async entryCounts(ids: string[]): Promise<Map<string, Record<string, number>>> {
    const counts = new Map<string, Record<string, number>>();
    if (ids.length === 0) return counts;
    const result = await elasticsearchCall(() =>
      this.client.search({
        index: this.context.indices.entries,
        size: 0,
        query: {
          bool: {
            filter: [
              { term: { reference_type: CUSTOMER_REFERENCE } },
              { terms: { reference_id: ids } },
            ],
          },
        },
        aggs: {
          customers: {
            terms: { field: "reference_id", size: ids.length },
            aggs: { slugs: { terms: { field: "slug", size: 1_000 } } },
          },
        },
      }),
    );
    const buckets = (
      result.aggregations?.customers as
        | { buckets: { key: string; slugs: { buckets: { key: string; doc_count: number }[] } }[] }
        | undefined
    )?.buckets;
    for (const bucket of buckets ?? []) {
      counts.set(
        bucket.key,
        Object.fromEntries(bucket.slugs.buckets.map((slug) => [slug.key, slug.doc_count])),
      );
    }
    return counts;
  }

  /** How many stored entries of `slug` match `filter` (on top of the slug). */
  async countEntries(slug: string, filter: estypes.QueryDslQueryContainer[] = []): Promise<number> {
    const result = await elasticsearchCall(() =>
      this.client.count({
        index: this.context.indices.entries,
        query: { bool: { filter: [{ term: { slug } }, ...filter] } },
      }),
    );
    return result.count;
  }

  /**
   * What a new definition would break in the stored entries: a field whose
   * type changes while entries hold a value for it, a removed select option in
   * use, a removed stage (or pipeline) entries stand in. A removed field only
   * hides its stored values, so it breaks nothing.
   */
  async breakingChanges(
    current: EntityDefinition,
    next: EntityDefinition,
  ): Promise<BreakingChange[]> {
    const checks: {
      problem: string;
      field: string;
      filter: estypes.QueryDslQueryContainer;
    }[] = [];
    for (const field of current.fields) {
      const index = next.fields.findIndex((candidate) => candidate.key === field.key);
      const changed = next.fields[index];
      if (!changed) continue;
      if (changed.type !== field.type) {
        checks.push({
          problem: `field "${field.key}" changes type from ${field.type} to ${changed.type}`,
          field: `fields.${index}.type`,
          filter: { exists: { field: `values.${field.key}` } },
        });
      } else if (field.type === "select" && changed.type === "select") {
        const kept = new Set(changed.options.map((option) => option.value));
        for (const option of field.options.filter((option) => !kept.has(option.value))) {
          checks.push({
            problem: `select option "${option.value}" of field "${field.key}" is removed`,
            field: `fields.${index}.options`,
            filter: { term: { [`values.${field.key}`]: option.value } },
          });
        }
      }
    }
    for (const pipeline of current.pipelines) {
      const index = next.pipelines.findIndex((candidate) => candidate.key === pipeline.key);
      const changed = next.pipelines[index];
      const kept = new Set(changed?.stages.map((stage) => stage.key) ?? []);
      for (const stage of pipeline.stages.filter((stage) => !kept.has(stage.key))) {
        checks.push({
          problem: changed
            ? `stage "${stage.key}" of pipeline "${pipeline.key}" is removed`
            : `pipeline "${pipeline.key}" is removed (stage "${stage.key}")`,
          field: changed ? `pipelines.${index}.stages` : "pipelines",
          filter: { term: { [`stages.${pipeline.key}.stage`]: stage.key } },
        });
      }
    }
    const counted = await Promise.all(
      checks.map(async ({ problem, field, filter }) => ({
        problem,
        field,
        entries: await this.countEntries(current.slug, [filter]),
      })),
    );
    return counted.filter((change) => change.entries > 0);
  }

  /** Deletes every entry of one entity; the count deleted. */
  async deleteEntriesOf(slug: string): Promise<number> {
    const found = await this.idsMatching(this.context.indices.entries, { term: { slug } });
    const deleted = await this.deleteAll(
      found.map((hit) => ({ ...hit, index: this.context.indices.entries })),
    );
    return deleted.filter(Boolean).length;
  }

  /**
   * The id and routing of every document of `index` that `query` matches, a
   * page of ids at a time (this Elasticsearch build has no delete-by-query, and
   * deletes must be seen by the searches that follow: hence a refresh first).
   */
  private async idsMatching(
    index: string,
    query: estypes.QueryDslQueryContainer,
    routing?: string,
  ): Promise<{ id: string; routing: string | undefined }[]> {
    const found: { id: string; routing: string | undefined }[] = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const result = await elasticsearchCall(() =>
        this.client.search({
          index,
          ...(routing ? { routing } : {}),
          size: DELETE_PAGE_SIZE,
          _source: false,
          query,
          sort: ["_doc"],
          ...(after ? { search_after: after } : {}),
        }),
      );
      const hits = result.hits.hits;
      for (const hit of hits) {
        if (hit._id) found.push({ id: hit._id, routing: hit._routing ?? routing });
      }
      if (hits.length < DELETE_PAGE_SIZE) return found;
      after = hits.at(-1)?.sort;
    }
  }

  /** Deletes documents in one bulk request per page; for each, whether it existed. */
  private async deleteAll(
    documents: { index: string; id: string; routing: string | undefined }[],
  ): Promise<boolean[]> {
    const deleted: boolean[] = [];
    for (let start = 0; start < documents.length; start += DELETE_PAGE_SIZE) {
      const page = documents.slice(start, start + DELETE_PAGE_SIZE);
      const result = await elasticsearchCall(() =>
        this.client.bulk({
          refresh: true,
          operations: page.map((document) => ({
            delete: {
              _index: document.index,
              _id: document.id,
              ...(document.routing ? { routing: document.routing } : {}),
            },
          })),
        }),
      );
      deleted.push(...result.items.map((item) => item.delete?.result === "deleted"));
    }
    return deleted;
  }

  /** Every history record of one customer, oldest first, in one routed search. */
  async customerHistory(customerId: string): Promise<ExportedHistoryRecord[]> {
    const result = await elasticsearchCall(() =>
      this.client.search<HistoryDocument>({
        index: this.context.indices.history,
        routing: routingOf({ type: CUSTOMER_REFERENCE, id: customerId }),
        size: MAX_EXPORTED_HISTORY,
        query: {
          bool: {
            filter: [
              { term: { reference_type: CUSTOMER_REFERENCE } },
              { term: { reference_id: customerId } },
              // Records withdrawn because their change was refused are no history.
              { terms: { kind: ["field", "stage"] } },
            ],
          },
        },
        sort: [{ at: "asc" }, { record_id: "asc" }],
      }),
    );
    return result.hits.hits.flatMap((hit) => {
      const record = hit._source;
      if (!record) return [];
      return [
        {
          id: record.record_id,
          entryId: record.entry_id,
          slug: record.slug,
          kind: record.kind,
          key: record.key,
          valueType: record.value_type,
          value: record.value,
          at: record.at,
          by: { type: record.actor_type, id: record.actor_id },
        },
      ];
    });
  }

  /**
   * Erases one customer: every entry and history record of the reference
   * (routed to its one shard) and the customer document. Idempotent: a
   * second erase finds nothing and says so.
   */
  async eraseCustomer(customerId: string): Promise<ErasedCustomer> {
    const routing = routingOf({ type: CUSTOMER_REFERENCE, id: customerId });
    const reference: estypes.QueryDslQueryContainer = {
      bool: {
        filter: [
          { term: { reference_type: CUSTOMER_REFERENCE } },
          { term: { reference_id: customerId } },
        ],
      },
    };
    const [entries, history] = await Promise.all([
      this.idsMatching(this.context.indices.entries, reference, routing),
      this.idsMatching(this.context.indices.history, reference, routing),
    ]);
    const documents = [
      ...entries.map((hit) => ({ ...hit, index: this.context.indices.entries })),
      ...history.map((hit) => ({ ...hit, index: this.context.indices.history })),
      { index: this.context.indices.customers, id: customerId, routing: undefined },
    ];
    // One bulk request removes the entries, the history and the customer record together.
    const deleted = await this.deleteAll(documents);
    const count = (from: number, to: number) => deleted.slice(from, to).filter(Boolean).length;
    return {
      customerId,
      customer: deleted.at(-1) === true,
      entries: count(0, entries.length),
      history: count(entries.length, entries.length + history.length),
    };
  }
}

function encodeCursor(sort: estypes.SortResults): string {
  return btoa(JSON.stringify(sort));
}

function decodeCursor(cursor: string): estypes.SortResults {
  try {
    const sort: unknown = JSON.parse(atob(cursor));
    if (Array.isArray(sort) && sort.length === 2) return sort as estypes.SortResults;
  } catch {
    // Falls through to the refusal below.
  }
  throw new CrmError("invalid_request", "after: Not a cursor of this search", "after");
}
