import { expect, fixture } from "@open-wc/testing";
import { html, LitElement } from "lit";
import "../../widget/src/components/crm-customer-details/crm-customer-details.ts";
import "../../widget/src/components/crm-customer-search/crm-customer-search.ts";
import "../../widget/src/components/crm-entries/crm-entries.ts";
import type { CrmField } from "../../widget/src/components/crm-field/crm-field.ts";
import "../../widget/src/components/crm-field/crm-field.ts";
import "../../widget/src/components/crm-form/crm-form.ts";
import "../../widget/src/components/crm-pipeline-progress/crm-pipeline-progress.ts";
import { backOfficeTags } from "../../widget/src/back-office-tags.ts";
import { customerTags } from "../../widget/src/tags.ts";
import { mount, newSession, runtimeFor, shadowPart, shadowText } from "./support.ts";

const tags = [...customerTags, ...backOfficeTags];

/** Public accessors of the component's own classes (not Lit's) that have no setter. */
function getterOnly(tag: string): string[] {
  const found: string[] = [];
  let proto = customElements.get(tag)?.prototype as object | null;
  while (proto && proto !== LitElement.prototype) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (descriptor.get && !descriptor.set && !name.startsWith("_")) found.push(name);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return found;
}

describe("elements a framework can drive", () => {
  it("have no public property that only reads (frameworks assign every prop they are given)", () => {
    for (const tag of tags) expect(getterOnly(tag), tag).to.deep.equal([]);
  });

  it("crm-field ignores an assigned value and keeps showing the stored one", async () => {
    const session = await newSession("robust-value");
    const root = await mount(
      html`<crm-field slug="tracker" field="goal_weight"></crm-field>`,
      runtimeFor(session),
    );
    const field = root.querySelector<CrmField>("crm-field")!;
    await shadowPart(field, "[part=value], [part=placeholder]");
    const shown = shadowText(field, "[part=base]");
    const stored = field.value;
    field.value = 80;
    await field.updateComplete;
    expect(field.value).to.equal(stored);
    expect(shadowText(field, "[part=base]")).to.equal(shown);
  });

  it("formats for an assigned locale before the lang attribute and the page's", async () => {
    const session = await newSession("robust-locale");
    const runtime = runtimeFor(session);
    const root = await mount(
      html`<crm-field slug="tracker" field="current_weight" lang="en-US"></crm-field>`,
      runtime,
    );
    await runtime.setCrmField({ slug: "tracker", fieldKey: "current_weight", value: 81.5 });
    const field = root.querySelector<CrmField>("crm-field")!;
    await shadowPart(field, "[part=value]");
    expect(shadowText(field, "[part=value]")).to.equal("81.5 kg");
    field.locale = "de-DE";
    await field.updateComplete;
    expect(shadowText(field, "[part=value]")).to.equal("81,5 kg");
  });

  it("take a second definition of their tags without throwing (bundle and module on one page)", async () => {
    const first = customElements.get("crm-field");
    // The built per-component module, with its own copy of Lit and of the component class.
    await import(
      /* @vite-ignore */ new URL("/test-results/bundle/components/crm-field.js", location.href).href
    );
    expect(customElements.get("crm-field")).to.equal(first);
    const element = await fixture(html`<crm-field slug="tracker" field="goal_weight"></crm-field>`);
    expect(element).to.be.instanceOf(first!);
  });
});
