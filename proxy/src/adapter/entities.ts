import type { Client } from "@elastic/elasticsearch";
import {
  CrmError,
  type EntityDefinition,
  type EntityDefinitionInput,
  entityDefinitionSchema,
  errorFromIssues,
  slugSchema,
} from "#domain";
import {
  elasticsearchCall,
  fromElasticsearchError,
  responseStatus,
} from "../elasticsearch/errors.ts";
import type { EntityDocument } from "../elasticsearch/schema.ts";
import type { TtlCache } from "./cache.ts";
import type { AdapterContext } from "./context.ts";

/** Most entity definitions `list` returns. */
const MAX_ENTITIES = 1_000;

/**
 * How old a cached definition may be before it is checked against the stored
 * version again: another process's change (a field made hidden, a pipeline
 * made unmovable) applies here within this time.
 */
export const DEFINITION_REVALIDATE_MS = 2_000;

/** A cached definition, the stored version it came from, and when that was last confirmed. */
export interface CachedDefinition {
  definition: EntityDefinition;
  version: string;
  checkedAt: number;
}

function versionOf(stored: { _seq_no?: number; _primary_term?: number }): string {
  return `${stored._seq_no ?? ""}:${stored._primary_term ?? ""}`;
}

/**
 * Entity definitions, one document per slug (the slug is the id). Reads go
 * through a cache: a warm CRM operation then costs no definition lookup.
 * A cached definition older than `DEFINITION_REVALIDATE_MS` is revalidated
 * with one GET without `_source` (the stored version only); a changed
 * version loads the definition again.
 */
export class EntityStore {
  private readonly client: Client;
  private readonly index: string;
  private readonly context: AdapterContext;
  private readonly cache: TtlCache<string, CachedDefinition>;
  /** Counts this process's writes: a load that started before one must not cache what it read. */
  private writes = 0;

  constructor(context: AdapterContext, cache: TtlCache<string, CachedDefinition>) {
    this.client = context.client;
    this.index = context.indices.entities;
    this.context = context;
    this.cache = cache;
  }

  async get(slug: string): Promise<EntityDefinition> {
    if (!slugSchema.safeParse(slug).success) throw entityNotFound(slug);
    const cached = this.cache.get(slug);
    if (!cached) return this.load(slug);
    if (Date.now() - cached.checkedAt < DEFINITION_REVALIDATE_MS) return cached.definition;
    return this.revalidate(slug, cached);
  }

  private async revalidate(slug: string, cached: CachedDefinition): Promise<EntityDefinition> {
    const writesBefore = this.writes;
    const result = await elasticsearchCall(() =>
      this.client.get({ index: this.index, id: slug, _source: false }, { ignore: [404] }),
    );
    if (!result.found) {
      this.cache.delete(slug);
      throw entityNotFound(slug);
    }
    if (versionOf(result) !== cached.version) return this.load(slug);
    if (this.writes === writesBefore) this.cache.set(slug, { ...cached, checkedAt: Date.now() });
    return cached.definition;
  }

  private remember(slug: string, definition: EntityDefinition, version: string): void {
    this.cache.set(slug, { definition, version, checkedAt: Date.now() });
  }

  async list(): Promise<EntityDefinition[]> {
    const result = await elasticsearchCall(() =>
      this.client.search<EntityDocument>({
        index: this.index,
        size: MAX_ENTITIES,
        sort: [{ slug: "asc" }],
        query: { match_all: {} },
      }),
    );
    return result.hits.hits.flatMap((hit) => (hit._source ? [storedDefinition(hit._source)] : []));
  }

