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
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildBundle, bundleOutdated } from "../../demo/server/bundle.ts";
import { installInto, pack, root, typeCheck, typeScriptSources } from "./support.ts";

let work: string;
let tarball: string;
let packed: string[];

beforeAll(async () => {
  if (bundleOutdated()) await buildBundle();
  work = mkdtempSync(join(tmpdir(), "crm-widgets-package-"));
  ({ tarball, packed } = pack(join(root, "dist"), work));
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the packed widget package holds built modules, types, the manifest and the README, no sources", () => {
  expect(packed).toEqual(
    expect.arrayContaining([
      "package.json",
      "README.md",
      "custom-elements.json",
      "lib/index.js",
      "lib/components/crm-field.js",
      "lib/back-office.js",
      "types/index.d.ts",
      "crm-widgets.js",
      "components/crm-field.js",
    ]),
  );
  expect(typeScriptSources(packed)).toEqual([]);
  expect(packed.filter((file) => /^(src|test|demo|proxy|widget)\//.test(file))).toEqual([]);
});

test("installed into a fresh project it brings no server dependency, imports in Node, type-checks and bundles", async () => {
  // React and Vue only to type-check the framework declarations below, as an application would.
  const frameworks = ["react@19", "react-dom@19", "@types/react@19", "vue@3"];
  const project = installInto(work, "consumer", [tarball, ...frameworks]);
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
  typeCheck(project);

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
