import { html, nothing, type TemplateResult } from "lit";
import type {
  CrmEntry,
  CrmErrorBody,
  CrmFieldValue,
  EntityDefinition,
  FieldDefinition,
} from "#domain/browser";
import { CrmError, ownValue } from "#domain/browser";
import { asCrmError, fieldMessage } from "../../runtime/errors.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement, states } from "../crm-data-element.ts";
import { defineElement } from "../define.ts";
import { emit } from "../events.ts";
import { FieldEditor } from "../field-editor.ts";
import { entityWithEntries, listedFields } from "../field-list.ts";
import { formatValue, unitLabel } from "../format.ts";
import { renderFieldControl } from "../inputs.ts";
import { words } from "../messages.ts";
import { styles } from "./crm-form.styles.ts";

interface FormData {
  entity: EntityDefinition;
  entry: CrmEntry | undefined;
  fields: FieldDefinition[];
}

type FormStatus = "idle" | "saving" | "saved" | "failed" | "invalid" | "unchanged";

/** The form's own words. */
const formWord = words(
  {
    formInvalid: "Please correct the highlighted fields.",
    formFailed: "Your changes were not saved. Your input is kept; try again.",
    formNothing: "Nothing to save.",
    formNotSent: "Not saved: {message}. Your input is kept.",
    unreachable: "the CRM service cannot be reached",
    formUnknown:
      "Your changes may have been saved: the CRM service did not confirm them. Check again before repeating; your input is kept.",
    save: "Save",
    saved: "Saved",
    required: "required",
  },
  [
    "Bitte korrigieren Sie die markierten Felder.",
    "Ihre Änderungen wurden nicht gespeichert. Ihre Eingaben bleiben erhalten.",
    "Nichts zu speichern.",
    "Nicht gespeichert: {message}. Ihre Eingaben bleiben erhalten.",
    "Der CRM-Dienst ist nicht erreichbar",
    "Ihre Änderungen sind vielleicht gespeichert: der CRM-Dienst hat sie nicht bestätigt. Bitte prüfen Sie, bevor Sie sie wiederholen; Ihre Eingaben bleiben erhalten.",
    "Speichern",
    "Gespeichert",
    "Pflichtfeld",
  ],
);

const statusMessages: Partial<Record<FormStatus, "formFailed" | "formInvalid" | "formNothing">> = {
  failed: "formFailed",
  invalid: "formInvalid",
  unchanged: "formNothing",
};

/**
 * A self-service form generated from an entity's field definitions (text,
 * number, date, yes/no, select), prefilled with the customer's current values
 * and validated as they type with the same rules and messages as the proxy.
 * Submitting saves every changed field in one request; fields the proxy
 * refuses show its message, keep the input, and the first gets focus. When
 * the proxy cannot be reached, one message with a Retry button says so.
 *
 * @tagname crm-form
 * @summary A check-in form for the session customer's entry.
 *
 * @event {CrmChangeEvent} crm-change - A field's value was committed by the user; `detail: { slug, fieldKey, value, previousValue }` (once per changed field on submit).
 * @event {CrmSaveEvent} crm-save - Every changed field was saved; `detail: { slug, fields: CrmFieldValue[] }`.
 * @event {CrmSaveErrorEvent} crm-save-error - Some or all fields were refused; `detail: { slug, error, errors: { [fieldKey]: error } }`.
 * @event {CrmLoadErrorEvent} crm-load-error - The form could not be loaded; `detail: { error }`.
 *
 * @slot heading - Replaces the heading (default: the entity's name).
 * @slot submit-label - Replaces the submit button's text.
 *
 * @csspart form - The form box.
 * @csspart heading - The heading.
 * @csspart field - One label + input + messages group.
 * @csspart label - A field's label.
 * @csspart description - A field's description.
 * @csspart input - A field's input, select or textarea.
 * @csspart field-error - A field's validation or server message.
 * @csspart actions - The row with the submit button and the status.
 * @csspart submit - The submit button.
 * @csspart form-status - "Saved", or the failure summary.
 * @csspart retry - Sends the form again after a failure of the whole form; also the load error's retry.
 * @csspart error - A load error.
 * @csspart skeleton - The loading placeholder.
 *
 * @cssproperty --crm-form-padding - Inner spacing of the form box.
 * @cssproperty --crm-form-input-width - Maximum width of inputs.
 * @cssproperty --crm-spacing - Gap between fields.
 * @cssproperty --crm-color-text - Text color.
 * @cssproperty --crm-color-muted - Descriptions and units.
 * @cssproperty --crm-color-surface - Form background.
 * @cssproperty --crm-color-border - Borders.
 * @cssproperty --crm-color-accent - Submit button and focus ring.
 * @cssproperty --crm-color-on-accent - Submit button text.
 * @cssproperty --crm-color-danger - Errors and the required mark.
 * @cssproperty --crm-color-success - The "Saved" status.
 * @cssproperty --crm-radius - Corner radius.
 */
