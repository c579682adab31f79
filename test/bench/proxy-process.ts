/**
 * The Node proxy in its own process (`node proxy/src/node.ts`), as it runs in
 * production: the load generator and the proxy then do not share one event
 * loop, so the proxy's figures are its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

export interface ProxyProcess {
  /** Base URL without `/v1`. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * `script` is the proxy (`proxy/src/node.ts`) or the bench's pass-through; `nodeOptions` go
 * to node before it (e.g. `--cpu-prof`).
 */
export async function startProxyProcess(
  env: Record<string, string>,
  script = "proxy/src/node.ts",
  nodeOptions: string[] = [],
): Promise<ProxyProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+?)\/v1/.exec(output);
      if (match?.[1]) resolveUrl(match[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`proxy exited (${code}):\n${output}`)));
    child.once("error", reject);
  });
  // Keep draining its output so a chatty proxy never blocks on a full pipe.
  child.stdout?.resume();
  return {
    url,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once("exit", () => resolveStop());
        child.kill("SIGTERM");
      }),
  };
}
