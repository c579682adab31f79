/**
 * `npm run bench:compare -- <rev> [<rev>…]`: the hot read (`getCrmField`) through the proxy as
 * it is at each git revision, and through the bare pass-through, side by side in one run:
 * every target gets the same load in each round, in a rotating order, so that what a change
 * bought is a ratio measured under the same conditions, not two runs at different loads.
 * `working` names the working tree. Each revision is exported (`git archive`) below
 * `.local/bench/revisions/` and runs with this checkout's node_modules.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { ensureElasticsearch } from "../../proxy/dev/elasticsearch.ts";
import { ensureCrmIndices } from "../../proxy/src/elasticsearch/setup.ts";
import { createCrmServices } from "../../proxy/src/services.ts";
import { deleteIndicesWithPrefix } from "../support/indices.ts";
import { type BenchCustomer, seedCustomers } from "./customers.ts";
import { dealsEntity, proxyEnv, trackerEntity } from "./fixtures.ts";
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
  const elasticsearch = await ensureElasticsearch();
  const prefix = `bench-${randomBytes(4).toString("hex")}-`;
  const { client, indices, adapter } = createCrmServices({
    elasticsearch: { url: elasticsearch.url, timeoutMs: 120_000 },
    indexPrefix: prefix,
  });
  const started: ProxyProcess[] = [];
  try {
    await ensureCrmIndices(client, indices);
    await adapter.entities.create(trackerEntity);
    await adapter.entities.create(dealsEntity);
    const env = proxyEnv(elasticsearch.url, prefix);
    const seeder = await startProxyProcess(env);
    started.push(seeder);
    const customers: BenchCustomer[] = await seedCustomers(seeder);
    const pick = () => customers[Math.floor(Math.random() * customers.length)] as BenchCustomer;

    const passThrough = await startProxyProcess(
      { ...env, ENTRIES_INDEX: indices.entries },
      "test/bench/pass-through.ts",
    );
    started.push(passThrough);
    const targets: { name: string; target: LoadTarget }[] = [
      {
        name: "pass-through",
        target: {
          url: passThrough.url,
          pid: passThrough.pid,
          next: () => {
            const c = pick();
            return {
              method: "GET",
              path: `/pass/${c.entryId}?routing=${encodeURIComponent(c.routing)}`,
            };
          },
        },
      },
    ];
    for (const revision of revisions) {
      const proxy = await startProxyProcess(env, join(checkout(revision), "proxy/src/node.ts"));
      started.push(proxy);
      targets.push({
        name: `proxy @ ${revision}`,
        target: {
          url: proxy.url,
          pid: proxy.pid,
          next: () => ({
            method: "GET",
            path: "/v1/entries/tracker/fields/current_weight",
            headers: { authorization: `Bearer ${pick().token}` },
          }),
        },
      });
    }
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
    const base = runs.get("pass-through") ?? [];
    const baseRps = mean(base, (f) => f.rps);
    const baseP99 = mean(base, (f) => f.p99);
    const baseCpu = mean(base, (f) => f.cpuMsPerRequest ?? Number.NaN);
    console.log(
      `\ngetCrmField, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s; load average ${loadAtStart} at the start, ${load1()} at the end\n`,
    );
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
  } finally {
    for (const child of started) await child.stop();
    await deleteIndicesWithPrefix(client, prefix).catch(() => undefined);
    await client.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
