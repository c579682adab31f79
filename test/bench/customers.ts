/** The bench's customers (signed sessions, ids, routing) and a JSON call through the proxy. */
import { customerIdFor, referenceEntryId } from "../../proxy/src/adapter/ids.ts";
import { ISSUER, sessionToken } from "./fixtures.ts";

export interface BenchCustomer {
  subject: string;
  token: string;
  customerId: string;
  entryId: string;
  routing: string;
}

export async function benchCustomer(subject: string): Promise<BenchCustomer> {
  const customerId = customerIdFor(ISSUER, subject);
  const reference = { type: "customer", id: customerId };
  return {
    subject,
    token: await sessionToken(subject),
    customerId,
    entryId: referenceEntryId("tracker", reference),
    routing: `customer:${customerId}`,
  };
}

export async function call(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await response.json();
  if (!response.ok)
    throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}