export class CrmForm extends CrmDataElement<FormData, [string, string, string]> {
  static override properties = {
    slug: { reflect: true },
    fields: { reflect: true },
    entryId: { attribute: "entry-id", reflect: true },
    noHeading: { attribute: "no-heading", type: Boolean, reflect: true },
    ...states("status", "formError", "formOutcomeUnknown"),
  };

  static override styles = styles;

  /** The entity's slug, as in CRM settings. */
  slug = "";

  /** Comma-separated field keys, in order; default: every field the customer may write. */
  fields = "";

  /** The entry to edit, for entities with several entries per customer. */
  entryId = "";

  /** Hides the heading (the entity's name). */
  noHeading = false;

  private status: FormStatus = "idle";
  /** Why the last save failed as a whole (no field concerned), e.g. the proxy unreachable. */
  private formError = "";
  /** The last save failed without saying whether it was stored (`outcome_unknown`). */
  private formOutcomeUnknown = false;
  /** Each field's edit, by key: draft, message, and the value the proxy last confirmed. */
  readonly #editors = new Map<string, FieldEditor>();

  protected override loadArgs(): [string, string, string] {
    return [this.slug, this.fields, this.entryId];
  }

  protected override async load(
    runtime: CrmRuntime,
    slug: string,
    fieldKeys: string,
    entryId: string,
  ): Promise<FormData> {
    const [entity, entries] = await entityWithEntries(runtime, slug);
    if (entity.entriesPerReference === "many" && !entryId) {
      throw new CrmError(
        "invalid_request",
        `Set entry-id: ${entity.name} has several entries per customer`,
      );
    }
    const entry = entryId ? entries.find((candidate) => candidate.id === entryId) : entries[0];
    if (entryId && !entry) throw new CrmError("entry_not_found", "Entry not found");
    const fields = listedFields(entity, fieldKeys, (all) =>
      all.filter((field) => field.customerAccess === "write"),
    );
    return { entity, entry, fields };
  }

  /** New server values replace drafts the user has not changed; their own input stays. */
  protected override loaded({ fields, entry }: FormData): void {
    for (const field of fields) {
      const server = ownValue(entry?.values, field.key) ?? null;
      const editor = this.#editors.get(field.key);
      if (editor) {
        editor.field = field;
        editor.sync(server);
      } else this.#editors.set(field.key, new FieldEditor(this, field, server));
    }
  }

  protected override renderLoading(): TemplateResult {
    const count = this.fields.split(",").filter((key) => key.trim()).length || 3;
    return html`<div part="skeleton" class="loading" aria-busy="true">
      <span class="skeleton sk-label"></span>
      ${Array.from(
        { length: count },
        () =>
          html`<div class="sk-field">
            <span class="skeleton sk-label"></span><span class="skeleton sk-input"></span>
          </div>`,
      )}
      <span class="skeleton sk-button"></span>
      <span class="sr-only">${this.t("loading")}</span>
    </div>`;
  }

