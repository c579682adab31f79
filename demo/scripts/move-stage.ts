/**
 * Moves a demo customer's entry to another stage of a pipeline from a backend
 * script, through the CRM adapter. Backend scripts may move stages customers
 * themselves cannot (the Weight Tracker's progress is the coach's call).
 *
 *   npx node demo/scripts/move-stage.ts alice@example.com goal_reached
 *   npx node demo/scripts/move-stage.ts bob@example.com in_progress --pipeline progress
 */
import { parseArgs } from "node:util";
import { CrmError } from "#domain";
import { exitWith, withCrm } from "./backend.ts";

const usage =
  "Usage: move-stage.ts <customer subject, e.g. alice@example.com> <stage key> [--pipeline progress] [--slug weight-tracker]";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    slug: { type: "string", default: "weight-tracker" },
    pipeline: { type: "string", default: "progress" },
  },
});
const [subject, stage] = positionals;
if (!subject || !stage) exitWith(usage);

try {
  const moved = await withCrm(async ({ adapter, customerId }) =>
    adapter.setCrmStage({
      slug: values.slug,
      pipeline: values.pipeline,
      stage,
      referenceId: await customerId(subject),
    }),
  );
  console.log(`${subject}: ${moved.slug} ${moved.pipeline} → ${moved.position?.stage}`);
} catch (error) {
  exitWith(error instanceof CrmError ? `${error.code}: ${error.message}` : String(error));
}
