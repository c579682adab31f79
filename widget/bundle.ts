/**
 * The script-tag bundles, shared by `npm run build` and the widget tests
 * (which load the very files a site owner embeds):
 *
 * - `crm-widgets.js`: the customer core, one file: Lit, the page runtime, the
 *   shared validation, the components' base and what most components use, and
 *   the autoloader that imports a component's module the first time its tag
 *   appears;
 * - `components/<tag>.js`: one module per customer component, and
 *   `components/all.js` all of them, which the core loads when a page shows
 *   two or more at once; they import the core's code from `../crm-widgets.js`;
 * - `crm-back-office.js` with `back-office/<tag>.js`: the back office bundle,
 *   which loads the same core; nothing a customer page loads refers to it.
 *
 * How a module reaches the core: the build first bundles every entry to learn
 * which modules the core holds and which of their names the components
 * import; the core then exports each such name under a short alias (`$0`,
 * `$1`, …) and every component import of a core module becomes an import of
 * that alias from the core file. So the core's code exists once on a page,
 * whichever modules load it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import {
  type BuildOptions,
  build,
  type Message,
  type Metafile,
  type OnResolveArgs,
  type Plugin,
  type PluginBuild,
} from "esbuild";
import { minify } from "terser";
import { minifyTemplatesPlugin } from "./minify-templates.ts";
import { backOfficeTags } from "./src/back-office-tags.ts";
import { customerTags } from "./src/tags.ts";

const root = resolve(import.meta.dirname, "..");

/** Inputs that must never reach the browser: anything of the proxy but its domain model. */
const serverCode = [/^proxy\/(?!src\/domain\/)/, /node_modules\/(@elastic|hono|@hono|jose)\//];

/**
 * Inputs that must never reach the browser: server code, and classic zod (the
 * browser takes the domain through `#domain/browser` and the zod/mini entity
 * schemas of `#domain/entity` only, so classic zod means a server-only domain
 * module slipped in).
 */
const forbidden = [...serverCode, /node_modules\/zod\/v4\/classic\//];

/** Inputs that must never reach a customer page: the back office components' own code. */
const backOfficeOnly = [
  ...backOfficeTags.map((tag) => new RegExp(`widget/src/components/${tag}/`)),
  /widget\/src\/back-office\//,
  /widget\/src\/components\/crm-entity-preview\//,
];

export const common: BuildOptions & { metafile: true } = {
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
  absWorkingDir: root,
  tsconfig: join(root, "tsconfig.json"),
  plugins: [minifyTemplatesPlugin()],
};

export function checkInputs(metafile: Metafile): void {
  const leaked = Object.keys(metafile.inputs).filter((input) =>
    forbidden.some((re) => re.test(input)),
  );
  if (leaked.length > 0) {
    throw new Error(`Server code in the widget bundle:\n  ${leaked.join("\n  ")}`);
  }
}

/** The files of one build, by path relative to its folder. */
export interface BundleFiles {
  outdir: string;
  /** Relative path → relative paths of its static imports. */
  imports: Record<string, string[]>;
  /** Relative path → source inputs that went into it. */
  inputs: Record<string, string[]>;
}

/** What a page costs: the files it downloads (script + modules of its tags + their imports). */
export interface PageWeight {
  files: string[];
  requests: number;
  minBytes: number;
  gzipBytes: number;
}

const componentSource = (tag: string) => `widget/src/components/${tag}/${tag}.ts`;

/** The module a tag loads from, relative to the bundles' folder. */
export function moduleOf(tag: string): string {
  return (backOfficeTags as readonly string[]).includes(tag)
    ? `back-office/${tag}.js`
    : `components/${tag}.js`;
}

/** Every customer component in one module: what the core loads for two or more tags at once. */
export const allCustomerComponents = "components/all.js";

/** The modules the autoloader loads for tags found together (see autoloader.ts). */
export function modulesFor(tags: readonly string[]): string[] {
  const grouped = tags.filter((tag) => (customerTags as readonly string[]).includes(tag));
  const others = tags.filter((tag) => !grouped.includes(tag)).map(moduleOf);
  return grouped.length > 1
    ? [allCustomerComponents, ...others]
    : [...grouped.map(moduleOf), ...others];
}

function closure(files: BundleFiles, start: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of files.imports[file] ?? []) visit(imported);
  };
  for (const file of start) visit(file);
  return [...seen];
}