  protected override renderError(error: CrmError): TemplateResult {
    return html`<div class="error-box">${super.renderError(error)}</div>`;
  }

  protected override isEmpty(value: FormData): boolean {
    return value.fields.length === 0;
  }

  protected override renderEmpty(): TemplateResult {
    return html`<div part="empty" class="empty-box">${formWord(this.locale, "formNothing")}</div>`;
  }

  protected override renderValue({ entity, fields, entry }: FormData): TemplateResult {
    const saving = this.status === "saving";
    return html`<form part="form" novalidate aria-busy=${saving} @submit=${this.#onSubmit}>
      ${
        this.noHeading
          ? nothing
          : html`<h2 part="heading" class="heading"><slot name="heading">${entity.name}</slot></h2>`
      }
      ${fields.map((field) => this.#renderField(field, entry))}
      <div part="actions" class="actions">
        <button
          part="submit"
          class="submit"
          type="submit"
          aria-disabled=${saving ? "true" : "false"}
        >
          ${
            saving
              ? html`<span class="spinner" aria-hidden="true"></span> ${this.t("saving")}`
              : html`<slot name="submit-label">${formWord(this.locale, "save")}</slot>`
          }
        </button>
        <span class="outcome"
          ><span part="form-status" class="form-status ${this.status}" role="status"
            >${this.#statusText()}</span
          >${
            this.formError
              ? html`<button part="retry" class="retry" type="button" @click=${this.#resend}>
                  ${this.t("retry")}
                </button>`
              : nothing
          }</span
        >
      </div>
    </form>`;
  }

  #statusText(): string {
    if (this.formOutcomeUnknown) return formWord(this.locale, "formUnknown");
    if (this.formError) return formWord(this.locale, "formNotSent", { message: this.formError });
    if (this.status === "saved") return formWord(this.locale, "saved");
    const key = statusMessages[this.status];
    return key ? formWord(this.locale, key) : "";
  }

