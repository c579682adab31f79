import { z } from "@hono/zod-openapi";
import {
  type BatchCall,
  type BatchResult,
  batchRequestSchema,
  CrmError,
  DEFAULT_REFERENCE_TYPE,
  isCustomerOperation,
  isOperationName,
  isWriteOperation,
  OPERATION_NAMES,
  OPERATIONS,
  type OperationName,
  type OperationTarget,
  runOperation,
  targetOf as targetOfCall,
} from "#domain";
import type { CrmAdapter, CrmOperations } from "../../adapter/types.ts";
import { answerJson } from "../answer.ts";
import { validationError } from "../errors.ts";
import { type CustomerRouter, customerRoute } from "../route-kinds.ts";
import { errorSchema } from "../schemas.ts";

const callSchema = z.strictObject({
  op: z.string(),
  args: z.record(z.string(), z.unknown()),
});

const batchResultSchema = z
  .union([
    z.object({ ok: z.literal(true), data: z.unknown() }),
    z.object({ ok: z.literal(false), error: errorSchema.shape.error }),
  ])
  .openapi("BatchResult");

/** The batch route's own description, for the operations a kind of caller may use. */
export function batchRouteConfig(path: string, names: readonly OperationName[], who: string) {
  return {
    method: "post",
    path,
    summary: `Many operations in one request (${who}); each call succeeds or fails on its own`,
    description: `Operations: ${names.join(", ")}. Results come back in call order.`,
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: batchRequestSchema.meta({
              description: `Each call is { "op": ${names.join(" | ")}, "args": {...} }; a bad call fails alone.`,
            }),
          },
        },
      },
    },
    responses: batchResponses,
  } as const;
}

const batchResponses = {
  200: {
    description: "One result per call, in order",
    content: {
      "application/json": { schema: z.object({ results: z.array(batchResultSchema) }) },
    },
  },
} as const;

const batch = customerRoute(
  batchRouteConfig("/", OPERATION_NAMES.filter(isCustomerOperation), "the session customer"),
);

/** Checks one call on its own: a bad call becomes that call's error, not the batch's. */
export function parseCall(
  input: unknown,
  allowed: (name: OperationName) => boolean = isCustomerOperation,
): BatchCall | CrmError {
  const shape = callSchema.safeParse(input);
  if (!shape.success) return validationError(shape.error.issues);
  const { op, args } = shape.data;
  if (!isOperationName(op) || !allowed(op)) {
    return new CrmError("invalid_request", `Unknown operation "${op}"`, "op");
  }
  const parsed = OPERATIONS[op].args.safeParse(args);
  if (!parsed.success) return validationError(parsed.error.issues);
  return { op, args: parsed.data } as BatchCall;
}

/** Runs one checked call; a failure becomes that call's result. */
async function settle(
  ops: CrmOperations,
  call: BatchCall,
  requestId: string,
): Promise<BatchResult> {
  try {
    return { ok: true, data: await runOperation(ops, call.op, call.args) };
  } catch (error) {
    if (error instanceof CrmError) return { ok: false, error: error.toJSON() };
    console.error(`[${requestId}] batch call ${call.op} failed`, error);
    return { ok: false, error: { code: "internal", message: "Internal error" } };
  }
}

/**
 * Runs a batch so that every call sees the writes listed before it: runs of
 * consecutive reads go concurrently (a page's reads share one Elasticsearch
 * request), and so do the writes of a run of consecutive writes, except that
 * writes to one target (the operation table's `target`: one field, or one
 * pipeline, of one entry) apply one after the other in the order listed, so
 * the last one listed is the one stored. A form's writes to different fields
 * still go together.
 */
async function runInOrder(
  calls: (BatchCall | CrmError)[],
  targetOf: (call: BatchCall) => OperationTarget,
  settleCall: (call: BatchCall) => Promise<BatchResult>,
): Promise<BatchResult[]> {
  const results: BatchResult[] = new Array(calls.length);
  const isWrite = (call: BatchCall | CrmError | undefined) =>
    call !== undefined && !(call instanceof CrmError) && isWriteOperation(call.op);
  let start = 0;
  while (start < calls.length) {
    const writing = isWrite(calls[start]);
    let end = start + 1;
    while (end < calls.length && isWrite(calls[end]) === writing) end++;
    /** The run's calls by target, each target's in listed order; reads each stand alone. */
    const chains = new Map<OperationTarget | number, number[]>();
    for (let index = start; index < end; index++) {
      const call = calls[index];
      if (call === undefined) continue;
      if (call instanceof CrmError) {
        results[index] = { ok: false, error: call.toJSON() };
        continue;
      }
      const key = writing ? targetOf(call) : index;
      const chain = chains.get(key);
      if (chain) chain.push(index);
      else chains.set(key, [index]);
    }
    await Promise.all(
      [...chains.values()].map(async (chain) => {
        for (const index of chain) {
          results[index] = await settleCall(calls[index] as BatchCall);
        }
      }),
    );
    start = end;
  }
  return results;
}

/**
 * Runs one batch's calls for one caller's operations, those `allowed` only;
 * shared by the customer and the staff batch routes. `customerId` is the
 * reference a customer's calls default to: a call that names it and one that
 * leaves it out then share a target.
 */
export async function runBatch(
  ops: CrmOperations,
  calls: unknown[],
  requestId: string,
  allowed: (name: OperationName) => boolean,
  customerId?: string,
): Promise<{ results: BatchResult[] }> {
  const own =
    customerId === undefined
      ? {}
      : { referenceType: DEFAULT_REFERENCE_TYPE, referenceId: customerId };
  const results = await runInOrder(
    calls.map((call) => parseCall(call, allowed)),
    // Arguments left out are absent after parsing, so the defaults fill only those.
    (call) => targetOfCall({ ...call, args: { ...own, ...call.args } } as BatchCall),
    (call) => settle(ops, call, requestId),
  );
  // When the store is down for every call, say so for the whole request so clients back off.
  if (results.every((result) => !result.ok && result.error.code === "unavailable")) {
    throw new CrmError("unavailable", "The CRM store is unavailable, try again shortly");
  }
  return { results };
}

/** Many operations in one request (mounted at `/v1/batch`). */
export function batchRoutes(router: CustomerRouter, adapter: CrmAdapter) {
  return router.openapi(batch, async (c) => {
    const customerId = c.get("customer").id;
    const ops = adapter.forCustomer(customerId);
    const { calls } = c.req.valid("json");
    return answerJson(
      c,
      await runBatch(ops, calls, c.var.requestId, isCustomerOperation, customerId),
      200,
    );
  });
}
