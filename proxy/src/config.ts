import { z } from "zod";

/**
 * The proxy's whole configuration, read once from an environment record:
 * `process.env` on Node, the Worker's `env` (vars + secrets) on Workers.
 * Every variable is documented in the README's configuration table.
 */
export interface ProxyConfig {
  elasticsearch: {
    url: string;
    apiKey: string | undefined;
    username: string | undefined;
    password: string | undefined;
    timeoutMs: number;
    /** Undefined: one retry per node listed. */
    maxRetries: number | undefined;
  };
  /** Prepended to every index name, e.g. `test_ab12_` → `test_ab12_crm_entries`. */
  indexPrefix: string;
  session: {
    issuer: string;
    audience: string;
    /** HS256 shared secret; absent when only a JWKS is used. */
    secret: string | undefined;
    /** RS256/ES256 key set; absent when only the shared secret is used. */
    jwksUrl: string | undefined;
    /** Oldest accepted token, in seconds since its `iat`. */
    maxAgeSeconds: number;
  };
  /**
   * Staff tokens: signed with the session keys (and issuer), but for their own
   * audience and with `typ: staff+jwt`, so no customer session passes as one.
   */
  staff: {
    audience: string;
    maxAgeSeconds: number;
  };
  /** Bearer credential of the admin routes; absent disables them. */
  adminToken: string | undefined;
  /** Exact origins (scheme://host[:port]) allowed to call the proxy from a browser. */
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Operations per customer per minute (the Node proxy's own counter; Workers use a binding). */
  rateLimitPerMinute: number;
  /** New customer records per client address per minute (likewise). */
  customerCreationsPerMinute: number;
  /**
   * The request header a reverse proxy in front of the Node proxy sets to the
   * client's address (e.g. `x-real-ip`); unset: the socket's peer address.
   */
  clientAddressHeader: string | undefined;
  port: number;
}

/** An environment record: strings from process.env or Worker vars/secrets (other bindings ignored). */
export type EnvRecord = Readonly<Record<string, unknown>>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid proxy configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

/** An empty variable means "not set", so `FOO=` in a .env file falls back to the default. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** Loopback hosts, where plain http cannot be read or changed on the way. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Where the session keys come from must be authenticated: over plain http
 * anyone on the path could publish their own key and sign any session.
 */
const keySetUrl = httpUrl.refine((value) => {
  // zod runs refinements after a failed format check too; that failure is already reported.
  if (!URL.canParse(value)) return true;
  const url = new URL(value);
  return url.protocol === "https:" || LOOPBACK_HOSTS.has(url.hostname);
}, "must be an https URL (plain http only on localhost / 127.0.0.1)");

/** A whole number in [min, max], `fallback` when unset. */
function integer<Fallback extends number | undefined>(
  fallback: Fallback,
  min: number,
  max: number,
) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, "must be a whole number")
      .transform(Number)
      .pipe(z.int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .optional()
      .transform((value) => value ?? fallback),
  );
}

const origin = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, "each origin must look like https://shop.example (no path)");

