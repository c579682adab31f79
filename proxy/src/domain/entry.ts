import type { FieldValue } from "./value.ts";

/** The external record an entry belongs to, e.g. `{ type: "customer", id: "c_8f3…" }`. */
export interface Reference {
  type: string;
  id: string;
}

/** Where an entry stands in one pipeline, and since when. */
export interface StagePosition {
  stage: string;
  /** ISO 8601 timestamp of the move into this stage. */
  enteredAt: string;
}

/** One CRM entry as every layer returns it. */
export interface CrmEntry {
  id: string;
  slug: string;
  reference: Reference;
  values: Record<string, FieldValue>;
  /** Current stage per pipeline key; a pipeline the entry never entered is absent. */
  stages: Record<string, StagePosition>;
  createdAt: string;
  updatedAt: string;
}

/** What `getCrmField` answers: the value, and the entry it came from (absent if none exists yet). */
export interface CrmFieldValue {
  slug: string;
  fieldKey: string;
  value: FieldValue;
  entryId: string | null;
  updatedAt: string | null;
}

/** What `getCrmStage` answers for one pipeline. */
export interface CrmStageValue {
  slug: string;
  pipeline: string;
  position: StagePosition | null;
  entryId: string | null;
}
