import { expect, oneEvent, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import { html, type TemplateResult } from "lit";
import type { CrmField } from "../../widget/src/components/crm-field/crm-field.ts";
import "../../widget/src/components/crm-field/crm-field.ts";
import { CrmRuntime } from "../../widget/src/runtime/runtime.ts";
import { dealsEntity } from "../support/entities.ts";
import { weightHistoryEntity } from "./seed.ts";
import { dataBoundSuite } from "./shared/data-bound.ts";
import {
  countBatchRequests,
  expectAccessible,
  holdNextAnswer,
  mount,
  mountLoaded,
  newCustomer,
  newSession,
  ownEntity,
  putEntity,
  runtimeFor,
  screenshot,
  seed,
  seedEntry,
  selectAll,
  shadowPart,
  shadowText,
  type TestSession,
  trackerCalls,
  uniqueSlug,
} from "./support.ts";

/** Mounts `template` on a runtime of its own (unless given) once every crm-field in it has loaded. */
function mountFields(
  session: TestSession,
  template: TemplateResult,
  runtime = runtimeFor(session),
) {
  return mountLoaded(
    template,
    runtime,
    "crm-field",
    "[part=value], [part=placeholder], [part=error]",
  );
}

/** What each crm-field of `template` shows once loaded, for `locale`. */
async function valuesShown(
  session: TestSession,
  template: TemplateResult,
  locale: string,
): Promise<string[]> {
  const { elements } = await mountFields(session, template, runtimeFor(session, locale));
  return elements.map((field) => shadowText(field, "[part=value]"));
}

/** Opens `field`'s editor and puts `value` in its input as typing does. */
async function typeDraft(field: CrmField, value: string): Promise<void> {
  field.startEditing();
  const input = await shadowPart<HTMLInputElement>(field, "[part=input]");
  input.value = value;
  input.dispatchEvent(new Event("input"));
}

async function seededSession(name: string) {
  const session = await newCustomer(
    name,
    trackerCalls({
      current_weight: 81.5,
      goal_weight: 1234.5,
      last_checkin: "2026-03-05",
      mood: "great",
      followed_plan: true,
    }),
  );
  return session;
}

dataBoundSuite<CrmField>({
  tag: "crm-field",
  setUp: async (name) => ({
    session: await seededSession(name),
    template: html`<p>Weight: <crm-field slug="tracker" field="current_weight" editable></crm-field></p>
      <p>Mood: <crm-field slug="tracker" field="mood"></crm-field></p>`,
    // A field customers may not read is as good as missing to them.
    refused: html`<crm-field slug="tracker" field="coach_notes"></crm-field>`,
  }),
  refusedCode: "field_not_found",
  loaded: "[part=value]",
  async interact(field) {
    field.startEditing();
    await shadowPart(field, "[part=input]");
  },
});

describe("crm-field", () => {
  const formatted: [string, string[]][] = [
    ["en-US", ["1,234.5 kg", "Mar 5, 2026", "Great", "Yes"]],
    ["de-DE", ["1.234,5 kg", "05.03.2026", "Great", "Ja"]],
  ];
  for (const [locale, expected] of formatted) {
    it(`formats numbers with units, dates, select labels and yes/no for ${locale}`, async () => {
      const session = await seededSession(`field-${locale}`);
      const template = html`<crm-field slug="tracker" field="goal_weight"></crm-field>
        <crm-field slug="tracker" field="last_checkin"></crm-field>
        <crm-field slug="tracker" field="mood"></crm-field>
        <crm-field slug="tracker" field="followed_plan"></crm-field>`;
      expect(await valuesShown(session, template, locale)).to.deep.equal(expected);
    });
  }

  it("formats a currency unit as money and other units the locale's way, in en-US and de-DE", async () => {
    const session = await newSession("field-currency");
    const slug = uniqueSlug("budget");
    const field = (key: string, unit: string, decimals?: number) =>
      ({ key, label: key, type: "number", unit, decimals, customerAccess: "read" }) as const;
    await putEntity(session, {
      slug,
      name: "Budget",
      fields: [
        field("price", "EUR"),
        field("deposit", "USD", 0),
        field("distance", "kilometer", 1),
        field("steps", "steps"),
      ],
    });
    await seed(session, [
      { op: "setCrmField", args: { slug, fieldKey: "price", value: 480 } },
      { op: "setCrmField", args: { slug, fieldKey: "deposit", value: 1250 } },
      { op: "setCrmField", args: { slug, fieldKey: "distance", value: 12.3 } },
      { op: "setCrmField", args: { slug, fieldKey: "steps", value: 10400 } },
    ]);
    const template = html`${["price", "deposit", "distance", "steps"].map(
      (key) => html`<crm-field slug=${slug} field=${key}></crm-field>`,
    )}`;
    const shown = (locale: string) => valuesShown(session, template, locale);
    expect(await shown("en-US")).to.deep.equal(["€480.00", "$1,250", "12.3 km", "10,400 steps"]);
    expect(await shown("de-DE")).to.deep.equal(["480,00 €", "1.250 $", "12,3 km", "10.400 steps"]);
  });

  it("shows the placeholder when the field has no value", async () => {
    const session = await newSession("field-empty");
    const { elements: fields } = await mountFields(
      session,
      html`<crm-field slug="tracker" field="notes" placeholder="No notes yet"></crm-field>
        <crm-field slug="tracker" field="current_weight"></crm-field>`,
    );
    const [withPlaceholder, plain] = fields as [CrmField, CrmField];
    expect(shadowText(withPlaceholder, "[part=placeholder]")).to.equal("No notes yet");
    expect(shadowText(plain, "[part=placeholder]")).to.equal("Not set");
  });

  it("ignores the late answer of a load its new field superseded", async () => {
    const session = await seededSession("field-stale");
    // The first load waits for its token; the second finds one set and goes at once.
    const tokenGate = Promise.withResolvers<void>();
    const tokenAsked = Promise.withResolvers<void>();
    // Every answer body the page reads, so the test knows when the late one has arrived.
    const bodies: Promise<unknown>[] = [];
    const runtime = new CrmRuntime({
      proxyUrl: session.proxyUrl,
      locale: "en-US",
      tokenProvider: async () => {
        tokenAsked.resolve();
        await tokenGate.promise;
        return session.token;
      },
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        const json = response.json.bind(response);
        response.json = () => {
          const body = json();
          bodies.push(body);
          return body;
        };
        return response;
      },
    });
    const root = await mount(
      html`<crm-field slug="tracker" field="current_weight"></crm-field>`,
      runtime,
    );
    const field = root.querySelector("crm-field")!;
    const shown: string[] = [];
    new MutationObserver(() => shown.push(shadowText(field, "[part=value]"))).observe(
      field.shadowRoot!,
      { subtree: true, childList: true, characterData: true },
    );
    await tokenAsked.promise;
    runtime.configure({ token: session.token });
    field.field = "goal_weight";
    await waitUntil(() => shadowText(field, "[part=value]") === "1,234.5 kg", "no goal weight");
    const answered = bodies.length;
    tokenGate.resolve();
    await waitUntil(() => bodies.length > answered, "the superseded load never answered");
    await Promise.all(bodies);
    // Lets the answer's promise chain run to its end before looking.
    await new Promise((resolve) => setTimeout(resolve));
    await field.updateComplete;
    expect(shadowText(field, "[part=value]")).to.equal("1,234.5 kg");
    expect(shown).not.to.include("81.5 kg");
  });

  it("is edited with the keyboard alone: Enter opens, live validation, Escape cancels, Enter saves", async () => {
    const session = await seededSession("field-keyboard");
    const { element: field } = await mountFields(
      session,
      html`<crm-field slug="tracker" field="current_weight" editable></crm-field>`,
    );
    const button = await shadowPart<HTMLButtonElement>(field, "[part=edit-button]");
    expect(button.getAttribute("aria-label")).to.equal("Edit Current weight");
    button.focus();
    await sendKeys({ press: "Enter" });
    const input = await shadowPart<HTMLInputElement>(field, "[part=input]");
    expect(field.shadowRoot!.activeElement === input, "focus in the input").to.equal(true);
    expect(input.type).to.equal("number");
    await selectAll();
    await sendKeys({ type: "500" });
    await field.updateComplete;
    expect(shadowText(field, "[part=message]")).to.equal("Must be at most 400");
    expect(input.getAttribute("aria-invalid")).to.equal("true");
    await sendKeys({ press: "Escape" });
    await field.updateComplete;
    expect(field.shadowRoot!.querySelector("[part=input]") === null, "editor closed").to.equal(
      true,
    );
    expect(shadowText(field, "[part=value]")).to.equal("81.5 kg");

    (await shadowPart<HTMLButtonElement>(field, "[part=edit-button]")).focus();
    await sendKeys({ press: "Enter" });
    await shadowPart(field, "[part=input]");
    await selectAll();
    await sendKeys({ type: "79.4" });
    const saved = oneEvent(field, "crm-save");
    await sendKeys({ press: "Enter" });
    expect((await saved).detail.fields[0]!.value).to.equal(79.4);
    await waitUntil(() => shadowText(field, "[part=value]") === "79.4 kg");
    // Focus comes back to the edit button (kept focusable while saving).
    expect(field.shadowRoot!.activeElement?.getAttribute("part")).to.equal("edit-button");
    // A new runtime (no cache) reads the saved value back from Elasticsearch.
    const stored = await runtimeFor(session).getCrmField({
      slug: "tracker",
      fieldKey: "current_weight",
    });
    expect(stored.value).to.equal(79.4);
  });

  it("shows the same validation message the proxy returns for the same bad value", async () => {
    const session = await seededSession("field-messages");
    const runtime = runtimeFor(session);
    const { elements: fields } = await mountFields(
      session,
      html`<crm-field slug="tracker" field="current_weight" editable></crm-field>
        <crm-field slug="tracker" field="notes" editable></crm-field>`,
      runtime,
    );
    const [weight, notes] = fields as [CrmField, CrmField];
    const cases: [CrmField, string, string, string | number][] = [
      [weight, "current_weight", "12.25", 12.25],
      [notes, "notes", "x".repeat(41), "x".repeat(41)],
    ];
    for (const [field, key, typed, wireValue] of cases) {
      await typeDraft(field, typed);
      await field.updateComplete;
      const shown = shadowText(field, "[part=message]");
      const refused = await runtime
        .setCrmField({ slug: "tracker", fieldKey: key, value: wireValue })
        .catch((error: { message: string; field: string }) => error);
      expect(shown).not.to.equal("");
      expect((refused as { field: string }).field).to.equal(key);
      expect((refused as { message: string }).message).to.equal(`${key}: ${shown}`);
      field.cancel();
    }
  });

  it("shows the saving state, then rolls back and explains when the proxy refuses", async () => {
    const session = await newSession("field-rollback");
    const slug = uniqueSlug("rollback");
    const score = {
      key: "score",
      label: "Score",
      type: "number",
      max: 100,
      customerAccess: "write",
    } as const;
    const definition = { slug, name: "Rollback", fields: [score] };
    await putEntity(session, definition);
    await seed(session, [{ op: "setCrmField", args: { slug, fieldKey: "score", value: 10 } }]);
    const { element: field } = await mountFields(
      session,
      html`<crm-field slug=${slug} field="score" editable></crm-field>`,
    );
    // The site owner lowers the limit after the page loaded: only the proxy knows.
    await putEntity(session, { ...definition, fields: [{ ...score, max: 50 }] });
    await typeDraft(field, "75");
    const refused = oneEvent(field, "crm-save-error");
    void field.commit();
    // One task later the batch is on its way and the optimistic value is rendered.
    await new Promise((done) => setTimeout(done, 0));
    await field.updateComplete;
    expect(shadowText(field, "[part=status]")).to.equal("Saving…");
    expect(shadowText(field, "[part=value]")).to.equal("75");
    const { detail } = await refused;
    expect(detail.error.code).to.equal("invalid_value");
    await waitUntil(
      () => shadowText(field, "[part=value]") === "10",
      "the value did not roll back",
    );
    expect(shadowText(field, "[part=error]")).to.equal("Not saved: Must be at most 50");
    expect(shadowText(field, "[part=status]"), "saving state gone").to.equal("");
  });

  it("says 'may have been saved, check again' when the proxy could not confirm the write (outcome_unknown)", async () => {
    const session = await seededSession("field-outcome-unknown");
    // The proxy answers outcome_unknown only when Elasticsearch stops answering mid-write
    // (test/proxy/cluster/client.test.ts produces it with a hung node); here the write's answer
    // is that body, every other request reaches the real proxy.
    const proxyFetch: typeof fetch = async (input, init) => {
      const body = typeof init?.body === "string" ? init.body : "";
      if (!body.includes('"setCrmField"')) return fetch(input, init);
      const error = {
        code: "outcome_unknown",
        message: "The CRM store did not confirm the change",
      };
      return Response.json({ results: [{ ok: false, error }] });
    };
    const runtime = new CrmRuntime({
      proxyUrl: session.proxyUrl,
      token: session.token,
      locale: "en-US",
      fetch: proxyFetch,
    });
    const { element: field } = await mountFields(
      session,
      html`<crm-field slug="tracker" field="current_weight" editable></crm-field>`,
      runtime,
    );
    await typeDraft(field, "81");
    const failed = oneEvent(field, "crm-save-error");
    void field.commit();
    expect((await failed).detail.error.code).to.equal("outcome_unknown");
    await field.updateComplete;
    expect(shadowText(field, "[part=error]")).to.equal(
      "May have been saved, check again: the CRM service did not confirm it.",
    );
  });

  it("announces saving through one status region that exists before the save starts", async () => {
    const session = await seededSession("field-status-region");
    const { runtime, element: field } = await mountFields(
      session,
      html`<crm-field slug="tracker" field="current_weight" editable></crm-field>`,
    );
    const region = field.shadowRoot!.querySelector("[part=status]")!;
    expect(region.getAttribute("role")).to.equal("status");
    expect(shadowText(field, "[part=status]")).to.equal("");
    await typeDraft(field, "79.5");
    const held = holdNextAnswer(runtime);
    const saved = oneEvent(field, "crm-save");
    void field.commit();
    await held.sent;
    await field.updateComplete;
    expect(field.shadowRoot!.querySelector("[part=status]")).to.equal(region);
    expect(shadowText(field, "[part=status]")).to.equal("Saving…");
    held.release();
    await saved;
    await field.updateComplete;
    expect(field.shadowRoot!.querySelector("[part=status]")).to.equal(region);
    expect(shadowText(field, "[part=status]")).to.equal("");
  });

  it("updates every crm-field showing a field when one of them saves it", async () => {
    const session = await seededSession("field-shared");
    const { elements: fields } = await mountFields(
      session,
      html`<crm-field slug="tracker" field="mood" editable></crm-field>
        <crm-field slug="tracker" field="mood"></crm-field>`,
    );
    const [editor, display] = fields as [CrmField, CrmField];
    editor.startEditing();
    const select = await shadowPart<HTMLSelectElement>(editor, "[part=input]");
    expect(select.localName).to.equal("select");
    select.value = "low";
    select.dispatchEvent(new Event("change"));
    const saved = oneEvent(editor, "crm-save");
    await editor.commit();
    await saved;
    await waitUntil(
      () => shadowText(display, "[part=value]") === "Low",
      "the other crm-field did not update",
    );
  });

  it("saving a field of one entry leaves that field of the entity's other entries as it was", async () => {
    const session = await newSession("field-entries");
    // The shared deals of test/support: many entries per customer, titles customers write.
    const slug = await ownEntity(session, "deals", (slug) => ({ ...dealsEntity, slug }));
    const first = await seedEntry(session, slug, { title: "first" });
    const second = await seedEntry(session, slug, { title: "second" });
    const { elements: fields } = await mountFields(
      session,
      html`<crm-field slug=${slug} field="title" entry-id=${first} editable></crm-field>
        <crm-field slug=${slug} field="title" entry-id=${second}></crm-field>`,
    );
    const [editor, other] = fields as [CrmField, CrmField];
    await typeDraft(editor, "changed");
    const saved = oneEvent(editor, "crm-save");
    void editor.commit();
    // One task later the optimistic value is in the cache and rendered.
    await new Promise((done) => setTimeout(done, 0));
    await Promise.all([editor.updateComplete, other.updateComplete]);
    expect(shadowText(editor, "[part=value]")).to.equal("changed");
    expect(shadowText(other, "[part=value]")).to.equal("second");
    await saved;
    await Promise.all([editor.updateComplete, other.updateComplete]);
    expect(shadowText(other, "[part=value]")).to.equal("second");
  });

  it("a field shown without an entry id updates when its entry is saved by id", async () => {
    const session = await seededSession("field-by-id");
    const { runtime, element: field } = await mountFields(
      session,
      html`<crm-field slug="tracker" field="current_weight"></crm-field>`,
    );
    const { entryId } = await runtime.getCrmField({ slug: "tracker", fieldKey: "current_weight" });
    expect(entryId).to.be.a("string");
    await runtime.setCrmField({
      slug: "tracker",
      fieldKey: "current_weight",
      value: 77.5,
      entryId: entryId!,
    });
    await waitUntil(
      () => shadowText(field, "[part=value]") === "77.5 kg",
      "the field shown without an entry id kept the old value",
    );
  });

  it("shows the new customer's value once the page switches to their session token", async () => {
    const [first, second] = await Promise.all([
      seededSession("field-account-a"),
      newSession("field-account-b"),
    ]);
    await seed(second, [
      { op: "setCrmField", args: { slug: "tracker", fieldKey: "current_weight", value: 64.5 } },
    ]);
    const { runtime, element: field } = await mountFields(
      first,
      html`<crm-field slug="tracker" field="current_weight"></crm-field>`,
    );
    expect(shadowText(field, "[part=value]")).to.equal("81.5 kg");
    runtime.configure({ token: second.token });
    await waitUntil(
      () => shadowText(field, "[part=value]") === "64.5 kg",
      "the previous customer's value stayed on screen",
    );
  });

  it("loads once the proxy is configured after a failed first load, without Retry", async () => {
    const session = await seededSession("field-late-config");
    const runtime = new CrmRuntime({ locale: "en-US" });
    const root = await mount(
      html`<crm-field slug="tracker" field="current_weight"></crm-field>`,
      runtime,
    );
    const field = root.querySelector("crm-field")!;
    await shadowPart(field, "[part=error]");
    runtime.configure({ proxyUrl: session.proxyUrl, token: session.token });
    await waitUntil(
      () => shadowText(field, "[part=value]") === "81.5 kg",
      "the field stayed in error after the configuration arrived",
    );
  });

  it("shows a value written while it was out of the page once it is put back", async () => {
    const session = await seededSession("field-reattach");
    const {
      runtime,
      root,
      element: field,
    } = await mountFields(
      session,
      html`<crm-field slug="tracker" field="current_weight"></crm-field>`,
    );
    field.remove();
    await runtime.setCrmField({ slug: "tracker", fieldKey: "current_weight", value: 66.5 });
    root.append(field);
    await waitUntil(
      () => shadowText(field, "[part=value]") === "66.5 kg",
      "the re-attached field kept the value from before its removal",
    );
  });

  it("is captured in light and dark", async () => {
    const session = await seededSession("field-shot");
    const { root } = await mountFields(
      session,
      html`<div style="display: grid; gap: 8px; font: 16px system-ui, sans-serif">
        <div>Current weight: <crm-field slug="tracker" field="current_weight" editable></crm-field></div>
        <div>Check-in: <crm-field slug="tracker" field="last_checkin"></crm-field></div>
        <div>Mood: <crm-field slug="tracker" field="mood" editable></crm-field></div>
        <div>Notes: <crm-field slug="tracker" field="notes" editable placeholder="No notes yet"></crm-field></div>
        <div>Editing: <crm-field id="editing" slug="tracker" field="current_weight" editable></crm-field></div>
      </div>`,
    );
    const editing = root.querySelector<CrmField>("#editing")!;
    await typeDraft(editing, "500");
    await editing.updateComplete;
    await screenshot(root, "crm-field");
  });
});

