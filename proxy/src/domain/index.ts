/**
 * The CRM domain model: entities, fields, pipelines, values, entries, the
 * operations' arguments and errors. Pure TypeScript + zod, shared by the proxy
 * and the browser widgets; it must never import server code.
 */
export * from "./defaults.ts";
export * from "./entity.ts";
export * from "./entry.ts";
export * from "./errors.ts";
export * from "./operations.ts";
export * from "./value.ts";
