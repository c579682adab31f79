import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CrmError, type CrmErrorBody, type ErrorCode, errorFromIssues } from "#domain";

/** Seconds a client should wait before retrying when Elasticsearch is unavailable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The one JSON shape of every error response: `{ error: { code, message, field? } }`. */
export function errorResponse(c: Context, error: CrmError): Response {
  if (error.status === 503 && !c.res.headers.has("Retry-After")) {
    c.header("Retry-After", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  }
  const body: { error: CrmErrorBody } = { error: error.toJSON() };
  return c.json(body, error.status as ContentfulStatusCode);
}

/** Hono's own HTTP errors (malformed JSON, …) mapped onto the stable codes. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "invalid_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "invalid_request",
  429: "rate_limited",
  503: "unavailable",
};

/**
 * Expected failures keep their code; anything else is a 500 `internal` whose
 * details go to the log with the request id, never to the client.
 */
export const onError: ErrorHandler = (error, c) => {
  if (error instanceof CrmError) return errorResponse(c, error);
  // Hono middleware that can only throw HTTP errors (the request deadline) carry ours as cause.
  if (error instanceof HTTPException && error.cause instanceof CrmError) {
    return errorResponse(c, error.cause);
  }
  if (error instanceof HTTPException) {
    const code = CODE_BY_STATUS[error.status];
    if (code) return errorResponse(c, new CrmError(code, error.message || code));
  }
  console.error(`[${c.get("requestId") ?? "-"}] unexpected error`, error);
  return errorResponse(c, new CrmError("internal", "Internal error"));
};

export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, new CrmError("not_found", `No route for ${c.req.method} ${c.req.path}`));

interface Issue {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}

/**
 * Turns zod issues into the error the caller sees. An unknown key is named as
 * the field (`values.bogus`), so refused mass assignment says what was refused.
 */
export function validationError(issues: readonly Issue[]): CrmError {
  const named = issues.map((issue) =>
    issue.code === "unrecognized_keys" && issue.keys?.[0] !== undefined
      ? {
          path: [...issue.path, issue.keys[0]],
          message: `Unknown key "${issue.keys[0]}" is not accepted`,
        }
      : issue,
  );
  return errorFromIssues(named, "invalid_request");
}

/** `defaultHook` of every OpenAPIHono router: one shape for every validation error. */
export function validationHook(
  result: { success: true } | { success: false; error: { issues: readonly Issue[] } },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  return errorResponse(c, validationError(result.error.issues));
}
