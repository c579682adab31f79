/**
 * What every bench script starts from: the local Elasticsearch, the CRM indices under a prefix
 * of their own with the bench's two entities, and the environment of a proxy over them; and
 * the indices removed again however the script ends.
 */
import { randomBytes } from "node:crypto";
import { ensureElasticsearch } from "../../proxy/dev/elasticsearch.ts";
import { ensureCrmIndices } from "../../proxy/src/elasticsearch/setup.ts";
import { createCrmServices } from "../../proxy/src/services.ts";
import { deleteIndicesWithPrefix } from "../support/indices.ts";
import { dealsEntity, proxyEnv, trackerEntity } from "./fixtures.ts";
import { log } from "./settings.ts";

type CrmServices = ReturnType<typeof createCrmServices>;

export interface BenchIndices extends CrmServices {
  elasticsearch: Awaited<ReturnType<typeof ensureElasticsearch>>;
  prefix: string;
  /** The environment of a proxy process over these indices (`proxyEnv`). */
  env: Record<string, string>;
}

/** Runs `body` over fresh bench indices, then removes them and closes the client. */
export async function withBenchIndices<T>(body: (bench: BenchIndices) => Promise<T>): Promise<T> {
  const elasticsearch = await ensureElasticsearch();
  const prefix = `bench-${randomBytes(4).toString("hex")}-`;
  const services = createCrmServices({
    elasticsearch: { url: elasticsearch.url, timeoutMs: 120_000 },
    indexPrefix: prefix,
  });
  const { client, indices, adapter } = services;
  try {
    await ensureCrmIndices(client, indices);
    await adapter.entities.create(trackerEntity);
    await adapter.entities.create(dealsEntity);
    return await body({
      ...services,
      elasticsearch,
      prefix,
      env: proxyEnv(elasticsearch.url, prefix),
    });
  } finally {
    log(`removing the bench indices (${prefix}*)`);
    await deleteIndicesWithPrefix(client, prefix).catch((error: unknown) =>
      console.error(`[bench] cleanup failed: ${(error as Error).message}`),
    );
    await client.close();
  }
}

/** A bench script's entry: its failure is printed and exits non-zero. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
