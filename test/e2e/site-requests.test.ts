/**
 * The demo site refuses what a hostile page could send it: requests naming
 * another host (DNS rebinding: evil.example resolving to 127.0.0.1 would read
 * the back office, which carries the admin credential) and form posts from
 * another origin (a sign-in CSRF would sign the visitor in as someone else).
 * Real HTTP against the real site server; node:http, because fetch may not
 * set `Host`.
 */
import { request } from "node:http";
import { afterAll, describe, expect, test } from "vitest";
import { demoSettings } from "../../demo/server/config.ts";
import { startSite } from "../../demo/server/site.ts";

const site = await startSite({
  settings: demoSettings({}),
  customers: [{ subject: "alice@example.com", name: "Alice", id: "c_alice" }],
  proxyUrl: () => "http://127.0.0.1:1",
  port: 0,
});
afterAll(() => site.close());
const { port } = new URL(site.url);

function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: "127.0.0.1", port, method, path, headers }, (incoming) => {
      incoming.resume();
      incoming.on("end", () =>
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const signInForm = {
  "Content-Type": "application/x-www-form-urlencoded",
};

describe("the demo site checks who is asking", () => {
  test("a request naming another Host is refused (DNS rebinding), its own hosts are served", async () => {
    const rebound = await send("GET", "/back-office", { Host: `evil.example:${port}` });
    expect(rebound.status).toBe(421);
    // Its own hosts get the page (the back office sends a visitor without staff sign-in there).
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await send("GET", "/sign-in", { Host: host })).status).toBe(200);
    }
  });

  test("a sign-in form posted from another origin is refused (login CSRF)", async () => {
    const body = "subject=alice%40example.com";
    const host = `127.0.0.1:${port}`;
    const crossSite = await send(
      "POST",
      "/sign-in",
      { ...signInForm, Host: host, Origin: "https://evil.example" },
      body,
    );
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers["set-cookie"]).toBeUndefined();
    const noOrigin = await send("POST", "/sign-in", { ...signInForm, Host: host }, body);
    expect(noOrigin.status).toBe(403);

    const sameOrigin = await send(
      "POST",
      "/sign-in",
      { ...signInForm, Host: host, Origin: `http://${host}` },
      body,
    );
    expect(sameOrigin.status).toBe(303);
    expect(String(sameOrigin.headers["set-cookie"])).toContain("demo_session=");
  });

  test("sign-out is a same-origin form post too", async () => {
    const host = `localhost:${port}`;
    const crossSite = await send("POST", "/sign-out", {
      ...signInForm,
      Host: host,
      Origin: "https://evil.example",
    });
    expect(crossSite.status).toBe(403);
    const sameOrigin = await send("POST", "/sign-out", {
      ...signInForm,
      Host: host,
      Origin: `http://${host}`,
    });
    expect(sameOrigin.status).toBe(303);
  });
});
