import { z } from "zod";

/**
 * What the operations answer, written once as zod: the TypeScript types are
 * inferred from these schemas, and the OpenAPI document is generated from
 * them (`.meta({ id })` names the component). Classic zod, so server-only as
 * values; the browser imports the inferred types alone.
 */

/** A value as sent over the wire and as stored; its field's own schema checks it further. */
export const wireValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A stored value in answers: one OpenAPI component for every place a value appears. */
const storedValueSchema = wireValueSchema.meta({ id: "FieldValue" });

const timestampSchema = z.iso.datetime({ offset: true });

/** The external record an entry belongs to, e.g. `{ type: "customer", id: "c_8f3…" }`. */
export const referenceSchema = z.object({ type: z.string(), id: z.string() });
export type Reference = z.infer<typeof referenceSchema>;

/**
 * Who made a change: a customer (through their session, by customer id), a
 * staff member (by the subject of their staff token) or the owner's backend
 * (a script or the ADMIN_TOKEN, no id). Only staff and backend callers see it.
 */
export const actorSchema = z
  .object({ type: z.enum(["customer", "staff", "backend"]), id: z.string().nullable() })
  .meta({ id: "Actor" });
export type Actor = z.infer<typeof actorSchema>;

/** Where an entry stands in one pipeline, and since when (`enteredAt`: the move into this stage). */
export const stagePositionSchema = z
  .object({ stage: z.string(), enteredAt: timestampSchema })
  .meta({ id: "StagePosition" });
export type StagePosition = z.infer<typeof stagePositionSchema>;

/** One CRM entry as every layer returns it; a pipeline the entry never entered is absent from `stages`. */
export const crmEntrySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    reference: referenceSchema,
    values: z.record(z.string(), storedValueSchema),
    stages: z.record(z.string(), stagePositionSchema),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    /** Who made the last write; answered to staff and backend callers, never to customers. */
    updatedBy: actorSchema.optional(),
  })
  .meta({ id: "CrmEntry" });
export type CrmEntry = z.infer<typeof crmEntrySchema>;

/** What every answer about one field (its value, its history) starts with: which field. */
export const aboutField = { slug: z.string(), fieldKey: z.string() };

/** What every answer about one pipeline (a stage, the moves) starts with: which pipeline. */
export const aboutPipeline = { slug: z.string(), pipeline: z.string() };

/** What `getCrmField` answers: the value, and the entry it came from (null if none exists yet). */
export const crmFieldValueSchema = z
  .object({
    ...aboutField,
    value: storedValueSchema,
    entryId: z.string().nullable(),
    updatedAt: timestampSchema.nullable(),
  })
  .meta({ id: "CrmFieldValue" });
export type CrmFieldValue = z.infer<typeof crmFieldValueSchema>;

/** What `getCrmStage` answers for one pipeline. */
export const crmStageValueSchema = z
  .object({
    ...aboutPipeline,
    position: stagePositionSchema.nullable(),
    entryId: z.string().nullable(),
  })
  .meta({ id: "CrmStageValue" });
export type CrmStageValue = z.infer<typeof crmStageValueSchema>;
