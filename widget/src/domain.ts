/**
 * The slice of the shared domain model (proxy/src/domain) the browser uses.
 * Only zod-free or zod/mini modules are imported for values: `#domain`'s
 * index also builds the classic-zod entity schemas, which would not fit the
 * bundle budget. Types come from anywhere.
 */
export { MAX_BATCH_CALLS } from "../../proxy/src/domain/defaults.ts";
export { CrmError, type ErrorCode, isErrorCode } from "../../proxy/src/domain/errors.ts";
export { checkFieldValue } from "../../proxy/src/domain/value.ts";
