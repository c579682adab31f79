/**
 * Elasticsearch may run a write long after its client gave up on it: a coordinating node
 * whose connection to the primary's (hung) node breaks sends the request again to the new
 * primary, even past the request's `timeout`. Such a late copy must not overwrite what was
 * acknowledged since. Here the late copy is made by hand: the very request the adapter sent
 * for an earlier write, sent again after a newer write was acknowledged.
 */
import type { DiagnosticResult } from "@elastic/transport";
import { beforeAll, describe, expect, test } from "vitest";
import { trackerEntity } from "../../support/entities.ts";
import { newCustomer, useAdapterFixture } from "../adapter/fixtures.ts";

const crm = useAdapterFixture("late writes");

interface SentRequest {
  method: string;
  path: string;
  querystring?: string;
  body?: string;
}

/** Every write of an entry the client sends, as sent. */
const sentWrites: SentRequest[] = [];

beforeAll(async () => {
  await crm.adapter.entities.create(trackerEntity);
  crm.client.diagnostic.on("request", (_error, result: DiagnosticResult | null) => {
    const params = result?.meta.request.params as SentRequest | undefined;
    if (params && /\/(_update|_create)\//.test(params.path)) sentWrites.push({ ...params });
  });
});

/** Sends a request the adapter sent before, again, as a coordinating node would; its status. */
async function sendAgain(request: SentRequest): Promise<number> {
  const result = await crm.client.transport.request(
    {
      method: request.method,
      path: request.path,
      ...(request.querystring ? { querystring: request.querystring } : {}),
      ...(request.body ? { body: JSON.parse(request.body) as Record<string, unknown> } : {}),
    },
    { meta: true, ignore: [409] },
  );
  return result.statusCode ?? 0;
}

describe("a write that Elasticsearch runs again late", () => {
  test("changes nothing once a newer write was acknowledged: neither the write that created the entry nor a later one", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "late"));
    const set = (value: string) => me.setCrmField({ slug: "tracker", fieldKey: "nickname", value });

    const before = sentWrites.length;
    await set("first");
    const creating = sentWrites.at(-1);
    await set("second");
    const updating = sentWrites.at(-1);
    await set("third");
    expect(sentWrites.length - before).toBe(3);

    for (const late of [creating, updating]) {
      expect(late).toBeDefined();
      expect(await sendAgain(late as SentRequest)).toBe(409);
    }
    const stored = await me.getCrmField({ slug: "tracker", fieldKey: "nickname" });
    expect(stored.value).toBe("third");
  });
});