/**
 * What a page with `script` (`crm-widgets.js` or `crm-back-office.js`) and the
 * given tags downloads, each file gzipped on its own as a server sends it.
 */
export function pageWeight(
  files: BundleFiles,
  script: string,
  tags: readonly string[],
): PageWeight {
  const list = closure(files, [script, ...modulesFor(tags)]);
  let minBytes = 0;
  let gzipBytes = 0;
  for (const file of list) {
    const bytes = readFileSync(join(files.outdir, file));
    minBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: list, requests: list.length, minBytes, gzipBytes };
}

/** Fails when a file a customer page can load holds back office component code. */
function checkCustomerReach(files: BundleFiles): void {
  const reachable = closure(files, ["crm-widgets.js", ...customerTags.map(moduleOf)]);
  const leaked = reachable.flatMap((file) =>
    (files.inputs[file] ?? [])
      .filter((input) => backOfficeOnly.some((re) => re.test(input)))
      .map((input) => `${file}: ${input}`),
  );
  if (leaked.length > 0) {
    throw new Error(`Back office code reachable from customer pages:\n  ${leaked.join("\n  ")}`);
  }
}

const absolute = (input: string) => resolve(root, input.replace(/^[a-z-]+:/, ""));

/** The modules the core file holds: everything the core entry imports, by absolute path. */
async function coreModules(): Promise<Set<string>> {
  const analysis = await build({
    ...common,
    entryPoints: ["widget/src/crm-widgets.ts"],
    write: false,
    outdir: join(root, "dist"),
    minify: false,
  });
  return new Set(Object.keys(analysis.metafile.inputs).map(absolute));
}

/**
 * zod/mini (only in the back office's CRM settings editor, for the entity schema)
 * imports zod's core as a namespace, which the core's aliases cannot stand for: zod's
 * modules reached from there keep a copy of their own. Customer modules reach zod only
 * through the core.
 */
const ownZodCore = (importer: string) => /node_modules\/zod\//.test(importer);

/**
 * Where an import the core plugins look at resolves to, found by esbuild's own resolver
 * (marked with the plugin's `name`, so the plugin does not see it again); undefined for
 * entry points and for zod's imports of its own modules (see `ownZodCore`).
 */
async function resolveImport(
  builder: PluginBuild,
  args: OnResolveArgs,
  name: string,
): Promise<{ path: string } | { errors: Message[] } | undefined> {
  if (args.pluginData === name || args.kind === "entry-point" || ownZodCore(args.importer))
    return undefined;
  const resolved = await builder.resolve(args.path, {
    importer: args.importer,
    resolveDir: args.resolveDir,
    kind: args.kind,
    pluginData: name,
  });
  return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
}

/**
 * Marks imports of core modules external, as written, so the names imported stay visible;
 * `own` modules are bundled instead (see `backOfficeCopies`).
 */
function externalCore(core: Set<string>, own: ReadonlySet<string>): Plugin {
  return {
    name: "external-core",
    setup(builder) {
      builder.onResolve({ filter: /.*/ }, async (args) => {
        const resolved = await resolveImport(builder, args, "external-core");
        if (!resolved || "errors" in resolved) return resolved;
        return core.has(resolved.path) && !own.has(resolved.path)
          ? { path: resolved.path, external: true }
          : undefined;
      });
    },
  };
}

/** Module path → the names the components import from it (`default` for default imports). */
async function importedFromCore(
  core: Set<string>,
  entries: string[],
  own: ReadonlySet<string> = new Set(),
): Promise<Map<string, Set<string>>> {
  const names = new Map<string, Set<string>>();
  const analysis = await build({
    ...common,
    entryPoints: entries,
    write: false,
    outdir: join(root, "dist", "analysis"),
    minify: false,
    plugins: [externalCore(core, own), ...(common.plugins ?? [])],
  });
  const statement =
    /^import\s+(?:([\w$]+)\s*,?\s*)?(\*\s*as\s+[\w$]+)?\s*(?:\{([^}]*)\})?\s*from\s*"([^"]+)";/gm;
  for (const file of analysis.outputFiles) {
    for (const match of file.text.matchAll(statement)) {
      const [, defaultName, namespace, named, path] = match;
      if (!path || !core.has(path)) continue;
      if (namespace)
        throw new Error(`${file.path}: a namespace import of ${path} cannot come from the core`);
      const set = names.get(path) ?? new Set<string>();
      if (defaultName) set.add("default");
      for (const part of (named ?? "").split(",")) {
        const name = part.trim().split(/\s+as\s+/)[0];
        if (name) set.add(name);
      }
      names.set(path, set);
    }
  }
  return names;
}

