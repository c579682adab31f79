import type { z } from "zod";
import {
  type CrmEntry,
  CrmError,
  type CrmFieldHistory,
  type CrmFieldValue,
  type CrmStageHistory,
  type CrmStageValue,
  checkFieldValue,
  createCrmEntryArgsSchema,
  customerView,
  DEFAULT_HISTORY_LIMIT,
  deleteCrmEntryArgsSchema,
  type EntityDefinition,
  errorFromIssues,
  type FieldDefinition,
  type FieldValue,
  getCrmEntityArgsSchema,
  getCrmEntriesArgsSchema,
  getCrmFieldArgsSchema,
  getCrmFieldHistoryArgsSchema,
  getCrmStageArgsSchema,
  getCrmStageHistoryArgsSchema,
  MAX_ENTRIES_PER_READ,
  ownValue,
  type Reference,
  setCrmFieldArgsSchema,
  setCrmStageArgsSchema,
} from "#domain";
import type { HistoryDocument } from "../elasticsearch/schema.ts";
import type { RefreshPolicy } from "./context.ts";
import type { EntityStore } from "./entities.ts";
import { type EntryChange, type EntryStore, toCrmEntry } from "./entries.ts";
import {
  actorOf,
  fieldRecord,
  type HistoryQuery,
  type HistoryStore,
  recordActor,
  recordValue,
  stageRecord,
} from "./history.ts";
import { isEntryIdOf, newEntryId, referenceEntryId } from "./ids.ts";
import {
  type Caller,
  entryNotFound,
  entryView,
  movablePipeline,
  pipelineOf,
  readableField,
  referenceFor,
  writableField,
} from "./scope.ts";
import type { CrmOperations } from "./types.ts";

export interface OperationDeps {
  entities: EntityStore;
  entries: EntryStore;
  history: HistoryStore;
  now: () => Date;
  refresh: RefreshPolicy;
}

/** Arguments that fail their operation's strict schema are refused, naming the first bad one. */
export function parseArgs<T>(schema: z.ZodType<T>, args: unknown): T {
  const result = schema.safeParse(args);
  if (!result.success) throw errorFromIssues(result.error.issues);
  return result.data;
}

/**
 * Which entry an operation addresses. An entity with one entry per reference
 * has a deterministic entry id, so no lookup is needed; with many entries the
 * caller names the entry, and its id must carry this entity and reference.
 */
function entryIdFor(
  entity: EntityDefinition,
  reference: Reference,
  entryId: string | undefined,
): string {
  if (entity.entriesPerReference === "one") {
    const id = referenceEntryId(entity.slug, reference);
    if (entryId !== undefined && entryId !== id) throw entryNotFound();
    return id;
  }
  if (entryId === undefined) {
    throw new CrmError(
      "invalid_request",
      `entryId: Required, entity "${entity.slug}" has several entries per reference`,
      "entryId",
    );
  }
  if (!isEntryIdOf(entryId, entity.slug, reference)) throw entryNotFound();
  return entryId;
}

/**
 * The entry a history read is limited to: the named one (which must belong to
 * this entity and reference), or none, so every entry of the reference counts.
 */
function historyEntryId(
  entity: EntityDefinition,
  reference: Reference,
  entryId: string | undefined,
): string | undefined {
  if (entryId === undefined) return undefined;
  const belongs =
    entity.entriesPerReference === "one"
      ? entryId === referenceEntryId(entity.slug, reference)
      : isEntryIdOf(entryId, entity.slug, reference);
  if (!belongs) throw entryNotFound();
  return entryId;
}

/** The part of a history read's arguments that picks its page: entry, time window, order, size. */
type HistoryWindow = Pick<
  z.output<typeof getCrmFieldHistoryArgsSchema>,
  "entryId" | "from" | "to" | "order" | "limit" | "after"
>;

function checkedValue(field: FieldDefinition, input: unknown): FieldValue {
  const check = checkFieldValue(field, input);
  if (!check.ok) throw new CrmError("invalid_value", `${field.key}: ${check.message}`, field.key);
  return check.value;
}

