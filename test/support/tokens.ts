/**
 * The one session-token signer of the test suites and the bench: a JWT as the site owner's
 * backend issues it (`iss`, `aud`, `sub`, `iat`, `exp`), signed with jose.
 */
import { type CryptoKey, type JWTPayload, type KeyObject, SignJWT } from "jose";

/** Who issues the sessions and how they are signed: a shared HS256 secret or an asymmetric key. */
export interface SessionIssuer {
  issuer: string;
  audience: string;
  /** HS256 secret (text or bytes), or the private key of `alg`. */
  key: string | Uint8Array | CryptoKey | KeyObject;
  alg?: "HS256" | "RS256" | "ES256";
  kid?: string;
  /** The `typ` header; staff tokens carry `staff+jwt`. */
  typ?: string;
}

/** Claims to override; a claim set to `undefined` is left out of the token. */
export type SessionClaims = Partial<Record<keyof JWTPayload, unknown>>;

const encoder = new TextEncoder();

/** A session of `subject` valid for `lifetimeSeconds` (5 minutes, as the demo backend issues). */
export function signSession(
  by: SessionIssuer,
  subject: string,
  claims: SessionClaims = {},
  lifetimeSeconds = 300,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: by.issuer,
    aud: by.audience,
    sub: subject,
    iat: now,
    exp: now + lifetimeSeconds,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload))
    if (value === undefined) delete payload[name];
  const key = typeof by.key === "string" ? encoder.encode(by.key) : by.key;
  return new SignJWT(payload)
    .setProtectedHeader({
      alg: by.alg ?? "HS256",
      ...(by.kid ? { kid: by.kid } : {}),
      ...(by.typ ? { typ: by.typ } : {}),
    })
    .sign(key);
}
