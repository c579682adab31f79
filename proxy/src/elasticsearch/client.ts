import {
  Client,
  type ClientOptions,
  errors,
  SniffingTransport,
  type TransportRequestOptions,
  type TransportRequestOptionsWithMeta,
  type TransportRequestOptionsWithOutMeta,
  type TransportRequestParams,
  type TransportResult,
} from "@elastic/elasticsearch";

export interface ElasticsearchClientOptions {
  /**
   * One node URL, or several separated by commas (as `ELASTICSEARCH_URL` holds them): the
   * client spreads requests over every node listed and stops using a node that fails until it
   * answers again.
   */
  url: string;
  apiKey?: string;
  username?: string;
  password?: string;
  /** Milliseconds before a request counts as failed. The client itself has no limit. */
  requestTimeoutMs?: number;
  /**
   * Retries after a connection failure or a 502/503/504 (the client's own default is 3);
   * by default one per node listed, so a request gets past a dead node to a living one.
   */
  maxRetries?: number;
  /** The connection class; `FetchConnection` on runtimes without undici (Workers). */
  Connection?: ClientOptions["Connection"];
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** The client's own switch, `OTEL_ELASTICSEARCH_ENABLED=true`; off by default here (see ClusterTransport). */
const OPEN_TELEMETRY_ENABLED =
  globalThis.process?.env?.OTEL_ELASTICSEARCH_ENABLED?.toLowerCase() === "true";
export const DEFAULT_MAX_RETRIES = 1;

/** The node URLs of `url`: one, or several separated by commas. */
export function nodeUrls(url: string): string[] {
  return url
    .split(",")
    .map((node) => node.trim().replace(/\/+$/, ""))
    .filter(Boolean);
}

/** Whether the request only reads (a failed read changed nothing). */
export function isRead(params: Pick<TransportRequestParams, "method" | "path">): boolean {
  return (
    params.method === "GET" ||
    params.method === "HEAD" ||
    /\/(_search|_mget|_count|_msearch)(\/|$)/.test(params.path)
  );
}

/**
 * Whether sending the request twice has the effect of sending it once, so that a timed-out
 * attempt may be sent again to another node. Creates are not: the first attempt may have been
 * stored after all, and the second would then answer 409 for a write that succeeded. Nor are
 * compare-and-set writes (`if_seq_no`), for the same reason, nor bulk requests.
 */
export function isIdempotent(params: TransportRequestParams): boolean {
  const query = new URLSearchParams(
    typeof params.querystring === "string"
      ? params.querystring
      : Object.entries(params.querystring ?? {}).map(([name, value]) => [name, String(value)]),
  );
  if (/\/(_create|_bulk)(\/|$)/.test(params.path)) return false;
  if (query.has("if_seq_no") || query.get("op_type") === "create") return false;
  if (params.method === "GET" || params.method === "HEAD" || params.method === "PUT") return true;
  // Reads sent as POST, and partial updates that set fields to given values.
  return /\/(_search|_mget|_count|_msearch|_update)(\/|$)/.test(params.path);
}

/** A write of one or more documents: the requests whose `timeout` bounds Elasticsearch's own wait. */
function isDocumentWrite(params: TransportRequestParams): boolean {
  return !isRead(params) && /\/(_update|_create|_doc|_bulk)(\/|$)/.test(params.path);
}

/** `params` with `name=value` in its query string, unless the caller set `name` already. */
function withQuery(
  params: TransportRequestParams,
  name: string,
  value: string,
): TransportRequestParams {
  const query = params.querystring;
  if (typeof query === "string") {
    const search = new URLSearchParams(query);
    if (search.has(name)) return params;
    search.set(name, value);
    return { ...params, querystring: search.toString() };
  }
  if (query?.[name] != null) return params;
  return { ...params, querystring: { ...query, [name]: value } };
}

/**
 * The transport of a cluster:
 * - the first retry waits a short jitter instead of the transport's 1-2 s, so that a dead
 *   node costs a request milliseconds, not seconds (the transport has no option for it);
 * - an idempotent request gets half the timeout on its first node and, if that node does not
 *   answer in time, the other half on another one: the transport marks the timed-out node
 *   dead before it throws, so the second attempt goes elsewhere, and the whole stays within
 *   the timeout. The transport's own `retryOnTimeout` is one switch for every request (its
 *   per-request option is declared in its types but not read), so it stays off and creates
 *   are never sent twice after a timeout.
 */
class ClusterTransport extends SniffingTransport {
  readonly #timeoutMs: number | undefined;

