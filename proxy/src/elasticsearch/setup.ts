import type { Client, estypes } from "@elastic/elasticsearch";
import { CrmError } from "#domain";
import { fromElasticsearchError, responseErrorType, responseStatus } from "./errors.ts";
import type { CrmIndices } from "./indices.ts";
import {
  crmIndexSettings,
  customersMappings,
  entitiesMappings,
  entriesMappings,
  historyIndexSettings,
  historyMappings,
} from "./schema.ts";

/** Above the priorities of Elasticsearch's built-in templates. */
const TEMPLATE_PRIORITY = 500;

/** One index of the CRM, the mapping it must have and its settings. */
export interface CrmIndexLayout {
  index: string;
  mappings: estypes.MappingTypeMapping;
  settings: estypes.IndicesIndexSettings;
}

/**
 * Every index the CRM keeps, with its mapping: what setup creates and
 * migrates, what the proxy's credential must reach, what tests delete. A new
 * index is one more entry here.
 */
export function crmIndexLayout(indices: CrmIndices): CrmIndexLayout[] {
  return [
    { index: indices.entries, mappings: entriesMappings, settings: crmIndexSettings },
    { index: indices.entities, mappings: entitiesMappings, settings: crmIndexSettings },
    { index: indices.customers, mappings: customersMappings, settings: crmIndexSettings },
    { index: indices.history, mappings: historyMappings, settings: historyIndexSettings },
  ];
}

/** What setup did to one index. */
export type IndexSetupOutcome = "created" | "migrated";

/**
 * Index setup, run with an elevated credential (`npm run setup`, the demo,
 * tests), never by the serving proxy: installs each index's template (so even
 * an index a stray write auto-creates gets the right mapping), creates the
 * index if it is missing, and otherwise migrates it by putting the current
 * mapping: fields added to the mapping since the index was created are added
 * to it (Elasticsearch refuses changes to an existing field's type, and such
 * a refusal fails setup). Safe to run again and from several processes at
 * once: an index another process created meanwhile is migrated instead.
 *
 * Needs the cluster privilege `manage_index_templates` and `manage` on the
 * CRM indices.
 */
export async function ensureCrmIndices(
  client: Client,
  indices: CrmIndices,
): Promise<Record<string, IndexSetupOutcome>> {
  try {
    const outcomes = await Promise.all(
      crmIndexLayout(indices).map(async ({ index, mappings, settings }) => {
        await client.indices.putIndexTemplate({
          name: index,
          index_patterns: [index],
          priority: TEMPLATE_PRIORITY,
          template: { settings, mappings },
          _meta: { description: "crm-widgets" },
        });
        const outcome = await createOrMigrate(client, index, mappings);
        return [index, outcome] as const;
      }),
    );
    return Object.fromEntries(outcomes);
  } catch (error) {
    if (responseStatus(error) === 403) {
      throw new CrmError(
        "forbidden",
        "This credential may not set up the CRM indices: setup needs the cluster privilege " +
          "manage_index_templates and the index privilege manage on the CRM indices",
      );
    }
    const crmError = fromElasticsearchError(error);
    throw crmError.code === "internal"
      ? new CrmError("internal", "Could not set up the CRM indices")
      : crmError;
  }
}

async function createOrMigrate(
  client: Client,
  index: string,
  mappings: estypes.MappingTypeMapping,
): Promise<IndexSetupOutcome> {
  try {
    await client.indices.create({ index, wait_for_active_shards: 1 });
    return "created";
  } catch (error) {
    if (responseErrorType(error) !== "resource_already_exists_exception") throw error;
  }
  // `_routing` cannot be put on an existing index; it is fixed when the index is created.
  await client.indices.putMapping({
    index,
    ...(mappings.dynamic === undefined ? {} : { dynamic: mappings.dynamic }),
    ...(mappings.properties === undefined ? {} : { properties: mappings.properties }),
  });
  return "migrated";
}

/**
 * What the serving proxy checks instead of setting anything up: that every
 * CRM index exists, with one `_search` of size 0 (the `read` privilege it has
 * anyway). A missing index says setup has not run.
 */
export async function checkCrmIndices(client: Client, indices: CrmIndices): Promise<void> {
  try {
    await client.search({
      index: crmIndexLayout(indices).map(({ index }) => index),
      size: 0,
      track_total_hits: false,
    });
  } catch (error) {
    if (responseErrorType(error) === "index_not_found_exception") {
      throw new CrmError(
        "unavailable",
        "The CRM indices are not set up: run `npm run setup` with an elevated credential",
      );
    }
    if (responseStatus(error) === 403) {
      throw new CrmError(
        "unavailable",
        "The proxy's Elasticsearch credential may not read the CRM indices (see `npm run setup`)",
      );
    }
    throw fromElasticsearchError(error);
  }
}

/**
 * The role the serving proxy's credential needs, and no more: no cluster
 * privilege; `read` (get, mget, search), `index` (create, index, partial
 * update) and `delete` (documents only: the back office deletes an entry, an
 * entity and erases a customer) on the CRM indices. It never creates or
 * deletes an index or changes a mapping. The same descriptor goes into an API
 * key's `role_descriptors` or a role of a user.
 */
export function proxyRole(indices: CrmIndices): estypes.SecurityRoleDescriptor {
  return {
    cluster: [],
    indices: [
      {
        names: crmIndexLayout(indices).map(({ index }) => index),
        privileges: ["read", "index", "delete"],
        allow_restricted_indices: false,
      },
    ],
  };
}

/** Removes the indices and their templates; for tests and resets, never called by the proxy. */
export async function deleteCrmIndices(client: Client, indices: CrmIndices): Promise<void> {
  const names = crmIndexLayout(indices).map(({ index }) => index);
  await client.indices.delete({ index: names, ignore_unavailable: true });
  await Promise.all(
    names.map((name) => client.indices.deleteIndexTemplate({ name }, { ignore: [404] })),
  );
}
