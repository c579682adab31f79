/** A lock directory, so that concurrent callers (test projects, npm start) start one node. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isAlive } from "./process.ts";

function owner(lock: string): number {
  try {
    return Number.parseInt(readFileSync(join(lock, "owner"), "utf8"), 10);
  } catch {
    return Number.NaN;
  }
}

/** Runs `action` holding `lock`; a lock whose owner process is gone is taken over. */
export async function withLock<T>(
  lock: string,
  waitMs: number,
  action: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "owner"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = owner(lock);
      if (Number.isInteger(pid) && !isAlive(pid)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      await sleep(250);
    }
  }
  try {
    return await action();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
