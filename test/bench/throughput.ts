/**
 * Proxy vs direct: the same operation through the proxy and straight to
 * Elasticsearch, under the same concurrency, with autocannon.
 */
import { readFileSync } from "node:fs";
import autocannon, { type RawRequest, type Result } from "autocannon";

export interface LoadFigures {
  /** Completed requests per second (mean over the run). */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Requests answered with a status other than 2xx, plus socket errors and timeouts. */
  failures: number;
  /** CPU time the measured process spent per request (user + system), when its pid is known. */
  cpuMsPerRequest?: number;
}

export interface LoadTarget {
  url: string;
  /** Builds one request; called for every request sent, so each can address another customer. */
  next: () => RawRequest;
  /** The serving process whose CPU time is measured (the proxy child). */
  pid?: number;
}

/** CPU milliseconds (user + system) a process has used, from /proc (Linux). */
function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

export function figures(result: Result): LoadFigures {
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

export async function load(
  target: LoadTarget,
  options: { connections: number; seconds: number },
): Promise<LoadFigures> {
  const cpuBefore = target.pid === undefined ? undefined : cpuMs(target.pid);
  const result = await autocannon({
    url: target.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    requests: [{ setupRequest: (request) => ({ ...request, ...target.next() }) }],
  });
  const measured = figures(result);
  const cpuAfter = target.pid === undefined ? undefined : cpuMs(target.pid);
  if (cpuBefore !== undefined && cpuAfter !== undefined && measured.requests > 0) {
    measured.cpuMsPerRequest = (cpuAfter - cpuBefore) / measured.requests;
  }
  return measured;
}

/** A number of the form the `current_weight` field accepts (20..400, one decimal). */
export function randomWeight(): number {
  return Math.round((20 + Math.random() * 380) * 10) / 10;
}
