/**
 * What a site owner's backend script needs to use the CRM: an Elasticsearch
 * client, the CRM adapter over it, and the customer id of one of their users.
 */
import { ensureElasticsearch } from "../../proxy/dev/elasticsearch.ts";
import type { CrmAdapter } from "../../proxy/src/adapter/types.ts";
import { createCrmServices } from "../../proxy/src/services.ts";
import { demoSettings, elasticsearchAuth } from "../server/config.ts";

/**
 * Runs `task` with the adapter, then closes the client. ELASTICSEARCH_URL and
 * CRM_INDEX_PREFIX name the cluster and indices, as for the proxy; without
 * ELASTICSEARCH_URL the project's local Elasticsearch is used.
 */
export async function withCrm<T>(task: (crm: CrmBackend) => Promise<T>): Promise<T> {
  const settings = demoSettings();
  const url = process.env.ELASTICSEARCH_URL || (await ensureElasticsearch()).url;
  const { adapter, close } = createCrmServices({
    elasticsearch: { url, ...elasticsearchAuth() },
    indexPrefix: settings.indexPrefix,
  });
  try {
    return await task({
      adapter,
      /** The customer record of a user of the site: the same one their session tokens resolve to. */
      customerId: async (subject) =>
        (await adapter.resolveCustomer({ issuer: settings.issuer, subject })).id,
    });
  } finally {
    await close();
  }
}

export interface CrmBackend {
  adapter: CrmAdapter;
  customerId(subject: string): Promise<string>;
}

/** Prints the message and exits 1; for command-line mistakes and refused operations. */
export function exitWith(message: string): never {
  console.error(message);
  process.exit(1);
}
