import {
  type CompactJWSHeaderParameters,
  createRemoteJWKSet,
  errors,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import { CrmError } from "#domain";

/** Who the visitor is, as the site owner's backend vouched for it in a verified token. */
export interface Session {
  readonly issuer: string;
  readonly subject: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

export interface SessionOptions {
  issuer: string;
  audience: string;
  /** HS256 shared secret. */
  secret?: string | undefined;
  /** JWKS URL for RS256 / ES256 keys. */
  jwksUrl?: string | undefined;
  maxAgeSeconds: number;
  /** Minimum milliseconds between two key set fetches for an unknown `kid` (jose's default: 30 s). */
  jwksCooldownMs?: number;
  /** Distinct verified tokens remembered (default 10,000; 0 verifies every request). */
  verifiedCacheSize?: number;
}

export type SessionVerifier = (token: string) => Promise<Session>;

const SHARED_SECRET_ALGORITHMS = ["HS256"];
const KEY_SET_ALGORITHMS = ["RS256", "ES256"];
/** Seconds of clock skew tolerated between the token issuer and this proxy. */
export const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_SUBJECT_LENGTH = 256;

/**
 * Verifies session JWTs with jose. Algorithms are pinned per key kind and the
 * key is chosen by the algorithm, so an HS256 token can never be checked
 * against a public key (HS/RS confusion) and `alg: none` is never accepted.
 *
 * The remote key set is jose's `createRemoteJWKSet`: it caches the keys for 10
 * minutes and refetches on an unknown `kid`, at most once per 30 s cooldown;
 * on Node concurrent refetches share one request (jose does not share them on
 * Workers, where one request may not await another's I/O).
 */
export function createSessionVerifier(
  options: SessionOptions,
  keys: TokenKeys = tokenKeys(options),
): SessionVerifier {
  const { getKey, algorithms } = keys;
  const verified = new VerifiedSessions(options.verifiedCacheSize ?? VERIFIED_CACHE_SIZE);
  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, getKey, {
        algorithms,
        issuer: options.issuer,
        audience: options.audience,
        maxTokenAge: options.maxAgeSeconds,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "iat", "iss", "aud", "sub"],
      });
      if (!isSessionType(protectedHeader.typ)) {
        throw new CrmError("unauthenticated", "Session token has another type");
      }
      const subject: unknown = payload.sub;
      if (typeof subject !== "string" || !subject || subject.length > MAX_SUBJECT_LENGTH) {
        throw new CrmError("unauthenticated", "Session token has no usable subject");
      }
      // Frozen: every request with this token shares it, and the customer id is cached by it.
      const session: Session = Object.freeze({
        issuer: options.issuer,
        subject,
        expiresAt: payload.exp as number,
      });
      // Valid until it expires or grows older than the maximum age, whichever comes first.
      verified.set(
        token,
        session,
        Math.min(session.expiresAt, (payload.iat as number) + options.maxAgeSeconds),
      );
      return session;
    } catch (error) {
      throw sessionError(error);
    }
  };
}

/** Distinct session tokens remembered as verified (about 0.5 KB each). */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Sessions by the exact token that proved them, so that a page's token is verified once for
 * its lifetime instead of on every request (the signature check was most of the proxy's CPU
 * per hot read). Only tokens that passed `jwtVerify` are stored, keyed by the whole token, so
 * any other string, a changed signature included, is verified afresh. Bounded: the oldest
 * entry goes first. A key withdrawn from the key set stops new tokens at once; tokens it
 * already verified stay valid until they expire (at most SESSION_MAX_AGE).
 */
class VerifiedSessions {
  readonly #sessions = new Map<string, { session: Session; validUntil: number }>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(token: string): Session | undefined {
    const entry = this.#sessions.get(token);
    if (!entry) return undefined;
    if (Date.now() / 1000 < entry.validUntil) return entry.session;
    this.#sessions.delete(token);
    return undefined;
  }

  set(token: string, session: Session, validUntil: number): void {
    if (this.#limit <= 0) return;
    if (this.#sessions.size >= this.#limit) {
      const oldest = this.#sessions.keys().next();
      if (!oldest.done) this.#sessions.delete(oldest.value);
    }
    this.#sessions.set(token, { session, validUntil });
  }
}

/** The keys tokens are verified with, and the algorithms each kind of key allows. */
export interface TokenKeys {
  getKey: JWTVerifyGetKey;
  algorithms: string[];
}

/**
 * The site owner's signing keys (shared secret and/or key set), made once:
 * customer sessions and staff tokens share them, and so the JWKS cache.
 */
export function tokenKeys(
  options: Pick<SessionOptions, "secret" | "jwksUrl" | "jwksCooldownMs">,
): TokenKeys {
  const secret = options.secret === undefined ? undefined : importSharedSecret(options.secret);
  const keySet =
    options.jwksUrl === undefined
      ? undefined
      : createRemoteJWKSet(new URL(options.jwksUrl), {
          timeoutDuration: 3_000,
          ...(options.jwksCooldownMs === undefined
            ? {}
            : { cooldownDuration: options.jwksCooldownMs }),
        });
  if (secret === undefined && keySet === undefined) {
    throw new Error("A session secret or a JWKS URL is required");
  }
  const algorithms = [
    ...(secret ? SHARED_SECRET_ALGORITHMS : []),
    ...(keySet ? KEY_SET_ALGORITHMS : []),
  ];
  const getKey: JWTVerifyGetKey = (header: CompactJWSHeaderParameters, token) => {
    if (secret && SHARED_SECRET_ALGORITHMS.includes(header.alg)) return secret;
    if (keySet && KEY_SET_ALGORITHMS.includes(header.alg)) return keyFromSet(keySet, header, token);
    // Unreachable while `algorithms` is passed to jwtVerify; kept so a key is never guessed.
    throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
  };
  return { getKey, algorithms };
}

/**
 * Session tokens are plain JWTs: `typ` may be absent (most JWT libraries,
 * jose included, set none unless asked) or `JWT`. Any other type says the
 * token was minted for something else (an OAuth access token `at+jwt`, a
 * logout token, …) and is refused, so a token of another kind signed with
 * the same key cannot pass as a session (RFC 8725, 3.11).
 */
function isSessionType(typ: string | undefined): boolean {
  if (typ === undefined) return true;
  const type = typ.toLowerCase();
  return type === "jwt" || type === "application/jwt";
}

/**
 * Imported once: handing jose the raw bytes makes it import the key again on
 * every verification, about half of what verifying an HS256 token costs.
 */
function importSharedSecret(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
}

/**
 * A key from the remote set. Only "no such key" says something about the token;
 * a key set that cannot be fetched or read (timeout, 5xx, bad JSON) is our
 * outage, answered 503 so clients retry instead of dropping the session.
 */
async function keyFromSet(
  keySet: JWTVerifyGetKey,
  header: CompactJWSHeaderParameters,
  token: Parameters<JWTVerifyGetKey>[1],
) {
  try {
    return await keySet(header, token);
  } catch (error) {
    if (
      error instanceof errors.JWKSNoMatchingKey ||
      error instanceof errors.JWKSMultipleMatchingKeys ||
      error instanceof errors.JOSENotSupported
    ) {
      throw error;
    }
    throw new CrmError("unavailable", "Session keys are unavailable, try again shortly");
  }
}

function sessionError(error: unknown): CrmError {
  if (error instanceof CrmError) return error;
  if (error instanceof errors.JWTExpired) {
    return new CrmError("unauthenticated", "Session token has expired");
  }
  return new CrmError("unauthenticated", "Session token is invalid");
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? "");
  return match?.[1];
}
