/**
 * The one-file widget bundle (`crm-widgets.js`): esbuild, then terser. Shared by
 * `npm run build` and the widget tests, which load the very artifact a site
 * owner embeds.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { minify } from "terser";
import { minifyTemplatesPlugin } from "./minify-templates.ts";

const root = resolve(import.meta.dirname, "..");

/**
 * Inputs that must never reach the browser: the widget imports the proxy's
 * domain through `#domain/browser` only, so anything else of the proxy is
 * server code, and classic zod means a server-only domain module slipped in.
 */
export const forbidden = [
  /^proxy\/(?!src\/domain\/)/,
  /node_modules\/(@elastic|hono|@hono|jose|zod\/v4\/classic)\//,
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

/** Writes `<outdir>/crm-widgets.js`; fails if server code reached it. */
export async function buildBundle(outdir: string): Promise<string> {
  const bundle = await build({
    ...common,
    entryPoints: { "crm-widgets": "widget/src/index.ts" },
    outdir,
  });
  checkInputs(bundle.metafile);
  const file = join(outdir, "crm-widgets.js");
  // terser compresses a few percent beyond esbuild (three passes, safe options only).
  // pure_getters: no getter in this bundle has side effects (Lit's reactive accessors
  // only read), so unused reads such as lit-html's private exports can go.
  const result = await minify(readFileSync(file, "utf8"), {
    module: true,
    ecma: 2020,
    compress: { passes: 3, pure_getters: true },
    mangle: true,
    format: { comments: "some" },
  });
  if (result.code === undefined) throw new Error(`terser produced nothing for ${file}`);
  writeFileSync(file, result.code);
  return file;
}
