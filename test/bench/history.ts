/**
 * The history part of `npm run bench`, measured through the CRM adapter against
 * the real Elasticsearch (in this process, no proxy in between):
 *
 * - a customer's history read of 365 points: Elasticsearch requests per read, p50/p99;
 * - that read with a small and a large history index (10,000 and BENCH_HISTORY_RECORDS,
 *   default 1,000,000, records), in alternating rounds, and the ratio;
 * - the write path: Elasticsearch requests and latency of a write to a field with history
 *   (one `_bulk`: the entry update and the record) and to one without (one update), as the
 *   proxy serves a customer's (no refresh wait for a one-entry entity), in alternating rounds.
 */
import type { Client } from "@elastic/elasticsearch";
import type { EntityDefinitionInput } from "#domain";
import { createCrmAdapter } from "../../proxy/src/adapter/index.ts";
import type { CrmAdapter } from "../../proxy/src/adapter/types.ts";
import { type CrmIndices, crmIndices } from "../../proxy/src/elasticsearch/indices.ts";
import { ensureCrmIndices } from "../../proxy/src/elasticsearch/setup.ts";
import { type LatencyFigures, summarize } from "./latency.ts";
import { atMost, type Row, type Target } from "./report.ts";
import { ms, setting } from "./settings.ts";

/** Records in the large history index (BENCH_HISTORY_RECORDS); the small one holds 10,000. */
export const HISTORY_RECORDS = setting("BENCH_HISTORY_RECORDS", 1_000_000);

const DAY_MS = 86_400_000;
const POINTS = 365;
const SMALL_RECORDS = 10_000;
const BATCH = 10_000;

const entity = {
  slug: "tracker",
  name: "Tracker",
  fields: [
    { key: "weight", label: "Weight", type: "number", history: true, customerAccess: "write" },
    { key: "notes", label: "Notes", type: "text", customerAccess: "write" },
  ],
} satisfies EntityDefinitionInput;

export interface HistoryBench {
  readRequests: number;
  levels: { records: number; loadSeconds: number; read: LatencyFigures }[];
  ratioP50: number;
  ratioP99: number;
  write: {
    requestsOn: number;
    requestsOff: number;
    on: LatencyFigures;
    off: LatencyFigures;
  };
}

/** Counts the Elasticsearch requests the client sends while `run` runs. */
async function requestsDuring(client: Client, run: () => Promise<unknown>): Promise<number> {
  let sent = 0;
  const count = () => {
    sent += 1;
  };
  client.diagnostic.on("response", count);
  try {
    await run();
  } finally {
    client.diagnostic.off("response", count);
  }
  return sent;
}

/** One customer's 365 daily weights, written through the adapter's ordinary write path. */
async function writeYear(client: Client, indices: CrmIndices, customerId: string): Promise<void> {
  let day = 0;
  const start = Date.UTC(2025, 0, 1, 7);
  const writer = createCrmAdapter({
    client,
    indices,
    refresh: false,
    now: () => new Date(start + day * DAY_MS),
  });
  for (; day < POINTS; day++) {
    await writer.setCrmField({
      slug: entity.slug,
      fieldKey: "weight",
      value: 90 - day * 0.02,
      referenceId: customerId,
    });
  }
}

/** Other customers' records (ten fields' worth each), until the index holds `target`. */
async function fillHistory(client: Client, index: string, target: number): Promise<number> {
  await client.indices.refresh({ index });
  const existing = (await client.count({ index })).count;
  const started = performance.now();
  await client.indices.putSettings({ index, settings: { refresh_interval: "-1" } });
  try {
    for (let from = existing; from < target; from += BATCH) {
      const lines: string[] = [];
      for (let n = from; n < Math.min(target, from + BATCH); n++) {
        const referenceId = `c_filler${Math.floor(n / 400)}`;
        const id = `h_filler${String(n).padStart(16, "0")}`;
        lines.push(JSON.stringify({ create: { _id: id, routing: `customer:${referenceId}` } }));
        lines.push(
          JSON.stringify({
            record_id: id,
            entry_id: `e_${referenceId}`,
            slug: entity.slug,
            reference_type: "customer",
            reference_id: referenceId,
            kind: "field",
            key: n % 2 ? "weight" : "mood",
            value_type: "number",
            value: { number: 60 + (n % 400) / 10 },
            at: new Date(Date.UTC(2025, 0, 1) + (n % 400) * DAY_MS).toISOString(),
            actor_type: "customer",
            actor_id: referenceId,
          }),
        );
      }
      const result = await client.transport.request<{ errors: boolean }>(
        {
          method: "POST",
          path: `/${index}/_bulk`,
          bulkBody: `${lines.join("\n")}\n`,
          querystring: { filter_path: "errors" },
        },
        { requestTimeout: 120_000 },
      );
      if (result.errors) throw new Error("history bulk load failed");
      if ((from / BATCH) % 10 === 0) {
        console.log(`[bench]   ${index}: ${(from + BATCH).toLocaleString("en")} records`);
      }
    }
  } finally {
    await client.indices.putSettings({ index, settings: { refresh_interval: "250ms" } });
    await client.indices.refresh({ index });
  }
  await client.indices.forcemerge({ index, max_num_segments: 1 }, { requestTimeout: 600_000 });
  return (performance.now() - started) / 1000;
}

