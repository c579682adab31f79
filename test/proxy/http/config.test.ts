import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig } from "../../../proxy/src/config.ts";

const MINIMAL = {
  ELASTICSEARCH_URL: "http://127.0.0.1:9200",
  SESSION_ISSUER: "https://shop.test",
  SESSION_AUDIENCE: "crm-widgets",
  SESSION_SECRET: "s".repeat(32),
};

function problemsOf(env: Record<string, unknown>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("proxy configuration", () => {
  test("the minimal environment gets the documented defaults", () => {
    const config = loadConfig(MINIMAL);
    expect(config).toEqual({
      elasticsearch: {
        url: "http://127.0.0.1:9200",
        apiKey: undefined,
        username: undefined,
        password: undefined,
        timeoutMs: 5_000,
        maxRetries: undefined,
      },
      indexPrefix: "",
      session: {
        issuer: "https://shop.test",
        audience: "crm-widgets",
        secret: "s".repeat(32),
        jwksUrl: undefined,
        maxAgeSeconds: 3_600,
      },
      staff: { audience: "crm-widgets:staff", maxAgeSeconds: 3_600 },
      adminToken: undefined,
      corsOrigins: [],
      bodyLimitBytes: 65_536,
      rateLimitPerMinute: 600,
      customerCreationsPerMinute: 60,
      clientAddressHeader: undefined,
      port: 8787,
    });
  });

  test.each([
    {
      environment: "an empty environment lists every missing variable at once",
      env: {},
      problems: [
        "ELASTICSEARCH_URL is required",
        "SESSION_ISSUER is required",
        "SESSION_AUDIENCE is required",
        "SESSION_SECRET or SESSION_JWKS_URL is required to verify session tokens",
      ],
    },
    {
      environment:
        "a staff audience equal to the session audience is refused (a session would pass as staff)",
      env: { ...MINIMAL, STAFF_AUDIENCE: MINIMAL.SESSION_AUDIENCE },
      problems: [
        "STAFF_AUDIENCE must differ from SESSION_AUDIENCE (a session must never pass as staff)",
      ],
    },
    {
      environment: "invalid values are each named with what is wrong",
      env: {
        ...MINIMAL,
        ELASTICSEARCH_URL: "ftp://es",
        SESSION_SECRET: "short",
        SESSION_JWKS_URL: "not a url",
        PORT: "eighty",
        ELASTICSEARCH_MAX_RETRIES: "10",
        CORS_ORIGINS: "https://ok.test,https://bad.test/path",
        ADMIN_TOKEN: "weak",
        ELASTICSEARCH_USERNAME: "elastic",
      },
      problems: [
        "ELASTICSEARCH_URL must be an http(s) URL, or several separated by commas",
        "ELASTICSEARCH_MAX_RETRIES must be at most 9",
        "SESSION_SECRET must be at least 32 characters (HS256 needs 256 bits)",
        "SESSION_JWKS_URL must be an http(s) URL",
        "ADMIN_TOKEN must be at least 32 characters",
        "CORS_ORIGINS.1 each origin must look like https://shop.example (no path)",
        "PORT must be a whole number",
        "ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD must be set together",
      ],
    },
  ])("$environment", ({ env, problems }) => {
    expect(problemsOf(env)).toEqual(problems);
  });

  test("a JWKS URL alone is enough to verify sessions", () => {
    const config = loadConfig({
      ...MINIMAL,
      SESSION_SECRET: "",
      SESSION_JWKS_URL: "https://shop.test/jwks.json",
    });
    expect(config.session).toMatchObject({
      secret: undefined,
      jwksUrl: "https://shop.test/jwks.json",
    });
  });

  test("a JWKS URL must be https, except on loopback", () => {
    for (const url of [
      "http://shop.test/jwks.json",
      "http://10.0.0.5/jwks",
      "http://127.0.0.1.evil.test/k",
    ]) {
      expect(problemsOf({ ...MINIMAL, SESSION_JWKS_URL: url })).toEqual([
        "SESSION_JWKS_URL must be an https URL (plain http only on localhost / 127.0.0.1)",
      ]);
    }
    for (const url of [
      "https://shop.test/jwks.json",
      "http://localhost:3000/jwks.json",
      "http://127.0.0.1:8080/jwks.json",
      "http://[::1]:8080/jwks.json",
    ]) {
      expect(loadConfig({ ...MINIMAL, SESSION_JWKS_URL: url }).session.jwksUrl).toBe(url);
    }
  });

  test("CORS_ORIGINS is a comma list; spaces and trailing slashes are dropped", () => {
    const config = loadConfig({
      ...MINIMAL,
      CORS_ORIGINS: " https://a.test/ , http://localhost:5173 ,,",
    });
    expect(config.corsOrigins).toEqual(["https://a.test", "http://localhost:5173"]);
  });

  test("non-string bindings of a Worker env are ignored", () => {
    const config = loadConfig({ ...MINIMAL, SOME_KV: { get() {} }, PORT: "0" });
    expect(config.port).toBe(0);
  });
});
