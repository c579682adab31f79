import { errors } from "@elastic/elasticsearch";
import { CrmError } from "#domain";

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
 * Turns whatever an Elasticsearch call threw into the error the caller may
 * see. Nothing of Elasticsearch's own message reaches clients; the original is
 * logged here, server-side, for the unexpected cases.
 */
export function fromElasticsearchError(error: unknown): CrmError {
  if (error instanceof CrmError) return error;
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
