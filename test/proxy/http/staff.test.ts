import { base64url } from "jose";
import { describe, expect, test } from "vitest";
import type { CrmEntry, EntityDefinitionInput } from "#domain";
import { customerIdFor } from "../../../proxy/src/adapter/ids.ts";
import { testEntities, trackerEntity } from "../../support/entities.ts";
import {
  ADMIN_TOKEN,
  errorOf,
  hsToken,
  ISSUER,
  newSubject,
  STAFF_ROUTES,
  staffToken,
  useTestProxy,
} from "./support.ts";

const now = () => Math.floor(Date.now() / 1000);

/** Ways a staff credential can be wrong, each with its own stable code. */
const BAD_STAFF: {
  name: string;
  status: number;
  code: string;
  token: () => Promise<string | undefined>;
}[] = [
  { name: "no token", status: 401, code: "unauthenticated", token: async () => undefined },
  {
    name: "an expired staff token",
    status: 401,
    code: "token_expired",
    token: () => staffToken("ann", "admin", { iat: now() - 600, exp: now() - 60 }),
  },
  {
    name: "a staff token from another issuer (foreign)",
    status: 401,
    code: "token_foreign",
    token: () => staffToken("ann", "admin", { iss: "https://evil.test" }),
  },
  {
    name: "a staff token signed with another secret (forged)",
    status: 401,
    code: "token_invalid",
    token: () => staffToken("ann", "admin", {}, "another-secret-0123456789abcdef-xyz"),
  },
  {
    name: "a staff token whose role was raised (tampered)",
    status: 401,
    code: "token_invalid",
    token: async () => {
      const [header, payload, signature] = (await staffToken("ann", "staff")).split(".");
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
      const raised = base64url.encode(JSON.stringify({ ...claims, role: "admin" }));
      return `${header}.${raised}.${signature}`;
    },
  },
  {
    name: "a staff token without a role",
    status: 401,
    code: "token_invalid",
    token: () => staffToken("ann", null),
  },
  {
    name: "a customer's valid session",
    status: 403,
    code: "staff_token_required",
    token: () => hsToken(newSubject()),
  },
  {
    name: "the ADMIN_TOKEN (server-to-server only, never a staff token)",
    status: 401,
    code: "token_invalid",
    token: async () => ADMIN_TOKEN,
  },
];

const proxy = useTestProxy({ name: "http staff", entities: testEntities });

