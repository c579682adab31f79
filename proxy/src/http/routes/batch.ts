import { z } from "@hono/zod-openapi";
import {
  type BatchCall,
  type BatchResult,
  batchRequestSchema,
  CrmError,
  isCustomerOperation,
  isOperationName,
  isWriteOperation,
  OPERATION_NAMES,
  OPERATIONS,
  type OperationName,
  runOperation,
} from "#domain";
import type { CrmAdapter, CrmOperations } from "../../adapter/types.ts";
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

async function settle(
  ops: CrmOperations,
  input: unknown,
  requestId: string,
  allowed: (name: OperationName) => boolean,
): Promise<BatchResult> {
  const call = parseCall(input, allowed);
  if (call instanceof CrmError) return { ok: false, error: call.toJSON() };
  try {
    return { ok: true, data: await runOperation(ops, call.op, call.args) };
  } catch (error) {
    if (error instanceof CrmError) return { ok: false, error: error.toJSON() };
    console.error(`[${requestId}] batch call ${call.op} failed`, error);
    return { ok: false, error: { code: "internal", message: "Internal error" } };
  }
}

/** Whether a call (checked or not yet) names a write of the operation table. */
function isWrite(call: unknown): boolean {
  if (typeof call !== "object" || call === null || !("op" in call)) return false;
  return isOperationName(call.op) && isWriteOperation(call.op);
}

/**
 * Runs a batch so that every call sees the writes listed before it: runs of
 * consecutive reads, and runs of consecutive writes, each go concurrently (a
 * page's reads share one Elasticsearch request; a form's writes merge per
 * field), one run after the other.
 */
async function runInOrder(
  calls: unknown[],
  settleCall: (call: unknown) => Promise<BatchResult>,
): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  let start = 0;
  while (start < calls.length) {
    const writing = isWrite(calls[start]);
    let end = start + 1;
    while (end < calls.length && isWrite(calls[end]) === writing) end++;
    results.push(...(await Promise.all(calls.slice(start, end).map(settleCall))));
    start = end;
  }
  return results;
}

/**
 * Runs one batch's calls for one caller's operations, those `allowed` only;
 * shared by the customer and the staff batch routes.
 */
export async function runBatch(
  ops: CrmOperations,
  calls: unknown[],
  requestId: string,
  allowed: (name: OperationName) => boolean,
): Promise<{ results: BatchResult[] }> {
  const results = await runInOrder(calls, (call) => settle(ops, call, requestId, allowed));
  // When the store is down for every call, say so for the whole request so clients back off.
  if (results.every((result) => !result.ok && result.error.code === "unavailable")) {
    throw new CrmError("unavailable", "The CRM store is unavailable, try again shortly");
  }
  return { results };
}

/** Many operations in one request (mounted at `/v1/batch`). */
export function batchRoutes(router: CustomerRouter, adapter: CrmAdapter) {
  return router.openapi(batch, async (c) => {
    const ops = adapter.forCustomer(c.var.customer.id);
    const { calls } = c.req.valid("json");
    return c.json(await runBatch(ops, calls, c.var.requestId, isCustomerOperation), 200);
  });
}
