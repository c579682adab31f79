import { z } from "zod";
import { keySchema, slugSchema } from "./documented.ts";

/**
 * The argument pieces the operations' schemas share (`operations.ts` and the
 * history reads in `history.ts`), written once so that every operation refuses
 * a bad reference or entry id with the same message.
 */

/**
 * The reference an operation acts on. It defaults to `customer` + the session
 * customer's id (see `DEFAULT_REFERENCE_TYPE`); customers may only name their own.
 */
export const referenceArgs = {
  referenceType: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, "Must be a reference type such as customer")
    .optional(),
  referenceId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:@-]+$/, "Must be a reference id")
    .optional(),
};

/** The arguments that name one field of an entity: what its value, writes and history are read by. */
export const fieldArgs = { slug: slugSchema, fieldKey: keySchema };

/** The arguments that name one pipeline of an entity: what its stages and moves are read by. */
export const pipelineArgs = { slug: slugSchema, pipeline: keySchema };

export const entryIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.:@-]+$/, "Must be an entry id");

/** The entry an operation acts on: among the reference's entries, or the reference itself. */
export const entryArgs = {
  /** Required for entities with several entries per reference; otherwise the reference's one entry. */
  entryId: entryIdSchema.optional(),
  ...referenceArgs,
};
