/**
 * Every route of the OpenAPI document, asked with each method it does not
 * declare, answers 405 with an `Allow` header naming the methods it has, as
 * the stable JSON error, before any credential or body check.
 */
import { beforeAll, describe, expect, test } from "vitest";
import {
  ALLOWED_ORIGIN,
  createTestProxy,
  errorOf,
  hsToken,
  newSubject,
  type TestProxy,
} from "./support.ts";

let proxy: TestProxy;
let routes: { path: string; declared: string[] }[];

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

beforeAll(async () => {
  proxy = await createTestProxy({ name: "http methods" });
  const document = (await (await proxy.call("GET", "/v1/openapi.json")).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(document.paths).map(([path, operations]) => ({
    // Any value fills a path parameter: the method is refused before it is read.
    path: path.replace(/\{[^}]+\}/g, "sample"),
    declared: Object.keys(operations).map((method) => method.toUpperCase()),
  }));
  // The document's own route and health are routes too.
  expect(routes.length).toBeGreaterThan(10);
});

describe("undeclared methods", () => {
  test("each route answers 405 with Allow to every method it does not declare", async () => {
    const checked: string[] = [];
    for (const { path, declared } of routes) {
      const expectedAllow = [...declared, ...(declared.includes("GET") ? ["HEAD"] : [])]
        .sort()
        .join(", ");
      for (const method of METHODS.filter((each) => !declared.includes(each))) {
        const response = await proxy.call(method, path, {
          headers: { Origin: ALLOWED_ORIGIN },
          ...(method === "GET" || method === "DELETE" ? {} : { body: {} }),
        });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.get("Allow"), `${method} ${path}`).toBe(expectedAllow);
        // The browser can read why: CORS headers are on the refusal too.
        expect(response.headers.get("Access-Control-Allow-Origin")).toBe(ALLOWED_ORIGIN);
        expect(await errorOf(response)).toMatchObject({ code: "method_not_allowed" });
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked).toContain("DELETE /v1/batch");
    expect(checked).toContain("POST /v1/entries/sample/fields/sample");
  });

  test("declared methods still reach their routes, and an unknown path stays 404", async () => {
    const token = await hsToken(newSubject("methods"));
    expect((await proxy.call("GET", "/v1/health")).status).toBe(200);
    const head = await proxy.call("HEAD", "/v1/health");
    expect(head.status).toBe(200);
    const unknownEntity = await proxy.call("GET", "/v1/entries/nothing-here/fields/x", { token });
    expect(unknownEntity.status).toBe(404);
    const nowhere = await proxy.call("DELETE", "/v1/nowhere");
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get("Allow")).toBeNull();
  });
});
