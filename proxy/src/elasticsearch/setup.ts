import type { Client, estypes } from "@elastic/elasticsearch";
import { CrmError } from "#domain";
import { fromElasticsearchError, responseErrorType } from "./errors.ts";
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

/**
 * Creates the CRM's indices if they are missing, with their mappings. Index
 * templates come first, so even an index some stray write auto-creates gets the
 * right mapping. Safe to call from several processes at once: an index another
 * process created in the meantime counts as success.
 */
export async function ensureCrmIndices(client: Client, indices: CrmIndices): Promise<void> {
  const layout: [string, estypes.MappingTypeMapping, estypes.IndicesIndexSettings?][] = [
    [indices.entries, entriesMappings],
    [indices.entities, entitiesMappings],
    [indices.customers, customersMappings],
    [indices.history, historyMappings, historyIndexSettings],
  ];
  try {
    await Promise.all(
      layout.map(async ([index, mappings, settings = crmIndexSettings]) => {
        await client.indices.putIndexTemplate({
          name: index,
          index_patterns: [index],
          priority: TEMPLATE_PRIORITY,
          template: { settings, mappings },
          _meta: { description: "crm-widgets" },
        });
        await createIfMissing(client, index, mappings);
      }),
    );
  } catch (error) {
    const crmError = fromElasticsearchError(error);
    throw crmError.code === "internal"
      ? new CrmError("internal", "Could not set up the CRM indices")
      : crmError;
  }
}

async function createIfMissing(
  client: Client,
  index: string,
  mappings: estypes.MappingTypeMapping,
): Promise<void> {
  try {
    await client.indices.create({ index, wait_for_active_shards: 1 });
  } catch (error) {
    if (responseErrorType(error) !== "resource_already_exists_exception") throw error;
    // An index made by an older version gets the fields added since (adding is always allowed).
    if (mappings.properties)
      await client.indices.putMapping({ index, properties: mappings.properties });
  }
}

/** Removes the indices and their templates; for tests and resets, never called by the proxy. */
export async function deleteCrmIndices(client: Client, indices: CrmIndices): Promise<void> {
  const names = [indices.entries, indices.entities, indices.customers, indices.history];
  await client.indices.delete({ index: names, ignore_unavailable: true });
  await Promise.all(
    names.map((name) => client.indices.deleteIndexTemplate({ name }, { ignore: [404] })),
  );
}
