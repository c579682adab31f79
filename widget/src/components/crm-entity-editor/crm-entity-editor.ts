import { html, nothing, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import { repeat } from "lit/directives/repeat.js";
import type { CrmErrorBody, EntityDefinition, FieldType, StageStatus } from "#domain/browser";
// The entity model's own module: the server entry (`#domain`) re-exports everything.
import { FIELD_TYPES, STAGE_STATUSES } from "#domain/entity";
import { backOfficeStyles } from "../../back-office/back-office.styles.ts";
import { type EntityDefinitions, entityDefinitionsOf } from "../../back-office/entity-client.ts";
import {
  blankEntity,
  blankField,
  blankOption,
  blankPipeline,
  blankStage,
  type CustomerAccess,
  checkDraft,
  DEFAULT_ENTRY_QUOTA,
  definitionFromDraft,
  draftFromDefinition,
  type EntityDraft,
  type FieldDraft,
  keyFromLabel,
  moveItem,
  type PipelineDraft,
  type StageDraft,
  slugFromName,
} from "../../back-office/entity-draft.ts";
import { asCrmError } from "../../runtime/errors.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement } from "../crm-data-element.ts";
import "../crm-entity-preview/crm-entity-preview.ts";
import { defineElement } from "../define.ts";
import { colorStyle } from "../format.ts";
import { styles } from "./crm-entity-editor.styles.ts";

/** Detail of `crm-entity-save`: the definition as the proxy stored it. */
export interface CrmEntitySaveDetail {
  definition: EntityDefinition;
  created: boolean;
}

/** Detail of `crm-entity-delete`: the deleted entity's slug and how many entries went with it. */
export interface CrmEntityDeleteDetail {
  slug: string;
  deletedEntries: number;
}

const TYPE_LABELS: Record<FieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  boolean: "Yes / no",
  select: "Select",
};
const ACCESS_LABELS: Record<CustomerAccess, string> = {
  none: "Hidden",
  read: "Read only",
  write: "Can edit",
};
const STATUS_LABELS: Record<StageStatus, string> = {
  active: "Active",
  won: "Won (outcome)",
  lost: "Lost (outcome)",
};

/** A list the editor can reorder, named by its path in the draft. */
type ListPath = "fields" | `fields.${number}.options` | "pipelines" | `pipelines.${number}.stages`;

interface Item {
  uid: number;
  label: string;
}

/** One object of the draft (the entity, a field, an option, a pipeline, a stage) as its controls see it. */
interface Scope<T> {
  /** Its path in the draft, the prefix of its inputs' paths; empty for the entity itself. */
  path: string;
  item: T;
  /** The same object in a copy of the draft, where a control's change is made. */
  at: (draft: EntityDraft) => T;
  messages: Map<string, string>;
}

/** An item whose key (`value` for a select option) follows its label until typed by hand. */
type Named<K extends "key" | "value"> = { label: string } & Record<K, string> &
  Record<`${K}Edited`, boolean>;

interface TextOptions {
  multiline?: boolean;
  readonly?: boolean;
  hint?: string;
  type?: string;
}

/** An item of a reorderable list, as its controls see it. */
interface ListItem<T> extends Scope<T> {
  list: ListPath;
  index: number;
  count: number;
}

function pathIn(scope: Scope<unknown>, key: string): string {
  return scope.path ? `${scope.path}.${key}` : key;
}

/**
 * `repeat` keyed by uid (reordering moves an item's inputs, and focus, with
 * it), with every item's template made now: the messages an item places must
 * be known before the Save row lists the rest (`repeat` alone makes them
 * later, while committing).
 */
function keyed<T extends { uid: number }>(
  items: readonly T[],
  view: (item: T, index: number) => TemplateResult,
) {
  const views = items.map((item, index) => ({ uid: item.uid, view: view(item, index) }));
  return repeat(
    views,
    (entry) => entry.uid,
    (entry) => entry.view,
  );
}