  async create(input: EntityDefinitionInput): Promise<EntityDefinition> {
    const definition = validDefinition(input);
    const now = this.context.now().toISOString();
    let written: { _seq_no?: number; _primary_term?: number };
    try {
      written = await this.client.create<EntityDocument>(
        {
          index: this.index,
          id: definition.slug,
          refresh: this.context.refresh,
          document: {
            slug: definition.slug,
            name: definition.name,
            definition,
            created_at: now,
            updated_at: now,
          },
        },
        // A create retried after a gateway error that hid its success would answer 409.
        { maxRetries: 0 },
      );
    } catch (error) {
      if (responseStatus(error) === 409) {
        throw new CrmError(
          "conflict",
          `An entity with slug "${definition.slug}" already exists`,
          "slug",
        );
      }
      throw fromElasticsearchError(error);
    }
    this.writes++;
    this.remember(definition.slug, definition, versionOf(written));
    return definition;
  }

  /**
   * Replaces a definition. Compare-and-set on the stored version: a concurrent
   * update yields `conflict`. `check` sees the stored and the new definition
   * before the write and may refuse it (the back office's breaking-change check).
   */
  async update(
    slug: string,
    input: EntityDefinitionInput,
    check?: (current: EntityDefinition, next: EntityDefinition) => Promise<void>,
  ): Promise<EntityDefinition> {
    const definition = validDefinition(input);
    if (definition.slug !== slug) {
      throw new CrmError("invalid_request", "slug: Must match the entity being updated", "slug");
    }
    const current = await elasticsearchCall(() =>
      this.client.get<EntityDocument>({ index: this.index, id: slug }, { ignore: [404] }),
    );
    if (!current.found || !current._source) throw entityNotFound(slug);
    const stored = storedDefinition(current._source);
    if (stored.entriesPerReference !== definition.entriesPerReference) {
      // Entry ids are derived differently for the two kinds; existing entries would be lost.
      throw new CrmError(
        "invalid_request",
        "entriesPerReference: Cannot change once the entity exists",
        "entriesPerReference",
      );
    }
    await check?.(stored, definition);
    const createdAt = current._source.created_at;
    const written = await elasticsearchCall(() =>
      this.client.index<EntityDocument>({
        index: this.index,
        id: slug,
        if_seq_no: current._seq_no,
        if_primary_term: current._primary_term,
        refresh: this.context.refresh,
        document: {
          slug,
          name: definition.name,
          definition,
          created_at: createdAt,
          updated_at: this.context.now().toISOString(),
        },
      }),
    );
    this.writes++;
    this.remember(slug, definition, versionOf(written));
    return definition;
  }

  /** Removes a definition; false if there was none. Its entries are the caller's concern. */
  async delete(slug: string): Promise<boolean> {
    const result = await elasticsearchCall(() =>
      this.client.delete(
        { index: this.index, id: slug, refresh: this.context.refresh },
        { ignore: [404] },
      ),
    );
    this.writes++;
    this.cache.delete(slug);
    return result.result === "deleted";
  }

  private async load(slug: string): Promise<EntityDefinition> {
    const writesBefore = this.writes;
    const result = await elasticsearchCall(() =>
      this.client.get<EntityDocument>({ index: this.index, id: slug }, { ignore: [404] }),
    );
    const found = result.found ? result._source : undefined;
    if (!found) throw entityNotFound(slug);
    const definition = storedDefinition(found);
    if (this.writes === writesBefore) this.remember(slug, definition, versionOf(result));
    return definition;
  }
}

function entityNotFound(slug: string): CrmError {
  return new CrmError("entity_not_found", `No entity with slug "${slug}"`);
}

export function validDefinition(input: unknown): EntityDefinition {
  const result = entityDefinitionSchema.safeParse(input);
  if (!result.success) throw errorFromIssues(result.error.issues);
  return result.data;
}

/** Stored definitions passed the schema when written; parsing again applies defaults added since. */
function storedDefinition(document: EntityDocument): EntityDefinition {
  const result = entityDefinitionSchema.safeParse(document.definition);
  if (!result.success) {
    console.error(`Stored entity definition "${document.slug}" is invalid:`, result.error.issues);
    throw new CrmError("internal", "Something went wrong");
  }
  return result.data;
}
