import { bodyLimit } from "hono/body-limit";
import { CrmError } from "#domain";

/** Methods whose body no route reads: nothing to limit, and nothing to parse. */
export const BODYLESS_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses bodies above the limit before they are parsed: 413 `payload_too_large`. The
 * request gate runs it for methods with a body only: Hono's `bodyLimit` asks for
 * `request.body`, and on Node that alone turns @hono/node-server's light request into a full
 * `Request` (the largest single cost of a hot read in the bench's profile).
 */
export function bodySizeLimit(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new CrmError("payload_too_large", `Request body must be at most ${maxBytes} bytes`);
    },
  });
}
