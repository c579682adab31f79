import type { CrmEntry, CrmOperations, EntityDefinition, EntityDefinitionInput } from "#domain";

/**
 * The CRM operations (one function per row of the domain's operation table).
 * The same names, arguments and defaults exist in the HTTP API and in the
 * widget runtime. Failures are `CrmError`s with stable codes.
 */
export type { CreateCrmEntryArgs, CrmOperations } from "#domain";

/** A customer document: one per verified identity (token issuer + subject). */
export interface Customer {
  id: string;
  issuer: string;
  subject: string;
  createdAt: string;
}

export interface CrmAdapter extends CrmOperations {
  /**
   * The operations as one customer may use them: the reference defaults to
   * `customer` + this id and may name no other; fields and pipelines enforce
   * their customer access rules.
   */
  forCustomer(customerId: string): CrmOperations;
  /** Finds or creates (race-free) the customer for a verified identity. */
  resolveCustomer(identity: { issuer: string; subject: string }): Promise<Customer>;
  /** The customer with this id, or null if none was ever resolved (back office views). */
  getCustomer(customerId: string): Promise<Customer | null>;
  /** Every entry of one reference across all entities: the back office CRM tab. */
  getReferenceEntries(reference: { type: string; id: string }): Promise<CrmEntry[]>;
  entities: {
    list(): Promise<EntityDefinition[]>;
    get(slug: string): Promise<EntityDefinition>;
    create(definition: EntityDefinitionInput): Promise<EntityDefinition>;
    update(slug: string, definition: EntityDefinitionInput): Promise<EntityDefinition>;
  };
}
