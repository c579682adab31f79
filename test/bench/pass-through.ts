/**
 * The cheapest proxy built from the proxy's own parts, for `npm run bench` to measure the
 * proxy against: the same Node server (`@hono/node-server` + Hono) and the same Elasticsearch
 * client (`createElasticsearchClient`), no session check, no validation. It reads the entry the
 * request names, as the proxy's hot `getCrmField` does, and answers the field's value.
 *
 * Run as its own process, like the proxy: `node test/bench/pass-through.ts` with
 * ELASTICSEARCH_URL, ELASTICSEARCH_TIMEOUT_MS and ENTRIES_INDEX set.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createElasticsearchClient } from "../../proxy/src/elasticsearch/client.ts";

const client = createElasticsearchClient({
  url: process.env.ELASTICSEARCH_URL ?? "",
  requestTimeoutMs: Number(process.env.ELASTICSEARCH_TIMEOUT_MS ?? 5_000),
});
const index = process.env.ENTRIES_INDEX ?? "";

const app = new Hono();
// /pass/<entry id>?routing=<routing>: what the proxy derives from the session, given outright.
app.get("/pass/:entryId", async (c) => {
  const entry = await client.get<{ values?: Record<string, unknown> }>(
    {
      index,
      id: c.req.param("entryId"),
      routing: c.req.query("routing") ?? "",
      _source_includes: ["values.current_weight"],
    },
    { ignore: [404] },
  );
  return c.json({ value: entry._source?.values?.current_weight ?? null });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => {
  const { port } = server.address() as AddressInfo;
  // The line startProxyProcess waits for.
  console.log(`pass-through listening on http://127.0.0.1:${port}/v1`);
});
// Exits rather than dies on SIGTERM, so that `node --cpu-prof` writes its profile.
process.once("SIGTERM", () => process.exit(0));
