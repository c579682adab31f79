import { expect, waitUntil } from "@open-wc/testing";
import { sendKeys, sendMouse, setViewport } from "@web/test-runner-commands";
import { html } from "lit";
import { runtimeEntityDefinitions } from "../../widget/src/back-office/entity-client.ts";
import "../../widget/src/components/crm-entity-editor/crm-entity-editor.ts";
import type {
  CrmEntityDeleteDetail,
  CrmEntityEditor,
} from "../../widget/src/components/crm-entity-editor/crm-entity-editor.ts";
import "../../widget/src/components/crm-entity-list/crm-entity-list.ts";
// What the preview shows; on a page the back-office bundle's autoloader loads them.
import "../../widget/src/components/crm-field/crm-field.ts";
import "../../widget/src/components/crm-form/crm-form.ts";
import "../../widget/src/components/crm-pipeline-progress/crm-pipeline-progress.ts";
import type { CrmRuntime } from "../../widget/src/runtime/runtime.ts";
import {
  backOfficeRuntime,
  countBatchRequests,
  emptyBackOffice,
  expectAccessible,
  goOffline,
  holdNextAnswer,
  mount,
  mountLoaded,
  newSession,
  putEntity,
  screenshot,
  seed,
  selectAll,
  shadowPart,
  shadowText,
  type TestSession,
  uniqueSlug,
} from "./support.ts";

async function mountEditor(
  session: TestSession,
  slug = "",
  runtime = backOfficeRuntime(session),
): Promise<CrmEntityEditor> {
  const root = await mount(html`<crm-entity-editor slug=${slug}></crm-entity-editor>`, runtime);
  root.style.width = "1000px";
  const editor = root.querySelector("crm-entity-editor")!;
  await shadowPart(editor, "form");
  return editor;
}

function input(editor: CrmEntityEditor, path: string): HTMLInputElement {
  const found = editor.shadowRoot!.querySelector<HTMLInputElement>(`[data-path="${path}"]`);
  if (!found) throw new Error(`No input ${path}`);
  return found;
}

function messageOf(editor: CrmEntityEditor, path: string): string {
  return editor.shadowRoot!.getElementById(`msg-${path}`)?.textContent?.trim() ?? "";
}

/** Types into an input as a person does: focus, select what is there, type. */
async function typeInto(editor: CrmEntityEditor, path: string, text: string): Promise<void> {
  const target = input(editor, path);
  target.focus();
  target.select();
  if (text === "") await sendKeys({ press: "Backspace" });
  else await sendKeys({ type: text });
  await editor.updateComplete;
}

function button(editor: CrmEntityEditor, text: string, within?: Element): HTMLButtonElement {
  const scope = within ?? editor.shadowRoot!;
  const found = [...scope.querySelectorAll<HTMLButtonElement>("button")].find(
    (candidate) => candidate.textContent?.trim() === text,
  );
  if (!found) throw new Error(`No button ${text}`);
  return found;
}

/** Presses the button named `text` with the keyboard: focus, then Enter. */
async function pressButton(editor: CrmEntityEditor, text: string): Promise<void> {
  button(editor, text).focus();
  await sendKeys({ press: "Enter" });
  await editor.updateComplete;
}

/** Waits until `editor` says its definition is saved. */
function saved(editor: CrmEntityEditor): Promise<void> {
  return waitUntil(() => shadowText(editor, ".status") === "Saved", "not saved", {
    timeout: 10_000,
  });
}

function chooseOption(editor: CrmEntityEditor, path: string, value: string): Promise<boolean> {
  const select = editor.shadowRoot!.querySelector<HTMLSelectElement>(`[data-path="${path}"]`)!;
  select.value = value;
  select.dispatchEvent(new Event("change"));
  return editor.updateComplete;
}

