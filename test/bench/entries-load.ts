/**
 * Bulk-loads filler entries into the entries index: small documents, big
 * `_bulk` batches, refresh disabled during the load and restored after it.
 */
import type { Client } from "@elastic/elasticsearch";

export interface LoadProgress {
  /** Documents in the index once loaded. */
  total: number;
  /** Documents this call added. */
  added: number;
  seconds: number;
}

const BATCH = 10_000;
const PARALLEL_BATCHES = 2;

function progressLine(text: string): void {
  if (process.stdout.isTTY) process.stdout.write(`\r${text}`);
  else console.log(text);
}

/**
 * Adds filler entries until the index holds `target` documents. Filler entries
 * belong to other customers (eight per customer, half of them deals), routed
 * by their reference like every entry.
 */
export async function fillEntries(
  client: Client,
  index: string,
  target: number,
  startAt: number,
): Promise<LoadProgress> {
  await client.indices.refresh({ index });
  const existing = (await client.count({ index })).count;
  const toAdd = Math.max(0, target - existing);
  const started = performance.now();
  if (toAdd === 0) return { total: existing, added: 0, seconds: 0 };
  await client.indices.putSettings({ index, settings: { refresh_interval: "-1" } });
  const now = new Date().toISOString();
  let sent = 0;
  let lastShown = -1;
  const sendBatch = async (from: number, count: number) => {
    const lines: string[] = [];
    for (let i = from; i < from + count; i++) {
      const n = startAt + i;
      const referenceId = `c_filler${Math.floor(n / 8)}`;
      lines.push(JSON.stringify({ index: { routing: `customer:${referenceId}` } }));
      lines.push(
        JSON.stringify({
          slug: n % 2 === 0 ? "deals" : "tracker",
          reference_type: "customer",
          reference_id: referenceId,
          values: { title: `t${n % 1000}`, amount: n % 997 },
          stages: {},
          created_at: now,
          updated_at: now,
        }),
      );
    }
    const result = await client.transport.request<{ errors: boolean; items: unknown[] }>(
      {
        method: "POST",
        path: `/${index}/_bulk`,
        bulkBody: `${lines.join("\n")}\n`,
        querystring: { filter_path: "errors,items.*.error" },
      },
      { requestTimeout: 120_000 },
    );
    if (result.errors) {
      throw new Error(`bulk load failed: ${JSON.stringify(result.items?.[0]).slice(0, 500)}`);
    }
    sent += count;
    const percent = Math.floor((sent / toAdd) * 100);
    if (percent !== lastShown) {
      lastShown = percent;
      const rate = Math.round(sent / ((performance.now() - started) / 1000));
      progressLine(
        `  loading entries: ${(existing + sent).toLocaleString("en")} / ${target.toLocaleString("en")} (${percent}%, ${rate.toLocaleString("en")} docs/s)`,
      );
    }
  };
  try {
    let next = 0;
    const worker = async () => {
      while (next < toAdd) {
        const from = next;
        const count = Math.min(BATCH, toAdd - from);
        next += count;
        await sendBatch(from, count);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
  } finally {
    if (process.stdout.isTTY) process.stdout.write("\n");
    // `null` restores the refresh interval the index had (its template sets none: the default).
    await client.transport.request({
      method: "PUT",
      path: `/${index}/_settings`,
      body: { index: { refresh_interval: null } },
    });
  }
  await client.indices.refresh({ index });
  const seconds = (performance.now() - started) / 1000;
  const total = (await client.count({ index })).count;
  return { total, added: toAdd, seconds };
}

/** Waits (up to `timeoutMs`) until no merge runs on the index, so merges do not skew latencies. */
export async function settleMerges(
  client: Client,
  index: string,
  timeoutMs = 60_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await client.indices.stats({ index, metric: "merge" });
    if ((stats._all.primaries?.merges?.current ?? 0) === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
