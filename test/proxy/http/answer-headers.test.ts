import { describe, expect, test } from "vitest";
import { loadConfig } from "../../../proxy/src/config.ts";
import { createApp } from "../../../proxy/src/http/app.ts";
import { SECURITY_HEADERS } from "../../../proxy/src/http/middleware/security-headers.ts";
import { createCrmServices } from "../../../proxy/src/services.ts";
import { testEntities } from "../../support/entities.ts";
import {
  ADMIN_TOKEN,
  ALLOWED_ORIGIN,
  type CallOptions,
  hsToken,
  newSubject,
  staffToken,
  testEnv,
  useTestProxy,
} from "./support.ts";

/**
 * Every kind of answer carries the same headers: the security headers, `no-store`, a request
 * id, `Vary: Origin` and the CORS headers for an allowed origin. Answers get them in two
 * ways (a route's answer is made with them; errors, preflights and documents get them after
 * they are made), so each kind is checked here, not only a success and a 404.
 */
const BODY_LIMIT = 2048;
const proxy = useTestProxy({
  name: "answer headers",
  env: { RATE_LIMIT_PER_MINUTE: "2", BODY_LIMIT_BYTES: String(BODY_LIMIT) },
  entities: testEntities,
});

interface AnswerKind {
  kind: string;
  status: number;
  answer: () => Promise<Response>;
}

const customer = async () => hsToken(newSubject("answer-headers"));
const origin = { Origin: ALLOWED_ORIGIN };

/** The file proxy's `call`, from a page on the allowed origin. */
const call = (method: string, path: string, options: CallOptions = {}) =>
  proxy.call(method, path, { ...options, headers: { ...origin, ...options.headers } });

const KINDS: AnswerKind[] = [
  { kind: "health", status: 200, answer: () => call("GET", "/v1/health") },
  { kind: "the OpenAPI document", status: 200, answer: () => call("GET", "/v1/openapi.json") },
  {
    kind: "a customer's read",
    status: 200,
    answer: async () => call("GET", "/v1/entities/tracker", { token: await customer() }),
  },
  {
    kind: "a customer's write",
    status: 200,
    answer: async () =>
      call("PUT", "/v1/entries/tracker/fields/nickname", {
        token: await customer(),
        body: { value: "Sam" },
      }),
  },
  {
    kind: "a batch",
    status: 200,
    answer: async () =>
      call("POST", "/v1/batch", {
        token: await customer(),
        body: { calls: [{ op: "getCrmField", args: { slug: "tracker", fieldKey: "nickname" } }] },
      }),
  },
  {
    kind: "a staff read",
    status: 200,
    answer: async () =>
      call("GET", "/v1/staff/entities", { token: await staffToken(newSubject("staff")) }),
  },
  {
    kind: "an admin read",
    status: 200,
    answer: () => call("GET", "/v1/admin/entities", { token: ADMIN_TOKEN }),
  },
  {
    kind: "a preflight",
    status: 204,
    answer: () =>
      call("OPTIONS", "/v1/batch", {
        headers: { "Access-Control-Request-Method": "POST" },
      }),
  },
  {
    kind: "an invalid value (400)",
    status: 400,
    answer: async () =>
      call("PUT", "/v1/entries/tracker/fields/plan", {
        token: await customer(),
        body: { value: "gold" },
      }),
  },
  { kind: "no session (401)", status: 401, answer: () => call("GET", "/v1/entries/tracker") },
  {
    kind: "a customer on an admin route (403)",
    status: 403,
    answer: async () => call("GET", "/v1/admin/entities", { token: await customer() }),
  },
  { kind: "an unknown path (404)", status: 404, answer: () => call("GET", "/v1/nowhere") },
  {
    kind: "a method the path has not (405)",
    status: 405,
    answer: () => call("DELETE", "/v1/health"),
  },
  {
    kind: "a body over the limit (413)",
    status: 413,
    answer: async () =>
      call("POST", "/v1/batch", {
        token: await customer(),
        body: { calls: [], padding: "x".repeat(BODY_LIMIT) },
      }),
  },
  {
    kind: "a body that is not JSON (400)",
    status: 400,
    answer: async () =>
      call("POST", "/v1/batch", {
        token: await customer(),
        body: "calls",
        headers: { "Content-Type": "text/plain" },
      }),
  },
  {
    kind: "a spent budget (429)",
    status: 429,
    answer: async () => {
      const token = await customer();
      for (let spent = 0; spent < 2; spent++) {
        await call("GET", "/v1/entities/tracker", { token });
      }
      return call("GET", "/v1/entities/tracker", { token });
    },
  },
  {
    kind: "Elasticsearch unreachable (503)",
    status: 503,
    answer: async () => {
      // Nothing listens on port 1.
      const config = loadConfig(
        testEnv("t-unreachable-", {
          ELASTICSEARCH_URL: "http://127.0.0.1:1",
          ELASTICSEARCH_MAX_RETRIES: "0",
          ELASTICSEARCH_TIMEOUT_MS: "1000",
        }),
      );
      const app = createApp({ config, adapter: createCrmServices(config).adapter });
      return app.request("/v1/entities/tracker", {
        headers: { ...origin, Authorization: `Bearer ${await customer()}` },
      });
    },
  },
];

describe("every kind of answer carries the same headers", () => {
  test.each(KINDS)("$kind → $status", async ({ status, answer }) => {
    const response = await answer();
    expect(response.status).toBe(status);
    const headers = Object.fromEntries(response.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(headers[name], name).toBe(value);
    }
    expect(headers["cache-control"]).toBe("no-store");
    expect(headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.vary).toMatch(/\bOrigin\b/);
    expect(headers["access-control-allow-origin"]).toBe(ALLOWED_ORIGIN);
  });
});
