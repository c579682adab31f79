/**
 * Property-based hardening: thousands of generated hostile requests against
 * the whole proxy app over the real Elasticsearch. Whatever arrives, the proxy
 * answers without a 5xx, with a JSON error whose code is one of the stable
 * codes (and whose status is that code's status), and never with another
 * customer's data or a hidden field's value.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { ERROR_STATUS, isErrorCode } from "#domain";
import { referenceEntryId } from "../../../proxy/src/adapter/ids.ts";
import { testClient } from "../../support/elasticsearch.ts";
import { testEntities } from "../../support/entities.ts";
import {
  ADMIN_TOKEN,
  createTestProxy,
  hsToken,
  ISSUER,
  newSubject,
  type TestProxy,
} from "../http/support.ts";
import {
  type Credential,
  type GeneratedRequest,
  type RouteKind,
  requestArbitrary,
  type Targets,
} from "./generators.ts";

/** Requests per property run, sent concurrently; runs × this ≥ 10,000. */
const REQUESTS_PER_RUN = 20;
const RUNS = 600;

const marker = (label: string) => `${label}${Math.random().toString(36).slice(2, 10)}`;
/** Values only the other customer (or nobody, for hidden fields) may ever see. */
const secrets = {
  victimNickname: marker("Vn"),
  victimNote: marker("VICTIMNOTE"),
  victimDeal: marker("VICTIMDEAL"),
  ownHiddenNote: marker("HIDDENNOTE"),
};

interface Tally {
  requests: number;
  calls: number;
  byKind: Map<RouteKind, number>;
  byStatus: Map<number, number>;
  byCode: Map<string, number>;
}

