import { describe, expect, test } from "vitest";
import { MAX_BATCH_CALLS } from "#domain";
import { testEntities } from "../../support/entities.ts";
import {
  ADMIN_TOKEN,
  expectError,
  expectRefused,
  hsToken,
  newSubject,
  type TestRequest,
  useTestProxy,
} from "./support.ts";

const proxy = useTestProxy({
  name: "http validation",
  env: { BODY_LIMIT_BYTES: "2048" },
  entities: testEntities,
});

describe("unknown keys are refused, naming the key (no silent mass assignment)", () => {
  const EXTRA_KEYS: (TestRequest & { request: string; key: string })[] = [
    {
      request: "PUT field with an extra body key",
      method: "PUT",
      path: "/v1/entries/tracker/fields/nickname",
      body: { value: "x", customerId: "c_other" },
      key: "customerId",
    },
    {
      request: "PUT stage with an extra body key",
      method: "PUT",
      path: "/v1/entries/tracker/stages/progress",
      body: { stage: "starting", enteredAt: "2000-01-01T00:00:00Z" },
      key: "enteredAt",
    },
    {
      request: "POST entries with a key beside values",
      method: "POST",
      path: "/v1/entries/deals",
      body: { values: { title: "x" }, id: "chosen-id" },
      key: "id",
    },
    {
      request: "an unknown query parameter",
      method: "GET",
      path: "/v1/entries/tracker?index=crm_entries",
      key: "index",
    },
    {
      request: "an unknown query parameter of a field read",
      method: "GET",
      path: "/v1/entries/tracker/fields/nickname?index=crm_entries",
      key: "index",
    },
    {
      request: "a field read's path argument sent again in its query",
      method: "GET",
      path: "/v1/entries/tracker/fields/nickname?fieldKey=plan",
      key: "fieldKey",
    },
    {
      request: "a query argument of a stage read sent twice",
      method: "GET",
      path: "/v1/entries/tracker/stages/progress?referenceType=customer&referenceType=order",
      key: "referenceType",
    },
  ];

  test.each(EXTRA_KEYS)("$request → 400 naming it", ({ key, ...request }) =>
    expectRefused(proxy, request, 400, { code: "invalid_request", field: key }),
  );

  // 404 field_not_found, like a field hidden from customers: a customer cannot tell a
  // hidden field from one that does not exist.
  test("POST entries with a value for a field the entity does not have is refused naming it, creating nothing", async () => {
    const token = await hsToken(newSubject());
    const response = await proxy.call("POST", "/v1/entries/deals", {
      token,
      body: { values: { title: "x", discount: 100 } },
    });
    await expectError(response, 404, { code: "field_not_found", field: "discount" });
    const list = await proxy.call("GET", "/v1/entries/deals", { token });
    expect(((await list.json()) as { entries: unknown[] }).entries).toEqual([]);
  });

  test("a batch with a key beside calls, in a call, or in args → refused naming it", async () => {
    const token = await hsToken(newSubject());
    await expectError(
      await proxy.call("POST", "/v1/batch", {
        token,
        body: { calls: [{ op: "getCrmEntity", args: { slug: "tracker" } }], customerId: "c_other" },
      }),
      400,
      { code: "invalid_request", field: "customerId" },
    );
    const response = await proxy.call("POST", "/v1/batch", {
      token,
      body: {
        calls: [
          { op: "getCrmEntity", args: { slug: "tracker" }, as: "admin" },
          {
            op: "getCrmField",
            args: { slug: "tracker", fieldKey: "nickname", index: "crm_customers" },
          },
        ],
      },
    });
    const { results } = (await response.json()) as {
      results: { ok: boolean; error?: { code: string; field?: string } }[];
    };
    expect(results.map((result) => result.error)).toMatchObject([
      { code: "invalid_request", field: "as" },
      { code: "invalid_request", field: "index" },
    ]);
  });

  test("an entity definition with an unknown key → 400 naming its path", async () => {
    await expectError(
      await proxy.call("POST", "/v1/admin/entities", {
        token: ADMIN_TOKEN,
        body: {
          slug: "bad",
          name: "Bad",
          fields: [{ key: "a", label: "A", type: "text", script: "x" }],
        },
      }),
      400,
      { code: "invalid_request", field: "fields.0.script" },
    );
  });
});

