import { bodyLimit } from "hono/body-limit";
import { CrmError } from "#domain";

/** Refuses bodies above the limit before they are parsed: 413 `payload_too_large`. */
export function bodySizeLimit(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new CrmError("payload_too_large", `Request body must be at most ${maxBytes} bytes`);
    },
  });
}
