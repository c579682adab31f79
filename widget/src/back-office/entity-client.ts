/**
 * What the CRM settings components need from the proxy: entity definitions,
 * read and written with back-office rights. Components take any
 * implementation (`client` property); the default one is backed by the page
 * runtime's configuration.
 */
import type { EntityDefinition, EntityDefinitionInput } from "#domain/browser";
import type { CrmRuntime } from "../runtime/runtime.ts";
import { staffClient } from "./staff-client.ts";

export interface EntityDefinitions {
  /** Every definition, with all fields (hidden ones included), by slug. */
  listEntities(): Promise<EntityDefinition[]>;
  getEntity(slug: string): Promise<EntityDefinition>;
  /** Refuses with `conflict` (on `slug`) when the slug is taken. */
  createEntity(definition: EntityDefinitionInput): Promise<EntityDefinition>;
  /**
   * Replaces the definition stored under `definition.slug`. A change that would
   * make stored entries invalid is refused with `breaking_change` (its `field`
   * names the first input concerned) unless `acceptBreaking`.
   */
  updateEntity(
    definition: EntityDefinitionInput,
    options?: { acceptBreaking?: boolean },
  ): Promise<EntityDefinition>;
  /**
   * Removes a definition. One with stored entries is refused with `conflict`
   * unless `deleteEntries`, which deletes them too.
   */
  deleteEntity(
    slug: string,
    options?: { deleteEntries?: boolean },
  ): Promise<{ slug: string; deletedEntries: number }>;
}

const byRuntime = new WeakMap<CrmRuntime, EntityDefinitions>();

/**
 * The settings components' definitions when none is given: the runtime's
 * (`runtimeEntityDefinitions`), made once per runtime, so the list and the
 * editor of one page share one staff token.
 */
export function entityDefinitionsOf(runtime: CrmRuntime): EntityDefinitions {
  let client = byRuntime.get(runtime);
  if (!client) {
    client = runtimeEntityDefinitions(runtime);
    byRuntime.set(runtime, client);
  }
  return client;
}

/**
 * Entity definitions through the proxy's `/v1/staff/entities` routes, with the
 * runtime's proxy URL, `fetch` and staff token (changes need the admin role).
 */
export function runtimeEntityDefinitions(runtime: CrmRuntime): EntityDefinitions {
  const staff = staffClient(runtime);
  async function call(path: string, init: RequestInit = {}): Promise<unknown> {
    return staff.call(`/entities${path}`, init);
  }
  return {
    async listEntities() {
      return ((await call("")) as { entities: EntityDefinition[] }).entities;
    },
    async getEntity(slug) {
      return (await call(`/${encodeURIComponent(slug)}`)) as EntityDefinition;
    },
    async createEntity(definition) {
      return (await call("", {
        method: "POST",
        body: JSON.stringify(definition),
      })) as EntityDefinition;
    },
    async updateEntity(definition, options = {}) {
      const accept = options.acceptBreaking ? "?acceptBreaking=true" : "";
      return (await call(`/${encodeURIComponent(definition.slug)}${accept}`, {
        method: "PUT",
        body: JSON.stringify(definition),
      })) as EntityDefinition;
    },
    async deleteEntity(slug, options = {}) {
      const also = options.deleteEntries ? "?deleteEntries=true" : "";
      return (await call(`/${encodeURIComponent(slug)}${also}`, { method: "DELETE" })) as {
        slug: string;
        deletedEntries: number;
      };
    },
  };
}
