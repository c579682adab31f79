import { errors, type TransportResult } from "@elastic/elasticsearch";
import { CrmError } from "#domain";
import { isRead } from "./client.ts";

/** The status code of an Elasticsearch error response, if the error is one. */
export function responseStatus(error: unknown): number | undefined {
  return error instanceof errors.ResponseError ? error.statusCode : undefined;
}

/** The `error.type` Elasticsearch named in its response, e.g. `version_conflict_engine_exception`. */
export function responseErrorType(error: unknown): string | undefined {
  if (!(error instanceof errors.ResponseError)) return undefined;
  const body: unknown = error.body;
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const detail = body.error;
  if (typeof detail !== "object" || detail === null || !("type" in detail)) return undefined;
  return typeof detail.type === "string" ? detail.type : undefined;
}

/**
 * Whether a failed request was a write that may have reached Elasticsearch and been stored:
 * it timed out, its connection broke after it was sent, or a proxy in front answered 502/504.
 * A refused connection on the first attempt never reached it; after a retry the earlier
 * attempt may have, so that counts as unknown too.
 */
function mayHaveBeenStored(error: unknown): boolean {
  if (!(error instanceof errors.ElasticsearchClientError)) return false;
  const meta = "meta" in error ? (error.meta as Partial<TransportResult> | undefined) : undefined;
  const request = meta?.meta?.request?.params;
  if (!request || isRead(request)) return false;
  if (error instanceof errors.TimeoutError) return true;
  if (error instanceof errors.ConnectionError) {
    return !/ECONNREFUSED/.test(error.message) || (meta?.meta?.attempts ?? 0) > 0;
  }
  const status = responseStatus(error);
  // A create sent again after a broken connection finds the document its first attempt stored.
  if (status === 409 && /\/_create\//.test(request.path) && (meta?.meta?.attempts ?? 0) > 0) {
    return true;
  }
  return status === 502 || status === 504;
}

/**
 * Turns whatever an Elasticsearch call threw into the error the caller may
 * see. Nothing of Elasticsearch's own message reaches clients; the original is
 * logged here, server-side, for the unexpected cases.
 */
export function fromElasticsearchError(error: unknown): CrmError {
  if (error instanceof CrmError) return error;
  if (mayHaveBeenStored(error)) {
    console.error("Elasticsearch did not answer a write:", (error as Error).message);
    return new CrmError(
      "outcome_unknown",
      "The CRM store did not confirm the change: it may have been saved. Check before repeating it",
    );
  }
  if (
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError
  ) {
    console.error("Elasticsearch unreachable:", error.message);
    return new CrmError("unavailable", "The CRM store is unavailable, try again shortly");
  }
  const status = responseStatus(error);
  if (status === 429 || (status !== undefined && status >= 500)) {
    console.error(`Elasticsearch answered ${status}:`, responseErrorType(error) ?? "");
    return new CrmError("unavailable", "The CRM store is unavailable, try again shortly");
  }
  // A write block on an index (set by an operator, or by the disk flood-stage watermark).
  if (responseErrorType(error) === "cluster_block_exception") {
    console.error("Elasticsearch refused a write: an index is blocked");
    return new CrmError("unavailable", "The CRM store is unavailable, try again shortly");
  }
  if (status === 409)
    return new CrmError("conflict", "The record was changed concurrently, try again");
  console.error("Unexpected Elasticsearch failure:", error);
  return new CrmError("internal", "Something went wrong");
}

/** Runs one Elasticsearch call, translating its failures. */
export async function elasticsearchCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromElasticsearchError(error);
  }
}
