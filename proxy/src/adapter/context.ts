import type { Client } from "@elastic/elasticsearch";
import type { CrmIndices } from "../elasticsearch/indices.ts";

/** When a write becomes visible to searches; `wait_for` gives read-your-writes. */
export type RefreshPolicy = "wait_for" | true | false;

/** What every part of the adapter shares. */
export interface AdapterContext {
  client: Client;
  indices: CrmIndices;
  refresh: RefreshPolicy;
  now: () => Date;
}
