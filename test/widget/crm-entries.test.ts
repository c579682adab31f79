import { expect } from "@open-wc/testing";
import { html } from "lit";
import type { CrmEntries } from "../../widget/src/components/crm-entries/crm-entries.ts";
import "../../widget/src/components/crm-entries/crm-entries.ts";
import { dataBoundSuite } from "./shared/data-bound.ts";
import {
  mount,
  newSession,
  runtimeFor,
  screenshot,
  seedEntry,
  shadowPart,
  shadowText,
  type TestSession,
} from "./support.ts";

/** A customer with two deals: one in Proposal with every field set, one Won. */
async function seedDeals(name: string): Promise<TestSession> {
  const session = await newSession(name);
  const redesign = { title: "Website redesign", amount: 12500, close_date: "2026-04-30" };
  await seedEntry(session, "deals", redesign, { sales: "proposal" });
  await seedEntry(session, "deals", { title: "Support plan", amount: 990.5 }, { sales: "won" });
  return session;
}

function cards(element: CrmEntries): string[] {
  return [...element.shadowRoot!.querySelectorAll("[part=entry]")].map(
    (card) => card.getAttribute("aria-label")!,
  );
}

dataBoundSuite<CrmEntries>({
  tag: "crm-entries",
  setUp: async (name) => ({
    session: await seedDeals(name),
    template: html`<crm-entries slug="deals"></crm-entries>`,
    refused: html`<crm-entries slug="no-such-entity"></crm-entries>`,
  }),
  refusedCode: "entity_not_found",
  loaded: "[part=list]",
});

describe("crm-entries", () => {
  it("shows one card per entry with formatted values and stages", async () => {
    const session = await seedDeals("entries-list");
    const root = await mount(html`<crm-entries slug="deals"></crm-entries>`, runtimeFor(session));
    const element = root.querySelector("crm-entries")!;
    await shadowPart(element, "[part=list]");
    expect(cards(element).sort()).to.deep.equal(["Deals: Support plan", "Deals: Website redesign"]);
    const redesign = [...element.shadowRoot!.querySelectorAll("[part=entry]")].find((card) =>
      card.getAttribute("aria-label")!.includes("Website"),
    )!;
    const text = (redesign.textContent ?? "").replace(/\s+/g, " ");
    expect(text).to.contain("€12,500.00");
    expect(text).to.contain("Apr 30, 2026");
    expect(text).to.contain("Sales: Proposal");
    const won = [...element.shadowRoot!.querySelectorAll("[part=stage-chip]")].map((chip) =>
      (chip.textContent ?? "").replace(/\s+/g, " ").trim(),
    );
    // The outcome is said once: the label "Won" already says it.
    expect(won).to.include("Sales: Won");
  });

  it("formats the entries' values for de-DE", async () => {
    const session = await seedDeals("entries-de");
    const root = await mount(
      html`<crm-entries slug="deals" fields="title,amount"></crm-entries>`,
      runtimeFor(session, "de-DE"),
    );
    const element = root.querySelector("crm-entries")!;
    await shadowPart(element, "[part=list]");
    const values = [...element.shadowRoot!.querySelectorAll("[part=field-value]")].map((value) =>
      (value.textContent ?? "").replace(/\s+/g, " ").trim(),
    );
    expect(values).to.include("12.500,00 €");
    expect(values).to.include("990,50 €");
    expect(
      [...element.shadowRoot!.querySelectorAll("[part=field-label]")].map(
        (label) => label.textContent,
      ),
    ).to.include("Amount");
  });

  it("says so when the customer has no entries", async () => {
    const session = await newSession("entries-empty");
    const root = await mount(html`<crm-entries slug="deals"></crm-entries>`, runtimeFor(session));
    const element = root.querySelector("crm-entries")!;
    await shadowPart(element, "[part=empty]");
    expect(shadowText(element, "[part=empty]")).to.equal("No entries yet.");
  });

  it("is captured in light and dark", async () => {
    const session = await seedDeals("entries-shot");
    const root = await mount(html`<crm-entries slug="deals"></crm-entries>`, runtimeFor(session));
    await shadowPart(root.querySelector("crm-entries")!, "[part=list]");
    await screenshot(root, "crm-entries");
  });
});
