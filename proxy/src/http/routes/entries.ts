import { z } from "@hono/zod-openapi";
import {
  entriesLimitSchema,
  entriesOffsetSchema,
  MAX_HISTORY_LIMIT,
  OPERATIONS,
  wireValueSchema,
} from "#domain";
import type { CrmAdapter } from "../../adapter/types.ts";
import { type CustomerRouter, customerRoute } from "../route-kinds.ts";
import { fieldParamsSchema, slugParamSchema, stageParamsSchema } from "../schemas.ts";

const json = <T>(schema: T) => ({ "application/json": { schema } });
const {
  getCrmEntries,
  createCrmEntry,
  getCrmField,
  setCrmField,
  getCrmStage,
  setCrmStage,
  getCrmFieldHistory,
  getCrmStageHistory,
} = OPERATIONS;

/** A query string carries the limit as text. */
const limitQuery = z.coerce.number().int().min(1).max(MAX_HISTORY_LIMIT).optional();

const fieldHistory = customerRoute({
  method: "get",
  path: "/{slug}/fields/{fieldKey}/history",
  summary: `getCrmFieldHistory: ${getCrmFieldHistory.summary}`,
  request: {
    params: fieldParamsSchema,
    query: getCrmFieldHistory.args
      .omit({ slug: true, fieldKey: true })
      .extend({ limit: limitQuery }),
  },
  responses: {
    200: {
      description: "One page of the field's history",
      content: json(getCrmFieldHistory.result),
    },
  },
});

const stageHistory = customerRoute({
  method: "get",
  path: "/{slug}/stages/{pipeline}/history",
  summary: `getCrmStageHistory: ${getCrmStageHistory.summary}`,
  request: {
    params: stageParamsSchema,
    query: getCrmStageHistory.args
      .omit({ slug: true, pipeline: true })
      .extend({ limit: limitQuery }),
  },
  responses: {
    200: {
      description: "One page of the pipeline's moves",
      content: json(getCrmStageHistory.result),
    },
  },
});

const listEntries = customerRoute({
  method: "get",
  path: "/{slug}",
  summary: `getCrmEntries: ${getCrmEntries.summary}`,
  request: {
    params: slugParamSchema,
    // Query values are text: the page arguments are read as numbers, then checked as in a batch.
    query: getCrmEntries.args.omit({ slug: true }).extend({
      limit: z.coerce.number().pipe(entriesLimitSchema).optional(),
      offset: z.coerce.number().pipe(entriesOffsetSchema).optional(),
    }),
  },
  responses: {
    200: {
      description: "The entries",
      content: json(z.object({ entries: getCrmEntries.result })),
    },
  },
});

const createEntry = customerRoute({
  method: "post",
  path: "/{slug}",
  summary: `createCrmEntry: ${createCrmEntry.summary}`,
  request: {
    params: slugParamSchema,
    body: {
      required: true,
      content: json(z.strictObject({ values: z.record(z.string(), wireValueSchema).default({}) })),
    },
  },
  responses: {
    201: {
      description: "The created entry",
      content: json(z.object({ entry: createCrmEntry.result })),
    },
  },
});

const getField = customerRoute({
  method: "get",
  path: "/{slug}/fields/{fieldKey}",
  summary: `getCrmField: ${getCrmField.summary}`,
  request: {
    params: fieldParamsSchema,
    query: getCrmField.args.omit({ slug: true, fieldKey: true }),
  },
  responses: {
    200: { description: "The field value", content: json(getCrmField.result) },
  },
});

const setField = customerRoute({
  method: "put",
  path: "/{slug}/fields/{fieldKey}",
  summary: `setCrmField: ${setCrmField.summary}`,
  request: {
    params: fieldParamsSchema,
    body: {
      required: true,
      content: json(setCrmField.args.omit({ slug: true, fieldKey: true })),
    },
  },
  responses: {
    200: { description: "The stored value", content: json(setCrmField.result) },
  },
});

const getStage = customerRoute({
  method: "get",
  path: "/{slug}/stages/{pipeline}",
  summary: `getCrmStage: ${getCrmStage.summary}`,
  request: {
    params: stageParamsSchema,
    query: getCrmStage.args.omit({ slug: true, pipeline: true }),
  },
  responses: {
    200: { description: "The current stage", content: json(getCrmStage.result) },
  },
});

const setStage = customerRoute({
  method: "put",
  path: "/{slug}/stages/{pipeline}",
  summary: `setCrmStage: ${setCrmStage.summary}`,
  request: {
    params: stageParamsSchema,
    body: {
      required: true,
      content: json(setCrmStage.args.omit({ slug: true, pipeline: true })),
    },
  },
  responses: {
    200: { description: "The new stage", content: json(setCrmStage.result) },
  },
});

/**
 * The customer's entries, fields and stages (mounted at `/v1/entries`): thin
 * calls into the customer-scoped adapter.
 */
export function entryRoutes(router: CustomerRouter, adapter: CrmAdapter) {
  return router
    .openapi(listEntries, async (c) => {
      const ops = adapter.forCustomer(c.var.customer.id);
      const entries = await ops.getCrmEntries({ ...c.req.valid("query"), ...c.req.valid("param") });
      return c.json({ entries }, 200);
    })
    .openapi(createEntry, async (c) => {
      const ops = adapter.forCustomer(c.var.customer.id);
      const entry = await ops.createCrmEntry({ ...c.req.valid("json"), ...c.req.valid("param") });
      return c.json({ entry }, 201);
    })
    .openapi(getField, async (c) => {
      const ops = adapter.forCustomer(c.var.customer.id);
      return c.json(
        await ops.getCrmField({ ...c.req.valid("query"), ...c.req.valid("param") }),
        200,
      );
    })
    .openapi(setField, async (c) => {
      const ops = adapter.forCustomer(c.var.customer.id);
      return c.json(
        await ops.setCrmField({ ...c.req.valid("json"), ...c.req.valid("param") }),
        200,
      );
    })
    .openapi(getStage, async (c) => {
      const ops = adapter.forCustomer(c.var.customer.id);
      return c.json(
        await ops.getCrmStage({ ...c.req.valid("query"), ...c.req.valid("param") }),
        200,
      );
    })
    .openapi(setStage, async (c) => {
      const ops = adapter.forCustomer(c.var.customer.id);
      return c.json(
        await ops.setCrmStage({ ...c.req.valid("json"), ...c.req.valid("param") }),
        200,
      );
    })
    .openapi(fieldHistory, async (c) => {
      const ops = adapter.forCustomer(c.var.customer.id);
      return c.json(
        await ops.getCrmFieldHistory({ ...c.req.valid("query"), ...c.req.valid("param") }),
        200,
      );
    })
    .openapi(stageHistory, async (c) => {
      const ops = adapter.forCustomer(c.var.customer.id);
      return c.json(
        await ops.getCrmStageHistory({ ...c.req.valid("query"), ...c.req.valid("param") }),
        200,
      );
    });
}