  constructor(options: ConstructorParameters<typeof SniffingTransport>[0]) {
    super({
      ...options,
      // The transport traces every request through @opentelemetry/api unless told not to, a
      // few µs of CPU per request even with no tracer installed: on only when asked for.
      openTelemetry: { enabled: OPEN_TELEMETRY_ENABLED },
      retryOnTimeout: false,
      retryBackoff: (_min, _max, attempt) => Math.random() * 0.1 * attempt,
    });
    this.#timeoutMs =
      typeof options.requestTimeout === "number" ? options.requestTimeout : undefined;
  }

  override request<TResponse = unknown>(
    params: TransportRequestParams,
    options?: TransportRequestOptionsWithOutMeta,
  ): Promise<TResponse>;
  override request<TResponse = unknown, TContext = unknown>(
    params: TransportRequestParams,
    options?: TransportRequestOptionsWithMeta,
  ): Promise<TransportResult<TResponse, TContext>>;
  override request<TResponse = unknown>(
    params: TransportRequestParams,
    options?: TransportRequestOptions,
  ): Promise<TResponse>;
  override async request(
    params: TransportRequestParams,
    options?: TransportRequestOptions,
  ): Promise<unknown> {
    const timeoutMs = this.#timeoutMs;
    if (timeoutMs !== undefined && isDocumentWrite(params)) {
      // Elasticsearch keeps a write it could not place (its primary on a node that hangs or
      // died) and retries it on the new primary for up to a minute, long after this client
      // gave up: an older value could then land after a newer acknowledged one. Bounding its
      // wait below our timeout makes it give up first.
      params = withQuery(params, "timeout", `${Math.floor(timeoutMs / 2)}ms`);
    }
    const secondChance =
      timeoutMs !== undefined &&
      options?.requestTimeout == null &&
      this.connectionPool.size > 1 &&
      isIdempotent(params);
    if (!secondChance) return super.request(params, options);
    const half = { ...options, requestTimeout: timeoutMs / 2 };
    try {
      return await super.request(params, half);
    } catch (error) {
      if (!(error instanceof errors.TimeoutError) || options?.signal?.aborted) throw error;
      return super.request(params, half);
    }
  }
}

/**
 * The Elasticsearch client the proxy, the tests and backend scripts share:
 * bounded time and retries per request so a slow or absent node turns into a
 * quick `unavailable` instead of a hanging widget. Several nodes are used as
 * listed (no sniffing: the proxy must not learn addresses it cannot reach,
 * such as a cluster's internal ones, and a Worker cannot keep a sniffing timer).
 */
export function createElasticsearchClient(options: ElasticsearchClientOptions): Client {
  const auth = options.apiKey
    ? { apiKey: options.apiKey }
    : options.username !== undefined
      ? { username: options.username, password: options.password ?? "" }
      : undefined;
  const nodes = nodeUrls(options.url);
  return new Client({
    nodes,
    ...(auth ? { auth } : {}),
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? Math.max(DEFAULT_MAX_RETRIES, nodes.length),
    sniffOnStart: false,
    sniffInterval: false,
    sniffOnConnectionFault: false,
    Transport: ClusterTransport,
    ...(options.Connection ? { Connection: options.Connection } : {}),
  });
}
