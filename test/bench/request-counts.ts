/**
 * (b) Elasticsearch requests per operation, counted by a forwarder between a fresh proxy
 * process and Elasticsearch; the page of ten components is the real widget runtime.
 */
import { randomBytes } from "node:crypto";
import { CrmRuntime } from "../../widget/src/runtime/runtime.ts";
import { startCountingForwarder } from "./counting-forwarder.ts";
import { benchCustomer, call } from "./customers.ts";
import { PAGE_FIELDS, proxyEnv } from "./fixtures.ts";
import { type ProxyProcess, startProxyProcess } from "./proxy-process.ts";
import { randomWeight } from "./throughput.ts";

export interface RequestCounts {
  /** The query strings the proxy sent with its hot read and its write, reused for the direct runs. */
  observed: { readQuery: string; writeQuery: string };
  coldFirstVisit: string[];
  firstVisit: string[];
  hotRead: string[];
  write: string[];
  page: { components: number; calls: number; proxyRequests: number; es: string[] };
  firstVisitPage: { components: number; calls: number; proxyRequests: number; es: string[] };
}

/** `PUT /bench-x-crm_customers/_create/c_abc?x=1` → `PUT crm_customers/_create/{id}`. */
function shortPath(line: string, prefix: string): string {
  const [method, url = ""] = line.split(" ");
  const path = url.split("?")[0] ?? "";
  const segments = path.split("/").filter(Boolean);
  const named = segments.map((segment, i) => {
    const previous = segments[i - 1];
    if (previous && ["_doc", "_create", "_update", "_source"].includes(previous)) return "{id}";
    return segment.startsWith(prefix) ? segment.slice(prefix.length) : segment;
  });
  return `${method} ${named.join("/")}`;
}

export async function countRequests(
  elasticsearchUrl: string,
  prefix: string,
): Promise<RequestCounts> {
  const es = await startCountingForwarder(elasticsearchUrl);
  let proxy: ProxyProcess | undefined;
  try {
    proxy = await startProxyProcess(proxyEnv(es.url, prefix));
    const front = await startCountingForwarder(proxy.url);
    try {
      const field = "/v1/entries/tracker/fields/current_weight";
      const short = (lines: string[]) => lines.map((line) => shortPath(line, prefix));
      const first = await benchCustomer(`count-cold-${randomBytes(4).toString("hex")}`);
      const coldFirstVisit = await es.during(() => call(front.url, "GET", field, first.token));
      const visitor = await benchCustomer(`count-${randomBytes(4).toString("hex")}`);
      const firstVisit = await es.during(() => call(front.url, "GET", field, visitor.token));
      const hotRead = await es.during(() => call(front.url, "GET", field, visitor.token));
      const write = await es.during(() =>
        call(front.url, "PUT", field, visitor.token, { value: randomWeight() }),
      );

      // What ten `crm-field` components ask the page runtime for (see crm-field.ts):
      // the entity definition and their field, all in the same task.
      const page = async (token: string) => {
        const runtime = new CrmRuntime({ proxyUrl: front.url, token });
        let proxyRequests = 0;
        const esRequests = await es.during(async () => {
          const sent = await front.during(() =>
            Promise.all(
              PAGE_FIELDS.flatMap((fieldKey) => [
                runtime.getCrmEntity({ slug: "tracker" }),
                runtime.getCrmField({ slug: "tracker", fieldKey }),
              ]),
            ),
          );
          proxyRequests = sent.length;
        });
        return {
          components: PAGE_FIELDS.length,
          calls: PAGE_FIELDS.length + 1,
          proxyRequests,
          es: short(esRequests),
        };
      };
      const returning = await page(visitor.token);
      const newcomer = await benchCustomer(`count-page-${randomBytes(4).toString("hex")}`);
      const firstVisitPage = await page(newcomer.token);
      const queryOf = (lines: string[], method: string) =>
        lines.find((line) => line.startsWith(`${method} `))?.split("?")[1] ?? "";
      return {
        observed: { readQuery: queryOf(hotRead, "GET"), writeQuery: queryOf(write, "POST") },
        coldFirstVisit: short(coldFirstVisit),
        firstVisit: short(firstVisit),
        hotRead: short(hotRead),
        write: short(write),
        page: returning,
        firstVisitPage,
      };
    } finally {
      await front.close();
    }
  } finally {
    await proxy?.stop();
    await es.close();
  }
}