/** Alias of each (module, name) the core exports for the components. */
function aliases(names: Map<string, Set<string>>): Map<string, Map<string, string>> {
  let next = 0;
  const out = new Map<string, Map<string, string>>();
  for (const [path, set] of [...names].sort(([a], [b]) => a.localeCompare(b))) {
    out.set(path, new Map([...set].sort().map((name) => [name, `$${(next++).toString(36)}`])));
  }
  return out;
}

/** Resolves imports of core modules to their aliases in the core file at `coreSpecifier`. */
function fromCore(
  core: Set<string>,
  alias: Map<string, Map<string, string>>,
  coreSpecifier: string,
  own: ReadonlySet<string> = new Set(),
): Plugin {
  return {
    name: "from-core",
    setup(builder) {
      builder.onResolve({ filter: /.*/ }, async (args) => {
        if (args.namespace === "crm-core") return { path: coreSpecifier, external: true };
        const resolved = await resolveImport(builder, args, "from-core");
        if (!resolved || "errors" in resolved) return resolved;
        if (!core.has(resolved.path) || own.has(resolved.path)) return undefined;
        // With splitting, one stand-in per importing file: shared by several files, it would
        // become a chunk of its own (one more request for a few re-exports). Without, one per
        // core module, so each name is imported once.
        const importer = builder.initialOptions.splitting ? args.importer : "";
        return { path: `${resolved.path}\0${importer}`, namespace: "crm-core" };
      });
      builder.onLoad({ filter: /.*/, namespace: "crm-core" }, (args) => {
        const names = alias.get(args.path.split("\0")[0] ?? "") ?? new Map<string, string>();
        const list = [...names].map(([name, short]) => `${short} as ${name}`).join(", ");
        // A module whose names no component imports is still evaluated (its side effects).
        const contents = list ? `export { ${list} } from "core";` : `import "core";`;
        return { contents, loader: "js" };
      });
    },
  };
}

/**
 * esbuild writes one `import{…}from"../crm-widgets.js"` per stand-in (per core module
 * and importing file, see `fromCore`); one statement holding all of them is the same
 * module graph in fewer bytes.
 */
function oneImportOfTheCore(code: string): string {
  const statement = /import\{([^}]*)\}from"(\.\.?\/crm-widgets\.js)";/g;
  const names: string[] = [];
  let specifier: string | undefined;
  const rest = code.replace(statement, (_, list: string, from: string) => {
    if (specifier !== undefined && from !== specifier) throw new Error(`Two cores: ${from}`);
    specifier = from;
    names.push(list);
    return "";
  });
  return specifier === undefined ? code : `import{${names.join(",")}}from"${specifier}";${rest}`;
}

/** Minifies each output once more with terser and records what it imports and holds. */
async function finish(
  result: { metafile: Metafile },
  outdir: string,
  files: BundleFiles,
): Promise<void> {
  checkInputs(result.metafile);
  const relativeTo = (path: string) =>
    relative(outdir, resolve(root, path)).split(/[\\/]/).join(posix.sep);
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    if (!path.endsWith(".js")) continue;
    const file = relativeTo(path);
    files.imports[file] = output.imports
      .filter((imported) => imported.kind === "import-statement")
      .map((imported) =>
        imported.external
          ? posix.join(posix.dirname(file), imported.path)
          : relativeTo(imported.path),
      );
    files.inputs[file] = Object.keys(output.inputs);
    // terser compresses a few percent beyond esbuild (three passes, safe options only).
    // pure_getters: no getter in these bundles has side effects (Lit's reactive accessors
    // only read), so unused reads such as lit-html's private exports can go.
    const target = join(outdir, file);
    const minified = await minify(oneImportOfTheCore(readFileSync(target, "utf8")), {
      module: true,
      ecma: 2020,
      compress: { passes: 3, pure_getters: true },
      mangle: true,
      format: { comments: "some" },
    });
    if (minified.code === undefined) throw new Error(`terser produced nothing for ${file}`);
    writeFileSync(target, minified.code);
  }
}

/**
 * Lit's own modules (not its decorators): a copy would be a second Lit on the page,
 * with its own base classes and template markers.
 */
