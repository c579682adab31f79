import type {
  CrmError,
  CrmErrorBody,
  OperationArgs,
  OperationName,
  OperationResult,
} from "#domain/browser";
import { MAX_BATCH_CALLS } from "#domain/browser";
import { asCrmError } from "./errors.ts";

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
 * Collects the calls made in one task and sends them as batches of at most
 * `MAX_BATCH_CALLS`; each call succeeds or fails on its own, by its result.
 */
export class BatchQueue {
  #queue: QueuedCall[] = [];
  #scheduled = false;
  readonly #send: SendBatch;

  constructor(send: SendBatch) {
    this.#send = send;
  }

  /** Queues one call; it leaves with the others of this task. */
  call<K extends OperationName>(op: K, args: OperationArgs<K>): Promise<OperationResult<K>> {
    return new Promise((resolve, reject) => {
      // The proxy answers each call with its operation's result shape.
      this.#queue.push({ op, args, resolve: resolve as (data: unknown) => void, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      // A macrotask, not a microtask: components that render in a chain of
      // microtasks (Lit updates, awaited reads) all land in the same batch.
      // A message, not setTimeout: background tabs throttle timers to 1 s.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        this.#flush();
      };
      channel.port2.postMessage(null);
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    for (let start = 0; start < queue.length; start += MAX_BATCH_CALLS) {
      void this.#sendBatch(queue.slice(start, start + MAX_BATCH_CALLS));
    }
  }

  async #sendBatch(calls: QueuedCall[]): Promise<void> {
    try {
      const answer = (await this.#send({ calls: calls.map(({ op, args }) => ({ op, args })) })) as
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
  }
}
