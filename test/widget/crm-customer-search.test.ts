import { expect, oneEvent, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import { html } from "lit";
import type { FoundCustomer } from "../../widget/src/back-office/staff-client.ts";
import type { CrmCustomerDetails } from "../../widget/src/components/crm-customer-details/crm-customer-details.ts";
import "../../widget/src/components/crm-customer-details/crm-customer-details.ts";
import type { CrmCustomerSearch } from "../../widget/src/components/crm-customer-search/crm-customer-search.ts";
import "../../widget/src/components/crm-customer-search/crm-customer-search.ts";
import {
  backOfficeRuntime,
  expectAccessible,
  goOffline,
  holdNextAnswer,
  mount,
  newCustomer,
  newSession,
  screenshot,
  shadowPart,
  shadowText,
  type TestSession,
  trackerCalls,
} from "./support.ts";

/** A customer with a weight tracker entry and two deals. */
function customerWithEntries(name: string): Promise<TestSession> {
  return newCustomer(name, [
    ...trackerCalls({ current_weight: 82 }),
    { op: "createCrmEntry", args: { slug: "deals", values: { title: "Annual plan" } } },
    { op: "createCrmEntry", args: { slug: "deals", values: { title: "Coaching" } } },
  ]);
}

/**
 * A back office page's customer search on `runtime`; `withDetails` puts a
 * customer details element beside it that the search names with `for`.
 */
async function mountSearch(
  session: TestSession,
  { withDetails = false, runtime = backOfficeRuntime(session) } = {},
) {
  const root = await mount(
    withDetails
      ? html`<crm-customer-search for="details"></crm-customer-search>
          <crm-customer-details id="details"></crm-customer-details>`
      : html`<crm-customer-search></crm-customer-search>`,
    runtime,
  );
  return { root, search: root.querySelector("crm-customer-search")! };
}

/** Types into the search input the way a user does: focus, then key presses. */
async function typeInto(search: CrmCustomerSearch, text: string): Promise<HTMLInputElement> {
  const input = await shadowPart<HTMLInputElement>(search, "[part=input]");
  input.focus();
  await sendKeys({ type: text });
  return input;
}

async function optionFor(search: CrmCustomerSearch, text: string): Promise<HTMLElement> {
  await waitUntil(
    () =>
      [...(search.shadowRoot?.querySelectorAll<HTMLElement>("[role=option]") ?? [])].find(
        (option) => option.textContent?.includes(text),
      ),
    `no option with ${text}`,
    { timeout: 10_000 },
  );
  return [...search.shadowRoot!.querySelectorAll<HTMLElement>("[role=option]")].find((option) =>
    option.textContent?.includes(text),
  )!;
}

describe("crm-customer-search", () => {
  it("finds a customer by subject with their entry counts and shows them in the details named by for", async () => {
    const session = await customerWithEntries("search-find");
    const { root, search } = await mountSearch(session, { withDetails: true });
    const input = await typeInto(search, session.subject);
    const option = await optionFor(search, session.subject);
    expect(option.textContent?.replace(/\s+/g, " ")).to.contain(
      "3 entries: Deals 2, Weight Tracker 1",
    );
    expect(option.textContent).to.contain(session.customerId);
    expect(input.getAttribute("aria-expanded")).to.equal("true");
    expect(input.getAttribute("aria-controls")).to.equal("matches");
    await waitUntil(() => shadowText(search, "[role=status]").includes("1 customer found"));

    await sendKeys({ press: "ArrowDown" });
    await search.updateComplete;
    expect(input.getAttribute("aria-activedescendant")).to.equal(option.id);
    expect(option.getAttribute("aria-selected")).to.equal("true");
    const selected = oneEvent(search, "crm-customer-select");
    await sendKeys({ press: "Enter" });
    const event = (await selected) as CustomEvent<{ customer: FoundCustomer }>;
    expect(event.detail.customer.id).to.equal(session.customerId);
    expect(event.detail.customer.entries).to.deep.equal({ tracker: 1, deals: 2 });

    const details = root.querySelector<CrmCustomerDetails>("crm-customer-details")!;
    expect(details.customerId).to.equal(session.customerId);
    await shadowPart(details, "[part=entity]");
    expect(input.value).to.equal(session.subject);
    expect(input.getAttribute("aria-expanded"), "closed after choosing").to.equal("false");
    expect(document.activeElement).to.equal(search, "focus stays in the search");
  });

  it("chooses a match with the pointer too", async () => {
    const session = await customerWithEntries("search-click");
    const { root, search } = await mountSearch(session, { withDetails: true });
    await typeInto(search, session.subject);
    (await optionFor(search, session.subject)).click();
    expect(root.querySelector<CrmCustomerDetails>("crm-customer-details")!.customerId).to.equal(
      session.customerId,
    );
  });

  it("sends one search when typing pauses, not one per key", async () => {
    const session = await customerWithEntries("search-debounce");
    const runtime = backOfficeRuntime(session);
    const searches: string[] = [];
    runtime.configure({
      fetch: (input, init) => {
        const url = String(input);
        if (url.includes("/v1/staff/customers?")) searches.push(new URL(url).search);
        return fetch(input, init);
      },
    });
    const { search } = await mountSearch(session, { runtime });
    const input = await shadowPart<HTMLInputElement>(search, "[part=input]");
    // The newest customers, read when the search appears.
    await waitUntil(() => searches.length > 0);
    // Key presses in one task: the pause comes after the last.
    for (let end = 1; end <= session.subject.length; end++) {
      input.value = session.subject.slice(0, end);
      input.dispatchEvent(new InputEvent("input", { bubbles: true, composed: true }));
    }
    await waitUntil(() => searches.some((search) => search.includes("query=")));
    await waitUntil(() => search.shadowRoot!.querySelectorAll("[role=option]").length === 1);
    expect(searches.filter((search) => search.includes("query="))).to.deep.equal([
      `?query=${encodeURIComponent(session.subject)}&size=8`,
    ]);
  });

  it("says so when nothing matches", async () => {
    const session = await newSession("search-empty");
    const { search } = await mountSearch(session);
    const input = await typeInto(search, "no-such-customer-xyz");
    await shadowPart(search, "[part=empty]");
    expect(shadowText(search, "[part=empty]")).to.contain(
      "No customer matches “no-such-customer-xyz”",
    );
    expect(input.getAttribute("aria-expanded")).to.equal("false");
    expect(input.hasAttribute("aria-controls")).to.equal(false);
    expect(shadowText(search, "[role=status]")).to.equal("No customer matches.");
  });

  it("shows a failed search with a retry that searches again", async () => {
    const session = await customerWithEntries("search-error");
    const runtime = backOfficeRuntime(session);
    const { search } = await mountSearch(session, { runtime });
    await shadowPart(search, "[part=input]");
    const online = goOffline(runtime);
    await typeInto(search, session.subject);
    await shadowPart(search, "[part=error]");
    expect(shadowText(search, "[part=error]")).to.contain("cannot be reached");
    online();
    (await shadowPart<HTMLButtonElement>(search, "[part=retry]")).click();
    await optionFor(search, session.subject);
  });

  it("shows the proxy's refusal of a wrong staff token", async () => {
    const session = await newSession("search-refused");
    const { search } = await mountSearch(session, {
      runtime: backOfficeRuntime(session, "not-a-staff-token"),
    });
    await typeInto(search, "a");
    await shadowPart(search, "[part=error]");
    expect(search.shadowRoot!.querySelector("[part=retry]")).to.exist;
  });

  it("shows a spinner while searching", async () => {
    const session = await newSession("search-loading");
    const runtime = backOfficeRuntime(session);
    const held = holdNextAnswer(runtime);
    const { search } = await mountSearch(session, { runtime });
    const input = await shadowPart<HTMLInputElement>(search, "[part=input]");
    input.focus();
    await search.updateComplete;
    // The first read of the newest customers has not answered yet.
    expect(search.shadowRoot!.querySelector("[part=skeleton][aria-busy=true]")).to.exist;
    expect(shadowText(search, "[part=skeleton]")).to.equal("Searching…");
    held.release();
    await shadowPart(search, "[role=listbox]");
  });

  it("closes on Escape, and clears on a second Escape", async () => {
    const session = await customerWithEntries("search-escape");
    const { search } = await mountSearch(session);
    const input = await typeInto(search, session.subject);
    await optionFor(search, session.subject);
    await sendKeys({ press: "Escape" });
    await search.updateComplete;
    expect(search.shadowRoot!.querySelector("[part=popup]")).to.equal(null);
    expect(input.value).to.equal(session.subject);
    await sendKeys({ press: "ArrowDown" });
    await search.updateComplete;
    expect(search.shadowRoot!.querySelector("[part=popup]"), "reopened by ArrowDown").to.exist;
    await sendKeys({ press: "Escape" });
    await sendKeys({ press: "Escape" });
    await search.updateComplete;
    expect(input.value).to.equal("");
  });

  it("has no axe violations, open with matches", async () => {
    const session = await customerWithEntries("search-axe");
    const { root, search } = await mountSearch(session, { withDetails: true });
    await typeInto(search, session.subject);
    await optionFor(search, session.subject);
    await sendKeys({ press: "ArrowDown" });
    await expectAccessible(root);
  });

  it("is captured in light and dark", async () => {
    const session = await customerWithEntries("search-shot");
    const { root, search } = await mountSearch(session);
    // Room for the popup, which lies over what follows the search.
    root.style.minHeight = "560px";
    // The newest customers: this one and the other files' ones.
    await typeInto(search, "search-");
    await optionFor(search, session.subject);
    // An answer arriving after the key press starts a new list with none active.
    await waitUntil(async () => {
      await sendKeys({ press: "ArrowDown" });
      await search.updateComplete;
      return search.shadowRoot!.querySelector("[aria-selected=true]");
    });
    await screenshot(root, "crm-customer-search");
  });
});
