/**
 * The back office's calls to the proxy's `/v1/staff` routes, with a staff
 * token: the CRM tab, finding customers, export and erase, every operation
 * for any reference, entity definitions. Back office code only: customer
 * pages never load it, and no customer token is ever sent here.
 */
import type {
  CrmEntry,
  CrmErrorBody,
  EntityDefinition,
  OperationArgs,
  OperationName,
  OperationResult,
} from "#domain/browser";
import { CrmError } from "#domain/browser";
import { asCrmError } from "../runtime/errors.ts";
import type { CrmRuntime } from "../runtime/runtime.ts";
import { answerOf, jsonHeaders } from "../runtime/transport.ts";

/** The back office CRM tab of one customer (`GET /v1/staff/customers/:id/entries`). */
export interface CustomerEntries {
  customer: { id: string; createdAt?: string; [key: string]: unknown } | null;
  entities: EntityDefinition[];
  entries: CrmEntry[];
}

/** One customer found by `findCustomers`, with entry counts per entity slug. */
export interface FoundCustomer {
  id: string;
  issuer: string;
  subject: string;
  createdAt: string;
  entries: Record<string, number>;
}

export interface StaffClient {
  /** A `/v1/staff` route: JSON in and out, the staff token, one renewal after a 401. */
  call(path: string, init?: RequestInit): Promise<unknown>;
  /** Any operation of the table for any reference (`referenceId` required), as this staff member. */
  run<K extends OperationName>(op: K, args: OperationArgs<K>): Promise<OperationResult<K>>;
  getCustomerEntries(customerId: string): Promise<CustomerEntries>;
  findCustomers(options?: {
    query?: string;
    size?: number;
    after?: string;
  }): Promise<{ customers: FoundCustomer[]; next: string | null }>;
  /** One customer's CRM data as one JSON document. */
  exportCustomer(customerId: string): Promise<unknown>;
  /** Admin role: removes every entry, history record and the customer record. */
  eraseCustomer(
    customerId: string,
  ): Promise<{ customerId: string; customer: boolean; entries: number; history: number }>;
}

/**
 * The staff client of a runtime: its proxy URL, `fetch`, and staff token
 * (`staffToken`, or `staffTokenProvider`, asked again once after a 401: the
 * same shape as the customer session's token and provider).
 */
export function staffClient(runtime: CrmRuntime): StaffClient {
  let renewed: string | undefined;

  async function token(refresh: boolean): Promise<string> {
    const { staffToken, staffTokenProvider } = runtime.config;
    if (!refresh && (renewed ?? staffToken)) return (renewed ?? staffToken) as string;
    if (!staffTokenProvider) {
      if (staffToken) return staffToken;
      throw new CrmError("unauthenticated", "A staff sign-in is required");
    }
    try {
      renewed = await staffTokenProvider();
    } catch {
      throw new CrmError("unauthenticated", "The staff token could not be obtained");
    }
    return renewed;
  }

  async function call(path: string, init: RequestInit = {}): Promise<unknown> {
    const { proxyUrl, fetch: send = fetch } = runtime.config;
    if (!proxyUrl) throw new CrmError("invalid_request", "The CRM proxy URL is not configured");
    let bearer = await token(false);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await send(`${proxyUrl.replace(/\/+$/, "")}/v1/staff${path}`, {
          ...init,
          headers: jsonHeaders(init, bearer),
        });
      } catch {
        throw new CrmError("unavailable", "The CRM service cannot be reached");
      }
      if (response.status === 401 && attempt === 0 && runtime.config.staffTokenProvider) {
        bearer = await token(true);
        continue;
      }
      return answerOf(response);
    }
  }

  return {
    call,
    async run(op, args) {
      const { results } = (await call("/batch", {
        method: "POST",
        body: JSON.stringify({ calls: [{ op, args }] }),
      })) as { results: ({ ok: true; data: unknown } | { ok: false; error: CrmErrorBody })[] };
      const result = results[0];
      if (!result) throw new CrmError("internal", "No result");
      if (!result.ok) throw asCrmError(result.error);
      return result.data as OperationResult<typeof op>;
    },
    async getCustomerEntries(customerId) {
      return (await call(
        `/customers/${encodeURIComponent(customerId)}/entries`,
      )) as CustomerEntries;
    },
    async findCustomers(options = {}) {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(options)) {
        if (value !== undefined) query.set(name, String(value));
      }
      return (await call(`/customers?${query}`)) as {
        customers: FoundCustomer[];
        next: string | null;
      };
    },
    exportCustomer: (customerId) => call(`/customers/${encodeURIComponent(customerId)}/export`),
    async eraseCustomer(customerId) {
      return (await call(`/customers/${encodeURIComponent(customerId)}`, {
        method: "DELETE",
      })) as { customerId: string; customer: boolean; entries: number; history: number };
    },
  };
}
