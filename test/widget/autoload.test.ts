import { expect, fixture } from "@open-wc/testing";
import { html } from "lit";
import { embed, loadedFiles } from "./embed.ts";
import { newSession, shadowPart } from "./support.ts";

describe("the script-tag core", () => {
  it("downloads nothing but itself until a tag appears, then only that component's module", async () => {
    const session = await newSession("autoload");
    await embed({ "data-proxy-url": session.proxyUrl, "data-token": session.token });
    expect(loadedFiles()).to.deep.equal(["crm-widgets.js"]);
    expect(customElements.get("crm-field")).to.equal(undefined);

    const root = await fixture<HTMLElement>(
      html`<div><crm-field slug="tracker" field="goal_weight"></crm-field></div>`,
    );
    await customElements.whenDefined("crm-field");
    await shadowPart(root.querySelector("crm-field")!, "[part=value], [part=placeholder]");
    const loaded = loadedFiles();
    expect(loaded.filter((file) => file.startsWith("components/"))).to.deep.equal([
      "components/crm-field.js",
    ]);
    expect(customElements.get("crm-form")).to.equal(undefined);

    // A tag that appears later inside another element's open shadow root is found there too.
    const host = document.createElement("div");
    root.append(host);
    host.attachShadow({ mode: "open" }).innerHTML =
      '<crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>';
    await customElements.whenDefined("crm-pipeline-progress");
    const progress = host.shadowRoot!.querySelector("crm-pipeline-progress")!;
    await shadowPart(progress, "[part=stages], [part=empty]");
    expect(loadedFiles()).to.include("components/crm-pipeline-progress.js");

    // Two new tags at once come in the one module of every customer component.
    const both = document.createElement("div");
    both.innerHTML =
      '<crm-form slug="tracker" fields="notes"></crm-form><crm-entries slug="deals"></crm-entries>';
    root.append(both);
    await Promise.all([
      customElements.whenDefined("crm-form"),
      customElements.whenDefined("crm-entries"),
    ]);
    const after = loadedFiles();
    expect(after).to.include("components/all.js");
    expect(after).not.to.include("components/crm-form.js");
    expect(after).not.to.include("components/crm-entries.js");
  });

  it("never loads a back office component", async () => {
    await fixture(html`<crm-customer-details customer-id="c-1"></crm-customer-details>`);
    // The autoloader's mutation callback has run by then; nothing may be on its way.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(customElements.get("crm-customer-details")).to.equal(undefined);
    expect(loadedFiles().filter((file) => /back-office|customer-details/.test(file))).to.deep.equal(
      [],
    );
  });
});
