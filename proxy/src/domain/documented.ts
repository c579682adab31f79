import { z } from "zod";
import {
  entityDefinitionSchema as entityDefinition,
  isoDateSchema as isoDate,
  keySchema as key,
  slugSchema as slug,
} from "./entity.ts";

/**
 * The entity schemas are written in zod/mini (see entity.ts); the server's routes and
 * operation table are classic zod, documented by @hono/zod-openapi, whose generator
 * calls `.meta()` on every schema it walks, a method zod/mini schemas lack. So the
 * server takes each zod/mini schema behind a classic stand-in: it validates with the
 * schema itself and documents it with zod's own JSON Schema of it. One definition,
 * both uses.
 */
export function documented<T extends z.core.$ZodType>(
  schema: T,
  { id, io = "input" }: { id?: string; io?: "input" | "output" } = {},
): z.ZodType<z.core.output<T>, z.core.input<T>> {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
  });
  // The stand-in's input is the schema's input: `z.unknown()` only carries the
  // documentation, the pipe's second half does all of the checking.
  return z
    .unknown()
    .meta({ ...jsonSchema, ...(id ? { id } : {}) })
    .pipe(schema) as unknown as z.ZodType<z.core.output<T>, z.core.input<T>>;
}

/** The entity schemas as the server's classic-zod schemas embed and document them. */
export const slugSchema = documented(slug);
export const keySchema = documented(key);
export const isoDateSchema = documented(isoDate);
/** A definition as callers send it (defaults may be left out). */
export const entityDefinitionSchema = documented(entityDefinition, { id: "EntityDefinitionInput" });
/** A definition as the proxy answers it: every default filled in. */
export const storedEntityDefinitionSchema = documented(entityDefinition, {
  id: "EntityDefinition",
  io: "output",
});
