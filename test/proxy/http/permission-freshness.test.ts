/**
 * A permission change made through one proxy reaches every other proxy
 * process within a few seconds: each revalidates its cached definitions by
 * their stored version (one GET without `_source`) once they are two seconds
 * old. Two real proxies over HTTP (each its own caches), one real Elasticsearch.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningProxy, startProxy } from "../../../proxy/src/node.ts";
import { uniquePrefix } from "../../support/elasticsearch.ts";
import { trackerEntity } from "../../support/entities.ts";
import { callAt } from "../../support/http.ts";
import { ADMIN_TOKEN, hsToken, newSubject, testEnv } from "./support.ts";

/** The revalidation interval (2 s) plus room for a loaded 2-core machine. */
const VISIBLE_WITHIN_MS = 3_000;

const prefix = uniquePrefix("permission freshness");
let writer: RunningProxy;
let reader: RunningProxy;

beforeAll(async () => {
  const env = testEnv(prefix, { PORT: "0" });
  writer = await startProxy(env, { setUpIndices: true });
  reader = await startProxy(env);
  const created = await callAt(
    writer.url,
    "POST",
    "/v1/admin/entities",
    ADMIN_TOKEN,
    trackerEntity,
  );
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await Promise.all([writer?.close(), reader?.close()]);
});

/** The status a request to the proxy at `base` answers. */
const status = async (...request: Parameters<typeof callAt>) => (await callAt(...request)).status;

describe("permission changes reach other processes within seconds", () => {
  test("a field made hidden and a pipeline made unmovable in one proxy are refused by the other", async () => {
    const token = await hsToken(newSubject("freshness"));
    // The reader caches the definition as it is now.
    expect(await status(reader.url, "GET", "/v1/entries/tracker/fields/nickname", token)).toBe(200);
    expect(
      await status(reader.url, "PUT", "/v1/entries/tracker/stages/progress", token, {
        stage: "starting",
      }),
    ).toBe(200);

    const changed = {
      ...trackerEntity,
      fields: trackerEntity.fields.map((field) =>
        field.key === "nickname" ? { ...field, customerAccess: "none" } : field,
      ),
      pipelines: trackerEntity.pipelines.map((pipeline) =>
        pipeline.key === "progress" ? { ...pipeline, customerCanMove: false } : pipeline,
      ),
    };
    const updated = await fetch(`${writer.url}/v1/admin/entities/tracker`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify(changed),
    });
    expect(updated.status).toBe(200);

    await sleep(VISIBLE_WITHIN_MS);
    expect(await status(reader.url, "GET", "/v1/entries/tracker/fields/nickname", token)).toBe(404);
    expect(
      await status(reader.url, "PUT", "/v1/entries/tracker/stages/progress", token, {
        stage: "in_progress",
      }),
    ).toBe(403);
  });
});
