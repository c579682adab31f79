/**
 * Seeds the demo: the two entities of seed-data.ts (created, or updated to the
 * current definition) and the demo customers with their starting data.
 *
 * Rerunning is safe and keeps what visitors changed: a customer's entries are
 * written only while that customer has none of that entity yet. The tracker is
 * a `one` entity (deterministic entry id), so even two seeds at once cannot
 * duplicate it; Deals are `many`, so "only when none exist" is what keeps
 * reruns from adding copies.
 */
import { CrmError, type EntityDefinitionInput } from "#domain";
import type { CrmAdapter } from "../../proxy/src/adapter/types.ts";
import {
  type DemoCheckIn,
  type DemoCustomer,
  deals,
  demoCustomers,
  demoEntities,
  weightTracker,
} from "./seed-data.ts";

export interface SeededCustomer {
  subject: string;
  name: string;
  /** The customer id the proxy resolves for this subject's session tokens. */
  id: string;
  /** What this run wrote: false/0 when the customer's data already existed. */
  seededTracker: boolean;
  seededDeals: number;
}

/** Creates the entity, or replaces its definition when it already exists. */
async function upsertEntity(adapter: CrmAdapter, definition: EntityDefinitionInput): Promise<void> {
  try {
    await adapter.entities.create(definition);
  } catch (error) {
    if (!(error instanceof CrmError) || error.code !== "conflict") throw error;
    await adapter.entities.update(definition.slug, definition);
  }
}

const DAY_MS = 86_400_000;

/**
 * When check-in `week` of `count` happened: weekly at 08:00 UTC, the last one
 * two days before today (UTC). Whole days, so two seeds on one day write the
 * very same history records (their ids derive from the change and its time).
 */
function checkInTime(week: number, count: number, today = new Date()): Date {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return new Date(midnight - (2 + (count - 1 - week) * 7) * DAY_MS + 8 * 3_600_000);
}

/**
 * Replays the check-ins through the adapter with its clock at each one's
 * time, so the entry and its history come from the ordinary write path: the
 * current values are the last check-in's, every change and move is recorded.
 */
async function replayCheckIns(
  adapterAt: (at: Date) => CrmAdapter,
  checkIns: DemoCheckIn[],
  id: string,
): Promise<void> {
  const slug = weightTracker.slug;
  for (const [week, { stage, ...values }] of checkIns.entries()) {
    const at = checkInTime(week, checkIns.length);
    const adapter = adapterAt(at);
    if (stage) await adapter.setCrmStage({ slug, pipeline: "progress", stage, referenceId: id });
    const fields = { ...values, last_checkin: at.toISOString().slice(0, 10) };
    await Promise.all(
      Object.entries(fields).map(([fieldKey, value]) =>
        adapter.setCrmField({ slug, fieldKey, value, referenceId: id }),
      ),
    );
  }
}

/** Seeds what is missing: the values without history, and the check-in history. */
async function seedTracker(
  adapter: CrmAdapter,
  adapterAt: (at: Date) => CrmAdapter,
  customer: DemoCustomer,
  id: string,
) {
  const slug = weightTracker.slug;
  const [existing, history] = await Promise.all([
    adapter.getCrmEntries({ slug, referenceId: id }),
    adapter.getCrmFieldHistory({ slug, fieldKey: "current_weight", referenceId: id, limit: 1 }),
  ]);
  if (existing.length > 0 && history.points.length > 0) return false;
  if (existing.length === 0) {
    await Promise.all(
      Object.entries(customer.tracker).map(([fieldKey, value]) =>
        adapter.setCrmField({ slug, fieldKey, value, referenceId: id }),
      ),
    );
  }
  // An entry from before history existed gets its history (and the seeded values) too.
  if (history.points.length === 0) await replayCheckIns(adapterAt, customer.checkIns, id);
  return true;
}

async function seedDeals(adapter: CrmAdapter, customer: DemoCustomer, id: string) {
  const existing = await adapter.getCrmEntries({ slug: deals.slug, referenceId: id });
  if (existing.length > 0) return 0;
  // One after the other, so the back office lists them in the seed's order.
  for (const deal of customer.deals) {
    const entry = await adapter.createCrmEntry({
      slug: deals.slug,
      values: deal.values,
      referenceId: id,
    });
    await adapter.setCrmStage({
      slug: deals.slug,
      pipeline: "sales",
      stage: deal.stage,
      entryId: entry.id,
      referenceId: id,
    });
  }
  return customer.deals.length;
}

/**
 * `adapterAt(at)` is the same adapter with its clock at `at`: the seeded
 * history happened over the weeks before today.
 */
export async function seedDemo(
  adapter: CrmAdapter,
  adapterAt: (at: Date) => CrmAdapter,
  issuer: string,
): Promise<SeededCustomer[]> {
  for (const definition of demoEntities) await upsertEntity(adapter, definition);
  return Promise.all(
    demoCustomers.map(async (customer) => {
      const { id } = await adapter.resolveCustomer({ issuer, subject: customer.subject });
      const [seededTracker, seededDeals] = await Promise.all([
        seedTracker(adapter, adapterAt, customer, id),
        seedDeals(adapter, customer, id),
      ]);
      return { subject: customer.subject, name: customer.name, id, seededTracker, seededDeals };
    }),
  );
}
