/**
 * The npm package of the widgets, made from `dist/`: `npm pack ./dist` gives a
 * tarball with the built modules, their types, the custom-elements manifest,
 * the README and the script-tag bundles, and a manifest whose dependencies are
 * only what the browser code imports (Lit and zod): none of the proxy's.
 *
 * - `lib/index.js`: the runtime's functions and every customer component,
 *   registered on import, for bundlers; `lib/components/<tag>.js` one component
 *   each; `lib/back-office.js` the back office components. Lit, @lit/* and zod
 *   stay imports, so an application's bundler keeps one Lit, and Node resolves
 *   Lit's server build (importing the package in a server render does not throw);
 * - `lib/ssr.js` (Node) and `lib/hydrate-support.js` (browser) for pages whose server renders
 *   the components with Lit's SSR: `@lit-labs/ssr` and `@lit-labs/ssr-client` are optional
 *   peer dependencies, installed only by such sites;
 * - the script-tag files (`crm-widgets.js`, `components/`, `back-office/`, …) for a CDN.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { checkInputs, common } from "./bundle.ts";
import { customerTags } from "./src/tags.ts";

const root = resolve(import.meta.dirname, "..");
const componentSource = (tag: string) => `widget/src/components/${tag}/${tag}.ts`;
/** What the browser code imports at run time; the installer provides these. */
const runtimeDependencies = ["lit", "@lit/context", "@lit/task", "zod"];
/** What only server-rendering sites install (`crm-widgets/ssr`, `crm-widgets/hydrate-support`). */
const serverRenderingPeers = ["@lit-labs/ssr", "@lit-labs/ssr-client"];

/** Writes dist/lib: readable ES modules for bundlers and Node, dependencies left as imports. */
export async function buildLibrary(dist: string): Promise<void> {
  const result = await build({
    ...common,
    entryPoints: {
      index: "widget/src/index.ts",
      "back-office": "widget/src/back-office-index.ts",
      ssr: "widget/src/ssr/server.ts",
      "hydrate-support": "widget/src/ssr/hydrate-support.ts",
      ...Object.fromEntries(customerTags.map((tag) => [`components/${tag}`, componentSource(tag)])),
    },
    outdir: join(dist, "lib"),
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    minify: false,
    legalComments: "none",
    packages: "external",
  });
  checkInputs(result.metafile);
}

/** Where widget/README.md holds the repository README's npm, React, Vue and server rendering sections. */
const embeddedSections = /<!-- from README\.md -->[\s\S]*?<!-- end -->/;

/**
 * The package's README: widget/README.md with the repository README's sections on
 * installing with npm, React, Vue and server-rendered frameworks (from "With npm and a
 * bundler" to the end of its embedding section) in place of its pointer to them, so
 * those sections are written once and an installer reads them too.
 */
function packageReadme(): string {
  const repository = readFileSync(join(root, "README.md"), "utf8");
  const start = repository.indexOf("\n### With npm and a bundler\n");
  const end = repository.indexOf("\n## ", start + 1);
  const widget = readFileSync(join(root, "widget", "README.md"), "utf8");
  if (start < 0 || end < 0 || !embeddedSections.test(widget)) {
    throw new Error(
      "README.md has no section 'With npm and a bundler', or widget/README.md no <!-- from README.md --> … <!-- end -->",
    );
  }
  return widget.replace(embeddedSections, repository.slice(start + 1, end).trim());
}

/** Writes dist/package.json, dist/README.md and dist/LICENSE for `npm pack ./dist`. */
export function writePackageManifest(dist: string): void {
  const workspace = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    version: string;
    license: string;
    engines: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const dependencies = Object.fromEntries(
    runtimeDependencies.map((name) => {
      const range = workspace.dependencies[name];
      if (!range) throw new Error(`package.json has no dependency ${name}`);
      return [name, range];
    }),
  );
  const peerDependencies = Object.fromEntries(
    serverRenderingPeers.map((name) => {
      const range = workspace.devDependencies[name];
      if (!range) throw new Error(`package.json has no dev dependency ${name}`);
      return [name, range];
    }),
  );
  const typesOf = (tag: string) => `./types/components/${tag}/${tag}.d.ts`;
  const manifest = {
    name: "crm-widgets",
    version: workspace.version,
    description:
      "Lit web components that show and edit the visiting customer's own CRM data through the crm-widgets proxy.",
    license: workspace.license,
    type: "module",
    keywords: ["web-components", "lit", "crm", "custom-elements"],
    exports: {
      ".": { types: "./types/index.d.ts", default: "./lib/index.js" },
      "./back-office": { types: "./types/back-office-index.d.ts", default: "./lib/back-office.js" },
      ...Object.fromEntries(
        customerTags.map((tag) => [
          `./${tag}`,
          { types: typesOf(tag), default: `./lib/components/${tag}.js` },
        ]),
      ),
      "./ssr": { types: "./types/ssr/server.d.ts", default: "./lib/ssr.js" },
      "./hydrate-support": {
        types: "./types/ssr/hydrate-support.d.ts",
        default: "./lib/hydrate-support.js",
      },
      // Types only: `import type {} from "crm-widgets/react"` (or "/vue") once in an application.
      "./react": { types: "./types/react.d.ts" },
      "./vue": { types: "./types/vue.d.ts" },
      "./crm-widgets.js": "./crm-widgets.js",
      "./crm-back-office.js": "./crm-back-office.js",
      "./custom-elements.json": "./custom-elements.json",
      "./package.json": "./package.json",
    },
    types: "./types/index.d.ts",
    customElements: "./custom-elements.json",
    // Every module that defines elements. Code splitting moves a component's module, its
    // defineElement call included, into a shared chunk once two entries import it, and which
    // chunk that is changes with the build: every module of lib/ counts, the chunks too, or
    // a bundler drops the definitions of a side-effect import. Types and the manifest have none.
    sideEffects: [
      "./lib/*.js",
      "./lib/components/*.js",
      "./lib/chunks/*.js",
      "./crm-widgets.js",
      "./crm-back-office.js",
      "./components/*.js",
      "./back-office/*.js",
    ],
    dependencies,
    peerDependencies,
    peerDependenciesMeta: Object.fromEntries(
      serverRenderingPeers.map((name) => [name, { optional: true }]),
    ),
    engines: { node: workspace.engines.node },
  };
  writeFileSync(join(dist, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dist, "README.md"), packageReadme());
  copyFileSync(join(root, "LICENSE"), join(dist, "LICENSE"));
}
