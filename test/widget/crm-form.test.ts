import { expect, oneEvent, waitUntil } from "@open-wc/testing";
import { resetMouse, sendKeys, sendMouse } from "@web/test-runner-commands";
import { html, type TemplateResult } from "lit";
import type { CrmForm } from "../../widget/src/components/crm-form/crm-form.ts";
import type { CrmSaveEvent } from "../../widget/src/components/events.ts";
import "../../widget/src/components/crm-form/crm-form.ts";
import "../../widget/src/components/crm-field/crm-field.ts";
import { dataBoundSuite } from "./shared/data-bound.ts";
import {
  countBatchRequests,
  expectAccessible,
  goOffline,
  mountLoaded,
  newCustomer,
  newSession,
  putEntity,
  runtimeFor,
  screenshot,
  shadowPart,
  shadowText,
  type TestSession,
  trackerCalls,
  uniqueSlug,
} from "./support.ts";

/** Mounts `template` (the tracker's form unless given) once its crm-form has loaded. */
function mountForm(
  session: TestSession,
  template: TemplateResult = html`<crm-form slug="tracker"></crm-form>`,
  runtime = runtimeFor(session),
) {
  return mountLoaded(template, runtime, "crm-form", "[part=form], [part=error]");
}

function control<T extends HTMLElement = HTMLInputElement>(form: CrmForm, key: string): T {
  return form.shadowRoot!.querySelector<T>(`#field-${key}`)!;
}

function fieldError(form: CrmForm, key: string): string {
  return shadowText(form, `#err-${key}`);
}

function type(
  element: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  value: string,
): void {
  element.value = value;
  element.dispatchEvent(new Event("input", { bubbles: true }));
}

function activeKey(form: CrmForm): string | undefined {
  return form.shadowRoot!.activeElement?.id.replace("field-", "");
}

function submitButton(form: CrmForm): HTMLButtonElement {
  return form.shadowRoot!.querySelector<HTMLButtonElement>("[part=submit]")!;
}

/** A point inside the Save button, `inset` px from its top (or, negative, from its bottom). */
function pointOnSubmit(form: CrmForm, inset: number): [number, number] {
  submitButton(form).scrollIntoView({ block: "center" });
  const box = submitButton(form).getBoundingClientRect();
  const y = inset >= 0 ? box.top + inset : box.bottom + inset;
  return [Math.round(box.left + box.width / 2), Math.round(y)];
}

/**
 * A new customer's form of a check-in entity whose score limit the site owner
 * lowers to 50 once the page is open (only the proxy knows), with 75 typed as the score.
 */
async function scoreOverNewLimit(name: string) {
  const session = await newSession(name);
  const { slug, limitScore } = await checkinEntity(session);
  const { element: form } = await mountForm(session, html`<crm-form slug=${slug}></crm-form>`);
  await limitScore(50);
  type(control(form, "score"), "75");
  return { session, slug, form, limitScore };
}

/** A check-in entity whose score limit the site owner changes while the page is open. */
async function checkinEntity(session: TestSession) {
  const slug = uniqueSlug("checkin");
  const note = { key: "note", label: "Note", type: "text", customerAccess: "write" } as const;
  const score = (max: number) =>
    ({ key: "score", label: "Score", type: "number", max, customerAccess: "write" }) as const;
  const limitScore = (max: number) =>
    putEntity(session, { slug, name: "Check-in", fields: [note, score(max)] });
  await limitScore(100);
  return { slug, limitScore };
}

dataBoundSuite<CrmForm>({
  tag: "crm-form",
  setUp: async (name) => ({
    session: await newSession(name),
    template: html`<crm-form slug="tracker"></crm-form>`,
    refused: html`<crm-form slug="no-such-entity"></crm-form>`,
  }),
  refusedCode: "entity_not_found",
  loaded: "[part=form]",
  async interact(form) {
    // Submitting the empty form shows the required fields' messages.
    await form.submit();
  },
});

