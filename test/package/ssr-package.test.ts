/**
 * Server rendering from the installed widget package, as a server-rendering site does it:
 * a fresh project outside the repository installs the packed tarball with the optional
 * peers `@lit-labs/ssr` and `@lit-labs/ssr-client`, renders the components in Node with
 * `crm-widgets/ssr` (the README's example), and bundles a client entry that loads
 * `crm-widgets/hydrate-support` before the components. Hydration itself runs in Chromium
 * in test/widget/ssr.test.ts.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildBundle, bundleOutdated } from "../../demo/server/bundle.ts";
import { installInto, pack } from "./support.ts";

let work: string;
let project: string;

beforeAll(async () => {
  if (bundleOutdated()) await buildBundle();
  work = mkdtempSync(join(tmpdir(), "crm-widgets-ssr-"));
  const { tarball } = pack("./dist", work);
  project = installInto(work, "ssr-site", [tarball, "@lit-labs/ssr@4", "@lit-labs/ssr-client@1"]);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the package names the SSR packages as optional peers, never as dependencies", () => {
  const manifest = JSON.parse(
    readFileSync(join(project, "node_modules", "crm-widgets", "package.json"), "utf8"),
  ) as { peerDependenciesMeta: Record<string, { optional: boolean }>; dependencies: object };
  expect(manifest.peerDependenciesMeta).toEqual({
    "@lit-labs/ssr": { optional: true },
    "@lit-labs/ssr-client": { optional: true },
  });
  expect(Object.keys(manifest.dependencies)).not.toContain("@lit-labs/ssr");
});

test("a Node server renders the installed components with Lit SSR: declarative shadow roots with the loading state, and the style hashes", () => {
  writeFileSync(
    join(project, "server.js"),
    `import { render } from "@lit-labs/ssr";
import { collectResult } from "@lit-labs/ssr/lib/render-result.js";
import { html } from "lit";
import "crm-widgets";
import { crmElementRenderers, crmStyleHashes } from "crm-widgets/ssr";

const page = html\`<crm-field slug="weight-tracker" field="current_weight" editable></crm-field>\`;
console.log(JSON.stringify({
  styled: await collectResult(render(page)),
  styleFree: await collectResult(render(page, { elementRenderers: crmElementRenderers })),
  hashes: await crmStyleHashes(["crm-field"]),
}));
`,
  );
  const output = JSON.parse(
    execFileSync(process.execPath, ["server.js"], { cwd: project, encoding: "utf8" }),
  ) as { styled: string; styleFree: string; hashes: string[] };
  const shadowRoot = '<template shadowroot="open" shadowrootmode="open">';
  // The host keeps its attributes (Lit adds the reflected empty ones), then its shadow root.
  expect(output.styled).toMatch(
    /<crm-field\s+slug="weight-tracker" field="current_weight" editable[^>]*><template shadowroot="open" shadowrootmode="open"><style>/,
  );
  expect(output.styled).toContain('part="skeleton"');
  expect(output.styled).toContain("Loading…");
  expect(output.styleFree).toContain(shadowRoot);
  expect(output.styleFree).toContain('part="skeleton"');
  expect(output.styleFree).not.toContain("<style>");
  expect(output.hashes).toEqual([expect.stringMatching(/^'sha256-[A-Za-z0-9+/]{43}='$/)]);
});

test("a bundled client entry keeps the hydrate support and the components, the support before one copy of Lit's element", async () => {
  writeFileSync(
    join(project, "client.js"),
    `import "crm-widgets/hydrate-support";
import "crm-widgets";
`,
  );
  const result = await build({
    entryPoints: [join(project, "client.js")],
    bundle: true,
    format: "esm",
    write: false,
    absWorkingDir: project,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.filter((input) => input.endsWith("lit-element/lit-element.js"))).toHaveLength(1);
  const code = result.outputFiles[0]!.text;
  // The side-effect imports keep the components' definitions.
  for (const tag of ["crm-field", "crm-form", "crm-pipeline-progress", "crm-entries"]) {
    expect(code).toContain(`defineElement("${tag}")`);
  }
  // The hydrate support's global is set before Lit's element module calls it.
  const installed = code.indexOf("page.litElementHydrateSupport =");
  const called = code.search(/litElementHydrateSupport\?\.\(\{\s*LitElement\b/);
  expect(installed).toBeGreaterThan(-1);
  expect(called).toBeGreaterThan(installed);
});
