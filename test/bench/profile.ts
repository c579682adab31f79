/**
 * `npm run bench:profile`: a CPU profile of the proxy under the bench's hot read.
 *
 * Starts the proxy in its own process with `node --cpu-prof`, seeds the bench's customers,
 * warms up, loads `getCrmField` with BENCH_CONNECTIONS connections for BENCH_SECONDS, stops
 * the proxy (which writes the profile on exit) and prints the frames with the most self time,
 * and self time per package. The `.cpuprofile` stays in `.local/bench/profile/` for Chromium's
 * DevTools. `-- --pass-through` profiles the bench's bare pass-through under the same read, to
 * tell the proxy's own costs from those of the parts both share. Profile first, then change
 * what it shows.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { runBench, withBenchIndices } from "./bench-indices.ts";
import { type BenchCustomer, seedCustomers } from "./customers.ts";
import { passThroughHotRead, proxyHotRead, startPassThrough } from "./hot-read.ts";
import { startProxyProcess } from "./proxy-process.ts";
import { CONNECTIONS, log, outFolder, root, SECONDS, WARMUP_SECONDS } from "./settings.ts";
import { load } from "./throughput.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame comes from: a package below node_modules, the repo's own file, or node itself. */
function origin(url: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage?.[1]) return inPackage[1];
  if (url.startsWith("file://")) return relative(root, new URL(url).pathname);
  return url.startsWith("node:") ? url : url === "" ? "(native)" : url;
}

/** Self time per frame and per origin, in ms, from the profile's samples. */
function selfTimes(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const frames = new Map<string, number>();
  const origins = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    if (!node) return;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const frame = `${functionName || "(anonymous)"} ${origin(url)}${url ? `:${lineNumber + 1}` : ""}`;
    frames.set(frame, (frames.get(frame) ?? 0) + ms);
    const from = origin(url);
    origins.set(from, (origins.get(from) ?? 0) + ms);
  });
  return { frames, origins, total };
}

function top(map: Map<string, number>, count: number, total: number, requests: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, ms]) =>
        `${((ms / total) * 100).toFixed(1).padStart(5)} %  ${((ms * 1000) / requests).toFixed(1).padStart(6)} µs/req  ${name}`,
    )
    .join("\n");
}

const passThrough = process.argv.includes("--pass-through");

async function main(): Promise<void> {
  const folder = join(outFolder, "profile");
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  await withBenchIndices(async ({ env, indices }) => {
    const profiler = ["--cpu-prof", `--cpu-prof-dir=${folder}`];
    const seeder = await startProxyProcess(env);
    const customers: BenchCustomer[] = await seedCustomers(seeder).finally(() => seeder.stop());
    const proxy = passThrough
      ? await startPassThrough(env, indices.entries, profiler)
      : await startProxyProcess(env, "proxy/src/node.ts", profiler);
    let requests = 0;
    try {
      const target = passThrough
        ? passThroughHotRead(proxy, customers)
        : proxyHotRead(proxy, customers);
      await load(target, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      log(
        `profiling getCrmField${passThrough ? " on the pass-through" : ""}: ${CONNECTIONS} connections, ${SECONDS} s (load average ${loadavg()[0]?.toFixed(1)})`,
      );
      const figures = await load(target, { connections: CONNECTIONS, seconds: SECONDS });
      requests = figures.requests;
      log(
        `${figures.requests} requests, ${figures.rps.toFixed(0)} req/s, ` +
          `${figures.cpuMsPerRequest?.toFixed(3)} ms CPU per request (whole process, profiler on)`,
      );
    } finally {
      await proxy.stop();
    }
    const file = readdirSync(folder).find((name) => name.endsWith(".cpuprofile"));
    if (!file) throw new Error(`no profile written to ${folder}`);
    const { frames, origins, total } = selfTimes(
      JSON.parse(readFileSync(join(folder, file), "utf8")) as CpuProfile,
    );
    // The profile spans the whole process (start-up, seeding, warm-up): shares are what count.
    console.log(`\nself time by frame (whole profile, ${total.toFixed(0)} ms):`);
    console.log(top(frames, 40, total, requests));
    console.log("\nself time by origin:");
    console.log(top(origins, 20, total, requests));
    log(`profile: ${relative(root, join(folder, file))}`);
  });
}

await runBench(main);
