/**
 * The Worker's budgets inside workerd: Cloudflare's Rate Limiting bindings of
 * wrangler.toml (wrangler's local simulation of them), not per-isolate
 * counters. The Worker runs from a copy of wrangler.toml whose `[[ratelimits]]`
 * keep their names, namespaces and periods and get small limits.
 */

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Unstable_DevWorker } from "wrangler";
import { ADMIN_TOKEN, hsToken, newSubject } from "../proxy/http/support.ts";
import { uniquePrefix } from "../support/elasticsearch.ts";
import { trackerEntity } from "../support/entities.ts";
import { startWorkerOverTestIndices } from "./support.ts";

const OPERATIONS_PER_MINUTE = 5;
const CREATIONS_PER_MINUTE = 2;
const prefix = uniquePrefix("worker-limits");
let worker: Unstable_DevWorker;
let configDir: string;

/** wrangler.toml with the bindings' limits replaced, `main` made absolute. */
async function limitedConfig(): Promise<string> {
  const original = await readFile("wrangler.toml", "utf8");
  const limits = [OPERATIONS_PER_MINUTE, CREATIONS_PER_MINUTE];
  let replaced = 0;
  const toml = original
    .replace(/^main = ".*"$/m, `main = ${JSON.stringify(resolve("proxy/src/worker.ts"))}`)
    .replace(/^"undici" = "\.\/(.*)"$/m, (_line, path: string) => {
      return `"undici" = ${JSON.stringify(resolve(path))}`;
    })
    .replace(/simple = \{ limit = \d+, period = 60 \}/g, () => {
      const limit = limits[replaced++];
      return `simple = { limit = ${limit}, period = 60 }`;
    });
  expect(replaced, "both [[ratelimits]] bindings of wrangler.toml").toBe(2);
  configDir = await mkdtemp(join(tmpdir(), "crm-worker-limits-"));
  const path = join(configDir, "wrangler.toml");
  await writeFile(path, toml);
  return path;
}

beforeAll(async () => {
  worker = await startWorkerOverTestIndices(prefix, {}, { config: await limitedConfig() });
  const created = await call("POST", "/v1/admin/entities", ADMIN_TOKEN, "192.0.2.1", trackerEntity);
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await worker?.stop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

async function call(
  method: string,
  path: string,
  token: string,
  clientAddress: string,
  body?: unknown,
) {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${token}`,
    "CF-Connecting-IP": clientAddress,
  };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await worker.fetch(`http://127.0.0.1${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await response.arrayBuffer();
  return response;
}

const readField = { op: "getCrmField", args: { slug: "tracker", fieldKey: "nickname" } };
const batchOf = (size: number) => ({ calls: Array.from({ length: size }, () => readField) });

/**
 * The simulated binding's windows follow the wall clock (whole minutes): a
 * test that spends a budget starts early in a minute, so its calls share one.
 */
async function startOfAMinute(): Promise<void> {
  const second = (Date.now() / 1000) % 60;
  if (second > 50) await new Promise((done) => setTimeout(done, (61 - second) * 1000));
}

describe("the Worker's budgets are Cloudflare's Rate Limiting bindings", () => {
  test(`a batch of ${OPERATIONS_PER_MINUTE + 1} calls is over a budget of ${OPERATIONS_PER_MINUTE} operations, though it is one request`, async () => {
    await startOfAMinute();
    const token = await hsToken(newSubject("worker-big-batch"));
    const response = await call("POST", "/v1/batch", token, "192.0.2.10", batchOf(6));
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBe("60");
  });

  test("a batch spends one unit per call: the next request after a full batch is refused", async () => {
    await startOfAMinute();
    const token = await hsToken(newSubject("worker-full-batch"));
    const full = await call("POST", "/v1/batch", token, "192.0.2.11", batchOf(5));
    expect(full.status).toBe(200);
    const next = await call("GET", "/v1/entries/tracker/fields/nickname", token, "192.0.2.11");
    expect(next.status).toBe(429);
    // Another customer has a budget of its own.
    const other = await hsToken(newSubject("worker-other"));
    expect((await call("GET", "/v1/entities/tracker", other, "192.0.2.11")).status).toBe(200);
  });

  test(`one address creates at most ${CREATIONS_PER_MINUTE} customers a minute; known customers and other addresses go on`, async () => {
    await startOfAMinute();
    const address = "198.51.100.7";
    const first = await hsToken(newSubject("worker-guest"));
    const statuses = [(await call("GET", "/v1/entities/tracker", first, address)).status];
    for (let i = 0; i < CREATIONS_PER_MINUTE; i++) {
      const guest = await hsToken(newSubject("worker-guest"));
      statuses.push((await call("GET", "/v1/entities/tracker", guest, address)).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await call(
      "GET",
      "/v1/entities/tracker",
      await hsToken(newSubject("worker-guest")),
      address,
    );
    expect(refused.headers.get("Retry-After")).toBe("60");

    // The first guest's record exists: coming back from that address is no creation.
    expect((await call("GET", "/v1/entities/tracker", first, address)).status).toBe(200);
    const elsewhere = await hsToken(newSubject("worker-guest"));
    expect((await call("GET", "/v1/entities/tracker", elsewhere, "198.51.100.8")).status).toBe(200);
  });
});
