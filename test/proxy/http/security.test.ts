import { base64url, SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, test } from "vitest";
import type { CrmEntry, CrmFieldValue } from "#domain";
import { customerIdFor } from "../../../proxy/src/adapter/ids.ts";
import {
  ADMIN_TOKEN,
  AUDIENCE,
  createTestProxy,
  type ExpectedError,
  errorOf,
  expectRefused,
  hsToken,
  ISSUER,
  type JwksServer,
  newSubject,
  SESSION_SECRET,
  STAFF_ROUTES,
  type TestProxy,
  type TestRequest,
  useJwksProxy,
} from "./support.ts";

/**
 * Every route that acts for a session customer. The OpenAPI test below fails
 * when a route is added without being listed here, so no route can skip the
 * shared security cases.
 */
const CUSTOMER_ROUTES: { method: string; path: string; body?: unknown }[] = [
  {
    method: "POST",
    path: "/v1/batch",
    body: { calls: [{ op: "getCrmEntity", args: { slug: "tracker" } }] },
  },
  { method: "GET", path: "/v1/entities/tracker" },
  { method: "GET", path: "/v1/entries/tracker" },
  { method: "POST", path: "/v1/entries/deals", body: { values: { title: "x" } } },
  { method: "GET", path: "/v1/entries/tracker/fields/nickname" },
  { method: "PUT", path: "/v1/entries/tracker/fields/nickname", body: { value: "x" } },
  { method: "GET", path: "/v1/entries/tracker/stages/progress" },
  { method: "PUT", path: "/v1/entries/tracker/stages/progress", body: { stage: "starting" } },
  { method: "GET", path: "/v1/entries/tracker/fields/current_weight/history" },
  { method: "GET", path: "/v1/entries/tracker/stages/progress/history" },
];

const ADMIN_ROUTES: { method: string; path: string; body?: unknown }[] = [
  { method: "GET", path: "/v1/admin/entities" },
  { method: "POST", path: "/v1/admin/entities", body: { slug: "intruder", name: "Intruder" } },
  { method: "GET", path: "/v1/admin/entities/tracker" },
  {
    method: "PUT",
    path: "/v1/admin/entities/tracker",
    body: { slug: "tracker", name: "Taken over" },
  },
  { method: "GET", path: "/v1/admin/customers/c_someone/entries" },
];

const now = () => Math.floor(Date.now() / 1000);

/** Ways a session token can be wrong; each must end in 401 `unauthenticated`. */
const BAD_SESSIONS: { name: string; token: (jwks: JwksServer) => Promise<string | undefined> }[] = [
  { name: "no token", token: async () => undefined },
  {
    name: "an expired token",
    token: () => hsToken(newSubject(), { iat: now() - 600, exp: now() - 60 }),
  },
  {
    name: "a token for another audience",
    token: () => hsToken(newSubject(), { aud: "another-app" }),
  },
  {
    name: "a token from another issuer",
    token: () => hsToken(newSubject(), { iss: "https://evil.test" }),
  },
  {
    name: "an unsigned token (alg: none)",
    token: async () =>
      new UnsecuredJWT({ sub: newSubject() })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime("5m")
        .encode(),
  },
  {
    name: "an HS256 token signed with the JWKS public key as secret (HS/RS confusion)",
    token: (jwks) => hsToken(newSubject(), {}, new TextEncoder().encode(jwks.publicKeyPem)),
  },
  {
    name: "a token whose payload was tampered with",
    token: async () => {
      const [header, , signature] = (await hsToken("honest-visitor")).split(".");
      const forged = base64url.encode(
        JSON.stringify({
          iss: ISSUER,
          aud: AUDIENCE,
          sub: "someone-else",
          iat: now(),
          exp: now() + 300,
        }),
      );
      return `${header}.${forged}.${signature}`;
    },
  },
  { name: "a token without exp", token: () => hsToken(newSubject(), { exp: undefined }) },
  {
    name: "a token without iat (its age is unknown)",
    token: () => hsToken(newSubject(), { iat: undefined }),
  },
  { name: "a token without sub", token: () => hsToken("", { sub: undefined }) },
  {
    name: "a token older than SESSION_MAX_AGE",
    token: () => hsToken(newSubject(), { iat: now() - 7_200, exp: now() + 300 }),
  },
  {
    name: "a token signed with another secret",
    token: () => hsToken(newSubject(), {}, "another-secret-0123456789abcdef-xyz"),
  },
  { name: "a malformed token", token: async () => "not.a.jwt" },
  { name: "a token whose sub is a number", token: () => hsToken("", { sub: 12_345 }) },
  { name: "a token whose sub is an object", token: () => hsToken("", { sub: { id: "x" } }) },
  {
    name: "a token typed for another use (typ: at+jwt)",
    token: () =>
      new SignJWT({ sub: newSubject() })
        .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(SESSION_SECRET)),
  },
];

