import { html, nothing, type PropertyValues, type TemplateResult } from "lit";
import type { CrmFieldValue, FieldDefinition, FieldValue } from "#domain/browser";
import { asCrmError, fieldMessage } from "../../runtime/errors.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement, states } from "../crm-data-element.ts";
import { defineElement } from "../define.ts";
import { emit } from "../events.ts";
import { FieldEditor } from "../field-editor.ts";
import { colorStyle, formatValue, isEmptyValue } from "../format.ts";
import { renderFieldControl } from "../inputs.ts";
import { words } from "../messages.ts";
import { styles } from "./crm-field.styles.ts";

interface FieldData {
  field: FieldDefinition;
  value: CrmFieldValue;
  /** The two newest recorded values, newest first (only with `show-change` on a history field). */
  recent: FieldValue[];
}

const changeWord = words({ change: "{change} since last time" }, ["{change} seit dem letzten Mal"]);

const pencil = html`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
  <path d="M11.5 1.6a1.6 1.6 0 0 1 2.3 0l.6.6a1.6 1.6 0 0 1 0 2.3L5.2 13.7 1.5 14.5l.8-3.7z" />
</svg>`;

/**
 * Shows one CRM field of the session customer, formatted for the locale, and
 * optionally lets them edit it in place (Enter or leaving the input saves,
 * Escape cancels).
 *
 * @tagname crm-field
 * @summary One CRM field value, read-only or inline-editable.
 *
 * @event {CrmChangeEvent} crm-change - The user committed a new value; `detail: { slug, fieldKey, value, previousValue }`.
 * @event {CrmSaveEvent} crm-save - The proxy saved it; `detail: { slug, fields: [CrmFieldValue] }`.
 * @event {CrmSaveErrorEvent} crm-save-error - The proxy refused it (the previous value is shown again); `detail: { slug, error, errors }`.
 * @event {CrmLoadErrorEvent} crm-load-error - The value could not be loaded; `detail: { error }`.
 *
 * @csspart base - The wrapper of value, button and messages.
 * @csspart value - The formatted value.
 * @csspart placeholder - Shown instead of the value when the field is empty.
 * @csspart edit-button - The pencil button that starts editing.
 * @csspart input - The input, select or textarea while editing.
 * @csspart message - The validation message while editing.
 * @csspart status - The "Saving…" status.
 * @csspart error - A load or save error.
 * @csspart retry - The retry button of the load error.
 * @csspart skeleton - The loading placeholder.
 * @csspart change - The change since the previous value (with `show-change`).
 *
 * @cssproperty --crm-color-text - Text color of inputs (the value inherits the page's color).
 * @cssproperty --crm-color-muted - Placeholder and secondary text.
 * @cssproperty --crm-color-accent - Focus ring and hover accent.
 * @cssproperty --crm-color-danger - Validation and error messages.
 * @cssproperty --crm-color-border - Input borders and the editable underline.
 * @cssproperty --crm-color-surface - Input background.
 * @cssproperty --crm-color-skeleton - Loading placeholder.
 * @cssproperty --crm-radius - Corner radius.
 * @cssproperty --crm-field-value-weight - Font weight of the value.
 * @cssproperty --crm-field-skeleton-width - Width of the loading placeholder (match your typical value).
 */
export class CrmField extends CrmDataElement<FieldData, [string, string, string, boolean]> {
  static override properties = {
    slug: { reflect: true },
    field: { reflect: true },
    entryId: { attribute: "entry-id", reflect: true },
    editable: { type: Boolean, reflect: true },
    placeholder: { reflect: true },
    showChange: { attribute: "show-change", type: Boolean, reflect: true },
    ...states("editing", "saving", "saveError", "saveOutcomeUnknown"),
  };

  static override styles = styles;

  /** The entity's slug, as in CRM settings. */
  slug = "";

  /** The field's key. */
  field = "";

  /** The entry to show, for entities with several entries per customer. */
  entryId = "";

