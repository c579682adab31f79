/**
 * Every default of the CRM operations, in one place. The adapter, the HTTP
 * API and the widget runtime all read them from here.
 */

/** The reference an operation addresses when the caller names none: the session customer. */
export const DEFAULT_REFERENCE_TYPE = "customer";

/** Longest text value a `text` field accepts unless its definition says otherwise. */
export const DEFAULT_TEXT_MAX_LENGTH = 500;

/** Hard ceiling for any text value, whatever a definition says. */
export const TEXT_MAX_LENGTH_LIMIT = 10_000;

/** Most calls one batch request may carry. */
export const MAX_BATCH_CALLS = 50;

/** Most fields one entity may define (the mapping does not grow with them). */
export const MAX_FIELDS_PER_ENTITY = 5_000;

/** Most entries one `getCrmEntries` page holds (also its default `limit`). */
export const MAX_ENTRIES_PER_READ = 100;

/** Deepest `offset` of `getCrmEntries` pages (Elasticsearch's result window is 10,000). */
export const MAX_ENTRIES_OFFSET = 9_900;

/** Entries customers may create per reference and entity unless its definition says otherwise. */
export const DEFAULT_CUSTOMER_ENTRY_QUOTA = 100;

/** Highest per-reference quota a definition may set. */
export const MAX_CUSTOMER_ENTRY_QUOTA = 10_000;
