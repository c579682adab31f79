import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { InvalidJSONValue, JSONParsed, JSONValue } from "hono/utils/types";

declare module "hono" {
  interface ContextVariableMap {
    /**
     * The headers every answer of this request carries (security, caching, request id,
     * CORS), as the request gate made them; `answerJson` sends them with the answer.
     */
    answerHeaders: Record<string, string>;
  }
}

/** Answers made with the request's headers already in: the gate leaves them as they are. */
const complete = new WeakSet<Response>();

/** Whether `response` was made by `answerJson`, with every header of the request's answers. */
export function isComplete(response: Response): boolean {
  return complete.has(response);
}

/**
 * A route's JSON answer, typed as `c.json`'s, made in one step with the request's headers
 * as one plain record. `c.json` puts them in a `Headers` first (one validated `set` each),
 * which @hono/node-server then copies back into a record for Node: on a hot read, a dozen
 * headers cost more than the answer's own JSON.
 */
export function answerJson<
  T extends JSONValue | object | InvalidJSONValue,
  S extends ContentfulStatusCode,
>(c: Context, body: T, status: S): Response & TypedResponse<JSONParsed<T>, S, "json"> {
  const headers = c.get("answerHeaders");
  if (headers === undefined) return c.json(body, status);
  const response = new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
  complete.add(response);
  return response as Response & TypedResponse<JSONParsed<T>, S, "json">;
}