  /** Lets the customer edit the value in place (when the field is writable for them). */
  editable = false;

  /** Text shown when the field has no value (default: a localized "Not set"). */
  placeholder = "";

  /**
   * Shows the change since the previous value ("−0.6 kg since last time") for a
   * number field that keeps history; nothing while there is no previous value.
   */
  showChange = false;

  private editing = false;
  private saving = false;
  private saveError = "";
  /** The last save failed without saying whether it was stored (`outcome_unknown`). */
  private saveOutcomeUnknown = false;
  /** The inline edit, from `startEditing` on. */
  #editor: FieldEditor | undefined;

  protected override loadArgs(): [string, string, string, boolean] {
    return [this.slug, this.field, this.entryId, this.showChange];
  }

  protected override async load(
    runtime: CrmRuntime,
    slug: string,
    fieldKey: string,
    entry: string,
    showChange: boolean,
  ): Promise<FieldData> {
    const entryId = entry || undefined;
    const [[field, recent], value] = await Promise.all([
      // Only the field's definition says whether it keeps history. A definition the page has
      // already read resolves before the batch leaves, so the history read joins the field's.
      runtime.getCrmEntity({ slug }).then(async (entity) => {
        const field = entity.fields.find((candidate) => candidate.key === fieldKey);
        if (!field)
          throw asCrmError({ code: "field_not_found", message: `Unknown field ${fieldKey}` });
        const keepsChanges = showChange && field.type === "number" && field.history;
        const history = keepsChanges
          ? await runtime.getCrmFieldHistory({ slug, fieldKey, entryId, order: "desc", limit: 2 })
          : { points: [] };
        return [field, history.points.map((point) => point.value)] as const;
      }),
      runtime.getCrmField({ slug, fieldKey, entryId }),
    ]);
    return { field, value, recent };
  }

  /**
   * The field's current value, as last loaded (or optimistically written). It
   * comes from the CRM: an assignment (frameworks such as React 19 assign every
   * prop they are given) is ignored instead of throwing; change the value with
   * `setCrmField` or by letting the customer edit it.
   */
  get value(): FieldValue | undefined {
    return this.current?.value.value;
  }

  set value(_ignored: FieldValue | undefined) {}

  protected override renderLoading(): TemplateResult {
    return html`<span part="base" class="field" aria-busy="true"
      ><span part="skeleton" class="skeleton"></span><span class="sr-only">${this.t("loading")}</span></span
    >`;
  }

  protected override renderValue({ field, value, recent }: FieldData): TemplateResult {
    const canEdit = this.editable && field.customerAccess === "write";
    const change = this.#change(field, value.value, recent);
    return html`<span part="base" class="field ${canEdit ? "editable" : ""}" aria-busy=${this.saving}>
      ${this.editing && this.#editor ? this.#renderEditor(this.#editor, change) : this.#renderDisplay(field, value.value, canEdit)}
      ${change ? html`<span id="change" part="change" class="change">${change}</span>` : nothing}
      ${this.renderSaveState(this.saving, this.saveError, this.saveOutcomeUnknown)}
    </span>`;
  }

