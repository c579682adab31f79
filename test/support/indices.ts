/** Removing what a test run or a bench run created: every index and template under a prefix. */
import type { Client } from "@elastic/elasticsearch";

/** Deletes the indices and index templates named `<prefix>*` (by name: wildcard deletes are refused by default). */
export async function deleteIndicesWithPrefix(es: Client, prefix: string): Promise<void> {
  const indices = await es.cat.indices({
    index: `${prefix}*`,
    expand_wildcards: "all",
    format: "json",
    h: "index",
  });
  const names = indices.flatMap((row) => (row.index ? [row.index] : []));
  if (names.length > 0) await es.indices.delete({ index: names, ignore_unavailable: true });
  const templates = await es.indices.getIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
  for (const template of templates.index_templates ?? []) {
    await es.indices.deleteIndexTemplate({ name: template.name });
  }
}
