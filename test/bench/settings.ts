/**
 * The bench's knobs (environment variables), its folders and its output helpers.
 *
 * BENCH_SECONDS (per load run, default 10), BENCH_CONNECTIONS (default 10), BENCH_ROUNDS
 * (alternating direct/proxy rounds, default 2), BENCH_CUSTOMERS (default 100), BENCH_ENTRIES
 * (default 1,000,000), BENCH_HISTORY_RECORDS (default 1,000,000).
 */
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");
export const outFolder = join(root, ".local", "bench");

export function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw.replace(/[_,]/g, ""));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

export const SECONDS = setting("BENCH_SECONDS", 10);
export const CONNECTIONS = setting("BENCH_CONNECTIONS", 10);
export const ROUNDS = setting("BENCH_ROUNDS", 2);
export const CUSTOMERS = setting("BENCH_CUSTOMERS", 100);
export const ENTRIES = setting("BENCH_ENTRIES", 1_000_000);
export const SMALL_ENTRIES = Math.min(10_000, ENTRIES);
export const WARMUP_SECONDS = 2;

export function log(message: string): void {
  console.log(`[bench] ${message}`);
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
