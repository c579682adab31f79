/**
 * Helpers for the HTTP tests: session tokens signed with jose (a shared HS256
 * secret, and an RSA key served as a JWKS by a tiny local HTTP server), and a
 * proxy app wired to the real test Elasticsearch under a unique index prefix.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll } from "vitest";
import type { EntityDefinitionInput } from "#domain";
import type { CrmAdapter } from "../../../proxy/src/adapter/types.ts";
import { type EnvRecord, loadConfig, type ProxyConfig } from "../../../proxy/src/config.ts";
import { ensureCrmIndices } from "../../../proxy/src/elasticsearch/setup.ts";
import { createApp, type ProxyApp } from "../../../proxy/src/http/app.ts";
import { createServices } from "../../../proxy/src/http/services.ts";
import { elasticsearchUrl, uniquePrefix } from "../../support/elasticsearch.ts";

export const ISSUER = "https://shop.test";
export const AUDIENCE = "crm-widgets-test";
export const SESSION_SECRET = "test-session-secret-0123456789abcdef";
export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123";
export const ALLOWED_ORIGIN = "https://shop.test";

const encoder = new TextEncoder();
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A valid HS256 session for `subject`; `claims` overrides or (with undefined) removes claims. */
export async function hsToken(
  subject: string,
  claims: Partial<Record<keyof JWTPayload, unknown>> = {},
  secret: string | Uint8Array = SESSION_SECRET,
): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: subject,
    iat: nowSeconds(),
    exp: nowSeconds() + 300,
    ...claims,
  };
  for (const [key, value] of Object.entries(payload)) if (value === undefined) delete payload[key];
  const key = typeof secret === "string" ? encoder.encode(secret) : secret;
  return new SignJWT(payload).setProtectedHeader({ alg: "HS256" }).sign(key);
}

export interface JwksServer {
  url: string;
  /** An RS256 session signed by the key the JWKS currently publishes. */
  rsToken(subject: string, claims?: Partial<Record<keyof JWTPayload, unknown>>): Promise<string>;
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
    rsToken: (subject, claims = {}) => {
      const payload: Record<string, unknown> = {
        iss: ISSUER,
        aud: AUDIENCE,
        sub: subject,
        iat: nowSeconds(),
        exp: nowSeconds() + 300,
        ...claims,
      };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: "RS256", kid: key.kid })
        .sign(key.privateKey);
    },
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
  config: ProxyConfig;
  adapter: CrmAdapter;
  /** `app.request` with JSON bodies and an optional bearer token. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
}

/**
 * A proxy app over the real test Elasticsearch. Pass `prefix` to share one
 * set of indices between several apps of one file (e.g. different auth setups).
 */
export async function createTestProxy(
  options: { name?: string; prefix?: string; env?: EnvRecord } = {},
): Promise<TestProxy> {
  const prefix = options.prefix ?? uniquePrefix(options.name ?? "http");
  const config = loadConfig(testEnv(prefix, options.env));
  const { client, indices, adapter } = createServices(config);
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
  const app = createApp({ config, adapter });
  return {
    app,
    async requestsDuring(run) {
      const before = responses;
      await run();
      return responses - before;
    },
    config,
    adapter,
    async call(method, path, { token, body, headers = {} } = {}) {
      const requestHeaders: Record<string, string> = { ...headers };
      const init: RequestInit = { method, headers: requestHeaders };
      if (token !== undefined) requestHeaders.Authorization = `Bearer ${token}`;
      if (body !== undefined) {
        requestHeaders["Content-Type"] ??= "application/json";
        init.body = typeof body === "string" ? body : JSON.stringify(body);
      }
      return app.request(path, init);
    },
  };
}

/**
 * A tracker with one entry per customer and every field type and access
 * level, and deals with many entries per customer.
 */
export const trackerEntity: EntityDefinitionInput = {
  slug: "tracker",
  name: "Weight Tracker",
  fields: [
    {
      key: "current_weight",
      label: "Current weight",
      type: "number",
      min: 0,
      max: 500,
      customerAccess: "write",
    },
    { key: "goal_weight", label: "Goal weight", type: "number", customerAccess: "read" },
    { key: "nickname", label: "Nickname", type: "text", maxLength: 20, customerAccess: "write" },
    { key: "last_checkin", label: "Last check-in", type: "date", customerAccess: "write" },
    { key: "newsletter", label: "Newsletter", type: "boolean", customerAccess: "write" },
    {
      key: "plan",
      label: "Plan",
      type: "select",
      customerAccess: "write",
      options: [
        { value: "basic", label: "Basic" },
        { value: "premium", label: "Premium", color: "#22c55e" },
      ],
    },
    { key: "coach_note", label: "Coach note", type: "text", customerAccess: "none" },
  ],
  pipelines: [
    {
      key: "progress",
      label: "Progress",
      customerCanMove: true,
      stages: [
        { key: "starting", label: "Starting" },
        { key: "in_progress", label: "In progress" },
        { key: "goal_reached", label: "Goal reached", status: "won" },
      ],
    },
    {
      key: "review",
      label: "Coach review",
      customerCanMove: false,
      stages: [
        { key: "open", label: "Open" },
        { key: "done", label: "Done", status: "won" },
      ],
    },
  ],
};

export const dealsEntity: EntityDefinitionInput = {
  slug: "deals",
  name: "Deals",
  entriesPerReference: "many",
  fields: [
    { key: "title", label: "Title", type: "text", customerAccess: "write" },
    { key: "amount", label: "Amount", type: "number", customerAccess: "write" },
  ],
  pipelines: [
    {
      key: "sales",
      label: "Sales",
      customerCanMove: true,
      stages: [
        { key: "lead", label: "Lead" },
        { key: "won", label: "Won", status: "won" },
        { key: "lost", label: "Lost", status: "lost" },
      ],
    },
  ],
};

/** Creates the test entities through the adapter (the admin routes are tested on their own). */
export async function seedEntities(adapter: CrmAdapter): Promise<void> {
  await adapter.entities.create(trackerEntity);
  await adapter.entities.create(dealsEntity);
}

let subjects = 0;
/** A subject no other test uses, so each test starts with a new customer. */
export function newSubject(label = "visitor"): string {
  subjects += 1;
  return `${label}-${subjects}-${Math.random().toString(36).slice(2, 8)}`;
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
