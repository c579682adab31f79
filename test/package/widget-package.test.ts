/**
 * The widget's npm package as an installer gets it: `npm pack dist`, then an
 * install of the tarball into a fresh project outside the repository (from
 * npm's cache or registry, nothing else), which imports it in Node without a
 * DOM, type-checks a page, a React page and a Vue script against it (the
 * JSX and Vue declarations) and bundles the page with esbuild.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildBundle, bundleOutdated } from "../../demo/server/bundle.ts";

const root = resolve(import.meta.dirname, "../..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
let work: string;
let tarball: string;
let packed: string[];

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(async () => {
  if (bundleOutdated()) await buildBundle();
  work = mkdtempSync(join(tmpdir(), "crm-widgets-package-"));
  const [info] = JSON.parse(
    npm(["pack", join(root, "dist"), "--json", "--pack-destination", work], work),
  ) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error("npm pack printed nothing");
  tarball = join(work, info.filename);
  packed = info.files.map((file) => file.path);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the packed widget package holds built modules, types, the manifest and the README, no sources", () => {
  for (const file of [
    "package.json",
    "README.md",
    "custom-elements.json",
    "lib/index.js",
    "lib/components/crm-field.js",
    "lib/back-office.js",
    "types/index.d.ts",
    "crm-widgets.js",
    "components/crm-field.js",
  ]) {
    expect(packed).toContain(file);
  }
  expect(packed.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
  expect(packed.filter((file) => /^(src|test|demo|proxy|widget)\//.test(file))).toEqual([]);
});

test("installed into a fresh project it brings no server dependency, imports in Node, type-checks and bundles", async () => {
  const project = join(work, "consumer");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`,
  );
  // React and Vue only to type-check the framework declarations below, as an application would.
  const frameworks = ["react@19", "react-dom@19", "@types/react@19", "vue@3"];
  npm(["install", tarball, ...frameworks, "--prefer-offline", "--no-audit", "--no-fund"], project);
  const modules = join(project, "node_modules");
  for (const name of ["crm-widgets", "lit", "zod", "@lit/task", "@lit/context"]) {
    expect(existsSync(join(modules, name)), name).toBe(true);
  }
  for (const name of ["hono", "@hono", "@elastic", "jose", "wrangler", "@crm-widgets"]) {
    expect(existsSync(join(modules, name)), name).toBe(false);
  }

  // A server render imports the components: no DOM here, and nothing may throw.
  const imported = execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      'const m = await import("crm-widgets"); await import("crm-widgets/crm-form"); console.log(Object.keys(m).sort().join(","));',
    ],
    { cwd: project, encoding: "utf8" },
  );
  expect(imported).toContain("CrmField");
  expect(imported).toContain("getCrmField");

  writeFileSync(
    join(project, "page.ts"),
    `import { type CrmSaveEvent, configure, getCrmField } from "crm-widgets";
import { CrmField } from "crm-widgets/crm-field";
configure({ proxyUrl: "https://crm.example.com" });
const field = document.createElement("crm-field");
const same: CrmField = field;
same.slug = "weight-tracker";
field.addEventListener("crm-save", (event: CrmSaveEvent) => console.log(event.detail.fields));
const { value } = await getCrmField({ slug: "weight-tracker", fieldKey: "current_weight" });
console.log(value);
`,
  );
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        jsx: "react-jsx",
      },
      files: ["page.ts", "react-page.tsx", "vue-page.ts"],
    }),
  );
  writeFileSync(
    join(project, "react-page.tsx"),
    `import type {} from "crm-widgets/react";
import "crm-widgets/crm-field";
export function Weight({ onSaved }: { onSaved: (keys: string[]) => void }) {
  return (
    <crm-field
      slug="weight-tracker"
      field="current_weight"
      editable
      value={80}
      oncrm-save={(event) => onSaved(event.detail.fields.map((saved) => saved.fieldKey))}
    />
  );
}
// @ts-expect-error editable is a boolean property
export const wrong = <crm-field slug="weight-tracker" editable="yes" />;
`,
  );
  writeFileSync(
    join(project, "vue-page.ts"),
    `import type {} from "crm-widgets/vue";
import type { GlobalComponents } from "vue";
type FormProps = InstanceType<GlobalComponents["crm-form"]>["$props"];
export const props: FormProps = {
  slug: "weight-tracker",
  noHeading: false,
  "onCrm-save": (event) => console.log(event.detail.fields.length),
};
// @ts-expect-error noHeading is a boolean property
export const wrong: FormProps = { noHeading: "false" };
`,
  );
  try {
    execFileSync(process.execPath, [tsc, "-p", project], { encoding: "utf8" });
  } catch (error) {
    throw new Error(`The consumer does not type-check:\n${(error as { stdout?: string }).stdout}`);
  }

  const bundled = await build({
    entryPoints: [join(project, "page.ts")],
    absWorkingDir: project,
    bundle: true,
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(bundled.metafile.inputs);
  // One Lit, the application's, and the package's modules rather than its script-tag copy.
  expect(inputs.filter((input) => input.endsWith("lit-html/lit-html.js"))).toHaveLength(1);
  expect(inputs.some((input) => input.includes("crm-widgets/lib/"))).toBe(true);
  expect(inputs.some((input) => input.endsWith("crm-widgets/crm-widgets.js"))).toBe(false);
  expect(readFileSync(join(modules, "crm-widgets", "package.json"), "utf8")).not.toContain("hono");
}, 180_000);
