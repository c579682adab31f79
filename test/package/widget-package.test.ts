/**
 * The widget's npm package as an installer gets it: `npm pack ./dist`, then an
 * install of the tarball into a fresh project outside the repository (from
 * npm's cache or registry, nothing else), which imports it in Node without a
 * DOM, type-checks a page, a React page and a Vue script against it (the
 * JSX and Vue declarations), bundles pages with esbuild as an application
 * would, and runs the bundles in headless Chromium: the elements must be
 * defined by what the bundler kept, not by what it parsed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BuildOptions, build } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildBundle, bundleOutdated } from "../../demo/server/bundle.ts";
import { backOfficeTags } from "../../widget/src/back-office-tags.ts";
import { customerTags } from "../../widget/src/tags.ts";
import { chromiumLaunch } from "../support/chromium.ts";
import { installInto, pack, typeCheck, typeScriptSources } from "./support.ts";

let work: string;
let tarball: string;
let packed: string[];
let project: string;
let browser: Browser | undefined;

beforeAll(async () => {
  if (bundleOutdated()) await buildBundle();
  work = mkdtempSync(join(tmpdir(), "crm-widgets-package-"));
  ({ tarball, packed } = pack("./dist", work));
  // React and Vue as an application has them: to type-check the framework declarations
  // (vue-tsc for Vue templates) and to render a React page in Chromium.
  const frameworks = ["react@19", "react-dom@19", "@types/react@19", "vue@3", "vue-tsc@3"];
  project = installInto(work, "consumer", [tarball, ...frameworks]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The consumer's `file` bundled by esbuild as an application's build does (production React; `options` for a server's). */
async function bundle(file: string, source: string, options: BuildOptions = {}): Promise<string> {
  writeFileSync(join(project, file), source);
  const bundled = await build({
    entryPoints: [join(project, file)],
    absWorkingDir: project,
    bundle: true,
    format: "esm",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    logLevel: "silent",
    ...options,
  });
  return bundled.outputFiles?.[0]?.text ?? "";
}

const origin = "http://consumer.test";
/** Where the React page's runtime sends its batches: refused, so each component reports a load error. */
const unreachableProxy = "http://proxy.consumer.test";

/**
 * Opens `script` as the one module of a page in headless Chromium (served by request
 * interception, nothing reaches the network), its `#root` holding `root` (a server
 * render's HTML), and returns what `check` finds there once the module ran. An error
 * the page throws fails the test.
 */
async function inChromium<T>(
  script: string,
  check: (tags: string[]) => T | Promise<T>,
  tags: string[],
  root = "",
): Promise<T> {
  browser ??= await chromium.launch(chromiumLaunch);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await page.route(`${unreachableProxy}/**`, (route) => route.abort("connectionrefused"));
    await page.route(`${origin}/**`, (route) =>
      new URL(route.request().url()).pathname === "/app.js"
        ? route.fulfill({ contentType: "text/javascript", body: script })
        : route.fulfill({
            contentType: "text/html",
            body: `<!doctype html><html lang="en"><body><div id="root">${root}</div><script type="module" src="/app.js"></script></body></html>`,
          }),
    );
    // A module script runs before the load event, which goto waits for.
    await page.goto(`${origin}/`);
    const found = await page.evaluate(check, tags);
    expect(errors).toEqual([]);
    return found;
  } finally {
    await page.close();
  }
}

/** The tags of `tags` that the page's registry defines. */
const defined = (tags: string[]) => tags.filter((tag) => customElements.get(tag) !== undefined);

