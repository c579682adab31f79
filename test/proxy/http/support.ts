/**
 * Helpers for the HTTP tests: session tokens signed with jose (a shared HS256
 * secret, and an RSA key served as a JWKS by a tiny local HTTP server), and a
 * proxy app wired to the real test Elasticsearch under a unique index prefix.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair } from "jose";
import { afterAll, beforeAll, expect } from "vitest";
import type { EntityDefinitionInput } from "#domain";
import type { CrmAdapter } from "../../../proxy/src/adapter/types.ts";
import { type EnvRecord, loadConfig, type ProxyConfig } from "../../../proxy/src/config.ts";
import { ensureCrmIndices } from "../../../proxy/src/elasticsearch/setup.ts";
import { createApp, type ProxyApp } from "../../../proxy/src/http/app.ts";
import { createCrmServices } from "../../../proxy/src/services.ts";
import { elasticsearchUrl, uniquePrefix } from "../../support/elasticsearch.ts";
import { testEntities } from "../../support/entities.ts";
import { type SessionClaims, signSession } from "../../support/tokens.ts";

export const ISSUER = "https://shop.test";
export const AUDIENCE = "crm-widgets-test";
export const SESSION_SECRET = "test-session-secret-0123456789abcdef";
export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123";
export const ALLOWED_ORIGIN = "https://shop.test";

/** A valid HS256 session for `subject`; `claims` overrides or (with undefined) removes claims. */
export function hsToken(
  subject: string,
  claims: SessionClaims = {},
  secret: string | Uint8Array = SESSION_SECRET,
): Promise<string> {
  return signSession({ issuer: ISSUER, audience: AUDIENCE, key: secret }, subject, claims);
}

export interface JwksServer {
  url: string;
  /** An RS256 session signed by the key the JWKS currently publishes. */
  rsToken(subject: string, claims?: SessionClaims): Promise<string>;
  /** The public key as PEM text: the "secret" of an HS/RS confusion attack. */
  publicKeyPem: string;
  /** How many times the key set was fetched. */
  fetches(): number;
  /** Replaces the published key with a new one under a new `kid` (key rotation). */
  rotate(): Promise<void>;
  /** From now on the key set answers 500, as a broken identity provider would. */
  fail(): void;
}

async function rsaKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, jwk, privateKey, publicKeyPem: await exportSPKI(publicKey) };
}

