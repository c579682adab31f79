/**
 * Sets one CRM field for a customer from a backend script, through the same
 * adapter the proxy uses (validation included):
 *
 *   ELASTICSEARCH_URL=http://127.0.0.1:9250 \
 *     node proxy/examples/set-field.ts weight-tracker current_weight 81.5 --customer c_abc123
 */
import { parseArgs } from "node:util";
import { CrmError, type FieldType, type FieldValue, findField } from "#domain";
import { createCrmServices } from "../src/services.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { customer: { type: "string" } },
});
const [slug, fieldKey, text] = positionals;
const url = process.env.ELASTICSEARCH_URL;
if (!slug || !fieldKey || text === undefined || !values.customer || !url) {
  console.error(
    "usage: ELASTICSEARCH_URL=<url> set-field.ts <entity-slug> <field-key> <value> --customer <customer-id>",
  );
  process.exit(2);
}

const { adapter: crm, close } = createCrmServices({
  elasticsearch: { url, apiKey: process.env.ELASTICSEARCH_API_KEY },
  indexPrefix: process.env.CRM_INDEX_PREFIX ?? "",
});

try {
  const field = findField(await crm.getCrmEntity({ slug }), fieldKey);
  const result = await crm.setCrmField({
    slug,
    fieldKey,
    value: fromText(text, field?.type),
    referenceId: values.customer,
  });
  console.log(JSON.stringify(result, null, 2));
} catch (error) {
  console.error(error instanceof CrmError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await close();
}

/** The command line gives text; the field's type says what the value is (the adapter still checks it). */
function fromText(input: string, type: FieldType | undefined): FieldValue {
  if (input === "null") return null;
  if (type === "number" && input.trim() !== "" && Number.isFinite(Number(input)))
    return Number(input);
  if (type === "boolean" && (input === "true" || input === "false")) return input === "true";
  return input;
}
