/**
 * Sequential latency: one request at a time over one keep-alive connection,
 * timed with the high-resolution clock (autocannon rounds to whole ms).
 */
import { Agent, request } from "node:http";

export interface LatencyFigures {
  samples: number;
  mean: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function once(agent: Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const sent = request(url, { agent, headers, method: "GET" }, (response) => {
      response.resume();
      response.on("end", () => {
        if ((response.statusCode ?? 0) >= 300) {
          reject(new Error(`${url.pathname} answered ${response.statusCode}`));
        } else resolve(performance.now() - started);
      });
    });
    sent.on("error", reject);
    sent.end();
  });
}

/** p50/p99/mean of raw timings in milliseconds. */
export function summarize(times: number[]): LatencyFigures {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    mean: sorted.reduce((sum, t) => sum + t, 0) / sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** Times GET `url` for `seconds`, after `warmupSeconds` of untimed requests; raw timings in ms. */
export async function sequentialTimes(
  url: string,
  headers: Record<string, string>,
  options: { seconds: number; warmupSeconds?: number },
): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  try {
    const warmupEnd = performance.now() + (options.warmupSeconds ?? 0.5) * 1000;
    while (performance.now() < warmupEnd) await once(agent, target, headers);
    const times: number[] = [];
    const deadline = performance.now() + options.seconds * 1000;
    while (performance.now() < deadline) times.push(await once(agent, target, headers));
    return times;
  } finally {
    agent.destroy();
  }
}

export async function sequentialLatency(
  url: string,
  headers: Record<string, string>,
  options: { seconds: number; warmupSeconds?: number },
): Promise<LatencyFigures> {
  return summarize(await sequentialTimes(url, headers, options));
}
