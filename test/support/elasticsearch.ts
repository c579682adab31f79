/**
 * Helpers for tests that talk to the real Elasticsearch started by the globalSetup.
 *
 * Each test file takes its own index prefix from `uniquePrefix()`, so files never see each
 * other's data, and everything under that prefix is deleted after the file.
 */
import { randomBytes } from "node:crypto";
import { Client } from "@elastic/elasticsearch";
import { afterAll, inject } from "vitest";
import { deleteIndicesWithPrefix } from "./indices.ts";

/** Base URL of the test Elasticsearch, e.g. `http://127.0.0.1:9200`. */
export function elasticsearchUrl(): string {
  return inject("elasticsearchUrl");
}

let client: Client | undefined;
/** Prefixes handed out in this test file; vitest evaluates this module once per file. */
const prefixes: string[] = [];

// Registered while the test file is collected, so it runs even when a prefix or
// client is first asked for inside a hook (where vitest ignores new hooks).
afterAll(async () => {
  for (const prefix of prefixes.splice(0)) await deleteWithPrefix(prefix);
  await client?.close();
  client = undefined;
});

/**
 * An `@elastic/elasticsearch` client for the test Elasticsearch, shared within the test file
 * and closed after it.
 */
export function testClient(): Client {
  client ??= new Client({ node: elasticsearchUrl(), requestTimeout: 30_000, maxRetries: 0 });
  return client;
}

/**
 * A fresh index prefix such as `t-adapter-lq3k9x2a-`, valid in index and template names.
 * Every index and index template whose name starts with the prefix is deleted after the file.
 */
export function uniquePrefix(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  const prefix = `t-${slug || "test"}-${randomBytes(4).toString("hex")}-`;
  prefixes.push(prefix);
  return prefix;
}

/** Deletes the indices and index templates named `<prefix>*` of the test Elasticsearch. */
export async function deleteWithPrefix(prefix: string, url = elasticsearchUrl()): Promise<void> {
  const es = new Client({ node: url, requestTimeout: 30_000 });
  try {
    await deleteIndicesWithPrefix(es, prefix);
  } finally {
    await es.close();
  }
}