describe("crm-form", () => {
  it("shows labeled inputs for all five field types prefilled with current values", async () => {
    const session = await newCustomer(
      "form-prefill",
      trackerCalls({
        current_weight: 80.5,
        last_checkin: "2026-02-01",
        notes: "Felt good",
        mood: "okay",
        followed_plan: false,
      }),
    );
    const { element: form } = await mountForm(session);
    const labels = [...form.shadowRoot!.querySelectorAll("label")].map((label) => ({
      for: label.htmlFor,
      text: (label.textContent ?? "").replace(/\s+/g, " ").trim(),
    }));
    expect(labels).to.deep.equal([
      { for: "field-current_weight", text: "Current weight (kg)" },
      { for: "field-last_checkin", text: "Last check-in" },
      { for: "field-notes", text: "Notes" },
      { for: "field-mood", text: "Mood* (required)" },
      { for: "field-followed_plan", text: "Followed the plan" },
    ]);
    const weight = control(form, "current_weight");
    expect([weight.type, weight.min, weight.max, weight.step, weight.value]).to.deep.equal([
      "number",
      "20",
      "400",
      "0.1",
      "80.5",
    ]);
    expect(weight.getAttribute("aria-describedby")).to.equal(
      "desc-current_weight err-current_weight",
    );
    expect(shadowText(form, "#desc-current_weight")).to.equal("Your weight this morning");
    expect(control(form, "last_checkin").value).to.equal("2026-02-01");
    expect(control<HTMLTextAreaElement>(form, "notes").value).to.equal("Felt good");
    const mood = control<HTMLSelectElement>(form, "mood");
    expect([mood.value, mood.required]).to.deep.equal(["okay", true]);
    expect([...mood.options].map((option) => option.textContent!.trim())).to.deep.equal([
      "—",
      "Great",
      "Okay",
      "Low",
    ]);
    expect(control<HTMLSelectElement>(form, "followed_plan").value).to.equal("false");
    // Fields the customer may not write are not offered; hidden ones not even named.
    expect(form.shadowRoot!.querySelector("#field-goal_weight, #field-coach_notes")).to.equal(null);
  });

  it("names a read-only field's value by its label and speaks field messages politely", async () => {
    const session = await newCustomer("form-read-only", trackerCalls({ goal_weight: 72.5 }));
    const { root, element: form } = await mountForm(
      session,
      html`<crm-form slug="tracker" fields="goal_weight,current_weight"></crm-form>`,
    );
    const value = form.shadowRoot!.querySelector(".readonly")!;
    expect(value.getAttribute("role")).to.equal("group");
    const label = form.shadowRoot!.getElementById(value.getAttribute("aria-labelledby")!)!;
    expect(label.textContent).to.equal("Goal weight");
    expect(value.textContent!.trim()).to.equal("72.5 kg");
    expect(
      form.shadowRoot!.querySelector("#err-current_weight")!.getAttribute("aria-live"),
    ).to.equal("polite");
    await expectAccessible(root);
  });

  it("validates as the user types with the proxy's own messages, once a field was left", async () => {
    const session = await newSession("form-messages");
    const { element: form, runtime } = await mountForm(session);
    const cases: [string, string, unknown][] = [
      ["current_weight", "12.25", 12.25],
      ["last_checkin", "1999-12-31", "1999-12-31"],
      ["notes", "n".repeat(41), "n".repeat(41)],
    ];
    for (const [key, typed, wireValue] of cases) {
      const input = control(form, key);
      type(input, typed);
      await form.updateComplete;
      expect(fieldError(form, key), "no message before the field was left").to.equal("");
      input.dispatchEvent(new Event("blur"));
      await form.updateComplete;
      const shown = fieldError(form, key);
      const refused = (await runtime
        .setCrmField({ slug: "tracker", fieldKey: key, value: wireValue as never })
        .catch((error: unknown) => error)) as { message: string; field: string };
      expect(shown).not.to.equal("");
      expect(refused.field).to.equal(key);
      expect(refused.message).to.equal(`${key}: ${shown}`);
      expect(input.getAttribute("aria-invalid")).to.equal("true");
    }
  });

  it("keeps what is typed into a number input while the browser cannot read it as a number", async () => {
    const session = await newSession("form-unreadable-number");
    const { element: form } = await mountForm(session);
    const weight = control(form, "current_weight");
    weight.focus();
    // On its way to "8e1" (80): for now no number, and the browser reads the input as "".
    await sendKeys({ type: "8e" });
    await form.updateComplete;
    expect(weight.validity.badInput, "the typed text is still there, unreadable").to.equal(true);
    await form.submit();
    expect(fieldError(form, "current_weight")).to.equal("Must be a number");
    weight.focus();
    await sendKeys({ type: "1" });
    await form.updateComplete;
    expect(weight.value, "typed on after the submit").to.equal("8e1");
    expect(fieldError(form, "current_weight")).to.equal("");
  });

  it("refuses a date left incomplete, rather than saving the last complete date it held", async () => {
    const session = await newCustomer("form-incomplete-date", trackerCalls({ mood: "great" }));
    const { element: form } = await mountForm(session);
    const date = control(form, "last_checkin");
    date.focus();
    await sendKeys({ type: "05012024" });
    await form.updateComplete;
    expect(date.value, "a complete date typed").to.equal("2024-05-01");
    // Clears the year: the control shows 05/01/yyyy, which the browser cannot read as a date.
    await sendKeys({ press: "Backspace" });
    await form.updateComplete;
    expect(date.validity.badInput, "a segment is empty").to.equal(true);
    await form.submit();
    expect(fieldError(form, "last_checkin")).to.equal("Must be a date written YYYY-MM-DD");
    const stored = await runtimeFor(session).getCrmField({
      slug: "tracker",
      fieldKey: "last_checkin",
    });
    expect(stored.value, "nothing saved").to.equal(null);
  });

  it("refuses to submit invalid input: no request, messages on the fields, focus on the first", async () => {
    const session = await newSession("form-invalid");
    const { element: form, runtime } = await mountForm(session);
    type(control(form, "notes"), "n".repeat(41));
    const spy = countBatchRequests(runtime);
    try {
      await form.submit();
      expect(spy.count).to.equal(0);
    } finally {
      spy.restore();
    }
    expect(fieldError(form, "mood")).to.equal("Required");
    expect(fieldError(form, "notes")).to.equal("Must be at most 40 characters");
    expect(activeKey(form)).to.equal("notes");
    expect(shadowText(form, "[part=form-status]")).to.equal(
      "Please correct the highlighted fields.",
    );
  });

  it("is filled in and submitted with the keyboard alone, all changes in one batch request", async () => {
    const session = await newSession("form-keyboard");
    const { element: form, runtime } = await mountForm(session);
    control(form, "current_weight").focus();
    await sendKeys({ type: "78.2" });
    await sendKeys({ press: "Tab" });
    expect(activeKey(form)).to.equal("last_checkin");
    // Chromium's date input (en-US): month, day and year segments, advanced by typing.
    await sendKeys({ type: "03152026" });
    expect(control(form, "last_checkin").value).to.equal("2026-03-15");
    // Tab walks the date's segments before it leaves the input.
    for (let presses = 0; presses < 4 && activeKey(form) === "last_checkin"; presses++) {
      await sendKeys({ press: "Tab" });
    }
    expect(activeKey(form)).to.equal("notes");
    await sendKeys({ type: "Back on track" });
    await sendKeys({ press: "Tab" });
    expect(activeKey(form)).to.equal("mood");
    await sendKeys({ type: "G" });
    await sendKeys({ press: "Tab" });
    await sendKeys({ type: "Y" });
    await sendKeys({ press: "Tab" });
    expect(form.shadowRoot!.activeElement?.getAttribute("part")).to.equal("submit");
    const spy = countBatchRequests(runtime);
    const saved = oneEvent(form, "crm-save") as Promise<CrmSaveEvent>;
    try {
      await sendKeys({ press: "Enter" });
      const { detail } = await saved;
      expect(detail.fields.map((field) => [field.fieldKey, field.value])).to.deep.equal([
        ["current_weight", 78.2],
        ["last_checkin", "2026-03-15"],
        ["notes", "Back on track"],
        ["mood", "great"],
        ["followed_plan", true],
      ]);
      expect(spy.count).to.equal(1);
      expect((spy.bodies[0] as { calls: unknown[] }).calls).to.have.length(5);
    } finally {
      spy.restore();
    }
    await waitUntil(() => shadowText(form, "[part=form-status]") === "Saved");
    const stored = await runtimeFor(session).getCrmEntries({ slug: "tracker" });
    expect(stored[0]!.values).to.deep.include({
      current_weight: 78.2,
      notes: "Back on track",
      mood: "great",
    });
  });

  it("shows the proxy's refusal on its field, keeps the input, saves the rest and focuses the refused field", async () => {
    const { session, slug, form } = await scoreOverNewLimit("form-refused");
    type(control(form, "note"), "Fine");
    const refused = oneEvent(form, "crm-save-error");
    const submitting = form.submit();
    await form.updateComplete;
    expect(shadowText(form, "[part=submit]")).to.equal("Saving…");
    expect(form.shadowRoot!.querySelector("[part=submit]")!.getAttribute("aria-disabled")).to.equal(
      "true",
    );
    const { detail } = await refused;
    await submitting;
    expect(Object.keys(detail.errors)).to.deep.equal(["score"]);
    expect(detail.errors.score!.code).to.equal("invalid_value");
    expect(fieldError(form, "score")).to.equal("Must be at most 50");
    expect(control(form, "score").value).to.equal("75");
    expect(activeKey(form)).to.equal("score");
    expect(shadowText(form, "[part=form-status]")).to.equal(
      "Your changes were not saved. Your input is kept; try again.",
    );
    const stored = await runtimeFor(session).getCrmField({ slug, fieldKey: "note" });
    expect(stored.value).to.equal("Fine");
  });

  it("takes a value another widget saved into a field the user has not touched", async () => {
    const session = await newCustomer("form-shared", trackerCalls({ mood: "okay" }));
    const { root, element: form } = await mountForm(
      session,
      html`<crm-field slug="tracker" field="mood" editable></crm-field>
        <crm-form slug="tracker" fields="mood,notes"></crm-form>`,
    );
    const field = root.querySelector("crm-field")!;
    await shadowPart(field, "[part=value]");
    type(control<HTMLTextAreaElement>(form, "notes"), "typing…");
    field.startEditing();
    const select = await shadowPart<HTMLSelectElement>(field, "[part=input]");
    select.value = "low";
    select.dispatchEvent(new Event("change"));
    await field.commit();
    await waitUntil(
      () => control<HTMLSelectElement>(form, "mood").value === "low",
      "the form kept the old value",
    );
    expect(control<HTMLTextAreaElement>(form, "notes").value).to.equal("typing…");
  });

  it("saves on a mouse click on Save after a refused save: leaving the refused field moves nothing", async () => {
    const { form, limitScore } = await scoreOverNewLimit("form-mouse-refused");
    await form.submit();
    expect(fieldError(form, "score")).to.equal("Must be at most 50");
    expect(activeKey(form)).to.equal("score");
    // The site owner raises the limit again; the customer clicks Save near its lower edge.
    await limitScore(100);
    const before = submitButton(form).getBoundingClientRect();
    const saved = oneEvent(form, "crm-save") as Promise<CrmSaveEvent>;
    try {
      await sendMouse({ type: "move", position: pointOnSubmit(form, -3) });
      await sendMouse({ type: "down" });
      await form.updateComplete;
      expect(activeKey(form), "pressing the button left the score input").not.to.equal("score");
      expect(fieldError(form, "score"), "the proxy's refusal still stands").to.equal(
        "Must be at most 50",
      );
      expect(submitButton(form).getBoundingClientRect().top).to.equal(before.top);
      await sendMouse({ type: "up" });
      const { detail } = await saved;
      expect(detail.fields.map((field) => [field.fieldKey, field.value])).to.deep.equal([
        ["score", 75],
      ]);
    } finally {
      await resetMouse();
    }
    await waitUntil(() => shadowText(form, "[part=form-status]") === "Saved");
    expect(fieldError(form, "score")).to.equal("");
  });

  it("keeps Save under the pointer when leaving a field reveals its message", async () => {
    const session = await newSession("form-mouse-reveal");
    const { element: form, runtime } = await mountForm(session);
    const notes = control<HTMLTextAreaElement>(form, "notes");
    notes.focus();
    type(notes, "n".repeat(41));
    await form.updateComplete;
    expect(fieldError(form, "notes"), "no message while typing").to.equal("");
    const spy = countBatchRequests(runtime);
    try {
      // Near the top edge: a message appearing above would push the button down, away from it.
      await sendMouse({ type: "click", position: pointOnSubmit(form, 3) });
      await waitUntil(
        () => shadowText(form, "[part=form-status]") === "Please correct the highlighted fields.",
        "the click did not reach Save",
      );
      expect(spy.count).to.equal(0);
    } finally {
      spy.restore();
      await resetMouse();
    }
    expect(fieldError(form, "notes")).to.equal("Must be at most 40 characters");
    expect(fieldError(form, "mood")).to.equal("Required");
  });

  it("shows one form-level message with Retry when the proxy cannot be reached, and keeps the input", async () => {
    const session = await newSession("form-unreachable");
    const { root, element: form, runtime } = await mountForm(session);
    type(control(form, "current_weight"), "79.5");
    type(control<HTMLTextAreaElement>(form, "notes"), "Typed while offline");
    type(control<HTMLSelectElement>(form, "mood"), "great");
    const backOnline = goOffline(runtime);
    const refused = oneEvent(form, "crm-save-error");
    await form.submit();
    const { detail } = await refused;
    backOnline();
    expect(detail.error.code).to.equal("unavailable");
    expect(detail.errors, "no field was refused").to.deep.equal({});
    for (const key of ["current_weight", "last_checkin", "notes", "mood", "followed_plan"]) {
      expect(fieldError(form, key), key).to.equal("");
      expect(control(form, key).getAttribute("aria-invalid"), key).to.equal("false");
    }
    expect(shadowText(form, "[part=form-status]")).to.equal(
      "Not saved: the CRM service cannot be reached. Your input is kept.",
    );
    expect(control(form, "current_weight").value).to.equal("79.5");
    expect(control<HTMLTextAreaElement>(form, "notes").value).to.equal("Typed while offline");
    expect(control<HTMLSelectElement>(form, "mood").value).to.equal("great");
    await expectAccessible(root);
    await screenshot(root, "crm-form-unreachable");

    const saved = oneEvent(form, "crm-save") as Promise<CrmSaveEvent>;
    form.shadowRoot!.querySelector<HTMLButtonElement>("[part=retry]")!.click();
    expect((await saved).detail.fields.map((field) => field.fieldKey)).to.deep.equal([
      "current_weight",
      "notes",
      "mood",
    ]);
    await waitUntil(() => shadowText(form, "[part=form-status]") === "Saved");
    expect(form.shadowRoot!.querySelector("[part=retry]")).to.equal(null);
    const stored = await runtimeFor(session).getCrmEntries({ slug: "tracker" });
    expect(stored[0]!.values).to.deep.include({
      current_weight: 79.5,
      notes: "Typed while offline",
    });
  });

  it("says the proxy cannot be reached in German for de-DE", async () => {
    const session = await newSession("form-unreachable-de");
    const { element: form, runtime } = await mountForm(
      session,
      html`<crm-form slug="tracker" fields="notes"></crm-form>`,
      runtimeFor(session, "de-DE"),
    );
    type(control<HTMLTextAreaElement>(form, "notes"), "Offline");
    const backOnline = goOffline(runtime);
    try {
      await form.submit();
    } finally {
      backOnline();
    }
    expect(shadowText(form, "[part=form-status]")).to.equal(
      "Nicht gespeichert: Der CRM-Dienst ist nicht erreichbar. Ihre Eingaben bleiben erhalten.",
    );
    expect(shadowText(form, "[part=retry]")).to.equal("Erneut versuchen");
  });

  it("is captured in light and dark", async () => {
    const session = await newCustomer(
      "form-shot",
      trackerCalls({ current_weight: 80.5, last_checkin: "2026-02-01" }),
    );
    const { root, element: form } = await mountForm(session);
    type(control<HTMLTextAreaElement>(form, "notes"), "n".repeat(45));
    await form.submit();
    await screenshot(root, "crm-form");
  });
});