/** The middle of an element, in viewport pixels, where a pointer presses it. */
function middleOf(element: Element): [number, number] {
  const box = element.getBoundingClientRect();
  return [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
}

/**
 * An entity with one customer-writable text field `note`, and one entry holding a value for it.
 * Several entries per customer: creating one waits for a refresh, so the proxy's count of the
 * entries a change would break (a search) sees it at once.
 */
async function entityWithAnEntry(session: TestSession, name: string): Promise<string> {
  const slug = uniqueSlug(name.toLowerCase().replace(/\W+/g, "-"));
  await putEntity(session, {
    slug,
    name,
    entriesPerReference: "many",
    fields: [{ key: "note", label: "Note", type: "text", customerAccess: "write" }],
  });
  await seed(session, [{ op: "createCrmEntry", args: { slug, values: { note: "kept" } } }]);
  return slug;
}

function activePath(editor: CrmEntityEditor): string | undefined {
  const active = editor.shadowRoot!.activeElement as HTMLElement | null;
  return active?.dataset.path ?? active?.dataset.handle;
}

describe("crm-entity-editor", () => {
  it("loads a stored entity: skeleton first, then its settings with the slug fixed", async () => {
    const session = await newSession("editor-load");
    const root = await mount(
      html`<crm-entity-editor slug="tracker"></crm-entity-editor>`,
      backOfficeRuntime(session),
    );
    const editor = root.querySelector("crm-entity-editor")!;
    await editor.updateComplete;
    expect(editor.shadowRoot!.querySelector("[part=skeleton][aria-busy=true]")).to.exist;
    await shadowPart(editor, "form");
    expect(input(editor, "name").value).to.equal("Weight Tracker");
    expect(input(editor, "slug").readOnly, "a stored entity's slug is fixed").to.equal(true);
    expect(input(editor, "fields.6.key").value).to.equal("coach_notes");
    expect(input(editor, "pipelines.0.stages.2.label").value).to.equal("Goal Reached");
    expect(
      editor.shadowRoot!.querySelector<HTMLSelectElement>('[data-path="fields.4.type"]')!.value,
    ).to.equal("select");
  });

  it("derives the slug and keys from the names until they are edited", async () => {
    const session = await newSession("editor-derive");
    const editor = await mountEditor(session);
    await typeInto(editor, "name", "Sleep Log");
    expect(input(editor, "slug").value).to.equal("sleep-log");
    await typeInto(editor, "slug", "sleep");
    await typeInto(editor, "name", "Sleep Diary");
    expect(input(editor, "slug").value, "an edited slug stays").to.equal("sleep");
    button(editor, "Add field").click();
    await editor.updateComplete;
    await typeInto(editor, "fields.0.label", "Hours slept");
    expect(input(editor, "fields.0.key").value).to.equal("hours_slept");
  });

  it("shows the domain schema's message on the input it concerns as the user types", async () => {
    const session = await newSession("editor-validate");
    const editor = await mountEditor(session);
    await typeInto(editor, "name", "Sleep Log");
    expect(messageOf(editor, "name")).to.equal("");
    expect(messageOf(editor, "slug"), "untouched inputs stay quiet").to.equal("");
    await typeInto(editor, "slug", "9lives");
    expect(messageOf(editor, "slug")).to.equal(
      "Must be 1-63 lowercase letters, digits or dashes, starting with a letter",
    );
    expect(input(editor, "slug").getAttribute("aria-invalid")).to.equal("true");
    await typeInto(editor, "slug", "sleep-log");
    expect(messageOf(editor, "slug")).to.equal("");

    button(editor, "Add pipeline").click();
    await editor.updateComplete;
    await typeInto(editor, "pipelines.0.stages.0.color", "#12");
    expect(messageOf(editor, "pipelines.0.stages.0.color")).to.equal(
      "Must be a hex color such as #22c55e",
    );

    button(editor, "Add field").click();
    await editor.updateComplete;
    await typeInto(editor, "fields.0.label", "Hours");
    const type = editor.shadowRoot!.querySelector<HTMLSelectElement>(
      '[data-path="fields.0.type"]',
    )!;
    type.value = "number";
    type.dispatchEvent(new Event("change"));
    await editor.updateComplete;
    await typeInto(editor, "fields.0.min", "12");
    await typeInto(editor, "fields.0.max", "4");
    expect(messageOf(editor, "fields.0.max")).to.equal("Must not be below min");

    // Saving an invalid draft sends nothing and focuses the first problem.
    const spy = countBatchRequests();
    button(editor, "Create entity").click();
    await waitUntil(() => shadowText(editor, ".status").includes("correct"));
    spy.restore();
    expect(activePath(editor)).to.equal("fields.0.max");
  });

  it("is used by keyboard alone: add a field, reorder it, add a pipeline and a stage, save", async () => {
    const session = await newSession("editor-keyboard");
    const editor = await mountEditor(session);
    const slug = uniqueSlug("kbd");
    input(editor, "name").focus();
    await sendKeys({ type: "Keyboard Log" });
    await sendKeys({ press: "Tab" });
    await selectAll();
    await sendKeys({ type: slug });

    for (const label of ["First", "Second"]) {
      await pressButton(editor, "Add field");
      expect(activePath(editor), "focus moves to the new field's label").to.match(
        /^fields\.\d\.label$/,
      );
      await sendKeys({ type: label });
    }
    // From the second field's label back past its Remove button to its handle, then up one place.
    await sendKeys({ down: "Shift" });
    await sendKeys({ press: "Tab" });
    await sendKeys({ press: "Tab" });
    await sendKeys({ up: "Shift" });
    const handle = editor.shadowRoot!.activeElement as HTMLElement;
    expect(handle.getAttribute("part")).to.equal("handle");
    expect(handle.getAttribute("aria-label")).to.equal("Reorder Second, position 2 of 2");
    await sendKeys({ press: "ArrowUp" });
    await editor.updateComplete;
    expect(input(editor, "fields.0.label").value).to.equal("Second");
    expect(editor.shadowRoot!.activeElement, "the moved item's handle keeps focus").to.equal(
      editor.shadowRoot!.querySelector(`[data-handle="${handle.dataset.handle}"]`),
    );
    expect(shadowText(editor, "[role=status][aria-live=polite]")).to.equal(
      "Second moved to position 1 of 2",
    );

    input(editor, "fields.1.history").focus();
    await sendKeys({ press: "Space" });

    await pressButton(editor, "Add pipeline");
    expect(activePath(editor)).to.equal("pipelines.0.label");
    await sendKeys({ type: "Rest" });
    input(editor, "pipelines.0.stages.0.label").focus();
    await sendKeys({ type: "Tired" });
    await pressButton(editor, "Add stage");
    expect(activePath(editor)).to.equal("pipelines.0.stages.1.label");
    await sendKeys({ type: "Rested" });

    await pressButton(editor, "Create entity");
    await saved(editor);
    const stored = await runtimeEntityDefinitions(backOfficeRuntime(session)).getEntity(slug);
    expect(stored.fields.map((field) => field.key)).to.deep.equal(["second", "first"]);
    expect(stored.fields.map((field) => field.history)).to.deep.equal([false, true]);
    expect(stored.pipelines[0]!.stages.map((stage) => stage.key)).to.deep.equal([
      "tired",
      "rested",
    ]);
    expect(input(editor, "slug").readOnly, "stored now: the slug is fixed").to.equal(true);
  });

  it("shows the proxy's refusal on the input it names", async () => {
    const session = await newSession("editor-refused");
    const editor = await mountEditor(session);
    await typeInto(editor, "name", "Another Tracker");
    await typeInto(editor, "slug", "tracker");
    button(editor, "Create entity").click();
    await waitUntil(() => messageOf(editor, "slug") !== "", "no refusal shown", {
      timeout: 10_000,
    });
    expect(messageOf(editor, "slug")).to.equal('An entity with slug "tracker" already exists');
    expect(shadowText(editor, "[part=error]")).to.equal("Not saved: see the highlighted input.");
    expect(activePath(editor), "focus goes to the refused input").to.equal("slug");
    await typeInto(editor, "slug", uniqueSlug("tracker"));
    expect(messageOf(editor, "slug"), "editing it clears the refusal").to.equal("");
  });

  it("says it is saving while the proxy works, and keeps the button focusable", async () => {
    const session = await newSession("editor-saving");
    const editor = await mountEditor(session);
    await typeInto(editor, "name", "Saving Check");
    await typeInto(editor, "slug", uniqueSlug("saving"));
    const held = holdNextAnswer();
    const submit = editor.shadowRoot!.querySelector<HTMLButtonElement>("[part=submit]")!;
    submit.click();
    await held.sent;
    await editor.updateComplete;
    expect(shadowText(editor, ".status")).to.equal("Saving…");
    expect(submit.getAttribute("aria-disabled")).to.equal("true");
    expect(submit.disabled).to.equal(false);
    held.release();
    await waitUntil(() => shadowText(editor, ".status") === "Saved");
  });

  it("shows a load error with Retry, and loads on retry", async () => {
    const session = await newSession("editor-error");
    const online = goOffline();
    const root = await mount(
      html`<crm-entity-editor slug="deals"></crm-entity-editor>`,
      backOfficeRuntime(session),
    );
    const editor = root.querySelector("crm-entity-editor")!;
    await shadowPart(editor, "[part=error]");
    expect(shadowText(editor, "[part=error]")).to.contain("cannot be reached");
    online();
    editor.shadowRoot!.querySelector<HTMLButtonElement>("[part=retry]")!.click();
    await shadowPart(editor, "form");
    expect(input(editor, "name").value).to.equal("Deals");
  });

  it("previews the entity with sample values through the customer components, without the proxy", async () => {
    const session = await newSession("editor-preview");
    const spy = countBatchRequests();
    const editor = await mountEditor(session, "tracker");
    const preview = await shadowPart(editor, "crm-entity-preview");
    const form = await shadowPart(preview, "crm-form");
    await shadowPart(form, "form");
    const labels = [...form.shadowRoot!.querySelectorAll("[part~=label]")].map((label) =>
      label.textContent?.replace(/\s+/g, " ").trim(),
    );
    expect(labels.join("|")).to.contain("Current weight");
    expect(labels.join("|")).not.to.contain("Coach notes");
    const progress = await shadowPart(preview, "crm-pipeline-progress");
    await shadowPart(progress, "[part~=stages]");
    expect(shadowText(progress, "[part~=current-label]")).to.equal("Stage 2 of 3: In Progress");
    const field = await shadowPart(preview, "crm-field");
    await shadowPart(field, "[part~=value]");
    // Sample weight: the middle of 20..400 with one decimal.
    expect(shadowText(field, "[part~=value]")).to.equal("210.0 kg");

    // The preview follows the draft as it is typed.
    await typeInto(editor, "fields.0.label", "Weight today");
    await waitUntil(() =>
      [...form.shadowRoot!.querySelectorAll("[part~=label]")].some((label) =>
        label.textContent?.includes("Weight today"),
      ),
    );
    // A value the draft's rules refuse is refused in the preview form too.
    const weight = form.shadowRoot!.querySelector<HTMLInputElement>("input[type=number]")!;
    weight.focus();
    weight.select();
    await sendKeys({ type: "500" });
    await sendKeys({ press: "Tab" });
    await waitUntil(() => (form.shadowRoot!.textContent ?? "").includes("Must be at most 400"));
    spy.restore();
    expect(spy.count, "the preview sent nothing to the proxy").to.equal(0);
  });

  it("shows a change that would break stored entries on the input it concerns, and makes it on Save anyway", async () => {
    const session = await newSession("editor-breaking");
    const slug = await entityWithAnEntry(session, "Breaking Check");
    const editor = await mountEditor(session, slug);
    const definitions = runtimeEntityDefinitions(backOfficeRuntime(session));
    await chooseOption(editor, "fields.0.type", "number");
    button(editor, "Save changes").click();
    await waitUntil(() => messageOf(editor, "fields.0.type") !== "", "no refusal shown", {
      timeout: 10_000,
    });
    expect(messageOf(editor, "fields.0.type")).to.equal(
      'This change would break 1 stored entry: field "note" changes type from text to number (1)',
    );
    expect(input(editor, "fields.0.type").getAttribute("aria-invalid")).to.equal("true");
    expect(activePath(editor), "focus goes to the input concerned").to.equal("fields.0.type");
    expect(shadowText(editor, "[part=error]")).to.equal("Not saved: see the highlighted input.");
    expect((await definitions.getEntity(slug)).fields[0]!.type, "nothing stored").to.equal("text");
    await expectAccessible(editor.parentElement!);
    await screenshot(editor.parentElement!, "crm-entity-editor-refused");

    const accept = editor.shadowRoot!.querySelector<HTMLButtonElement>("[part=accept]")!;
    expect(accept.textContent?.trim()).to.equal("Save anyway");
    accept.focus();
    await sendKeys({ press: "Enter" });
    await saved(editor);
    expect((await definitions.getEntity(slug)).fields[0]!.type).to.equal("number");
    expect(messageOf(editor, "fields.0.type")).to.equal("");
    expect(editor.shadowRoot!.querySelector("[part=accept]")).to.equal(null);
  });

  it("withdraws Save anyway once the draft changes: the refusal judged another draft", async () => {
    const session = await newSession("editor-breaking-edit");
    const slug = await entityWithAnEntry(session, "Withdrawn Check");
    const editor = await mountEditor(session, slug);
    await chooseOption(editor, "fields.0.type", "boolean");
    button(editor, "Save changes").click();
    await shadowPart(editor, "[part=accept]");
    await typeInto(editor, "name", "Withdrawn Check 2");
    expect(editor.shadowRoot!.querySelector("[part=accept]")).to.equal(null);
    expect(messageOf(editor, "fields.0.type")).to.equal("");
  });

  it("deletes an entity after a confirmation naming it, and its entries only after a second one", async () => {
    const session = await newSession("editor-delete");
    const slug = await entityWithAnEntry(session, "Doomed Log");
    const root = await mount(
      html`<crm-entity-list for="delete-editor" selected=${slug}></crm-entity-list>
        <crm-entity-editor id="delete-editor" slug=${slug}></crm-entity-editor>`,
      backOfficeRuntime(session),
    );
    root.style.width = "1000px";
    const list = root.querySelector("crm-entity-list")!;
    const editor = root.querySelector("crm-entity-editor")!;
    await shadowPart(editor, "form");
    await waitUntil(() => shadowText(list, "[aria-current=true]").includes("Doomed Log"));
    const deleted: CrmEntityDeleteDetail[] = [];
    root.addEventListener("crm-entity-delete", (event) => deleted.push(event.detail));
    const dialog = editor.shadowRoot!.querySelector("dialog")!;

    await pressButton(editor, "Delete entity");
    await waitUntil(() => dialog.open, "no confirmation");
    expect(dialog.querySelector("h2")!.textContent).to.equal("Delete Doomed Log?");
    expect(dialog.contains(editor.shadowRoot!.activeElement), "focus is in the dialog").to.equal(
      true,
    );
    await sendKeys({ press: "Escape" });
    await waitUntil(() => !dialog.open, "Escape does not cancel");
    const definitions = runtimeEntityDefinitions(backOfficeRuntime(session));
    expect((await definitions.getEntity(slug)).name, "cancelled: still there").to.equal(
      "Doomed Log",
    );

    button(editor, "Delete entity").click();
    await waitUntil(() => dialog.open);
    button(editor, "Delete Doomed Log", dialog).click();
    await waitUntil(
      () => dialog.textContent?.includes("has 1 stored entry"),
      "no second confirmation",
      { timeout: 10_000 },
    );
    expect(dialog.open, "entries are not deleted without asking").to.equal(true);
    expect((await definitions.getEntity(slug)).slug).to.equal(slug);
    await expectAccessible(dialog);
    await screenshot(root, "crm-entity-editor-delete");

    button(editor, "Delete Doomed Log and its entries", dialog).click();
    await waitUntil(
      () => shadowText(editor, ".status") === "Deleted Doomed Log and its 1 entry.",
      "not deleted",
      {
        timeout: 10_000,
      },
    );
    expect(dialog.open).to.equal(false);
    expect(deleted).to.deep.equal([{ slug, deletedEntries: 1 }]);
    expect(editor.slug, "the editor shows a new entity").to.equal("");
    expect(input(editor, "name").value).to.equal("");
    expect(activePath(editor)).to.equal("name");
    const gone = await definitions.getEntity(slug).then(
      () => "found",
      (error: { code?: string }) => error.code,
    );
    expect(gone).to.equal("entity_not_found");
    await waitUntil(
      () =>
        list.shadowRoot!.querySelector("[part=list]") &&
        !shadowText(list, "[part=list]").includes("Doomed Log"),
      "the list still shows it",
    );
    expect(list.selected).to.equal("");
  });

  it("reorders fields with the pointer: drag a handle onto another field", async () => {
    const session = await newSession("editor-pointer");
    await setViewport({ width: 1100, height: 1800 });
    try {
      const editor = await mountEditor(session);
      for (const [index, label] of ["One", "Two", "Three"].entries()) {
        button(editor, "Add field").click();
        await editor.updateComplete;
        await typeInto(editor, `fields.${index}.label`, label);
      }
      const handles = editor.shadowRoot!.querySelectorAll('[data-list="fields"] [part=handle]');
      const items = editor.shadowRoot!.querySelectorAll('[data-list="fields"]');
      await sendMouse({ type: "move", position: middleOf(handles[2]!) });
      await sendMouse({ type: "down" });
      await sendMouse({ type: "move", position: middleOf(items[0]!) });
      await editor.updateComplete;
      expect(items[2]!.classList.contains("dragging"), "the dragged item is marked").to.equal(true);
      await sendMouse({ type: "up" });
      await editor.updateComplete;
      const labels = [0, 1, 2].map((index) => input(editor, `fields.${index}.label`).value);
      expect(labels).to.deep.equal(["Three", "One", "Two"]);
      expect(shadowText(editor, "[role=status][aria-live=polite]")).to.equal(
        "Three moved to position 1 of 3",
      );
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it("lets customers create entries of a many entity, and keeps that when the entity is edited again", async () => {
    const session = await newSession("editor-create");
    const slug = uniqueSlug("orders");
    const definitions = runtimeEntityDefinitions(backOfficeRuntime(session));
    const editor = await mountEditor(session);
    await typeInto(editor, "name", "Orders");
    await typeInto(editor, "slug", slug);
    expect(editor.shadowRoot!.querySelector('[data-path="customerCanCreate"]')).to.equal(null);
    const several = editor.shadowRoot!.querySelectorAll<HTMLInputElement>(
      "input[name=entries-per-reference]",
    )[1]!;
    several.click();
    await editor.updateComplete;
    input(editor, "customerCanCreate").click();
    await editor.updateComplete;
    await typeInto(editor, "customerEntryQuota", "0");
    expect(messageOf(editor, "customerEntryQuota")).to.equal("Must be at least 1");
    await typeInto(editor, "customerEntryQuota", "5");
    button(editor, "Create entity").click();
    await saved(editor);
    expect(await definitions.getEntity(slug)).to.include({
      entriesPerReference: "many",
      customerCanCreate: true,
      customerEntryQuota: 5,
    });

    const again = await mountEditor(session, slug);
    expect(input(again, "customerCanCreate").checked).to.equal(true);
    await typeInto(again, "name", "Orders and returns");
    button(again, "Save changes").click();
    await saved(again);
    expect(await definitions.getEntity(slug)).to.include({
      name: "Orders and returns",
      customerCanCreate: true,
      customerEntryQuota: 5,
    });
  });

  it("has no axe violations, with messages showing", async () => {
    const session = await newSession("editor-axe");
    const editor = await mountEditor(session, "tracker");
    const preview = await shadowPart(editor, "crm-entity-preview");
    await shadowPart(await shadowPart(preview, "crm-form"), "form");
    await typeInto(editor, "fields.0.label", "");
    expect(messageOf(editor, "fields.0.label")).not.to.equal("");
    await expectAccessible(editor.parentElement!);
  });

  it("is captured in light and dark, on a desktop and a 375 px phone", async () => {
    const session = await newSession("editor-shot");
    const editor = await mountEditor(session, "tracker");
    const preview = await shadowPart(editor, "crm-entity-preview");
    await shadowPart(await shadowPart(preview, "crm-pipeline-progress"), "[part~=stages]");
    await shadowPart(await shadowPart(preview, "crm-form"), "form");
    await typeInto(editor, "pipelines.0.stages.0.color", "#12");
    await screenshot(editor.parentElement!, "crm-entity-editor");
    await setViewport({ width: 375, height: 800 });
    editor.parentElement!.style.width = "343px";
    try {
      await editor.updateComplete;
      await screenshot(editor.parentElement!, "crm-entity-editor-phone");
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});

describe("crm-entity-preview", () => {
  it("says there is nothing to preview until a definition is given, then shows it; no axe violations", async () => {
    const session = await newSession("preview-alone");
    const { root, element: preview } = await mountLoaded(
      html`<crm-entity-preview></crm-entity-preview>`,
      backOfficeRuntime(session),
      "crm-entity-preview",
      "[part=note]",
    );
    expect(shadowText(preview, "[part=note]")).to.equal("Nothing to preview yet.");
    preview.definition = await runtimeEntityDefinitions(backOfficeRuntime(session)).getEntity(
      "tracker",
    );
    await shadowPart(await shadowPart(preview, "crm-form"), "form");
    await shadowPart(await shadowPart(preview, "crm-pipeline-progress"), "[part~=stages]");
    await expectAccessible(root);
    await screenshot(root, "crm-entity-preview");
  });
});

/** A settings page: the entity list beside the editor it opens the chosen entity in. */
async function settingsPage(runtime: CrmRuntime) {
  const root = await mount(
    html`<crm-entity-list for="settings-editor"></crm-entity-list>
      <crm-entity-editor id="settings-editor"></crm-entity-editor>`,
    runtime,
  );
  const list = root.querySelector("crm-entity-list")!;
  return { root, list, editor: root.querySelector("crm-entity-editor")! };
}

describe("crm-entity-list", () => {
  it("lists the entities and opens the chosen one in its editor", async () => {
    const session = await newSession("list-choose");
    const { root, list, editor } = await settingsPage(backOfficeRuntime(session));
    await list.updateComplete;
    expect(list.shadowRoot!.querySelector("[part=skeleton]")).to.exist;
    await shadowPart(list, "[part=list]");
    const names = [...list.shadowRoot!.querySelectorAll("[part=entity]")].map((entry) =>
      entry.textContent?.replace(entry.querySelector(".slug")?.textContent ?? "", "").trim(),
    );
    expect(names).to.include.members(["Deals", "Weight Tracker"]);
    const chosen: string[] = [];
    root.addEventListener("crm-entity-select", (event) => chosen.push(event.detail.slug));
    [...list.shadowRoot!.querySelectorAll<HTMLButtonElement>("[part=entity]")]
      .find((entry) => entry.textContent?.includes("Deals"))!
      .click();
    expect(editor.slug).to.equal("deals");
    await waitUntil(
      () =>
        editor.shadowRoot!.querySelector<HTMLInputElement>('[data-path="name"]')?.value === "Deals",
    );
    expect(chosen).to.deep.equal(["deals"]);
    await expectAccessible(list);
  });

  it("reads again and selects an entity the editor created", async () => {
    const session = await newSession("list-created");
    const { root, list, editor } = await settingsPage(backOfficeRuntime(session));
    await shadowPart(list, "[part=list]");
    await shadowPart(editor, "form");
    const slug = uniqueSlug("listed");
    await typeInto(editor, "name", "Listed Entity");
    await typeInto(editor, "slug", slug);
    button(editor, "Create entity").click();
    await waitUntil(() => list.selected === slug, "not selected", { timeout: 10_000 });
    await waitUntil(() => shadowText(list, "[aria-current=true]").includes("Listed Entity"));
    await screenshot(root, "crm-entity-list");
  });

  it("says when there is no entity yet, and offers New entity", async () => {
    const { list } = await settingsPage(backOfficeRuntime(await emptyBackOffice()));
    await shadowPart(list, "[part=empty]");
    expect(shadowText(list, "[part=empty]")).to.equal("No entities yet.");
    expect(list.shadowRoot!.querySelector("[part=new]")).to.exist;
    await expectAccessible(list);
    await screenshot(list, "crm-entity-list-empty");
  });

  it("shows a load error with Retry", async () => {
    const session = await newSession("list-error");
    const online = goOffline();
    const root = await mount(html`<crm-entity-list></crm-entity-list>`, backOfficeRuntime(session));
    const list = root.querySelector("crm-entity-list")!;
    await shadowPart(list, "[part=error]");
    online();
    list.shadowRoot!.querySelector<HTMLButtonElement>("[part=retry]")!.click();
    await shadowPart(list, "[part=list]");
  });
});
