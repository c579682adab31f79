import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CrmFieldValue } from "#domain";
import { ConfigError } from "../../../proxy/src/config.ts";
import { type RunningProxy, startProxy } from "../../../proxy/src/node.ts";
import { uniquePrefix } from "../../support/elasticsearch.ts";
import { trackerEntity } from "../../support/entities.ts";
import {
  ADMIN_TOKEN,
  ALLOWED_ORIGIN,
  hsToken,
  newSubject,
  staffToken,
  testEnv,
} from "./support.ts";

describe("the Node entry", () => {
  let proxy: RunningProxy;
  const prefix = uniquePrefix("http node");

  beforeAll(async () => {
    proxy = await startProxy(testEnv(prefix, { PORT: "0" }), {
      setUpIndices: true,
    });
  });
  afterAll(() => proxy.close());

  test("startProxy with setUpIndices creates the indices and serves the API over real HTTP", async () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${proxy.url}/v1/health`);
    expect(await health.json()).toEqual({ status: "ok" });

    const created = await fetch(`${proxy.url}/v1/admin/entities`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify(trackerEntity),
    });
    expect(created.status).toBe(201);

    const token = await hsToken(newSubject());
    const put = await fetch(`${proxy.url}/v1/entries/tracker/fields/nickname`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ value: "Over HTTP" }),
    });
    expect(put.status).toBe(200);
    const get = await fetch(`${proxy.url}/v1/entries/tracker/fields/nickname`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(((await get.json()) as CrmFieldValue).value).toBe("Over HTTP");
  });

  test("over real HTTP, reads and both batches from an allowed origin carry the CORS and security headers", async () => {
    const customer = { Authorization: `Bearer ${await hsToken(newSubject())}` };
    const staff = { Authorization: `Bearer ${await staffToken("ann", "staff")}` };
    const call = { op: "getCrmEntity", args: { slug: "tracker" } };
    const answers = [
      await fetch(`${proxy.url}/v1/entries/tracker/fields/nickname`, {
        headers: { ...customer, Origin: ALLOWED_ORIGIN },
      }),
      ...(await Promise.all(
        (
          [
            ["/v1/batch", customer],
            ["/v1/staff/batch", staff],
          ] as const
        ).map(([path, auth]) =>
          fetch(`${proxy.url}${path}`, {
            method: "POST",
            headers: { ...auth, Origin: ALLOWED_ORIGIN, "Content-Type": "application/json" },
            body: JSON.stringify({ calls: [call] }),
          }),
        ),
      )),
    ];
    for (const answer of answers) {
      expect(answer.status, answer.url).toBe(200);
      expect(answer.headers.get("Access-Control-Allow-Origin"), answer.url).toBe(ALLOWED_ORIGIN);
      expect(answer.headers.get("Access-Control-Expose-Headers"), answer.url).toContain(
        "X-Request-Id",
      );
      expect(answer.headers.get("Vary"), answer.url).toContain("Origin");
      expect(answer.headers.get("Cache-Control"), answer.url).toBe("no-store");
      expect(answer.headers.get("X-Content-Type-Options"), answer.url).toBe("nosniff");
      expect(answer.headers.get("Content-Type"), answer.url).toMatch(/^application\/json/);
      expect(await answer.json(), answer.url).toBeTypeOf("object");
    }
  });

  test("without setup the proxy refuses to start and says to run npm run setup", async () => {
    await expect(
      startProxy(testEnv(uniquePrefix("http node no setup"), { PORT: "0" })),
    ).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("npm run setup"),
    });
  });

  test("an invalid environment is refused before listening, listing the problems", async () => {
    await expect(startProxy({ PORT: "0" })).rejects.toBeInstanceOf(ConfigError);
  });

  test("a port already in use fails the start with EADDRINUSE instead of crashing", async () => {
    const port = new URL(proxy.url).port;
    await expect(startProxy(testEnv(prefix, { PORT: port }))).rejects.toMatchObject({
      code: "EADDRINUSE",
    });
  });

  test("close() stops listening", async () => {
    const other = await startProxy(testEnv(prefix, { PORT: "0" }));
    expect((await fetch(`${other.url}/v1/health`)).status).toBe(200);
    await other.close();
    await expect(fetch(`${other.url}/v1/health`)).rejects.toThrow();
  });
});
