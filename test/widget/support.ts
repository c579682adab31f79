/**
 * Browser-side helpers of the widget tests: a real session on the real proxy,
 * a runtime of its own per test, seeding through the backend adapter, request
 * counting, screenshots and axe.
 */
import { expect, fixture, waitUntil } from "@open-wc/testing";
import { executeServerCommand, sendKeys } from "@web/test-runner-commands";
import { html, render, type TemplateResult } from "lit";
import type { EntityDefinitionInput } from "../../proxy/src/domain/entity.ts";
import { provideRuntime } from "../../widget/src/components/context.ts";
import { CrmRuntime } from "../../widget/src/runtime/runtime.ts";
import type { SeedCall } from "./web-test-runner.config.ts";

export interface TestSession {
  proxyUrl: string;
  token: string;
  expiredToken: string;
  subject: string;
  customerId: string;
  adminToken: string;
  /** A staff token with the admin role (`typ: staff+jwt`, the staff audience). */
  staffToken: string;
  /** A staff token with the staff role only (no erase, no entity changes). */
  staffRoleToken: string;
}

/** A new customer with a freshly signed session token. */
export async function newSession(name: string): Promise<TestSession> {
  return executeServerCommand<TestSession, { name: string }>("crm-session", { name });
}

/** A proxy (and an admin's staff token) over CRM indices of their own that hold no entity. */
export function emptyBackOffice(): Promise<{ proxyUrl: string; staffToken: string }> {
  return executeServerCommand("crm-empty-back-office", {});
}

/** A fresh token for an existing customer (what a site's token endpoint returns). */
export function freshToken(session: TestSession): Promise<string> {
  return executeServerCommand<string, { subject: string }>("crm-token", {
    subject: session.subject,
  });
}

/** Writes data for the session's customer as the site owner's backend would. */
export function seed(session: TestSession, calls: SeedCall[]): Promise<unknown[]> {
  return executeServerCommand("crm-seed", { subject: session.subject, calls });
}

/**
 * Creates an entry of `slug` with `values` for the session's customer and
 * moves it to `stages` (pipeline to stage), as the backend would; its id.
 */
export async function seedEntry(
  session: TestSession,
  slug: string,
  values: Record<string, unknown> = {},
  stages: Record<string, string> = {},
): Promise<string> {
  const [entry] = (await seed(session, [{ op: "createCrmEntry", args: { slug, values } }])) as [
    { id: string },
  ];
  const moves = Object.entries(stages).map(([pipeline, stage]) => ({
    op: "setCrmStage" as const,
    args: { slug, pipeline, stage, entryId: entry.id },
  }));
  if (moves.length) await seed(session, moves);
  return entry.id;
}

/** A new customer (as `newSession`) whose data `calls` wrote first. */
export async function newCustomer(name: string, calls: SeedCall[]): Promise<TestSession> {
  const session = await newSession(name);
  await seed(session, calls);
  return session;
}

/** The seed calls that set the shared tracker's fields to `values` and move its pipelines to `stages`. */
export function trackerCalls(
  values: Record<string, unknown>,
  stages: Record<string, string> = {},
): SeedCall[] {
  return [
    ...Object.entries(values).map(([fieldKey, value]) => ({
      op: "setCrmField" as const,
      args: { slug: "tracker", fieldKey, value },
    })),
    ...Object.entries(stages).map(([pipeline, stage]) => ({
      op: "setCrmStage" as const,
      args: { slug: "tracker", pipeline, stage },
    })),
  ];
}

/** Makes every stored history record searchable now (writes do not wait for it). */
export function historySearchable(): Promise<unknown> {
  return executeServerCommand("crm-searchable", {});
}

export function runtimeFor(session: TestSession, locale = "en-US"): CrmRuntime {
  return new CrmRuntime({ proxyUrl: session.proxyUrl, token: session.token, locale });
}

/** A back office page's runtime: the proxy and a signed-in staff member's token, no customer session. */
export function backOfficeRuntime(
  page: { proxyUrl: string; staffToken: string },
  staffToken = page.staffToken,
): CrmRuntime {
  return new CrmRuntime({ proxyUrl: page.proxyUrl, locale: "en-US", staffToken });
}

/** Renders `template` inside a container that provides `runtime` to every component in it. */
export async function mount(template: TemplateResult, runtime: CrmRuntime): Promise<HTMLElement> {
  const container = await fixture<HTMLElement>(
    html`<div class="mount" style="width: 640px; padding: 16px"></div>`,
  );
  provideRuntime(container, runtime);
  render(template, container);
  return container;
}

/**
 * Mounts `template` on `runtime` and waits until every `tag` element in it
 * shows `shown` (a selector of its loaded or failed state); `element` is the first.
 */
export async function mountLoaded<K extends keyof HTMLElementTagNameMap>(
  template: TemplateResult,
  runtime: CrmRuntime,
  tag: K,
  shown: string,
) {
  const root = await mount(template, runtime);
  const elements = [...root.querySelectorAll(tag)];
  if (elements.length === 0) throw new Error(`the template has no <${tag}> to wait for`);
  await Promise.all(elements.map((element) => shadowPart(element, shown)));
  return { root, runtime, elements, element: elements[0]! };
}

/** The first element matching `selector` in `host`'s shadow root, once it exists. */
export async function shadowPart<T extends Element = HTMLElement>(
  host: Element,
  selector: string,
): Promise<T> {
  await waitUntil(
    () => host.shadowRoot?.querySelector(selector),
    `no ${selector} in <${host.localName}>`,
    {
      timeout: 10_000,
    },
  );
  return host.shadowRoot!.querySelector<T>(selector)!;
}

