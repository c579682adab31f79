/**
 * The client over several nodes, against the real test Elasticsearch plus nodes that are down
 * (a port nobody listens on) or hung (a socket that accepts and never answers, as a stopped
 * JVM does): requests get past the broken node, and only idempotent ones are sent again after
 * a timeout.
 */
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, describe, expect, test } from "vitest";
import { freePort } from "../../../proxy/dev/ports.ts";
import { loadConfig } from "../../../proxy/src/config.ts";
import {
  createElasticsearchClient,
  isIdempotent,
  nodeUrls,
} from "../../../proxy/src/elasticsearch/client.ts";
import { fromElasticsearchError } from "../../../proxy/src/elasticsearch/errors.ts";
import { elasticsearchUrl, testClient, uniquePrefix } from "../../support/elasticsearch.ts";
import { testEnv } from "../http/support.ts";

const prefix = uniquePrefix("cluster client");

/** A node that accepts connections and never answers; counts what reached it. */
async function hungNode(): Promise<{ url: string; connections: () => number; server: Server }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, connections: () => sockets.length, server };
}

describe("ELASTICSEARCH_URL with several nodes", () => {
  test("takes a comma-separated list and refuses a list with a bad entry", () => {
    const config = loadConfig(
      testEnv("x-", { ELASTICSEARCH_URL: "http://es-1:9200, http://es-2:9200/" }),
    );
    expect(nodeUrls(config.elasticsearch.url)).toEqual(["http://es-1:9200", "http://es-2:9200"]);
    expect(config.elasticsearch.maxRetries).toBeUndefined();
    expect(() =>
      loadConfig(testEnv("x-", { ELASTICSEARCH_URL: "http://es-1:9200,es-2:9200" })),
    ).toThrow(/ELASTICSEARCH_URL must be an http\(s\) URL, or several separated by commas/);
  });
});

describe("a client over several nodes", () => {
  test("every request succeeds while the first node listed is down", async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const client = createElasticsearchClient({ url: `${dead},${elasticsearchUrl()}` });
    try {
      for (let i = 0; i < 10; i++) {
        const health = await client.cluster.health();
        expect(health.status).not.toBe("red");
      }
      const [first] = client.connectionPool.connections;
      expect(first?.url.toString()).toBe(`${dead}/`);
      expect(first?.status).toBe("dead");
    } finally {
      await client.close();
    }
  });

  test("a read that times out on a hung node is answered by another node; a create is not sent again", async () => {
    const hung = await hungNode();
    const index = `${prefix}docs`;
    await testClient().indices.create({ index });
    const client = createElasticsearchClient({
      url: `${hung.url},${elasticsearchUrl()}`,
      requestTimeoutMs: 300,
      maxRetries: 2,
    });
    try {
      // The pool starts with the first node listed: the first request goes to the hung one.
      const read = await client.indices.exists({ index });
      expect(read).toBe(true);
      const beforeCreate = hung.connections();
      expect(beforeCreate).toBeGreaterThan(0);

      // A fresh client, so the hung node is alive in its pool and gets the create first.
      const writer = createElasticsearchClient({
        url: `${hung.url},${elasticsearchUrl()}`,
        requestTimeoutMs: 300,
        maxRetries: 2,
      });
      try {
        await expect(
          writer.create({ index, id: "once", document: { n: 1 }, refresh: true }),
        ).rejects.toThrow(/timed out|Timeout/i);
      } finally {
        await writer.close();
      }
      expect(hung.connections()).toBeGreaterThan(beforeCreate);
      // It reached the hung node only: the living node never saw it.
      expect(await testClient().exists({ index, id: "once" })).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe("what a failed request tells the caller", () => {
  test("a write the store did not answer says it may have been stored; a read, or a write that was refused, says unavailable", async () => {
    const hung = await hungNode();
    const refused = `http://127.0.0.1:${await freePort()}`;
    const write = (url: string) =>
      createElasticsearchClient({ url, requestTimeoutMs: 300, maxRetries: 0 }).update({
        index: `${prefix}docs`,
        id: "x",
        doc: { n: 1 },
        doc_as_upsert: true,
      });
    const read = createElasticsearchClient({ url: hung.url, requestTimeoutMs: 300, maxRetries: 0 });
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => "stored",
        (error: unknown) => fromElasticsearchError(error).code,
      );
    expect(await codeOf(write(hung.url))).toBe("outcome_unknown");
    expect(await codeOf(read.get({ index: `${prefix}docs`, id: "x" }))).toBe("unavailable");
    expect(await codeOf(write(refused))).toBe("unavailable");
    await read.close();
  });
});

describe("which requests may be sent twice", () => {
  test.each([
    ["GET", "/i/_doc/1", "", true],
    ["HEAD", "/i", "", true],
    ["POST", "/i/_search", "", true],
    ["POST", "/_mget", "", true],
    ["POST", "/i/_update/1", "refresh=wait_for", true],
    ["PUT", "/i/_doc/1", "", true],
    ["PUT", "/i/_create/1", "", false],
    ["PUT", "/i/_doc/1", "op_type=create", false],
    ["PUT", "/i/_doc/1", "if_seq_no=3&if_primary_term=1", false],
    ["POST", "/_bulk", "", false],
    ["POST", "/i/_doc", "", false],
  ] as const)("%s %s?%s → %s", (method, path, querystring, expected) => {
    expect(isIdempotent({ method, path, querystring })).toBe(expected);
  });
});
