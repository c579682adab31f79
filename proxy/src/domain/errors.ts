/**
 * Stable error codes shared by the adapter, the HTTP API and the widgets.
 * A code never changes meaning; messages are for humans and may be reworded.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_value: 400,
  unknown_field: 400,
  unauthenticated: 401,
  /** Staff routes: the staff token's time is up (sign in again). */
  token_expired: 401,
  /** Staff routes: a well-signed token for another issuer, audience or use, or an unknown key. */
  token_foreign: 401,
  /** Staff routes: a token whose signature or form does not hold (tampered or malformed). */
  token_invalid: 401,
  forbidden: 403,
  /** A customer's session on a staff route: valid, but no staff token. */
  staff_token_required: 403,
  /** A staff member without the admin role on an admin-only route. */
  admin_role_required: 403,
  field_not_writable: 403,
  stage_not_movable: 403,
  entry_not_creatable: 403,
  entity_not_found: 404,
  field_not_found: 404,
  pipeline_not_found: 404,
  stage_not_found: 404,
  entry_not_found: 404,
  not_found: 404,
  /** A method the path has no handler for; the `Allow` header lists those it has. */
  method_not_allowed: 405,
  conflict: 409,
  /**
   * An entity change that would make stored entries invalid; `field` names the
   * first input concerned (`fields.2.type`). Sent again with `acceptBreaking`, it is made.
   */
  breaking_change: 409,
  entry_quota_exceeded: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  /** A write reached Elasticsearch but no answer came back: it may have been stored. */
  outcome_unknown: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The JSON body of every error the proxy returns: `{ error: CrmErrorBody }`. */
export interface CrmErrorBody {
  code: ErrorCode;
  message: string;
  /** The field key (or request path) the error concerns, when there is one. */
  field?: string;
}

/** An expected failure of a CRM operation, carried unchanged from the adapter to the browser. */
export class CrmError extends Error {
  override readonly name = "CrmError";
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }

  get status(): (typeof ERROR_STATUS)[ErrorCode] {
    return ERROR_STATUS[this.code];
  }

  toJSON(): CrmErrorBody {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}

/** Turns the first problem a zod schema found into the error the caller sees, naming the field. */
export function errorFromIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  code: ErrorCode = "invalid_request",
): CrmError {
  const issue = issues[0];
  if (!issue) return new CrmError(code, "Invalid request");
  const field = issue.path.map(String).join(".");
  return new CrmError(
    code,
    field ? `${field}: ${issue.message}` : issue.message,
    field || undefined,
  );
}
