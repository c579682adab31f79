import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, test } from "vitest";

const run = promisify(execFile);
let outdir: string | undefined;

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

test("wrangler deploy --dry-run bundles the Worker with __filename defined and without undici", async () => {
  outdir = await mkdtemp(join(tmpdir(), "crm-worker-bundle-"));
  const { stdout } = await run(
    process.execPath,
    ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", outdir],
    { env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, maxBuffer: 10 * 1024 * 1024 },
  );
  expect(stdout).toMatch(/Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/);
  const bundle = await readFile(join(outdir, "worker.js"), "utf8");
  // The client's ESM build calls createRequire(__filename); Workers have no such global.
  expect(bundle).not.toMatch(/\b__filename\b/);
  // undici (aliased in wrangler.toml) would bring its error classes, e.g. UND_ERR_CONNECT_TIMEOUT.
  expect(bundle).not.toContain("UND_ERR_CONNECT_TIMEOUT");
  expect(bundle).toContain("undici is not bundled into the Worker");
});
