/**
 * The proxy's npm package as an installer gets it: `npm pack ./proxy/dist`, then
 * an install of the tarball into a fresh project outside the repository (from
 * npm's cache or registry, nothing else), where a plain Node script uses the
 * adapter against the real Elasticsearch, the Node entry serves, the Worker
 * entry imports, and a TypeScript script type-checks against its declarations.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildProxyPackage } from "../../proxy/package.ts";
import { elasticsearchUrl, uniquePrefix } from "../support/elasticsearch.ts";
import { installInto, pack, typeCheck, typeScriptSources } from "./support.ts";

let work: string;
let project: string;
let packed: string[];

beforeAll(() => {
  buildProxyPackage();
  work = mkdtempSync(join(tmpdir(), "crm-widgets-proxy-package-"));
  const packedProxy = pack("./proxy/dist", work);
  packed = packedProxy.packed;
  project = installInto(work, "backend", [packedProxy.tarball]);
}, 420_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function node(script: string, env: Record<string, string> = {}): string {
  writeFileSync(join(project, "script.mjs"), script);
  return execFileSync(process.execPath, ["script.mjs"], {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

test("the packed proxy package holds built modules, declarations and the README, no sources", () => {
  expect(packed).toEqual(
    expect.arrayContaining([
      "package.json",
      "README.md",
      "LICENSE",
      "lib/index.js",
      "lib/index.d.ts",
      "lib/node.js",
      "lib/worker.js",
      "lib/adapter/index.js",
      "lib/domain/index.js",
    ]),
  );
  expect(typeScriptSources(packed)).toEqual([]);
  expect(
    packed.filter((file) => !/^(lib\/|package\.json$|README\.md$|LICENSE$)/.test(file)),
  ).toEqual([]);
});

test("installed, it brings the server's dependencies and none of the widgets'", () => {
  const modules = join(project, "node_modules");
  for (const name of ["crm-widgets-proxy", "hono", "@hono/zod-openapi", "@elastic/elasticsearch"]) {
    expect(existsSync(join(modules, name)), name).toBe(true);
  }
  for (const name of ["jose", "zod"]) expect(existsSync(join(modules, name)), name).toBe(true);
  for (const name of ["lit", "@lit", "crm-widgets", "wrangler", "vitest", "esbuild"]) {
    expect(existsSync(join(modules, name)), name).toBe(false);
  }
});

test("a Node script of the installing project sets and gets a field through the adapter, against the real Elasticsearch", () => {
  const prefix = uniquePrefix("proxy-package");
  const output = node(
    `import { CrmError, createCrmServices, ensureCrmIndices } from "crm-widgets-proxy";
const { client, indices, adapter, close } = createCrmServices({
  elasticsearch: { url: process.env.ELASTICSEARCH_URL },
  indexPrefix: process.env.CRM_INDEX_PREFIX,
});
try {
  await ensureCrmIndices(client, indices);
  await adapter.entities.create({
    slug: "weight-tracker",
    name: "Weight Tracker",
    fields: [{ key: "current_weight", label: "Current weight", type: "number", min: 20 }],
  });
  const reference = { referenceId: "c_package" };
  const before = await adapter.getCrmField({ slug: "weight-tracker", fieldKey: "current_weight", ...reference });
  await adapter.setCrmField({ slug: "weight-tracker", fieldKey: "current_weight", value: 81.5, ...reference });
  const after = await adapter.getCrmField({ slug: "weight-tracker", fieldKey: "current_weight", ...reference });
  const refused = await adapter
    .setCrmField({ slug: "weight-tracker", fieldKey: "current_weight", value: 3, ...reference })
    .catch((error) => (error instanceof CrmError ? error.code : String(error)));
  console.log(JSON.stringify({ before: before.value, after: after.value, refused }));
} finally {
  await close();
}
`,
    { ELASTICSEARCH_URL: elasticsearchUrl(), CRM_INDEX_PREFIX: prefix },
  );
  expect(JSON.parse(output)).toEqual({ before: null, after: 81.5, refused: "invalid_value" });
});

test("the Node entry serves the API and the Worker entry is a fetch handler", () => {
  const prefix = uniquePrefix("proxy-package-node");
  const output = node(
    `import { createCrmServices, ensureCrmIndices } from "crm-widgets-proxy";
import { startProxy } from "crm-widgets-proxy/node";
import worker from "crm-widgets-proxy/worker";
const services = createCrmServices({
  elasticsearch: { url: process.env.ELASTICSEARCH_URL },
  indexPrefix: process.env.CRM_INDEX_PREFIX,
});
await ensureCrmIndices(services.client, services.indices);
await services.close();
const proxy = await startProxy({ ...process.env, PORT: "0" });
try {
  const health = await fetch(proxy.url + "/v1/health");
  const unsigned = await fetch(proxy.url + "/v1/entries/weight-tracker");
  console.log(JSON.stringify({ health: health.status, unsigned: unsigned.status, worker: typeof worker.fetch }));
} finally {
  await proxy.close();
}
`,
    {
      ELASTICSEARCH_URL: elasticsearchUrl(),
      CRM_INDEX_PREFIX: prefix,
      SESSION_ISSUER: "https://backend.example",
      SESSION_AUDIENCE: "crm-widgets",
      SESSION_SECRET: randomBytes(32).toString("hex"),
      ADMIN_TOKEN: randomBytes(32).toString("hex"),
      CORS_ORIGINS: "https://shop.example",
    },
  );
  expect(JSON.parse(output)).toEqual({ health: 200, unsigned: 401, worker: "function" });
});

test("a TypeScript backend script type-checks against the package's declarations", () => {
  writeFileSync(
    join(project, "script.ts"),
    `import { type CrmAdapter, CrmError, createCrmServices, type FieldValue } from "crm-widgets-proxy";
import { type RunningProxy, startProxy } from "crm-widgets-proxy/node";
const { adapter }: { adapter: CrmAdapter } = createCrmServices({
  elasticsearch: { url: "http://127.0.0.1:9200" },
});
const field = await adapter.getCrmField({ slug: "weight-tracker", fieldKey: "current_weight" });
const value: FieldValue = field.value;
const proxy: Promise<RunningProxy> = startProxy({ PORT: "0" });
console.log(value, proxy, new CrmError("invalid_value", "no").status);
// @ts-expect-error fieldKey is required
await adapter.getCrmField({ slug: "weight-tracker" });
`,
  );
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022", "DOM"],
        types: [],
        strict: true,
        noEmit: true,
        // As proxy/README.md says: the Elasticsearch client's declarations import an
        // apache-arrow path that does not resolve, installed or not.
        skipLibCheck: true,
      },
      files: ["script.ts"],
    }),
  );
  typeCheck(project);
});
