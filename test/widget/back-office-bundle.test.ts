import { expect, fixture, waitUntil } from "@open-wc/testing";
import { html } from "lit";
import { embed, loadedFiles } from "./embed.ts";
import { newSession, shadowPart } from "./support.ts";

describe("the back office bundle embedded by script tag", () => {
  it("loads the CRM settings components on demand, and the preview's customer components from the customer folder", async () => {
    const session = await newSession("back-office-bundle");
    await embed({ "data-proxy-url": session.proxyUrl }, "crm-back-office.js");
    // Staff tokens are configured by the page's own script, as the demo's back office does.
    window.CrmWidgets!.configure({ staffToken: session.staffToken });
    expect(customElements.get("crm-entity-editor")).to.equal(undefined);

    const root = await fixture<HTMLElement>(
      html`<div>
        <crm-entity-list for="bundle-editor"></crm-entity-list>
        <crm-entity-editor id="bundle-editor" slug="tracker"></crm-entity-editor>
      </div>`,
    );
    await customElements.whenDefined("crm-entity-editor");
    const editor = root.querySelector("crm-entity-editor")!;
    const name = await shadowPart<HTMLInputElement>(editor, '[data-path="name"]');
    expect(name.value).to.equal("Weight Tracker");
    await shadowPart(root.querySelector("crm-entity-list")!, "[part=list]");

    // The preview's components come from the customer modules, found in the editor's shadow root.
    const preview = await shadowPart(editor, "crm-entity-preview");
    await waitUntil(() => customElements.get("crm-form"), "crm-form was not loaded", {
      timeout: 10_000,
    });
    await shadowPart(await shadowPart(preview, "crm-form"), "form");
    const files = loadedFiles();
    expect(files).to.include.members([
      "crm-back-office.js",
      "crm-widgets.js",
      "back-office/crm-entity-editor.js",
      "back-office/crm-entity-list.js",
    ]);
    // Several customer tags found together: the customer folder's one module of all of them.
    expect(files.filter((file) => file.startsWith("components/"))).to.deep.equal([
      "components/all.js",
    ]);
  });
});
