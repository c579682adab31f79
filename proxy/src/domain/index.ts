/**
 * The CRM domain model, server entry (`#domain`): entities, fields, pipelines,
 * values, entries, the operation table and errors, with their classic-zod
 * schemas. Pure TypeScript + zod; it must never import server code. The
 * browser imports `#domain/browser` instead, which holds no classic zod.
 */
export * from "./defaults.ts";
export * from "./entity.ts";
export * from "./entry.ts";
export * from "./errors.ts";
export * from "./history.ts";
export * from "./operations.ts";
export * from "./own.ts";
export * from "./targets.ts";
export * from "./value.ts";
