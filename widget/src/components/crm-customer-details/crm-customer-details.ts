import { html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import type {
  CrmEntry,
  EntityDefinition,
  FieldDefinition,
  PipelineDefinition,
  StageDefinition,
} from "#domain/browser";
import { type CustomerEntries, staffClient } from "../../back-office/staff-client.ts";
import { asCrmError } from "../../runtime/errors.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement } from "../crm-data-element.ts";
import { renderStages, stageWord } from "../crm-pipeline-progress/stages.ts";
import { defineElement } from "../define.ts";
import { renderEntryCard } from "../entry-card.ts";
import { FieldEditor } from "../field-editor.ts";
import { formatTimestamp, formatValue } from "../format.ts";
import { renderFieldControl } from "../inputs.ts";
import { words } from "../messages.ts";
import { styles } from "./crm-customer-details.styles.ts";
import {
  actorText,
  downloadJson,
  type ErasedCustomer,
  exportFileName,
  type FieldHistoryView,
  lastChanged,
} from "./staff-edits.ts";

/** The back office's own words (a customer page's core holds none of them). */
const detailsWord = words(
  {
    noCrmData: "No CRM entries for this customer.",
    customer: "Customer {id}",
    save: "Save",
    required: "required",
  },
  ["Keine CRM-Einträge für diesen Kunden.", "Kunde {id}", "Speichern", "Pflichtfeld"],
);

/** What the component shows: the customer's entries and every entity they could have. */
interface DetailsData extends CustomerEntries {
  /** Every entity definition, also those the customer has no entry of yet. */
  allEntities: EntityDefinition[];
}

/** One write's state: saving, or why it was refused ("" when it was not). */
interface WriteState {
  saving: boolean;
  error: string;
  /** The proxy could not tell whether the write was stored (`outcome_unknown`). */
  unknown: boolean;
}

const idle = (): WriteState => ({ saving: false, error: "", unknown: false });

/** A stored value by key, own properties only: a field keyed `constructor` must not find Object's. */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Reads of an open history after a save, this far apart, until the save is in it. */
const HISTORY_REREADS = 5;
const HISTORY_REREAD_MS = 400;

/** Records one history view shows (newest first). */
const HISTORY_LIMIT = 20;

/**
 * The back office "CRM tab" of one customer: every entity, with the
 * customer's entries, each entry's fields and its stage in every pipeline.
 * Staff correct the data in place: every field is editable inline (fields
 * hidden from the customer are shown, and marked), every pipeline movable,
 * entries of many-entry entities added and deleted, a field's recorded
 * history shown with who made each change, and the customer's data exported
 * as a file or erased (after a confirmation that names them; admin role).
 * Reads and writes go through the proxy's staff routes with the runtime's
 * staff token (`configure({ staffTokenProvider })`), so the proxy checks
 * every value and records the staff member as the author; use it only on
 * back office pages. `readonly` shows the same data without the controls.
 *
 * @tagname crm-customer-details
 * @summary All CRM entries of one customer, for the back office, editable by staff.
 *
 * @event {CrmLoadErrorEvent} crm-load-error - The entries could not be loaded; `detail: { error }`.
 * @event {CustomEvent} crm-customer-erase - The customer was erased; `detail: { customerId, entries, history }`.
 *
 * @csspart header - The customer's heading line.
 * @csspart actions - Export and erase.
 * @csspart entity - One entity's section.
 * @csspart entity-heading - An entity's name and entry count.
 * @csspart entry - One entry's card.
 * @csspart values - The entry's fields (a description list).
 * @csspart field - One field: label, value, its controls.
 * @csspart field-label - A field's label.
 * @csspart field-value - A field's formatted value.
 * @csspart hidden-badge - Marks a field the customer cannot see.
 * @csspart edit - A field's edit button.
 * @csspart history-button - The button that shows a field's history.
 * @csspart history - A field's recorded history (a table).
 * @csspart stages - A pipeline's stage list inside an entry.
 * @csspart updated - When the entry last changed, and who changed it.
 * @csspart add-entry - The form that adds an entry.
 * @csspart delete - An entry's delete button.
 * @csspart confirm - The erase confirmation dialog.
 * @csspart status - A write's "Saving…" status.
 * @csspart empty - Shown when the customer has no entries, or no customer is chosen.
 * @csspart error - A load error or a refused write.
 * @csspart retry - The retry button of the load error.
 * @csspart skeleton - The loading placeholder.
 *
 * @cssproperty --crm-spacing - Gap between entries.
 * @cssproperty --crm-stage-color - Color of stages that define none.
 * @cssproperty --crm-color-text - Text color.
 * @cssproperty --crm-color-muted - Labels and secondary text.
 * @cssproperty --crm-color-surface - Card background.
 * @cssproperty --crm-color-border - Borders.
 * @cssproperty --crm-color-accent - Buttons and focus.
 * @cssproperty --crm-color-danger - Erase and delete, refusals.
 * @cssproperty --crm-radius - Corner radius.
 */
@defineElement("crm-customer-details")
export class CrmCustomerDetails extends CrmDataElement<DetailsData | null, [string]> {
  static override styles = styles;

  /** The customer's id (as the proxy resolved it from their session); empty: none chosen. */
  @property({ attribute: "customer-id", reflect: true }) customerId = "";

  /** Shows the data without any control that changes it. */
  @property({ type: Boolean, reflect: true }) readonly = false;

  /** Open field edits, by `entryKey/fieldKey`. */
  @state() private edits = new Map<string, FieldEditor>();
  /** Field saves, stage moves, creates and deletes in flight or refused, by the same keys. */
  @state() private writes = new Map<string, WriteState>();
  /** The add-entry forms open, by entity slug: one editor per field. */
  @state() private adding = new Map<string, Map<string, FieldEditor>>();
  /** One-entry entities without an entry that staff chose to start (their empty card is shown). */
  @state() private started = new Set<string>();
  /** The entry whose deletion awaits confirmation. */
  @state() private confirmingDelete = "";
  /** Open history views, by `entryKey/fieldKey`: null while loading, or an Error. */
  @state() private histories = new Map<string, FieldHistoryView | Error | null>();
  @state() private exportState = idle();
  @state() private eraseState = idle();
  @state() private erased: ErasedCustomer | null = null;

  protected override loadArgs(): [string] {
    return [this.customerId];
  }

  /** Through the staff routes, with the runtime's staff token (`staffToken`/`staffTokenProvider`). */
  protected override async load(
    runtime: CrmRuntime,
    customerId: string,
  ): Promise<DetailsData | null> {
    if (!customerId) return null;
    const client = staffClient(runtime);
    const [data, all] = await Promise.all([
      client.getCustomerEntries(customerId),
      this.readonly
        ? undefined
        : (client.call("/entities") as Promise<{ entities: EntityDefinition[] }>),
    ]);
    return { ...data, allEntities: all?.entities ?? data.entities };
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has("customerId") && changed.get("customerId") !== undefined) {
      // Another customer: nothing open or refused belongs to them.
      this.edits = new Map();
      this.writes = new Map();
      this.adding = new Map();
      this.started = new Set();
      this.histories = new Map();
      this.confirmingDelete = "";
      this.exportState = idle();
      this.eraseState = idle();
      this.erased = null;
    }
  }

  protected override isEmpty(value: DetailsData | null): boolean {
    return value === null || (this.readonly && value.entries.length === 0);
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.erased) return this.renderErased(this.erased);
    return this.renderData();
  }

  protected override renderLoading(): TemplateResult {
    return html`<div part="skeleton" class="sk-block" aria-busy="true">
      <span class="skeleton sk-title"></span>
      <span class="skeleton sk-card"></span>
      <span class="skeleton sk-card"></span>
      <span class="sr-only">${this.t("loading")}</span>
    </div>`;
  }

  protected override renderEmpty(): TemplateResult {
    if (!this.customerId) {
      return html`<p part="empty" class="empty-box">Choose a customer to see their CRM entries.</p>`;
    }
    return html`<div class="details">
      ${this.renderHeader(this.current ?? null)}
      <p part="empty" class="empty-box">${detailsWord(this.locale, "noCrmData")}</p>
    </div>`;
  }

  private subjectOf(data: DetailsData | null): string {
    return data?.customer?.subject ? String(data.customer.subject) : this.customerId;
  }

  private renderHeader(data: DetailsData | null): TemplateResult {
    const createdAt = data?.customer?.createdAt;
    const subject = data?.customer?.subject;
    return html`<header part="header" class="header">
      <div class="who">
        <h2>${typeof subject === "string" ? subject : detailsWord(this.locale, "customer", { id: "" }).trim()}</h2>
        <code class="meta">${this.customerId}</code>
        ${
          typeof createdAt === "string"
            ? html`<span class="meta">${stageWord(this.locale, "since", { date: formatTimestamp(createdAt, this.locale) })}</span>`
            : nothing
        }
      </div>
      ${this.readonly || !data ? nothing : this.renderActions(data)}
    </header>`;
  }

  private renderActions(data: DetailsData): TemplateResult {
    const exporting = this.exportState;
    return html`<div part="actions" class="actions">
      <button class="button" type="button" aria-disabled=${exporting.saving ? "true" : "false"} @click=${this.exportData}>
        ${exporting.saving ? html`<span class="spinner" aria-hidden="true"></span> Exporting…` : "Export data"}
      </button>
      <button class="button danger" type="button" @click=${this.openErase}>Erase customer…</button>
      ${exporting.error ? html`<span part="error" class="error" role="alert">Export failed: ${exporting.error}</span>` : nothing}
      ${this.renderEraseDialog(data)}
    </div>`;
  }

  private renderEraseDialog(data: DetailsData): TemplateResult {
    const subject = this.subjectOf(data);
    const erase = this.eraseState;
    return html`<dialog part="confirm" class="confirm" aria-labelledby="erase-title" @close=${() => {
      this.eraseState = idle();
    }}>
      <h3 id="erase-title">Erase ${subject}?</h3>
      <p>
        This deletes every CRM entry (${data.entries.length}), every history record and the
        customer record of <strong>${subject}</strong> (<code>${this.customerId}</code>). It cannot
        be undone; export the data first if it may be needed.
      </p>
      ${this.renderWriteState(erase, "Erasing…")}
      <div class="dialog-buttons">
        <button class="button" type="button" autofocus @click=${this.closeErase}>Cancel</button>
        <button
          class="button danger solid"
          type="button"
          aria-disabled=${erase.saving ? "true" : "false"}
          @click=${this.eraseCustomer}
        >
          Erase ${subject}
        </button>
      </div>
    </dialog>`;
  }

  private renderErased(erased: ErasedCustomer): TemplateResult {
    return html`<p part="empty" class="empty-box" role="status">
      Customer <code>${erased.customerId}</code> was erased: ${erased.entries} entries and
      ${erased.history} history records deleted.
    </p>`;
  }

  /** "Saving…" and the refusal, the way every component of the product says them. */
  private renderWriteState(write: WriteState | undefined, busy = this.t("saving")): TemplateResult {
    return html`<span part="status" class="status" role="status"
      >${write?.saving ? html`<span class="spinner" aria-hidden="true"></span> ${busy}` : nothing}</span
    >${
      write?.error
        ? html`<span part="error" class="error" role="alert"
            >${write.unknown ? this.t("saveUnknown") : this.t("saveFailed", { message: write.error })}</span
          >`
        : nothing
    }`;
  }

  protected override renderValue(data: DetailsData | null): TemplateResult | typeof nothing {
    if (!data) return nothing;
    const has = (entity: EntityDefinition) =>
      data.entries.some((entry) => entry.slug === entity.slug);
    const shown = (entity: EntityDefinition) =>
      has(entity) || this.started.has(entity.slug) || this.adding.has(entity.slug);
    const entities = this.readonly ? data.entities : data.allEntities;
    const unused = this.readonly ? [] : entities.filter((entity) => !shown(entity));
    return html`<div class="details">
      ${this.renderHeader(data)}
      ${data.entries.length === 0 ? html`<p part="empty" class="empty-box">${detailsWord(this.locale, "noCrmData")}</p>` : nothing}
      ${entities.filter(shown).map((entity) => this.renderEntity(entity, data))}
      ${
        unused.length
          ? html`<section class="unused" aria-labelledby="unused-heading">
              <h3 id="unused-heading">Not started for this customer</h3>
              <div class="unused-buttons">
                ${unused.map(
                  (
                    entity,
                  ) => html`<button class="button" type="button" @click=${() => this.start(entity)}>
                    ${entity.entriesPerReference === "many" ? `Add ${entity.name} entry` : `Start ${entity.name}`}
                  </button>`,
                )}
              </div>
            </section>`
          : nothing
      }
    </div>`;
  }

  private renderEntity(entity: EntityDefinition, data: DetailsData): TemplateResult {
    const locale = this.locale;
    const entries = data.entries.filter((entry) => entry.slug === entity.slug);
    const headingId = `entity-${entity.slug}`;
    const many = entity.entriesPerReference === "many";
    const adding = this.adding.has(entity.slug);
    return html`<section part="entity" class="entity" aria-labelledby=${headingId}>
      <div class="entity-head">
        <h3 part="entity-heading" id=${headingId}>
          ${entity.name} <span class="count">(${entries.length})</span>
        </h3>
        ${
          many && !this.readonly && !adding
            ? html`<button class="button" type="button" @click=${() => this.openAdd(entity)}>
                Add ${entity.name} entry
              </button>`
            : nothing
        }
      </div>
      ${many && adding ? this.renderAddEntry(entity) : nothing}
      <ul class="entries">
        ${entries.map(
          (entry) =>
            html`<li>
              ${
                this.readonly
                  ? renderEntryCard({
                      entity,
                      entry,
                      fields: entity.fields,
                      locale,
                      stagesLayout: "full",
                    })
                  : this.renderStaffEntry(entity, entry)
              }
            </li>`,
        )}
        ${
          // A one-entry entity without its entry: its first write creates it.
          entries.length === 0 && !many && !this.readonly
            ? html`<li>${this.renderStaffEntry(entity, null)}</li>`
            : nothing
        }
      </ul>
    </section>`;
  }

  /** Shows an entity the customer has no entry of: the add form, or the empty card of a one-entry entity. */
  private start(entity: EntityDefinition): void {
    if (entity.entriesPerReference === "many") {
      this.openAdd(entity);
      return;
    }
    this.started = new Set(this.started).add(entity.slug);
    void this.updateComplete.then(() =>
      this.shadowRoot
        ?.querySelector<HTMLElement>(`[aria-labelledby="entity-${entity.slug}"] [part=edit]`)
        ?.focus(),
    );
  }

  /** An entry as staff see it: every field with its edit and history controls, movable stages. */
  private renderStaffEntry(entity: EntityDefinition, entry: CrmEntry | null): TemplateResult {
    const entryKey = entry?.id ?? `new:${entity.slug}`;
    const many = entity.entriesPerReference === "many";
    const first = entity.fields[0];
    const title =
      first && entry ? formatValue(first, own(entry.values, first.key) ?? null, this.locale) : "";
    const label = title ? `${entity.name}: ${title}` : entity.name;
    const deleteKey = `${entryKey}/delete`;
    return html`<article part="entry" class="entry" aria-label=${label}>
      <dl part="values" class="values">
        ${entity.fields.map((field) => this.renderField(entity, entry, entryKey, field))}
      </dl>
      ${entity.pipelines.map((pipeline) => this.renderPipeline(entity, entry, entryKey, pipeline))}
      <footer class="entry-foot">
        <p part="updated" class="updated">
          ${entry ? lastChanged(entry.updatedAt, entry.updatedBy, this.locale) : "No entry yet: saving a field or moving a stage creates it."}
        </p>
        ${
          many && entry
            ? this.confirmingDelete === entry.id
              ? html`<span class="confirm-inline" role="group" aria-label="Delete this entry?">
                  Delete this entry?
                  <button class="button danger solid" type="button" @click=${() => this.deleteEntry(entity, entry)}>
                    Delete
                  </button>
                  <button class="button" type="button" @click=${() => {
                    this.confirmingDelete = "";
                  }}>Keep</button>
                </span>`
              : html`<button part="delete" class="button danger" type="button" aria-label="Delete entry ${label}" @click=${() => {
                  this.confirmingDelete = entry.id;
                }}>
                  Delete entry
                </button>`
            : nothing
        }
        ${this.renderWriteState(this.writes.get(deleteKey), "Deleting…")}
      </footer>
    </article>`;
  }

  private renderField(
    entity: EntityDefinition,
    entry: CrmEntry | null,
    entryKey: string,
    field: FieldDefinition,
  ): TemplateResult {
    const key = `${entryKey}/${field.key}`;
    const value = own(entry?.values, field.key) ?? null;
    const editor = this.edits.get(key);
    const text = formatValue(field, value, this.locale);
    const controlId = `control-${this.idOf(key)}`;
    const history = this.histories.get(key);
    // Editing or showing its history, a field takes the whole row: the table needs the width.
    const wide = editor || history !== undefined;
    return html`<div part="field" class="pair ${wide ? "wide" : ""}">
      <dt part="field-label">
        ${editor ? html`<label for=${controlId}>${field.label}</label>` : field.label}
        ${
          field.customerAccess === "none"
            ? html`<span part="hidden-badge" class="badge" title="The customer cannot see this field">hidden from customer</span>`
            : nothing
        }
      </dt>
      <dd>
        ${
          editor
            ? this.renderEditor(entity, entry, key, field, editor, controlId)
            : html`<span part="field-value" class=${text ? "value" : "value empty"}>${text || this.t("empty")}</span>
                <span class="field-buttons">
                  <button
                    part="edit"
                    class="icon-button"
                    type="button"
                    id="edit-${this.idOf(key)}"
                    aria-label=${this.t("edit", { label: field.label })}
                    @click=${() => this.openEdit(key, field, value)}
                  >
                    Edit
                  </button>
                  ${
                    field.history && entry
                      ? html`<button
                          part="history-button"
                          class="icon-button"
                          type="button"
                          aria-expanded=${history !== undefined ? "true" : "false"}
                          aria-controls="history-${this.idOf(key)}"
                          aria-label="History of ${field.label}"
                          @click=${() => this.toggleHistory(entity, entry, key, field)}
                        >
                          History
                        </button>`
                      : nothing
                  }
                </span>`
        }
        ${this.renderWriteState(this.writes.get(key))}
        ${history !== undefined ? this.renderHistory(key, field, history) : nothing}
      </dd>
    </div>`;
  }

  private renderEditor(
    entity: EntityDefinition,
    entry: CrmEntry | null,
    key: string,
    field: FieldDefinition,
    editor: FieldEditor,
    controlId: string,
  ): TemplateResult {
    const invalid = editor.shown && editor.message !== "";
    const messageId = `message-${this.idOf(key)}`;
    return html`<span class="editor">
      ${renderFieldControl(field, {
        id: controlId,
        draft: editor.draft,
        locale: this.locale,
        invalid,
        describedBy: invalid ? messageId : undefined,
        onInput: (event) => editor.input(event),
        onKeyDown: (event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            this.closeEdit(key);
          } else if (event.key === "Enter" && !(field.type === "text" && field.multiline)) {
            event.preventDefault();
            void this.saveField(entity, entry, key, field);
          }
        },
        onBlur: () => {
          if (editor.changed() !== undefined) editor.show();
        },
      })}
      <button class="button solid" type="button" aria-disabled=${this.writes.get(key)?.saving ? "true" : "false"} @click=${() => this.saveField(entity, entry, key, field)}>
        ${detailsWord(this.locale, "save")}
      </button>
      <button class="button" type="button" @click=${() => this.closeEdit(key)}>Cancel</button>
      ${invalid ? html`<span id=${messageId} class="error field-message">${editor.message}</span>` : nothing}
    </span>`;
  }

  private renderHistory(
    key: string,
    field: FieldDefinition,
    history: FieldHistoryView | Error | null,
  ): TemplateResult {
    const id = `history-${this.idOf(key)}`;
    if (history === null) {
      return html`<p id=${id} class="note" aria-busy="true"><span class="spinner" aria-hidden="true"></span> ${this.t("loading")}</p>`;
    }
    if (history instanceof Error) {
      return html`<p id=${id} part="error" class="error" role="alert">${history.message}</p>`;
    }
    if (history.points.length === 0) {
      return html`<p id=${id} class="note">No recorded changes yet.</p>`;
    }
    return html`<div id=${id} class="history-wrap">
      <table part="history" class="history">
        <caption>
          History of ${field.label}${history.more ? html`, the latest ${history.points.length}` : nothing}
        </caption>
        <thead>
          <tr><th scope="col">When</th><th scope="col">Value</th><th scope="col">By</th></tr>
        </thead>
        <tbody>
          ${history.points.map(
            (point) => html`<tr>
              <td>${formatTimestamp(point.at, this.locale)}</td>
              <td>${formatValue(field, point.value, this.locale) || this.t("empty")}</td>
              <td>${actorText(point.by)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderPipeline(
    entity: EntityDefinition,
    entry: CrmEntry | null,
    entryKey: string,
    pipeline: PipelineDefinition,
  ): TemplateResult {
    const key = `${entryKey}/stage:${pipeline.key}`;
    const write = this.writes.get(key);
    return html`<div class="entry-pipeline">
      ${renderStages({
        pipeline,
        position: own(entry?.stages, pipeline.key) ?? null,
        locale: this.locale,
        layout: "full",
        showDescriptions: false,
        busy: write?.saving ?? false,
        onMove: (stage) => this.moveStage(entity, entry, key, pipeline, stage),
      })}
      ${this.renderWriteState(write)}
    </div>`;
  }

  /** A key as an id: ids in one shadow root, so only unique, not global. */
  private idOf(key: string): string {
    return key.replace(/[^\w-]/g, "_");
  }

  private renderAddEntry(entity: EntityDefinition): TemplateResult {
    const editors = this.adding.get(entity.slug)!;
    const key = `add:${entity.slug}`;
    return html`<form
      part="add-entry"
      class="add-entry"
      aria-label="New ${entity.name} entry"
      novalidate
      @submit=${(event: Event) => {
        event.preventDefault();
        void this.createEntry(entity);
      }}
    >
      <div class="add-fields">
        ${entity.fields.map((field) => {
          const editor = editors.get(field.key)!;
          const id = `add-${entity.slug}-${field.key}`;
          const invalid = editor.shown && editor.message !== "";
          return html`<div class="add-field">
            <label for=${id}>${field.label}${field.required ? html` <span class="meta">(${detailsWord(this.locale, "required")})</span>` : nothing}</label>
            ${renderFieldControl(field, {
              id,
              draft: editor.draft,
              locale: this.locale,
              invalid,
              describedBy: invalid ? `${id}-message` : undefined,
              onInput: (event) => editor.input(event),
              onBlur: () => {
                if (editor.changed() !== undefined) editor.show();
              },
            })}
            ${invalid ? html`<span id="${id}-message" class="error field-message">${editor.message}</span>` : nothing}
          </div>`;
        })}
      </div>
      <div class="form-buttons">
        <button class="button solid" type="submit" aria-disabled=${this.writes.get(key)?.saving ? "true" : "false"}>
          Add entry
        </button>
        <button class="button" type="button" @click=${() => this.closeAdd(entity.slug)}>Cancel</button>
        ${this.renderWriteState(this.writes.get(key))}
      </div>
    </form>`;
  }

  // --- Staff actions -------------------------------------------------------------------------

  private setWrite(key: string, write: WriteState | undefined): void {
    const writes = new Map(this.writes);
    if (write) writes.set(key, write);
    else writes.delete(key);
    this.writes = writes;
  }

  /** Runs one staff write; while it runs the key is saving, a refusal stays shown on it. */
  private async write(key: string, run: () => Promise<unknown>): Promise<boolean> {
    if (this.writes.get(key)?.saving) return false;
    this.setWrite(key, { saving: true, error: "", unknown: false });
    try {
      await run();
      this.setWrite(key, undefined);
      // The proxy is the truth: read the customer again (the last value stays shown meanwhile).
      void this.data.run();
      return true;
    } catch (error) {
      const crmError = asCrmError(error);
      this.setWrite(key, {
        saving: false,
        error: crmError.message,
        unknown: crmError.code === "outcome_unknown",
      });
      return false;
    }
  }

  private client() {
    return staffClient(this.runtime);
  }

  private openEdit(key: string, field: FieldDefinition, value: CrmEntry["values"][string]): void {
    this.edits = new Map(this.edits).set(key, new FieldEditor(this, field, value));
    this.setWrite(key, undefined);
    void this.updateComplete.then(() =>
      this.shadowRoot?.getElementById(`control-${this.idOf(key)}`)?.focus(),
    );
  }

  private closeEdit(key: string): void {
    const edits = new Map(this.edits);
    edits.delete(key);
    this.edits = edits;
    if (!this.writes.get(key)?.saving) this.setWrite(key, undefined);
    void this.updateComplete.then(() =>
      this.shadowRoot?.getElementById(`edit-${this.idOf(key)}`)?.focus(),
    );
  }

  private async saveField(
    entity: EntityDefinition,
    entry: CrmEntry | null,
    key: string,
    field: FieldDefinition,
  ): Promise<void> {
    const editor = this.edits.get(key);
    if (!editor) return;
    const check = editor.check();
    if (!check.ok) {
      editor.show();
      return;
    }
    if (editor.changed() === undefined) {
      this.closeEdit(key);
      return;
    }
    let savedAt = "";
    const saved = await this.write(key, async () => {
      const result = await this.client().run("setCrmField", {
        slug: entity.slug,
        fieldKey: field.key,
        value: check.value,
        referenceId: this.customerId,
        ...(entry && entity.entriesPerReference === "many" ? { entryId: entry.id } : {}),
      });
      savedAt = result.updatedAt ?? "";
    });
    if (saved) {
      this.closeEdit(key);
      void this.refreshHistory(key, savedAt);
    }
  }

  private async moveStage(
    entity: EntityDefinition,
    entry: CrmEntry | null,
    key: string,
    pipeline: PipelineDefinition,
    stage: StageDefinition,
  ): Promise<void> {
    await this.write(key, () =>
      this.client().run("setCrmStage", {
        slug: entity.slug,
        pipeline: pipeline.key,
        stage: stage.key,
        referenceId: this.customerId,
        ...(entry && entity.entriesPerReference === "many" ? { entryId: entry.id } : {}),
      }),
    );
  }

  private openAdd(entity: EntityDefinition): void {
    const editors = new Map(
      entity.fields.map((field) => [field.key, new FieldEditor(this, field, null)]),
    );
    this.adding = new Map(this.adding).set(entity.slug, editors);
    void this.updateComplete.then(() => {
      const first = entity.fields[0];
      if (first) this.shadowRoot?.getElementById(`add-${entity.slug}-${first.key}`)?.focus();
    });
  }

  private closeAdd(slug: string): void {
    const adding = new Map(this.adding);
    adding.delete(slug);
    this.adding = adding;
    this.setWrite(`add:${slug}`, undefined);
  }

  private async createEntry(entity: EntityDefinition): Promise<void> {
    const editors = this.adding.get(entity.slug);
    if (!editors) return;
    // Pairs, then fromEntries: a key such as __proto__ stays a value, never the prototype.
    const values: [string, CrmEntry["values"][string]][] = [];
    let firstInvalid: string | undefined;
    for (const [fieldKey, editor] of editors) {
      const check = editor.check();
      if (!check.ok) {
        editor.show();
        firstInvalid ??= fieldKey;
      } else if (check.value !== null) {
        values.push([fieldKey, check.value]);
      }
    }
    if (firstInvalid) {
      this.shadowRoot?.getElementById(`add-${entity.slug}-${firstInvalid}`)?.focus();
      return;
    }
    const created = await this.write(`add:${entity.slug}`, () =>
      this.client().run("createCrmEntry", {
        slug: entity.slug,
        values: Object.fromEntries(values),
        referenceId: this.customerId,
      }),
    );
    if (created) this.closeAdd(entity.slug);
  }

  private async deleteEntry(entity: EntityDefinition, entry: CrmEntry): Promise<void> {
    this.confirmingDelete = "";
    await this.write(`${entry.id}/delete`, () =>
      this.client().run("deleteCrmEntry", {
        slug: entity.slug,
        entryId: entry.id,
        referenceId: this.customerId,
      }),
    );
  }

  private toggleHistory(
    entity: EntityDefinition,
    entry: CrmEntry,
    key: string,
    field: FieldDefinition,
  ): void {
    const histories = new Map(this.histories);
    if (histories.has(key)) {
      histories.delete(key);
      this.histories = histories;
      return;
    }
    this.historyReads.set(key, { entity, entry, field });
    void this.readHistory(key);
  }

  /** What each open history view reads, to read it again after a save. */
  private historyReads = new Map<
    string,
    { entity: EntityDefinition; entry: CrmEntry; field: FieldDefinition }
  >();

  /**
   * Reads an open history again after a save. History is searched, so a record becomes
   * visible at the history index's next refresh (a fraction of a second, and the write does
   * not wait for it): until the newest record is the save at `savedAt`, read again shortly.
   */
  private async refreshHistory(key: string, savedAt: string): Promise<void> {
    for (let attempt = 0; attempt < HISTORY_REREADS && this.histories.has(key); attempt++) {
      if (attempt > 0) await new Promise((done) => setTimeout(done, HISTORY_REREAD_MS));
      const view = await this.readHistory(key);
      const newest = view instanceof Error ? undefined : view?.points[0]?.at;
      if (!savedAt || !view || view instanceof Error || (newest && newest >= savedAt)) return;
    }
  }

  private async readHistory(key: string): Promise<FieldHistoryView | Error | undefined> {
    const read = this.historyReads.get(key);
    if (!read) return;
    const { entity, entry, field } = read;
    // Opening shows "Loading…"; a re-read keeps showing the records it will replace.
    if (!this.histories.get(key)) this.histories = new Map(this.histories).set(key, null);
    let view: FieldHistoryView | Error;
    try {
      const history = await this.client().run("getCrmFieldHistory", {
        slug: entity.slug,
        fieldKey: field.key,
        entryId: entry.id,
        referenceId: this.customerId,
        order: "desc",
        limit: HISTORY_LIMIT,
      });
      view = { points: history.points, more: history.next !== null };
    } catch (error) {
      view = new Error(asCrmError(error).message);
    }
    // Closed meanwhile: stays closed.
    if (this.histories.has(key)) this.histories = new Map(this.histories).set(key, view);
    return view;
  }

  private async exportData(): Promise<void> {
    if (this.exportState.saving) return;
    this.exportState = { saving: true, error: "", unknown: false };
    try {
      const data = await this.client().exportCustomer(this.customerId);
      downloadJson(data, exportFileName(this.customerId), this.shadowRoot ?? this);
      this.exportState = idle();
    } catch (error) {
      this.exportState = { saving: false, error: asCrmError(error).message, unknown: false };
    }
  }

  private dialog(): HTMLDialogElement | null {
    return this.shadowRoot?.querySelector("dialog") ?? null;
  }

  private openErase(): void {
    this.eraseState = idle();
    this.dialog()?.showModal();
  }

  private closeErase(): void {
    this.dialog()?.close();
  }

  private async eraseCustomer(): Promise<void> {
    if (this.eraseState.saving) return;
    this.eraseState = { saving: true, error: "", unknown: false };
    try {
      const result = await this.client().eraseCustomer(this.customerId);
      this.dialog()?.close();
      this.erased = {
        customerId: result.customerId,
        entries: result.entries,
        history: result.history,
      };
      this.dispatchEvent(
        new CustomEvent("crm-customer-erase", {
          detail: this.erased,
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      const crmError = asCrmError(error);
      this.eraseState = {
        saving: false,
        error: crmError.message,
        unknown: crmError.code === "outcome_unknown",
      };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "crm-customer-details": CrmCustomerDetails;
  }
  interface GlobalEventHandlersEventMap {
    "crm-customer-erase": CustomEvent<ErasedCustomer>;
  }
}