describe.each(STAFF_ROUTES)("$method $path refuses a bad staff credential", (route) => {
  test.each(BAD_STAFF)("$name → $status $code", async ({ token, status, code }) => {
    const response = await proxy.call(route.method, route.path, {
      token: await token(),
      body: route.body,
    });
    expect(response.status).toBe(status);
    expect(await errorOf(response)).toMatchObject({ code });
  });

  if (route.adminOnly) {
    test("a staff member without the admin role → 403 admin_role_required", async () => {
      const response = await proxy.call(route.method, route.path, {
        token: await staffToken("sam", "staff"),
        body: route.body,
      });
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toMatchObject({ code: "admin_role_required" });
    });
  }

  test("the right role passes (the cases above fail for the reason they name)", async () => {
    const response = await proxy.call(route.method, route.path, {
      token: await staffToken("ann", route.adminOnly ? "admin" : "staff"),
      body: route.body,
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  });
});

describe("a staff token is no customer session", () => {
  test("a staff token on a customer route → 401, whatever its role", async () => {
    for (const role of ["staff", "admin"]) {
      const response = await proxy.call("GET", "/v1/entries/tracker", {
        token: await staffToken("ann", role),
      });
      expect(response.status).toBe(401);
    }
  });
});

/** A customer with entries of 3 entities: the tracker (one entry) and two deals. */
async function customerWithThreeEntities(subject: string) {
  const token = await hsToken(subject);
  const id = customerIdFor(ISSUER, subject);
  const put = await proxy.call("PUT", "/v1/entries/tracker/fields/nickname", {
    token,
    body: { value: "Kim" },
  });
  expect(put.status).toBe(200);
  for (const title of ["Gym", "Shoes"]) {
    const created = await proxy.call("POST", "/v1/entries/deals", {
      token,
      body: { values: { title } },
    });
    expect(created.status).toBe(201);
  }
  return { token, id };
}

describe("export and erase", () => {
  test("export is one document with the customer, every entry and who wrote it; erase removes all of it, idempotently", async () => {
    const subject = newSubject("export");
    const { token, id } = await customerWithThreeEntities(subject);
    const staff = await staffToken("sam", "staff");
    const admin = await staffToken("ann", "admin");

    let exported: Response | undefined;
    const exportRequests = await proxy.requestsDuring(async () => {
      exported = await proxy.call("GET", `/v1/staff/customers/${id}/export`, { token: staff });
    });
    const document = (await exported?.json()) as {
      customer: { id: string; subject: string };
      entities: { slug: string }[];
      entries: CrmEntry[];
      history: unknown[];
    };
    expect(document.customer).toMatchObject({ id, subject });
    expect(document.entities.map((entity) => entity.slug).sort()).toEqual(["deals", "tracker"]);
    expect(document.entries).toHaveLength(3);
    for (const entry of document.entries) {
      expect(entry.updatedBy).toEqual({ type: "customer", id });
    }
    console.log(`Elasticsearch requests per export (3 entries): ${exportRequests}`);
    expect(exportRequests).toBeLessThanOrEqual(5);

    let erased: Response | undefined;
    const eraseRequests = await proxy.requestsDuring(async () => {
      erased = await proxy.call("DELETE", `/v1/staff/customers/${id}`, { token: admin });
    });
    expect(await erased?.json()).toEqual({
      customerId: id,
      customer: true,
      entries: 3,
      history: 0,
    });
    console.log(`Elasticsearch requests per erase (3 entries): ${eraseRequests}`);
    expect(eraseRequests).toBeLessThanOrEqual(3);

    const again = await proxy.call("DELETE", `/v1/staff/customers/${id}`, { token: admin });
    expect(await again.json()).toEqual({ customerId: id, customer: false, entries: 0, history: 0 });

    const after = await proxy.call("GET", `/v1/staff/customers/${id}/export`, { token: staff });
    expect(await after.json()).toMatchObject({ customer: null, entries: [], history: [] });
    // A new visit of the same subject starts empty, with a customer record again.
    const visit = await proxy.call("GET", "/v1/entries/deals", { token });
    expect(await visit.json()).toEqual({ entries: [] });
    expect(await proxy.adapter.getCustomer(id)).toMatchObject({ id, subject });
  });

  test("find customers by subject prefix, newest first, with entry counts per entity", async () => {
    const stem = newSubject("finder");
    const first = await customerWithThreeEntities(`${stem}-a`);
    const second = await customerWithThreeEntities(`${stem}-b`);
    const staff = await staffToken("sam", "staff");
    const page = await proxy.call("GET", `/v1/staff/customers?query=${stem}&size=1`, {
      token: staff,
    });
    const one = (await page.json()) as {
      customers: { id: string; entries: Record<string, number> }[];
      next: string | null;
    };
    expect(one.customers.map((customer) => customer.id)).toEqual([second.id]);
    expect(one.customers[0]?.entries).toEqual({ tracker: 1, deals: 2 });
    const rest = await proxy.call(
      "GET",
      `/v1/staff/customers?query=${stem}&size=1&after=${encodeURIComponent(one.next ?? "")}`,
      { token: staff },
    );
    const two = (await rest.json()) as { customers: { id: string }[]; next: string | null };
    expect(two.customers.map((customer) => customer.id)).toEqual([first.id]);
    expect(two.next).toBeNull();
    const byId = await proxy.call("GET", `/v1/staff/customers?query=${first.id.slice(0, 12)}`, {
      token: staff,
    });
    const found = (await byId.json()) as { customers: { id: string }[] };
    expect(found.customers.map((customer) => customer.id)).toContain(first.id);
  });
});

describe("updatedBy names every kind of writer, and only staff and backend see it", () => {
  test("customer, staff and backend writes", async () => {
    const subject = newSubject("writers");
    const token = await hsToken(subject);
    const id = customerIdFor(ISSUER, subject);
    const field = { slug: "tracker", fieldKey: "nickname", referenceId: id };
    const entriesAs = async () => {
      return proxy.adapter.getCrmEntries({ slug: "tracker", referenceId: id });
    };
    await proxy.call("PUT", "/v1/entries/tracker/fields/nickname", {
      token,
      body: { value: "Me" },
    });
    expect((await entriesAs())[0]?.updatedBy).toEqual({ type: "customer", id });

    const staffCall = await proxy.call("POST", "/v1/staff/batch", {
      token: await staffToken("sam@shop.test", "staff"),
      body: { calls: [{ op: "setCrmField", args: { ...field, value: "Staff" } }] },
    });
    expect(staffCall.status).toBe(200);
    expect((await entriesAs())[0]?.updatedBy).toEqual({ type: "staff", id: "sam@shop.test" });

    await proxy.adapter.setCrmField({ ...field, value: "Backend" });
    expect((await entriesAs())[0]?.updatedBy).toEqual({ type: "backend", id: null });

    const own = await proxy.call("GET", "/v1/entries/tracker", { token });
    const { entries } = (await own.json()) as { entries: CrmEntry[] };
    expect(entries[0]?.values.nickname).toBe("Backend");
    expect(entries[0]).not.toHaveProperty("updatedBy");
  });

  test("staff reach hidden fields and customers' stages, and delete entries; customers may not delete", async () => {
    const subject = newSubject("staff-ops");
    const { token, id } = await customerWithThreeEntities(subject);
    const staff = await staffToken("sam", "staff");
    const { results } = (await (
      await proxy.call("POST", "/v1/staff/batch", {
        token: staff,
        body: {
          calls: [
            {
              op: "setCrmField",
              args: { slug: "tracker", fieldKey: "coach_notes", value: "Hidden", referenceId: id },
            },
            {
              op: "setCrmStage",
              args: { slug: "tracker", pipeline: "review", stage: "done", referenceId: id },
            },
            { op: "getCrmEntries", args: { slug: "deals", referenceId: id } },
          ],
        },
      })
    ).json()) as { results: { ok: boolean; data: unknown }[] };
    expect(results.map((result) => result.ok)).toEqual([true, true, true]);
    const deals = results[2]?.data as CrmEntry[];
    const deal = deals[0] as CrmEntry;
    const remove = {
      op: "deleteCrmEntry",
      args: { slug: "deals", entryId: deal.id, referenceId: id },
    };
    const refused = (await (
      await proxy.call("POST", "/v1/batch", {
        token,
        body: { calls: [{ ...remove, args: { slug: "deals", entryId: deal.id } }] },
      })
    ).json()) as { results: { ok: boolean; error?: { code: string } }[] };
    expect(refused.results[0]).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    const deleteOnce = async () => {
      const response = await proxy.call("POST", "/v1/staff/batch", {
        token: staff,
        body: { calls: [remove] },
      });
      const { results } = (await response.json()) as { results: { data: { deleted: boolean } }[] };
      return results[0]?.data.deleted;
    };
    expect(await deleteOnce()).toBe(true);
    expect(await deleteOnce()).toBe(false);
  });
});

describe("entity definitions: breaking changes and deletions are refused unless accepted", () => {
  const scratch = {
    ...trackerEntity,
    slug: "scratch-tracker",
    name: "Scratch tracker",
  } satisfies EntityDefinitionInput;

  test("a type change, a removed option in use and a removed stage in use name how many entries break and where", async () => {
    const admin = await staffToken("ann", "admin");
    expect(
      (await proxy.call("POST", "/v1/staff/entities", { token: admin, body: scratch })).status,
    ).toBe(201);
    for (const name of ["one", "two"]) {
      const referenceId = customerIdFor(ISSUER, newSubject(name));
      await proxy.adapter.setCrmField({
        slug: scratch.slug,
        fieldKey: "plan",
        value: "premium",
        referenceId,
      });
      await proxy.adapter.setCrmField({
        slug: scratch.slug,
        fieldKey: "nickname",
        value: name,
        referenceId,
      });
      await proxy.adapter.setCrmStage({
        slug: scratch.slug,
        pipeline: "progress",
        stage: "starting",
        referenceId,
      });
    }
    await proxy.searchable();
    const changed = {
      ...scratch,
      fields: scratch.fields.map((field) => {
        if (field.key === "nickname")
          return { key: "nickname", label: "Nickname", type: "number" as const };
        if (field.key === "plan")
          return { ...field, options: [{ value: "basic", label: "Basic" }] };
        return field;
      }),
      pipelines: scratch.pipelines.map((pipeline) =>
        pipeline.key === "progress"
          ? { ...pipeline, stages: pipeline.stages.filter((stage) => stage.key !== "starting") }
          : pipeline,
      ),
    };
    const refused = await proxy.call("PUT", `/v1/staff/entities/${scratch.slug}`, {
      token: admin,
      body: changed,
    });
    expect(refused.status).toBe(409);
    const { message, code, field } = await errorOf(refused);
    expect(code).toBe("breaking_change");
    expect(field, "the first input concerned, as an editor's path").toBe("fields.2.type");
    expect(message).toContain("would break 6 stored entries");
    expect(message).toContain('field "nickname" changes type from text to number (2)');
    expect(message).toContain('select option "premium" of field "plan" is removed (2)');
    expect(message).toContain('stage "starting" of pipeline "progress" is removed (2)');
    const kept = await proxy.call("GET", "/v1/staff/entities", { token: admin });
    const { entities } = (await kept.json()) as {
      entities: { slug: string; fields: { key: string; type: string }[] }[];
    };
    const stored = entities.find((entity) => entity.slug === scratch.slug);
    expect(stored?.fields.find((field) => field.key === "nickname")?.type).toBe("text");

    const accepted = await proxy.call(
      "PUT",
      `/v1/staff/entities/${scratch.slug}?acceptBreaking=true`,
      {
        token: admin,
        body: changed,
      },
    );
    expect(accepted.status).toBe(200);

    const deleteRefused = await proxy.call("DELETE", `/v1/staff/entities/${scratch.slug}`, {
      token: admin,
    });
    expect(deleteRefused.status).toBe(409);
    expect((await errorOf(deleteRefused)).message).toContain("has 2 stored entries");
    const deleted = await proxy.call(
      "DELETE",
      `/v1/staff/entities/${scratch.slug}?deleteEntries=true`,
      {
        token: admin,
      },
    );
    expect(await deleted.json()).toEqual({ slug: scratch.slug, deletedEntries: 2 });
  });
});
