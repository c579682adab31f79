import { css, html, type nothing, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import type { EntityDefinition } from "#domain/browser";
import { backOfficeStyles } from "../../back-office/back-office.styles.ts";
import { type EntityDefinitions, entityDefinitionsOf } from "../../back-office/entity-client.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement } from "../crm-data-element.ts";
import type { CrmEntityEditor } from "../crm-entity-editor/crm-entity-editor.ts";
import { defineElement } from "../define.ts";

/** Detail of `crm-entity-select`: the chosen slug, empty for "New entity". */
export interface CrmEntitySelectDetail {
  slug: string;
}

/**
 * The entities of the CRM settings, to pick one for editing or start a new
 * one. With `for` naming the id of a `<crm-entity-editor>` in the same
 * document (or shadow root), choosing sets that editor's `slug`; either way a
 * `crm-entity-select` event says what was chosen. The list reads again when
 * an editor on the page saves (`crm-entity-save`), and selects what it saved,
 * or deletes (`crm-entity-delete`).
 *
 * @tagname crm-entity-list
 * @summary The list of entity definitions beside the CRM settings editor.
 *
 * @event crm-entity-select - An entity (or "New entity") was chosen; `detail: { slug }`.
 * @event {CrmLoadErrorEvent} crm-load-error - The list could not be loaded; `detail: { error }`.
 *
 * @csspart list - The list of entities.
 * @csspart entity - One entity's button.
 * @csspart new - The "New entity" button.
 * @csspart empty - Shown when there are no entities.
 * @csspart error - A load error.
 * @csspart retry - The retry button of the load error.
 * @csspart skeleton - The loading placeholder.
 */
@defineElement("crm-entity-list")
export class CrmEntityList extends CrmDataElement<
  EntityDefinition[],
  [EntityDefinitions | undefined, number]
> {
  static override styles = [
    backOfficeStyles,
    css`
      nav {
        display: grid;
        gap: 0.5em;
      }
      ul {
        display: grid;
        gap: 0.25em;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      button.entity,
      .new {
        width: 100%;
        padding: 0.45em 0.7em;
        text-align: start;
        border: 1px solid transparent;
        border-radius: var(--_radius);
        background: transparent;
      }
      button.entity:hover {
        border-color: var(--_border);
      }
      button.entity[aria-current="true"] {
        border-color: var(--_accent);
        background: var(--_surface);
        font-weight: 600;
      }
      .slug {
        display: block;
        color: var(--_muted);
        font-size: 0.8em;
        font-weight: 400;
      }
      .new {
        border: 1px dashed var(--_accent);
        color: var(--_accent);
      }
      .empty {
        margin: 0;
        color: var(--_muted);
      }
      .sk {
        display: grid;
        gap: 0.4em;
      }
      .sk .skeleton {
        width: 100%;
        height: 2.2em;
      }
    `,
  ];

  /** The id of the `<crm-entity-editor>` that choosing an entity opens it in. */
  @property() for = "";

  /** The chosen entity's slug (empty: a new entity). */
  @property({ reflect: true }) selected = "";

  /** Where definitions are read; default: the page runtime's back-office routes. */
  @property({ attribute: false }) client: EntityDefinitions | undefined;

  /** Counts saves heard: each reads the list again. */
  @state() private version = 0;

  protected override loadArgs(): [EntityDefinitions | undefined, number] {
    return [this.client, this.version];
  }

  protected override load(runtime: CrmRuntime): Promise<EntityDefinition[]> {
    return this.definitionsOf(runtime).listEntities();
  }

  protected override isEmpty(list: EntityDefinition[]): boolean {
    return list.length === 0;
  }

  readonly #onSave = (event: Event) => {
    const { definition } = (event as CustomEvent<{ definition: EntityDefinition }>).detail;
    this.selected = definition.slug;
    this.version++;
  };

  /** A deleted entity leaves the list; the editor it was open in shows a new entity. */
  readonly #onDelete = () => {
    this.selected = "";
    this.version++;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Composed, so an editor inside another component's shadow root is heard too.
    document.addEventListener("crm-entity-save", this.#onSave);
    document.addEventListener("crm-entity-delete", this.#onDelete);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("crm-entity-save", this.#onSave);
    document.removeEventListener("crm-entity-delete", this.#onDelete);
  }

  private definitionsOf(runtime: CrmRuntime): EntityDefinitions {
    return this.client ?? entityDefinitionsOf(runtime);
  }

  /** Chooses an entity (or a new one, with `""`), opening it in the `for` editor. */
  choose(slug: string): void {
    this.selected = slug;
    const root = this.getRootNode() as Document | ShadowRoot;
    const editor = this.for ? root.getElementById(this.for) : null;
    if (editor?.localName === "crm-entity-editor") (editor as CrmEntityEditor).slug = slug;
    this.dispatchEvent(
      new CustomEvent<CrmEntitySelectDetail>("crm-entity-select", {
        detail: { slug },
        bubbles: true,
        composed: true,
      }),
    );
  }

  protected override render(): TemplateResult | typeof nothing {
    return this.renderData();
  }

  protected override renderLoading(): TemplateResult {
    return html`<div part="skeleton" class="sk" aria-busy="true">
      <span class="skeleton"></span><span class="skeleton"></span
      ><span class="sr-only">${this.t("loading")}</span>
    </div>`;
  }

  protected override renderEmpty(): TemplateResult {
    return html`<nav aria-label="Entities">
      <p part="empty" class="empty">No entities yet.</p>
      ${this.renderNew()}
    </nav>`;
  }

  protected override renderValue(list: EntityDefinition[]): TemplateResult {
    return html`<nav aria-label="Entities">
      <ul part="list">
        ${list.map(
          (entity) => html`<li>
            <button
              part="entity"
              class="entity"
              type="button"
              aria-current=${this.selected === entity.slug ? "true" : "false"}
              @click=${() => this.choose(entity.slug)}
            >
              ${entity.name}<span class="slug">${entity.slug}</span>
            </button>
          </li>`,
        )}
      </ul>
      ${this.renderNew()}
    </nav>`;
  }

  private renderNew(): TemplateResult {
    return html`<button part="new" class="new" type="button" @click=${() => this.choose("")}>
      New entity
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "crm-entity-list": CrmEntityList;
  }
  interface GlobalEventHandlersEventMap {
    "crm-entity-select": CustomEvent<CrmEntitySelectDetail>;
  }
}
