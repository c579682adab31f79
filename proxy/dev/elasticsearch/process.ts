/** Elasticsearch processes by pid: alive or not, and stopping them. */
import { readFileSync, rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** The pid a node wrote with `-p`, or undefined. */
export function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` runs; a killed node whose parent has not reaped it yet counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) return false;
  } catch {
    // No /proc entry (or no /proc): the signal check decides.
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (we run it as the service user).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Sends `signal` and waits until the process is gone; SIGKILL after `graceMs`. */
export async function stopProcess(
  pid: number,
  signal: NodeJS.Signals,
  graceMs = 60_000,
): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) process.kill(pid, "SIGKILL");
    await sleep(signal === "SIGKILL" ? 20 : 200);
  }
}

/** Stops the node of `pidFile` (SIGTERM) and removes the file. False when none ran. */
export async function stopNodeOf(pidFile: string): Promise<boolean> {
  const pid = readPid(pidFile);
  const running = pid !== undefined && isAlive(pid);
  if (running) await stopProcess(pid, "SIGTERM");
  rmSync(pidFile, { force: true });
  return running;
}
