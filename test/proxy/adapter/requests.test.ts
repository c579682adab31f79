import { createServer, type Server, type Socket } from "node:net";
import { errors } from "@elastic/elasticsearch";
import type { DiagnosticResult } from "@elastic/transport";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createElasticsearchClient } from "../../../proxy/src/elasticsearch/client.ts";
import { fromElasticsearchError } from "../../../proxy/src/elasticsearch/errors.ts";
import { FetchConnection } from "../../../proxy/src/elasticsearch/fetch-connection.ts";
import { ensureCrmIndices } from "../../../proxy/src/elasticsearch/setup.ts";
import { createCrmServices } from "../../../proxy/src/services.ts";
import { elasticsearchUrl, uniquePrefix } from "../../support/elasticsearch.ts";
import { dealsEntity, trackerEntity } from "../../support/entities.ts";
import { failure, newCustomer, useAdapterFixture } from "./fixtures.ts";

const crm = useAdapterFixture("adapter requests", [trackerEntity, dealsEntity]);

describe("Elasticsearch requests per operation", () => {
  test("a warm read of a one-entry entity costs one request: getCrmField, getCrmEntries, getCrmStage", async () => {
    const id = await newCustomer(crm.adapter, "hot-read");
    const me = crm.adapter.forCustomer(id);
    await me.setCrmField({ slug: "tracker", fieldKey: "current_weight", value: 80 });

    expect(
      await crm.requestsDuring(() =>
        me.getCrmField({ slug: "tracker", fieldKey: "current_weight" }),
      ),
    ).toBe(1);
    expect(await crm.requestsDuring(() => me.getCrmEntries({ slug: "tracker" }))).toBe(1);
    expect(
      await crm.requestsDuring(() => me.getCrmStage({ slug: "tracker", pipeline: "progress" })),
    ).toBe(1);
    expect(await crm.requestsDuring(() => me.getCrmEntity({ slug: "tracker" }))).toBe(0);
  });

  test("a write costs one request once the adapter knows the entry's version (from its own last write), two before (a realtime read of the version, then the compare-and-set write)", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "write"));
    expect(
      await crm.requestsDuring(() =>
        me.setCrmField({ slug: "tracker", fieldKey: "nickname", value: "New" }),
      ),
    ).toBe(2);
    expect(
      await crm.requestsDuring(() =>
        me.setCrmField({ slug: "tracker", fieldKey: "nickname", value: "Again" }),
      ),
    ).toBe(1);
    const deal = await me.createCrmEntry({ slug: "deals", values: { title: "Deal" } });
    expect(
      await crm.requestsDuring(() =>
        me.setCrmField({ slug: "deals", fieldKey: "title", value: "Renamed", entryId: deal.id }),
      ),
    ).toBe(1);
  });

  test("resolving a new customer costs one request, a known one none", async () => {
    const identity = { issuer: "https://shop.example", subject: "counted" };
    expect(await crm.requestsDuring(() => crm.adapter.resolveCustomer(identity))).toBe(1);
    expect(await crm.requestsDuring(() => crm.adapter.resolveCustomer(identity))).toBe(0);
  });

  test("a cold adapter loads an entity definition once, then serves it from its cache; concurrent reads share one mget", async () => {
    const cold = crm.newAdapter();
    const id = await newCustomer(cold, "cold");
    const me = cold.forCustomer(id);
    const first = await crm.requestsDuring(() =>
      Promise.all([
        me.getCrmField({ slug: "tracker", fieldKey: "nickname" }),
        me.getCrmField({ slug: "tracker", fieldKey: "mood" }),
      ]),
    );
    // One definition load, then both field reads in one realtime _mget.
    expect(first).toBe(2);
    expect(
      await crm.requestsDuring(() => me.getCrmField({ slug: "tracker", fieldKey: "mood" })),
    ).toBe(1);
  });

  test("one caller's reads started together (one batch) cost one request", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "together"));
    await me.setCrmField({ slug: "tracker", fieldKey: "mood", value: "great" });
    let values: unknown[] = [];
    const count = await crm.requestsDuring(async () => {
      values = await Promise.all([
        me.getCrmField({ slug: "tracker", fieldKey: "mood" }),
        me.getCrmEntries({ slug: "tracker" }),
        me.getCrmField({ slug: "tracker", fieldKey: "nickname" }),
        me.getCrmStage({ slug: "tracker", pipeline: "progress" }),
      ]);
    });
    expect(count).toBe(1);
    expect((values[0] as { value: unknown }).value).toBe("great");
    expect((values[1] as { values: Record<string, unknown> }[])[0]?.values.mood).toBe("great");
    expect((values[2] as { value: unknown }).value).toBeNull();
  });

  test("refused calls cost no request", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "refused"));
    const count = await crm.requestsDuring(async () => {
      await failure(me.setCrmField({ slug: "tracker", fieldKey: "mood", value: "furious" }));
      await failure(me.setCrmField({ slug: "tracker", fieldKey: "goal_weight", value: 1 }));
      await failure(
        me.getCrmField({
          slug: "tracker",
          fieldKey: "nickname",
          referenceId: "someone-else",
        }),
      );
    });
    expect(count).toBe(0);
  });
});

