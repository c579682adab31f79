/**
 * Local Elasticsearch clusters of N nodes on loopback (`npm run elasticsearch -- --nodes 3`,
 * and the cluster fault tests): each node has its own folder with config, data, logs and pid
 * file below `localFolder(name)`, runs as the service account with a bounded heap, and can be
 * killed, paused (SIGSTOP), resumed and started again. One node is a single-node cluster.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { seconds } from "../elapsed.ts";
import { freePort } from "../ports.ts";
import { obtainDistribution } from "./distribution.ts";
import { localFolder } from "./folders.ts";
import { findJavaHome } from "./java.ts";
import { log } from "./log.ts";
import { launchNode, launchUrl, type NodeLaunch, nodeFolders, nodeSettings } from "./node.ts";
import { isAlive, readPid, stopProcess } from "./process.ts";
import { serviceAccount } from "./service-user.ts";

export interface ClusterNode {
  name: string;
  url: string;
  /** The node's pid while it runs. */
  pid(): number | undefined;
  /** SIGKILL, as a crash or an OOM kill would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGSTOP: the node hangs with its sockets open, as a stalled JVM would. */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** Starts the node again on its ports and data; resolves once it answers HTTP. */
  start(): Promise<void>;
}

export interface LocalCluster {
  name: string;
  nodes: ClusterNode[];
  /** Every node's URL, in node order: what ELASTICSEARCH_URL lists. */
  urls: string[];
  /** Stops every node (SIGTERM); `removeData` also deletes the cluster's folder. */
  stop(options?: { removeData?: boolean }): Promise<void>;
}

export interface ClusterOptions {
  /** The folder name below `.local/`, e.g. `elasticsearch-cluster`. */
  name: string;
  nodes: number;
  /** HTTP port of the first node, the others follow; free ports when omitted. */
  basePort?: number;
  /** Per node; the nodes of a 2-core test machine need little. */
  heap?: string;
  /** Deletes earlier data first; otherwise a cluster of the same size and ports is resumed. */
  fresh?: boolean;
  /** More `-E` settings for every node (e.g. faster fault detection in a test). */
  settings?: Record<string, string>;
  /**
   * x-pack security on (HTTP and transport without TLS, on loopback), with
   * these users in each node's file realm and these files (e.g. `roles.yml`)
   * in each node's config folder. The first user is the one the start-up
   * probes authenticate as.
   */
  security?: {
    users: { username: string; password: string; role: string }[];
    configFiles?: Record<string, string>;
  };
}

const SECURITY_SETTINGS = {
  "xpack.security.enabled": "true",
  "xpack.security.http.ssl.enabled": "false",
  "xpack.security.transport.ssl.enabled": "false",
};

/** Writes the security files and file-realm users into a node's own config folder. */
function prepareSecurity(
  security: NonNullable<ClusterOptions["security"]>,
  launch: NodeLaunch,
): void {
  const { folders, distribution, java } = launch;
  if (!existsSync(folders.config)) {
    cpSync(join(distribution.dir, "config"), folders.config, { recursive: true });
  }
  for (const [file, text] of Object.entries(security.configFiles ?? {})) {
    writeFileSync(join(folders.config, file), text);
  }
  for (const user of security.users) {
    const added = spawnSync(
      join(distribution.dir, "bin", "elasticsearch-users"),
      ["useradd", user.username, "-p", user.password, "-r", user.role],
      { env: { ...process.env, ES_JAVA_HOME: java.javaHome, ES_PATH_CONF: folders.config } },
    );
    if (added.status !== 0 && !String(added.stdout).includes("already exists")) {
      throw new Error(`elasticsearch-users useradd ${user.username}: ${String(added.stderr)}`);
    }
  }
}

interface ClusterState {
  ports: { http: number; transport: number }[];
}

/**
 * A node an interrupted earlier run left behind (daemonized, so it outlived that run): found by
 * the pid file in our own folder, and only killed when its environment points its configuration
 * into that folder.
 */
async function killLeftover(folders: ReturnType<typeof nodeFolders>): Promise<void> {
  const pid = readPid(folders.pid);
  if (pid === undefined || !isAlive(pid)) return;
  try {
    if (!readFileSync(`/proc/${pid}/environ`, "utf8").includes(`ES_PATH_CONF=${folders.config}`)) {
      return;
    }
  } catch {
    return;
  }
  await stopProcess(pid, "SIGKILL");
}

async function portsFor(options: ClusterOptions, stateFile: string): Promise<ClusterState> {
  if (!options.fresh && existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as ClusterState;
    const samePorts = options.basePort === undefined || state.ports[0]?.http === options.basePort;
    if (state.ports.length === options.nodes && samePorts) return state;
  }
  const ports: ClusterState["ports"] = [];
  for (let index = 0; index < options.nodes; index += 1) {
    const http = options.basePort === undefined ? await freePort() : options.basePort + index;
    ports.push({ http, transport: await freePort() });
  }
  return { ports };
}

