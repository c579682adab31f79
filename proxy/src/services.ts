import type { Client, ClientOptions } from "@elastic/elasticsearch";
import { type CrmAdapterOptions, createCrmAdapter } from "./adapter/index.ts";
import type { CrmAdapter } from "./adapter/types.ts";
import { createElasticsearchClient } from "./elasticsearch/client.ts";
import { type CrmIndices, crmIndices } from "./elasticsearch/indices.ts";

/**
 * What the CRM services need to know: where Elasticsearch is and which
 * indices to use. A `ProxyConfig` is one; scripts, tests and the demo pass
 * just these fields.
 */
export interface CrmServicesConfig {
  elasticsearch: {
    url: string;
    apiKey?: string | undefined;
    username?: string | undefined;
    password?: string | undefined;
    /** Milliseconds per Elasticsearch request (default: the client's own bound). */
    timeoutMs?: number;
    maxRetries?: number;
  };
  /** Prepended to every index name (default: none). */
  indexPrefix?: string;
}

export interface CrmServicesOptions {
  /** The connection class; `FetchConnection` on Workers. */
  Connection?: ClientOptions["Connection"];
  /** Adapter settings besides the client and indices (refresh policy, caches, clock). */
  adapter?: Omit<CrmAdapterOptions, "client" | "indices">;
}

/** The Elasticsearch client, the index names and the CRM adapter over them. */
export interface CrmServices {
  client: Client;
  indices: CrmIndices;
  adapter: CrmAdapter;
  /** Closes the client's connections. */
  close(): Promise<void>;
}

/**
 * The one place the CRM is wired together: the Node proxy, the Worker, the
 * demo, backend scripts, the example, every test suite and the bench build
 * their client, indices and adapter here, so they cannot drift apart.
 */
export function createCrmServices(
  config: CrmServicesConfig,
  options: CrmServicesOptions = {},
): CrmServices {
  const { url, apiKey, username, password, timeoutMs, maxRetries } = config.elasticsearch;
  const client = createElasticsearchClient({
    url,
    ...(apiKey ? { apiKey } : {}),
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(timeoutMs === undefined ? {} : { requestTimeoutMs: timeoutMs }),
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(options.Connection ? { Connection: options.Connection } : {}),
  });
  const indices = crmIndices({ prefix: config.indexPrefix ?? "" });
  return {
    client,
    indices,
    adapter: createCrmAdapter({ ...options.adapter, client, indices }),
    close: () => client.close(),
  };
}
