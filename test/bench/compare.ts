/**
 * `npm run bench:compare -- <rev> [<rev>…]`: the hot read (`getCrmField`) through the proxy as
 * it is at each git revision, and through the bare pass-through, side by side in one run:
 * every target gets the same load in each round, in a rotating order, so that what a change
 * bought is a ratio measured under the same conditions, not two runs at different loads.
 * `working` names the working tree. Each revision is exported (`git archive`) below
 * `.local/bench/revisions/` and runs with this checkout's node_modules.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { runBench, withBenchIndices } from "./bench-indices.ts";
import { type BenchCustomer, seedCustomers } from "./customers.ts";
import { passThroughHotRead, proxyHotRead, startPassThrough } from "./hot-read.ts";
import { type ProxyProcess, startProxyProcess } from "./proxy-process.ts";
import { CONNECTIONS, log, outFolder, ROUNDS, root, SECONDS, WARMUP_SECONDS } from "./settings.ts";
import { type LoadFigures, type LoadTarget, load } from "./throughput.ts";

/** The folder of `revision`'s proxy: this checkout for `working`, else an export of it. */
function checkout(revision: string): string {
  if (revision === "working") return root;
  const commit = execFileSync("git", ["rev-parse", "--short", revision], { cwd: root })
    .toString()
    .trim();
  const folder = join(outFolder, "revisions", commit);
  if (!existsSync(join(folder, "package.json"))) {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const archive = execFileSync("git", ["archive", commit, "proxy", "package.json"], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    execFileSync("tar", ["-x", "-C", folder], { input: archive });
    symlinkSync(join(root, "node_modules"), join(folder, "node_modules"));
  }
  return folder;
}

const load1 = () => loadavg()[0]?.toFixed(1) ?? "?";

function mean(runs: LoadFigures[], pick: (f: LoadFigures) => number): number {
  return runs.reduce((sum, f) => sum + pick(f), 0) / runs.length;
}

async function main(): Promise<void> {
  const revisions = process.argv.slice(2);
  if (revisions.length === 0) {
    console.error("usage: npm run bench:compare -- <revision> [<revision>…] (or working)");
    process.exitCode = 2;
    return;
  }
  await withBenchIndices(async ({ env, indices }) => {
    const started: ProxyProcess[] = [];
    try {
      const seeder = await startProxyProcess(env);
      started.push(seeder);
      const customers: BenchCustomer[] = await seedCustomers(seeder);
      const passThrough = await startPassThrough(env, indices.entries);
      started.push(passThrough);
      const targets = [
        { name: "pass-through", target: passThroughHotRead(passThrough, customers) },
      ];
      for (const revision of revisions) {
        const proxy = await startProxyProcess(env, join(checkout(revision), "proxy/src/node.ts"));
        started.push(proxy);
        targets.push({ name: `proxy @ ${revision}`, target: proxyHotRead(proxy, customers) });
      }
      printTable(await measureInRounds(targets));
    } finally {
      for (const child of started) await child.stop();
    }
  });
}

/** Every target under the same load in each round, in an order that rotates by round. */
async function measureInRounds(
  targets: { name: string; target: LoadTarget }[],
): Promise<Map<string, LoadFigures[]>> {
  const loadAtStart = load1();
  for (const { target } of targets) {
    await load(target, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  }
  const runs = new Map<string, LoadFigures[]>(targets.map(({ name }) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < targets.length; i++) {
      const { name, target } = targets[(i + round) % targets.length] as (typeof targets)[number];
      log(
        `round ${round + 1}/${ROUNDS}: ${name}, ${CONNECTIONS} connections, ${SECONDS} s (load ${load1()})`,
      );
      runs.get(name)?.push(await load(target, { connections: CONNECTIONS, seconds: SECONDS }));
    }
  }
  console.log(
    `\ngetCrmField, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s; load average ${loadAtStart} at the start, ${load1()} at the end\n`,
  );
  return runs;
}

/** One row per target, each against the pass-through (the first target). */
function printTable(runs: Map<string, LoadFigures[]>): void {
  const base = runs.get("pass-through") ?? [];
  const baseRps = mean(base, (f) => f.rps);
  const baseP99 = mean(base, (f) => f.p99);
  const baseCpu = mean(base, (f) => f.cpuMsPerRequest ?? Number.NaN);
  console.log(
    "| Target | req/s | × pass-through | p50 | p99 | added p99 | CPU/request | added CPU/request | failures |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const [name, figures] of runs) {
    const rps = mean(figures, (f) => f.rps);
    const p99 = mean(figures, (f) => f.p99);
    const cpu = mean(figures, (f) => f.cpuMsPerRequest ?? Number.NaN);
    const failures = figures.reduce((sum, f) => sum + f.failures, 0);
    console.log(
      `| ${name} | ${rps.toFixed(0)} | ${(rps / baseRps).toFixed(2)}× | ${mean(figures, (f) => f.p50).toFixed(1)} ms | ${p99.toFixed(1)} ms | ${(p99 - baseP99).toFixed(1)} ms | ${cpu.toFixed(3)} ms | ${(cpu - baseCpu).toFixed(3)} ms | ${failures} |`,
    );
  }
}

await runBench(main);