/** Starts (or resumes) the cluster and waits until it has every node and is green. */
export async function startLocalCluster(options: ClusterOptions): Promise<LocalCluster> {
  const home = localFolder(options.name);
  const stateFile = join(home, "cluster.json");
  const names = Array.from({ length: options.nodes }, (_, index) => `node-${index + 1}`);
  const folders = names.map((name) => nodeFolders(join(home, name)));
  for (const node of folders) await killLeftover(node);
  const state = await portsFor(options, stateFile);
  const resumed = !options.fresh && existsSync(stateFile) && existsSync(folders[0]?.data ?? "");
  if (!resumed) rmSync(home, { recursive: true, force: true });
  const java = findJavaHome();
  const distribution = obtainDistribution();
  const account = serviceAccount();
  const probeUser = options.security?.users[0];
  const probeHeaders = probeUser
    ? { Authorization: `Basic ${btoa(`${probeUser.username}:${probeUser.password}`)}` }
    : undefined;
  const seedHosts = state.ports.map((port) => `127.0.0.1:${port.transport}`).join(",");
  const launches: NodeLaunch[] = names.map((name, index) => {
    const node = folders[index] ?? nodeFolders(join(home, name));
    const ports = state.ports[index] ?? { http: 0, transport: 0 };
    const loopback = nodeSettings({
      port: ports.http,
      transportPort: ports.transport,
      data: node.data,
      logs: node.logs,
    });
    const settings: Record<string, string> =
      options.nodes === 1
        ? loopback
        : {
            ...Object.fromEntries(
              Object.entries(loopback).filter(([key]) => key !== "discovery.type"),
            ),
            "cluster.name": options.name,
            "node.name": name,
            "discovery.seed_hosts": seedHosts,
            "cluster.initial_master_nodes": names.join(","),
          };
    Object.assign(settings, options.settings);
    return {
      distribution,
      java,
      account,
      folders: node,
      settings: options.security ? { ...settings, ...SECURITY_SETTINGS } : settings,
      heap: options.heap ?? "384m",
      ownConfig: true,
      ...(probeHeaders ? { headers: probeHeaders } : {}),
    };
  });
  if (options.security) {
    for (const launch of launches) prepareSecurity(options.security, launch);
  }
  const started = performance.now();
  log(
    `starting a ${options.nodes}-node cluster "${options.name}" (${distribution.version}) on ` +
      launches.map(launchUrl).join(", "),
  );
  await Promise.all(launches.map((launch) => launchNode(launch)));
  writeFileSync(stateFile, JSON.stringify(state satisfies ClusterState));
  const urls = launches.map(launchUrl);
  await waitForGreen(urls[0] ?? "", options.nodes, 120_000, probeHeaders);
  log(`cluster "${options.name}" is green with ${options.nodes} nodes (${seconds(started)})`);

  const nodes = launches.map((launch, index): ClusterNode => {
    const pid = () => {
      const value = readPid(launch.folders.pid);
      return value !== undefined && isAlive(value) ? value : undefined;
    };
    const signal = (name: NodeJS.Signals) => {
      const value = pid();
      if (value !== undefined) process.kill(value, name);
    };
    return {
      name: names[index] ?? "",
      url: launchUrl(launch),
      pid,
      async kill() {
        const value = pid();
        if (value !== undefined) await stopProcess(value, "SIGKILL");
      },
      pause: () => signal("SIGSTOP"),
      resume: () => signal("SIGCONT"),
      async start() {
        await launchNode(launch);
      },
    };
  });
  return {
    name: options.name,
    nodes,
    urls,
    async stop({ removeData = false } = {}) {
      await Promise.all(
        nodes.map(async (node) => {
          node.resume();
          const value = node.pid();
          if (value !== undefined) await stopProcess(value, "SIGTERM", 30_000);
        }),
      );
      if (removeData) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Waits until `url`'s cluster reports `nodes` nodes and green (every replica assigned). */
export async function waitForGreen(
  url: string,
  nodes: number,
  timeoutMs = 120_000,
  headers: Record<string, string> = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(
        `${url}/_cluster/health?wait_for_nodes=${nodes}&wait_for_status=green&timeout=5s`,
        { headers, signal: AbortSignal.timeout(10_000) },
      );
      if (response.status === 200) return;
    } catch {
      // Not answering yet (or this node was just killed): try again until the deadline.
    }
    if (Date.now() > deadline) {
      throw new Error(`cluster at ${url} did not turn green with ${nodes} nodes`);
    }
    await sleep(250);
  }
}

/** Stops the nodes of the cluster folder `name` (the CLI's `stop`); the number stopped. */
export async function stopLocalCluster(name: string): Promise<number> {
  const home = localFolder(name);
  if (!existsSync(home)) return 0;
  let stopped = 0;
  for (const entry of readdirSync(home).filter((name) => /^node-\d+$/.test(name))) {
    const pid = readPid(nodeFolders(join(home, entry)).pid);
    if (pid === undefined || !isAlive(pid)) continue;
    await stopProcess(pid, "SIGTERM", 30_000);
    stopped += 1;
  }
  return stopped;
}
