import { Client, type ClientOptions, SniffingTransport } from "@elastic/elasticsearch";

export interface ElasticsearchClientOptions {
  url: string;
  apiKey?: string;
  username?: string;
  password?: string;
  /** Milliseconds before a request counts as failed. The client itself has no limit. */
  requestTimeoutMs?: number;
  /** Retries after a connection failure or a 502/503/504 (the client's own default is 3). */
  maxRetries?: number;
  /** The connection class; `FetchConnection` on runtimes without undici (Workers). */
  Connection?: ClientOptions["Connection"];
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_RETRIES = 1;

/**
 * The transport waits 1-2 s before its first retry (and the client has no
 * option to change that), so a node that is down answered 503 only after up
 * to ~2.7 s. A short jittered pause keeps the retry well inside the 2.5 s
 * budget for a 503 (measured by test/proxy/hardening/fault.test.ts).
 */
class QuickRetryTransport extends SniffingTransport {
  constructor(options: ConstructorParameters<typeof SniffingTransport>[0]) {
    super({ ...options, retryBackoff: (_min, _max, attempt) => Math.random() * 0.1 * attempt });
  }
}

/**
 * The Elasticsearch client the proxy, the tests and backend scripts share:
 * bounded time and retries per request so a slow or absent node turns into a
 * quick `unavailable` instead of a hanging widget; no sniffing, since the proxy
 * talks to one endpoint (a load balancer or a single node).
 */
export function createElasticsearchClient(options: ElasticsearchClientOptions): Client {
  const auth = options.apiKey
    ? { apiKey: options.apiKey }
    : options.username !== undefined
      ? { username: options.username, password: options.password ?? "" }
      : undefined;
  return new Client({
    node: options.url,
    ...(auth ? { auth } : {}),
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    sniffOnStart: false,
    sniffInterval: false,
    sniffOnConnectionFault: false,
    Transport: QuickRetryTransport,
    ...(options.Connection ? { Connection: options.Connection } : {}),
  });
}
