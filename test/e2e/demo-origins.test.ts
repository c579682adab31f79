/**
 * The demo's proxy admits the demo site's origins and those an environment's
 * CORS_ORIGINS adds, so a developer's own dev server can try the widget package
 * against `npm start`'s proxy; any other origin stays refused.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { demoSettings } from "../../demo/server/config.ts";
import { type RunningDemo, startDemo } from "../../demo/server/demo.ts";
import { elasticsearchUrl, uniquePrefix } from "../support/elasticsearch.ts";

const devServer = "http://localhost:5173";
let demo: RunningDemo;

beforeAll(async () => {
  demo = await startDemo({
    elasticsearchUrl: elasticsearchUrl(),
    settings: { ...demoSettings({}), indexPrefix: uniquePrefix("demo origins") },
    sitePort: 0,
    proxyPort: 0,
    env: { CORS_ORIGINS: devServer },
  });
});

afterAll(() => demo?.close());

/** The origin the proxy allows in its answer to a browser's preflight from `origin`. */
async function allowedOrigin(origin: string): Promise<string | null> {
  const response = await fetch(`${demo.proxyUrl}/v1/batch`, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "authorization, content-type",
    },
  });
  return response.headers.get("access-control-allow-origin");
}

test("the demo's proxy admits the site's origins and the environment's CORS_ORIGINS, and no other", async () => {
  const site = new URL(demo.siteUrl).origin;
  expect(await allowedOrigin(site)).toBe(site);
  expect(await allowedOrigin(devServer)).toBe(devServer);
  expect(await allowedOrigin("http://localhost:9999")).toBeNull();
});
