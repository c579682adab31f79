/**
 * Sets one CRM field of a demo customer from a backend script, through the
 * CRM adapter (no proxy, no browser). The customer's pages show it on reload.
 *
 *   npx node demo/scripts/set-field.ts alice@example.com goal_weight 76
 *   npx node demo/scripts/set-field.ts bob@example.com notes "Great week!" --slug weight-tracker
 */
import { parseArgs } from "node:util";
import { CrmError, type FieldDefinition, type FieldValue } from "#domain";
import { exitWith, withCrm } from "./backend.ts";

const usage =
  "Usage: set-field.ts <customer subject, e.g. alice@example.com> <field key> <value> [--slug weight-tracker]";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { slug: { type: "string", default: "weight-tracker" } },
});
const [subject, fieldKey, text] = positionals;
if (!subject || !fieldKey || text === undefined) exitWith(usage);

/** Command-line text to the field's type; the adapter then validates it against the field. */
function parseValue(field: FieldDefinition, raw: string): FieldValue {
  if (raw === "" || raw === "null") return null;
  if (field.type === "number") return Number(raw);
  if (field.type === "boolean") return ["true", "yes", "1"].includes(raw.toLowerCase());
  return raw;
}

try {
  const saved = await withCrm(async ({ adapter, customerId }) => {
    const entity = await adapter.entities.get(values.slug);
    const field = entity.fields.find((candidate) => candidate.key === fieldKey);
    if (!field) exitWith(`${entity.name} has no field "${fieldKey}"`);
    return adapter.setCrmField({
      slug: values.slug,
      fieldKey,
      value: parseValue(field, text),
      referenceId: await customerId(subject),
    });
  });
  console.log(`${subject}: ${saved.slug}.${saved.fieldKey} = ${JSON.stringify(saved.value)}`);
} catch (error) {
  exitWith(error instanceof CrmError ? `${error.code}: ${error.message}` : String(error));
}
