/**
 * Shared set-up of the adapter tests: a real Elasticsearch client built the way
 * the proxy builds it, fresh indices under a unique prefix, an adapter over
 * them, and a counter of the HTTP requests the client really sent.
 */
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll } from "vitest";
import type { EntityDefinitionInput } from "#domain";
import { type CrmAdapterOptions, createCrmAdapter } from "../../../proxy/src/adapter/index.ts";
import type { CrmAdapter } from "../../../proxy/src/adapter/types.ts";
import { createElasticsearchClient } from "../../../proxy/src/elasticsearch/client.ts";
import { type CrmIndices, crmIndices } from "../../../proxy/src/elasticsearch/indices.ts";
import { ensureCrmIndices } from "../../../proxy/src/elasticsearch/setup.ts";
import { elasticsearchUrl, uniquePrefix } from "../../support/elasticsearch.ts";

export interface AdapterFixture {
  client: Client;
  indices: CrmIndices;
  adapter: CrmAdapter;
  /** A second adapter over the same indices: another proxy process with its own caches. */
  newAdapter(options?: Partial<CrmAdapterOptions>): CrmAdapter;
  /** Counts the Elasticsearch requests `run` sends. */
  requestsDuring(run: () => Promise<unknown>): Promise<number>;
}

/** Registers hooks creating the indices once per file; use the fixture's fields inside tests only. */
export function useAdapterFixture(name: string): AdapterFixture {
  const prefix = uniquePrefix(name);
  const fixture = {} as AdapterFixture;
  let sent = 0;
  beforeAll(async () => {
    const client = createElasticsearchClient({ url: elasticsearchUrl(), requestTimeoutMs: 30_000 });
    client.diagnostic.on("response", () => {
      sent += 1;
    });
    const indices = crmIndices({ prefix });
    await ensureCrmIndices(client, indices);
    fixture.client = client;
    fixture.indices = indices;
    fixture.newAdapter = (options = {}) => createCrmAdapter({ client, indices, ...options });
    fixture.adapter = fixture.newAdapter();
    fixture.requestsDuring = async (run) => {
      const before = sent;
      await run();
      return sent - before;
    };
  });
  afterAll(async () => {
    await fixture.client?.close();
  });
  return fixture;
}

/** BRIEF.md's example: one tracker entry per customer, with a pipeline customers may not move. */
export const weightTracker = {
  slug: "weight-tracker",
  name: "Weight Tracker",
  fields: [
    {
      key: "current_weight",
      label: "Current weight",
      type: "number",
      min: 20,
      max: 400,
      decimals: 1,
      unit: "kg",
      customerAccess: "write",
    },
    { key: "goal_weight", label: "Goal weight", type: "number", customerAccess: "read" },
    { key: "last_checkin", label: "Last check-in", type: "date", customerAccess: "write" },
    { key: "coach_notes", label: "Coach notes", type: "text", customerAccess: "none" },
    { key: "nickname", label: "Nickname", type: "text", maxLength: 20, customerAccess: "write" },
    { key: "newsletter", label: "Newsletter", type: "boolean", customerAccess: "write" },
    {
      key: "mood",
      label: "Mood",
      type: "select",
      customerAccess: "write",
      options: [
        { value: "great", label: "Great", color: "#22c55e" },
        { value: "okay", label: "Okay" },
      ],
    },
  ],
  pipelines: [
    {
      key: "progress",
      label: "Progress",
      customerCanMove: false,
      stages: [
        { key: "starting", label: "Starting" },
        { key: "in_progress", label: "In Progress" },
        { key: "goal_reached", label: "Goal Reached", status: "won" },
      ],
    },
    {
      key: "onboarding",
      label: "Onboarding",
      customerCanMove: true,
      stages: [
        { key: "welcome", label: "Welcome" },
        { key: "done", label: "Done", status: "won" },
      ],
    },
  ],
} satisfies EntityDefinitionInput;

/** Several entries per reference, addressed by entry id. */
export const deals = {
  slug: "deals",
  name: "Deals",
  entriesPerReference: "many",
  fields: [
    { key: "title", label: "Title", type: "text", required: true, customerAccess: "write" },
    { key: "amount", label: "Amount", type: "number", customerAccess: "read" },
    { key: "internal_score", label: "Score", type: "number", customerAccess: "none" },
  ],
  pipelines: [
    {
      key: "sales",
      label: "Sales",
      stages: [
        { key: "lead", label: "Lead" },
        { key: "won", label: "Won", status: "won", color: "#22c55e" },
        { key: "lost", label: "Lost", status: "lost", color: "#ef4444" },
      ],
    },
  ],
} satisfies EntityDefinitionInput;

/** A customer id such as the adapter issues, for a fresh identity. */
export async function newCustomer(adapter: CrmAdapter, subject: string): Promise<string> {
  const customer = await adapter.resolveCustomer({ issuer: "https://shop.example", subject });
  return customer.id;
}
