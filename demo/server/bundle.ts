/**
 * Keeps dist/crm-widgets.js current for the demo: rebuilt with the widget's
 * own build script when it is missing or older than any source it is made of.
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { BUNDLE_PATH } from "./site.ts";

const root = resolve(import.meta.dirname, "../..");
/**
 * What dist/ is made from: the widget sources, its build scripts (the package manifest
 * and framework types too), the READMEs and licence it ships and the shared domain model.
 */
const sources = ["widget", "proxy/src/domain", "README.md", "LICENSE"];

function newestModification(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestModification(join(path, entry)));
  }
  return newest;
}

/** Why the bundle must be built, or undefined when it is current. */
export function bundleOutdated(): string | undefined {
  let built: number;
  try {
    built = statSync(BUNDLE_PATH).mtimeMs;
  } catch {
    return "dist/crm-widgets.js is missing";
  }
  const newest = Math.max(...sources.map((source) => newestModification(join(root, source))));
  return newest > built ? "the widget sources changed since the last build" : undefined;
}

/** Runs `npm run build`'s script with this Node; resolves when it succeeded. */
export function buildBundle(): Promise<void> {
  return new Promise((resolveBuild, reject) => {
    const child = spawn(process.execPath, [join(root, "widget", "build.ts")], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0 ? resolveBuild() : reject(new Error(`The widget build failed (exit ${code})`)),
    );
  });
}