const litItself = /node_modules\/(lit-html|lit-element|@lit\/reactive-element)\/(?!decorators\/)/;

/**
 * The core modules the back office modules bundle a copy of: those from which they
 * import a name no customer module imports. Exporting such a name from the core
 * would make every customer page pay for the back office; a copy costs only staff
 * pages. A copied module's own imports are looked at again, until nothing changes.
 * Lit itself is never copied: the core exports the names the copies need of it
 * instead (`exported`, by module, grows by them).
 */
async function backOfficeCopies(
  core: Set<string>,
  exported: Map<string, Set<string>>,
  entries: string[],
): Promise<Set<string>> {
  const own = new Set<string>();
  for (;;) {
    let changed = false;
    for (const [path, names] of await importedFromCore(core, entries, own)) {
      const missing = [...names].filter((name) => !exported.get(path)?.has(name));
      if (missing.length === 0) continue;
      changed = true;
      if (litItself.test(path))
        exported.set(path, new Set([...(exported.get(path) ?? []), ...missing]));
      else own.add(path);
    }
    if (!changed) return own;
  }
}

/** Writes the bundles into `outdir`; fails if server or back office code went where it must not. */
export async function buildBundle(outdir: string): Promise<BundleFiles> {
  const files: BundleFiles = { outdir, imports: {}, inputs: {} };
  const core = await coreModules();
  const customerEntries = customerTags.map(componentSource);
  const backOfficeEntries = [...backOfficeTags.map(componentSource), "widget/src/back-office.ts"];
  // The core exports what customer modules and the back office script import, and what the
  // back office's copies need of Lit, nothing more.
  const exported = await importedFromCore(core, [...customerEntries, "widget/src/back-office.ts"]);
  const copies = await backOfficeCopies(core, exported, backOfficeEntries);
  const alias = aliases(exported);

  // The core: its own exports, plus the aliases the component modules import.
  const coreEntry = join(root, "widget", "src", "crm-widgets.ts");
  const reexports = [...alias]
    .map(([path, names]) => {
      const list = [...names].map(([name, short]) => `${name} as ${short}`).join(", ");
      return `export { ${list} } from ${JSON.stringify(path)};`;
    })
    .join("\n");
  mkdirSync(outdir, { recursive: true });
  /** One esbuild run (with `plugin`, the one that links to the core), minified and recorded. */
  const output = async (options: Omit<BuildOptions, "metafile">, plugin?: Plugin) =>
    finish(
      await build({
        ...common,
        ...options,
        plugins: [...(plugin ? [plugin] : []), ...(common.plugins ?? [])],
      }),
      outdir,
      files,
    );
  await output({
    stdin: {
      contents: `export * from ${JSON.stringify(coreEntry)};\n${reexports}\n`,
      resolveDir: dirname(coreEntry),
      sourcefile: "crm-widgets.core.js",
      loader: "js",
    },
    outfile: join(outdir, "crm-widgets.js"),
  });
  // Customer components, each module whole (what they share beyond the core is copied into
  // each: one request per tag, and no chunk gzipped apart from its users), and all of them in
  // one module. Every output sits one folder below the core: `../crm-widgets.js` names it.
  const fromCoreBelow = fromCore(core, alias, "../crm-widgets.js");
  for (const tag of customerTags) {
    await output(
      { entryPoints: { [`components/${tag}`]: componentSource(tag) }, outdir },
      fromCoreBelow,
    );
  }
  await output(
    {
      stdin: {
        contents: customerTags
          .map((tag) => `import ${JSON.stringify(join(root, componentSource(tag)))};`)
          .join("\n"),
        resolveDir: root,
        sourcefile: "all-customer-components.js",
        loader: "js",
      },
      outfile: join(outdir, allCustomerComponents),
    },
    fromCoreBelow,
  );
  // The back office: its components (no chunks shared with customer modules) and its script.
  await output(
    {
      entryPoints: Object.fromEntries(
        backOfficeTags.map((tag) => [`back-office/${tag}`, componentSource(tag)]),
      ),
      outdir,
      splitting: true,
      chunkNames: "back-office/[name]-[hash]",
    },
    fromCore(core, alias, "../crm-widgets.js", copies),
  );
  await output(
    { entryPoints: { "crm-back-office": "widget/src/back-office.ts" }, outdir },
    fromCore(core, alias, "./crm-widgets.js"),
  );
  checkCustomerReach(files);
  return files;
}