/**
 * The CRM settings editor: an entity's name, slug, description and entries
 * per customer, its fields and its pipelines with their stages, with a live
 * preview of what customers will see. Every change is checked by the domain's
 * own entity schema as it is typed, and its message shown on the input it
 * concerns; a refusal of the proxy is shown on the input it names. Fields,
 * stages and options are reordered with their handle: drag it, or focus it
 * and press the arrow keys (Home and End move to either end).
 *
 * The slug follows the name until it is typed by hand, and is fixed once the
 * entity is stored (entries are filed under it); keys follow their labels
 * the same way.
 *
 * A change the proxy refuses because it would break stored entries (a field's
 * type, a select option or a stage in use) is shown on the input it concerns,
 * with the entries it breaks, and "Save anyway" makes it. "Delete entity"
 * asks first, naming the entity, and asks again, with the count, when it has
 * entries (they are deleted with it).
 *
 * @tagname crm-entity-editor
 * @summary Create and edit an entity definition (CRM settings).
 *
 * @event crm-entity-save - The proxy stored the definition; `detail: { definition, created }`.
 * @event crm-entity-delete - The proxy deleted the entity; `detail: { slug, deletedEntries }`.
 * @event {CrmLoadErrorEvent} crm-load-error - The definition could not be loaded; `detail: { error }`.
 *
 * @csspart form - The editing form.
 * @csspart section - The entity, fields and pipelines sections.
 * @csspart item - One field, pipeline, stage or option.
 * @csspart handle - The reorder handle of an item.
 * @csspart input - Every input, select and textarea.
 * @csspart message - A validation or refusal message under an input.
 * @csspart actions - The Save row.
 * @csspart submit - The Save button.
 * @csspart accept - The "Save anyway" button of a breaking-change refusal.
 * @csspart delete - The "Delete entity" button.
 * @csspart dialog - The delete confirmation.
 * @csspart preview - The live preview.
 * @csspart error - A load error.
 * @csspart retry - The retry button of the load error.
 * @csspart skeleton - The loading placeholder.
 *
 * @cssproperty --crm-color-text - Text color.
 * @cssproperty --crm-color-muted - Hints and secondary text.
 * @cssproperty --crm-color-surface - Card background.
 * @cssproperty --crm-color-border - Borders.
 * @cssproperty --crm-color-accent - Buttons and focus ring.
 * @cssproperty --crm-color-danger - Messages and remove buttons.
 * @cssproperty --crm-radius - Corner radius.
 */
@defineElement("crm-entity-editor")
export class CrmEntityEditor extends CrmDataElement<
  EntityDraft,
  [string, EntityDefinitions | undefined]