const { proxy, jwks } = useJwksProxy("http security");
let jwksOnly: TestProxy;

beforeAll(async () => {
  // Same indices, but the only session keys are the JWKS: the setup HS/RS confusion targets.
  jwksOnly = await createTestProxy({
    prefix: proxy.config.indexPrefix,
    env: { SESSION_SECRET: undefined, SESSION_JWKS_URL: jwks.url },
  });
});

describe.each(CUSTOMER_ROUTES)("$method $path refuses a bad session", (route) => {
  test.each(BAD_SESSIONS)("$name → 401 unauthenticated", async ({ token }) => {
    for (const target of [proxy, jwksOnly]) {
      const response = await target.call(route.method, route.path, {
        token: await token(jwks),
        body: route.body,
      });
      expect(response.status).toBe(401);
      expect(await errorOf(response)).toMatchObject({ code: "unauthenticated" });
      expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
    }
  });

  test("a Basic credential instead of a bearer token → 401", async () => {
    const response = await proxy.call(route.method, route.path, {
      body: route.body,
      headers: { Authorization: `Basic ${btoa("admin:admin")}` },
    });
    expect(response.status).toBe(401);
  });

  test("the admin credential is not a session → 401", async () => {
    const response = await proxy.call(route.method, route.path, {
      token: ADMIN_TOKEN,
      body: route.body,
    });
    expect(response.status).toBe(401);
  });

  test("a valid session passes (the cases above fail for the reason they name)", async () => {
    const response = await proxy.call(route.method, route.path, {
      token: await hsToken(newSubject()),
      body: route.body,
    });
    expect(response.status).toBeLessThan(300);
    const rsResponse = await jwksOnly.call(route.method, route.path, {
      token: await jwks.rsToken(newSubject()),
      body: route.body,
    });
    expect(rsResponse.status).toBeLessThan(300);
  });
});

describe("the route tables cover every route", () => {
  test("every route of the OpenAPI document is in the customer or the admin table", async () => {
    const document = (await (await proxy.call("GET", "/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        scheme: Object.keys(operation.security?.[0] ?? {})[0] ?? "public",
      })),
    );
    const pattern = (path: string) => path.replace(/\{[^}]+\}/g, "[^/]+");
    const covered = (table: { method: string; path: string }[], route: string) =>
      table.some((entry) =>
        new RegExp(`^${pattern(route)}$`).test(`${entry.method} ${entry.path}`),
      );
    for (const { route, scheme } of documented) {
      if (scheme === "session") expect(covered(CUSTOMER_ROUTES, route), route).toBe(true);
      else if (scheme === "staff") expect(covered(STAFF_ROUTES, route), route).toBe(true);
      else if (scheme === "admin") expect(covered(ADMIN_ROUTES, route), route).toBe(true);
      else expect(["GET /v1/health"], route).toContain(route);
    }
  });
});

/** Credentials that are not the admin token: each is refused as forbidden on an admin route. */
const NOT_ADMIN: { credential: string; token: () => Promise<string> | string }[] = [
  { credential: "a wrong credential", token: () => `${ADMIN_TOKEN.slice(0, -1)}x` },
  { credential: "a valid customer session", token: () => hsToken(newSubject()) },
  { credential: "the session secret as credential", token: () => SESSION_SECRET },
];

