import { expect } from "@open-wc/testing";
import { html } from "lit";
import "../../widget/src/components/crm-customer-details/crm-customer-details.ts";
import "../../widget/src/index.ts";
import { CrmRuntime } from "../../widget/src/runtime/runtime.ts";
import {
  mount,
  newCustomer,
  newSession,
  runtimeFor,
  screenshot,
  shadowPart,
  trackerCalls,
} from "./support.ts";

const page = (
  customerId: string,
  withDetails: boolean,
) => html`<div style="display: grid; gap: 16px">
  <div>Current weight: <crm-field slug="tracker" field="current_weight"></crm-field></div>
  <crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>
  <crm-pipeline-progress slug="tracker" pipeline="progress" layout="compact"></crm-pipeline-progress>
  <crm-form slug="tracker" fields="current_weight,mood"></crm-form>
  <crm-entries slug="deals"></crm-entries>
  ${withDetails ? html`<crm-customer-details customer-id=${customerId} admin-token="x"></crm-customer-details>` : ""}
</div>`;

/** A runtime whose session token never arrives: every component stays in its loading state. */
function stalledRuntime(proxyUrl: string): CrmRuntime {
  return new CrmRuntime({ proxyUrl, tokenProvider: () => new Promise<string>(() => {}) });
}

function heights(root: HTMLElement, selector: string): number[] {
  return [...root.querySelectorAll<HTMLElement>(selector)].map((element) =>
    Math.round(element.getBoundingClientRect().height),
  );
}

describe("designed states", () => {
  it("keeps fields and pipelines at their loaded height while loading (no layout jump)", async () => {
    const session = await newCustomer(
      "states-jump",
      trackerCalls({ current_weight: 80 }, { progress: "starting" }),
    );
    const template = html`<p><crm-field slug="tracker" field="current_weight"></crm-field></p>
      <crm-pipeline-progress slug="tracker" pipeline="progress" layout="compact"></crm-pipeline-progress>
      <crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>`;
    const loading = await mount(template, stalledRuntime(session.proxyUrl));
    await shadowPart(loading.querySelector("crm-pipeline-progress")!, "[part=skeleton]");
    const loaded = await mount(template, runtimeFor(session));
    await shadowPart(loaded.querySelector("crm-pipeline-progress")!, "[part=stages]");
    await shadowPart(loaded.querySelector("crm-field")!, "[part=value]");
    await shadowPart(loaded.querySelectorAll("crm-pipeline-progress")[1]!, "[part=stages]");
    const before = heights(loading, "p, crm-pipeline-progress");
    const after = heights(loaded, "p, crm-pipeline-progress");
    // Within 2 px: a skeleton bar and a line of text round their font metrics differently.
    after.forEach((height, index) => {
      expect(Math.abs(height - before[index]!), `${before} vs ${after}`).to.be.at.most(2);
    });
  });

  it("loading skeletons are captured in light and dark", async () => {
    const session = await newSession("states-loading");
    const root = await mount(page(session.customerId, false), stalledRuntime(session.proxyUrl));
    await shadowPart(root.querySelector("crm-entries")!, "[part=skeleton]");
    await screenshot(root, "loading-states");
  });

  it("error states with their retry buttons are captured in light and dark", async () => {
    const session = await newSession("states-error");
    const root = await mount(
      page(session.customerId, true),
      new CrmRuntime({ proxyUrl: "http://127.0.0.1:9", token: "x" }),
    );
    await Promise.all(
      [
        ...root.querySelectorAll(
          "crm-field, crm-pipeline-progress, crm-form, crm-entries, crm-customer-details",
        ),
      ].map((element) => shadowPart(element, "[part=retry]")),
    );
    await screenshot(root, "error-states");
  });
});

describe("component styles", () => {
  it("every component's stylesheets are complete CSS text (no bad escape in a css template)", async () => {
    const { CrmField, CrmForm, CrmPipelineProgress, CrmEntries } = await import(
      "../../widget/src/index.ts"
    );
    const { CrmCustomerDetails } = await import(
      "../../widget/src/components/crm-customer-details/crm-customer-details.ts"
    );
    for (const component of [
      CrmField,
      CrmForm,
      CrmPipelineProgress,
      CrmEntries,
      CrmCustomerDetails,
    ]) {
      for (const style of component.elementStyles) {
        // A bad escape in a css`` template leaves Lit's cssText undefined.
        const cssText: unknown = "cssText" in style ? style.cssText : undefined;
        expect(typeof cssText, component.name).to.equal("string");
        expect(cssText as string, component.name).not.to.contain("undefined");
      }
    }
  });
});