async function trackerWith(name: string, weights: number[]) {
  const session = await newSession(name);
  const slug = await ownEntity(session, "change", weightHistoryEntity);
  const calls = weights.map((value) => ({
    op: "setCrmField" as const,
    args: { slug, fieldKey: "weight", value },
  }));
  if (calls.length) await seed(session, calls);
  return { session, slug };
}

const changeText = (field: CrmField) =>
  field.shadowRoot?.querySelector("[part=change]")?.textContent?.trim() ?? "";

describe("crm-field show-change", () => {
  it("shows the signed change since the previous recorded value, for the page's locale", async () => {
    const { session, slug } = await trackerWith("change-two", [80.8, 80.2]);
    const { root, elements: fields } = await mountFields(
      session,
      html`<p><crm-field slug=${slug} field="weight" show-change editable></crm-field></p>
        <p><crm-field slug=${slug} field="weight" show-change lang="de-DE"></crm-field></p>`,
    );
    const [english, german] = fields as [CrmField, CrmField];
    await waitUntil(() => changeText(english), "no change shown", { timeout: 5_000 });
    expect(changeText(english)).to.equal("\u22120.6 kg since last time");
    expect(changeText(german)).to.equal("\u22120,6 kg seit dem letzten Mal");
    expect(english.hasAttribute("show-change")).to.equal(true);
    await expectAccessible(root);
    // The editor's input is described by the change, as the value is followed by it.
    english.startEditing();
    await english.updateComplete;
    const input = english.shadowRoot!.querySelector("[part=input]")!;
    expect(input.getAttribute("aria-describedby")).to.equal("message change");
    english.cancel();
    await english.updateComplete;
    await screenshot(root, "crm-field-change");
  });

  it("shows no change while the field has only one recorded value", async () => {
    const { session, slug } = await trackerWith("change-one", [80.8]);
    const { element: field } = await mountFields(
      session,
      html`<crm-field slug=${slug} field="weight" show-change></crm-field>`,
    );
    expect(shadowText(field, "[part=value]")).to.equal("80.8 kg");
    expect(field.shadowRoot!.querySelector("[part=change]")).to.equal(null);
  });

  it("shows the change against the value it replaced as soon as the page saves a new one", async () => {
    const { session, slug } = await trackerWith("change-save", [80.8, 80.2]);
    const { runtime, element: field } = await mountFields(
      session,
      html`<crm-field slug=${slug} field="weight" show-change></crm-field>`,
    );
    await waitUntil(() => changeText(field), "no change shown", { timeout: 5_000 });
    await runtime.setCrmField({ slug, fieldKey: "weight", value: 80.5 });
    await waitUntil(
      () => changeText(field) === "+0.3 kg since last time",
      `the change did not follow the save: ${changeText(field)}`,
      { timeout: 5_000 },
    );
    expect(shadowText(field, "[part=value]")).to.equal("80.5 kg");
  });

  it("shows nothing and reads no history for a field that keeps none", async () => {
    const { session, slug } = await trackerWith("change-none", []);
    await seed(session, [
      { op: "setCrmField", args: { slug, fieldKey: "height", value: 172 } },
      { op: "setCrmField", args: { slug, fieldKey: "height", value: 173 } },
    ]);
    const runtime = runtimeFor(session);
    const batches = countBatchRequests(runtime);
    const { element: field } = await mountFields(
      session,
      html`<crm-field slug=${slug} field="height" show-change></crm-field>`,
      runtime,
    );
    batches.restore();
    expect(shadowText(field, "[part=value]")).to.equal("173 cm");
    expect(field.shadowRoot!.querySelector("[part=change]")).to.equal(null);
    const ops = (batches.bodies as { calls: { op: string }[] }[]).flatMap((body) =>
      body.calls.map((call) => call.op),
    );
    expect(ops).to.include("getCrmField");
    expect(ops).not.to.include("getCrmFieldHistory");
  });
});
