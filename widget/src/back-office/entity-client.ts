/**
 * What the CRM settings components need from the proxy: entity definitions,
 * read and written with back-office rights. Components take any
 * implementation (`client` property); the default one is backed by the page
 * runtime's configuration.
 */
import type { CrmErrorBody, EntityDefinition, EntityDefinitionInput } from "#domain/browser";
import { CrmError } from "#domain/browser";
import { asCrmError } from "../runtime/errors.ts";
import type { CrmRuntime } from "../runtime/runtime.ts";

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
 * Entity definitions through the proxy's `/v1/admin/entities` routes, with the
 * runtime's proxy URL, `fetch` and back-office credential.
 */
export function runtimeEntityDefinitions(runtime: CrmRuntime): EntityDefinitions {
  async function call(path: string, init: RequestInit = {}): Promise<unknown> {
    const { proxyUrl, adminToken, fetch: send = fetch } = runtime.config;
    if (!proxyUrl) throw new CrmError("invalid_request", "The CRM proxy URL is not configured");
    if (!adminToken) throw new CrmError("unauthenticated", "A back-office credential is required");
    let response: Response;
    try {
      response = await send(`${proxyUrl.replace(/\/+$/, "")}/v1/admin/entities${path}`, {
        ...init,
        headers: {
          accept: "application/json",
          authorization: `Bearer ${adminToken}`,
          ...(init.body ? { "content-type": "application/json" } : {}),
        },
      });
    } catch {
      throw new CrmError("unavailable", "The CRM service cannot be reached");
    }
    const payload = (await response.json().catch(() => undefined)) as
      | { error?: Partial<CrmErrorBody> }
      | undefined;
    if (response.ok) return payload;
    if (payload?.error) throw asCrmError(payload.error);
    throw new CrmError(
      response.status >= 500 ? "unavailable" : "internal",
      `The CRM service answered ${response.status}`,
    );
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
