/** (d) Bundle sizes: the widget bundle as `npm run build` makes it, and the Worker as wrangler bundles it. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { minifyTemplatesPlugin } from "../../widget/minify-templates.ts";
import { kb, log, root } from "./settings.ts";

function spawnText(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(command, args, {
    cwd: root,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnText(command, args, env);
  if (result.status !== 0) {
    throw new Error(
      `${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

export interface BundleSizes {
  widget: {
    file: string;
    minBytes: number;
    gzipBytes: number;
    buildSays: string;
    largestInputs: string[];
    /**
     * What each kind of page downloads, as the build measured it (dist/sizes.json), with the
     * budget the build enforces.
     */
    pages: Record<string, { gzipBytes: number; requests: number; tags: string[]; budget?: number }>;
  };
  worker: { rawBytes: number; gzipBytes: number; minified: boolean; largestInputs: string[] };
}

/**
 * Where the widget core's bytes come from: the same entry bundled again in memory, with
 * esbuild's per-input byte counts of the minified output, grouped by package or folder.
 */
async function largestWidgetInputs(): Promise<string[]> {
  const result = await build({
    entryPoints: ["widget/src/crm-widgets.ts"],
    absWorkingDir: root,
    tsconfig: join(root, "tsconfig.json"),
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    write: false,
    metafile: true,
    legalComments: "none",
    logLevel: "silent",
    plugins: [minifyTemplatesPlugin()],
  });
  const output = Object.values(result.metafile.outputs)[0];
  const byGroup = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const group = pkg ?? input.replace(/\/[^/]+$/, "/");
    byGroup.set(group, (byGroup.get(group) ?? 0) + bytesInOutput);
  }
  return [...byGroup.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, size]) => `${name} ${kb(size)} min`);
}

export async function bundleSizes(): Promise<BundleSizes> {
  log("building the widget bundle (npm run build)");
  const buildStarted = Date.now();
  const built = spawnText(process.execPath, ["widget/build.ts"]);
  const file = join(root, "dist", "crm-widgets.js");
  // The build writes the bundle before it checks its own budget: a budget failure still
  // leaves a fresh bundle to measure. Anything else (no fresh bundle) stops the bench.
  if (!existsSync(file) || statSync(file).mtimeMs < buildStarted - 1000) {
    throw new Error(`widget/build.ts failed (${built.status}):\n${built.stdout}\n${built.stderr}`);
  }
  const widgetBytes = readFileSync(file);
  const buildSays = [
    /crm-widgets\.js\s+(.*)/.exec(built.stdout)?.[1]?.trim() ?? "",
    built.status === 0
      ? ""
      : `(the build itself failed: ${(built.stderr || built.stdout).trim().split("\n").at(-1)})`,
  ]
    .filter(Boolean)
    .join(" ");

  log("bundling the Worker (wrangler deploy --dry-run)");
  const tmp = mkdtempSync(join(tmpdir(), "crm-bench-worker-"));
  const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" };
  try {
    run(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", tmp], env);
    const worker = readFileSync(join(tmp, "worker.js"));
    return {
      widget: {
        file: "dist/crm-widgets.js",
        minBytes: widgetBytes.length,
        gzipBytes: gzipSync(widgetBytes).length,
        buildSays,
        largestInputs: await largestWidgetInputs(),
        pages: JSON.parse(readFileSync(join(root, "dist", "sizes.json"), "utf8")),
      },
      worker: {
        rawBytes: worker.length,
        gzipBytes: gzipSync(worker).length,
        minified: /^\s*minify\s*=\s*true/m.test(readFileSync(join(root, "wrangler.toml"), "utf8")),
        largestInputs: largestWorkerInputs(join(tmp, "worker.js.map")),
      },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Which packages weigh most in the Worker bundle, from its source map's sources. */
function largestWorkerInputs(mapFile: string): string[] {
  if (!existsSync(mapFile)) return [];
  const map = JSON.parse(readFileSync(mapFile, "utf8")) as {
    sources: string[];
    sourcesContent?: (string | null)[];
  };
  const byPackage = new Map<string, number>();
  map.sources.forEach((source, i) => {
    const size = map.sourcesContent?.[i]?.length ?? 0;
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    const name = match?.[1] ?? (source.includes("proxy/src") ? "(proxy/src)" : "(other)");
    byPackage.set(name, (byPackage.get(name) ?? 0) + size);
  });
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, size]) => `${name} ${kb(size)} source`);
}
