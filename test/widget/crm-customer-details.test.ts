import { expect } from "@open-wc/testing";
import { html } from "lit";
import "../../widget/src/components/crm-customer-details/crm-customer-details.ts";
import { CrmRuntime } from "../../widget/src/runtime/runtime.ts";
import {
  expectAccessible,
  mount,
  newSession,
  screenshot,
  seed,
  shadowPart,
  shadowText,
  type TestSession,
} from "./support.ts";

async function seedCustomer(name: string): Promise<TestSession> {
  const session = await newSession(name);
  const [deal] = (await seed(session, [
    {
      op: "createCrmEntry",
      args: { slug: "deals", values: { title: "Annual plan", amount: 1200 } },
    },
    { op: "setCrmField", args: { slug: "tracker", fieldKey: "current_weight", value: 82 } },
    { op: "setCrmField", args: { slug: "tracker", fieldKey: "goal_weight", value: 75 } },
    { op: "setCrmField", args: { slug: "tracker", fieldKey: "coach_notes", value: "Doing well" } },
  ])) as [{ id: string }];
  await seed(session, [
    { op: "setCrmStage", args: { slug: "tracker", pipeline: "progress", stage: "in_progress" } },
    {
      op: "setCrmStage",
      args: { slug: "deals", pipeline: "sales", stage: "won", entryId: deal.id },
    },
  ]);
  return session;
}

/** A back office page: no customer session, a signed-in staff member's token. */
function backOffice(session: TestSession, staffToken = session.staffToken): CrmRuntime {
  return new CrmRuntime({ proxyUrl: session.proxyUrl, locale: "en-US", staffToken });
}

describe("crm-customer-details", () => {
  it("lists every entry of the customer grouped by entity, with back-office-only fields and stages", async () => {
    const session = await seedCustomer("details-list");
    const root = await mount(
      html`<crm-customer-details customer-id=${session.customerId}></crm-customer-details>`,
      backOffice(session),
    );
    const element = root.querySelector("crm-customer-details")!;
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector("[part=skeleton][aria-busy=true]")).to.exist;
    await shadowPart(element, "[part=entity]");
    const headings = [...element.shadowRoot!.querySelectorAll("[part=entity-heading]")].map(
      (heading) => (heading.textContent ?? "").replace(/\s+/g, " ").trim(),
    );
    expect(headings.sort()).to.deep.equal(["Deals (1)", "Weight Tracker (1)"]);
    const text = (element.shadowRoot!.textContent ?? "").replace(/\s+/g, " ");
    expect(text).to.contain("Doing well");
    expect(text).to.contain("82.0 kg");
    expect(text).to.contain("Stage 2 of 3: In Progress");
    // The outcome is said once: the label "Won" already says it.
    expect(text).to.contain("Stage 3 of 3: Won");
    expect(text).not.to.contain("(won)");
    // Won and Lost are alternatives of one step: the other outcome was not reached.
    expect(text).to.contain("Stage 3 of 3: Lost, not reached");
    expect(shadowText(element, "[part=header]")).to.contain(session.customerId);
    expect(element.hasAttribute("admin-token"), "no credential on the element").to.equal(false);
  });

  it("says so when the customer has no CRM entries", async () => {
    const session = await newSession("details-empty");
    const root = await mount(
      html`<crm-customer-details customer-id=${session.customerId}></crm-customer-details>`,
      backOffice(session),
    );
    const element = root.querySelector("crm-customer-details")!;
    await shadowPart(element, "[part=empty]");
    expect(shadowText(element, "[part=empty]")).to.equal("No CRM entries for this customer.");
  });

  it("shows the proxy's refusal with a retry button when the staff token is wrong", async () => {
    const session = await newSession("details-error");
    const root = await mount(
      html`<crm-customer-details customer-id=${session.customerId}></crm-customer-details>`,
      backOffice(session, "wrong"),
    );
    const element = root.querySelector("crm-customer-details")!;
    await shadowPart(element, "[part=error]");
    expect(element.shadowRoot!.querySelector("[part=retry]")).to.exist;
  });

  it("has no axe violations", async () => {
    const session = await seedCustomer("details-axe");
    const root = await mount(
      html`<crm-customer-details customer-id=${session.customerId}></crm-customer-details>`,
      backOffice(session),
    );
    await shadowPart(root.querySelector("crm-customer-details")!, "[part=entity]");
    await expectAccessible(root);
  });

  it("is captured in light and dark", async () => {
    const session = await seedCustomer("details-shot");
    const root = await mount(
      html`<crm-customer-details customer-id=${session.customerId}></crm-customer-details>`,
      backOffice(session),
    );
    await shadowPart(root.querySelector("crm-customer-details")!, "[part=entity]");
    await screenshot(root, "crm-customer-details");
  });
});
