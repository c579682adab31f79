import type { CrmEntry, CrmOperations, EntityDefinition, EntityDefinitionInput } from "#domain";
import type { CustomerPage, ErasedCustomer, ExportedHistoryRecord } from "./back-office.ts";

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

/** What `exportCustomer` answers: everything the CRM holds about one customer. */
export interface CustomerExport {
  exportedAt: string;
  customer: Customer | null;
  /** The definitions of the entities the customer has entries of. */
  entities: EntityDefinition[];
  /** Every entry, with who wrote it last. */
  entries: CrmEntry[];
  history: ExportedHistoryRecord[];
}

export type {
  CustomerPage,
  ErasedCustomer,
  ExportedHistoryRecord,
  FoundCustomer,
} from "./back-office.ts";

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
  /** The operations as one staff member uses them: any reference, every field, as `staff:<subject>`. */
  forStaff(subject: string): CrmOperations;
  /** Customers by subject or id prefix, newest first, with their entry counts per entity. */
  findCustomers(options: {
    query?: string | undefined;
    size?: number | undefined;
    after?: string | undefined;
  }): Promise<CustomerPage>;
  /** One customer's CRM data as one document: the record, every entry, every history record. */
  exportCustomer(customerId: string): Promise<CustomerExport>;
  /** Removes every entry, history record and the customer record; idempotent. */
  eraseCustomer(customerId: string): Promise<ErasedCustomer>;
  entities: {
    list(): Promise<EntityDefinition[]>;
    get(slug: string): Promise<EntityDefinition>;
    create(definition: EntityDefinitionInput): Promise<EntityDefinition>;
    /**
     * Replaces a definition; refused (`conflict`, naming how many stored entries
     * break) when it would make stored values invalid, unless `acceptBreaking`.
     */
    update(
      slug: string,
      definition: EntityDefinitionInput,
      options?: { acceptBreaking?: boolean },
    ): Promise<EntityDefinition>;
    /** Removes a definition; refused while it has entries unless `deleteEntries`. */
    delete(
      slug: string,
      options?: { deleteEntries?: boolean },
    ): Promise<{ slug: string; deletedEntries: number }>;
  };
}