const envSchema = z.object({
  // One node URL, or several separated by commas: the client spreads requests over them.
  ELASTICSEARCH_URL: optionalText
    .pipe(z.string({ error: "is required" }))
    .refine(
      (value) => value.split(",").every((node) => httpUrl.safeParse(node.trim()).success),
      "must be an http(s) URL, or several separated by commas",
    ),
  ELASTICSEARCH_API_KEY: optionalText,
  ELASTICSEARCH_USERNAME: optionalText,
  ELASTICSEARCH_PASSWORD: optionalText,
  ELASTICSEARCH_TIMEOUT_MS: integer(5_000, 100, 120_000),
  // Unset: one retry per node listed (see createElasticsearchClient).
  ELASTICSEARCH_MAX_RETRIES: integer(undefined, 0, 9),
  CRM_INDEX_PREFIX: optionalText.pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be lowercase letters, digits, _ or -")
      .optional(),
  ),
  SESSION_ISSUER: optionalText.pipe(z.string({ error: "is required" })),
  SESSION_AUDIENCE: optionalText.pipe(z.string({ error: "is required" })),
  SESSION_SECRET: optionalText.pipe(
    z.string().min(32, "must be at least 32 characters (HS256 needs 256 bits)").optional(),
  ),
  SESSION_JWKS_URL: optionalText.pipe(keySetUrl.optional()),
  SESSION_MAX_AGE: integer(3_600, 30, 86_400),
  STAFF_AUDIENCE: optionalText.pipe(z.string().optional()),
  STAFF_MAX_AGE: integer(3_600, 30, 86_400),
  ADMIN_TOKEN: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  CORS_ORIGINS: optionalText
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((item) => item.trim().replace(/\/$/, ""))
        .filter(Boolean),
    )
    .pipe(z.array(origin)),
  BODY_LIMIT_BYTES: integer(64 * 1024, 1_024, 10 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: integer(600, 1, 1_000_000),
  CUSTOMER_CREATIONS_PER_MINUTE: integer(60, 1, 1_000_000),
  CLIENT_ADDRESS_HEADER: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "must be a header name, e.g. X-Real-IP")
      .transform((name) => name.toLowerCase())
      .optional(),
  ),
  PORT: integer(8787, 0, 65_535),
});

/** Reads and validates the configuration; throws one `ConfigError` listing every problem. */
export function loadConfig(env: EnvRecord): ProxyConfig {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string") strings[name] = value;
  }
  const result = envSchema.safeParse(strings);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.map(String).join(".")} ${issue.message}`);
  // Cross-variable rules, checked on the raw values so every problem is listed at once.
  const isSet = (name: string) => (strings[name] ?? "").trim() !== "";
  if (!isSet("SESSION_SECRET") && !isSet("SESSION_JWKS_URL")) {
    problems.push("SESSION_SECRET or SESSION_JWKS_URL is required to verify session tokens");
  }
  if (
    isSet("STAFF_AUDIENCE") &&
    strings.STAFF_AUDIENCE?.trim() === strings.SESSION_AUDIENCE?.trim()
  ) {
    problems.push(
      "STAFF_AUDIENCE must differ from SESSION_AUDIENCE (a session must never pass as staff)",
    );
  }
  if (isSet("ELASTICSEARCH_USERNAME") !== isSet("ELASTICSEARCH_PASSWORD")) {
    problems.push("ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD must be set together");
  }
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const e = result.data;
  return {
    elasticsearch: {
      url: e.ELASTICSEARCH_URL,
      apiKey: e.ELASTICSEARCH_API_KEY,
      username: e.ELASTICSEARCH_USERNAME,
      password: e.ELASTICSEARCH_PASSWORD,
      timeoutMs: e.ELASTICSEARCH_TIMEOUT_MS,
      maxRetries: e.ELASTICSEARCH_MAX_RETRIES,
    },
    indexPrefix: e.CRM_INDEX_PREFIX ?? "",
    session: {
      issuer: e.SESSION_ISSUER,
      audience: e.SESSION_AUDIENCE,
      secret: e.SESSION_SECRET,
      jwksUrl: e.SESSION_JWKS_URL,
      maxAgeSeconds: e.SESSION_MAX_AGE,
    },
    staff: {
      audience: e.STAFF_AUDIENCE ?? `${e.SESSION_AUDIENCE}:staff`,
      maxAgeSeconds: e.STAFF_MAX_AGE,
    },
    adminToken: e.ADMIN_TOKEN,
    corsOrigins: e.CORS_ORIGINS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    customerCreationsPerMinute: e.CUSTOMER_CREATIONS_PER_MINUTE,
    clientAddressHeader: e.CLIENT_ADDRESS_HEADER,
    port: e.PORT,
  };
}
