import type {
  CrmEntry,
  CrmFieldValue,
  CrmStageValue,
  GetCrmFieldHistoryArgs,
  OperationArgs,
  OperationName,
  OperationResult,
  ReadOperationName,
  WriteOperationName,
} from "#domain/browser";
import { asCrmError } from "./errors.ts";
import type { PageWriteName } from "./operations.ts";

/** Sends one operation call (the batch queue's `call`). */
export type Call = <K extends OperationName>(
  op: K,
  args: OperationArgs<K>,
) => Promise<OperationResult<K>>;

/** Something the cache holds changed: listeners re-read what concerns them. */
export type CacheListener = (key: string) => void;

type CacheRecord = {
  [K in ReadOperationName]: {
    op: K;
    args: OperationArgs<K>;
    data: OperationResult<K>;
    /** The record a pending write's optimistic value covers: put back if the write fails. */
    prev?: CacheRecord;
  };
}[ReadOperationName];

/** The reads whose answers have the shape of write `K`'s answer. */
type ReadLike<K extends WriteOperationName> = {
  [R in ReadOperationName]: OperationResult<R> extends OperationResult<K> ? R : never;
}[ReadOperationName];

/** How a write shows in the cache: at once (optimistic) and once the proxy saved it. */
interface WriteEffect<K extends WriteOperationName> {
  /** The read whose cached answers show the written value. */
  read: ReadLike<K>;
  /** A cached answer of `read` as it is once the write lands. */
  optimistic(current: OperationResult<K>, args: OperationArgs<K>): OperationResult<K>;
  /** The written entry inside a cached entry list, once saved. */
  patchEntry(entry: CrmEntry, saved: OperationResult<K>, args: OperationArgs<K>): CrmEntry;
}

/** A point of a field's history or a move of a pipeline's: both have a time and an entry. */
type HistoryItem = { at: string; entryId: string | null; [detail: string]: unknown };

/**
 * Every write's optimistic effect on the cached reads; `null`: none, the
 * reads it changes are read again once it is saved. (A new write operation
 * needs its line here: what it shows at once is the widgets' choice.)
 */
const writeEffects: { [K in PageWriteName]: WriteEffect<K> | null } = {
  setCrmField: {
    read: "getCrmField",
    optimistic: (current, args) => ({ ...current, value: args.value }),
    patchEntry: (entry, saved, args) => ({
      ...entry,
      values: { ...entry.values, [args.fieldKey]: saved.value },
      updatedAt: saved.updatedAt ?? entry.updatedAt,
    }),
  },
  setCrmStage: {
    read: "getCrmStage",
    optimistic: (current, args) => ({
      ...current,
      position: { stage: args.stage, enteredAt: new Date().toISOString() },
    }),
    patchEntry: (entry, saved, args) => ({
      ...entry,
      stages: saved.position ? { ...entry.stages, [args.pipeline]: saved.position } : entry.stages,
    }),
  },
  createCrmEntry: null,
};

/** What of a history read decides where a saved change goes in its page. */
type HistoryPageArgs = Pick<GetCrmFieldHistoryArgs, "from" | "to" | "order" | "after">;

/**
 * A cached history page with a change the page itself just saved, so a
 * chart redraws at once without reading again (the proxy's write does not
 * wait for searches to see the record). Newest first: on the first page; a
 * limited page then holds one more than its limit and keeps its `next`,
 * which still continues after the page's last stored record. Oldest first:
 * on the last page. Null: the page must be read again (an upper time bound).
 */
export function withSaved(
  items: HistoryItem[],
  item: HistoryItem,
  { from, to, order, after }: HistoryPageArgs,
  next: string | null,
): HistoryItem[] | null {
  if (
    items.some((known) => known.at === item.at && known.entryId === item.entryId) ||
    (from && Date.parse(item.at) < Date.parse(from))
  )
    return items;
  if (to) return null;
  if (order === "asc") return next ? items : [...items, item];
  return after ? items : [item, ...items];
}

