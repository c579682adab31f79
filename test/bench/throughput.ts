/**
 * Proxy vs direct: the same operation through the proxy and straight to
 * Elasticsearch, under the same concurrency, with autocannon.
 */
import autocannon, { type RawRequest, type Result } from "autocannon";

export interface LoadFigures {
  /** Completed requests per second (mean over the run). */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Requests answered with a status other than 2xx, plus socket errors and timeouts. */
  failures: number;
}

export interface LoadTarget {
  url: string;
  /** Builds one request; called for every request sent, so each can address another customer. */
  next: () => RawRequest;
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
  const result = await autocannon({
    url: target.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    requests: [{ setupRequest: (request) => ({ ...request, ...target.next() }) }],
  });
  return figures(result);
}

/** A number of the form the `current_weight` field accepts (20..400, one decimal). */
export function randomWeight(): number {
  return Math.round((20 + Math.random() * 380) * 10) / 10;
}
