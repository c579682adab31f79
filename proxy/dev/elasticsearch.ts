/**
 * Development Elasticsearch manager.
 *
 * `npm run elasticsearch` starts a local single-node Elasticsearch 9 under `.local/elasticsearch/`
 * (or checks the cluster named by ELASTICSEARCH_URL), `-- status` reports, `-- stop` stops it.
 * Tests and `npm start` import `ensureElasticsearch()` / `stopElasticsearch()`.
 */
import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { seconds } from "./elapsed.ts";
import { freePort } from "./ports.ts";

/** Newest first. Maven Central's metadata does not list 9.x, so these were checked one by one. */
const CANDIDATE_VERSIONS = [
  "9.5.4",
  "9.5.3",
  "9.5.2",
  "9.5.0",
  "9.4.5",
  "9.4.3",
  "9.3.2",
  "9.2.8",
  "9.2.4",
  "9.1.0",
  "9.0.0",
];
const MIN_JAVA = 21;
const SERVICE_USER = "crm-elasticsearch";
const START_TIMEOUT_MS = 180_000;

const root = resolve(import.meta.dirname, "../..");

/**
 * Where local Elasticsearch folders live: `.local/` in the checkout, unless
 * the checkout sits below a folder other users cannot enter (e.g. a private
 * temporary folder) while running as root: the service user could not reach
 * it there, so the folders go to a per-checkout place under /var/tmp.
 */
export function localFolder(name: string): string {
  return join(localBase, name);
}

