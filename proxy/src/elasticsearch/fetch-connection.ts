import { Buffer } from "node:buffer";
import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import {
  BaseConnection,
  type ConnectionRequestOptions,
  type ConnectionRequestOptionsAsStream,
  type ConnectionRequestParams,
  type ConnectionRequestResponse,
  type ConnectionRequestResponseAsStream,
  errors,
} from "@elastic/transport";

const { ConnectionError, RequestAbortedError, TimeoutError } = errors;

/**
 * A connection to one Elasticsearch node over the global `fetch`, for runtimes
 * where the client's default (undici) connection does not work, such as
 * Cloudflare Workers. It follows the contract of the transport's own
 * connections: timeouts become `TimeoutError`, a caller's abort becomes
 * `RequestAbortedError`, anything failing on the wire becomes `ConnectionError`.
 */
export class FetchConnection extends BaseConnection {
  override request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions,
  ): Promise<ConnectionRequestResponse>;
  override request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptionsAsStream,
  ): Promise<ConnectionRequestResponseAsStream>;
  override async request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions | ConnectionRequestOptionsAsStream,
  ): Promise<ConnectionRequestResponse | ConnectionRequestResponseAsStream> {
    const url = this.requestUrl(params);
    const timeoutMs = options.timeout ?? this.timeout;
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs != null && timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    const callerSignal = options.signal;
    const onCallerAbort = () => controller.abort();
    if (callerSignal?.aborted) controller.abort();
    else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });

    const abortError = () =>
      timedOut ? new TimeoutError("Request timed out") : new RequestAbortedError("Request aborted");
    const finish = () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    };

    let response: Response;
    try {
      response = await fetch(url, {
        method: params.method,
        headers: requestHeaders({ ...this.headers, ...params.headers }),
        body: await requestBody(params.body),
        signal: controller.signal,
      });
    } catch (error) {
      finish();
      if (controller.signal.aborted) throw abortError();
      throw new ConnectionError(error instanceof Error ? error.message : "Connection failed");
    }

    const headers = responseHeaders(response.headers);
    if ("asStream" in options && options.asStream === true) {
      // The caller reads the stream; the timeout must not cut it off later.
      finish();
      const body = response.body
        ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)
        : Readable.from([]);
      return { statusCode: response.status, headers, body };
    }

    try {
      const bytes = Buffer.from(await response.arrayBuffer());
      const limit = options.maxResponseSize;
      if (limit !== undefined && bytes.byteLength > limit) {
        throw new RequestAbortedError(
          `The content length (${bytes.byteLength}) is bigger than the maximum allowed string (${limit})`,
        );
      }
      const contentType = headers["content-type"] ?? "";
      const body = isBinaryType(contentType) ? bytes : bytes.toString("utf8");
      return { statusCode: response.status, headers, body };
    } catch (error) {
      if (error instanceof RequestAbortedError) throw error;
      if (controller.signal.aborted) throw abortError();
      throw new ConnectionError(error instanceof Error ? error.message : "Connection failed");
    } finally {
      finish();
    }
  }

  override async close(): Promise<void> {
    // fetch keeps no pool of its own to close.
  }

  private requestUrl(params: ConnectionRequestParams): string {
    const base = this.url.pathname === "/" ? "" : this.url.pathname.replace(/\/$/, "");
    const path = params.path.startsWith("/") ? params.path : `/${params.path}`;
    const query = params.querystring ? `?${params.querystring}` : "";
    return `${this.url.origin}${base}${path}${query}`;
  }
}

/** Headers fetch computes itself (or refuses) are left to it. */
const HEADERS_FETCH_OWNS = new Set(["content-length", "connection", "host", "transfer-encoding"]);

function requestHeaders(headers: IncomingHttpHeaders): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HEADERS_FETCH_OWNS.has(name.toLowerCase())) continue;
    result.set(name, Array.isArray(value) ? value.join(", ") : String(value));
  }
  return result;
}

function responseHeaders(headers: Headers): IncomingHttpHeaders {
  const result: IncomingHttpHeaders = {};
  headers.forEach((value, name) => {
    result[name] = value;
  });
  // fetch has already decompressed the body; the transport must not do it again.
  delete result["content-encoding"];
  delete result["content-length"];
  return result;
}

async function requestBody(body: ConnectionRequestParams["body"]): Promise<BodyInit | undefined> {
  if (body === null || body === undefined || body === "") return undefined;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return new Uint8Array(body);
  // A stream body (bulk helpers, compression): fetch in Workers cannot take a Node stream.
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}

const BINARY_TYPES = [
  "application/vnd.mapbox-vector-tile",
  "application/vnd.apache.arrow.stream",
  "application/vnd.elasticsearch+arrow+stream",
  "application/smile",
  "application/vnd.elasticsearch+smile",
  "application/cbor",
  "application/vnd.elasticsearch+cbor",
];

/** Mirrors the transport's own rule for bodies it must not decode as text. */
function isBinaryType(contentType: string | string[]): boolean {
  const types = Array.isArray(contentType) ? contentType : [contentType];
  return types.some((type) => BINARY_TYPES.some((binary) => type.includes(binary)));
}
