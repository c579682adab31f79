import type { CrmError, CrmErrorBody, OperationName } from "#domain/browser";
import { MAX_BATCH_CALLS } from "#domain/browser";
import { asCrmError } from "./errors.ts";
import type { Call } from "./read-cache.ts";

/** One call as `POST /v1/batch` carries it. */
export interface BatchCall {
  op: OperationName;
  args: object;
}

/** Sends one batch body (`{ calls }`) and resolves with the proxy's answer (`{ results }`). */
export type SendBatch = (body: { calls: BatchCall[] }) => Promise<unknown>;

type BatchResult = { ok: true; data: unknown } | { ok: false; error: CrmErrorBody };

interface QueuedCall extends BatchCall {
  resolve: (data: unknown) => void;
  reject: (error: CrmError) => void;
}

/**
 * The batch queue: the returned function queues one call, and the calls made
 * in one task leave together, in batches of at most `MAX_BATCH_CALLS`; each
 * call succeeds or fails on its own, by its result.
 */
export function batchQueue(send: SendBatch): Call {
  let queue: QueuedCall[] = [];
  const flush = (): void => {
    const calls = queue;
    queue = [];
    for (let start = 0; start < calls.length; start += MAX_BATCH_CALLS) {
      void sendBatch(calls.slice(start, start + MAX_BATCH_CALLS));
    }
  };
  const sendBatch = async (calls: QueuedCall[]): Promise<void> => {
    try {
      const answer = (await send({ calls: calls.map(({ op, args }) => ({ op, args })) })) as
        | { results?: (BatchResult | undefined)[] }
        | undefined;
      calls.forEach((call, index) => {
        const result = answer?.results?.[index];
        if (result?.ok) call.resolve(result.data);
        else call.reject(asCrmError(result?.error ?? { code: "internal", message: "No result" }));
      });
    } catch (error) {
      const crmError = asCrmError(error);
      for (const call of calls) call.reject(crmError);
    }
  };
  return (op, args) =>
    new Promise((resolve, reject) => {
      // The proxy answers each call with its operation's result shape.
      queue.push({ op, args, resolve: resolve as (data: unknown) => void, reject });
      if (queue.length > 1) return;
      // A macrotask, not a microtask: components that render in a chain of
      // microtasks (Lit updates, awaited reads) all land in the same batch.
      // A message, not setTimeout: background tabs throttle timers to 1 s.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        flush();
      };
      channel.port2.postMessage(null);
    });
}