export function shadowText(host: Element, selector: string): string {
  return host.shadowRoot?.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() ?? "";
}

/**
 * Puts `wrap` in front of the runtime's `fetch` (its injectable seam) until
 * the returned function is called; requests still reach the real proxy
 * unless `wrap` says otherwise. Without a runtime, in front of the page's
 * `fetch`: for what no runtime's seam sees (everything a page sends).
 */
/** A request as the helpers see it: its URL as a string, its init always given. */
type Fetch = (url: string, init: RequestInit) => Promise<Response>;

function intercept(runtime: CrmRuntime | undefined, wrap: (send: Fetch) => Fetch): () => void {
  const urlOf = (input: RequestInfo | URL) =>
    input instanceof Request ? input.url : String(input);
  if (!runtime) {
    const original = window.fetch;
    const wrapped = wrap((url, init) => original(url, init));
    window.fetch = (input, init) => wrapped(urlOf(input), init ?? {});
    return () => {
      window.fetch = original;
    };
  }
  const original = runtime.config.fetch;
  const send: Fetch = (url, init) => (original ?? fetch)(url, init);
  const wrapped = wrap(send);
  runtime.configure({ fetch: (input, init) => wrapped(urlOf(input), init ?? {}) });
  return () => runtime.configure({ fetch: original });
}

/** Counts the runtime's requests to the proxy's batch route; they still reach the real proxy. */
export function countBatchRequests(runtime?: CrmRuntime): {
  readonly count: number;
  bodies: unknown[];
  restore(): void;
} {
  const spy = { count: 0, bodies: [] as unknown[], restore: () => {} };
  spy.restore = intercept(runtime, (send) => (url, init) => {
    if (url.endsWith("/v1/batch")) {
      spy.count++;
      spy.bodies.push(JSON.parse(String(init.body ?? "{}")));
    }
    return send(url, init);
  });
  return spy;
}

/**
 * Takes the runtime offline until the returned function is called: requests
 * fail as a refused connection does, before reaching any server (no answer of
 * the proxy is imitated). Configuring an unreachable proxy URL instead would
 * make every widget read again and show its load error.
 */
export function goOffline(runtime?: CrmRuntime): () => void {
  return intercept(runtime, () => () => Promise.reject(new TypeError("Failed to fetch")));
}

/**
 * Holds back the runtime's next request's answer until `release()`: the
 * proxy answers for real, the page only sees it later, so a test decides the
 * order in which answers arrive.
 */
export function holdNextAnswer(runtime?: CrmRuntime): { sent: Promise<void>; release(): void } {
  const gate = Promise.withResolvers<void>();
  const sent = Promise.withResolvers<void>();
  let held = false;
  const restore = intercept(runtime, (send) => async (url, init) => {
    if (held) return send(url, init);
    held = true;
    restore();
    const response = await send(url, init);
    sent.resolve();
    await gate.promise;
    return response;
  });
  return { sent: sent.promise, release: () => gate.resolve() };
}

/** Selects all text of the focused input with the keyboard (Ctrl+A), as a person does. */
export async function selectAll(): Promise<void> {
  await sendKeys({ down: "Control" });
  await sendKeys({ press: "a" });
  await sendKeys({ up: "Control" });
}

/** Saves a screenshot of `element` in light and dark under test-results/screenshots/. */
export async function screenshot(element: HTMLElement, name: string): Promise<void> {
  element.id ||= `shot-${name}`;
  for (const colorScheme of ["light", "dark"]) {
    await executeServerCommand("crm-screenshot", { selector: `#${element.id}`, name, colorScheme });
  }
}

interface AxeResults {
  violations: { id: string; impact: string; description: string; nodes: { target: string[] }[] }[];
}

/** Runs axe-core on `element` (shadow roots included) and fails on any violation. */
export async function expectAccessible(element: Element): Promise<void> {
  const axe = (
    window as unknown as { axe: { run(context: Element, options: object): Promise<AxeResults> } }
  ).axe;
  const results = await axe.run(element, { resultTypes: ["violations"] });
  const problems = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.description} at ${violation.nodes
        .map((node) => node.target.join(" "))
        .join(", ")}`,
  );
  expect(problems, problems.join("\n")).to.deep.equal([]);
}

/** Creates or replaces an entity definition through the admin API (for tests that change one). */
export async function putEntity(
  session: TestSession,
  definition: EntityDefinitionInput,
): Promise<void> {
  const headers = {
    authorization: `Bearer ${session.adminToken}`,
    "content-type": "application/json",
  };
  const existing = await fetch(`${session.proxyUrl}/v1/admin/entities/${definition.slug}`, {
    headers,
  });
  const response = await fetch(
    existing.ok
      ? `${session.proxyUrl}/v1/admin/entities/${definition.slug}`
      : `${session.proxyUrl}/v1/admin/entities`,
    { method: existing.ok ? "PUT" : "POST", headers, body: JSON.stringify(definition) },
  );
  if (!response.ok)
    throw new Error(`putEntity ${definition.slug}: ${response.status} ${await response.text()}`);
}

/** Creates an entity only this test uses, `define`d for a unique slug made from `name`; its slug. */
export async function ownEntity(
  session: TestSession,
  name: string,
  define: (slug: string) => EntityDefinitionInput,
): Promise<string> {
  const slug = uniqueSlug(name);
  await putEntity(session, define(slug));
  return slug;
}

/** A unique slug for an entity only one test uses. */
export function uniqueSlug(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 8)}`;
}
