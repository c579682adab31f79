/**
 * Shared set-up of the adapter tests: a real Elasticsearch client built the way
 * the proxy builds it, fresh indices under a unique prefix, an adapter over
 * them, and a counter of the HTTP requests the client really sent.
 */
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll } from "vitest";
import { CrmError, type EntityDefinitionInput } from "#domain";
import { type CrmAdapterOptions, createCrmAdapter } from "../../../proxy/src/adapter/index.ts";
import type { CrmAdapter } from "../../../proxy/src/adapter/types.ts";
import type { CrmIndices } from "../../../proxy/src/elasticsearch/indices.ts";
import type { HistoryDocument } from "../../../proxy/src/elasticsearch/schema.ts";
import { ensureCrmIndices } from "../../../proxy/src/elasticsearch/setup.ts";
import { createCrmServices } from "../../../proxy/src/services.ts";
import { elasticsearchUrl, uniquePrefix } from "../../support/elasticsearch.ts";

export interface AdapterFixture {
  client: Client;
  indices: CrmIndices;
  adapter: CrmAdapter;
  /** A second adapter over the same indices: another proxy process with its own caches. */
  newAdapter(options?: Partial<CrmAdapterOptions>): CrmAdapter;
  /**
   * Counts the Elasticsearch requests `run` sends, once the file's cached
   * definitions are freshly confirmed: their revalidation (one GET each, every
   * 2 s) belongs to no single call, and on a slow machine it would fall into one.
   */
  requestsDuring(run: () => Promise<unknown>): Promise<number>;
}

/**
 * Registers hooks creating the indices and `entities` once per file; use the
 * fixture's fields inside tests only.
 */
export function useAdapterFixture(
  name: string,
  entities: EntityDefinitionInput[] = [],
): AdapterFixture {
  const prefix = uniquePrefix(name);
  const fixture = {} as AdapterFixture;
  let sent = 0;
  beforeAll(async () => {
    const { client, indices } = createCrmServices({
      elasticsearch: { url: elasticsearchUrl(), timeoutMs: 30_000 },
      indexPrefix: prefix,
    });
    client.diagnostic.on("response", () => {
      sent += 1;
    });
    await ensureCrmIndices(client, indices);
    fixture.client = client;
    fixture.indices = indices;
    fixture.newAdapter = (options = {}) => createCrmAdapter({ client, indices, ...options });
    fixture.adapter = fixture.newAdapter();
    fixture.requestsDuring = async (run) => {
      await Promise.all(entities.map(({ slug }) => fixture.adapter.entities.get(slug)));
      const before = sent;
      await run();
      return sent - before;
    };
    for (const entity of entities) await fixture.adapter.entities.create(entity);
  });
  afterAll(async () => {
    await fixture.client?.close();
  });
  return fixture;
}

/** A customer id such as the adapter issues, for a fresh identity. */
export async function newCustomer(adapter: CrmAdapter, subject: string): Promise<string> {
  const customer = await adapter.resolveCustomer({ issuer: "https://shop.example", subject });
  return customer.id;
}

/** The CrmError a promise rejects with (any other outcome fails the test). */
export async function failure(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CrmError)) throw new Error(`Expected a CrmError, got ${String(error)}`);
  return error;
}

/** Every stored history record of one reference, oldest first, straight from the index. */
export async function storedHistory(
  crm: AdapterFixture,
  referenceId: string,
): Promise<HistoryDocument[]> {
  await crm.client.indices.refresh({ index: crm.indices.history });
  const result = await crm.client.search<HistoryDocument>({
    index: crm.indices.history,
    size: 1000,
    // Records withdrawn because their entry update failed (see history-failures) are none.
    query: {
      bool: {
        filter: [{ term: { reference_id: referenceId } }, { terms: { kind: ["field", "stage"] } }],
      },
    },
    sort: [{ at: "asc" }, { record_id: "asc" }],
  });
  return result.hits.hits.flatMap((hit) => (hit._source ? [hit._source] : []));
}
