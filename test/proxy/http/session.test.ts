import { setTimeout as sleep } from "node:timers/promises";
import { SignJWT } from "jose";
import { describe, expect, test } from "vitest";
import { CrmError } from "#domain";
import {
  createSessionVerifier,
  type TokenKeys,
  tokenKeys,
} from "../../../proxy/src/auth/session.ts";
import { AUDIENCE, hsToken, ISSUER, SESSION_SECRET, startJwksServer } from "./support.ts";

const options = { issuer: ISSUER, audience: AUDIENCE, maxAgeSeconds: 3_600 };

async function failure(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrmError);
  return error as CrmError;
}

describe("session verification", () => {
  test("a verified session carries the token's issuer, subject and expiry", async () => {
    const verify = createSessionVerifier({ ...options, secret: SESSION_SECRET });
    const exp = Math.floor(Date.now() / 1000) + 120;
    expect(await verify(await hsToken("visitor-1", { exp }))).toEqual({
      issuer: ISSUER,
      subject: "visitor-1",
      expiresAt: exp,
    });
  });

  test("a session token's typ may be absent or JWT; any other type is refused", async () => {
    const verify = createSessionVerifier({ ...options, secret: SESSION_SECRET });
    const typed = (typ: string) =>
      new SignJWT({ sub: "typed" })
        .setProtectedHeader({ alg: "HS256", typ })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(SESSION_SECRET));
    await expect(verify(await hsToken("untyped"))).resolves.toMatchObject({ subject: "untyped" });
    for (const typ of ["JWT", "jwt", "application/jwt"]) {
      await expect(verify(await typed(typ))).resolves.toMatchObject({ subject: "typed" });
    }
    for (const typ of ["at+jwt", "logout+jwt", "JOSE"]) {
      expect((await failure(verify(await typed(typ)))).code).toBe("unauthenticated");
    }
  });

  test("a subject that is not a string is an invalid token, not a bad request", async () => {
    const verify = createSessionVerifier({ ...options, secret: SESSION_SECRET });
    for (const sub of [42, true, { id: "x" }, ["a"]]) {
      expect((await failure(verify(await hsToken("", { sub })))).code).toBe("unauthenticated");
    }
  });

  test("a few seconds of clock skew are tolerated, more are not", async () => {
    const verify = createSessionVerifier({ ...options, secret: SESSION_SECRET });
    const now = Math.floor(Date.now() / 1000);
    await expect(verify(await hsToken("skewed", { exp: now - 2 }))).resolves.toBeDefined();
    expect((await failure(verify(await hsToken("late", { exp: now - 30 })))).code).toBe(
      "unauthenticated",
    );
    expect((await failure(verify(await hsToken("future", { iat: now + 60 })))).code).toBe(
      "unauthenticated",
    );
  });

  test("the key set is fetched once and then served from the cache", async () => {
    const jwks = await startJwksServer();
    const verify = createSessionVerifier({ ...options, jwksUrl: jwks.url });
    for (let i = 0; i < 5; i++) await verify(await jwks.rsToken(`cached-${i}`));
    expect(jwks.fetches()).toBe(1);
  });

  test("a token with an unknown kid makes the verifier refetch the key set (key rotation)", async () => {
    const jwks = await startJwksServer();
    const verify = createSessionVerifier({ ...options, jwksUrl: jwks.url, jwksCooldownMs: 0 });
    await verify(await jwks.rsToken("before-rotation"));
    await jwks.rotate();
    const session = await verify(await jwks.rsToken("after-rotation"));
    expect(session.subject).toBe("after-rotation");
    expect(jwks.fetches()).toBe(2);
  });

  test("within the cooldown an unknown kid is refused without hammering the key set", async () => {
    const jwks = await startJwksServer();
    const verify = createSessionVerifier({ ...options, jwksUrl: jwks.url });
    await verify(await jwks.rsToken("first"));
    await jwks.rotate();
    for (let i = 0; i < 3; i++) {
      expect((await failure(verify(await jwks.rsToken(`unknown-kid-${i}`)))).code).toBe(
        "unauthenticated",
      );
    }
    expect(jwks.fetches()).toBe(1);
  });

  test("a key set that cannot be fetched is 503 unavailable, not a verdict on the token", async () => {
    const jwks = await startJwksServer();
    const verify = createSessionVerifier({ ...options, jwksUrl: jwks.url });
    const token = await jwks.rsToken("while-down");
    jwks.fail();
    expect((await failure(verify(token))).code).toBe("unavailable");
  });
});

describe("verified sessions are remembered by token", () => {
  /** The real HS256 keys, counting how often a signature is checked against them. */
  function countedKeys(): { keys: TokenKeys; checks: () => number } {
    const real = tokenKeys({ secret: SESSION_SECRET });
    let checks = 0;
    return {
      keys: {
        algorithms: real.algorithms,
        getKey: (header, token) => {
          checks += 1;
          return real.getKey(header, token);
        },
      },
      checks: () => checks,
    };
  }

  test("each distinct token is verified once, then answered from memory", async () => {
    const { keys, checks } = countedKeys();
    const verify = createSessionVerifier({ ...options, secret: SESSION_SECRET }, keys);
    const token = await hsToken("remembered");
    const first = await verify(token);
    for (let i = 0; i < 5; i++) expect(await verify(token)).toEqual(first);
    expect(checks()).toBe(1);
    await verify(await hsToken("another"));
    expect(checks()).toBe(2);
  });

  test("a remembered session cannot be changed by one request for the next", async () => {
    const verify = createSessionVerifier({ ...options, secret: SESSION_SECRET });
    const token = await hsToken("shared");
    const session = await verify(token);
    expect(() => {
      (session as { subject: string }).subject = "someone-else";
    }).toThrow(TypeError);
    expect((await verify(token)).subject).toBe("shared");
  });

  test("a token that differs in any character, its signature included, is verified afresh and refused", async () => {
    const { keys, checks } = countedKeys();
    const verify = createSessionVerifier({ ...options, secret: SESSION_SECRET }, keys);
    const token = await hsToken("tampered");
    await verify(token);
    // A character inside the signature (the last one may only carry padding bits).
    const at = token.length - 10;
    const changed = `${token.slice(0, at)}${token[at] === "A" ? "B" : "A"}${token.slice(at + 1)}`;
    expect((await failure(verify(changed))).code).toBe("unauthenticated");
    expect(checks()).toBe(2);
  });

  test("a remembered token is checked again once it expires", async () => {
    const { keys, checks } = countedKeys();
    const verify = createSessionVerifier({ ...options, secret: SESSION_SECRET }, keys);
    const token = await hsToken("short-lived", { exp: Math.floor(Date.now() / 1000) + 1 });
    await verify(token);
    await verify(token);
    expect(checks()).toBe(1);
    await sleep(2_100);
    // Past its expiry the memory no longer answers; jose decides (here: within the skew allowed).
    await verify(token);
    expect(checks()).toBe(2);
  });
});