/** Cache key of one read: operation plus its arguments in a stable order. */
export function callKey(op: OperationName, args: object): string {
  const entries = Object.entries(args)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${op}:${JSON.stringify(entries)}`;
}

interface Address {
  slug: string;
  fieldKey?: string;
  pipeline?: string;
  entryId?: string;
  referenceType?: string;
  referenceId?: string;
}

/**
 * What a call reads or writes that writes can change: one field or pipeline
 * of an entity (its value, its history), or, naming neither, its entry lists.
 */
function topic(args: Address): string {
  return `${args.slug}:${args.fieldKey ?? args.pipeline ?? ""}`;
}

/**
 * Whether a cached read and a write address the same entry: both the
 * reference's default entry (neither names one), or one entry id, a read
 * known by the id it resolved to and a write, once saved, by the id it wrote.
 */
function sameTarget(
  read: Address,
  readEntryId: string | null,
  write: Address,
  writeEntryId?: string | null,
): boolean {
  if (read.referenceType !== write.referenceType || read.referenceId !== write.referenceId)
    return false;
  if (read.entryId === undefined && write.entryId === undefined) return true;
  const id = read.entryId ?? readEntryId;
  return id != null && id === (write.entryId ?? writeEntryId);
}

/**
 * The page's answers: identical reads share one call and, once answered, no
 * call at all; a write shows at once in every cached read it concerns, and
 * the proxy's refusal puts back what it covered. Listeners hear of each change.
 */
export class ReadCache {
  readonly #call: Call;
  readonly #records = new Map<string, CacheRecord>();
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #listeners = new Set<CacheListener>();
  /** Writes started or ended per topic (see `topic`): reads compare it before and after. */
  readonly #writes = new Map<string, number>();

  constructor(call: Call) {
    this.#call = call;
  }

  /** Listens to cache changes; returns the function that stops listening. */
  subscribe(listener: CacheListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Another customer or proxy: nothing cached holds, and everything shown must be read again. */
  reset(): void {
    this.#records.clear();
    this.#inflight.clear();
    this.#emit("*");
  }

  read<K extends ReadOperationName>(op: K, args: OperationArgs<K>): Promise<OperationResult<K>> {
    type Data = OperationResult<K>;
    const key = callKey(op, args);
    // One key is one operation with one set of arguments: what it holds is that read's answer.
    const cached = this.#records.get(key);
    if (cached) return Promise.resolve(cached.data as Data);
    const pending = this.#inflight.get(key);
    if (pending) return pending as Promise<Data>;
    const readTopic = topic(args);
    const writes = this.#writes.get(readTopic);
    const request: Promise<Data> = this.#call(op, args).then(
      (data): Data | Promise<Data> => {
        if (this.#inflight.get(key) !== request) return data;
        this.#inflight.delete(key);
        // A write to what this read asks started or ended on its way: the answer may predate it.
        if (this.#writes.get(readTopic) !== writes) return this.read(op, args);
        this.#records.set(key, { op, args, data } as CacheRecord);
        return data;
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
  async write<K extends PageWriteName>(
    op: K,
    given: OperationArgs<K>,
  ): Promise<OperationResult<K>> {
    const effect: WriteEffect<K> | null = writeEffects[op];
    // One name per change: the transport sends the same body again after a lost answer,
    // and the proxy then records the change, or creates the entry, once.
    // (A stage move needs none: sent again, it finds the entry in its stage.)
    const args = (
      op === "setCrmStage"
        ? given
        : // 16 random bytes as digits: an id no other change has.
          { operationId: crypto.getRandomValues(new Uint8Array(16)).join("-"), ...given }
    ) as OperationArgs<K>;
    const own = new Map<string, CacheRecord>();
    for (const [key, record] of effect ? this.#targets(effect.read, args) : []) {
      const data = effect!.optimistic(record.data as OperationResult<K>, args);
      const written = { ...record, data, prev: record } as CacheRecord;
      own.set(key, written);
      this.#records.set(key, written);
      this.#emit(key);
    }
    this.#wrote(args);
    let saved: OperationResult<K>;
    try {
      saved = await this.#call(op, args);
    } catch (error) {
      this.#wrote(args);
      for (const [key, written] of own) this.#settle(key, written, written.prev!);
      throw asCrmError(error);
    }
    this.#wrote(args);
    // A field's or stage's answer names its entry; a new entry is in no cached list yet.
    const entryId = (saved as { entryId?: string | null }).entryId ?? null;
    for (const [key, record] of effect ? this.#targets(effect.read, args, entryId) : []) {
      const answer = { op: effect!.read, args: record.args, data: saved } as CacheRecord;
      const written = own.get(key);
      if (written) this.#settle(key, written, answer);
      else if (!record.prev) {
        // Read while this write was on its way, so possibly from before it.
        this.#records.set(key, answer);
        this.#emit(key);
      }
    }
    // What the proxy recorded (a field that keeps history, a move): the saved value at the time
    // it answers; a move to the stage the entry is in, its old time (`withSaved` finds it there).
    const { updatedAt, value, position } = saved as Partial<CrmFieldValue & CrmStageValue>;
    const item = position
      ? { at: position.enteredAt, stage: position.stage, entryId }
      : updatedAt && { at: updatedAt, value, entryId };
    this.#patchEntries(args, entryId, effect && (item || null), (entry) =>
      effect ? effect.patchEntry(entry, saved, args) : entry,
    );
    return saved;
  }

  #emit(key: string): void {
    for (const listener of this.#listeners) listener(key);
  }

  /** Counts a write's start or end for the reads it may change: its field or pipeline, and entry lists. */
  #wrote(args: Address): void {
    for (const changed of [topic(args), topic({ slug: args.slug })]) {
      this.#writes.set(changed, (this.#writes.get(changed) ?? 0) + 1);
    }
  }

  /** The cached answers of `op` for the field or pipeline a write names, of the entry it addresses. */
  #targets(
    op: ReadOperationName,
    args: Address,
    writtenEntryId?: string | null,
  ): [string, CacheRecord][] {
    const found: [string, CacheRecord][] = [];
    for (const [key, record] of this.#records) {
      if (record.op !== op) continue;
      // A read a write concerns answers what the write answers: a value with its entry's id.
      const answer = record.data as OperationResult<"setCrmField" | "setCrmStage">;
      const read: Address = record.args;
      if (
        read.slug === args.slug &&
        read.fieldKey === args.fieldKey &&
        read.pipeline === args.pipeline &&
        sameTarget(read, answer.entryId, args, writtenEntryId)
      )
        found.push([key, record]);
    }
    return found;
  }

  /** Puts `replacement` where a write's own record is: on top, or under a later write's record. */
  #settle(key: string, written: CacheRecord, replacement: CacheRecord): void {
    let record = this.#records.get(key);
    if (record === written) {
      this.#records.set(key, replacement);
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

  /**
   * Updates the written entry inside the entity's cached entry lists (a list
   * missing it is read again), and adds `item`, the saved change, to the
   * cached history pages of its field or pipeline that cover its entry (see
   * `withSaved`); without an item (a new entry's records), they are read
   * again. The components read a field's history only for fields that keep
   * one, so a page cached here is of one.
   */
  #patchEntries(
    args: Address,
    entryId: string | null,
    item: HistoryItem | null | undefined,
    update: (entry: CrmEntry) => CrmEntry,
  ): void {
    for (const [key, record] of this.#records) {
      const read: Address & HistoryPageArgs = record.args;
      if (read.slug !== args.slug) continue;
      if (record.op.endsWith("History")) {
        if (
          item !== undefined &&
          (read.fieldKey !== args.fieldKey ||
            read.pipeline !== args.pipeline ||
            read.referenceType !== args.referenceType ||
            read.referenceId !== args.referenceId ||
            (read.entryId ?? entryId) !== entryId)
        )
          continue;
        const page = record.data as {
          points?: HistoryItem[];
          moves?: HistoryItem[];
          next: string | null;
        };
        const list = page.points ?? page.moves ?? [];
        const patched = item && withSaved(list, item, read, page.next);
        if (patched === list) continue;
        if (patched) {
          const data = { ...page, [page.points ? "points" : "moves"]: patched };
          this.#records.set(key, { ...record, data } as CacheRecord);
        } else this.#records.delete(key);
        this.#emit(key);
        continue;
      }
      if (
        record.op === "getCrmEntries" &&
        entryId !== null &&
        record.data.some((entry) => entry.id === entryId)
      ) {
        const data = record.data.map((entry) => (entry.id === entryId ? update(entry) : entry));
        this.#records.set(key, { ...record, data });
      } else if (record.op === "getCrmEntries") {
        this.#records.delete(key);
      } else continue;
      this.#emit(key);
    }
  }
}
