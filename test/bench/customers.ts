/** The bench's customers (signed sessions, ids, routing) and a JSON call through the proxy. */
import { customerIdFor, referenceEntryId } from "../../proxy/src/adapter/ids.ts";
import { callAt } from "../support/http.ts";
import { ISSUER, sessionToken } from "./fixtures.ts";
import type { ProxyProcess } from "./proxy-process.ts";
import { CUSTOMERS, log } from "./settings.ts";
import { randomWeight } from "./throughput.ts";

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

/** `callAt` that throws on an error status: the bench's set-up must succeed. */
export async function call(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<unknown> {
  const answer = await callAt(base, method, path, token, body);
  if (answer.status >= 300)
    throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** BENCH_CUSTOMERS customers with a tracker entry each, written through the proxy ten at a time. */
export async function seedCustomers(proxy: ProxyProcess): Promise<BenchCustomer[]> {
  const customers: BenchCustomer[] = [];
  for (let i = 0; i < CUSTOMERS; i++) customers.push(await benchCustomer(`bench-${i}`));
  for (let i = 0; i < customers.length; i += 10) {
    await Promise.all(
      customers.slice(i, i + 10).map((c) =>
        call(proxy.url, "PUT", "/v1/entries/tracker/fields/current_weight", c.token, {
          value: randomWeight(),
        }),
      ),
    );
  }
  log(`${customers.length} customers with a tracker entry`);
  return customers;
}