describe("Elasticsearch unavailable", () => {
  test("a node that refuses connections turns every operation into CrmError unavailable", async () => {
    const { client, adapter } = createCrmServices({
      elasticsearch: { url: "http://127.0.0.1:1", maxRetries: 0 },
      indexPrefix: "unreachable-",
    });
    try {
      const resolve = await failure(
        adapter.resolveCustomer({ issuer: "https://shop.example", subject: "x" }),
      );
      expect(resolve.code).toBe("unavailable");
      expect(resolve.status).toBe(503);
      expect(resolve.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|elasticsearch/i);
      const read = await failure(adapter.getCrmEntries({ slug: "tracker", referenceId: "r" }));
      expect(read.code).toBe("unavailable");
      expect((await failure(adapter.entities.list())).code).toBe("unavailable");
    } finally {
      await client.close();
    }
  });

  test.each([
    [503, "unavailable"],
    [502, "unavailable"],
    [429, "unavailable"],
    [409, "conflict"],
    [400, "internal"],
  ] as const)(
    "an Elasticsearch %i response becomes CrmError %s without Elasticsearch's words",
    (statusCode, code) => {
      const response = new errors.ResponseError({
        statusCode,
        body: {
          error: { type: "es_internal_exception", reason: "shard [0] of [crm_entries] failed" },
          status: statusCode,
        },
        headers: {},
        warnings: null,
        meta: {} as DiagnosticResult["meta"],
      });
      const error = fromElasticsearchError(response);
      expect(error.code).toBe(code);
      expect(error.message).not.toMatch(/shard|exception|crm_entries/i);
    },
  );

  test("an unexpected failure becomes CrmError internal with a generic message", () => {
    const error = fromElasticsearchError(
      new TypeError("Cannot read properties of undefined (reading 'hits')"),
    );
    expect(error.code).toBe("internal");
    expect(error.message).toBe("Something went wrong");
  });

  describe("a node that accepts connections and never answers", () => {
    let server: Server;
    let url: string;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no port");
      url = `http://127.0.0.1:${address.port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    test.each([
      ["the default connection", undefined],
      ["the fetch connection", FetchConnection],
    ])("times out into CrmError unavailable with %s", async (_name, Connection) => {
      const { client, adapter } = createCrmServices(
        { elasticsearch: { url, timeoutMs: 200, maxRetries: 0 }, indexPrefix: "silent-" },
        Connection ? { Connection } : {},
      );
      try {
        const error = await failure(adapter.getCrmEntries({ slug: "tracker", referenceId: "r" }));
        expect(error.code).toBe("unavailable");
      } finally {
        await client.close();
      }
    });
  });
});

describe("the fetch connection on Node", () => {
  const prefix = uniquePrefix("adapter fetch connection");

  test("runs setup and every operation against the real Elasticsearch", async () => {
    const { client, indices, adapter } = createCrmServices(
      { elasticsearch: { url: elasticsearchUrl() }, indexPrefix: prefix },
      { Connection: FetchConnection },
    );
    let requests = 0;
    client.diagnostic.on("response", () => {
      requests += 1;
    });
    try {
      await ensureCrmIndices(client, indices);
      await ensureCrmIndices(client, indices);
      await adapter.entities.create(trackerEntity);
      const customer = await adapter.resolveCustomer({
        issuer: "https://shop.example",
        subject: "fetch",
      });
      const me = adapter.forCustomer(customer.id);

      const set = await me.setCrmField({
        slug: "tracker",
        fieldKey: "nickname",
        value: "Fetched ✓",
      });
      const before = requests;
      const read = await me.getCrmField({ slug: "tracker", fieldKey: "nickname" });
      expect(requests - before).toBe(1);
      expect(read).toEqual(set);
      const [entry] = await adapter.getReferenceEntries({ type: "customer", id: customer.id });
      expect(entry?.values).toEqual({ nickname: "Fetched ✓" });
      const missing = await failure(adapter.entities.create(trackerEntity));
      expect(missing.code).toBe("conflict");
      const moved = await me.setCrmStage({
        slug: "tracker",
        pipeline: "progress",
        stage: "goal_reached",
      });
      expect(moved.position?.stage).toBe("goal_reached");
    } finally {
      await client.close();
    }
  });

  test("reports a caller's abort as an aborted request", async () => {
    const client = createElasticsearchClient({
      url: elasticsearchUrl(),
      Connection: FetchConnection,
    });
    try {
      const controller = new AbortController();
      controller.abort();
      const outcome = await client.cluster.health({}, { signal: controller.signal }).then(
        () => "answered",
        (error: unknown) => (error instanceof Error ? error.name : "unknown"),
      );
      expect(outcome).toBe("RequestAbortedError");
    } finally {
      await client.close();
    }
  });
});