  /** Sends the form again after a failure that concerned no field (the proxy unreachable). */
  #resend = (): void => {
    // The Retry button goes away while saving: the focus moves to the Save button first.
    this.renderRoot.querySelector<HTMLElement>("[part=submit]")?.focus();
    void this.submit();
  };

  #renderField(field: FieldDefinition, entry: CrmEntry | undefined): TemplateResult {
    const id = `field-${field.key}`;
    const unit = field.type === "number" && field.unit ? unitLabel(field.unit, this.locale) : "";
    const label = html`<label part="label" for=${id}
      >${field.label}${unit ? html` <span class="unit">(${unit})</span>` : nothing}${
        field.required
          ? html`<span class="required" aria-hidden="true">*</span><span class="sr-only">
                (${formWord(this.locale, "required")})</span
              >`
          : nothing
      }</label
    >`;
    const editor = this.#editors.get(field.key);
    if (field.customerAccess !== "write" || !editor) {
      return html`<div part="field" class="field">
        <span part="label" class="label" id=${id}>${field.label}</span>
        <span class="readonly" role="group" aria-labelledby=${id}
          >${formatValue(field, ownValue(entry?.values, field.key) ?? null, this.locale) || this.t("empty")}</span
        >
      </div>`;
    }
    const error = editor.shown ? editor.message : "";
    return html`<div part="field" class="field">
      ${label}
      <span part="description" class="description" id="desc-${field.key}">${field.description ?? ""}</span>
      ${renderFieldControl(field, {
        id,
        draft: editor.draft,
        locale: this.locale,
        invalid: error !== "",
        describedBy: `desc-${field.key} err-${field.key}`,
        onInput: (event) => this.#onInput(editor, event),
        onBlur: () => this.#onBlur(editor),
      })}
      <span part="field-error" class="field-error" id="err-${field.key}" aria-live="polite"
        >${error}</span
      >
    </div>`;
  }

  #onInput(editor: FieldEditor, event: Event): void {
    editor.input(event);
    if (this.status === "saved" || this.status === "unchanged") this.status = "idle";
  }

  /**
   * Messages appear once a changed field was left (or the form submitted), then follow the
   * typing. Leaving a field never changes its message: the proxy's refusal stands until the
   * input changes, and the Save button the pointer is pressing does not move.
   */
  #onBlur(editor: FieldEditor): void {
    if (!editor.shown && editor.changed() !== undefined) editor.show();
  }

  #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.submit();
  };

  /** Validates every field, then saves the changed ones in one batch request. */
  async submit(): Promise<void> {
    const data = this.current;
    if (!data || this.status === "saving") return;
    const editors = data.fields.flatMap((field) => {
      const editor = this.#editors.get(field.key);
      return field.customerAccess === "write" && editor ? [editor] : [];
    });
    this.formError = "";
    this.formOutcomeUnknown = false;
    let valid = true;
    for (const editor of editors) {
      valid = editor.check().ok && valid;
      editor.show();
    }
    if (!valid) {
      this.status = "invalid";
      await this.#focusFirstInvalid(editors);
      return;
    }
    const changed = editors.flatMap((editor) => {
      const value = editor.changed();
      return value === undefined ? [] : [{ editor, value }];
    });
    if (changed.length === 0) {
      this.status = "unchanged";
      return;
    }
    this.status = "saving";
    const entryId = this.entryId || undefined;
    for (const { editor, value } of changed) {
      emit(this, "crm-change", {
        slug: this.slug,
        fieldKey: editor.field.key,
        value,
        previousValue: editor.saved,
      });
    }
    // Issued in one task, so the runtime sends them as one batch request.
    const outcomes = await Promise.allSettled(
      changed.map(({ editor, value }) =>
        this.runtime.setCrmField({ slug: this.slug, fieldKey: editor.field.key, value, entryId }),
      ),
    );
    const saved: CrmFieldValue[] = [];
    const refused: Record<string, CrmErrorBody> = {};
    let formFailure: CrmErrorBody | undefined;
    outcomes.forEach((outcome, index) => {
      const editor = changed[index]!.editor;
      const key = editor.field.key;
      if (outcome.status === "fulfilled") {
        saved.push(outcome.value);
        editor.saved = outcome.value.value;
        return;
      }
      const body = asCrmError(outcome.reason).toJSON();
      // Only an error naming this field belongs under it; the proxy being unreachable (or a
      // session problem) concerns the whole form and is said once.
      if (body.field === key) {
        refused[key] = body;
        editor.show(fieldMessage(body));
      } else formFailure ??= body;
    });
    const failure = Object.values(refused)[0] ?? formFailure;
    if (!failure) {
      this.status = "saved";
      emit(this, "crm-save", { slug: this.slug, fields: saved });
      return;
    }
    this.status = "failed";
    this.formOutcomeUnknown = [formFailure, ...Object.values(refused)].some(
      (body) => body?.code === "outcome_unknown",
    );
    if (formFailure) {
      this.formError =
        formFailure.code === "unavailable"
          ? formWord(this.locale, "unreachable")
          : formFailure.message.replace(/\.$/, "");
    }
    emit(this, "crm-save-error", { slug: this.slug, error: failure, errors: refused });
    await this.#focusFirstInvalid(editors);
  }

  async #focusFirstInvalid(editors: FieldEditor[]): Promise<void> {
    await this.updateComplete;
    const first = editors.find((editor) => editor.message);
    if (first) this.renderRoot.querySelector<HTMLElement>(`#field-${first.field.key}`)?.focus();
  }
}

defineElement("crm-form")(CrmForm);

declare global {
  interface HTMLElementTagNameMap {
    "crm-form": CrmForm;
  }
}
