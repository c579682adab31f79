import { z } from "@hono/zod-openapi";
import {
  ERROR_STATUS,
  type ErrorCode,
  fieldArgs,
  OPERATIONS,
  pipelineArgs,
  slugSchema,
} from "#domain";

/**
 * What routes answer besides the operations' own results (those are the
 * domain's, see `OPERATIONS`): errors, path parameters, back office shapes.
 */

export const entitySchema = OPERATIONS.getCrmEntity.result;

export const customerSchema = z
  .object({ id: z.string(), issuer: z.string(), subject: z.string(), createdAt: z.string() })
  .openapi("Customer");

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      field: z.string().optional(),
    }),
  })
  .openapi("Error");

export const slugParamSchema = z.object({ slug: slugSchema });
export const fieldParamsSchema = z.object(fieldArgs);
export const stageParamsSchema = z.object(pipelineArgs);

const errorContent = { "application/json": { schema: errorSchema } } as const;

/** The error responses every route documents. */
export function errorResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: "Invalid request or value (`invalid_request`, `invalid_value`, `unknown_field`)",
    401: "Missing or invalid credential (`unauthenticated`)",
    403: "Not allowed (`forbidden`, `field_not_writable`, `stage_not_movable`)",
    404: "Unknown entity, field, pipeline, stage or entry (also another customer's)",
    409: "Conflict",
    413: "Request body too large (`payload_too_large`)",
    429: "Rate limited (`rate_limited`), see `Retry-After`",
    503: "Elasticsearch unavailable (`unavailable`: nothing was changed), or a write it did not confirm (`outcome_unknown`: it may have been stored; safe to repeat for `setCrmField`/`setCrmStage`); see `Retry-After`",
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: descriptions[status] ?? "Error", content: errorContent },
    ]),
  );
}
