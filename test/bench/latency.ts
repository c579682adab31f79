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

/** Times GET `url` for `seconds` (after `warmup` untimed requests). */
export async function sequentialLatency(
  url: string,
  headers: Record<string, string>,
  options: { seconds: number; warmup?: number },
): Promise<LatencyFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  try {
    for (let i = 0; i < (options.warmup ?? 50); i++) await once(agent, target, headers);
    const times: number[] = [];
    const deadline = performance.now() + options.seconds * 1000;
    while (performance.now() < deadline) times.push(await once(agent, target, headers));
    times.sort((a, b) => a - b);
    return {
      samples: times.length,
      mean: times.reduce((sum, t) => sum + t, 0) / times.length,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
    };
  } finally {
    agent.destroy();
  }
}
