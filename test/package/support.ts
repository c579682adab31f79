/**
 * What both package suites do as an installer would: pack a `dist` folder with npm,
 * install the tarball into a fresh project outside the repository (from npm's cache or
 * registry, nothing else), and type-check that project with the repository's TypeScript.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

export function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * The README's `npm pack ./dist` (or `./proxy/dist`), run in the repository root, into
 * `work`: the tarball's path and the files it holds. The folder is given as the README
 * writes it, `./` first: npm reads a bare `dist` as a registry package's name and
 * `proxy/dist` as a GitHub repository.
 */
export function pack(folder: `./${string}`, work: string): { tarball: string; packed: string[] } {
  const [info] = JSON.parse(npm(["pack", folder, "--json", "--pack-destination", work], root)) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (!info) throw new Error("npm pack printed nothing");
  return { tarball: join(work, info.filename), packed: info.files.map((file) => file.path) };
}

/** A fresh ESM project `name` in `work` with `packages` (tarballs or names) installed. */
export function installInto(work: string, name: string, packages: string[]): string {
  const project = join(work, name);
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name, private: true, type: "module" }, null, 2)}\n`,
  );
  npm(["install", ...packages, "--prefer-offline", "--no-audit", "--no-fund"], project);
  return project;
}

/** Runs tsc on `project`'s tsconfig.json; throws with tsc's report when it does not type-check. */
export function typeCheck(project: string): void {
  try {
    execFileSync(process.execPath, [tsc, "-p", project], { encoding: "utf8" });
  } catch (error) {
    throw new Error(
      `${project} does not type-check:\n${(error as { stdout?: string }).stdout ?? error}`,
    );
  }
}

/** The packed files that are TypeScript sources (declarations are not): a package ships none. */
export function typeScriptSources(packed: string[]): string[] {
  return packed.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"));
}