describe.each(ADMIN_ROUTES)("$method $path needs the admin credential", (route) => {
  test("without a credential → 401", async () => {
    const response = await proxy.call(route.method, route.path, { body: route.body });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: "unauthenticated" });
  });

  test.each(NOT_ADMIN)("with $credential → 403", async ({ token }) => {
    const response = await proxy.call(route.method, route.path, {
      token: await token(),
      body: route.body,
    });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: "forbidden" });
  });
});

describe("each route kind runs only its own guards", () => {
  test("a customer session on an admin route resolves no customer record", async () => {
    const subject = newSubject("admin-route-visitor");
    const response = await proxy.call("GET", "/v1/admin/entities", {
      token: await hsToken(subject),
    });
    expect(response.status).toBe(403);
    expect(await proxy.adapter.getCustomer(customerIdFor(ISSUER, subject))).toBeNull();
  });

  test("the admin credential on an admin route counts against no customer's rate limit", async () => {
    const limited = await createTestProxy({
      prefix: proxy.config.indexPrefix,
      env: { RATE_LIMIT_PER_MINUTE: "1" },
    });
    for (let i = 0; i < 3; i++) {
      const response = await limited.call("GET", "/v1/admin/entities", { token: ADMIN_TOKEN });
      expect(response.status).toBe(200);
    }
  });

  test("health and the OpenAPI document need no credential", async () => {
    expect((await proxy.call("GET", "/v1/health")).status).toBe(200);
    expect((await proxy.call("GET", "/v1/openapi.json")).status).toBe(200);
  });
});

describe("admin routes without a configured ADMIN_TOKEN", () => {
  test("refuse every credential with 403", async () => {
    const closed = await createTestProxy({
      prefix: proxy.config.indexPrefix,
      env: { ADMIN_TOKEN: undefined },
    });
    for (const route of ADMIN_ROUTES) {
      const response = await closed.call(route.method, route.path, {
        token: ADMIN_TOKEN,
        body: route.body,
      });
      expect(response.status, `${route.method} ${route.path}`).toBe(403);
    }
  });
});

