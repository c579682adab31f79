import { expect } from "@open-wc/testing";
import { html } from "lit";
import "../../widget/src/components/crm-entries/crm-entries.ts";
import "../../widget/src/components/crm-field/crm-field.ts";
import "../../widget/src/components/crm-form/crm-form.ts";
import type { CrmForm } from "../../widget/src/components/crm-form/crm-form.ts";
import "../../widget/src/components/crm-pipeline-progress/crm-pipeline-progress.ts";
import { oddKeysEntity } from "../support/entities.ts";
import {
  mount,
  newSession,
  ownEntity,
  runtimeFor,
  screenshot,
  seed,
  shadowPart,
} from "./support.ts";
import type { SeedCall } from "./web-test-runner.config.ts";

/**
 * A widget looking up the key `constructor` in an entry's values, fields or
 * stages must find what is stored (or nothing), never "function Object()".
 */
const INHERITED_TEXT = /function|native code|\[object/i;

/** A new customer of an odd-keys entity of their own; `calls(slug)` seeds their entry. */
async function oddKeysCustomer(name: string, calls: (slug: string) => SeedCall[]) {
  const session = await newSession(name);
  const slug = await ownEntity(session, "odd-keys", oddKeysEntity);
  await seed(session, calls(slug));
  return { session, slug };
}

describe("keys named like Object.prototype's members", () => {
  it("an entry without a value for `constructor` shows it empty in crm-entries, crm-form and crm-field", async () => {
    const { session, slug } = await oddKeysCustomer("prototype-keys-empty", (slug) => [
      { op: "setCrmField", args: { slug, fieldKey: "nickname", value: "Ada" } },
    ]);
    const runtime = runtimeFor(session);
    const root = await mount(
      html`<crm-entries slug=${slug}></crm-entries>
        <crm-form slug=${slug}></crm-form>
        <crm-field slug=${slug} field="constructor"></crm-field>
        <crm-pipeline-progress slug=${slug} pipeline="constructor"></crm-pipeline-progress>`,
      runtime,
    );
    const entries = root.querySelector("crm-entries")!;
    await shadowPart(entries, "[part=list]");
    const card = (entries.shadowRoot!.querySelector("[part=entry]")?.textContent ?? "").replace(
      /\s+/g,
      " ",
    );
    expect(card).to.contain("Ada");
    expect(card).not.to.match(INHERITED_TEXT);

    const form = root.querySelector("crm-form") as CrmForm;
    await shadowPart(form, "form");
    const input = form.shadowRoot!.querySelector<HTMLInputElement>("#field-constructor");
    expect(input, "the form's input of the constructor field").to.exist;
    expect(input!.value).to.equal("");

    const field = root.querySelector("crm-field")!;
    await shadowPart(field, "[part=placeholder], [part=value]");
    expect(field.shadowRoot!.textContent ?? "").not.to.match(INHERITED_TEXT);

    const progress = root.querySelector("crm-pipeline-progress")!;
    await shadowPart(progress, "[part=base]");
    expect(progress.shadowRoot!.textContent ?? "").not.to.match(INHERITED_TEXT);
  });

  it("a stored value of `constructor` and a move to the stage `constructor` show as themselves", async () => {
    const { session, slug } = await oddKeysCustomer("prototype-keys-set", (slug) => [
      { op: "setCrmField", args: { slug, fieldKey: "constructor", value: "Bob" } },
      { op: "setCrmStage", args: { slug, pipeline: "constructor", stage: "constructor" } },
    ]);
    const root = await mount(html`<crm-entries slug=${slug}></crm-entries>`, runtimeFor(session));
    const entries = root.querySelector("crm-entries")!;
    await shadowPart(entries, "[part=list]");
    const text = (entries.shadowRoot!.textContent ?? "").replace(/\s+/g, " ");
    expect(text).to.contain("Bob");
    expect(text).to.contain("Construction: Building");
    await screenshot(entries, "prototype-keys-entries");
  });
});
