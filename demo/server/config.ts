/**
 * The demo's settings, shared by `npm start`, the demo site, the backend
 * scripts and the end-to-end tests. Everything can be overridden by the same
 * environment variables the proxy reads.
 */
import { randomBytes } from "node:crypto";

/** Who issues the demo's session tokens; customer ids derive from it, so it must stay stable. */
export const DEMO_ISSUER = "crm-widgets-demo";
/** The audience the proxy requires in session tokens. */
export const DEMO_AUDIENCE = "crm-widgets";
/** Session tokens live five minutes; the widget runtime asks the site for a new one on 401. */
export const SESSION_TOKEN_SECONDS = 300;

/** Staff tokens live as briefly; the back office asks the site for a new one on 401. */
export const STAFF_TOKEN_SECONDS = 300;

/** The demo's staff accounts: one of each role. A real site checks a password first. */
export const DEMO_STAFF = [
  { subject: "sam@lightly.example", name: "Sam", role: "staff" },
  { subject: "ada@lightly.example", name: "Ada", role: "admin" },
] as const;
export type DemoStaffMember = (typeof DEMO_STAFF)[number];

export const DEFAULT_SITE_PORT = 8080;
export const DEFAULT_PROXY_PORT = 8787;

export interface DemoSettings {
  issuer: string;
  audience: string;
  /** HS256 secret shared by the site (signs) and the proxy (verifies). */
  sessionSecret: string;
  /**
   * The proxy's admin credential, for server-to-server calls only (the demo
   * seeds nothing with it); no page of the site ever receives it.
   */
  adminToken: string;
  /** The audience of staff tokens: the proxy's default, the session audience + `:staff`. */
  staffAudience: string;
  /** Index prefix, e.g. a test's unique one; empty for the default `crm_*` indices. */
  indexPrefix: string;
}

/** A fresh random secret per run unless the environment names one: nothing secret lives in the repo. */
function secretFrom(value: string | undefined): string {
  return value && value.trim().length >= 32 ? value.trim() : randomBytes(32).toString("base64url");
}

export function demoSettings(env: NodeJS.ProcessEnv = process.env): DemoSettings {
  return {
    issuer: env.SESSION_ISSUER?.trim() || DEMO_ISSUER,
    audience: env.SESSION_AUDIENCE?.trim() || DEMO_AUDIENCE,
    sessionSecret: secretFrom(env.SESSION_SECRET),
    adminToken: secretFrom(env.ADMIN_TOKEN),
    staffAudience:
      env.STAFF_AUDIENCE?.trim() || `${env.SESSION_AUDIENCE?.trim() || DEMO_AUDIENCE}:staff`,
    indexPrefix: env.CRM_INDEX_PREFIX?.trim() ?? "",
  };
}

/** Elasticsearch credentials from the same variables the proxy reads. */
export function elasticsearchAuth(env: NodeJS.ProcessEnv = process.env): {
  apiKey?: string;
  username?: string;
  password?: string;
} {
  if (env.ELASTICSEARCH_API_KEY) return { apiKey: env.ELASTICSEARCH_API_KEY };
  if (env.ELASTICSEARCH_USERNAME) {
    return { username: env.ELASTICSEARCH_USERNAME, password: env.ELASTICSEARCH_PASSWORD ?? "" };
  }
  return {};
}
