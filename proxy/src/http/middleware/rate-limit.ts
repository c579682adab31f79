import type { Context } from "hono";
import { CrmError } from "#domain";

/** Whether a budget covered a cost, and when to try again if not. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A budget per key: `take` spends `cost` units of `key`'s budget for the
 * current period, or refuses. The Node proxy counts in its own memory; the
 * Worker asks Cloudflare's Rate Limiting binding, which counts per location.
 */
export interface RateLimiter {
  take(key: string, cost: number): Promise<RateDecision>;
}

const WINDOW_MS = 60_000;
/** Keys tracked at once; beyond it the oldest windows are forgotten first. */
const MAX_TRACKED_KEYS = 50_000;

interface Window {
  startedAt: number;
  spent: number;
}

/**
 * A fixed one-minute window per key, in this process's memory (the Node
 * proxy: one budget per process). A cost that does not fit is refused whole
 * and spends nothing, so a refused large batch leaves room for small calls.
 */
export function memoryRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, Window>();
  return {
    async take(key, cost) {
      const time = now();
      let window = windows.get(key);
      if (window === undefined || time - window.startedAt >= WINDOW_MS) {
        windows.delete(key);
        window = { startedAt: time, spent: 0 };
        windows.set(key, window);
        if (windows.size > MAX_TRACKED_KEYS) forgetOldest(windows);
      }
      if (window.spent + cost > perMinute) {
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil((window.startedAt + WINDOW_MS - time) / 1000),
        );
        return { allowed: false, retryAfterSeconds };
      }
      window.spent += cost;
      return { allowed: true };
    },
  };
}

/** Map iteration follows insertion order, and windows are re-inserted when they restart. */
function forgetOldest(windows: Map<string, Window>): void {
  const excess = windows.size - MAX_TRACKED_KEYS;
  let removed = 0;
  for (const key of windows.keys()) {
    if (removed >= excess) break;
    windows.delete(key);
    removed += 1;
  }
}

/**
 * Cloudflare's Rate Limiting binding (`[[ratelimits]]` in wrangler.toml): its
 * documented API is `limit({ key })`, one unit per call, so a cost of n is n
 * calls. Its limit and period are the binding's own (`simple`), not ours.
 */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** Whether a Worker's `env` value is a Rate Limiting binding. */
export function isRateLimitBinding(value: unknown): value is RateLimitBinding {
  return (
    typeof value === "object" &&
    value !== null &&
    "limit" in value &&
    typeof value.limit === "function"
  );
}

/**
 * A limiter over the binding. The binding does not say when its window ends,
 * so a refusal asks to retry after one whole period.
 */
export function bindingRateLimiter(binding: RateLimitBinding, periodSeconds: number): RateLimiter {
  return {
    async take(key, cost) {
      const outcomes = await Promise.all(
        Array.from({ length: cost }, () => binding.limit({ key })),
      );
      return outcomes.every((outcome) => outcome.success)
        ? { allowed: true }
        : { allowed: false, retryAfterSeconds: periodSeconds };
    },
  };
}

/** How many operations a request is: one, or for a batch its number of calls. */
export type OperationCount = (c: Context) => Promise<number>;

export const oneOperation: OperationCount = async () => 1;

/**
 * The calls of a batch body, read before validation (Hono keeps the parsed
 * body, so the route's validator does not parse it again). A body that is no
 * batch counts one: its validation error is the answer.
 */
export function batchOperations(maxCalls: number): OperationCount {
  return async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const calls =
      typeof body === "object" && body !== null && "calls" in body ? body.calls : undefined;
    return Array.isArray(calls) ? Math.min(Math.max(calls.length, 1), maxCalls) : 1;
  };
}

/** The 429 answer of a spent budget. */
export function rateLimited(c: Context, retryAfterSeconds: number, message: string): CrmError {
  c.header("Retry-After", String(retryAfterSeconds));
  return new CrmError("rate_limited", `${message}; retry in ${retryAfterSeconds} s`);
}