/** Serves an RSA public key as a JWKS on 127.0.0.1; closed after the test file. */
export async function startJwksServer(): Promise<JwksServer> {
  let key = await rsaKey("test-key-1");
  let fetches = 0;
  let failing = false;
  const server: Server = createServer((_request, response) => {
    fetches += 1;
    if (failing) {
      response.writeHead(500).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ keys: [key.jwk] }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    publicKeyPem: key.publicKeyPem,
    fetches: () => fetches,
    async rotate() {
      key = await rsaKey(`test-key-${fetches + 2}-${Date.now()}`);
    },
    fail() {
      failing = true;
    },
    rsToken: (subject, claims = {}) =>
      signSession(
        { issuer: ISSUER, audience: AUDIENCE, key: key.privateKey, alg: "RS256", kid: key.kid },
        subject,
        claims,
      ),
  };
}

/** The env record of a test proxy: real Elasticsearch, unique prefix, test credentials. */
export function testEnv(prefix: string, overrides: EnvRecord = {}): Record<string, string> {
  const env: Record<string, unknown> = {
    ELASTICSEARCH_URL: elasticsearchUrl(),
    ELASTICSEARCH_TIMEOUT_MS: "10000",
    CRM_INDEX_PREFIX: prefix,
    SESSION_ISSUER: ISSUER,
    SESSION_AUDIENCE: AUDIENCE,
    SESSION_SECRET,
    ADMIN_TOKEN,
    CORS_ORIGINS: ALLOWED_ORIGIN,
    // Every request of app.request comes from one unknown address: only the test of the
    // creation budget sets it low.
    CUSTOMER_CREATIONS_PER_MINUTE: "1000000",
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

export interface TestProxy {
  app: ProxyApp;
  /** Counts the Elasticsearch requests `run` causes. */
  requestsDuring(run: () => Promise<unknown>): Promise<number>;
  /**
   * Makes every stored entry and history record searchable now: writes of
   * one-entry entities do not wait for that (they are read by id; history
   * pages show their own saves), the indices refresh a moment later.
   */
  searchable(): Promise<void>;
  config: ProxyConfig;
  adapter: CrmAdapter;
  /** `app.request` with JSON bodies and an optional bearer token. */
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** `call` whose answer must have `status` (200 unless given): its JSON body. */
  json<T>(method: string, path: string, options?: CallOptions & { status?: number }): Promise<T>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestProxyOptions {
  name?: string;
  prefix?: string;
  env?: EnvRecord;
  /** Created through the adapter before the app serves (the admin routes are tested on their own). */
  entities?: EntityDefinitionInput[];
}

/**
 * A proxy app over the real test Elasticsearch. Pass `prefix` to share one
 * set of indices between several apps of one file (e.g. different auth setups).
 */
export async function createTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const prefix = options.prefix ?? uniquePrefix(options.name ?? "http");
  const config = loadConfig(testEnv(prefix, options.env));
  const { client, indices, adapter } = createCrmServices(config);
  await ensureCrmIndices(client, indices);
  // Writes wait for a refresh (read-your-writes); a short interval keeps the suite fast.
  await client.indices.putSettings({
    index: [indices.entries, indices.entities, indices.customers],
    settings: { refresh_interval: "50ms" },
  });
  afterAll(() => client.close());
  let responses = 0;
  client.diagnostic.on("response", () => {
    responses += 1;
  });
  for (const entity of options.entities ?? []) await adapter.entities.create(entity);
  const app = createApp({ config, adapter });
  const call: TestProxy["call"] = (method, path, { token, body, headers = {} } = {}) => {
    const requestHeaders: Record<string, string> = { ...headers };
    const init: RequestInit = { method, headers: requestHeaders };
    if (token !== undefined) requestHeaders.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      requestHeaders["Content-Type"] ??= "application/json";
      init.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    return Promise.resolve(app.request(path, init));
  };
  return {
    app,
    async searchable() {
      await client.indices.refresh({ index: [indices.entries, indices.history] });
    },
    async requestsDuring(run) {
      const before = responses;
      await run();
      return responses - before;
    },
    config,
    adapter,
    call,
    async json<T>(method: string, path: string, options: CallOptions & { status?: number } = {}) {
      const { status = 200, ...rest } = options;
      return json<T>(await call(method, path, rest), status);
    },
  };
}

/** The staff audience the test proxies use (the default: the session audience + `:staff`). */
export const STAFF_AUDIENCE = `${AUDIENCE}:staff`;

/** A staff token as the owner's backend issues it: `typ: staff+jwt`, staff audience, a role. */
export function staffToken(
  subject: string,
  role: string | null = "staff",
  claims: SessionClaims = {},
  secret: string = SESSION_SECRET,
): Promise<string> {
  return signSession(
    { issuer: ISSUER, audience: STAFF_AUDIENCE, key: secret, typ: "staff+jwt" },
    subject,
    { role, ...claims },
  );
}

/**
 * Every back office route. The OpenAPI test in security.test.ts fails when a
 * staff route is missing here, so none can skip the shared security cases.
 */
export const STAFF_ROUTES: {
  method: string;
  path: string;
  body?: unknown;
  adminOnly?: true;
}[] = [
  {
    method: "POST",
    path: "/v1/staff/batch",
    body: { calls: [{ op: "getCrmEntity", args: { slug: "tracker" } }] },
  },
  { method: "GET", path: "/v1/staff/customers" },
  { method: "GET", path: "/v1/staff/customers/c_nobody/entries" },
  { method: "GET", path: "/v1/staff/customers/c_nobody/export" },
  { method: "DELETE", path: "/v1/staff/customers/c_nobody", adminOnly: true },
  { method: "GET", path: "/v1/staff/entities" },
  { method: "GET", path: "/v1/staff/entities/tracker" },
  {
    method: "POST",
    path: "/v1/staff/entities",
    body: { slug: "scratch", name: "Scratch" },
    adminOnly: true,
  },
  {
    method: "PUT",
    path: "/v1/staff/entities/scratch",
    body: { slug: "scratch", name: "Scratch" },
    adminOnly: true,
  },
  { method: "DELETE", path: "/v1/staff/entities/scratch", adminOnly: true },
];

let subjects = 0;
/** A subject no other test uses, so each test starts with a new customer. */
export function newSubject(label = "visitor"): string {
  subjects += 1;
  return `${label}-${subjects}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The file's proxy (createTestProxy), created by a hook registered before the file's own;
 * use its fields inside tests and hooks only.
 */
export function useTestProxy(options: TestProxyOptions = {}): TestProxy {
  const fixture = {} as TestProxy;
  beforeAll(async () => {
    Object.assign(fixture, await createTestProxy(options));
  });
  return fixture;
}

/**
 * A JWKS server (startJwksServer) and the file's proxy over the shared entities, trusting
 * both the HS256 secret and that key set: the set-up of the suites that sign with either.
 */
export function useJwksProxy(name: string): { proxy: TestProxy; jwks: JwksServer } {
  const proxy = {} as TestProxy;
  const jwks = {} as JwksServer;
  beforeAll(async () => {
    Object.assign(jwks, await startJwksServer());
    const env = { SESSION_JWKS_URL: jwks.url };
    Object.assign(proxy, await createTestProxy({ name, env, entities: testEntities }));
  });
  return { proxy, jwks };
}

/** The JSON body of an answer that must have `status` (printing the body when it has not). */
export async function json<T>(response: Response, status = 200): Promise<T> {
  const body = await response.text();
  expect(response.status, body).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return JSON.parse(body) as T;
}

/** The error code (and field) an error answer must name. */
export interface ExpectedError {
  code: string;
  field?: string;
}

/** An error answer: its status, a JSON body, and the error code (and field) it names. */
export async function expectError(response: Response, status: number, error: ExpectedError) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await errorOf(response)).toMatchObject(error);
}

/** One request of a test, as the case tables write it. */
export interface TestRequest extends Omit<CallOptions, "token"> {
  method: string;
  path: string;
}

/** A new customer's request to `proxy`, which must be refused with `status` and `error`. */
export async function expectRefused(
  proxy: TestProxy,
  request: TestRequest,
  status: number,
  error: ExpectedError,
) {
  const { method, path, ...options } = request;
  const token = await hsToken(newSubject());
  await expectError(await proxy.call(method, path, { token, ...options }), status, error);
}

/** Reads a JSON error body and checks its shape. */
export async function errorOf(
  response: Response,
): Promise<{ code: string; message: string; field?: string }> {
  const body = (await response.json()) as {
    error: { code: string; message: string; field?: string };
  };
  return body.error;
}
