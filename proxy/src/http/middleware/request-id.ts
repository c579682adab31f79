import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";

/**
 * Every request gets an id generated here and echoed as `X-Request-Id`. A
 * client-sent id is ignored: it would let a caller forge or collide log lines
 * (Hono's own `requestId` trusts the incoming header by default).
 */
export function requestId() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const id = crypto.randomUUID();
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    await next();
  });
}