test("the packed widget package holds built modules, types, the manifest and the README, no sources", () => {
  expect(packed).toEqual(
    expect.arrayContaining([
      "package.json",
      "README.md",
      "LICENSE",
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

test("the installed package's README covers npm, React, Vue and server rendering, and its LICENSE is the licence it declares", () => {
  const installed = join(project, "node_modules", "crm-widgets");
  const readme = readFileSync(join(installed, "README.md"), "utf8");
  for (const heading of [
    "## The snippet a site owner pastes",
    "### With npm and a bundler",
    "### React 19",
    "### Vue 3",
    "### Server-rendered frameworks",
  ]) {
    expect(readme, heading).toContain(`\n${heading}`);
  }
  // The sections themselves, not widget/README.md's pointer to them.
  expect(readme).not.toContain("<!-- from README.md -->");
  const { license } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
    license: string;
  };
  expect(readFileSync(join(installed, "LICENSE"), "utf8").split("\n")[0]).toBe(
    `${license} License`,
  );
});

test("installed into a fresh project it brings no server dependency, imports in Node, type-checks and bundles", async () => {
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
// The attribute spellings a server render needs are typed like their properties.
export const rendered = <crm-form slug="weight-tracker" no-heading entry-id="e1" />;
// @ts-expect-error no-heading is a boolean
export const wrongAttribute = <crm-form slug="weight-tracker" no-heading="yes" />;
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
  onCrmSave: (event) => console.log(event.detail.fields.length),
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

/** vue-tsc on `component` (a `.vue` file of the consumer): tsc's report, empty when it type-checks. */
function vueTypeErrors(component: string, source: string): string {
  writeFileSync(join(project, component), source);
  const config = `tsconfig.${component}.json`;
  writeFileSync(
    join(project, config),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2022", "DOM"],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      },
      files: [component],
    }),
  );
  const vueTsc = join(project, "node_modules", "vue-tsc", "bin", "vue-tsc.js");
  try {
    execFileSync(process.execPath, [vueTsc, "-p", config], { cwd: project, encoding: "utf8" });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

test("a Vue template's listeners and props are typed by the package's Vue declarations (vue-tsc)", () => {
  const typed = vueTypeErrors(
    "Weight.vue",
    `<script setup lang="ts">
import type {} from "crm-widgets/vue";
import type { CrmSaveEvent } from "crm-widgets";
const onSaved = (event: CrmSaveEvent) => console.log(event.detail.fields.length);
</script>
<template>
  <crm-field slug="weight-tracker" field="current_weight" editable @crm-save="onSaved" />
  <crm-form slug="weight-tracker" fields="notes" :noHeading.prop="false"
    @crm-save-error="(event) => console.log(event.detail.error.code)"
    @crm-load-error="(event) => console.log(event.detail.error.message)" />
</template>
`,
  );
  // Unchecked listeners would leave \`event\` an implicit any here (TS7006).
  expect(typed).toBe("");

  const wrongHandler = vueTypeErrors(
    "WrongHandler.vue",
    `<script setup lang="ts">
import type {} from "crm-widgets/vue";
const takesANumber = (event: number) => event;
</script>
<template>
  <crm-field slug="weight-tracker" field="current_weight" @crm-save="takesANumber" />
</template>
`,
  );
  expect(wrongHandler).toMatch(/WrongHandler\.vue\(6,\d+\): error TS2322/);

  const wrongProp = vueTypeErrors(
    "WrongProp.vue",
    `<script setup lang="ts">
import type {} from "crm-widgets/vue";
</script>
<template>
  <crm-form slug="weight-tracker" :fields="3" />
</template>
`,
  );
  expect(wrongProp).toMatch(/WrongProp\.vue\(5,\d+\): error TS2322/);
});

test.each([
  ["crm-widgets/crm-field", ["crm-field"]],
  ["crm-widgets/crm-form", ["crm-form"]],
  // The main module registers every customer component; the back office module every back
  // office one, and the customer ones its entity editor's preview shows.
  ["crm-widgets", [...customerTags]],
  ["crm-widgets/back-office", [...backOfficeTags, ...customerTags]],
])(
  "a bundler keeps the element definitions of a side-effect import of %s",
  async (specifier, tags) => {
    // The README's way to use a component from npm: import the module for its effect only.
    const script = await bundle("side-effect.ts", `import ${JSON.stringify(specifier)};\n`);
    for (const tag of tags) expect(script, tag).toContain(JSON.stringify(tag));
    expect(await inChromium(script, defined, tags)).toEqual(tags);
  },
);

test("a React page that imports only what the README says renders upgraded elements with React's props and hears their events", async () => {
  const script = await bundle(
    "react-app.tsx",
    `import type {} from "crm-widgets/react";
import { configure } from "crm-widgets";
import { createRoot } from "react-dom/client";

configure({ proxyUrl: ${JSON.stringify(unreachableProxy)}, token: "a-session-token" });
const heard: string[] = [];
Object.assign(window, { heard });

function Page() {
  return (
    <main>
      <crm-field slug="weight-tracker" field="current_weight" editable
        oncrm-load-error={(event) => heard.push(\`crm-field \${event.detail.error.code}\`)} />
      <crm-pipeline-progress slug="weight-tracker" pipeline="progress" showHistory={true} />
      <crm-form slug="weight-tracker" fields="notes" noHeading={true}
        oncrm-load-error={(event) => heard.push(\`crm-form \${event.detail.error.code}\`)} />
    </main>
  );
}
createRoot(document.getElementById("root") as HTMLElement).render(<Page />);
`,
  );
  const page = await inChromium(
    script,
    async (tags) => {
      const elements = tags.map((tag) => document.querySelector(tag));
      const heard = () => [...(window as unknown as { heard: string[] }).heard].sort();
      for (let waited = 0; heard().length < 2 && waited < 150; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return {
        upgraded: elements.map((element) => element !== null && element.shadowRoot !== null),
        slug: (elements[0] as HTMLElement & { slug?: string }).slug,
        showHistory: (elements[1] as HTMLElement & { showHistory?: boolean }).showHistory,
        noHeading: (elements[2] as HTMLElement & { noHeading?: boolean }).noHeading,
        heard: heard(),
      };
    },
    ["crm-field", "crm-pipeline-progress", "crm-form"],
  );
  expect(page).toEqual({
    upgraded: [true, true, true],
    slug: "weight-tracker",
    showHistory: true,
    noHeading: true,
    heard: ["crm-field unavailable", "crm-form unavailable"],
  });
});

test("a server-rendered React page passes the attribute spellings, which the elements read after hydration", async () => {
  writeFileSync(
    join(project, "progress-page.tsx"),
    `import type {} from "crm-widgets/react";
export function Page() {
  return (
    <main>
      <crm-pipeline-progress slug="weight-tracker" pipeline="progress" show-history />
      <crm-form slug="weight-tracker" fields="notes" no-heading entry-id="e1" />
    </main>
  );
}
`,
  );
  // The server: Node without a DOM, the package imported as a server render would.
  const server = await bundle(
    "server.tsx",
    `import "crm-widgets";
import { renderToString } from "react-dom/server";
import { Page } from "./progress-page.tsx";
console.log(renderToString(<Page />));
`,
    { platform: "node", packages: "external" },
  );
  writeFileSync(join(project, "server.mjs"), server);
  const html = execFileSync(process.execPath, ["server.mjs"], { cwd: project, encoding: "utf8" });
  expect(html).toContain('show-history=""');
  expect(html).toContain('no-heading="" entry-id="e1"');

  const client = await bundle(
    "client.tsx",
    `import { configure } from "crm-widgets";
import { useEffect } from "react";
import { hydrateRoot } from "react-dom/client";
import { Page } from "./progress-page.tsx";
configure({ proxyUrl: ${JSON.stringify(unreachableProxy)}, token: "a-session-token" });
const mismatches: string[] = [];
Object.assign(window, { mismatches, hydrated: false });
// The same markup as the server's; its effect runs once hydration is done.
function Hydrated() {
  useEffect(() => Object.assign(window, { hydrated: true }), []);
  return <Page />;
}
hydrateRoot(document.getElementById("root") as HTMLElement, <Hydrated />, {
  onRecoverableError: (error) => mismatches.push(String(error)),
});
`,
  );
  const hydrated = await inChromium(
    client,
    async () => {
      const state = window as unknown as { hydrated: boolean; mismatches: string[] };
      for (let waited = 0; !state.hydrated && waited < 150; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const progress = document.querySelector("crm-pipeline-progress") as HTMLElement & {
        showHistory: boolean;
      };
      const form = document.querySelector("crm-form") as HTMLElement & {
        noHeading: boolean;
        entryId: string;
      };
      return {
        showHistory: progress.showHistory,
        noHeading: form.noHeading,
        entryId: form.entryId,
        hydrated: state.hydrated,
        mismatches: state.mismatches,
      };
    },
    [],
    html.trim(),
  );
  expect(hydrated).toEqual({
    showHistory: true,
    noHeading: true,
    entryId: "e1",
    hydrated: true,
    mismatches: [],
  });
});
