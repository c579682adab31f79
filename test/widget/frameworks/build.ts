/**
 * Bundles test/widget/frameworks/apps.ts for the browser tests, as an
 * application's bundler would: React and Vue in their production builds, the
 * widget package's main module inside.
 */
import { join, resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "../../..");

export async function buildFrameworkApps(outdir: string): Promise<void> {
  await build({
    entryPoints: { apps: join(root, "test/widget/frameworks/apps.ts") },
    outdir,
    absWorkingDir: root,
    tsconfig: join(root, "tsconfig.json"),
    bundle: true,
    format: "esm",
    target: "es2022",
    logLevel: "warning",
    define: {
      "process.env.NODE_ENV": '"production"',
      __VUE_OPTIONS_API__: "true",
      __VUE_PROD_DEVTOOLS__: "false",
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
    },
  });
}