export async function benchHistory(
  client: Client,
  prefix: string,
  options: { records: number; seconds: number },
): Promise<HistoryBench> {
  const customerId = "c_history_bench";
  const sizes =
    options.records > SMALL_RECORDS ? [SMALL_RECORDS, options.records] : [options.records];
  const levels: { records: number; loadSeconds: number; adapter: CrmAdapter; times: number[] }[] =
    [];
  for (const [i, records] of sizes.entries()) {
    const indices = crmIndices({ prefix: `${prefix}history${i}-` });
    await ensureCrmIndices(client, indices);
    const adapter = createCrmAdapter({ client, indices });
    await adapter.entities.create(entity);
    await writeYear(client, indices, customerId);
    console.log(`[bench] history: filling ${indices.history} to ${records.toLocaleString("en")}`);
    const loadSeconds = await fillHistory(client, indices.history, records);
    levels.push({ records, loadSeconds, adapter, times: [] });
  }
  const read = (adapter: CrmAdapter) =>
    adapter.getCrmFieldHistory({
      slug: entity.slug,
      fieldKey: "weight",
      referenceId: customerId,
      limit: POINTS,
    });
  const first = levels[0]!;
  const year = await read(first.adapter);
  if (year.points.length !== POINTS) throw new Error(`read ${year.points.length} points`);
  const readRequests = await requestsDuring(client, () => read(first.adapter));

  // Alternating rounds, so both sizes see the same machine.
  const rounds = 4;
  for (let round = 0; round < rounds; round++) {
    for (const level of round % 2 === 0 ? levels : [...levels].reverse()) {
      const deadline = performance.now() + (options.seconds * 1000) / rounds;
      while (performance.now() < deadline) {
        const started = performance.now();
        await read(level.adapter);
        level.times.push(performance.now() - started);
      }
    }
  }
  const measured = levels.map((level) => ({
    records: level.records,
    loadSeconds: level.loadSeconds,
    read: summarize(level.times),
  }));
  const small = measured[0]!;
  const large = measured.at(-1)!;

  // The write path, on the small level's indices, through an adapter as the proxy makes it.
  const writeIndices = crmIndices({ prefix: `${prefix}history0-` });
  const served = createCrmAdapter({ client, indices: writeIndices });
  // The customer's own write, as the widgets send it (staff and backend writes of history
  // fields wait for the record to be searchable; see `refreshFor` in the adapter).
  const asCustomer = served.forCustomer(customerId);
  const write = (fieldKey: "weight" | "notes", n: number) =>
    asCustomer.setCrmField({
      slug: entity.slug,
      fieldKey,
      value: fieldKey === "weight" ? 70 + (n % 100) / 10 : `note ${n}`,
    });
  let n = 0;
  // Warm: the entity definition is cached after the first call.
  await write("notes", n++);
  const requestsOn = await requestsDuring(client, () => write("weight", n++));
  const requestsOff = await requestsDuring(client, () => write("notes", n++));
  // Alternating rounds of each, so both see the same machine.
  const times: Record<"weight" | "notes", number[]> = { weight: [], notes: [] };
  for (let round = 0; round < 10; round++) {
    for (const fieldKey of round % 2 === 0
      ? (["weight", "notes"] as const)
      : (["notes", "weight"] as const)) {
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        await write(fieldKey, n++);
        times[fieldKey].push(performance.now() - started);
      }
    }
  }
  const result: HistoryBench["write"] = {
    requestsOn,
    requestsOff,
    on: summarize(times.weight),
    off: summarize(times.notes),
  };
  return {
    readRequests,
    levels: measured,
    ratioP50: large.read.p50 / small.read.p50,
    ratioP99: large.read.p99 / small.read.p99,
    write: result,
  };
}

/** The table rows and targets of the history part. */
export function historyResults(history: HistoryBench): { rows: Row[]; targets: Target[] } {
  const rows: Row[] = [];
  const add = (metric: string, value: string) => rows.push({ section: "history", metric, value });
  add("ES requests per 365-point read", String(history.readRequests));
  for (const level of history.levels) {
    add(
      `365-point read, ${level.records.toLocaleString("en")} records: p50 / p99`,
      `${ms(level.read.p50)} / ${ms(level.read.p99)} (${level.read.samples} samples; loaded in ${level.loadSeconds.toFixed(1)} s)`,
    );
  }
  add(
    "large / small history index (p50, p99)",
    `${history.ratioP50.toFixed(2)}×, ${history.ratioP99.toFixed(2)}×`,
  );
  const w = history.write;
  add("ES requests per write, history on / off", `${w.requestsOn} / ${w.requestsOff}`);
  add(
    "write p50 / p99, history on; off",
    `${ms(w.on.p50)} / ${ms(w.on.p99)}; ${ms(w.off.p50)} / ${ms(w.off.p99)} (${w.on.samples} samples each)`,
  );
  add(
    "added by history: p50 (on / off), p99 (on / off)",
    `${ms(w.on.p50 - w.off.p50)} (${(w.on.p50 / w.off.p50).toFixed(2)}×), ${ms(w.on.p99 - w.off.p99)} (${(w.on.p99 / w.off.p99).toFixed(2)}×)`,
  );
  const targets: Target[] = [
    {
      name: "ES requests per history read",
      target: "1",
      value: String(history.readRequests),
      met: history.readRequests === 1,
    },
    atMost("history read, large vs small history index (p50)", history.ratioP50, 1.5, "×"),
    {
      name: "ES requests per write of a history field",
      target: "1",
      value: String(w.requestsOn),
      met: w.requestsOn === 1,
    },
  ];
  return { rows, targets };
}
