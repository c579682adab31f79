import type { Client, ClientOptions } from "@elastic/elasticsearch";
import { createCrmAdapter } from "../adapter/index.ts";
import type { CrmAdapter } from "../adapter/types.ts";
import type { ProxyConfig } from "../config.ts";
import { createElasticsearchClient } from "../elasticsearch/client.ts";
import { type CrmIndices, crmIndices } from "../elasticsearch/indices.ts";

export interface ProxyServices {
  client: Client;
  indices: CrmIndices;
  adapter: CrmAdapter;
}

/** The Elasticsearch client and the CRM adapter as the configuration describes them. */
export function createServices(
  config: ProxyConfig,
  options: { Connection?: ClientOptions["Connection"] } = {},
): ProxyServices {
  const { elasticsearch } = config;
  const client = createElasticsearchClient({
    url: elasticsearch.url,
    ...(elasticsearch.apiKey ? { apiKey: elasticsearch.apiKey } : {}),
    ...(elasticsearch.username ? { username: elasticsearch.username } : {}),
    ...(elasticsearch.password ? { password: elasticsearch.password } : {}),
    requestTimeoutMs: elasticsearch.timeoutMs,
    maxRetries: elasticsearch.maxRetries,
    ...(options.Connection ? { Connection: options.Connection } : {}),
  });
  const indices = crmIndices({ prefix: config.indexPrefix });
  return { client, indices, adapter: createCrmAdapter({ client, indices }) };
}
