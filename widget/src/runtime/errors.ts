import type { CrmErrorBody } from "#domain/browser";
import { CrmError, isErrorCode } from "#domain/browser";

/**
 * What a call rejected with, as the `CrmError` a component shows: a
 * `CrmError` as it is, an error body the proxy sent by its code, anything
 * else as `internal`. (The proxy's `fromElasticsearchError` is another
 * thing: it reads Elasticsearch's failures.)
 */
export function asCrmError(reason: unknown): CrmError {
  if (reason instanceof CrmError) return reason;
  if (typeof reason === "object" && reason !== null) {
    const body = reason as Partial<CrmErrorBody>;
    if (isErrorCode(body.code) && typeof body.message === "string") {
      return new CrmError(body.code, body.message, body.field);
    }
  }
  return new CrmError("internal", reason instanceof Error ? reason.message : "Unexpected error");
}

/**
 * The message to show beside the field an error concerns: the proxy names the
 * field ("current_weight: Must be at most 400"), the field's own UI need not.
 */
export function fieldMessage(error: CrmErrorBody): string {
  const prefix = `${error.field}: `;
  return error.field && error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
}
