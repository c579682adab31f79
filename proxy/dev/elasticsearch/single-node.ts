/**
 * The checkout's one development node (`npm run elasticsearch`, `npm start`, `npm test`):
 * found when it already runs, else started under the manager's folder; its URL and version are
 * kept in `state.json` for the next caller.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { seconds } from "../elapsed.ts";
import { freePort } from "../ports.ts";
import { obtainDistribution } from "./distribution.ts";
import { managerHome } from "./folders.ts";
import { findJavaHome } from "./java.ts";
import { withLock } from "./lock.ts";
import { log } from "./log.ts";
import { launchNode, nodeFolders, nodeSettings } from "./node.ts";
import { clusterHealth, nodeVersion, portAnswers } from "./probe.ts";
import { isAlive, readPid, stopNodeOf } from "./process.ts";
import { serviceAccount } from "./service-user.ts";

const folders = nodeFolders(managerHome);
const stateFile = join(managerHome, "state.json");

export interface ElasticsearchInfo {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:9200`. */
  url: string;
  /** Version reported by the node (from `GET /_nodes/_local`). */
  version: string;
  /** True when this call started the node. */
  started: boolean;
}

interface LocalState {
  url: string;
  version: string;
  distribution: string;
}

function readState(): LocalState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, "utf8")) as LocalState;
  } catch {
    return undefined;
  }
}

/** The local node when its pid is alive and it answers health, else undefined. */
async function runningLocalNode(): Promise<LocalState | undefined> {
  const pid = readPid(folders.pid);
  const state = readState();
  if (pid === undefined || state === undefined || !isAlive(pid)) return undefined;
  return (await clusterHealth(state.url)) ? state : undefined;
}

async function startLocalNode(): Promise<ElasticsearchInfo> {
  const running = await runningLocalNode();
  if (running) {
    if (process.env.ES_PORT && !running.url.endsWith(`:${process.env.ES_PORT}`)) {
      log(`ES_PORT=${process.env.ES_PORT} ignored: the local node already runs at ${running.url}`);
    }
    return { url: running.url, version: running.version, started: false };
  }
  const port = Number(process.env.ES_PORT ?? 9200);
  const url = `http://127.0.0.1:${port}`;
  if (await portAnswers(port)) {
    throw new Error(
      `Port ${port} is already in use by something this project did not start. ` +
        "Set ES_PORT to another port, or ELASTICSEARCH_URL to use that cluster.",
    );
  }
  const java = findJavaHome();
  const distribution = obtainDistribution();
  const account = serviceAccount();
  log(
    `starting Elasticsearch ${distribution.version} on ${url} as ${account?.name ?? userInfo().username} ` +
      `with Java ${java.version} (${java.javaHome})`,
  );
  const started = performance.now();
  const transportPort = await freePort();
  await launchNode({
    distribution,
    java,
    account,
    folders,
    settings: nodeSettings({ port, transportPort, data: folders.data, logs: folders.logs }),
    heap: "512m",
    ownConfig: false,
  });
  // Existing indices recover to yellow within seconds; one that cannot (say a test index left
  // unassignable) must not keep the node from serving everything else.
  let status = await clusterHealth(url);
  if (status === "red") status = await clusterHealth(url, 30);
  if (status === "red") log(`warning: cluster status is red; see ${url}/_cat/indices?health=red`);
  const version = await nodeVersion(url);
  writeFileSync(
    stateFile,
    JSON.stringify({ url, version, distribution: distribution.dir } satisfies LocalState),
  );
  log(`Elasticsearch ${version} is up at ${url} (started in ${seconds(started)})`);
  return { url, version, started: true };
}

/** The URL of the first node ELASTICSEARCH_URL names (it may list several). */
function externalUrl(): string | undefined {
  const first = process.env.ELASTICSEARCH_URL?.split(",")[0]?.trim();
  return first ? first.replace(/\/+$/, "") : undefined;
}

/**
 * Makes sure an Elasticsearch is reachable and returns its URL and version.
 * With ELASTICSEARCH_URL set, only checks that cluster; otherwise finds or starts the local node.
 */
export async function ensureElasticsearch(): Promise<ElasticsearchInfo> {
  const external = externalUrl();
  if (external) {
    const status = await clusterHealth(external);
    if (!status) throw new Error(`ELASTICSEARCH_URL=${external} does not answer /_cluster/health.`);
    if (status === "red") log(`warning: ELASTICSEARCH_URL=${external} reports status red`);
    return { url: external, version: await nodeVersion(external), started: false };
  }
  mkdirSync(managerHome, { recursive: true });
  // Waits for another caller's start (up to three minutes) before taking the lock over.
  return withLock(join(managerHome, "start.lock"), 240_000, startLocalNode);
}

/** Stops the local node (SIGTERM, then waits). Returns false when none was running. */
export async function stopElasticsearch(): Promise<boolean> {
  const pid = readPid(folders.pid);
  if (pid !== undefined && isAlive(pid)) log(`stopping Elasticsearch (pid ${pid})`);
  const stopped = await stopNodeOf(folders.pid);
  if (stopped) log("stopped");
  return stopped;
}

/** Prints the named cluster's and the local node's state; false when neither answers. */
export async function printStatus(): Promise<boolean> {
  const external = externalUrl();
  if (external) {
    const status = await clusterHealth(external);
    console.log(`ELASTICSEARCH_URL=${external}: ${status ? `status ${status}` : "not answering"}`);
  }
  const pid = readPid(folders.pid);
  const state = readState();
  if (pid === undefined || !isAlive(pid)) {
    console.log(`local node: not running (home ${managerHome})`);
    return external !== undefined;
  }
  const status = state ? await clusterHealth(state.url) : undefined;
  console.log(
    `local node: pid ${pid}, ${state?.url ?? "unknown URL"}, ` +
      `Elasticsearch ${state?.version ?? "?"}, ${status ? `status ${status}` : "not answering"}`,
  );
  if (state) console.log(`distribution ${state.distribution}, logs ${folders.logs}`);
  return status !== undefined;
}
