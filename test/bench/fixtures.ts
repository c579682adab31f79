/** The bench's entities, session tokens and proxy environment. */
import { SignJWT } from "jose";
import type { EntityDefinitionInput } from "#domain";

export const ISSUER = "https://bench.shop.test";
export const AUDIENCE = "crm-widgets-bench";
export const SESSION_SECRET = "bench-session-secret-0123456789abcdef";

/** Ten customer-readable fields: a page of ten `crm-field` components reads one each. */
export const PAGE_FIELDS = [
  "current_weight",
  "goal_weight",
  "nickname",
  "last_checkin",
  "newsletter",
  "plan",
  "height",
  "city",
  "steps",
  "motto",
] as const;

export const trackerEntity: EntityDefinitionInput = {
  slug: "tracker",
  name: "Weight Tracker",
  fields: [
    {
      key: "current_weight",
      label: "Current weight",
      type: "number",
      min: 20,
      max: 400,
      customerAccess: "write",
    },
    { key: "goal_weight", label: "Goal weight", type: "number", customerAccess: "read" },
    { key: "nickname", label: "Nickname", type: "text", maxLength: 40, customerAccess: "write" },
    { key: "last_checkin", label: "Last check-in", type: "date", customerAccess: "write" },
    { key: "newsletter", label: "Newsletter", type: "boolean", customerAccess: "write" },
    {
      key: "plan",
      label: "Plan",
      type: "select",
      customerAccess: "write",
      options: [
        { value: "basic", label: "Basic" },
        { value: "premium", label: "Premium" },
      ],
    },
    { key: "height", label: "Height", type: "number", customerAccess: "read" },
    { key: "city", label: "City", type: "text", customerAccess: "write" },
    { key: "steps", label: "Steps", type: "number", customerAccess: "write" },
    { key: "motto", label: "Motto", type: "text", customerAccess: "write" },
    { key: "coach_note", label: "Coach note", type: "text", customerAccess: "none" },
  ],
  pipelines: [
    {
      key: "progress",
      label: "Progress",
      customerCanMove: true,
      stages: [
        { key: "starting", label: "Starting" },
        { key: "goal_reached", label: "Goal reached", status: "won" },
      ],
    },
  ],
};

/** Several entries per customer: `getCrmEntries` is a routed search over the entries index. */
export const dealsEntity: EntityDefinitionInput = {
  slug: "deals",
  name: "Deals",
  entriesPerReference: "many",
  fields: [
    { key: "title", label: "Title", type: "text", customerAccess: "write" },
    { key: "amount", label: "Amount", type: "number", customerAccess: "write" },
  ],
  pipelines: [],
};

const encoder = new TextEncoder();

/** An HS256 session of `subject`, valid for an hour (the proxy's default max age). */
export function sessionToken(subject: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: subject, iat: now, exp: now + 3_000 })
    .setProtectedHeader({ alg: "HS256" })
    .sign(encoder.encode(SESSION_SECRET));
}

/** The proxy's environment: real Elasticsearch, the bench's prefix, no rate limit in the way. */
export function proxyEnv(elasticsearchUrl: string, prefix: string): Record<string, string> {
  return {
    ELASTICSEARCH_URL: elasticsearchUrl,
    ELASTICSEARCH_TIMEOUT_MS: "10000",
    CRM_INDEX_PREFIX: prefix,
    SESSION_ISSUER: ISSUER,
    SESSION_AUDIENCE: AUDIENCE,
    SESSION_SECRET,
    RATE_LIMIT_PER_MINUTE: "1000000",
  };
}