describe("a customer reaches only their own entries", () => {
  let owner: string;
  let intruder: string;
  let ownerId: string;
  let dealId: string;

  beforeAll(async () => {
    owner = await hsToken(newSubject("owner"));
    intruder = await hsToken(newSubject("intruder"));
    const put = await proxy.call("PUT", "/v1/entries/tracker/fields/nickname", {
      token: owner,
      body: { value: "Owner" },
    });
    expect(put.status).toBe(200);
    const created = await proxy.call("POST", "/v1/entries/deals", {
      token: owner,
      body: { values: { title: "Mine" } },
    });
    const { entry } = (await created.json()) as { entry: CrmEntry };
    ownerId = entry.reference.id;
    dealId = entry.id;
  });

  /** The intruder's request, which must be told the entry does not exist. */
  const refused = async (method: string, path: string, body?: unknown) => {
    const response = await proxy.call(method, path, { token: intruder, body });
    expect(response.status, `${method} ${path}`).toBe(404);
    expect(await errorOf(response)).toMatchObject({ code: "entry_not_found" });
  };

  test("naming another customer's reference in GET entries → 404", async () => {
    await refused("GET", `/v1/entries/tracker?referenceId=${ownerId}`);
  });

  test("naming another reference type → 404", async () => {
    await refused("GET", `/v1/entries/tracker?referenceType=order&referenceId=${ownerId}`);
  });

  test("naming another customer's reference in GET and PUT field → 404, and their value is unchanged", async () => {
    await refused("GET", `/v1/entries/tracker/fields/nickname?referenceId=${ownerId}`);
    await refused("PUT", "/v1/entries/tracker/fields/nickname", {
      value: "Hijacked",
      referenceId: ownerId,
    });
    await refused("PUT", "/v1/entries/tracker/stages/progress", {
      stage: "goal_reached",
      referenceId: ownerId,
    });
    const mine = await proxy.call("GET", "/v1/entries/tracker/fields/nickname", { token: owner });
    expect(((await mine.json()) as CrmFieldValue).value).toBe("Owner");
  });

  test("another customer's entry id in field and stage routes → 404", async () => {
    const query = `entryId=${encodeURIComponent(dealId)}`;
    await refused("GET", `/v1/entries/deals/fields/title?${query}`);
    await refused("PUT", "/v1/entries/deals/fields/title", { value: "x", entryId: dealId });
    await refused("GET", `/v1/entries/deals/stages/sales?${query}`);
    await refused("PUT", "/v1/entries/deals/stages/sales", { stage: "lost", entryId: dealId });
    const theirs = await proxy.call("GET", "/v1/entries/deals", { token: intruder });
    expect(((await theirs.json()) as { entries: CrmEntry[] }).entries).toEqual([]);
  });

  test("another customer's reference inside a batch fails that call with entry_not_found", async () => {
    const response = await proxy.call("POST", "/v1/batch", {
      token: intruder,
      body: {
        calls: [
          {
            op: "getCrmField",
            args: { slug: "tracker", fieldKey: "nickname", referenceId: ownerId },
          },
          { op: "getCrmEntries", args: { slug: "deals", referenceId: ownerId } },
          { op: "getCrmField", args: { slug: "tracker", fieldKey: "nickname" } },
        ],
      },
    });
    const { results } = (await response.json()) as {
      results: { ok: boolean; error?: { code: string } }[];
    };
    expect(results.map((result) => result.error?.code ?? "ok")).toEqual([
      "entry_not_found",
      "entry_not_found",
      "ok",
    ]);
  });
});

describe("field and pipeline access for customers", () => {
  const REFUSED: (TestRequest & { refusal: string; status: number; error: ExpectedError })[] = [
    {
      refusal:
        "a field hidden from customers does not exist for them: a read (404 field_not_found)",
      method: "GET",
      path: "/v1/entries/tracker/fields/coach_notes",
      status: 404,
      error: { code: "field_not_found", field: "coach_notes" },
    },
    {
      refusal:
        "a field hidden from customers does not exist for them: a write (404 field_not_found)",
      method: "PUT",
      path: "/v1/entries/tracker/fields/coach_notes",
      body: { value: "x" },
      status: 404,
      error: { code: "field_not_found", field: "coach_notes" },
    },
    {
      refusal: "a read-only field refuses a customer's write (403 field_not_writable)",
      method: "PUT",
      path: "/v1/entries/tracker/fields/goal_weight",
      body: { value: 60 },
      status: 403,
      error: { code: "field_not_writable", field: "goal_weight" },
    },
    {
      refusal: "a pipeline customers may not move refuses a stage change (403 stage_not_movable)",
      method: "PUT",
      path: "/v1/entries/tracker/stages/review",
      body: { stage: "done" },
      status: 403,
      error: { code: "stage_not_movable" },
    },
  ];

  test.each(REFUSED)("$refusal", ({ refusal: _, status, error, ...request }) =>
    expectRefused(proxy, request, status, error),
  );

  test("an unknown entity, field, pipeline or stage → 404 with its code", async () => {
    const token = await hsToken(newSubject());
    const cases: [string, string, unknown, string][] = [
      ["GET", "/v1/entities/nope", undefined, "entity_not_found"],
      ["GET", "/v1/entries/tracker/fields/nope", undefined, "field_not_found"],
      ["GET", "/v1/entries/tracker/stages/nope", undefined, "pipeline_not_found"],
      ["PUT", "/v1/entries/tracker/stages/progress", { stage: "nope" }, "stage_not_found"],
    ];
    for (const [method, path, body, code] of cases) {
      const response = await proxy.call(method, path, { token, body });
      expect(response.status, path).toBe(404);
      expect(await errorOf(response)).toMatchObject({ code });
    }
  });
});
