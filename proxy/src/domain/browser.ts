/**
 * The CRM domain model, browser entry (`#domain/browser`): the values the
 * widgets run come only from zod-free or zod/mini modules (classic zod alone
 * would outweigh the whole bundle budget); every type comes from the server
 * entry, since types cost the bundle nothing.
 */
export * from "./defaults.ts";
export * from "./errors.ts";
export type * from "./index.ts";
export * from "./own.ts";
export * from "./targets.ts";
export * from "./value.ts";
