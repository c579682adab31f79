import { createMiddleware } from "hono/factory";
import { errors, jwtVerify } from "jose";
import { CrmError } from "#domain";
import { bearerAuth } from "./bearer.ts";
import { CLOCK_TOLERANCE_SECONDS, type SessionVerifier, type TokenKeys } from "./session.ts";

/** The `typ` header of every staff token (RFC 8725 explicit typing): no session carries it. */
export const STAFF_TOKEN_TYPE = "staff+jwt";

/** `staff` reads and writes every customer's data; `admin` also changes definitions and erases. */
export const STAFF_ROLES = ["staff", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A staff member as the site owner's backend vouched for them in a verified staff token. */
export interface StaffSession {
  issuer: string;
  subject: string;
  role: StaffRole;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export interface StaffTokenOptions {
  issuer: string;
  /** Never the customers' audience (the configuration refuses it). */
  audience: string;
  maxAgeSeconds: number;
}

export type StaffVerifier = (token: string) => Promise<StaffSession>;

const MAX_SUBJECT_LENGTH = 256;

/**
 * Verifies staff tokens with the site owner's keys (the same `TokenKeys` as
 * sessions): pinned algorithms, `typ: staff+jwt`, the staff audience, required
 * `exp`/`iat`/`iss`/`aud`/`sub` and a `role` of `staff` or `admin`. Each way a
 * token fails has its own code, and a customer's valid session is told apart
 * (`staff_token_required`) by checking it with `isSession` after it failed here.
 */
export function createStaffVerifier(
  options: StaffTokenOptions,
  keys: TokenKeys,
  isSession: SessionVerifier,
): StaffVerifier {
  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys.getKey, {
        algorithms: keys.algorithms,
        typ: STAFF_TOKEN_TYPE,
        issuer: options.issuer,
        audience: options.audience,
        maxTokenAge: options.maxAgeSeconds,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "iat", "iss", "aud", "sub"],
      }));
    } catch (error) {
      throw await staffTokenError(error, token, isSession);
    }
    const { sub: subject, role } = payload;
    if (typeof subject !== "string" || !subject || subject.length > MAX_SUBJECT_LENGTH) {
      throw new CrmError("token_invalid", "Staff token has no usable subject");
    }
    if (!STAFF_ROLES.includes(role as StaffRole)) {
      throw new CrmError("token_invalid", `Staff token has no role (${STAFF_ROLES.join(" or ")})`);
    }
    return {
      issuer: options.issuer,
      subject,
      role: role as StaffRole,
      expiresAt: payload.exp as number,
    };
  };
}

async function staffTokenError(
  error: unknown,
  token: string,
  isSession: SessionVerifier,
): Promise<CrmError> {
  if (error instanceof CrmError) return error;
  if (error instanceof errors.JWTExpired) {
    return new CrmError("token_expired", "Staff token has expired");
  }
  if (
    error instanceof errors.JWTClaimValidationFailed ||
    error instanceof errors.JWKSNoMatchingKey
  ) {
    const session = await isSession(token).catch(() => undefined);
    if (session) {
      return new CrmError("staff_token_required", "A customer session cannot use staff routes");
    }
    return new CrmError(
      "token_foreign",
      "Staff token was issued for another issuer, audience or use",
    );
  }
  return new CrmError("token_invalid", "Staff token is invalid");
}

/** What staff routes find on the context once `staffAuth` ran. */
export interface StaffVariables {
  staff: StaffSession;
}

/** The Hono environment of staff routes: only routers that mount `staffAuth` have it. */
export interface StaffEnv {
  Variables: StaffVariables;
}

/** Staff routes: a verified staff token, its subject and role on `c.var.staff`. */
export function staffAuth(verify: StaffVerifier) {
  return bearerAuth<StaffEnv, StaffSession>(
    { realm: "crm-staff", missing: "Staff token required" },
    verify,
    (c, staff) => c.set("staff", staff),
  );
}

/** Admin-only staff routes: after `staffAuth`, the staff member must hold the admin role. */
export const requireAdminRole = createMiddleware<StaffEnv>(async (c, next) => {
  if (c.var.staff.role !== "admin") {
    throw new CrmError("admin_role_required", "This needs a staff member with the admin role");
  }
  await next();
});
