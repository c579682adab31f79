/**
 * A dedicated single-node Elasticsearch that a fault test may kill and start
 * again: own port, own data, logs, config and pid file under
 * `.local/hardening-elasticsearch/`. It reuses the distribution the
 * development manager (proxy/dev/elasticsearch.ts) unpacked and its JDK
 * lookup; that manager keeps one node per checkout (its folder is fixed), so
 * it cannot run a second one. The shared test node is never touched.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findJavaHome, localFolder, nodeSettings } from "../../../proxy/dev/elasticsearch.ts";
import { freePort } from "../../../proxy/dev/ports.ts";

const managerHome = localFolder("elasticsearch");
/** The user the development manager runs Elasticsearch as when we are root. */
const SERVICE_USER = "crm-elasticsearch";

export interface DedicatedElasticsearch {
  url: string;
  /** Kills the node abruptly (SIGKILL), as a crash or an OOM kill would; resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts the node again on the same port and data; resolves when it answers. */
  start(): Promise<void>;
  /** Stops the node and removes its folder. */
  dispose(): Promise<void>;
}

function distribution(): string {
  const found = existsSync(managerHome)
    ? readdirSync(managerHome)
        .filter((name) => name.startsWith("elasticsearch-"))
        .map((name) => join(managerHome, name))
        .filter((dir) => existsSync(join(dir, "bin", "elasticsearch")))
        .sort()
        .reverse()
    : [];
  const dir = found[0];
  if (!dir) {
    throw new Error(
      `No Elasticsearch distribution under ${managerHome}: run \`npm run elasticsearch\` once.`,
    );
  }
  return dir;
}

function account(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync("id", ["-u", SERVICE_USER], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", SERVICE_USER], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(`Elasticsearch cannot run as root and the user ${SERVICE_USER} is missing`);
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function isAlive(pid: number): boolean {
  // A killed node whose parent has not reaped it yet is gone for our purposes.
  try {
    if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) return false;
  } catch {
    // No /proc entry (or no /proc): fall through to the signal check.
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A node an interrupted earlier run left behind (daemonized, so it outlived that run): found by
 * the pid file in our own folder, and only killed when its environment points its configuration into that folder.
 */
async function killLeftover(pidFile: string, home: string): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, "utf8").trim(), 10);
    if (!readFileSync(`/proc/${pid}/environ`, "utf8").includes(`ES_PATH_CONF=${home}`)) return;
  } catch {
    return;
  }
  process.kill(pid, "SIGKILL");
  while (isAlive(pid)) await sleep(50);
}

/** Whether the node answers HTTP at all (any cluster status). */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok || response.status === 408;
  } catch {
    return false;
  }
}

export async function startDedicatedElasticsearch(name: string): Promise<DedicatedElasticsearch> {
  const home = localFolder(`${name}-elasticsearch`);
  const paths = {
    data: join(home, "data"),
    logs: join(home, "logs"),
    config: join(home, "config"),
    pid: join(home, "elasticsearch.pid"),
  };
  const dist = distribution();
  const java = findJavaHome();
  const user = account();
  await killLeftover(paths.pid, home);
  rmSync(home, { recursive: true, force: true });
  for (const dir of [paths.data, paths.logs]) mkdirSync(dir, { recursive: true });
  // Its own config folder: the node writes a keystore there, the shared one stays untouched.
  cpSync(join(dist, "config"), paths.config, { recursive: true });
  if (user) spawnSync("chown", ["-R", `${user.uid}:${user.gid}`, home]);
  const port = await freePort();
  const transportPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let pid: number | undefined;

  const start = async () => {
    const settings = nodeSettings({
      port,
      transportPort,
      data: paths.data,
      logs: paths.logs,
    });
    rmSync(paths.pid, { force: true });
    const args = [
      "-d",
      "-p",
      paths.pid,
      ...Object.entries(settings).map(([k, v]) => `-E${k}=${v}`),
    ];
    const child = spawn(join(dist, "bin", "elasticsearch"), args, {
      cwd: paths.logs,
      env: {
        ...process.env,
        ES_JAVA_HOME: java.javaHome,
        ES_PATH_CONF: paths.config,
        ES_JAVA_OPTS: "-Xms384m -Xmx384m",
      },
      stdio: ["ignore", "pipe", "pipe"],
      ...(user ?? {}),
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((done) => child.once("close", done));
    if (code !== 0) throw new Error(`dedicated Elasticsearch did not start (${code}): ${output}`);
    pid = Number.parseInt(readFileSync(paths.pid, "utf8").trim(), 10);
    const deadline = Date.now() + 180_000;
    while (!(await answers(url))) {
      if (!isAlive(pid) || Date.now() > deadline) {
        throw new Error(`dedicated Elasticsearch at ${url} did not answer; logs in ${paths.logs}`);
      }
      await sleep(100);
    }
  };

  const kill = async () => {
    if (pid === undefined || !isAlive(pid)) return;
    process.kill(pid, "SIGKILL");
    while (isAlive(pid)) await sleep(20);
    pid = undefined;
  };

  await start();
  return {
    url,
    kill,
    start,
    async dispose() {
      if (pid !== undefined && isAlive(pid)) {
        process.kill(pid, "SIGTERM");
        const deadline = Date.now() + 30_000;
        while (isAlive(pid) && Date.now() < deadline) await sleep(100);
        if (isAlive(pid)) process.kill(pid, "SIGKILL");
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
