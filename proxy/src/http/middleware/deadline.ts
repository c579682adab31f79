import { HTTPException } from "hono/http-exception";
import { timeout } from "hono/timeout";
import { CrmError } from "#domain";

const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * Answers 503 once a request has taken `ms` (ELASTICSEARCH_TIMEOUT_MS), however many
 * Elasticsearch calls it makes: each call has that bound on its own, so a request that makes
 * several in a row (a write, then its history records; a create that reads back) would
 * otherwise wait for each on a hung node. A write answered so has unknown outcome (its
 * Elasticsearch call goes on, and may still be stored); a read is just unavailable.
 */
export function requestDeadline(ms: number) {
  return timeout(
    ms,
    (c) =>
      new HTTPException(503, {
        cause: READ_METHODS.has(c.req.method)
          ? new CrmError("unavailable", "The CRM store is unavailable, try again shortly")
          : new CrmError(
              "outcome_unknown",
              "The CRM store did not confirm the change in time: it may have been saved. Check before repeating it",
            ),
      }),
  );
}
