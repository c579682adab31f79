/**
 * The bench's hot read, `getCrmField` of a random bench customer, as load targets: through the
 * proxy (the customer's session, the route the widgets call) and through the pass-through
 * (`pass-through.ts`, given the entry and its routing outright), each in its own process so
 * that each CPU figure is that process's own.
 */
import type { BenchCustomer } from "./customers.ts";
import { type ProxyProcess, startProxyProcess } from "./proxy-process.ts";
import type { LoadTarget } from "./throughput.ts";

export const HOT_READ_PATH = "/v1/entries/tracker/fields/current_weight";

/** A random one of `customers` per call, so that load spreads over their sessions and entries. */
export function randomCustomer(customers: BenchCustomer[]): () => BenchCustomer {
  return () => customers[Math.floor(Math.random() * customers.length)] as BenchCustomer;
}

export function proxyHotRead(proxy: ProxyProcess, customers: BenchCustomer[]): LoadTarget {
  const pick = randomCustomer(customers);
  return {
    url: proxy.url,
    pid: proxy.pid,
    next: () => ({
      method: "GET",
      path: HOT_READ_PATH,
      headers: { authorization: `Bearer ${pick().token}` },
    }),
  };
}

export function passThroughHotRead(
  passThrough: ProxyProcess,
  customers: BenchCustomer[],
): LoadTarget {
  const pick = randomCustomer(customers);
  return {
    url: passThrough.url,
    pid: passThrough.pid,
    next: () => {
      const c = pick();
      return { method: "GET", path: `/pass/${c.entryId}?routing=${encodeURIComponent(c.routing)}` };
    },
  };
}

/** The pass-through over the entries index `entriesIndex`; `nodeOptions` go to node (`--cpu-prof`). */
export function startPassThrough(
  env: Record<string, string>,
  entriesIndex: string,
  nodeOptions: string[] = [],
): Promise<ProxyProcess> {
  return startProxyProcess(
    { ...env, ENTRIES_INDEX: entriesIndex },
    "test/bench/pass-through.ts",
    nodeOptions,
  );
}
