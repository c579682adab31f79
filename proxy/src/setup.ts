/**
 * `npm run setup`: creates the CRM indices and their templates, or migrates
 * existing indices to the current mapping, with an elevated credential. The
 * serving proxy (Node or Worker) never does this: its credential may only
 * read and write the CRM indices (the role printed at the end).
 *
 * Reads ELASTICSEARCH_URL, ELASTICSEARCH_API_KEY (or ELASTICSEARCH_USERNAME
 * and ELASTICSEARCH_PASSWORD) and CRM_INDEX_PREFIX, like the proxy.
 */
import { createElasticsearchClient } from "./elasticsearch/client.ts";
import { crmIndices } from "./elasticsearch/indices.ts";
import { ensureCrmIndices, proxyRole } from "./elasticsearch/setup.ts";

export async function runSetup(env: NodeJS.ProcessEnv): Promise<void> {
  const url = env.ELASTICSEARCH_URL?.trim();
  if (!url) throw new Error("ELASTICSEARCH_URL is required");
  const apiKey = env.ELASTICSEARCH_API_KEY?.trim();
  const username = env.ELASTICSEARCH_USERNAME?.trim();
  const client = createElasticsearchClient({
    url,
    ...(apiKey ? { apiKey } : {}),
    ...(!apiKey && username ? { username, password: env.ELASTICSEARCH_PASSWORD ?? "" } : {}),
    requestTimeoutMs: 60_000,
  });
  const indices = crmIndices({ prefix: env.CRM_INDEX_PREFIX?.trim() ?? "" });
  try {
    const outcomes = await ensureCrmIndices(client, indices);
    for (const [index, outcome] of Object.entries(outcomes)) console.log(`${index}: ${outcome}`);
  } finally {
    await client.close();
  }
  console.log(
    "\nThe proxy's own credential needs only this role (e.g. as the role_descriptors of an API key):",
  );
  console.log(JSON.stringify({ "crm-proxy": proxyRole(indices) }, null, 2));
}

if (import.meta.main) {
  try {
    await runSetup(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
