import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { CrmError } from "#domain";

/** Methods whose body no route reads: nothing to limit, and nothing to parse. */
const BODYLESS_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses bodies above the limit before they are parsed: 413 `payload_too_large`. Requests
 * without a body skip Hono's `bodyLimit`: it asks for `request.body`, and on Node that alone
 * turns @hono/node-server's light request into a full `Request` (the largest single cost of a
 * hot read in the bench's profile).
 */
export function bodySizeLimit(maxBytes: number) {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new CrmError("payload_too_large", `Request body must be at most ${maxBytes} bytes`);
    },
  });
  return createMiddleware(async (c, next) =>
    BODYLESS_METHODS.has(c.req.method) ? next() : limit(c, next),
  );
}
