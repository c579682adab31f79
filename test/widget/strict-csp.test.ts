import { expect, waitUntil } from "@open-wc/testing";
import { freshToken, newCustomer, newSession, seed, shadowPart, trackerCalls } from "./support.ts";

/** Opens a page of test/widget/csp/ (served with `default-src 'self'; style-src 'self'`) in a frame. */
async function strictPage(page: string, query: Record<string, string>): Promise<Window> {
  const frame = document.createElement("iframe");
  frame.width = "900";
  frame.height = "900";
  frame.src = `/test/widget/csp/${page}?${new URLSearchParams(query)}`;
  const loaded = new Promise((resolve) => frame.addEventListener("load", resolve));
  document.body.append(frame);
  await loaded;
  return frame.contentWindow!;
}

describe("under a strict Content-Security-Policy", () => {
  it("the core and every customer component render, stage and option colors included, with no violation", async () => {
    const session = await newSession("strict-csp");
    await seed(session, [
      { op: "setCrmField", args: { slug: "tracker", fieldKey: "mood", value: "great" } },
      { op: "setCrmStage", args: { slug: "tracker", pipeline: "progress", stage: "in_progress" } },
      { op: "createCrmEntry", args: { slug: "deals", values: { title: "Annual plan" } } },
    ]);
    const page = await strictPage("page.html", {
      proxy: session.proxyUrl,
      token: await freshToken(session),
    });
    const doc = page.document;
    const progress = doc.querySelector("crm-pipeline-progress")!;
    const field = doc.querySelector("crm-field")!;
    await waitUntil(() => progress.shadowRoot?.querySelector(".stage.current"), "no stages", {
      timeout: 10_000,
    });
    await shadowPart(field, ".swatch");
    await shadowPart(doc.querySelector("crm-form")!, "[part=form]");
    await shadowPart(doc.querySelector("crm-entries")!, "[part=stage-chip]");

    // The colors arrived through the CSSOM: the custom properties hold the definitions' colors.
    const current = progress.shadowRoot!.querySelector(".stage.current")!;
    expect(page.getComputedStyle(current).getPropertyValue("--_stage").trim()).to.equal("#0969da");
    const swatch = field.shadowRoot!.querySelector(".swatch")!;
    expect(page.getComputedStyle(swatch).getPropertyValue("--_swatch").trim()).to.equal("#1a7f37");
    const violations = (page as unknown as { cspViolations: string[] }).cspViolations;
    expect(violations).to.deep.equal([]);
  });

  it("the back office (customer search, editable Customer Details, CRM settings) renders with no violation", async () => {
    const session = await newCustomer(
      "strict-csp-back-office",
      trackerCalls({ mood: "great" }, { progress: "in_progress" }),
    );
    const page = await strictPage("back-office.html", {
      proxy: session.proxyUrl,
      staffToken: session.staffToken,
      customer: session.customerId,
    });
    const doc = page.document;
    await page.customElements.whenDefined("crm-entity-editor");
    await shadowPart(doc.querySelector("crm-customer-search")!, "input");
    const details = doc.querySelector("crm-customer-details")!;
    await waitUntil(() => details.shadowRoot?.textContent?.includes("In Progress"), "no stage", {
      timeout: 10_000,
    });
    await shadowPart(doc.querySelector("crm-entity-list")!, "[part=list]");
    const name = await shadowPart<HTMLInputElement>(
      doc.querySelector("crm-entity-editor")!,
      '[data-path="name"]',
    );
    expect(name.value).to.equal("Weight Tracker");
    const violations = (page as unknown as { cspViolations: string[] }).cspViolations;
    expect(violations).to.deep.equal([]);
  });
});
