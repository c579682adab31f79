/**
 * Least privilege towards Elasticsearch, against a real node with x-pack
 * security on (a one-node local cluster under `.local/`, see proxy/dev/elasticsearch/cluster.ts):
 * setup runs with an elevated credential, the serving proxy (Node, and the
 * Worker inside workerd) with a credential whose role is exactly
 * `proxyRole()`, and everything the proxy does works with it.
 *
 * The role is given to a file-realm user, not to an API key: the integ-test
 * distribution cannot create the `.security` index that API keys live in (its
 * mapping needs the `analysis-common` module, which that distribution lacks:
 * "Unknown filter type [pattern_capture]"). The role descriptor is the one an
 * API key's `role_descriptors` takes, and Elasticsearch enforces it the same way.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Unstable_DevWorker } from "wrangler";
import type { CrmFieldValue } from "#domain";
import { type LocalCluster, startLocalCluster } from "../../proxy/dev/elasticsearch.ts";
import { createElasticsearchClient } from "../../proxy/src/elasticsearch/client.ts";
import { crmIndices } from "../../proxy/src/elasticsearch/indices.ts";
import { ensureCrmIndices, proxyRole } from "../../proxy/src/elasticsearch/setup.ts";
import { type RunningProxy, startProxy } from "../../proxy/src/node.ts";
import { runSetup } from "../../proxy/src/setup.ts";
import { ADMIN_TOKEN, hsToken, newSubject, staffToken, testEnv } from "../proxy/http/support.ts";
import { uniquePrefix } from "../support/elasticsearch.ts";
import { dealsEntity, trackerEntity } from "../support/entities.ts";
import { callAt } from "../support/http.ts";
import { startTestWorker } from "./support.ts";

const prefix = uniquePrefix("least privilege");
const indices = crmIndices({ prefix });
const admin = { username: "crm-admin", password: "crm-admin-password" };
const proxyUser = { username: "crm-proxy", password: "crm-proxy-password" };

let elasticsearch: LocalCluster | undefined;

beforeAll(async () => {
  elasticsearch = await startLocalCluster({
    name: "least-privilege",
    nodes: 1,
    fresh: true,
    security: {
      // JSON is YAML: the role file holds exactly the descriptor the proxy's key gets.
      configFiles: { "roles.yml": JSON.stringify({ crm_proxy: proxyRole(indices) }) },
      users: [
        { ...admin, role: "superuser" },
        { ...proxyUser, role: "crm_proxy" },
      ],
    },
  });
}, 240_000);

afterAll(async () => {
  await elasticsearch?.stop({ removeData: true });
}, 60_000);

function url(): string {
  const url = elasticsearch?.urls[0];
  if (!url) throw new Error("the secured Elasticsearch did not start");
  return url;
}

const proxyCredential = () => ({
  ELASTICSEARCH_URL: url(),
  ELASTICSEARCH_USERNAME: proxyUser.username,
  ELASTICSEARCH_PASSWORD: proxyUser.password,
});

describe("least privilege towards a secured Elasticsearch", () => {
  test("the proxy's credential cannot set up indices, and a proxy without setup refuses to start", async () => {
    const client = createElasticsearchClient({
      url: url(),
      username: proxyUser.username,
      password: proxyUser.password,
    });
    try {
      await expect(ensureCrmIndices(client, indices)).rejects.toMatchObject({ code: "forbidden" });
    } finally {
      await client.close();
    }
    await expect(
      startProxy(testEnv(prefix, { ...proxyCredential(), PORT: "0" })),
    ).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("npm run setup"),
    });
  });

  test("npm run setup with the elevated credential creates the indices, then the Node proxy serves every route with the proxy's credential", async () => {
    await runSetup({
      ELASTICSEARCH_URL: url(),
      ELASTICSEARCH_USERNAME: admin.username,
      ELASTICSEARCH_PASSWORD: admin.password,
      CRM_INDEX_PREFIX: prefix,
    });
    let proxy: RunningProxy | undefined;
    try {
      proxy = await startProxy(testEnv(prefix, { ...proxyCredential(), PORT: "0" }));
      const base = `${proxy.url}/v1`;
      // Back office: create and update definitions (create, compare-and-set index), list them (search).
      expect(
        (await callAt(base, "POST", "/admin/entities", ADMIN_TOKEN, trackerEntity)).status,
      ).toBe(201);
      expect((await callAt(base, "POST", "/admin/entities", ADMIN_TOKEN, dealsEntity)).status).toBe(
        201,
      );
      expect(
        (await callAt(base, "PUT", "/admin/entities/tracker", ADMIN_TOKEN, trackerEntity)).status,
      ).toBe(200);
      expect((await callAt(base, "GET", "/admin/entities", ADMIN_TOKEN)).status).toBe(200);

      // A new visitor: customer creation (create-only write), field writes (partial update
      // with upsert), a stage move, a many-entry create, reads by id (mget) and by search.
      const token = await hsToken(newSubject("least"));
      const set = await callAt(base, "PUT", "/entries/tracker/fields/current_weight", token, {
        value: 81.5,
      });
      expect(set.status).toBe(200);
      const read = await callAt(base, "GET", "/entries/tracker/fields/current_weight", token);
      expect((read.body as CrmFieldValue).value).toBe(81.5);
      expect(
        (
          await callAt(base, "PUT", "/entries/tracker/stages/progress", token, {
            stage: "starting",
          })
        ).status,
      ).toBe(200);
      expect(
        (await callAt(base, "POST", "/entries/deals", token, { values: { title: "Plan" } })).status,
      ).toBe(201);
      const deals = await callAt(base, "GET", "/entries/deals", token);
      expect(deals.status).toBe(200);
      expect((deals.body as { entries: unknown[] }).entries).toHaveLength(1);
      const batch = await callAt(base, "POST", "/batch", token, {
        calls: [
          { op: "getCrmEntity", args: { slug: "tracker" } },
          { op: "getCrmEntries", args: { slug: "tracker" } },
        ],
      });
      expect(batch.body).toMatchObject({ results: [{ ok: true }, { ok: true }] });

      // The back office deletes documents: an entry, an entity with its entries, a customer.
      const admin = await staffToken("owner", "admin");
      // The customer's id from their own entry: the customer search would first need a refresh.
      const deal = (deals.body as { entries: { id: string; reference: { id: string } }[] })
        .entries[0];
      const customerId = deal?.reference.id;
      expect(customerId).toMatch(/^c_/);
      const removed = await callAt(base, "POST", "/staff/batch", admin, {
        calls: [
          {
            op: "deleteCrmEntry",
            args: { slug: "deals", entryId: deal?.id, referenceId: customerId },
          },
        ],
      });
      expect(removed.body).toMatchObject({ results: [{ ok: true, data: { deleted: true } }] });
      expect(
        (await callAt(base, "DELETE", "/staff/entities/deals?deleteEntries=true", admin)).status,
      ).toBe(200);
      const erased = await callAt(base, "DELETE", `/staff/customers/${customerId}`, admin);
      expect(erased.status).toBe(200);
      expect(erased.body).toMatchObject({ customerId, customer: true });
    } finally {
      await proxy?.close();
    }
  });

  test("the Worker inside workerd serves with the proxy's credential too", async () => {
    let worker: Unstable_DevWorker | undefined;
    try {
      worker = await startTestWorker({
        ...proxyCredential(),
        CRM_INDEX_PREFIX: prefix,
      });
      const token = await hsToken(newSubject("least-worker"));
      const response = await worker.fetch("http://127.0.0.1/v1/entries/tracker/fields/nickname", {
        method: "PUT",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ value: "Worker" }),
      });
      expect(response.status, await response.clone().text()).toBe(200);
      const read = await worker.fetch("http://127.0.0.1/v1/entries/tracker/fields/nickname", {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(((await read.json()) as CrmFieldValue).value).toBe("Worker");
    } finally {
      await worker?.stop();
    }
  }, 120_000);

  test("the proxy's credential reaches nothing but the CRM indices, and cannot delete an index", async () => {
    const superuser = createElasticsearchClient({ url: url(), ...admin });
    const restricted = createElasticsearchClient({ url: url(), ...proxyUser });
    try {
      await superuser.indices.create({ index: `${prefix}other` });
      await superuser.index({ index: `${prefix}other`, id: "1", document: { secret: 1 } });
      const status = (promise: Promise<unknown>) =>
        promise.then(
          () => 200,
          (error: { meta?: { statusCode?: number } }) => error.meta?.statusCode,
        );
      expect(await status(restricted.get({ index: `${prefix}other`, id: "1" }))).toBe(403);
      expect(await status(restricted.indices.delete({ index: indices.entries }))).toBe(403);
      expect(await status(restricted.delete({ index: `${prefix}other`, id: "1" }))).toBe(403);
      expect(await status(restricted.indices.getMapping({ index: indices.entries }))).toBe(403);
      expect(
        await status(
          restricted.cluster.putSettings({
            persistent: { "indices.recovery.max_bytes_per_sec": "50mb" },
          }),
        ),
      ).toBe(403);
    } finally {
      await Promise.all([superuser.close(), restricted.close()]);
    }
  });
});
