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
  /** Replaces the definition stored under `definition.slug`. */
  updateEntity(definition: EntityDefinitionInput): Promise<EntityDefinition>;
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
    async updateEntity(definition) {
      return (await call(`/${encodeURIComponent(definition.slug)}`, {
        method: "PUT",
        body: JSON.stringify(definition),
      })) as EntityDefinition;
    },
  };
}
