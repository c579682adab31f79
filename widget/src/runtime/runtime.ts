import type {
  CrmEntry,
  CrmErrorBody,
  CrmFieldHistory,
  CrmFieldValue,
  CrmStageHistory,
  CrmStageValue,
  EntityDefinition,
  GetCrmEntityArgs,
  GetCrmEntriesArgs,
  GetCrmFieldArgs,
  GetCrmFieldHistoryArgs,
  GetCrmStageArgs,
  GetCrmStageHistoryArgs,
  OperationName,
  SetCrmFieldArgs,
  SetCrmStageArgs,
} from "#domain/browser";
import { CrmError, isErrorCode, MAX_BATCH_CALLS } from "#domain/browser";

/** Where the session token comes from: a fixed token, or a function the page provides. */
export type TokenProvider = () => string | Promise<string>;

export interface CrmConfig {
  /** Base URL of the proxy, e.g. `https://crm.example.com` (the `/v1` path is added). */
  proxyUrl: string;
  /** BCP 47 locale for formatting; defaults to the page's `lang`, then the browser's. */
  locale?: string;
  /** A session token given directly (short-lived JWT from the site's backend). */
  token?: string;
  /** Asked for a token when there is none, and once more after a 401. */
  tokenProvider?: TokenProvider;
  /** Back office credential for `crm-customer-details` (admin routes only). */
  adminToken?: string;
  /**
   * Sends the runtime's HTTP requests (default: the page's `fetch`). The seam
   * for a runtime that answers from elsewhere, such as the CRM settings
   * preview's sample data (`widget/src/back-office/sample-crm.ts`).
   */
  fetch?: typeof fetch;
}

/** The back office CRM tab of one customer (`GET /v1/admin/customers/:id/entries`). */
export interface CustomerEntries {
  customer: { id: string; createdAt?: string; [key: string]: unknown } | null;
  entities: EntityDefinition[];
  entries: CrmEntry[];
}

interface ReadOps {
  getCrmEntries: { args: GetCrmEntriesArgs; data: CrmEntry[] };
  getCrmField: { args: GetCrmFieldArgs; data: CrmFieldValue };
  getCrmStage: { args: GetCrmStageArgs; data: CrmStageValue };
  getCrmEntity: { args: GetCrmEntityArgs; data: EntityDefinition };
  getCrmFieldHistory: { args: GetCrmFieldHistoryArgs; data: CrmFieldHistory };
  getCrmStageHistory: { args: GetCrmStageHistoryArgs; data: CrmStageHistory };
}
type ReadOp = keyof ReadOps;

interface CacheRecord {
  op: ReadOp;
  args: object;
  data: unknown;
  /** The record a pending write's optimistic value covers: put back if the write fails. */
  prev?: CacheRecord;
}

interface QueuedCall {
  op: OperationName;
  args: object;
  resolve: (data: unknown) => void;
  reject: (error: CrmError) => void;
}

/** Something the cache holds changed: listeners re-read what concerns them. */
export type CacheListener = (key: string) => void;

/** Turns anything thrown or returned as an error into a `CrmError` with a stable code. */
export function toCrmError(error: unknown): CrmError {
  if (error instanceof CrmError) return error;
  if (typeof error === "object" && error !== null) {
    const body = error as Partial<CrmErrorBody>;
    if (isErrorCode(body.code) && typeof body.message === "string") {
      return new CrmError(body.code, body.message, body.field);
    }
  }
  return new CrmError("internal", error instanceof Error ? error.message : "Unexpected error");
}

/**
 * The message to show beside the field an error concerns: the proxy names the
 * field ("current_weight: Must be at most 400"), the field's own UI need not.
 */
export function fieldMessage(error: CrmErrorBody): string {
  const prefix = `${error.field}: `;
  return error.field && error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
}

