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

async function seedTracker(adapter: CrmAdapter, customer: DemoCustomer, id: string) {
  const existing = await adapter.getCrmEntries({ slug: weightTracker.slug, referenceId: id });
  if (existing.length > 0) return false;
  // Partial updates of one entry merge per key, so the fields can be written at once.
  await Promise.all(
    Object.entries(customer.tracker).map(([fieldKey, value]) =>
      adapter.setCrmField({ slug: weightTracker.slug, fieldKey, value, referenceId: id }),
    ),
  );
  await adapter.setCrmStage({
    slug: weightTracker.slug,
    pipeline: "progress",
    stage: customer.stage,
    referenceId: id,
  });
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

export async function seedDemo(adapter: CrmAdapter, issuer: string): Promise<SeededCustomer[]> {
  for (const definition of demoEntities) await upsertEntity(adapter, definition);
  return Promise.all(
    demoCustomers.map(async (customer) => {
      const { id } = await adapter.resolveCustomer({ issuer, subject: customer.subject });
      const [seededTracker, seededDeals] = await Promise.all([
        seedTracker(adapter, customer, id),
        seedDeals(adapter, customer, id),
      ]);
      return { subject: customer.subject, name: customer.name, id, seededTracker, seededDeals };
    }),
  );
}
