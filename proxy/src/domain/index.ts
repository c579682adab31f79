/**
 * The CRM domain model, server entry (`#domain`): entities, fields, pipelines,
 * values, entries, the operation table and errors, with their zod schemas
 * (classic zod; the entity schemas are zod/mini, see documented.ts). Pure TypeScript + zod; it must never import server code. The
 * browser imports `#domain/browser` instead, which holds no classic zod.
 */
export { fieldArgs, pipelineArgs } from "./arguments.ts";
export * from "./defaults.ts";
// The entity schemas written in zod/mini, and (shadowing four of them) their classic-zod
// stand-ins, which the server's routes and operation table embed and document.
export {
  documented,
  entityDefinitionSchema,
  isoDateSchema,
  keySchema,
  slugSchema,
  storedEntityDefinitionSchema,
} from "./documented.ts";
export * from "./entity.ts";
export * from "./entry.ts";
export * from "./errors.ts";
export * from "./history.ts";
export * from "./operations.ts";
export * from "./own.ts";
export * from "./targets.ts";
export * from "./value.ts";
