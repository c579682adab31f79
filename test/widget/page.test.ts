import { expect, waitUntil } from "@open-wc/testing";
import { html } from "lit";
import type { CrmField } from "../../widget/src/components/crm-field/crm-field.ts";
import { configure, getCrmEntries } from "../../widget/src/index.ts";
import {
  countBatchRequests,
  mount,
  newSession,
  runtimeFor,
  seed,
  shadowPart,
  shadowText,
} from "./support.ts";

describe("a page of widgets", () => {
  it("costs one batch request to the proxy for all its components", async () => {
    const session = await newSession("page-batch");
    await seed(session, [
      { op: "setCrmField", args: { slug: "tracker", fieldKey: "current_weight", value: 90 } },
      { op: "createCrmEntry", args: { slug: "deals", values: { title: "One" } } },
    ]);
    const runtime = runtimeFor(session);
    const spy = countBatchRequests(runtime);
    try {
      const root = await mount(
        html`<crm-field slug="tracker" field="current_weight"></crm-field>
          <crm-field slug="tracker" field="goal_weight"></crm-field>
          <crm-field slug="tracker" field="current_weight" editable></crm-field>
          <crm-field slug="tracker" field="mood"></crm-field>
          <crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>
          <crm-pipeline-progress slug="tracker" pipeline="plan_choice" layout="compact"></crm-pipeline-progress>
          <crm-form slug="tracker"></crm-form>
          <crm-entries slug="deals"></crm-entries>`,
        runtime,
      );
      const elements = [...root.children];
      expect(elements).to.have.length(8);
      await Promise.all(
        elements.map((element) =>
          shadowPart(
            element,
            "[part=value], [part=placeholder], [part=stages], [part=form], [part=list]",
          ),
        ),
      );
      expect(spy.count).to.equal(1);
      const calls = (spy.bodies[0] as { calls: { op: string }[] }).calls;
      // Identical reads are shared: one entity definition per slug, one read per field.
      expect(calls.filter((call) => call.op === "getCrmEntity")).to.have.length(2);
      expect(calls).to.have.length(2 + 3 + 2 + 2);
    } finally {
      spy.restore();
    }
  });

  it("updates every widget showing a field after a write through the runtime's named function", async () => {
    const session = await newSession("page-write");
    const runtime = runtimeFor(session);
    const root = await mount(
      html`<crm-field slug="tracker" field="current_weight"></crm-field>
        <crm-field slug="tracker" field="current_weight" lang="de-DE"></crm-field>`,
      runtime,
    );
    const [english, german] = [...root.querySelectorAll("crm-field")] as [CrmField, CrmField];
    await Promise.all([
      shadowPart(english, "[part=placeholder]"),
      shadowPart(german, "[part=placeholder]"),
    ]);
    await runtime.setCrmField({ slug: "tracker", fieldKey: "current_weight", value: 88.8 });
    await waitUntil(
      () =>
        shadowText(english, "[part=value]") === "88.8 kg" &&
        shadowText(german, "[part=value]") === "88,8 kg",
    );
  });

  it("offers the page runtime's operations as named exports and on window.CrmWidgets", async () => {
    const session = await newSession("page-global");
    // The named export makes the page runtime (the script-tag bundle does so when it loads).
    const runtime = configure({ proxyUrl: session.proxyUrl, token: session.token });
    const api = window.CrmWidgets!;
    expect(api.runtime).to.equal(runtime);
    const saved = await api.setCrmField({
      slug: "tracker",
      fieldKey: "notes",
      value: "from a script",
    });
    expect(saved.value).to.equal("from a script");
    const read = await getCrmEntries({ slug: "tracker" });
    expect(read[0]!.values.notes).to.equal("from a script");
  });
});
