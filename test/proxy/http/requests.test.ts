import { describe, expect, test } from "vitest";
import { testEntities } from "../../support/entities.ts";
import { hsToken, newSubject, useTestProxy } from "./support.ts";

const proxy = useTestProxy({ name: "http requests", entities: testEntities });

/**
 * The Elasticsearch requests `run` causes once the cached definitions are
 * freshly confirmed: their revalidation (one GET each, every 2 s) belongs to
 * no single call, and a slow machine would otherwise count it in one.
 */
async function counted(run: () => Promise<unknown>): Promise<number> {
  await Promise.all(["tracker", "deals"].map((slug) => proxy.adapter.entities.get(slug)));
  return proxy.requestsDuring(run);
}

async function cost(token: string, method: string, path: string, body?: unknown): Promise<number> {
  return counted(async () => {
    const response = await proxy.call(method, path, { token, body });
    expect(response.status, `${method} ${path}`).toBe(200);
  });
}

/** The HTTP layer adds no Elasticsearch round trips of its own to a warm customer's calls. */
describe("Elasticsearch requests per HTTP call of a warm customer", () => {
  test("GET field, GET entries and GET stage cost one request each; PUT field one; the entity none", async () => {
    const token = await hsToken(newSubject());
    const warmUp = await proxy.call("PUT", "/v1/entries/tracker/fields/nickname", {
      token,
      body: { value: "Warm" },
    });
    expect(warmUp.status).toBe(200);

    expect(await cost(token, "GET", "/v1/entries/tracker/fields/nickname")).toBe(1);
    expect(await cost(token, "GET", "/v1/entries/tracker")).toBe(1);
    expect(await cost(token, "GET", "/v1/entries/tracker/stages/progress")).toBe(1);
    expect(await cost(token, "GET", "/v1/entities/tracker")).toBe(0);
    expect(await cost(token, "PUT", "/v1/entries/tracker/fields/nickname", { value: "Hot" })).toBe(
      1,
    );
  });

  test("a stage move over HTTP costs what the adapter's own setCrmStage costs", async () => {
    const token = await hsToken(newSubject());
    await proxy.call("PUT", "/v1/entries/tracker/fields/nickname", {
      token,
      body: { value: "Warm" },
    });
    const entries = await proxy.call("GET", "/v1/entries/tracker", { token });
    const [entry] = ((await entries.json()) as { entries: { reference: { id: string } }[] })
      .entries;
    const customerId = entry?.reference.id ?? "";

    const direct = await counted(() =>
      proxy.adapter
        .forCustomer(customerId)
        .setCrmStage({ slug: "tracker", pipeline: "progress", stage: "starting" }),
    );
    const overHttp = await cost(token, "PUT", "/v1/entries/tracker/stages/progress", {
      stage: "in_progress",
    });
    expect(overHttp).toBe(direct);
  });

  test("a batch's reads share one request, and a call refused by validation costs nothing", async () => {
    const token = await hsToken(newSubject());
    await proxy.call("GET", "/v1/entities/tracker", { token });
    const requests = await counted(async () => {
      const response = await proxy.call("POST", "/v1/batch", {
        token,
        body: {
          calls: [
            { op: "getCrmField", args: { slug: "tracker", fieldKey: "nickname" } },
            { op: "getCrmField", args: { slug: "tracker", fieldKey: "plan" } },
            { op: "getCrmEntity", args: { slug: "tracker" } },
            { op: "getCrmField", args: { slug: "tracker", fieldKey: "Not A Key" } },
          ],
        },
      });
      expect(response.status).toBe(200);
    });
    expect(requests).toBe(1);
  });

  test("a page of ten widgets (one batch of ten reads) costs one Elasticsearch request", async () => {
    const token = await hsToken(newSubject());
    await proxy.call("PUT", "/v1/entries/tracker/fields/nickname", { token, body: { value: "A" } });
    const calls = [
      ...["nickname", "plan", "nickname", "plan", "nickname", "plan"].map((fieldKey) => ({
        op: "getCrmField",
        args: { slug: "tracker", fieldKey },
      })),
      { op: "getCrmEntries", args: { slug: "tracker" } },
      { op: "getCrmStage", args: { slug: "tracker", pipeline: "progress" } },
      { op: "getCrmEntity", args: { slug: "tracker" } },
      { op: "getCrmField", args: { slug: "tracker", fieldKey: "nickname" } },
    ];
    let results: { ok: boolean }[] = [];
    const requests = await counted(async () => {
      const response = await proxy.call("POST", "/v1/batch", { token, body: { calls } });
      expect(response.status).toBe(200);
      results = ((await response.json()) as { results: { ok: boolean }[] }).results;
    });
    expect(results.every((result) => result.ok)).toBe(true);
    expect(requests).toBe(1);
  });
});