> {
  static override styles = [backOfficeStyles, styles];

  /** The slug of the entity to edit; empty for a new entity. */
  @property({ reflect: true }) slug = "";

  /** Where definitions are read and written; default: the page runtime's back-office routes. */
  @property({ attribute: false }) client: EntityDefinitions | undefined;

  @state() private draft: EntityDraft = blankEntity();
  /** Inputs the person typed into: their messages show from then on. */
  @state() private touched = new Set<string>();
  @state() private submitted = false;
  @state() private saving = false;
  @state() private outcome: "" | "saved" | "invalid" | "refused" | "deleted" = "";
  /** The proxy's refusal of the last save, shown on the input it names. */
  @state() private refusal: CrmErrorBody | undefined;
  @state() private announcement = "";
  /** The delete confirmation: asking, asking again because entries exist, or deleting. */
  @state() private deletion:
    | { step: "confirm" | "with-entries"; message: string; busy: boolean }
    | undefined;

  /** The slug the current draft was loaded or saved as: loading it again would lose nothing new. */
  #draftSlug = "";
  #lastValid: EntityDefinition | undefined;
  /** Message paths rendered beside an input during this render; the rest go to the summary. */
  #placed = new Set<string>();
  #drag: { list: ListPath; uid: number } | undefined;
  #focusAfterUpdate: string | undefined;
  /** What the last deletion removed, said in the status line. */
  #deletedNote = "";

  protected override loadArgs(): [string, EntityDefinitions | undefined] {
    return [this.slug, this.client];
  }

  /** The draft of `slug`: read from the proxy, unless the draft already stands for it. */
  protected override async load(runtime: CrmRuntime): Promise<EntityDraft> {
    const slug = this.slug;
    if (slug === this.#draftSlug) return this.draft;
    const draft = slug
      ? draftFromDefinition(await this.definitionsOf(runtime).getEntity(slug))
      : blankEntity();
    // A later choice may have started meanwhile: only the current one takes the editor.
    if (this.slug !== slug) return this.draft;
    this.draft = draft;
    this.#draftSlug = slug;
    this.touched = new Set();
    this.submitted = false;
    this.outcome = "";
    this.refusal = undefined;
    this.deletion = undefined;
    return draft;
  }

  private get entities(): EntityDefinitions {
    return this.definitionsOf(this.runtime);
  }

  private definitionsOf(runtime: CrmRuntime): EntityDefinitions {
    return this.client ?? entityDefinitionsOf(runtime);
  }

  /**
   * Saves the draft (creates the entity, or replaces its stored definition).
   * `acceptBreaking` makes a change that invalidates stored values (after the
   * person chose "Save anyway" on the refusal that said which).
   */
  async save(options: { acceptBreaking?: boolean } = {}): Promise<void> {
    this.submitted = true;
    this.refusal = undefined;
    const check = checkDraft(this.draft);
    if (!check.ok) {
      this.outcome = "invalid";
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
      return;
    }
    const created = !this.draft.stored;
    const definition = definitionFromDraft(this.draft);
    this.saving = true;
    this.outcome = "";
    try {
      const saved = created
        ? await this.entities.createEntity(definition)
        : await this.entities.updateEntity(definition, options);
      // Keep the draft (and focus): it now stands for a stored entity, keys and slug chosen.
      this.draft = {
        ...this.draft,
        stored: true,
        slugEdited: true,
        fields: this.draft.fields.map((field) => ({ ...field, keyEdited: true })),
        pipelines: this.draft.pipelines.map((pipeline) => ({
          ...pipeline,
          keyEdited: true,
          stages: pipeline.stages.map((stage) => ({ ...stage, keyEdited: true })),
        })),
      };
      this.#draftSlug = saved.slug;
      this.slug = saved.slug;
      this.outcome = "saved";
      this.dispatchEvent(
        new CustomEvent<CrmEntitySaveDetail>("crm-entity-save", {
          detail: { definition: saved, created },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      this.refusal = asCrmError(error).toJSON();
      this.outcome = "refused";
      await this.updateComplete;
      const field = this.refusal.field;
      (
        (field &&
          this.renderRoot.querySelector<HTMLElement>(`[data-path="${CSS.escape(field)}"]`)) ||
        this.renderRoot.querySelector<HTMLElement>("[part~=accept]") ||
        this.renderRoot.querySelector<HTMLElement>("[part~=submit]")
      )?.focus();
    } finally {
      this.saving = false;
    }
  }

  /** Applies one change to a copy of the draft and marks `path` as typed into. */
  private edit(path: string, change: (draft: EntityDraft) => void): void {
    const draft = structuredClone(this.draft);
    change(draft);
    this.draft = draft;
    this.touched = new Set(this.touched).add(path);
    // A breaking change was judged for the draft as it was: any edit asks again on the next save.
    if (this.refusal?.field === path || this.refusal?.code === "breaking_change") {
      this.refusal = undefined;
    }
    if (this.outcome === "saved" || this.outcome === "deleted") this.outcome = "";
  }

  /** Opens the delete confirmation, which names the entity. */
  private askDelete(): void {
    this.deletion = { step: "confirm", message: "", busy: false };
  }

  /**
   * Deletes the stored entity. Its entries go with it only once the person
   * confirmed that too: the first request keeps them, and the proxy's refusal
   * (it has entries) turns the confirmation into a second, explicit one.
   */
  private async confirmDelete(): Promise<void> {
    const deletion = this.deletion;
    if (!deletion || deletion.busy) return;
    const { name, slug } = this.draft;
    this.deletion = { ...deletion, busy: true };
    try {
      const deleted = await this.entities.deleteEntity(slug, {
        deleteEntries: deletion.step === "with-entries",
      });
      // Closed before its entity leaves: the dialog is rendered only for a stored entity.
      this.renderRoot.querySelector<HTMLDialogElement>("dialog")?.close();
      this.deletion = undefined;
      this.draft = blankEntity();
      this.#draftSlug = "";
      this.slug = "";
      this.touched = new Set();
      this.submitted = false;
      this.refusal = undefined;
      this.outcome = "deleted";
      const n = deleted.deletedEntries;
      this.#deletedNote = `Deleted ${name}${n ? ` and its ${n} ${n === 1 ? "entry" : "entries"}` : ""}.`;
      this.#focusAfterUpdate = '[data-path="name"]';
      this.dispatchEvent(
        new CustomEvent<CrmEntityDeleteDetail>("crm-entity-delete", {
          detail: { slug: deleted.slug, deletedEntries: deleted.deletedEntries },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      const refusal = asCrmError(error);
      if (refusal.code === "conflict" && deletion.step === "confirm") {
        // The proxy's message names the count for API callers; the dialog says it in its words.
        const count = /has (\d+) stored/.exec(refusal.message)?.[1];
        const entries = count
          ? `${count} stored ${count === "1" ? "entry" : "entries"}`
          : "entries";
        this.deletion = { step: "with-entries", message: `${name} has ${entries}.`, busy: false };
      } else {
        this.deletion = { ...deletion, busy: false, message: refusal.message };
      }
    }
  }

  private listOf(draft: EntityDraft, list: ListPath): Item[] {
    const [head, index, tail] = list.split(".");
    if (head === "fields" && tail === "options") return draft.fields[Number(index)]!.options;
    if (head === "pipelines" && tail === "stages") return draft.pipelines[Number(index)]!.stages;
    return head === "fields" ? draft.fields : draft.pipelines;
  }

  private setList(draft: EntityDraft, list: ListPath, order: number[]): void {
    const [head, index, tail] = list.split(".");
    const reorder = <T extends { uid: number }>(items: T[]) =>
      order.map((uid) => items.find((item) => item.uid === uid)!);
    if (head === "fields" && tail === "options") {
      const field = draft.fields[Number(index)]!;
      field.options = reorder(field.options);
    } else if (head === "pipelines" && tail === "stages") {
      const pipeline = draft.pipelines[Number(index)]!;
      pipeline.stages = reorder(pipeline.stages);
    } else if (head === "fields") draft.fields = reorder(draft.fields);
    else draft.pipelines = reorder(draft.pipelines);
  }

  /** Moves an item within its list; its handle keeps (or takes) focus, and the move is announced. */
  private move(list: ListPath, uid: number, to: number): void {
    const items = this.listOf(this.draft, list);
    const from = items.findIndex((item) => item.uid === uid);
    const target = Math.max(0, Math.min(items.length - 1, to));
    if (from < 0 || from === target) return;
    const order = moveItem(
      items.map((item) => item.uid),
      from,
      target,
    );
    this.edit(list, (draft) => this.setList(draft, list, order));
    const label = items[from]!.label || "Item";
    this.announcement = `${label} moved to position ${target + 1} of ${items.length}`;
    this.#focusAfterUpdate = `[data-handle="${uid}"]`;
  }

  private removeItem(list: ListPath, uid: number, label: string): void {
    const items = this.listOf(this.draft, list);
    const order = items.filter((item) => item.uid !== uid).map((item) => item.uid);
    this.edit(list, (draft) => this.setList(draft, list, order));
    this.announcement = `${label || "Item"} removed`;
  }

  protected override updated(): void {
    // The confirmation is a modal <dialog>: the browser keeps focus in it and Escape closes it.
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>("dialog");
    if (dialog && this.deletion && !dialog.open) dialog.showModal();
    if (dialog?.open && !this.deletion) dialog.close();
    if (this.#focusAfterUpdate) {
      this.renderRoot.querySelector<HTMLElement>(this.#focusAfterUpdate)?.focus();
      this.#focusAfterUpdate = undefined;
    }
  }

  /** The message to show under `path`: the proxy's refusal, else the schema's once typed or submitted. */
  private messageFor(path: string, messages: Map<string, string>): string {
    this.#placed.add(path);
    if (this.refusal?.field === path) {
      const prefix = `${path}: `;
      return this.refusal.message.startsWith(prefix)
        ? this.refusal.message.slice(prefix.length)
        : this.refusal.message;
    }
    const shown = this.submitted || this.touched.has(path);
    return shown ? (messages.get(path) ?? "") : "";
  }

  protected override render(): TemplateResult | typeof nothing {
    return this.renderData();
  }

  protected override renderLoading(): TemplateResult {
    return html`<div part="skeleton" class="sk-block" aria-busy="true">
      <span class="skeleton sk-title"></span><span class="skeleton sk-card"></span
      ><span class="skeleton sk-card"></span><span class="sr-only">${this.t("loading")}</span>
    </div>`;
  }

  protected override renderValue(): TemplateResult {
    // Another entity is on its way: its form replaces this one when it arrives.
    if (this.slug !== this.#draftSlug) return this.renderLoading();
    this.#placed = new Set();
    const check = checkDraft(this.draft);
    if (check.ok) this.#lastValid = check.definition;
    const messages = check.messages;
    const draft = this.draft;
    const entity: Scope<EntityDraft> = { path: "", item: draft, at: (d) => d, messages };
    return html`<div class="layout">
      <form part="form" class="form" novalidate @submit=${this.onSubmit}>
        <section part="section" class="section" aria-labelledby="entity-heading">
          <h2 id="entity-heading">${draft.stored ? `Edit ${draft.name || "entity"}` : "New entity"}</h2>
          <div class="grid">
            ${this.textControl("name", "Name", draft.name, messages, (value, d) => {
              d.name = value;
              if (!d.slugEdited && !d.stored) d.slug = slugFromName(value);
            })}
            ${this.textControl(
              "slug",
              "Slug",
              draft.slug,
              messages,
              (value, d) => {
                d.slug = value;
                d.slugEdited = true;
              },
              {
                readonly: draft.stored,
                hint: draft.stored
                  ? "Fixed: the entity's entries are filed under it."
                  : draft.slugEdited
                    ? "Used in pages and scripts."
                    : "Follows the name until you edit it.",
              },
            )}
          </div>
          ${this.text(entity, "description", "Description", { multiline: true })}
          <fieldset class="choice">
            <legend>Entries per customer</legend>
            ${(["one", "many"] as const).map(
              (kind) => html`<label class="check"
                ><input
                  part="input"
                  type="radio"
                  name="entries-per-reference"
                  .checked=${live(draft.entriesPerReference === kind)}
                  ?disabled=${draft.stored}
                  @change=${() =>
                    this.edit("entriesPerReference", (d) => {
                      d.entriesPerReference = kind;
                    })}
                />${kind === "one" ? "One (a tracker, a profile)" : "Several (deals, orders)"}</label
              >`,
            )}
            ${draft.stored ? html`<span class="hint">Fixed once the entity exists.</span>` : nothing}
            ${this.messageLine("entriesPerReference", messages)}
            ${
              draft.entriesPerReference === "many"
                ? this.check(entity, "customerCanCreate", "Customers may add entries")
                : nothing
            }
            ${
              draft.entriesPerReference === "many" && draft.customerCanCreate
                ? html`<div class="grid">
                    ${this.text(entity, "customerEntryQuota", "Most entries per customer", {
                      type: "number",
                      hint: `Empty: ${DEFAULT_ENTRY_QUOTA}`,
                    })}
                  </div>`
                : nothing
            }
          </fieldset>
        </section>

        ${this.renderSection(
          "fields",
          "Fields",
          "No fields yet.",
          this.renderList(
            { list: "fields", of: (d) => d.fields, add: "Add field", blank: blankField },
            messages,
            (field) => this.renderField(field),
          ),
        )}
        ${this.renderSection(
          "pipelines",
          "Pipelines",
          "No pipelines yet.",
          this.renderList(
            {
              list: "pipelines",
              of: (d) => d.pipelines,
              add: "Add pipeline",
              blank: blankPipeline,
            },
            messages,
            (pipeline) => this.renderPipeline(pipeline),
          ),
        )}

        ${this.renderActions(messages)}
        ${
          // Below the Save row, which stays in view: deleting is not the next step after editing.
          this.draft.stored
            ? html`<div>
                <button part="delete" class="delete" type="button" @click=${this.askDelete}>
                  Delete entity
                </button>
                ${this.renderDeleteDialog()}
              </div>`
            : nothing
        }
        <p class="sr-only" id="reorder-help">Arrow keys move it up or down, Home and End to either end; or drag it.</p>
        <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
      </form>
      <aside part="preview" class="preview" aria-labelledby="preview-heading">
        <h2 id="preview-heading">Preview</h2>
        ${check.ok ? nothing : html`<p class="hint">Showing the last valid version.</p>`}
        <crm-entity-preview .definition=${this.#lastValid}></crm-entity-preview>
      </aside>
    </div>`;
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    if (!this.saving) void this.save();
  }

  private renderActions(messages: Map<string, string>): TemplateResult {
    // Problems no input shows (the schema may judge a whole object) are listed here.
    const unplaced = [...messages].filter(([path]) => !this.#placed.has(path));
    const refusal = this.refusal;
    const refusalUnplaced = refusal && !(refusal.field && this.#placed.has(refusal.field));
    return html`<div part="actions" class="actions">
      <button
        part="submit"
        class="submit"
        type="submit"
        aria-disabled=${this.saving ? "true" : "false"}
      >
        ${this.draft.stored ? "Save changes" : "Create entity"}
      </button>
      <span class="status" role="status"
        >${
          this.saving
            ? html`<span class="spinner" aria-hidden="true"></span> Saving…`
            : this.outcome === "saved"
              ? "Saved"
              : this.outcome === "invalid"
                ? "Please correct the highlighted inputs."
                : this.outcome === "deleted"
                  ? this.#deletedNote
                  : ""
        }</span
      >
      ${
        this.outcome === "refused" && refusal
          ? html`<p part="error" class="error" role="alert" id="refusal">
              Not saved: ${refusalUnplaced ? refusal.message : "see the highlighted input."}
            </p>`
          : nothing
      }
      ${
        this.outcome === "refused" && refusal?.code === "breaking_change"
          ? html`<button
              part="accept"
              class="accept"
              type="button"
              aria-describedby=${refusal.field ? `msg-${refusal.field}` : "refusal"}
              @click=${() => {
                if (!this.saving) void this.save({ acceptBreaking: true });
              }}
            >
              Save anyway
            </button>`
          : nothing
      }

      ${
        this.submitted && unplaced.length > 0
          ? html`<ul class="error">
              ${unplaced.map(([path, text]) => html`<li>${path}: ${text}</li>`)}
            </ul>`
          : nothing
      }
    </div>`;
  }

  private renderDeleteDialog(): TemplateResult {
    const { name, slug } = this.draft;
    const deletion = this.deletion;
    const withEntries = deletion?.step === "with-entries";
    return html`<dialog
      part="dialog"
      class="dialog"
      aria-labelledby="delete-heading"
      aria-describedby="delete-text"
      @close=${() => {
        this.deletion = undefined;
      }}
    >
      <h2 id="delete-heading">Delete ${name}?</h2>
      <div id="delete-text">
        ${
          withEntries
            ? html`<p>${deletion.message}</p>
                <p>Its entries go too, for every customer. This cannot be undone.</p>`
            : html`<p>Pages naming <code>${slug}</code> will show nothing.</p>`
        }
      </div>
      ${
        deletion?.message && !withEntries
          ? html`<p class="error" role="alert">${deletion.message}</p>`
          : nothing
      }
      <div class="checks">
        <button
          class="danger"
          type="button"
          aria-disabled=${deletion?.busy ? "true" : "false"}
          @click=${this.confirmDelete}
        >
          ${withEntries ? `Delete ${name} and its entries` : `Delete ${name}`}
        </button>
        <button
          class="cancel"
          type="button"
          @click=${() => {
            this.deletion = undefined;
          }}
        >
          Cancel
        </button>
      </div>
    </dialog>`;
  }

  private renderHandle({ list, item, index, count }: ListItem<Item>): TemplateResult {
    const name = item.label || "New item";
    return html`<button
      part="handle"
      class="handle"
      type="button"
      data-handle=${item.uid}
      aria-label=${`Reorder ${name}, position ${index + 1} of ${count}`}
      aria-describedby="reorder-help"
      @keydown=${(event: KeyboardEvent) => {
        const to = {
          ArrowUp: index - 1,
          ArrowLeft: index - 1,
          ArrowDown: index + 1,
          ArrowRight: index + 1,
          Home: 0,
          End: count - 1,
        }[event.key];
        if (to === undefined) return;
        event.preventDefault();
        this.move(list, item.uid, to);
      }}
      @pointerdown=${(event: PointerEvent) => {
        (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
        this.#drag = { list, uid: item.uid };
      }}
      @pointermove=${(event: PointerEvent) => {
        const drag = this.#drag;
        if (!drag) return;
        const over = (this.renderRoot as ShadowRoot)
          .elementFromPoint(event.clientX, event.clientY)
          ?.closest<HTMLElement>(`[data-list="${drag.list}"]`);
        if (over) this.move(drag.list, drag.uid, Number(over.dataset.index));
      }}
      @pointerup=${() => {
        this.#drag = undefined;
      }}
      @pointercancel=${() => {
        this.#drag = undefined;
      }}
    >
      <svg viewBox="0 0 10 16" width="10" height="16" aria-hidden="true">
        <circle cx="2" cy="3" r="1.5" /><circle cx="8" cy="3" r="1.5" />
        <circle cx="2" cy="8" r="1.5" /><circle cx="8" cy="8" r="1.5" />
        <circle cx="2" cy="13" r="1.5" /><circle cx="8" cy="13" r="1.5" />
      </svg>
    </button>`;
  }

  private renderRemove({ list, item }: ListItem<Item>, what: string): TemplateResult {
    return html`<button
      class="remove"
      type="button"
      aria-label=${`Remove ${what} ${item.label || "(unnamed)"}`}
      @click=${() => this.removeItem(list, item.uid, item.label)}
    >
      Remove
    </button>`;
  }

  /** A top-level section of the form: the fields or the pipelines. */
  private renderSection(
    list: "fields" | "pipelines",
    heading: string,
    empty: string,
    content: TemplateResult,
  ): TemplateResult {
    return html`<section part="section" class="section" aria-labelledby=${`${list}-heading`}>
      <h2 id=${`${list}-heading`}>${heading}</h2>
      ${this.draft[list].length === 0 ? html`<p class="hint">${empty}</p>` : nothing}
      ${content}
    </section>`;
  }

  /**
   * A reorderable list of the draft (fields, pipelines, a field's options, a
   * pipeline's stages): its items, its own message, and the button that adds a
   * blank item and focuses its label.
   */
  private renderList<T extends Item>(
    spec: { list: ListPath; of: (draft: EntityDraft) => T[]; add: string; blank: () => T },
    messages: Map<string, string>,
    view: (item: ListItem<T>) => TemplateResult,
  ): TemplateResult {
    const { list, of } = spec;
    const items = of(this.draft);
    const row = list.endsWith(".options") ? " row" : "";
    return html`<ol class="items">
        ${keyed(
          items,
          (item, index) => html`<li
            part="item"
            class=${`item${row}${this.#drag?.uid === item.uid ? " dragging" : ""}`}
            data-list=${list}
            data-index=${index}
          >
            ${view({
              path: `${list}.${index}`,
              item,
              at: (d) => of(d)[index]!,
              messages,
              list,
              index,
              count: items.length,
            })}
          </li>`,
        )}
      </ol>
      ${this.messageLine(list, messages)}
      <button
        class="add"
        type="button"
        @click=${() => {
          const item = spec.blank();
          this.edit(list, (draft) => {
            of(draft).push(item);
          });
          this.#focusAfterUpdate = `[data-path="${list}.${items.length}.label"]`;
        }}
      >
        ${spec.add}
      </button>`;
  }

  /** An item's head: its reorder handle, its title and its remove button. */
  private renderItemHead(
    item: ListItem<Item>,
    what: string,
    title: TemplateResult,
  ): TemplateResult {
    return html`<div class="item-head">
      ${this.renderHandle(item)} ${title} ${this.renderRemove(item, what)}
    </div>`;
  }

  private renderField(field: ListItem<FieldDraft>): TemplateResult {
    const { item, index } = field;
    const number = (key: "decimals" | "min" | "max" | "maxLength", label: string) =>
      this.text(field, key, label, {
        type: item.type === "date" && key !== "maxLength" ? "date" : "number",
      });
    return html`${this.renderItemHead(
      field,
      "field",
      html`<span class="item-title">${index + 1}. ${item.label || "New field"}
          <span class="meta">${TYPE_LABELS[item.type]}</span></span>`,
    )}
      <div class="grid">
        ${this.labelAndKey(field, "key")}
        ${this.selectControl(
          `${field.path}.type`,
          "Type",
          item.type,
          FIELD_TYPES.map((type) => [type, TYPE_LABELS[type]] as const),
          (value, d) => {
            const at = field.at(d);
            at.type = value as FieldType;
            if (value === "select" && at.options.length === 0) at.options.push(blankOption());
          },
        )}
        ${this.select(
          field,
          "customerAccess",
          "Customer access",
          (["none", "read", "write"] as const).map((access) => [access, ACCESS_LABELS[access]]),
        )}
      </div>
      ${this.text(field, "description", "Description")}
      <div class="checks">
        ${this.check(field, "required", "Required")}
        ${this.check(field, "history", "Keep a history of changes")}
        ${item.type === "text" ? this.check(field, "multiline", "Several lines") : nothing}
      </div>
      ${
        item.type === "number"
          ? html`<div class="grid">
              ${this.text(field, "unit", "Unit", { hint: "e.g. kilogram, percent, EUR" })}
              ${number("decimals", "Decimals")} ${number("min", "Minimum")} ${number("max", "Maximum")}
            </div>`
          : item.type === "date"
            ? html`<div class="grid">${number("min", "Earliest")} ${number("max", "Latest")}</div>`
            : item.type === "text"
              ? html`<div class="grid">${number("maxLength", "Maximum length")}</div>`
              : nothing
      }
      ${item.type === "select" ? this.renderSelectOptions(field) : nothing}`;
  }

  private renderSelectOptions(field: ListItem<FieldDraft>): TemplateResult {
    const list: ListPath = `fields.${field.index}.options`;
    const of = (d: EntityDraft) => field.at(d).options;
    return html`<fieldset class="sub">
      <legend>Options</legend>
      ${this.renderList(
        { list, of, add: "Add option", blank: blankOption },
        field.messages,
        (option) => html`${this.renderHandle(option)}
          ${this.labelAndKey(option, "value")} ${this.color(option)}
          ${this.renderRemove(option, "option")}`,
      )}
    </fieldset>`;
  }

  private renderPipeline(pipeline: ListItem<PipelineDraft>): TemplateResult {
    const list: ListPath = `pipelines.${pipeline.index}.stages`;
    const of = (d: EntityDraft) => pipeline.at(d).stages;
    return html`${this.renderItemHead(
      pipeline,
      "pipeline",
      html`<span class="item-title">${pipeline.item.label || "New pipeline"}</span>`,
    )}
      <div class="grid">${this.labelAndKey(pipeline, "key")}</div>
      <div class="checks">
        ${this.check(pipeline, "customerCanMove", "Customers may move their entries between stages")}
      </div>
      <fieldset class="sub">
        <legend>Stages, in order</legend>
        ${this.renderList(
          { list, of, add: "Add stage", blank: blankStage },
          pipeline.messages,
          (stage) => this.renderStage(stage),
        )}
      </fieldset>`;
  }

  private renderStage(stage: ListItem<StageDraft>): TemplateResult {
    const { item, index } = stage;
    return html`${this.renderItemHead(
      stage,
      "stage",
      html`<span
            class="swatch"
            .style=${colorStyle("--_swatch", item.color)}
            aria-hidden="true"
          ></span>
          <span class="item-title">${index + 1}. ${item.label || "New stage"}</span>`,
    )}
      <div class="grid">
        ${this.labelAndKey(stage, "key")}
        ${this.select(
          stage,
          "status",
          "Status",
          STAGE_STATUSES.map((status) => [status, STATUS_LABELS[status]] as const),
        )}
        ${this.color(stage)}
      </div>
      ${this.text(stage, "description", "Description")}`;
  }

  /** The text input of one text property of `scope`'s item. */
  private text<K extends string, T extends Record<K, string>>(
    scope: Scope<T>,
    key: K,
    label: string,
    options?: TextOptions,
  ): TemplateResult {
    return this.textControl(
      pathIn(scope, key),
      label,
      scope.item[key],
      scope.messages,
      (value, d) => {
        const item: Record<K, string> = scope.at(d);
        item[key] = value;
      },
      options,
    );
  }

  /** The select of one property of `scope`'s item that takes one of `choices` (value, label). */
  private select<K extends string, V extends string, T extends Record<K, V>>(
    scope: Scope<T>,
    key: K,
    label: string,
    choices: readonly (readonly [V, string])[],
  ): TemplateResult {
    return this.selectControl(pathIn(scope, key), label, scope.item[key], choices, (value, d) => {
      const item: Record<K, V> = scope.at(d);
      // The select offers only `choices`.
      item[key] = value as V;
    });
  }

  /** The checkbox of one yes/no property of `scope`'s item. */
  private check<K extends string, T extends Record<K, boolean>>(
    scope: Scope<T>,
    key: K,
    label: string,
  ): TemplateResult {
    return this.checkControl(pathIn(scope, key), label, scope.item[key], (value, d) => {
      const item: Record<K, boolean> = scope.at(d);
      item[key] = value;
    });
  }

  /** The color inputs of `scope`'s item (an option's or a stage's `color`). */
  private color(scope: Scope<{ color: string }>): TemplateResult {
    return this.colorControl(
      pathIn(scope, "color"),
      scope.item.color,
      scope.messages,
      (value, d) => {
        scope.at(d).color = value;
      },
    );
  }

  /**
   * The label and key inputs of a named item (`value` for a select option):
   * the key follows the label until it is typed by hand.
   */
  private labelAndKey<K extends "key" | "value">(scope: Scope<Named<K>>, key: K): TemplateResult {
    const edited = `${key}Edited` as const;
    return html`${this.textControl(
      pathIn(scope, "label"),
      "Label",
      scope.item.label,
      scope.messages,
      (value, d) => {
        const item = scope.at(d);
        // TypeScript writes a property named by a type parameter only through a record type.
        const keys: Record<K, string> = item;
        item.label = value;
        if (!item[edited]) keys[key] = keyFromLabel(value);
      },
    )}
    ${this.textControl(
      pathIn(scope, key),
      key === "key" ? "Key" : "Value",
      scope.item[key],
      scope.messages,
      (value, d) => {
        const item = scope.at(d);
        const keys: Record<K, string> = item;
        const edits: Record<`${K}Edited`, boolean> = item;
        keys[key] = value;
        edits[edited] = true;
      },
    )}`;
  }

  private messageLine(path: string, messages: Map<string, string>): TemplateResult {
    const text = this.messageFor(path, messages);
    return html`<span part="message" class="message" id=${`msg-${path}`}>${text}</span>`;
  }

  private textControl(
    path: string,
    label: string,
    value: string,
    messages: Map<string, string>,
    apply: (value: string, draft: EntityDraft) => void,
    options: TextOptions = {},
  ): TemplateResult {
    const id = `in-${path}`;
    const text = this.messageFor(path, messages);
    const onInput = (event: Event) => {
      const input = event.target as HTMLInputElement | HTMLTextAreaElement;
      this.edit(path, (d) => apply(input.value, d));
    };
    const describedBy = [`msg-${path}`, options.hint ? `hint-${path}` : ""].join(" ").trim();
    return html`<div class="control">
      <label for=${id}>${label}</label>
      ${
        options.multiline
          ? html`<textarea
              part="input"
              id=${id}
              data-path=${path}
              rows="2"
              .value=${live(value)}
              aria-invalid=${text ? "true" : "false"}
              aria-describedby=${describedBy}
              @input=${onInput}
            ></textarea>`
          : html`<input
              part="input"
              id=${id}
              data-path=${path}
              type=${options.type ?? "text"}
              .value=${live(value)}
              ?readonly=${options.readonly}
              aria-invalid=${text ? "true" : "false"}
              aria-describedby=${describedBy}
              @input=${onInput}
            />`
      }
      ${options.hint ? html`<span class="hint" id=${`hint-${path}`}>${options.hint}</span>` : nothing}
      <span part="message" class="message" id=${`msg-${path}`}>${text}</span>
    </div>`;
  }

  private selectControl(
    path: string,
    label: string,
    value: string,
    choices: readonly (readonly [string, string])[],
    apply: (value: string, draft: EntityDraft) => void,
  ): TemplateResult {
    const id = `in-${path}`;
    // Only the proxy refuses a choice (a type change that breaks stored values).
    const text = this.messageFor(path, new Map());
    return html`<div class="control">
      <label for=${id}>${label}</label>
      <select
        part="input"
        id=${id}
        data-path=${path}
        aria-invalid=${text ? "true" : "false"}
        aria-describedby=${`msg-${path}`}
        @change=${(event: Event) =>
          this.edit(path, (d) => apply((event.target as HTMLSelectElement).value, d))}
      >
        ${choices.map(
          ([choice, name]) =>
            html`<option value=${choice} ?selected=${choice === value}>${name}</option>`,
        )}
      </select>
      <span part="message" class="message" id=${`msg-${path}`}>${text}</span>
    </div>`;
  }

  private checkControl(
    path: string,
    label: string,
    value: boolean,
    apply: (value: boolean, draft: EntityDraft) => void,
  ): TemplateResult {
    return html`<label class="check"
      ><input
        part="input"
        type="checkbox"
        data-path=${path}
        .checked=${live(value)}
        @change=${(event: Event) =>
          this.edit(path, (d) => apply((event.target as HTMLInputElement).checked, d))}
      />${label}</label
    >`;
  }

  /** A color as `#rrggbb` text (empty: none) beside the browser's picker for the same value. */
  private colorControl(
    path: string,
    value: string,
    messages: Map<string, string>,
    apply: (value: string, draft: EntityDraft) => void,
  ): TemplateResult {
    const id = `in-${path}`;
    const text = this.messageFor(path, messages);
    const valid = /^#[0-9a-fA-F]{6}$/.test(value);
    return html`<div class="control">
      <label for=${id}>Color</label>
      <span class="color">
        <input
          part="input"
          class=${valid ? "picker" : "picker unset"}
          type="color"
          aria-label="Pick a color"
          .value=${live(valid ? value.toLowerCase() : "#000000")}
          @input=${(event: Event) =>
            this.edit(path, (d) => apply((event.target as HTMLInputElement).value, d))}
        />
        <input
          part="input"
          id=${id}
          data-path=${path}
          placeholder="none"
          size="8"
          .value=${live(value)}
          aria-invalid=${text ? "true" : "false"}
          aria-describedby=${`msg-${path}`}
          @input=${(event: Event) =>
            this.edit(path, (d) => apply((event.target as HTMLInputElement).value.trim(), d))}
        />
      </span>
      <span part="message" class="message" id=${`msg-${path}`}>${text}</span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "crm-entity-editor": CrmEntityEditor;
  }
  interface GlobalEventHandlersEventMap {
    "crm-entity-save": CustomEvent<CrmEntitySaveDetail>;
    "crm-entity-delete": CustomEvent<CrmEntityDeleteDetail>;
  }
}
