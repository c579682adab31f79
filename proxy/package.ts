/**
 * `npm run build:proxy`: the proxy's npm package in proxy/dist/, which
 * `npm pack ./proxy/dist` turns into a tarball. Proxy users (backend scripts, a
 * Node server, a Cloudflare Worker) are not widget users: this package holds
 * the server code only, and its dependencies are exactly the packages that
 * code imports, at the repository's ranges.
 *
 * - `lib/`: tsc's JavaScript and declarations of proxy/src, with the relative
 *   `.ts` specifiers rewritten to `.js`; `#domain` (the shared domain model)
 *   resolves through the package's own `imports`, as it does in the repository;
 * - `.` (`lib/index.js`): the CRM adapter and what backend scripts need around it
 *   (services, index setup, the domain model); `./node`: `startProxy`; `./worker`:
 *   the Workers entry (`export default { fetch }`).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "proxy", "dist");
const lib = join(dist, "lib");

interface Workspace {
  version: string;
  license: string;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
  imports: Record<string, string>;
  repository?: unknown;
}

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(suffix))
    .map((file) => join(dir, file));
}

/** The package a bare specifier names: `hono/cors` → `hono`, `@hono/zod-openapi` → itself. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/** Every package the emitted JavaScript imports (Node's built-ins and `#` imports aside). */
function importedPackages(): Set<string> {
  const builtins = new Set(builtinModules);
  const names = new Set<string>();
  for (const file of files(lib, ".js")) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/\bfrom\s*"([^"]+)"|\bimport\s*\(\s*"([^"]+)"/g)) {
      const specifier = match[1] ?? match[2];
      if (!specifier || /^[.#]/.test(specifier) || specifier.startsWith("node:")) continue;
      if (builtins.has(specifier)) continue;
      names.add(packageOf(specifier));
    }
  }
  return names;
}

export function buildProxyPackage(): void {
  rmSync(dist, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", "proxy/tsconfig.build.json"],
    { cwd: root, stdio: "inherit" },
  );
  // tsc rewrites `.ts` specifiers in JavaScript only; declarations keep them as written.
  for (const file of files(lib, ".d.ts")) {
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace(/(["'])(\.\.?\/[^"']+)\.ts\1/g, "$1$2.js$1"));
  }

  const workspace = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Workspace;
  const dependencies = Object.fromEntries(
    [...importedPackages()].sort().map((name) => {
      const range = workspace.dependencies[name];
      if (!range)
        throw new Error(`The proxy imports ${name}, which package.json does not depend on`);
      return [name, range];
    }),
  );
  // The repository's `#domain…` entries, pointing at the emitted modules instead of sources.
  const imports = Object.fromEntries(
    Object.entries(workspace.imports).map(([name, source]) => [
      name,
      source.replace(/^\.\/proxy\/src\//, "./lib/").replace(/\.ts$/, ".js"),
    ]),
  );
  const entry = (path: string) => ({ types: `./lib/${path}.d.ts`, default: `./lib/${path}.js` });
  const manifest = {
    name: "crm-widgets-proxy",
    version: workspace.version,
    description:
      "The crm-widgets proxy: the CRM adapter over Elasticsearch (getCrmEntries, getCrmField, setCrmField, …) and the Hono app for Node and Cloudflare Workers.",
    license: workspace.license,
    ...(workspace.repository ? { repository: workspace.repository } : {}),
    type: "module",
    keywords: ["crm", "elasticsearch", "hono", "cloudflare-workers", "proxy"],
    exports: {
      ".": entry("index"),
      "./node": entry("node"),
      "./worker": entry("worker"),
      "./package.json": "./package.json",
    },
    imports,
    types: "./lib/index.d.ts",
    files: ["lib", "README.md", "LICENSE"],
    // Importing a module starts nothing: node.js and setup.js run only as the main module.
    sideEffects: false,
    dependencies,
    engines: { node: workspace.engines.node },
  };
  writeFileSync(join(dist, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(root, "proxy", "README.md"), join(dist, "README.md"));
  copyFileSync(join(root, "LICENSE"), join(dist, "LICENSE"));
}

if (import.meta.main) buildProxyPackage();