describe("hostile requests to every route", () => {
  let proxy: TestProxy;
  let targets: Targets;
  let victimId: string;
  const tokens = new Map<Credential, () => string>();

  beforeAll(async () => {
    proxy = await createTestProxy({
      name: "hardening properties",
      env: { RATE_LIMIT_PER_MINUTE: "1000000" },
      entities: testEntities,
    });
    const victim = await proxy.adapter.resolveCustomer({
      issuer: ISSUER,
      subject: newSubject("victim"),
    });
    const attackerSubject = newSubject("attacker");
    const attacker = await proxy.adapter.resolveCustomer({
      issuer: ISSUER,
      subject: attackerSubject,
    });
    victimId = victim.id;
    const asVictim = proxy.adapter.forCustomer(victim.id);
    await asVictim.setCrmField({
      slug: "tracker",
      fieldKey: "nickname",
      value: secrets.victimNickname,
    });
    await proxy.adapter.setCrmField({
      slug: "tracker",
      fieldKey: "coach_notes",
      value: secrets.victimNote,
      referenceId: victim.id,
    });
    const victimDeal = await asVictim.createCrmEntry({
      slug: "deals",
      values: { title: secrets.victimDeal },
    });
    const asAttacker = proxy.adapter.forCustomer(attacker.id);
    await asAttacker.setCrmField({ slug: "tracker", fieldKey: "nickname", value: "me" });
    await proxy.adapter.setCrmField({
      slug: "tracker",
      fieldKey: "coach_notes",
      value: secrets.ownHiddenNote,
      referenceId: attacker.id,
    });
    const ownDeal = await asAttacker.createCrmEntry({ slug: "deals", values: { title: "mine" } });
    const customer = (id: string) => ({ type: "customer", id });
    targets = {
      victimId,
      victimEntryIds: [referenceEntryId("tracker", customer(victim.id)), victimDeal.id],
      ownEntryIds: [referenceEntryId("tracker", customer(attacker.id)), ownDeal.id],
    };

    const now = Math.floor(Date.now() / 1000);
    const attackerToken = await hsToken(attackerSubject, { exp: now + 600 });
    const expired = await hsToken(newSubject("expired"), { iat: now - 120, exp: now - 60 });
    const newcomers = await Promise.all(
      Array.from({ length: 16 }, () => hsToken(newSubject("newcomer"), { exp: now + 600 })),
    );
    let next = 0;
    tokens.set("customer", () => attackerToken);
    tokens.set("expired", () => expired);
    tokens.set("garbage", () => "not.a.jwt");
    tokens.set("admin", () => ADMIN_TOKEN);
    tokens.set("newcomer", () => newcomers[next++ % newcomers.length] as string);
  });

  async function send(request: GeneratedRequest): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = tokens.get(request.credential)?.();
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    if (request.contentType !== undefined) headers["Content-Type"] = request.contentType;
    return proxy.app.request(request.path, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
  }

  /** Every invariant one answer must hold; throws naming the request that broke one. */
  function check(request: GeneratedRequest, response: Response, text: string, tally: Tally): void {
    const where = `${request.method} ${request.path.slice(0, 200)} (${request.credential}) body ${request.body?.slice(0, 300)}`;
    if (response.status >= 500)
      throw new Error(`${response.status} for ${where}: ${text.slice(0, 300)}`);
    for (const secret of Object.values(secrets)) {
      if (text.includes(secret)) throw new Error(`secret ${secret} leaked to ${where}`);
    }
    if (request.method === "HEAD" || response.status === 204) return;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`non-JSON ${response.status} for ${where}: ${text.slice(0, 200)}`);
    }
    if (!(response.headers.get("content-type") ?? "").startsWith("application/json")) {
      throw new Error(`content type ${response.headers.get("content-type")} for ${where}`);
    }
    if (response.status >= 400) {
      const code = stableCode(body, where);
      if (ERROR_STATUS[code] !== response.status) {
        throw new Error(`code ${code} came with status ${response.status} for ${where}`);
      }
      tally.byCode.set(code, (tally.byCode.get(code) ?? 0) + 1);
      return;
    }
    if (request.credential === "admin") return;
    if (request.kind === "batch") {
      const results = (body as { results?: unknown }).results;
      if (!Array.isArray(results)) throw new Error(`batch without results for ${where}`);
      for (const result of results as { ok: boolean; data?: unknown; error?: unknown }[]) {
        if (result.ok) noForeignData(result.data, where);
        else {
          const code = stableCode({ error: result.error }, where);
          tally.byCode.set(code, (tally.byCode.get(code) ?? 0) + 1);
        }
      }
      return;
    }
    noForeignData(body, where);
  }

  function stableCode(body: unknown, where: string): keyof typeof ERROR_STATUS {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (!isErrorCode(error?.code) || typeof error?.message !== "string") {
      throw new Error(
        `not a stable JSON error for ${where}: ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
    return error.code;
  }

  /** Data answered to the attacker names no other customer and none of their entries. */
  function noForeignData(data: unknown, where: string): void {
    const text = JSON.stringify(data) ?? "";
    for (const foreign of [victimId, ...targets.victimEntryIds]) {
      if (text.includes(foreign)) throw new Error(`foreign id ${foreign} in data for ${where}`);
    }
  }

  test(`${RUNS * REQUESTS_PER_RUN} generated requests: never a 5xx, always a stable JSON error, never another customer's data`, async () => {
    const tally: Tally = {
      requests: 0,
      calls: 0,
      byKind: new Map(),
      byStatus: new Map(),
      byCode: new Map(),
    };
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(requestArbitrary(targets), {
          minLength: REQUESTS_PER_RUN,
          maxLength: REQUESTS_PER_RUN,
        }),
        async (requests) => {
          await Promise.all(
            requests.map(async (request) => {
              const response = await send(request);
              const text = await response.text();
              tally.requests += 1;
              tally.calls += request.calls;
              tally.byKind.set(request.kind, (tally.byKind.get(request.kind) ?? 0) + 1);
              tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1);
              check(request, response, text, tally);
            }),
          );
        },
      ),
      // Shrinking would replay hundreds of real requests; the failing request is named in the error.
      { numRuns: RUNS, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;
    const sorted = (map: Map<string | number, number>) =>
      [...map]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");
    console.log(
      `hardening properties: ${tally.requests} HTTP requests carrying ${tally.calls} operations in ${seconds.toFixed(1)} s\n` +
        `  by route: ${sorted(tally.byKind)}\n  by status: ${sorted(tally.byStatus)}\n  error codes: ${sorted(tally.byCode)}`,
    );
    expect(tally.requests).toBeGreaterThanOrEqual(10_000);
    // Every route family was exercised, and the generators reached past validation into
    // the store (200s) as well as every layer of refusal.
    for (const kind of [
      "batch",
      "entries.list",
      "entries.create",
      "field.get",
      "field.put",
      "stage.get",
      "stage.put",
      "entity.get",
      "meta",
      "admin",
      "unrouted",
    ] satisfies RouteKind[]) {
      expect(tally.byKind.get(kind) ?? 0, kind).toBeGreaterThan(50);
    }
    for (const status of [200, 400, 401, 403, 404, 413]) {
      expect(tally.byStatus.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
    }
  }, 240_000);

  test("after the storm, the other customer's entries are exactly as they were", async () => {
    const asVictim = proxy.adapter.forCustomer(victimId);
    const tracker = await asVictim.getCrmEntries({ slug: "tracker" });
    expect(tracker).toHaveLength(1);
    expect(tracker[0]?.values).toEqual({ nickname: secrets.victimNickname });
    const deals = await asVictim.getCrmEntries({ slug: "deals" });
    expect(deals.map((deal) => deal.values.title)).toEqual([secrets.victimDeal]);
    const note = await proxy.adapter.getCrmField({
      slug: "tracker",
      fieldKey: "coach_notes",
      referenceId: victimId,
    });
    expect(note.value).toBe(secrets.victimNote);
    const es = testClient();
    await es.indices.refresh({ index: `${proxy.config.indexPrefix}crm_entries` });
    const stored = await es.count({
      index: `${proxy.config.indexPrefix}crm_entries`,
      query: { term: { reference_id: victimId } },
    });
    expect(stored.count).toBe(2);
  });
});