describe("values are checked against their field's type, naming the field", () => {
  const INVALID: [field: string, value: unknown, why: string][] = [
    ["current_weight", "82", "a number sent as text"],
    ["current_weight", 501, "a number above the field's max"],
    ["current_weight", -1, "a number below the field's min"],
    ["nickname", "x".repeat(21), "text longer than the field's maxLength"],
    ["nickname", 42, "a number for a text field"],
    ["nickname", "bad\u0000text", "text with control characters"],
    ["last_checkin", "2026-02-30", "a date that is no calendar day"],
    ["last_checkin", "28/02/2026", "a date not written YYYY-MM-DD"],
    ["newsletter", "yes", "text for a boolean field"],
    ["plan", "gold", "a select value that is not an option"],
  ];

  test.each(INVALID)("%s = %j (%s) → 400 invalid_value", (field, value) =>
    expectRefused(
      proxy,
      { method: "PUT", path: `/v1/entries/tracker/fields/${field}`, body: { value } },
      400,
      { code: "invalid_value", field },
    ),
  );

  test("a value that is not JSON scalar (object) → 400 naming value", () =>
    expectRefused(
      proxy,
      { method: "PUT", path: "/v1/entries/tracker/fields/nickname", body: { value: { $set: 1 } } },
      400,
      { code: "invalid_request", field: "value" },
    ));

  test("path parameters are validated: a bad slug → 400 naming slug", () =>
    expectRefused(proxy, { method: "GET", path: "/v1/entries/Tracker_*" }, 400, {
      code: "invalid_request",
      field: "slug",
    }));
});

describe("batches: each call succeeds or fails on its own", () => {
  test("a batch mixing good and bad calls answers each in order", async () => {
    const token = await hsToken(newSubject());
    const response = await proxy.call("POST", "/v1/batch", {
      token,
      body: {
        calls: [
          { op: "setCrmField", args: { slug: "tracker", fieldKey: "nickname", value: "Good" } },
          { op: "dropIndex", args: { slug: "tracker" } },
          { op: "getCrmField", args: { slug: "tracker" } },
          { op: "setCrmField", args: { slug: "tracker", fieldKey: "plan", value: "gold" } },
          { op: "getCrmField", args: { slug: "tracker", fieldKey: "coach_notes" } },
          "not an object",
          { op: "getCrmField", args: { slug: "tracker", fieldKey: "goal_weight" } },
        ],
      },
    });
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as {
      results: {
        ok: boolean;
        data?: { value?: unknown };
        error?: { code: string; field?: string };
      }[];
    };
    expect(results.map((result) => (result.ok ? "ok" : result.error?.code))).toEqual([
      "ok",
      "invalid_request",
      "invalid_request",
      "invalid_value",
      "field_not_found",
      "invalid_request",
      "ok",
    ]);
    expect(results[0]?.data?.value).toBe("Good");
    expect(results[1]?.error?.field).toBe("op");
    expect(results[2]?.error?.field).toBe("fieldKey");
    expect(results[3]?.error?.field).toBe("plan");
  });

  test.each([
    [`more than ${MAX_BATCH_CALLS} calls → 400 naming calls`, MAX_BATCH_CALLS + 1],
    ["an empty batch → 400", 0],
  ])("%s", (_name, size) => {
    const calls = Array.from({ length: size }, () => ({ op: "x", args: {} }));
    return expectRefused(proxy, { method: "POST", path: "/v1/batch", body: { calls } }, 400, {
      code: "invalid_request",
      field: "calls",
    });
  });
});

describe("request bodies", () => {
  test("a body without Content-Type is refused, not validated as {}", async () => {
    const token = await hsToken(newSubject());
    const response = await proxy.app.request("/v1/entries/tracker/fields/nickname", {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify({ value: "x" }),
    });
    await expectError(response, 400, { code: "invalid_request" });
  });

  const UNREADABLE: (TestRequest & { request: string; type: string })[] = [
    {
      request: "a body with another Content-Type is refused",
      method: "POST",
      path: "/v1/batch",
      body: "calls=1",
      type: "application/x-www-form-urlencoded",
    },
    {
      request: "a PUT without a body → 400",
      method: "PUT",
      path: "/v1/entries/tracker/fields/nickname",
      type: "application/json",
    },
    {
      request: "malformed JSON → 400 invalid_request",
      method: "PUT",
      path: "/v1/entries/tracker/fields/nickname",
      body: '{"value": "x"',
      type: "application/json",
    },
  ];

  test.each(UNREADABLE)("$request", ({ type, ...request }) =>
    expectRefused(proxy, { ...request, headers: { "Content-Type": type } }, 400, {
      code: "invalid_request",
    }),
  );

  test("a body over BODY_LIMIT_BYTES → 413 payload_too_large", () =>
    expectRefused(
      proxy,
      {
        method: "PUT",
        path: "/v1/entries/tracker/fields/nickname",
        body: { value: "x".repeat(3000) },
      },
      413,
      { code: "payload_too_large" },
    ));

  test("a streamed body over the limit (no Content-Length) → 413", async () => {
    const token = await hsToken(newSubject());
    const chunk = new TextEncoder().encode("x".repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 4) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await proxy.app.request("/v1/batch", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectError(response, 413, { code: "payload_too_large" });
  });
});
