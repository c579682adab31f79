import { expect, oneEvent, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import { html } from "lit";
import type { CrmCustomerDetails } from "../../widget/src/components/crm-customer-details/crm-customer-details.ts";
import "../../widget/src/components/crm-customer-details/crm-customer-details.ts";
import { weightHistoryEntity } from "./seed.ts";
import {
  backOfficeRuntime,
  expectAccessible,
  goOffline,
  holdNextAnswer,
  mount,
  mountLoaded,
  newCustomer,
  newSession,
  ownEntity,
  screenshot,
  seed,
  seedEntry,
  shadowPart,
  shadowText,
  type TestSession,
  trackerCalls,
} from "./support.ts";

async function seedCustomer(name: string): Promise<TestSession> {
  const session = await newCustomer(
    name,
    trackerCalls(
      { current_weight: 82, goal_weight: 75, coach_notes: "Doing well" },
      { progress: "in_progress" },
    ),
  );
  await seedEntry(session, "deals", { title: "Annual plan", amount: 1200 }, { sales: "won" });
  return session;
}

/** The session's customer's details on a back office page, once they show something. */
async function details(
  session: TestSession,
  runtime = backOfficeRuntime(session),
  { readonly = false } = {},
): Promise<{ root: HTMLElement; element: CrmCustomerDetails }> {
  const root = await mount(
    html`<crm-customer-details ?readonly=${readonly} customer-id=${session.customerId}></crm-customer-details>`,
    runtime,
  );
  const element = root.querySelector("crm-customer-details")!;
  await shadowPart(element, "[part=entity], [part=empty], [part=error]");
  return { root, element };
}

/** One entity's section. */
function section(element: CrmCustomerDetails, name: string): HTMLElement {
  const found = [...element.shadowRoot!.querySelectorAll<HTMLElement>("[part=entity]")].find(
    (candidate) => candidate.querySelector("[part=entity-heading]")?.textContent?.includes(name),
  );
  if (!found) throw new Error(`no section ${name}`);
  return found;
}

/** The field row labelled `label` inside `scope`. */
function fieldRow(scope: ParentNode, label: string): HTMLElement {
  const found = [...scope.querySelectorAll<HTMLElement>("[part=field]")].find((row) =>
    row.querySelector("[part=field-label]")?.textContent?.trim().startsWith(label),
  );
  if (!found) throw new Error(`no field ${label}`);
  return found;
}

/** Opens the editor of the field row `row`. */
function startEditing(row: HTMLElement): void {
  row.querySelector<HTMLButtonElement>("[part=edit]")!.click();
}

/** Opens the add-entry form of the section of the many-entry entity `name`. */
function openAddEntry(element: CrmCustomerDetails, name: string): void {
  [...section(element, name).querySelectorAll<HTMLButtonElement>("button")]
    .find((button) => text(button).includes(`Add ${name} entry`))!
    .click();
}

/** Selects the focused input's text, so what is typed next replaces it. */
function selectAll(element: CrmCustomerDetails): void {
  (element.shadowRoot!.activeElement as HTMLInputElement).select();
}

const text = (node: Node | null | undefined) => (node?.textContent ?? "").replace(/\s+/g, " ");

/** Reads what the staff API holds now, as the next page load would show it. */
async function stored(session: TestSession): Promise<{
  entries: {
    slug: string;
    id: string;
    values: Record<string, unknown>;
    stages: Record<string, { stage: string }>;
  }[];
}> {
  const response = await fetch(
    `${session.proxyUrl}/v1/staff/customers/${session.customerId}/entries`,
    { headers: { authorization: `Bearer ${session.staffToken}` } },
  );
  return response.json();
}

describe("crm-customer-details", () => {
  it("lists every entry of the customer grouped by entity, with back-office-only fields marked and stages", async () => {
    const session = await seedCustomer("details-list");
    const root = await mount(
      html`<crm-customer-details customer-id=${session.customerId}></crm-customer-details>`,
      backOfficeRuntime(session),
    );
    const element = root.querySelector("crm-customer-details")!;
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector("[part=skeleton][aria-busy=true]")).to.exist;
    await shadowPart(element, "[part=entity]");
    const headings = [...element.shadowRoot!.querySelectorAll("[part=entity-heading]")].map(
      (heading) => (heading.textContent ?? "").replace(/\s+/g, " ").trim(),
    );
    expect(headings.sort()).to.deep.equal(["Deals (1)", "Weight Tracker (1)"]);
    const all = text(element.shadowRoot);
    expect(all).to.contain("Doing well");
    expect(all).to.contain("82.0 kg");
    expect(all).to.contain("Stage 2 of 3: In Progress");
    // The outcome is said once: the label "Won" already says it.
    expect(all).to.contain("Stage 3 of 3: Won");
    expect(all).not.to.contain("(won)");
    // Won and Lost are alternatives of one step: the other outcome was not reached.
    expect(all).to.contain("Stage 3 of 3: Lost, not reached");
    expect(shadowText(element, "[part=header]")).to.contain(session.customerId);
    expect(shadowText(element, "[part=header] h2")).to.equal(session.subject);
    const tracker = section(element, "Weight Tracker");
    expect(text(fieldRow(tracker, "Coach notes"))).to.contain("hidden from customer");
    expect(text(fieldRow(tracker, "Goal weight"))).not.to.contain("hidden from customer");
    // Written by the site's backend in the seed.
    expect(text(tracker.querySelector("[part=updated]"))).to.match(
      /Last changed .+ by a backend script/,
    );
    expect(element.hasAttribute("admin-token"), "no credential on the element").to.equal(false);
  });

  it("asks for a customer while none is chosen", async () => {
    const session = await newSession("details-none");
    const { element } = await mountLoaded(
      html`<crm-customer-details></crm-customer-details>`,
      backOfficeRuntime(session),
      "crm-customer-details",
      "[part=empty]",
    );
    expect(shadowText(element, "[part=empty]")).to.equal(
      "Choose a customer to see their CRM entries.",
    );
  });

  it("says so when the customer has no CRM entries, and offers to start each entity", async () => {
    const session = await newSession("details-empty");
    const { element } = await details(session);
    expect(shadowText(element, "[part=empty]")).to.equal("No CRM entries for this customer.");
    const buttons = [...element.shadowRoot!.querySelectorAll(".unused button")].map((button) =>
      text(button).trim(),
    );
    expect(buttons).to.include.members(["Start Weight Tracker", "Add Deals entry"]);
  });

  it("shows a failed read with a retry that reads again", async () => {
    const session = await seedCustomer("details-error");
    const runtime = backOfficeRuntime(session);
    const online = goOffline(runtime);
    const { element } = await details(session, runtime);
    expect(shadowText(element, "[part=error]")).to.contain("cannot be reached");
    online();
    (await shadowPart<HTMLButtonElement>(element, "[part=retry]")).click();
    await shadowPart(element, "[part=entity]");
  });

  it("shows the proxy's refusal with a retry button when the staff token is wrong", async () => {
    const session = await newSession("details-refused-token");
    const { element } = await details(session, backOfficeRuntime(session, "wrong"));
    expect(element.shadowRoot!.querySelector("[part=error]")).to.exist;
    expect(element.shadowRoot!.querySelector("[part=retry]")).to.exist;
  });

  it("edits a field by keyboard: Saving…, then the stored value, recorded as this staff member's", async () => {
    const session = await seedCustomer("details-edit");
    const runtime = backOfficeRuntime(session);
    const { element } = await details(session, runtime);
    const goal = () => fieldRow(section(element, "Weight Tracker"), "Goal weight");
    const edit = goal().querySelector<HTMLButtonElement>("[part=edit]")!;
    expect(edit.getAttribute("aria-label")).to.equal("Edit Goal weight");
    edit.focus();
    await sendKeys({ press: "Enter" });
    await element.updateComplete;
    const input = goal().querySelector<HTMLInputElement>("input")!;
    expect(element.shadowRoot!.activeElement).to.equal(input, "the input takes focus");
    expect(input.value).to.equal("75");
    selectAll(element);
    await sendKeys({ type: "72.5" });
    const held = holdNextAnswer(runtime);
    await sendKeys({ press: "Enter" });
    await held.sent;
    await element.updateComplete;
    expect(text(goal().querySelector("[part=status]"))).to.contain("Saving…");
    held.release();
    await waitUntil(() => text(goal()).includes("72.5 kg"), "the saved value is shown", {
      timeout: 10_000,
    });
    expect(goal().querySelector("input"), "the editor closes").to.equal(null);
    await waitUntil(() => element.shadowRoot!.activeElement?.getAttribute("part") === "edit");
    const tracker = (await stored(session)).entries.find((entry) => entry.slug === "tracker")!;
    expect(tracker.values.goal_weight).to.equal(72.5);
    await waitUntil(() =>
      text(section(element, "Weight Tracker").querySelector("[part=updated]")).includes(
        "by staff staff-tester",
      ),
    );
  });

  it("refuses an invalid value on the field before sending it, and Escape cancels the edit", async () => {
    const session = await seedCustomer("details-invalid");
    const { element } = await details(session);
    const weight = () => fieldRow(section(element, "Weight Tracker"), "Current weight");
    startEditing(weight());
    await element.updateComplete;
    const input = weight().querySelector<HTMLInputElement>("input")!;
    input.focus();
    selectAll(element);
    await sendKeys({ type: "1000" });
    await sendKeys({ press: "Enter" });
    await element.updateComplete;
    expect(input.getAttribute("aria-invalid")).to.equal("true");
    expect(text(weight().querySelector(".field-message"))).to.contain("400");
    await sendKeys({ press: "Escape" });
    await element.updateComplete;
    expect(weight().querySelector("input")).to.equal(null);
    expect(text(weight())).to.contain("82.0 kg");
    const tracker = (await stored(session)).entries.find((entry) => entry.slug === "tracker")!;
    expect(tracker.values.current_weight).to.equal(82);
  });

  it("keeps the input and says why when the proxy cannot be reached on save", async () => {
    const session = await seedCustomer("details-save-error");
    const runtime = backOfficeRuntime(session);
    const { element } = await details(session, runtime);
    const notes = () => fieldRow(section(element, "Weight Tracker"), "Coach notes");
    startEditing(notes());
    await element.updateComplete;
    notes().querySelector<HTMLInputElement>("input")!.focus();
    selectAll(element);
    await sendKeys({ type: "Call on Monday" });
    const online = goOffline(runtime);
    await sendKeys({ press: "Enter" });
    await waitUntil(() => notes().querySelector("[part=error]"));
    expect(text(notes().querySelector("[part=error]"))).to.contain("Not saved");
    expect(notes().querySelector<HTMLInputElement>("input")!.value).to.equal("Call on Monday");
    online();
    notes().querySelector<HTMLButtonElement>(".button.solid")!.click();
    await waitUntil(
      () => text(notes()).includes("Call on Monday") && !notes().querySelector("input"),
      "saved on the second try",
      { timeout: 10_000 },
    );
  });

  it("moves a pipeline the customer may not move", async () => {
    const session = await seedCustomer("details-move");
    const { element } = await details(session);
    const tracker = section(element, "Weight Tracker");
    const goalReached = [...tracker.querySelectorAll<HTMLButtonElement>("[part=move-button]")].find(
      (button) => text(button).includes("Goal Reached"),
    )!;
    goalReached.focus();
    await sendKeys({ press: "Enter" });
    await waitUntil(
      () =>
        text(section(element, "Weight Tracker").querySelector("[aria-current=step]")).includes(
          "Goal Reached",
        ),
      "moved",
      { timeout: 10_000 },
    );
    const entry = (await stored(session)).entries.find(
      (candidate) => candidate.slug === "tracker",
    )!;
    expect(entry.stages.progress?.stage).to.equal("goal_reached");
  });

  it("adds an entry to a many-entry entity and deletes one after a confirmation", async () => {
    const session = await seedCustomer("details-entries");
    const { element } = await details(session);
    const deals = () => section(element, "Deals");
    openAddEntry(element, "Deals");
    await element.updateComplete;
    const form = deals().querySelector<HTMLFormElement>("[part=add-entry]")!;
    expect(element.shadowRoot!.activeElement?.id).to.equal("add-deals-title");
    await sendKeys({ type: "Renewal" });
    await sendKeys({ press: "Tab" });
    await sendKeys({ type: "abc" });
    form.requestSubmit();
    await element.updateComplete;
    expect(element.shadowRoot!.activeElement?.id, "the invalid field takes focus").to.equal(
      "add-deals-amount",
    );
    selectAll(element);
    await sendKeys({ type: "450" });
    form.requestSubmit();
    await waitUntil(() => text(deals()).includes("Deals (2)"), "added", { timeout: 10_000 });
    expect(text(deals())).to.contain("Renewal");

    const renewal = [...deals().querySelectorAll<HTMLElement>("[part=entry]")].find((entry) =>
      text(entry).includes("Renewal"),
    )!;
    const remove = renewal.querySelector<HTMLButtonElement>("[part=delete]")!;
    expect(remove.getAttribute("aria-label")).to.equal("Delete entry Deals: Renewal");
    remove.click();
    await element.updateComplete;
    const confirm = renewal.querySelector<HTMLElement>(".confirm-inline")!;
    expect(text(confirm)).to.contain("Delete this entry?");
    [...confirm.querySelectorAll<HTMLButtonElement>("button")]
      .find((button) => text(button).trim() === "Delete")!
      .click();
    await waitUntil(() => text(deals()).includes("Deals (1)"), "deleted", { timeout: 10_000 });
    expect(text(deals())).not.to.contain("Renewal");
    const left = (await stored(session)).entries.filter((entry) => entry.slug === "deals");
    expect(left.map((entry) => entry.values.title)).to.deep.equal(["Annual plan"]);
  });

  it("shows a field's recorded history with who made each change, and a save adds to it", async () => {
    const session = await newSession("details-history");
    // A weight tracker of its own, named apart from the shared one's section.
    const slug = await ownEntity(session, "staff-history", (slug) => ({
      ...weightHistoryEntity(slug),
      name: "Progress log",
    }));
    await seed(session, [
      {
        op: "setCrmField",
        args: { slug, fieldKey: "weight", value: 90 },
        at: "2026-09-01T08:00:00Z",
      },
      {
        op: "setCrmField",
        args: { slug, fieldKey: "weight", value: 88.4 },
        at: "2026-09-08T08:00:00Z",
      },
    ]);
    const { element } = await details(session);
    const weight = () => fieldRow(section(element, "Progress log"), "Weight");
    const toggle = weight().querySelector<HTMLButtonElement>("[part=history-button]")!;
    expect(toggle.getAttribute("aria-expanded")).to.equal("false");
    toggle.click();
    await waitUntil(() => weight().querySelector("[part=history]"), "history shown", {
      timeout: 10_000,
    });
    expect(toggle.getAttribute("aria-expanded")).to.equal("true");
    const rows = () =>
      [...weight().querySelectorAll("[part=history] tbody tr")].map((row) =>
        [...row.querySelectorAll("td")].slice(1).map((cell) => text(cell).trim()),
      );
    expect(rows()).to.deep.equal([
      ["88.4 kg", "a backend script"],
      ["90.0 kg", "a backend script"],
    ]);
    startEditing(weight());
    await element.updateComplete;
    weight().querySelector<HTMLInputElement>("input")!.focus();
    selectAll(element);
    await sendKeys({ type: "87.9" });
    await sendKeys({ press: "Enter" });
    await waitUntil(() => rows().length === 3, "the save is in the history", { timeout: 10_000 });
    expect(rows()[0]).to.deep.equal(["87.9 kg", "staff staff-tester"]);
  });

  it("exports the customer's data as a JSON file download", async () => {
    const session = await seedCustomer("details-export");
    const { element } = await details(session);
    const downloaded = new Promise<{
      name: string;
      data: { entries: unknown[]; history: unknown[] };
    }>((resolve) => {
      element.shadowRoot!.addEventListener("click", (event) => {
        const link = event.target as HTMLAnchorElement;
        if (link.localName !== "a") return;
        // The test reads the file instead of letting the browser save it.
        event.preventDefault();
        void fetch(link.href)
          .then((response) => response.json())
          .then((data) => resolve({ name: link.download, data }));
      });
    });
    [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>("[part=actions] button")]
      .find((button) => text(button).includes("Export data"))!
      .click();
    const { name, data } = await downloaded;
    expect(name).to.match(
      new RegExp(`^crm-export-${session.customerId}-\\d{4}-\\d{2}-\\d{2}\\.json$`),
    );
    expect(data.entries).to.have.length(2);
    expect(data.history.length).to.be.greaterThan(0);
  });

  it("erases the customer after a confirmation that names them; the staff role is refused", async () => {
    const session = await seedCustomer("details-erase");
    // A staff member without the admin role: the proxy refuses the erase.
    const refused = await details(session, backOfficeRuntime(session, session.staffRoleToken));
    const open = (element: CrmCustomerDetails) =>
      [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>("[part=actions] button")]
        .find((button) => text(button).includes("Erase customer"))!
        .click();
    const confirmButton = (element: CrmCustomerDetails) =>
      [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>("dialog button")].find((button) =>
        text(button).includes(`Erase ${session.subject}`),
      )!;
    open(refused.element);
    const dialog = refused.element.shadowRoot!.querySelector("dialog")!;
    expect(dialog.open).to.equal(true);
    expect(text(dialog.querySelector("h3"))).to.equal(`Erase ${session.subject}?`);
    expect(text(dialog)).to.contain(session.customerId);
    confirmButton(refused.element).click();
    await waitUntil(() => dialog.querySelector("[part=error]"), "refused", { timeout: 10_000 });
    expect(text(dialog.querySelector("[part=error]"))).to.match(/admin/i);
    dialog.close();
    expect((await stored(session)).entries).to.have.length(2);
    refused.root.remove();

    const { element } = await details(session);
    open(element);
    const erased = oneEvent(element, "crm-customer-erase");
    confirmButton(element).click();
    const event = (await erased) as CustomEvent<{ entries: number }>;
    expect(event.detail.entries).to.equal(2);
    expect(element.shadowRoot!.querySelector("dialog")?.open ?? false).to.equal(false);
    expect(shadowText(element, "[part=empty]")).to.contain("was erased: 2 entries");
    expect((await stored(session)).entries).to.deep.equal([]);
  });

  it("shows the data without controls when readonly", async () => {
    const session = await seedCustomer("details-readonly");
    const { element } = await details(session, backOfficeRuntime(session), { readonly: true });
    expect(element.shadowRoot!.querySelectorAll("button")).to.have.length(0);
    expect(text(element.shadowRoot)).to.contain("82.0 kg");
  });

  it("has no axe violations, with an edit, an add form and a history open", async () => {
    const session = await seedCustomer("details-axe");
    const { root, element } = await details(session);
    startEditing(fieldRow(section(element, "Weight Tracker"), "Goal weight"));
    openAddEntry(element, "Deals");
    await element.updateComplete;
    await expectAccessible(root);
  });

  it("is captured in light and dark", async () => {
    const session = await seedCustomer("details-shot");
    const { root, element } = await details(session);
    startEditing(fieldRow(section(element, "Weight Tracker"), "Goal weight"));
    await element.updateComplete;
    await screenshot(root, "crm-customer-details");
  });
});
