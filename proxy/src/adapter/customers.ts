import type { Client } from "@elastic/elasticsearch";
import { CrmError } from "#domain";
import {
  elasticsearchCall,
  fromElasticsearchError,
  responseStatus,
} from "../elasticsearch/errors.ts";
import type { CustomerDocument } from "../elasticsearch/schema.ts";
import type { TtlCache } from "./cache.ts";
import type { AdapterContext } from "./context.ts";
import { customerIdFor } from "./ids.ts";
import type { Customer } from "./types.ts";

const MAX_IDENTITY_LENGTH = 1_024;

/**
 * Customers, one document per verified identity. Resolution is a create-only
 * write of the deterministic id: the first request creates it, concurrent ones
 * get a conflict and read the winner's document. Customer documents never
 * change, so a resolved one is cached.
 */
export class CustomerStore {
  private readonly client: Client;
  private readonly index: string;
  private readonly context: AdapterContext;
  private readonly cache: TtlCache<string, Customer>;

  constructor(context: AdapterContext, cache: TtlCache<string, Customer>) {
    this.client = context.client;
    this.index = context.indices.customers;
    this.context = context;
    this.cache = cache;
  }

  async resolve(identity: { issuer: string; subject: string }): Promise<Customer> {
    const { issuer, subject } = validIdentity(identity);
    const id = customerIdFor(issuer, subject);
    const cached = this.cache.get(id);
    if (cached) return cached;
    const document: CustomerDocument = {
      customer_id: id,
      issuer,
      subject,
      created_at: this.context.now().toISOString(),
    };
    try {
      // The customer's own entries are read by id, never searched: no refresh needed.
      await this.client.create<CustomerDocument>({ index: this.index, id, document });
      return this.remember(id, document);
    } catch (error) {
      if (responseStatus(error) !== 409) throw fromElasticsearchError(error);
    }
    const existing = await this.get(id);
    if (!existing) throw new CrmError("internal", "Something went wrong");
    return existing;
  }

  /** The customer with this id, or null; a realtime read, so a just-created customer is found. */
  async get(id: string): Promise<Customer | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const result = await elasticsearchCall(() =>
      this.client.get<CustomerDocument>({ index: this.index, id }, { ignore: [404] }),
    );
    return result.found && result._source ? this.remember(id, result._source) : null;
  }

  /** Forgets a cached customer (after an erase), so the next visit creates it anew. */
  forget(id: string): void {
    this.cache.delete(id);
  }

  private remember(id: string, document: CustomerDocument): Customer {
    const customer: Customer = {
      id,
      issuer: document.issuer,
      subject: document.subject,
      createdAt: document.created_at,
    };
    this.cache.set(id, customer);
    return customer;
  }
}

function validIdentity(identity: unknown): { issuer: string; subject: string } {
  if (
    typeof identity === "object" &&
    identity !== null &&
    "issuer" in identity &&
    "subject" in identity
  ) {
    const { issuer, subject } = identity;
    if (
      typeof issuer === "string" &&
      typeof subject === "string" &&
      issuer.length > 0 &&
      subject.length > 0 &&
      issuer.length <= MAX_IDENTITY_LENGTH &&
      subject.length <= MAX_IDENTITY_LENGTH
    ) {
      return { issuer, subject };
    }
  }
  throw new CrmError("invalid_request", "A customer identity needs an issuer and a subject");
}
