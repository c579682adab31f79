import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { describe, expect, test } from "vitest";
import { SECURITY_HEADERS } from "../../../proxy/src/http/middleware/security-headers.ts";
import { testEntities } from "../../support/entities.ts";
import { ALLOWED_ORIGIN, errorOf, hsToken, newSubject, useTestProxy } from "./support.ts";

const RATE_LIMIT = 3;
const proxy = useTestProxy({
  name: "http middleware",
  env: {
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    CORS_ORIGINS: `${ALLOWED_ORIGIN},https://other-shop.test`,
  },
  entities: testEntities,
});

/** A browser's CORS preflight for a `method` request to `path` asking to send `requestHeaders`. */
function preflight(
  method: string,
  path: string,
  requestHeaders = "",
  origin = ALLOWED_ORIGIN,
): Promise<Response> {
  const headers: Record<string, string> = {
    Origin: origin,
    "Access-Control-Request-Method": method,
  };
  if (requestHeaders) headers["Access-Control-Request-Headers"] = requestHeaders;
  return proxy.call("OPTIONS", path, { headers });
}

describe("CORS allow-list", () => {
  test("a preflight from an allowed origin is answered with that origin and the needed headers", async () => {
    const response = await preflight("POST", "/v1/batch", "authorization, content-type");
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain(
      "authorization",
    );
    expect(response.headers.get("Access-Control-Allow-Methods")).toContain("PUT");
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });

  test("a preflight for DELETE is allowed: the back office deletes entities and erases customers from the browser", async () => {
    const response = await preflight("DELETE", "/v1/staff/entities/tracker", "authorization");
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Methods")?.split(",")).toContain("DELETE");
  });

  test("a request from an allowed origin may read Retry-After and X-Request-Id", async () => {
    const response = await proxy.call("GET", "/v1/entities/tracker", {
      token: await hsToken(newSubject()),
      headers: { Origin: ALLOWED_ORIGIN },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(ALLOWED_ORIGIN);
    const exposed = response.headers.get("Access-Control-Expose-Headers")?.toLowerCase() ?? "";
    expect(exposed).toContain("retry-after");
    expect(exposed).toContain("x-request-id");
  });

  test("error answers carry the CORS headers too, so the widget can read the error", async () => {
    for (const response of [
      await proxy.call("GET", "/v1/entries/tracker", { headers: { Origin: ALLOWED_ORIGIN } }),
      await proxy.call("PUT", "/v1/entries/tracker/fields/plan", {
        token: await hsToken(newSubject()),
        body: { value: "gold" },
        headers: { Origin: ALLOWED_ORIGIN },
      }),
    ]) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe(ALLOWED_ORIGIN);
    }
  });

  test("another origin gets no Access-Control-Allow-Origin, for preflights and requests", async () => {
    for (const origin of ["https://evil.test", "https://shop.test.evil.test", "null"]) {
      const refused = await preflight("POST", "/v1/batch", "", origin);
      expect(refused.headers.get("Access-Control-Allow-Origin"), origin).toBeNull();
      const response = await proxy.call("GET", "/v1/health", { headers: { Origin: origin } });
      expect(response.headers.get("Access-Control-Allow-Origin"), origin).toBeNull();
    }
  });

  test("paths outside the API answer 404 without CORS headers, even to an allowed origin", async () => {
    const response = await proxy.call("GET", "/elsewhere", { headers: { Origin: ALLOWED_ORIGIN } });
    expect(response.status).toBe(404);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(response.headers.get("Vary")).toBeNull();
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  test("every listed origin is allowed", async () => {
    const response = await proxy.call("GET", "/v1/health", {
      headers: { Origin: "https://other-shop.test" },
    });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("https://other-shop.test");
  });
});

describe("security headers", () => {
  test("are the headers Hono's secureHeaders sets with the API's options", async () => {
    const reference = new Hono()
      .use(
        secureHeaders({
          contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
          strictTransportSecurity: "max-age=31536000; includeSubDomains",
          xFrameOptions: "DENY",
        }),
      )
      .get("/", (c) => c.body(null));
    const headers = Object.fromEntries((await reference.request("/")).headers);
    expect(SECURITY_HEADERS).toEqual(headers);
  });

  test("successes and errors alike carry the security headers and are not cached", async () => {
    for (const response of [
      await proxy.call("GET", "/v1/health"),
      await proxy.call("GET", "/v1/entries/tracker"),
      await proxy.call("GET", "/v1/nowhere"),
    ]) {
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(response.headers.get("X-Frame-Options")).toBe("DENY");
      expect(response.headers.get("Content-Security-Policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(response.headers.get("Strict-Transport-Security")).toContain("max-age=");
      expect(response.headers.get("Cache-Control")).toBe("no-store");
    }
  });
});

describe("request ids", () => {
  test("each response carries a fresh server-generated id, never the client's", async () => {
    const first = await proxy.call("GET", "/v1/health", {
      headers: { "X-Request-Id": "client-chosen-id" },
    });
    const second = await proxy.call("GET", "/v1/health", {
      headers: { "X-Request-Id": "client-chosen-id" },
    });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(first.headers.get("X-Request-Id")).toMatch(uuid);
    expect(second.headers.get("X-Request-Id")).toMatch(uuid);
    expect(first.headers.get("X-Request-Id")).not.toBe(second.headers.get("X-Request-Id"));
  });
});

describe("rate limit per customer", () => {
  test(`request ${RATE_LIMIT + 1} of one customer within a minute → 429 with Retry-After; others are unaffected`, async () => {
    const busy = await hsToken(newSubject("busy"));
    for (let i = 0; i < RATE_LIMIT; i++) {
      expect((await proxy.call("GET", "/v1/entities/tracker", { token: busy })).status).toBe(200);
    }
    const limited = await proxy.call("GET", "/v1/entities/tracker", { token: busy });
    expect(limited.status).toBe(429);
    expect(await errorOf(limited)).toMatchObject({ code: "rate_limited" });
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // A new token of the same subject is the same customer: still limited.
    const sameCustomer = await proxy.call("POST", "/v1/batch", {
      token: await hsToken(JSON.parse(atob(busy.split(".")[1] ?? "")).sub),
      body: { calls: [{ op: "getCrmEntity", args: { slug: "tracker" } }] },
    });
    expect(sameCustomer.status).toBe(429);

    const calm = await proxy.call("GET", "/v1/entities/tracker", {
      token: await hsToken(newSubject("calm")),
    });
    expect(calm.status).toBe(200);
  });
});
