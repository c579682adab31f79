import { createMiddleware } from "hono/factory";
import { CrmError } from "#domain";
import type { CustomerEnv } from "../../auth/customer.ts";

const WINDOW_MS = 60_000;
/** Customers tracked at once; beyond it the oldest windows are forgotten first. */
const MAX_TRACKED_CUSTOMERS = 50_000;

interface Window {
  startedAt: number;
  count: number;
}

/**
 * A fixed one-minute window per customer, in memory. On Node that is one
 * limit per process; on Workers each isolate counts on its own, so the
 * effective limit is per isolate (a global limit would need a Durable Object
 * or Cloudflare's rate limiting binding).
 */
export function customerRateLimit(perMinute: number, now: () => number = Date.now) {
  const windows = new Map<string, Window>();

  return createMiddleware<CustomerEnv>(async (c, next) => {
    const key = c.var.customer.id;
    const time = now();
    let window = windows.get(key);
    if (window === undefined || time - window.startedAt >= WINDOW_MS) {
      windows.delete(key);
      window = { startedAt: time, count: 0 };
      windows.set(key, window);
      if (windows.size > MAX_TRACKED_CUSTOMERS) forgetOldest(windows);
    }
    window.count += 1;
    if (window.count > perMinute) {
      const retryAfter = Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - time) / 1000));
      c.header("Retry-After", String(retryAfter));
      throw new CrmError("rate_limited", `Too many requests; retry in ${retryAfter} s`);
    }
    await next();
  });
}

/** Map iteration follows insertion order, and windows are re-inserted when they restart. */
function forgetOldest(windows: Map<string, Window>): void {
  const excess = windows.size - MAX_TRACKED_CUSTOMERS;
  let removed = 0;
  for (const key of windows.keys()) {
    if (removed >= excess) break;
    windows.delete(key);
    removed += 1;
  }
}
