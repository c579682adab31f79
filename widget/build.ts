/**
 * `npm run build`: the widget bundles, type declarations and the
 * custom-elements manifest, into dist/.
 *
 * - dist/crm-widgets.js: the customer core, which loads dist/components/<tag>.js
 *   the first time a page uses the tag (dist/components/all.js for several at
 *   once); dist/crm-back-office.js and dist/back-office/: the back office bundle
 *   (see bundle.ts);
 * - dist/lib/: the npm package's modules (Lit and zod left to the installer), and
 *   dist/package.json + dist/README.md: the package `npm pack ./dist` makes (see package.ts);
 * - dist/types/: self-contained declarations (index.d.ts; the domain model under model/;
 *   react.d.ts and vue.d.ts, the elements in JSX and in Vue templates, see frameworks.ts),
 *   type-checked from outside the repository; dist/custom-elements.json: the manifest;
 * - dist/sizes.json: what each kind of page downloads (read by `npm run bench`);
 * - dist/integrity.json: every file's Subresource Integrity hash (the two script tags'
 *   ones are printed).
 *
 * Fails when a page's min+gzip bytes exceed their budget, when any server code
 * (HTTP layer, adapter, Elasticsearch client, classic zod) slipped into a
 * bundle, or when a customer page could reach back office code.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildBundle, type PageWeight, pageWeight } from "./bundle.ts";
import { checkDeclarations, writeDeclarations } from "./declarations.ts";
import { writeReference } from "./docs.ts";
import { writeFrameworkTypes } from "./frameworks.ts";
import { buildLibrary, writePackageManifest } from "./package.ts";
import { customerTags } from "./src/tags.ts";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "dist");
const kilobyte = 1024;
/**
 * Budgets in min+gzip bytes, every file a page downloads gzipped on its own: the build
 * fails over one. The customer pages' are issue 15's targets: a 16 KB core, 19 KB for a
 * page with only crm-field and 28 KB for every customer component, the history chart
 * included.
 */
const budgets = {
  core: 16 * kilobyte,
  onlyField: 19 * kilobyte,
  allCustomer: 28 * kilobyte,
  // Staff only: the settings components, the customer ones their preview shows, and the
  // zod/mini entity schema with a copy of zod's core (see bundle.ts, `ownZodCore`).
  crmSettings: 56 * kilobyte,
};

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const files = await buildBundle(dist);

writeDeclarations(join(dist, "types"));
checkDeclarations(join(dist, "types"));
await buildLibrary(dist);

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

writeFrameworkTypes(join(dist, "custom-elements.json"), join(dist, "types"));

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
writePackageManifest(dist);

/** The tags a demo page uses, so the figures follow the demo as it changes. */
function demoTags(page: string): string[] {
  const html = readFileSync(join(root, "demo", "public", page), "utf8");
  return [...new Set([...html.matchAll(/<(crm-[a-z-]+)/g)].map((match) => match[1] as string))];
}

const pages = {
  core: {
    script: "crm-widgets.js",
    tags: [] as string[],
    budget: budgets.core,
  },
  onlyField: {
    script: "crm-widgets.js",
    tags: ["crm-field"],
    budget: budgets.onlyField,
  },
  progressPage: { script: "crm-widgets.js", tags: demoTags("progress.html") },
  checkInPage: { script: "crm-widgets.js", tags: demoTags("check-in.html") },
  allCustomer: {
    script: "crm-widgets.js",
    tags: [...customerTags],
    budget: budgets.allCustomer,
  },
  backOffice: { script: "crm-back-office.js", tags: demoTags("back-office.html") },
  // The settings components, and the customer ones their preview shows.
  crmSettings: {
    script: "crm-back-office.js",
    tags: [...demoTags("crm-settings.html"), "crm-form", "crm-field", "crm-pipeline-progress"],
    budget: budgets.crmSettings,
  },
};
const sizes: Record<string, PageWeight & { tags: string[]; budget?: number }> = {};
let overBudget = false;
for (const [name, page] of Object.entries(pages)) {
  const weight = pageWeight(files, page.script, page.tags);
  const budget = "budget" in page ? page.budget : undefined;
  sizes[name] = { ...weight, tags: page.tags, ...(budget ? { budget } : {}) };
  const over = budget !== undefined && weight.gzipBytes > budget;
  overBudget ||= over;
  console.log(
    `${name.padEnd(13)} ${kb(weight.gzipBytes).padStart(8)} min+gzip in ${weight.requests} files` +
      `${budget ? ` (budget ${kb(budget)}${over ? ", OVER" : ""})` : ""}: ${page.script}` +
      `${page.tags.length ? ` + ${page.tags.join(", ")}` : ""}`,
  );
}
writeFileSync(join(dist, "sizes.json"), `${JSON.stringify(sizes, null, 2)}\n`);

// Subresource Integrity: the script tags' `integrity` values, and every module's in
// dist/integrity.json (the shape of an import map's "integrity" section, keyed by path).
const integrity = Object.fromEntries(
  Object.keys(files.imports)
    .sort()
    .map((file) => [
      file,
      `sha384-${createHash("sha384")
        .update(readFileSync(join(dist, file)))
        .digest("base64")}`,
    ]),
);
writeFileSync(join(dist, "integrity.json"), `${JSON.stringify(integrity, null, 2)}\n`);
for (const script of ["crm-widgets.js", "crm-back-office.js"]) {
  console.log(`${script} integrity="${integrity[script]}"`);
}
if (overBudget) {
  console.error("A page of the widget bundles is over its min+gzip budget (see above).");
  process.exit(1);
}
