/** The bench's entities, session tokens and proxy environment. */
import type { EntityDefinitionInput } from "#domain";
import { trackerEntity as sharedTracker } from "../support/entities.ts";
import { signSession } from "../support/tokens.ts";

export { dealsEntity } from "../support/entities.ts";

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

/** The shared tracker plus the page's four fields it lacks. */
export const trackerEntity: EntityDefinitionInput = {
  ...sharedTracker,
  fields: [
    ...sharedTracker.fields,
    { key: "height", label: "Height", type: "number", customerAccess: "read" },
    { key: "city", label: "City", type: "text", customerAccess: "write" },
    { key: "steps", label: "Steps", type: "number", customerAccess: "write" },
    { key: "motto", label: "Motto", type: "text", customerAccess: "write" },
  ],
};

/** An HS256 session of `subject`, valid for 50 minutes (inside the proxy's default max age). */
export function sessionToken(subject: string): Promise<string> {
  return signSession(
    { issuer: ISSUER, audience: AUDIENCE, key: SESSION_SECRET },
    subject,
    {},
    3_000,
  );
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
    CUSTOMER_CREATIONS_PER_MINUTE: "1000000",
  };
}
