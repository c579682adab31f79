/**
 * Starting one Elasticsearch node: its `-E` settings, its folders, the daemonized process run
 * as the service account with a bounded heap, and the wait until it answers HTTP.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Distribution } from "./distribution.ts";
import type { JavaHome } from "./java.ts";
import { clusterHealth } from "./probe.ts";
import { isAlive, readPid } from "./process.ts";
import { handOver, type ServiceAccount } from "./service-user.ts";

const START_TIMEOUT_MS = 180_000;

/** The `-E` settings every local node has: loopback only, no security, no disk watermarks. */
function loopbackSettings(node: {
  port: number;
  transportPort: number;
  data: string;
  logs: string;
}): Record<string, string> {
  return {
    "http.host": "127.0.0.1",
    "http.port": String(node.port),
    "transport.host": "127.0.0.1",
    "transport.port": String(node.transportPort),
    "path.data": node.data,
    "path.logs": node.logs,
    "xpack.security.enabled": "false",
    "xpack.ml.enabled": "false",
    // A nearly full disk must not turn test indices read-only on a developer machine.
    "cluster.routing.allocation.disk.threshold_enabled": "false",
  };
}

/** The `-E` settings of a local single-node Elasticsearch on loopback. */
export function nodeSettings(node: {
  port: number;
  transportPort: number;
  data: string;
  logs: string;
}): Record<string, string> {
  return { "discovery.type": "single-node", ...loopbackSettings(node) };
}

/** The folders of one node below `home`. */
export function nodeFolders(home: string) {
  return {
    home,
    data: join(home, "data"),
    logs: join(home, "logs"),
    config: join(home, "config"),
    pid: join(home, "elasticsearch.pid"),
  };
}

export interface NodeLaunch {
  distribution: Distribution;
  java: JavaHome;
  account: ServiceAccount | undefined;
  folders: ReturnType<typeof nodeFolders>;
  settings: Record<string, string>;
  /** `-Xms`/`-Xmx` unless ES_JAVA_OPTS says otherwise: Elasticsearch takes half the machine. */
  heap: string;
  /** A config folder of its own (keystore, jvm options): needed when nodes share a distribution. */
  ownConfig: boolean;
  /** Sent with the readiness probe, e.g. a user's basic auth on a node with security on. */
  headers?: Record<string, string>;
}

/** The URL a launch serves on. */
export function launchUrl(launch: NodeLaunch): string {
  return `http://127.0.0.1:${launch.settings["http.port"]}`;
}

/**
 * Starts the node daemonized and waits until it answers HTTP (any cluster status: a node of a
 * forming cluster answers before the cluster is green). Returns its pid.
 */
export async function launchNode(launch: NodeLaunch): Promise<number> {
  const { folders, distribution, account } = launch;
  for (const dir of [folders.data, folders.logs]) mkdirSync(dir, { recursive: true });
  if (launch.ownConfig && !existsSync(folders.config)) {
    cpSync(join(distribution.dir, "config"), folders.config, { recursive: true });
  }
  rmSync(folders.pid, { force: true });
  const bin = join(distribution.dir, "bin", "elasticsearch");
  // The node writes its keystore into config/, its pid file, data and logs below its home.
  if (account) handOver(account, folders.home, bin);
  const args = ["-d", "-p", folders.pid];
  for (const [key, value] of Object.entries(launch.settings)) args.push(`-E${key}=${value}`);
  const child = spawn(bin, args, {
    cwd: folders.logs,
    env: {
      ...process.env,
      ES_JAVA_HOME: launch.java.javaHome,
      ES_JAVA_OPTS: process.env.ES_JAVA_OPTS ?? `-Xms${launch.heap} -Xmx${launch.heap}`,
      ...(launch.ownConfig ? { ES_PATH_CONF: folders.config } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exitCode = await new Promise<number | null>((resolveExit, reject) => {
    child.once("error", reject);
    child.once("close", resolveExit);
  });
  if (exitCode !== 0) {
    throw new Error(
      `Elasticsearch did not start (exit ${exitCode}).\n${output.trim()}\n` +
        `Logs: ${folders.logs}/elasticsearch.log`,
    );
  }
  const url = launchUrl(launch);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const pid = readPid(folders.pid);
    if (pid !== undefined && (await clusterHealth(url, 0, launch.headers))) return pid;
    if ((pid !== undefined && !isAlive(pid)) || Date.now() > deadline) {
      throw new Error(`Elasticsearch did not answer at ${url}. Logs: ${folders.logs}`);
    }
    await sleep(100);
  }
}
