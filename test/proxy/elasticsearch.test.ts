import { createServer } from "node:net";
import { afterEach, describe, expect, inject, test } from "vitest";
import { ensureElasticsearch } from "../../proxy/dev/elasticsearch.ts";
import {
  deleteWithPrefix,
  elasticsearchUrl,
  testClient,
  uniquePrefix,
} from "../support/elasticsearch.ts";

const prefix = uniquePrefix("elasticsearch round trip");

describe("the test Elasticsearch", () => {
  test("is a real Elasticsearch 9 that identifies itself to the official client", async () => {
    const response = await testClient().cluster.health({}, { meta: true });
    // The client refuses servers without this header; its presence is what makes this real ES.
    expect(response.headers["x-elastic-product"]).toBe("Elasticsearch");

    const nodes = await testClient().nodes.info({ node_id: "_local" });
    const versions = Object.values(nodes.nodes).map((node) => node.version);
    expect(versions).toEqual([inject("elasticsearchVersion")]);
    expect(versions[0]).toMatch(/^9\.\d+\.\d+/);
  });

  test("stores a document and returns it by id and by a routed keyword search", async () => {
    const es = testClient();
    const index = `${prefix}entries`;
    await es.indices.create({
      index,
      mappings: {
        dynamic: "strict",
        properties: {
          reference_type: { type: "keyword" },
          reference_id: { type: "keyword" },
          values: { type: "flattened" },
        },
      },
    });
    const document = {
      reference_type: "customer",
      reference_id: "c_42",
      values: { current_weight: "81.5" },
    };
    const routing = "customer:c_42";
    await es.index({ index, id: "entry-1", routing, document, refresh: "wait_for" });

    const byId = await es.get<typeof document>({ index, id: "entry-1", routing });
    expect(byId._source).toEqual(document);

    const found = await es.search<typeof document>({
      index,
      routing,
      query: { term: { reference_id: "c_42" } },
    });
    expect(found.hits.hits.map((hit) => hit._id)).toEqual(["entry-1"]);
  });

  test("refuses a field the strict mapping does not declare", async () => {
    const es = testClient();
    const index = `${prefix}strict`;
    await es.indices.create({
      index,
      mappings: { dynamic: "strict", properties: { slug: { type: "keyword" } } },
    });
    await expect(es.index({ index, document: { slug: "deals", stray: 1 } })).rejects.toThrow(
      /strict_dynamic_mapping_exception/,
    );
  });
});

describe("uniquePrefix", () => {
  test("gives each call a distinct lowercase prefix that is a valid index name", () => {
    const a = uniquePrefix("Adapter: Entries");
    const b = uniquePrefix("Adapter: Entries");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^t-adapter-entries-[0-9a-f]{8}-$/);
  });

  test("its cleanup deletes the indices and index templates under the prefix, and nothing else", async () => {
    const es = testClient();
    const own = `${prefix}cleanup-`;
    const neighbour = `${prefix}neighbour`;
    await es.indices.create({ index: `${own}one` });
    await es.indices.create({ index: `${own}two` });
    await es.indices.create({ index: neighbour });
    await es.indices.putIndexTemplate({
      name: `${own}template`,
      index_patterns: [`${own}template-*`],
    });

    await deleteWithPrefix(own);

    const left = await es.cat.indices({ index: `${prefix}*`, format: "json", h: "index" });
    expect(left.map((row) => row.index)).not.toContain(`${own}one`);
    expect(left.map((row) => row.index)).not.toContain(`${own}two`);
    expect(left.map((row) => row.index)).toContain(neighbour);
    expect(await es.indices.existsIndexTemplate({ name: `${own}template` })).toBe(false);
  });
});

describe("ensureElasticsearch with ELASTICSEARCH_URL", () => {
  const original = process.env.ELASTICSEARCH_URL;
  afterEach(() => {
    if (original === undefined) delete process.env.ELASTICSEARCH_URL;
    else process.env.ELASTICSEARCH_URL = original;
  });

  test("uses that cluster, starts nothing and reports its version", async () => {
    process.env.ELASTICSEARCH_URL = `${elasticsearchUrl()}/`;
    await expect(ensureElasticsearch()).resolves.toEqual({
      url: elasticsearchUrl(),
      version: inject("elasticsearchVersion"),
      started: false,
    });
  });

  test("fails naming the URL when nothing answers there", async () => {
    const closedPort = await new Promise<number>((resolvePort) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
      });
    });
    process.env.ELASTICSEARCH_URL = `http://127.0.0.1:${closedPort}`;
    await expect(ensureElasticsearch()).rejects.toThrow(
      `ELASTICSEARCH_URL=http://127.0.0.1:${closedPort} does not answer /_cluster/health`,
    );
  });
});