/** Cache key of one read: operation plus its arguments in a stable order. */
export function callKey(op: OperationName, args: object): string {
  const entries = Object.entries(args)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${op}:${JSON.stringify(entries)}`;
}

/** What a read shows that writes can change: one field or pipeline of an entity, or its entry lists. */
function writeTopic(op: ReadOp, args: Partial<GetCrmFieldArgs & GetCrmStageArgs>): string {
  return `${op}:${args.slug}:${args.fieldKey ?? args.pipeline ?? ""}`;
}

/** Whether a history read is of the field or pipeline a write names (any entry, any page). */
function sameHistory(
  read: Partial<GetCrmFieldHistoryArgs & GetCrmStageHistoryArgs>,
  write: Partial<SetCrmFieldArgs & SetCrmStageArgs>,
): boolean {
  return (
    read.slug === write.slug && read.fieldKey === write.fieldKey && read.pipeline === write.pipeline
  );
}

interface Target {
  entryId?: string;
  referenceType?: string;
  referenceId?: string;
}

/**
 * Whether a cached read and a write address the same entry: both the
 * reference's default entry (neither names one), or one entry id, a read
 * known by the id it resolved to and a write, once saved, by the id it wrote.
 */
function sameTarget(
  read: Target,
  readEntryId: string | null,
  write: Target,
  writeEntryId?: string | null,
): boolean {
  if (read.referenceType !== write.referenceType || read.referenceId !== write.referenceId)
    return false;
  if (read.entryId === undefined && write.entryId === undefined) return true;
  const id = read.entryId ?? readEntryId;
  return id != null && id === (write.entryId ?? writeEntryId);
}

/**
 * One runtime per page: every component's calls made in the same task are
 * sent as one `POST /v1/batch`, identical reads share one call, and one cache
 * tells every component when a write changed what it shows.
 */
export class CrmRuntime {
  #config: CrmConfig = { proxyUrl: "" };
  #token: string | undefined;
  #tokenRequest: Promise<void> | undefined;
  #queue: QueuedCall[] = [];
  #flushScheduled = false;
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #cache = new Map<string, CacheRecord>();
  readonly #listeners = new Set<CacheListener>();
  /** Writes started or ended per topic (see `writeTopic`): reads compare it before and after. */
  readonly #writes = new Map<string, number>();

  constructor(config?: Partial<CrmConfig>) {
    if (config) this.configure(config);
  }

  /** Merges configuration; a new proxy URL or token drops the cache and every component reads again. */
  configure(config: Partial<CrmConfig>): this {
    const previous = this.#config;
    this.#config = { ...previous, ...config };
    if (config.token !== undefined) this.#token = config.token;
    if (config.proxyUrl !== undefined && config.proxyUrl !== previous.proxyUrl) this.#reset();
    else if (config.token !== undefined && config.token !== previous.token) this.#reset();
    return this;
  }

  get config(): Readonly<CrmConfig> {
    return this.#config;
  }

  get locale(): string | undefined {
    return this.#config.locale;
  }

  /** Listens to cache changes; returns the function that stops listening. */
  subscribe(listener: CacheListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  getCrmEntries(args: GetCrmEntriesArgs): Promise<CrmEntry[]> {
    return this.#read("getCrmEntries", args);
  }

  getCrmField(args: GetCrmFieldArgs): Promise<CrmFieldValue> {
    return this.#read("getCrmField", args);
  }

  getCrmStage(args: GetCrmStageArgs): Promise<CrmStageValue> {
    return this.#read("getCrmStage", args);
  }

  getCrmEntity(args: GetCrmEntityArgs): Promise<EntityDefinition> {
    return this.#read("getCrmEntity", args);
  }

  /** Recorded values of a field that keeps history; a save on this page reads it again. */
  getCrmFieldHistory(args: GetCrmFieldHistoryArgs): Promise<CrmFieldHistory> {
    return this.#read("getCrmFieldHistory", args);
  }

  /** Recorded stage moves of one pipeline. */
  getCrmStageHistory(args: GetCrmStageHistoryArgs): Promise<CrmStageHistory> {
    return this.#read("getCrmStageHistory", args);
  }

  /**
   * Writes one field. Readers of that field see the new value at once; if the
   * proxy refuses, they see the previous one again and the promise rejects.
   */
  setCrmField(args: SetCrmFieldArgs): Promise<CrmFieldValue> {
    return this.#write(
      "setCrmField",
      "getCrmField",
      args,
      (current) => ({ ...current, value: args.value }),
      (entry, result) => ({
        ...entry,
        values: { ...entry.values, [args.fieldKey]: result.value },
        updatedAt: result.updatedAt ?? entry.updatedAt,
      }),
    );
  }

  /** Moves an entry to a stage, optimistically like `setCrmField`. */
  setCrmStage(args: SetCrmStageArgs): Promise<CrmStageValue> {
    const position = { stage: args.stage, enteredAt: new Date().toISOString() };
    return this.#write(
      "setCrmStage",
      "getCrmStage",
      args,
      (current) => ({ ...current, position }),
      (entry, result) => ({
        ...entry,
        stages: result.position
          ? { ...entry.stages, [args.pipeline]: result.position }
          : entry.stages,
      }),
    );
  }

  /** Every entry of one customer across all entities, through the admin route. */
  async getCustomerEntries(customerId: string, adminToken?: string): Promise<CustomerEntries> {
    const token = adminToken ?? this.#config.adminToken;
    if (!token) throw new CrmError("unauthenticated", "An admin token is required");
    const key = `admin:${customerId}`;
    const pending = this.#inflight.get(key);
    if (pending) return pending as Promise<CustomerEntries>;
    const request = this.#fetchJson(
      `/v1/admin/customers/${encodeURIComponent(customerId)}/entries`,
      { method: "GET" },
      token,
    ).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, request);
    return request as Promise<CustomerEntries>;
  }

  /** Another customer or proxy: nothing cached holds, and everything shown must be read again. */
  #reset(): void {
    this.#cache.clear();
    this.#inflight.clear();
    this.#emit("*");
  }

  #emit(key: string): void {
    for (const listener of this.#listeners) listener(key);
  }

  #read<K extends ReadOp>(op: K, args: ReadOps[K]["args"]): Promise<ReadOps[K]["data"]> {
    const key = callKey(op, args);
    const cached = this.#cache.get(key);
    if (cached) return Promise.resolve(cached.data as ReadOps[K]["data"]);
    const pending = this.#inflight.get(key);
    if (pending) return pending as Promise<ReadOps[K]["data"]>;
    const topic = writeTopic(op, args);
    const writes = this.#writes.get(topic);
    type Data = ReadOps[K]["data"];
    const request: Promise<Data> = this.#enqueue(op, args).then(
      (data): Data | Promise<Data> => {
        if (this.#inflight.get(key) !== request) return data as Data;
        this.#inflight.delete(key);
        // A write to what this read asks started or ended on its way: the answer may predate it.
        if (this.#writes.get(topic) !== writes) return this.#read(op, args);
        this.#cache.set(key, { op, args, data });
        return data as Data;
      },
      (error: unknown) => {
        if (this.#inflight.get(key) === request) this.#inflight.delete(key);
        throw error;
      },
    );
    this.#inflight.set(key, request);
    return request;
  }

  /**
   * One optimistic write. Each cached read it concerns shows the written value
   * at once, over the record it covers. The write's answer or rollback lands
   * only on its own record: a later write's value (pending or saved) stays on
   * top, whichever answer arrives first.
   */
  async #write<T extends CrmFieldValue | CrmStageValue>(
    op: "setCrmField" | "setCrmStage",
    read: "getCrmField" | "getCrmStage",
    args: SetCrmFieldArgs | SetCrmStageArgs,
    optimistic: (current: T) => T,
    patchEntry: (entry: CrmEntry, result: T) => CrmEntry,
  ): Promise<T> {
    const own = new Map<string, CacheRecord>();
    for (const [key, record] of this.#targets(read, args)) {
      const written = { ...record, data: optimistic(record.data as T), prev: record };
      own.set(key, written);
      this.#cache.set(key, written);
      this.#emit(key);
    }
    this.#wrote(read, args);
    let result: T;
    try {
      result = (await this.#enqueue(op, args)) as T;
    } catch (error) {
      this.#wrote(read, args);
      for (const [key, written] of own) this.#settle(key, written, written.prev!);
      throw toCrmError(error);
    }
    this.#wrote(read, args);
    for (const [key, record] of this.#targets(read, args, result.entryId)) {
      const saved = { op: read, args: record.args, data: result };
      const written = own.get(key);
      if (written) this.#settle(key, written, saved);
      else if (!record.prev) {
        // Read while this write was on its way, so possibly from before it.
        this.#cache.set(key, saved);
        this.#emit(key);
      }
    }
    this.#patchEntries(args.slug, result.entryId, (entry) => patchEntry(entry, result));
    // The save added a record to the history of its field or pipeline: cached reads of that
    // history are read again (the proxy answers only once the record is searchable).
    for (const [key, record] of this.#cache) {
      if (record.op === `${read}History` && sameHistory(record.args, args)) {
        this.#cache.delete(key);
        this.#emit(key);
      }
    }
    return result;
  }

  /** Counts a write's start or end for the reads it may change: its field or pipeline, and entry lists. */
  #wrote(read: "getCrmField" | "getCrmStage", args: SetCrmFieldArgs | SetCrmStageArgs): void {
    for (const topic of [
      writeTopic(read, args),
      writeTopic("getCrmEntries", args),
      writeTopic(`${read}History`, args),
    ]) {
      this.#writes.set(topic, (this.#writes.get(topic) ?? 0) + 1);
    }
  }

  /** The cached reads of the field or pipeline a write names, of the entry it addresses. */
  #targets(
    op: "getCrmField" | "getCrmStage",
    args: Partial<SetCrmFieldArgs & SetCrmStageArgs>,
    writtenEntryId?: string | null,
  ): [string, CacheRecord][] {
    const found: [string, CacheRecord][] = [];
    for (const [key, record] of this.#cache) {
      const read = record.args as Partial<GetCrmFieldArgs & GetCrmStageArgs>;
      if (
        record.op === op &&
        read.slug === args.slug &&
        read.fieldKey === args.fieldKey &&
        read.pipeline === args.pipeline &&
        sameTarget(read, (record.data as CrmFieldValue).entryId, args, writtenEntryId)
      )
        found.push([key, record]);
    }
    return found;
  }

  /** Puts `replacement` where a write's own record is: on top, or under a later write's record. */
  #settle(key: string, written: CacheRecord, replacement: CacheRecord): void {
    let record = this.#cache.get(key);
    if (record === written) {
      this.#cache.set(key, replacement);
      this.#emit(key);
      return;
    }
    for (; record; record = record.prev) {
      if (record.prev === written) {
        record.prev = replacement;
        return;
      }
    }
  }

  /** Updates the written entry inside cached entry lists; a list missing it is read again. */
  #patchEntries(slug: string, entryId: string | null, update: (entry: CrmEntry) => CrmEntry): void {
    for (const [key, record] of this.#cache) {
      if (record.op !== "getCrmEntries" || (record.args as GetCrmEntriesArgs).slug !== slug)
        continue;
      const entries = record.data as CrmEntry[];
      if (entryId !== null && entries.some((entry) => entry.id === entryId)) {
        const data = entries.map((entry) => (entry.id === entryId ? update(entry) : entry));
        this.#cache.set(key, { ...record, data });
      } else {
        this.#cache.delete(key);
      }
      this.#emit(key);
    }
  }

  #enqueue(op: OperationName, args: object): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, args, resolve, reject });
      if (this.#flushScheduled) return;
      this.#flushScheduled = true;
      // A macrotask, not a microtask: components that render in a chain of
      // microtasks (Lit updates, awaited reads) all land in the same batch.
      // A message, not setTimeout: background tabs throttle timers to 1 s.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        this.#flush();
      };
      channel.port2.postMessage(null);
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    for (let start = 0; start < queue.length; start += MAX_BATCH_CALLS) {
      void this.#sendBatch(queue.slice(start, start + MAX_BATCH_CALLS));
    }
  }

  async #sendBatch(calls: QueuedCall[]): Promise<void> {
    try {
      const body = JSON.stringify({ calls: calls.map(({ op, args }) => ({ op, args })) });
      const response = (await this.#fetchJson("/v1/batch", { method: "POST", body })) as {
        results?: unknown[];
      };
      calls.forEach((call, index) => {
        const result = response.results?.[index] as
          | { ok: true; data: unknown }
          | { ok: false; error: CrmErrorBody }
          | undefined;
        if (result?.ok) call.resolve(result.data);
        else call.reject(toCrmError(result?.error ?? { code: "internal", message: "No result" }));
      });
    } catch (error) {
      const crmError = toCrmError(error);
      for (const call of calls) call.reject(crmError);
    }
  }

  /** One HTTP exchange with the proxy; a 401 retries once, with a newer token or a refreshed one. */
  async #fetchJson(path: string, init: RequestInit, adminToken?: string): Promise<unknown> {
    const base = this.#config.proxyUrl.replace(/\/+$/, "");
    if (!base) throw new CrmError("invalid_request", "The CRM proxy URL is not configured");
    let token = adminToken ?? (await this.#sessionToken(false));
    // Read per request and called unbound: the page's fetch may be replaced meanwhile.
    const send = this.#config.fetch ?? fetch;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await send(`${base}${path}`, {
          ...init,
          headers: {
            accept: "application/json",
            ...(init.body ? { "content-type": "application/json" } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        });
      } catch {
        throw new CrmError("unavailable", "The CRM service cannot be reached");
      }
      if (response.status === 401 && attempt === 0 && !adminToken) {
        // A token set or refreshed meanwhile is tried as it is; only the refused one is renewed.
        if (this.#token !== token) {
          token = this.#token;
          continue;
        }
        if (this.#config.tokenProvider) {
          token = await this.#sessionToken(true);
          continue;
        }
      }
      const payload: unknown = await response.json().catch(() => undefined);
      if (response.ok) return payload;
      const error = (payload as { error?: unknown } | undefined)?.error;
      if (error) throw toCrmError(error);
      throw new CrmError(
        response.status === 401
          ? "unauthenticated"
          : response.status >= 500
            ? "unavailable"
            : "internal",
        `The CRM service answered ${response.status}`,
      );
    }
  }

  async #sessionToken(refresh: boolean): Promise<string | undefined> {
    const provider = this.#config.tokenProvider;
    if ((refresh || this.#token === undefined) && provider) {
      // Batches refused at the same moment share one request for a new token.
      this.#tokenRequest ??= Promise.resolve()
        .then(provider)
        .then(
          (token) => {
            this.#token = token;
          },
          () => {
            throw new CrmError("unauthenticated", "The session token could not be obtained");
          },
        )
        .finally(() => {
          this.#tokenRequest = undefined;
        });
      await this.#tokenRequest;
    }
    return this.#token;
  }
}
