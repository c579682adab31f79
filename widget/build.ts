/**
 * `npm run build`: the widget bundles, type declarations and the
 * custom-elements manifest, into dist/.
 *
 * - dist/crm-widgets.js: one minified ES module with the runtime, every component and Lit;
 * - dist/components/*.js: one module per component (shared code in chunks), for pages that
 *   want only some; they share the page runtime with each other;
 * - dist/types/: self-contained declarations (index.d.ts; the domain model under model/),
 *   type-checked from outside the repository; dist/custom-elements.json: the manifest.
 *
 * Fails when the bundle's min+gzip size exceeds the budget, or when any server code
 * (HTTP layer, adapter, Elasticsearch client, classic zod) slipped into it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { buildBundle, checkInputs, common } from "./bundle.ts";
import { checkDeclarations, writeDeclarations } from "./declarations.ts";
import { writeReference } from "./docs.ts";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "dist");
const budgetBytes = 25 * 1024;
const components = [
  "crm-field",
  "crm-pipeline-progress",
  "crm-form",
  "crm-entries",
  "crm-customer-details",
];

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await buildBundle(dist);

const split = await build({
  ...common,
  entryPoints: {
    ...Object.fromEntries(
      components.map((name) => [name, `widget/src/components/${name}/${name}.ts`]),
    ),
    // The runtime functions and `provideRuntime` (another runtime for part of a page).
    runtime: "widget/src/runtime/index.ts",
    context: "widget/src/components/context.ts",
  },
  outdir: join(dist, "components"),
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});
checkInputs(split.metafile);

writeDeclarations(join(dist, "types"));
checkDeclarations(join(dist, "types"));

execFileSync(
  process.execPath,
  [
    join(root, "node_modules/@custom-elements-manifest/analyzer/cem.js"),
    "analyze",
    "--litelement",
    "--globs",
    "widget/src/components/**/*.ts",
    "--exclude",
    "widget/src/components/**/*.styles.ts",
    "--outdir",
    "dist",
    "--quiet",
  ],
  { cwd: root, stdio: "inherit" },
);

const readme = join(root, "widget", "README.md");
const readmeBefore = readFileSync(readme, "utf8");
writeReference(join(dist, "custom-elements.json"), readme);
// The lint formats Markdown tables; keep the generated section in that shape.
execFileSync(join(root, "node_modules/.bin/biome"), ["format", "--write", readme], {
  cwd: root,
  stdio: "ignore",
});
if (readFileSync(readme, "utf8") !== readmeBefore) {
  console.log("widget/README.md: component reference updated from the manifest");
}

const source = readFileSync(join(dist, "crm-widgets.js"));
const gzipped = gzipSync(source, { level: 9 }).length;
console.log(
  `dist/crm-widgets.js  ${kb(source.length)} min, ${kb(gzipped)} min+gzip (budget ${kb(budgetBytes)})`,
);
for (const [file, output] of Object.entries(split.metafile.outputs)) {
  if (!file.endsWith(".js") || file.includes("/chunks/")) continue;
  const bytes = readFileSync(join(root, file));
  console.log(
    `${relative(root, join(root, file)).padEnd(45)} ${kb(gzipSync(bytes, { level: 9 }).length)} min+gzip (+ shared chunks; ${output.imports.length} imports)`,
  );
}
if (gzipped > budgetBytes) {
  console.error(
    `The widget bundle is ${kb(gzipped)} min+gzip, over the ${kb(budgetBytes)} budget.`,
  );
  process.exit(1);
}