function othersCanEnter(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

const localBase =
  process.getuid?.() === 0 && !othersCanEnter(root)
    ? join(
        "/var/tmp",
        `crm-widgets-${createHash("sha256").update(root).digest("hex").slice(0, 12)}`,
      )
    : join(root, ".local");
const home = localFolder("elasticsearch");
const paths = {
  downloads: join(home, "downloads"),
  data: join(home, "data"),
  logs: join(home, "logs"),
  pid: join(home, "elasticsearch.pid"),
  state: join(home, "state.json"),
  lock: join(home, "start.lock"),
};

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

function log(message: string): void {
  console.log(`[elasticsearch] ${message}`);
}

function fail(message: string): never {
  throw new Error(message);
}

async function getJson(url: string, timeoutMs = 3000): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/**
 * The cluster's health status, after waiting up to `waitSeconds` for yellow; undefined when
 * nothing answers. A red status still means the node is up (for instance while an index is
 * being created).
 */
async function clusterHealth(url: string, waitSeconds = 0): Promise<string | undefined> {
  const wait = waitSeconds > 0 ? `?wait_for_status=yellow&timeout=${waitSeconds}s` : "";
  try {
    const response = await fetch(`${url}/_cluster/health${wait}`, {
      signal: AbortSignal.timeout(waitSeconds * 1000 + 3000),
    });
    // 408: the wait for yellow timed out; the body still carries the status.
    if (response.status !== 200 && response.status !== 408) return undefined;
    return ((await response.json()) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

/**
 * The node's version. `GET /` is not available in the integ-test distribution (it lacks the
 * `rest-root` module and answers 405), so it is read from the local node's info.
 */
async function nodeVersion(url: string): Promise<string> {
  const info = (await getJson(`${url}/_nodes/_local`)) as {
    nodes?: Record<string, { version?: string }>;
  };
  const node = Object.values(info.nodes ?? {})[0];
  return node?.version ?? fail(`${url}/_nodes/_local did not report a version`);
}

function readPid(): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(paths.pid, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (we run it as the service user).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readState(): LocalState | undefined {
  try {
    return JSON.parse(readFileSync(paths.state, "utf8")) as LocalState;
  } catch {
    return undefined;
  }
}

/** The local node when its pid is alive and it answers health, else undefined. */
async function runningLocalNode(): Promise<LocalState | undefined> {
  const pid = readPid();
  const state = readState();
  if (pid === undefined || state === undefined || !isAlive(pid)) return undefined;
  return (await clusterHealth(state.url)) ? state : undefined;
}

function run(command: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: "utf8" });
}

function javaVersion(javaBin: string): number | undefined {
  const result = run(javaBin, ["-version"]);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  // Java 8 and older report "1.8".
  return match[1] === "1" ? Number(match[2]) : Number(match[1]);
}

/** ES_JAVA_HOME when set, else the newest JDK ≥ 21 under /usr/lib/jvm. */
export function findJavaHome(): { javaHome: string; version: number } {
  const explicit = process.env.ES_JAVA_HOME;
  if (explicit) {
    const version = javaVersion(join(explicit, "bin", "java"));
    if (version === undefined) fail(`ES_JAVA_HOME=${explicit} has no working bin/java`);
    if (version < MIN_JAVA) fail(`ES_JAVA_HOME=${explicit} is Java ${version}; need ${MIN_JAVA}+`);
    return { javaHome: explicit, version };
  }
  const jvmDir = "/usr/lib/jvm";
  const found: { javaHome: string; version: number }[] = [];
  for (const name of existsSync(jvmDir) ? readdirSync(jvmDir) : []) {
    const javaHome = join(jvmDir, name);
    if (!existsSync(join(javaHome, "bin", "java"))) continue;
    const version = javaVersion(join(javaHome, "bin", "java"));
    if (version !== undefined && version >= MIN_JAVA) found.push({ javaHome, version });
  }
  found.sort((a, b) => b.version - a.version);
  return (
    found[0] ??
    fail(
      `No JDK ${MIN_JAVA} or newer found under ${jvmDir}. Install one (for example a Temurin or ` +
        `OpenJDK ${MIN_JAVA}+ package) or set ES_JAVA_HOME, or point ELASTICSEARCH_URL at a running cluster.`,
    )
  );
}

function candidateVersions(): string[] {
  const requested = process.env.ES_VERSION;
  return requested ? requested.split(/[\s,]+/).filter(Boolean) : CANDIDATE_VERSIONS;
}

function distributionDir(version: string): string {
  return join(home, `elasticsearch-${version}`);
}

/** Fetches the integ-test zip of the first candidate that Maven resolves, then unpacks it. */
function obtainDistribution(): { version: string; dir: string } {
  const candidates = candidateVersions();
  for (const version of candidates) {
    const dir = distributionDir(version);
    if (existsSync(join(dir, "bin", "elasticsearch"))) return { version, dir };
  }
  if (run("mvn", ["-v"]).status !== 0) {
    fail(
      "Maven (`mvn`) is needed to fetch the Elasticsearch distribution: install it (Debian: " +
        "`apt-get install maven`), or set ELASTICSEARCH_URL to use a running cluster.",
    );
  }
  mkdirSync(paths.downloads, { recursive: true });
  for (const version of candidates) {
    const artifact = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${version}:zip`;
    log(`fetching ${artifact} through Maven (this may take a minute on first use)`);
    const started = performance.now();
    // Batch mode when not on a terminal keeps logs readable; on a terminal Maven shows progress.
    const args = [
      ...(process.stdout.isTTY ? [] : ["-B", "-Dstyle.color=never"]),
      "dependency:copy",
      `-Dartifact=${artifact}`,
      `-DoutputDirectory=${paths.downloads}`,
    ];
    const result = spawnSync("mvn", args, { stdio: "inherit" });
    // Maven ends its output with colour resets but no newline.
    process.stdout.write("\n");
    const zip = join(paths.downloads, `elasticsearch-${version}.zip`);
    if (result.status !== 0 || !existsSync(zip)) {
      log(`Elasticsearch ${version} did not resolve; trying the next candidate`);
      continue;
    }
    log(`fetched Elasticsearch ${version} in ${seconds(started)}`);
    log(`unpacking into ${home}`);
    const unzip = spawnSync("unzip", ["-q", "-o", zip, "-d", home], { stdio: "inherit" });
    if (unzip.error || unzip.status !== 0) {
      fail(`Could not unpack ${zip}: install \`unzip\` (Debian: \`apt-get install unzip\`).`);
    }
    rmSync(zip);
    return { version, dir: distributionDir(version) };
  }
  return fail(
    `None of the Elasticsearch versions ${candidates.join(", ")} resolved through Maven. ` +
      "Check Maven's output above, set ES_VERSION, or set ELASTICSEARCH_URL.",
  );
}

/**
 * The user Elasticsearch runs as: Elasticsearch refuses to run as root, so root runs it as a
 * system user (created if missing); anyone else runs it as themselves.
 */
function serviceAccount(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    const uid = run("id", ["-u", SERVICE_USER]);
    const gid = run("id", ["-g", SERVICE_USER]);
    return uid.status === 0 && gid.status === 0
      ? { name: SERVICE_USER, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
      : undefined;
  };
  const existing = lookup();
  if (existing) return existing;
  log(`creating system user ${SERVICE_USER}`);
  const created = run("useradd", [
    "--system",
    "--no-create-home",
    "--shell",
    "/usr/sbin/nologin",
    SERVICE_USER,
  ]);
  return (
    lookup() ??
    fail(
      `Elasticsearch refuses to run as root and the user ${SERVICE_USER} could not be created ` +
        `(${created.stderr.trim() || created.error?.message}). Run as a non-root user instead.`,
    )
  );
}

/** The `-E` settings of a local single-node Elasticsearch on loopback. */
export function nodeSettings(node: {
  port: number;
  transportPort: number;
  data: string;
  logs: string;
}): Record<string, string> {
  return {
    "discovery.type": "single-node",
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

async function portAnswers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** A lock directory, so that concurrent callers (test projects, npm start) start one node. */
async function withStartLock<T>(action: () => Promise<T>): Promise<T> {
  mkdirSync(home, { recursive: true });
  const deadline = Date.now() + START_TIMEOUT_MS + 60_000;
  for (;;) {
    try {
      mkdirSync(paths.lock);
      writeFileSync(join(paths.lock, "owner"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(readOwner(), 10);
      if (Number.isInteger(owner) && !isAlive(owner)) {
        rmSync(paths.lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) fail(`Timed out waiting for ${paths.lock}`);
      await sleep(250);
    }
  }
  try {
    return await action();
  } finally {
    rmSync(paths.lock, { recursive: true, force: true });
  }
}

function readOwner(): string {
  try {
    return readFileSync(join(paths.lock, "owner"), "utf8");
  } catch {
    return "";
  }
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
    fail(
      `Port ${port} is already in use by something this project did not start. ` +
        "Set ES_PORT to another port, or ELASTICSEARCH_URL to use that cluster.",
    );
  }
  const java = findJavaHome();
  const distribution = obtainDistribution();
  const account = serviceAccount();
  for (const dir of [paths.data, paths.logs]) mkdirSync(dir, { recursive: true });
  rmSync(paths.pid, { force: true });
  if (account) {
    // The node writes its keystore into config/, its pid file into home, data and logs below it.
    const chown = run("chown", ["-R", `${account.uid}:${account.gid}`, home]);
    if (chown.status !== 0) fail(`chown of ${home} failed: ${chown.stderr}`);
    const reachable = spawnSync("test", ["-x", join(distribution.dir, "bin", "elasticsearch")], {
      uid: account.uid,
      gid: account.gid,
    });
    if (reachable.status !== 0) {
      fail(
        `User ${account.name} cannot reach ${distribution.dir}: a parent folder of the checkout ` +
          "is not readable by other users. Move the checkout or set ELASTICSEARCH_URL.",
      );
    }
  }

  const transportPort = await freePort();
  log(
    `starting Elasticsearch ${distribution.version} on ${url} as ${account?.name ?? userInfo().username} ` +
      `with Java ${java.version} (${java.javaHome})`,
  );
  const started = performance.now();
  const settings = nodeSettings({ port, transportPort, data: paths.data, logs: paths.logs });
  const args = ["-d", "-p", paths.pid];
  for (const [key, value] of Object.entries(settings)) args.push(`-E${key}=${value}`);
  const child = spawn(join(distribution.dir, "bin", "elasticsearch"), args, {
    cwd: paths.logs,
    env: {
      ...process.env,
      ES_JAVA_HOME: java.javaHome,
      ES_JAVA_OPTS: process.env.ES_JAVA_OPTS ?? "-Xms512m -Xmx512m",
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
    fail(
      `Elasticsearch did not start (exit ${exitCode}).\n${output.trim()}\n` +
        `Logs: ${paths.logs}/elasticsearch.log`,
    );
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  let status = await clusterHealth(url);
  while (!status) {
    const pid = readPid();
    if ((pid !== undefined && !isAlive(pid)) || Date.now() > deadline) {
      fail(`Elasticsearch did not answer at ${url}. Logs: ${paths.logs}`);
    }
    await sleep(250);
    status = await clusterHealth(url);
  }
  // Existing indices recover to yellow within seconds; one that cannot (say a test index left
  // unassignable) must not keep the node from serving everything else.
  if (status === "red") status = await clusterHealth(url, 30);
  if (status === "red") log(`warning: cluster status is red; see ${url}/_cat/indices?health=red`);
  const version = await nodeVersion(url);
  writeFileSync(
    paths.state,
    JSON.stringify({ url, version, distribution: distribution.dir } satisfies LocalState),
  );
  log(`Elasticsearch ${version} is up at ${url} (started in ${seconds(started)})`);
  return { url, version, started: true };
}

/**
 * Makes sure an Elasticsearch is reachable and returns its URL and version.
 * With ELASTICSEARCH_URL set, only checks that cluster; otherwise finds or starts the local node.
 */
export async function ensureElasticsearch(): Promise<ElasticsearchInfo> {
  const external = process.env.ELASTICSEARCH_URL?.replace(/\/+$/, "");
  if (external) {
    const status = await clusterHealth(external);
    if (!status) fail(`ELASTICSEARCH_URL=${external} does not answer /_cluster/health.`);
    if (status === "red") log(`warning: ELASTICSEARCH_URL=${external} reports status red`);
    return { url: external, version: await nodeVersion(external), started: false };
  }
  return withStartLock(startLocalNode);
}

/** Stops the local node (SIGTERM, then waits). Returns false when none was running. */
export async function stopElasticsearch(): Promise<boolean> {
  const pid = readPid();
  if (pid === undefined || !isAlive(pid)) {
    rmSync(paths.pid, { force: true });
    return false;
  }
  log(`stopping Elasticsearch (pid ${pid})`);
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 60_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      log("still running after 60 s; sending SIGKILL");
      process.kill(pid, "SIGKILL");
    }
    await sleep(200);
  }
  rmSync(paths.pid, { force: true });
  log("stopped");
  return true;
}

async function printStatus(): Promise<boolean> {
  const external = process.env.ELASTICSEARCH_URL;
  if (external) {
    const status = await clusterHealth(external.replace(/\/+$/, ""));
    console.log(`ELASTICSEARCH_URL=${external}: ${status ? `status ${status}` : "not answering"}`);
  }
  const pid = readPid();
  const state = readState();
  if (pid === undefined || !isAlive(pid)) {
    console.log(`local node: not running (home ${home})`);
    return external !== undefined;
  }
  const status = state ? await clusterHealth(state.url) : undefined;
  console.log(
    `local node: pid ${pid}, ${state?.url ?? "unknown URL"}, ` +
      `Elasticsearch ${state?.version ?? "?"}, ${status ? `status ${status}` : "not answering"}`,
  );
  if (state) console.log(`distribution ${state.distribution}, logs ${paths.logs}`);
  return status !== undefined;
}

async function main(command: string | undefined): Promise<number> {
  switch (command ?? "start") {
    case "start": {
      const started = performance.now();
      const info = await ensureElasticsearch();
      if (!info.started)
        log(`Elasticsearch ${info.version} is already running (${seconds(started)})`);
      console.log(info.url);
      return 0;
    }
    case "stop":
      if (!(await stopElasticsearch())) log("no local node is running");
      return 0;
    case "status":
      return (await printStatus()) ? 0 : 1;
    default:
      console.error("usage: npm run elasticsearch [-- start|stop|status]");
      return 2;
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv[2]);
  } catch (error) {
    console.error(`[elasticsearch] ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
