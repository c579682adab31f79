import { expect, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import type { CrmField } from "../../widget/src/components/crm-field/crm-field.ts";
import type { CrmForm } from "../../widget/src/components/crm-form/crm-form.ts";
import type { AppOptions, MountedApp } from "./frameworks/apps.ts";
import {
  newCustomer,
  runtimeFor,
  selectAll,
  shadowPart,
  shadowText,
  trackerCalls,
} from "./support.ts";

type Mount = (container: HTMLElement, options: AppOptions) => MountedApp;

/** The bundle the test runner's config builds from ./frameworks/apps.ts. */
async function apps(): Promise<{ mountReact: Mount; mountVue: Mount }> {
  const url = "/test-results/frameworks/apps.js";
  return (await import(/* @vite-ignore */ url)) as { mountReact: Mount; mountVue: Mount };
}

/** The same page in either framework: renders, sets properties, hears events, edits and saves. */
async function usePage(name: string, mount: Mount): Promise<void> {
  const session = await newCustomer(
    name,
    trackerCalls({ current_weight: 81.5 }, { progress: "in_progress" }),
  );
  const heard: { type: string; detail: unknown }[] = [];
  const container = document.createElement("div");
  document.body.append(container);
  const app = mount(container, {
    proxyUrl: session.proxyUrl,
    token: session.token,
    heard: (type, detail) => heard.push({ type, detail }),
  });
  try {
    // React renders in a task of its own; Vue before mount() returns.
    await waitUntil(() => container.querySelector("crm-form"), "nothing rendered");
    const field = container.querySelector<CrmField>("crm-field")!;
    const progress = container.querySelector("crm-pipeline-progress")!;
    const form = container.querySelector<CrmForm>("crm-form")!;
    // The stored value, not the `value` React was given; properties arrived as properties.
    await waitUntil(() => shadowText(field, "[part=value]") === "81.5 kg", "no field value");
    expect(field.editable).to.equal(true);
    await shadowPart(progress, "[part=stages]");
    expect(shadowText(progress, "[part=current-label]")).to.equal("Stage 2 of 3: In Progress");
    await shadowPart(form, "[part=form]");
    expect(form.noHeading).to.equal(true);
    expect(form.shadowRoot!.querySelector("[part=heading]")).to.equal(null);
    app.toggleHeading();
    await waitUntil(() => form.shadowRoot!.querySelector("[part=heading]"), "no heading");
    expect(form.noHeading).to.equal(false);

    (await shadowPart<HTMLButtonElement>(field, "[part=edit-button]")).click();
    (await shadowPart<HTMLInputElement>(field, "[part=input]")).focus();
    await selectAll();
    await sendKeys({ type: "79.4" });
    await sendKeys({ press: "Enter" });
    await waitUntil(() => heard.some((event) => event.type === "crm-save"), "no crm-save heard");
    expect(heard.map((event) => event.type)).to.deep.equal(["crm-change", "crm-save"]);
    await waitUntil(() => shadowText(field, "[part=value]") === "79.4 kg");

    (form.shadowRoot!.querySelector<HTMLTextAreaElement>("#field-notes") as HTMLElement).focus();
    await sendKeys({ type: `From ${name}` });
    await form.submit();
    await waitUntil(() => heard.length === 3, "the form's crm-save was not heard");
    expect(heard[2]).to.deep.include({ type: "crm-save" });

    // A new runtime (no cache) reads both saves back from Elasticsearch.
    const fresh = runtimeFor(session);
    const weight = await fresh.getCrmField({ slug: "tracker", fieldKey: "current_weight" });
    const notes = await fresh.getCrmField({ slug: "tracker", fieldKey: "notes" });
    expect([weight.value, notes.value]).to.deep.equal([79.4, `From ${name}`]);
  } finally {
    app.unmount();
    container.remove();
  }
}

describe("the components in framework pages", () => {
  it("React 19: renders, takes properties, hears oncrm-* events, edits and saves", async () => {
    await usePage("react", (await apps()).mountReact);
  });

  it("Vue 3: renders, takes properties, hears @crm-* events, edits and saves", async () => {
    await usePage("vue", (await apps()).mountVue);
  });
});
