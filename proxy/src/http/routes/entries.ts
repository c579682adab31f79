import { z } from "@hono/zod-openapi";
import {
  entriesLimitSchema,
  entriesOffsetSchema,
  MAX_HISTORY_LIMIT,
  OPERATIONS,
  type OperationArgs,
  type OperationName,
  runOperation,
  wireValueSchema,
} from "#domain";
import type { CrmAdapter } from "../../adapter/types.ts";
import { answerJson } from "../answer.ts";
import { serveCheckedGet } from "../checked-route.ts";
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

/** Where a field's and a pipeline's routes are, and the arguments their path names. */
const field = { path: "/{slug}/fields/{fieldKey}", params: fieldParamsSchema } as const;
const stage = { path: "/{slug}/stages/{pipeline}", params: stageParamsSchema } as const;
const inFieldPath = { slug: true, fieldKey: true } as const;
const inStagePath = { slug: true, pipeline: true } as const;

/**
 * The reads of one field or pipeline: the arguments that name it in the path,
 * the others in the query string.
 */
const READS = [
  {
    name: "getCrmField",
    ...field,
    query: getCrmField.args.omit(inFieldPath),
    answers: "The field value",
  },
  {
    name: "getCrmStage",
    ...stage,
    query: getCrmStage.args.omit(inStagePath),
    answers: "The current stage",
  },
  {
    name: "getCrmFieldHistory",
    ...field,
    path: `${field.path}/history`,
    query: getCrmFieldHistory.args.omit(inFieldPath).extend({ limit: limitQuery }),
    answers: "One page of the field's history",
  },
  {
    name: "getCrmStageHistory",
    ...stage,
    path: `${stage.path}/history`,
    query: getCrmStageHistory.args.omit(inStagePath).extend({ limit: limitQuery }),
    answers: "One page of the pipeline's moves",
  },
] as const;

/** The writes of one field or pipeline (PUT): the naming arguments in the path, the others in the body. */
const WRITES = [
  {
    name: "setCrmField",
    ...field,
    body: setCrmField.args.omit(inFieldPath),
    answers: "The stored value",
  },
  {
    name: "setCrmStage",
    ...stage,
    body: setCrmStage.args.omit(inStagePath),
    answers: "The new stage",
  },
] as const;

type Read = (typeof READS)[number]["name"];
type Write = (typeof WRITES)[number]["name"];

/** An operation's summary and result, as its route documents them. */
function documented(name: OperationName, answers: string) {
  const { summary, result } = OPERATIONS[name];
  return {
    summary: `${name}: ${summary}`,
    responses: { 200: { description: answers, content: json(result) } },
  };
}

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

/**
 * The customer's entries, fields and stages (mounted at `/v1/entries`): thin
 * calls into the customer-scoped adapter. The field and stage routes are made
 * from the tables above, each calling its operation by name.
 */
export function entryRoutes(router: CustomerRouter, adapter: CrmAdapter) {
  router
    .openapi(listEntries, async (c) => {
      const ops = adapter.forCustomer(c.get("customer").id);
      const entries = await ops.getCrmEntries({ ...c.req.valid("query"), ...c.req.valid("param") });
      return answerJson(c, { entries }, 200);
    })
    .openapi(createEntry, async (c) => {
      const ops = adapter.forCustomer(c.get("customer").id);
      const entry = await ops.createCrmEntry({ ...c.req.valid("json"), ...c.req.valid("param") });
      return answerJson(c, { entry }, 201);
    });
  for (const { name, path, params, query, answers } of READS) {
    const route = customerRoute({
      method: "get",
      path,
      request: { params, query },
      ...documented(name, answers),
    });
    // The hot reads: their query and path checked in one synchronous step (see serveCheckedGet).
    serveCheckedGet(router, route, async (c, input) => {
      const ops = adapter.forCustomer(c.get("customer").id);
      // The query is the operation's arguments but those of the path: together, all of them.
      const args = input as OperationArgs<Read>;
      return answerJson(c, await runOperation(ops, name, args), 200);
    });
  }
  for (const { name, path, params, body, answers } of WRITES) {
    const route = customerRoute({
      method: "put",
      path,
      request: { params, body: { required: true, content: json(body) } },
      ...documented(name, answers),
    });
    router.openapi(route, async (c) => {
      const ops = adapter.forCustomer(c.get("customer").id);
      // The body is the operation's arguments but those of the path: together, all of them.
      const args = { ...c.req.valid("json"), ...c.req.valid("param") } as OperationArgs<Write>;
      return answerJson(c, await runOperation(ops, name, args), 200);
    });
  }
  return router;
}
