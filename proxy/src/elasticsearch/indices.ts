/** The names of the indices the CRM keeps its data in. */
export interface CrmIndices {
  entries: string;
  entities: string;
  customers: string;
  /** Immutable records of field changes and stage moves. */
  history: string;
}

export const DEFAULT_INDICES: CrmIndices = {
  entries: "crm_entries",
  entities: "crm_entities",
  customers: "crm_customers",
  history: "crm_history",
};

/**
 * Index names from configuration: explicit names win; a `prefix` (tests use a
 * unique one per file) goes in front of every name.
 */
export function crmIndices(options: Partial<CrmIndices> & { prefix?: string } = {}): CrmIndices {
  const prefix = options.prefix ?? "";
  return {
    entries: prefix + (options.entries ?? DEFAULT_INDICES.entries),
    entities: prefix + (options.entities ?? DEFAULT_INDICES.entities),
    customers: prefix + (options.customers ?? DEFAULT_INDICES.customers),
    history: prefix + (options.history ?? DEFAULT_INDICES.history),
  };
}