/** The CRM operations as one caller may use them. */
export function crmOperations(caller: Caller, deps: OperationDeps): CrmOperations {
  const { entries, history } = deps;
  const reader = entries.reader();
  /** Customers never learn who made a change; staff and backend callers do. */
  const showActor = caller.kind !== "customer";
  const change = (
    entryId: string,
    entity: EntityDefinition,
    reference: Reference,
    at: string,
    operationId?: string,
  ) => ({ entryId, slug: entity.slug, reference, at, by: actorOf(caller), operationId });
  const now = () => deps.now().toISOString();
  /** Concurrent calls of this caller (one batch) share one load of a cold definition. */
  const loading = new Map<string, Promise<EntityDefinition>>();
  const entities = {
    get(slug: string): Promise<EntityDefinition> {
      const running = loading.get(slug);
      if (running) return running;
      const load = deps.entities.get(slug).finally(() => loading.delete(slug));
      loading.set(slug, load);
      return load;
    },
  };
  /**
   * One page of one field's or one pipeline's history: `subject` names which
   * of the entity's fields or pipelines (and refuses one the caller may not
   * read); the rest of `a` picks the reference, entry, time window and order.
   */
  async function readHistory(
    a: HistoryWindow & { slug: string; referenceType?: string; referenceId?: string },
    subject: (entity: EntityDefinition) => Pick<HistoryQuery, "kind" | "key">,
  ) {
    const reference = referenceFor(caller, a);
    const entity = await entities.get(a.slug);
    const of = subject(entity);
    const page = await history.search({
      reference,
      slug: entity.slug,
      ...of,
      entryId: historyEntryId(entity, reference, a.entryId),
      from: a.from,
      to: a.to,
      order: a.order ?? "desc",
      limit: a.limit ?? DEFAULT_HISTORY_LIMIT,
      after: a.after,
    });
    const points = page.records.map((record) => ({
      record,
      at: record.at,
      entryId: record.entry_id,
      ...(showActor ? { by: recordActor(record) } : {}),
    }));
    return { slug: entity.slug, key: of.key, points, next: page.next };
  }
  /**
   * One-entry entities are only ever read by id (realtime GET/mget), so their
   * writes need not wait for a refresh; many-entry entities are found by
   * search, so their writes wait until searches see them. A change with
   * history records (`recorded`) by staff or a backend caller waits too: the
   * back office and scripts search the history right after; a customer's page
   * shows its own save from its cache, so the customer's write does not wait.
   */
  const refreshFor = (entity: EntityDefinition, recorded = false): RefreshPolicy =>
    entity.entriesPerReference === "one" && !(recorded && caller.kind !== "customer")
      ? false
      : deps.refresh;

  /**
   * A one-entry entity's entry is created by its first write; a many-entry
   * entry must exist. A change with history records is one `_bulk` of the
   * entry update and its records (see `HistoryStore`); without records, one
   * update. Either way the change, and its records, are stored before the
   * caller hears of it; searches see them after the entity's refresh policy.
   */
  async function applyChange(write: {
    entity: EntityDefinition;
    id: string;
    reference: Reference;
    change: EntryChange;
    at: string;
    records: HistoryDocument[];
  }): Promise<void> {
    const { entity, records } = write;
    const entryWrite = {
      id: write.id,
      reference: write.reference,
      change: write.change,
      now: write.at,
      createAs: entity.entriesPerReference === "one" ? { slug: entity.slug } : undefined,
      by: actorOf(caller),
    };
    const refresh = refreshFor(entity, records.length > 0);
    const applied =
      records.length > 0
        ? await history.apply(entries, entryWrite, records, refresh)
        : await entries.applyChange({ ...entryWrite, refresh });
    if (!applied) throw entryNotFound();
  }

  return {
    async getCrmEntries(args): Promise<CrmEntry[]> {
      const a = parseArgs(getCrmEntriesArgsSchema, args);
      const reference = referenceFor(caller, a);
      const entity = await entities.get(a.slug);
      const keep = entryView(caller, entity);
      const limit = a.limit ?? MAX_ENTRIES_PER_READ;
      const offset = a.offset ?? 0;
      if (entity.entriesPerReference === "one") {
        if (offset > 0) return [];
        const stored = await reader.get(
          referenceEntryId(entity.slug, reference),
          entity.slug,
          reference,
        );
        return stored ? [toCrmEntry(stored, keep)] : [];
      }
      // Newest first: a page never skips an entry, since new entries only push
      // older ones further down (the next page may repeat one, never lose one).
      // Entries created in the same millisecond are ordered by their sequence
      // number (one reference's entries share a shard): without it Elasticsearch
      // may order ties differently from one page's request to the next (a write
      // to one of the tied entries still moves it among them).
      const found = await entries.search(reference, {
        slugs: [entity.slug],
        size: limit,
        from: offset,
        sort: [{ created_at: "desc" }, { _seq_no: "desc" }],
      });
      return found.map((stored) => toCrmEntry(stored, keep));
    },

    async getCrmField(args): Promise<CrmFieldValue> {
      const a = parseArgs(getCrmFieldArgsSchema, args);
      const reference = referenceFor(caller, a);
      const entity = await entities.get(a.slug);
      readableField(caller, entity, a.fieldKey);
      const id = entryIdFor(entity, reference, a.entryId);
      const stored = await reader.get(id, entity.slug, reference, [`values.${a.fieldKey}`]);
      if (!stored) {
        if (entity.entriesPerReference === "many") throw entryNotFound();
        return {
          slug: entity.slug,
          fieldKey: a.fieldKey,
          value: null,
          entryId: null,
          updatedAt: null,
        };
      }
      return {
        slug: entity.slug,
        fieldKey: a.fieldKey,
        value: ownValue(stored.document.values, a.fieldKey) ?? null,
        entryId: id,
        updatedAt: stored.document.updated_at,
      };
    },

    async setCrmField(args): Promise<CrmFieldValue> {
      const a = parseArgs(setCrmFieldArgsSchema, args);
      const reference = referenceFor(caller, a);
      const entity = await entities.get(a.slug);
      const field = writableField(caller, entity, a.fieldKey);
      const value = checkedValue(field, a.value);
      const id = entryIdFor(entity, reference, a.entryId);
      const updatedAt = now();
      const records = field.history
        ? [fieldRecord(change(id, entity, reference, updatedAt, a.operationId), field, value)]
        : [];
      const values = { [field.key]: value };
      await applyChange({ entity, id, reference, change: { values }, at: updatedAt, records });
      return { slug: entity.slug, fieldKey: field.key, value, entryId: id, updatedAt };
    },

    async getCrmStage(args): Promise<CrmStageValue> {
      const a = parseArgs(getCrmStageArgsSchema, args);
      const reference = referenceFor(caller, a);
      const entity = await entities.get(a.slug);
      const pipeline = pipelineOf(entity, a.pipeline);
      const id = entryIdFor(entity, reference, a.entryId);
      const stored = await reader.get(id, entity.slug, reference, [`stages.${pipeline.key}`]);
      if (!stored) {
        if (entity.entriesPerReference === "many") throw entryNotFound();
        return { slug: entity.slug, pipeline: pipeline.key, position: null, entryId: null };
      }
      const position = ownValue(stored.document.stages, pipeline.key);
      return {
        slug: entity.slug,
        pipeline: pipeline.key,
        position: position ? { stage: position.stage, enteredAt: position.entered_at } : null,
        entryId: id,
      };
    },

    /**
     * Moves an entry to a stage and records when it entered it. Moving to the
     * stage it is already in changes nothing, so `enteredAt` keeps meaning
     * "since when"; that check costs one realtime read before the write.
     */
    async setCrmStage(args): Promise<CrmStageValue> {
      const a = parseArgs(setCrmStageArgsSchema, args);
      const reference = referenceFor(caller, a);
      const entity = await entities.get(a.slug);
      const pipeline = movablePipeline(caller, entity, a.pipeline);
      if (!pipeline.stages.some((stage) => stage.key === a.stage)) {
        throw new CrmError(
          "stage_not_found",
          `No stage "${a.stage}" in pipeline "${pipeline.key}"`,
          "stage",
        );
      }
      const id = entryIdFor(entity, reference, a.entryId);
      const stored = await reader.get(id, entity.slug, reference, [`stages.${pipeline.key}`]);
      if (!stored && entity.entriesPerReference === "many") throw entryNotFound();
      const current = ownValue(stored?.document.stages, pipeline.key);
      if (current?.stage === a.stage) {
        // The stored move may be one whose history record failed (its caller was told so
        // and is retrying): recording it again is a no-op when the record exists.
        await history.record(
          [stageRecord(change(id, entity, reference, current.entered_at), pipeline.key, a.stage)],
          refreshFor(entity, true),
        );
        return {
          slug: entity.slug,
          pipeline: pipeline.key,
          position: { stage: current.stage, enteredAt: current.entered_at },
          entryId: id,
        };
      }
      const enteredAt = now();
      // Every stage move is kept: time in stage and when each stage was reached come from it.
      const records = [
        stageRecord(change(id, entity, reference, enteredAt), pipeline.key, a.stage),
      ];
      const stages = { [pipeline.key]: { stage: a.stage, entered_at: enteredAt } };
      await applyChange({ entity, id, reference, change: { stages }, at: enteredAt, records });
      return {
        slug: entity.slug,
        pipeline: pipeline.key,
        position: { stage: a.stage, enteredAt },
        entryId: id,
      };
    },

    async createCrmEntry(args): Promise<CrmEntry> {
      const a = parseArgs(createCrmEntryArgsSchema, args);
      const reference = referenceFor(caller, a);
      const entity = await entities.get(a.slug);
      if (entity.entriesPerReference !== "many") {
        throw new CrmError(
          "invalid_request",
          `Entity "${entity.slug}" has one entry per reference; set its fields instead`,
        );
      }
      if (caller.kind === "customer" && !entity.customerCanCreate) {
        throw new CrmError(
          "entry_not_creatable",
          `Entries of "${entity.slug}" cannot be created here`,
        );
      }
      // Own properties only, so keys such as `constructor` are values like any other.
      const values: Record<string, FieldValue> = Object.fromEntries(
        Object.entries(a.values ?? {}).map(([key, input]) => [
          key,
          checkedValue(writableField(caller, entity, key), input),
        ]),
      );
      // Required means required, whoever creates the entry: a field the caller
      // may not write can then not be given, and the entry cannot be created.
      for (const field of entity.fields) {
        if (field.required && !Object.hasOwn(values, field.key)) {
          throw new CrmError("invalid_value", `${field.key}: Required`, field.key);
        }
      }
      if (caller.kind === "customer") {
        const existing = await entries.count(reference, entity.slug);
        if (existing >= entity.customerEntryQuota) {
          throw new CrmError(
            "entry_quota_exceeded",
            `At most ${entity.customerEntryQuota} entries of "${entity.slug}" per customer`,
          );
        }
      }
      const id = newEntryId(entity.slug, reference, a.operationId);
      const stored = await entries.create({
        id,
        slug: entity.slug,
        reference,
        values,
        now: now(),
        refresh: refreshFor(entity),
        by: actorOf(caller),
        idFromOperation: a.operationId !== undefined,
      });
      // Created first, recorded once created (a create is no hot path). The stored entry's own
      // values and time: a create sent again answers the entry its first attempt stored, and
      // records what that attempt may have failed to record (the same record ids).
      const created = stored.document;
      const records = entity.fields.flatMap((field) =>
        field.history && Object.hasOwn(created.values ?? {}, field.key)
          ? [
              fieldRecord(
                change(id, entity, reference, created.created_at, a.operationId),
                field,
                ownValue(created.values ?? {}, field.key) ?? null,
              ),
            ]
          : [],
      );
      if (records.length > 0) await history.record(records, refreshFor(entity));
      return toCrmEntry(stored, entryView(caller, entity));
    },

    async getCrmFieldHistory(args): Promise<CrmFieldHistory> {
      const a = parseArgs(getCrmFieldHistoryArgsSchema, args);
      const { slug, key, points, next } = await readHistory(a, (entity) => ({
        kind: "field",
        key: readableField(caller, entity, a.fieldKey).key,
      }));
      return {
        slug,
        fieldKey: key,
        points: points.map(({ record, ...point }) => ({ ...point, value: recordValue(record) })),
        next,
      };
    },

    async getCrmStageHistory(args): Promise<CrmStageHistory> {
      const a = parseArgs(getCrmStageHistoryArgsSchema, args);
      const { slug, key, points, next } = await readHistory(a, (entity) => ({
        kind: "stage",
        key: pipelineOf(entity, a.pipeline).key,
      }));
      return {
        slug,
        pipeline: key,
        moves: points.map(({ record, ...move }) => ({
          ...move,
          stage: String(recordValue(record)),
        })),
        next,
      };
    },

    async deleteCrmEntry(args) {
      if (caller.kind === "customer") {
        throw new CrmError("forbidden", "Only staff and the site's backend delete entries");
      }
      const a = parseArgs(deleteCrmEntryArgsSchema, args);
      const reference = referenceFor(caller, a);
      const entity = await entities.get(a.slug);
      const id = entryIdFor(entity, reference, a.entryId);
      const deleted = await entries.delete({ id, reference, refresh: refreshFor(entity) });
      return { slug: entity.slug, entryId: id, deleted };
    },

    async getCrmEntity(args): Promise<EntityDefinition> {
      const a = parseArgs(getCrmEntityArgsSchema, args);
      const entity = await entities.get(a.slug);
      return caller.kind === "customer" ? customerView(entity) : entity;
    },
  };
}
