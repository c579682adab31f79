import { expect, fixture, waitUntil } from "@open-wc/testing";
import { html } from "lit";
import { embed } from "./embed.ts";
import { freshToken, newCustomer, shadowPart, shadowText, trackerCalls } from "./support.ts";

describe("the built bundle embedded by script tag", () => {
  it("configures itself from data attributes and renders the customer's data from the real proxy", async () => {
    const session = await newCustomer(
      "bundle",
      trackerCalls({ current_weight: 81.5 }, { progress: "in_progress" }),
    );
    let asked = 0;
    (window as unknown as Record<string, unknown>).getCrmSessionToken = () => {
      asked++;
      return freshToken(session);
    };
    await embed({
      "data-proxy-url": session.proxyUrl,
      "data-token-provider": "getCrmSessionToken",
      "data-locale": "de-DE",
    });
    const root = await fixture<HTMLElement>(html`<div>
      <crm-field slug="tracker" field="current_weight" editable></crm-field>
      <crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>
      <crm-form slug="tracker" fields="notes"></crm-form>
    </div>`);
    const field = root.querySelector("crm-field")!;
    const progress = root.querySelector("crm-pipeline-progress")!;
    await waitUntil(
      () => shadowText(field, "[part=value]") === "81,5 kg",
      "no value from the bundle",
    );
    await shadowPart(progress, "[part=stages]");
    expect(shadowText(progress, "[part=current-label]")).to.equal("Phase 2 von 3: In Progress");
    await shadowPart(root.querySelector("crm-form")!, "[part=form]");
    expect(asked).to.equal(1);

    const api = window.CrmWidgets!;
    await api.setCrmField({ slug: "tracker", fieldKey: "current_weight", value: 80 });
    await waitUntil(
      () => shadowText(field, "[part=value]") === "80,0 kg",
      "the component missed the write",
    );
  });
});
