import { describe, expect, test } from "vitest";
import type { CrmAdapter } from "../../../proxy/src/adapter/types.ts";
import { loadConfig } from "../../../proxy/src/config.ts";
import { ensureCrmIndices } from "../../../proxy/src/elasticsearch/setup.ts";
import { createApp } from "../../../proxy/src/http/app.ts";
import { createCrmServices } from "../../../proxy/src/services.ts";
import { uniquePrefix } from "../../support/elasticsearch.ts";
import { ADMIN_TOKEN, errorOf, hsToken, newSubject, testEnv } from "./support.ts";

/** Nothing listens on port 1: every Elasticsearch call fails to connect. */
function unreachableApp() {
  const config = loadConfig(
    testEnv("t-unreachable-", {
      ELASTICSEARCH_URL: "http://127.0.0.1:1",
      ELASTICSEARCH_MAX_RETRIES: "0",
      ELASTICSEARCH_TIMEOUT_MS: "1000",
    }),
  );
  const { adapter } = createCrmServices(config);
  return createApp({ config, adapter });
}

const ROUTES: { method: string; path: string; body?: unknown; admin?: boolean }[] = [
  {
    method: "POST",
    path: "/v1/batch",
    body: { calls: [{ op: "getCrmField", args: { slug: "tracker", fieldKey: "a" } }] },
  },
  { method: "GET", path: "/v1/entities/tracker" },
  { method: "GET", path: "/v1/entries/tracker" },
  { method: "PUT", path: "/v1/entries/tracker/fields/nickname", body: { value: "x" } },
  { method: "GET", path: "/v1/admin/entities", admin: true },
  { method: "GET", path: "/v1/admin/customers/c_x/entries", admin: true },
];

describe("Elasticsearch unreachable", () => {
  const app = unreachableApp();

  test.each(ROUTES)(
    "$method $path → 503 unavailable with Retry-After and no internals",
    async (route) => {
      const token = route.admin ? ADMIN_TOKEN : await hsToken(newSubject());
      const response = await app.request(route.path, {
        method: route.method,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        ...(route.body ? { body: JSON.stringify(route.body) } : {}),
      });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const text = await response.clone().text();
      expect(text).not.toMatch(/ConnectionError|ECONNREFUSED|127\.0\.0\.1|\n\s+at |elastic/i);
      expect(await errorOf(response)).toMatchObject({ code: "unavailable" });
    },
  );

  test("a batch whose every call finds the store down → 503 for the whole request", async () => {
    // A customer resolved (and cached) while Elasticsearch was up, then the store goes away:
    // customer resolution from a live adapter, every operation from one whose node is gone.
    const live = createCrmServices(loadConfig(testEnv(uniquePrefix("http unavailable"))));
    await ensureCrmIndices(live.client, live.indices);
    const config = loadConfig(
      testEnv("t-unreachable-", {
        ELASTICSEARCH_URL: "http://127.0.0.1:1",
        ELASTICSEARCH_MAX_RETRIES: "0",
      }),
    );
    const down = createCrmServices(config).adapter;
    const adapter: CrmAdapter = {
      ...down,
      resolveCustomer: (identity) => live.adapter.resolveCustomer(identity),
    };
    const warmApp = createApp({ config, adapter });
    const response = await warmApp.request("/v1/batch", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${await hsToken(newSubject())}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({
        calls: [
          { op: "getCrmField", args: { slug: "tracker", fieldKey: "nickname" } },
          { op: "getCrmEntity", args: { slug: "tracker" } },
        ],
      }),
    });
    await live.client.close();
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await errorOf(response)).toMatchObject({ code: "unavailable" });
  });

  test("the proxy keeps answering after failures (health stays up)", async () => {
    const response = await app.request("/v1/health");
    expect(response.status).toBe(200);
  });
});
