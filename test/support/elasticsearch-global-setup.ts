/**
 * Vitest globalSetup: one Elasticsearch per test run, shared by every test file.
 * Test files read the URL with `inject("elasticsearchUrl")` (see ./elasticsearch.ts).
 */
import type { TestProject } from "vitest/node";
import { ensureElasticsearch, stopElasticsearch } from "../../proxy/dev/elasticsearch.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the Elasticsearch the tests use, without trailing slash. */
    elasticsearchUrl: string;
    /** Version the node reports, e.g. "9.5.4". */
    elasticsearchVersion: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const elasticsearch = await ensureElasticsearch();
  project.provide("elasticsearchUrl", elasticsearch.url);
  project.provide("elasticsearchVersion", elasticsearch.version);
  return async () => {
    // Locally the node stays up so the next run starts in a second; CI leaves nothing behind.
    if (elasticsearch.started && process.env.CI) await stopElasticsearch();
  };
}