  /**
   * "−0.6 kg since last time": the shown value against the value recorded before it. A value
   * saved on this page shows before history has its record, so then the newest record is the
   * previous one.
   */
  #change(field: FieldDefinition, value: FieldValue, recent: FieldValue[]): string {
    const previous = recent[0] === value ? recent[1] : recent[0];
    if (typeof value !== "number" || typeof previous !== "number") return "";
    const difference = value - previous;
    // A real minus sign: Intl writes a hyphen-minus for most locales.
    const sign = difference > 0 ? "+" : difference < 0 ? "\u2212" : "";
    const amount = sign + formatValue(field, Math.abs(difference), this.locale);
    return changeWord(this.locale, "change", { change: amount });
  }

  #renderDisplay(field: FieldDefinition, value: FieldValue, canEdit: boolean): TemplateResult {
    const text = formatValue(field, value, this.locale);
    const option =
      field.type === "select"
        ? field.options.find((candidate) => candidate.value === value)
        : undefined;
    const shown = isEmptyValue(value)
      ? html`<span part="placeholder" class="placeholder" @click=${canEdit ? this.startEditing : nothing}
          >${this.placeholder || this.t("empty")}</span
        >`
      : html`<span part="value" class="value" @click=${canEdit ? this.startEditing : nothing}
          >${
            option?.color
              ? html`<span class="swatch" .style=${colorStyle("--_swatch", option.color)}></span>`
              : nothing
          }${text}</span
        >`;
    if (!canEdit) return shown;
    return html`${shown}<button
        part="edit-button"
        class="edit-button"
        type="button"
        aria-label=${this.t("edit", { label: field.label })}
        title=${this.t("edit", { label: field.label })}
        aria-disabled=${this.saving ? "true" : "false"}
        @click=${this.startEditing}
      >
        ${pencil}
      </button>`;
  }

  #renderEditor(editor: FieldEditor, change: string): TemplateResult {
    const field = editor.field;
    return html`<span class="editor">
      ${renderFieldControl(field, {
        id: "input",
        draft: editor.draft,
        locale: this.locale,
        label: field.label,
        invalid: editor.message !== "",
        describedBy: change ? "message change" : "message",
        onInput: (event) => editor.input(event),
        onKeyDown: this.#onKeyDown,
        onBlur: this.#onBlur,
      })}
      <span id="message" part="message" class="message" aria-live="polite">${editor.message}</span>
    </span>`;
  }

  /** Opens the inline editor (when `editable` and the field is writable). */
  startEditing = (): void => {
    const data = this.current;
    if (!data || this.saving || !this.editable || data.field.customerAccess !== "write") return;
    this.#editor = new FieldEditor(this, data.field, data.value.value);
    this.saveError = "";
    this.saveOutcomeUnknown = false;
    this.editing = true;
  };

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has("editing")) {
      const target = this.editing ? "input" : changed.get("editing") ? "edit-button" : "";
      if (target) this.renderRoot.querySelector<HTMLElement>(`[part=${target}]`)?.focus();
    }
  }

  #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === "Escape") {
      event.preventDefault();
      this.cancel();
    } else if (event.key === "Enter" && !event.isComposing) {
      const multiline = (event.target as Element).localName === "textarea";
      if (multiline && !(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      void this.commit();
    }
  };

  #onBlur = (): void => {
    if (this.editing) void this.commit();
  };

  /** Closes the editor without saving. */
  cancel(): void {
    this.editing = false;
  }

  /** Validates the draft with the shared schema and saves it if it changed. */
  async commit(): Promise<void> {
    const editor = this.#editor;
    const data = this.current;
    if (!editor || !data || !this.editing || !editor.check().ok) return;
    this.editing = false;
    // Measured against the value shown now: another widget may have saved one meanwhile.
    editor.sync(data.value.value);
    const value = editor.changed();
    if (value === undefined) return;
    const previousValue = editor.saved;
    const detail = { slug: this.slug, fieldKey: this.field };
    emit(this, "crm-change", { ...detail, value, previousValue });
    this.saving = true;
    try {
      const saved = await this.runtime.setCrmField({
        ...detail,
        value,
        entryId: this.entryId || undefined,
      });
      emit(this, "crm-save", { slug: this.slug, fields: [saved] });
    } catch (error) {
      const body = asCrmError(error).toJSON();
      this.saveError = fieldMessage(body);
      this.saveOutcomeUnknown = body.code === "outcome_unknown";
      emit(this, "crm-save-error", {
        slug: this.slug,
        error: body,
        errors: { [this.field]: body },
      });
    } finally {
      this.saving = false;
    }
  }
}

defineElement("crm-field")(CrmField);

declare global {
  interface HTMLElementTagNameMap {
    "crm-field": CrmField;
  }
}
