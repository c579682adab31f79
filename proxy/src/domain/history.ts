import { z } from "zod";
import { entryIdSchema, fieldArgs, pipelineArgs, referenceArgs } from "./arguments.ts";
import { isoDateSchema } from "./documented.ts";
import { type Actor, aboutField, aboutPipeline, actorSchema, wireValueSchema } from "./entry.ts";

/**
 * Field and stage history: immutable records of acknowledged changes. Fields
 * whose definition says `history: true` keep every change of their value;
 * every stage move is kept. Reads are scoped like the field and stage reads.
 */

/** Records one history read returns when the caller names no limit. */
export const DEFAULT_HISTORY_LIMIT = 100;

/** Most records one history read returns: a year of daily check-ins fits in one page. */
export const MAX_HISTORY_LIMIT = 1_000;

/**
 * Where the next page starts: the previous page's last record, as
 * `<epoch millis>.<record id>`. Opaque to callers; validated before use.
 */
export const historyCursorSchema = z
  .string()
  .regex(/^\d{1,15}\.h_[\w-]{22}$/, "Must be the next value of a previous history page");

/** A time bound: a date (the day's start, UTC) or a date-time with offset. */
const historyTimeSchema = z.union(
  [z.iso.datetime({ offset: true }), isoDateSchema],
  "Must be a date (YYYY-MM-DD) or an ISO 8601 date-time",
);

const historyPageArgs = {
  /** Inclusive bounds on the time of the change. */
  from: historyTimeSchema.optional(),
  to: historyTimeSchema.optional(),
  limit: z.int().min(1).max(MAX_HISTORY_LIMIT).optional(),
  /** `desc` (default): newest first, so a limit keeps the latest changes. */
  order: z.enum(["asc", "desc"]).optional(),
  after: historyCursorSchema.optional(),
  ...referenceArgs,
};

export const getCrmFieldHistoryArgsSchema = z.strictObject({
  ...fieldArgs,
  /** One entry's history; without it, every entry of the reference (the one entry of a one-entry entity). */
  entryId: entryIdSchema.optional(),
  ...historyPageArgs,
});

export const getCrmStageHistoryArgsSchema = z.strictObject({
  ...pipelineArgs,
  entryId: entryIdSchema.optional(),
  ...historyPageArgs,
});

export type GetCrmFieldHistoryArgs = z.input<typeof getCrmFieldHistoryArgsSchema>;
export type GetCrmStageHistoryArgs = z.input<typeof getCrmStageHistoryArgsSchema>;

const timestampSchema = z.iso.datetime({ offset: true });

/** Who made a change (see `actorSchema`); only staff and backend callers see it. */
export const historyActorSchema = actorSchema;
export type HistoryActor = Actor;

/** What every history record says: when, in which entry, and who made it (absent for customers). */
const recorded = {
  at: timestampSchema,
  entryId: z.string(),
  by: historyActorSchema.optional(),
};

/** What every history page ends with: `next` (as `after`) continues the same read; null on the last page. */
const nextPage = { next: z.string().nullable() };

/** One recorded value of a field. */
export const fieldHistoryPointSchema = z
  .object({ ...recorded, value: wireValueSchema })
  .meta({ id: "FieldHistoryPoint" });
export type FieldHistoryPoint = z.infer<typeof fieldHistoryPointSchema>;

/** One recorded move into a stage. */
export const stageHistoryMoveSchema = z
  .object({ ...recorded, stage: z.string() })
  .meta({ id: "StageHistoryMove" });
export type StageHistoryMove = z.infer<typeof stageHistoryMoveSchema>;

/** What `getCrmFieldHistory` answers: one page of the field's recorded values. */
export const crmFieldHistorySchema = z
  .object({ ...aboutField, points: z.array(fieldHistoryPointSchema), ...nextPage })
  .meta({ id: "CrmFieldHistory" });
export type CrmFieldHistory = z.infer<typeof crmFieldHistorySchema>;

/** What `getCrmStageHistory` answers: one page of the pipeline's recorded moves. */
export const crmStageHistorySchema = z
  .object({ ...aboutPipeline, moves: z.array(stageHistoryMoveSchema), ...nextPage })
  .meta({ id: "CrmStageHistory" });
export type CrmStageHistory = z.infer<typeof crmStageHistorySchema>;
