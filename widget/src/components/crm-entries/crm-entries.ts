import { html, type TemplateResult } from "lit";
import type { CrmEntry, EntityDefinition, FieldDefinition } from "#domain/browser";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement } from "../crm-data-element.ts";
import { defineElement } from "../define.ts";
import { renderEntryCard } from "../entry-card.ts";
import { entityWithEntries, listedFields } from "../field-list.ts";
import { words } from "../messages.ts";
import { styles } from "./crm-entries.styles.ts";

const noEntries = words({ noEntries: "No entries yet." }, ["Noch keine Einträge."]);

interface EntriesData {
  entity: EntityDefinition;
  entries: CrmEntry[];
  fields: FieldDefinition[];
}

/**
 * Lists the session customer's entries of one entity (deals, orders…): each
 * entry's fields and where it stands in each pipeline. Updates when a widget
 * on the page changes one of them.
 *
 * @tagname crm-entries
 * @summary The customer's entries of one entity.
 *
 * @event {CrmLoadErrorEvent} crm-load-error - The entries could not be loaded; `detail: { error }`.
 *
 * @csspart list - The list of entries.
 * @csspart entry - One entry's card.
 * @csspart values - The entry's fields (a description list).
 * @csspart field-label - A field's label.
 * @csspart field-value - A field's formatted value.
 * @csspart stage-chips - The entry's stages, one chip per pipeline.
 * @csspart stage-chip - One pipeline's current stage.
 * @csspart updated - When the entry last changed.
 * @csspart empty - Shown when there are no entries.
 * @csspart error - A load error.
 * @csspart retry - The retry button of the load error.
 * @csspart skeleton - The loading placeholder.
 *
 * @cssproperty --crm-spacing - Gap between entries.
 * @cssproperty --crm-color-text - Text color.
 * @cssproperty --crm-color-muted - Labels and secondary text.
 * @cssproperty --crm-color-surface - Card background.
 * @cssproperty --crm-color-border - Card borders.
 * @cssproperty --crm-radius - Corner radius.
 * @cssproperty --crm-color-skeleton - Loading placeholder.
 */
export class CrmEntries extends CrmDataElement<EntriesData, [string, string]> {
  static override properties = {
    slug: { reflect: true },
    fields: { reflect: true },
  };

  static override styles = styles;

  /** The entity's slug, as in CRM settings. */
  slug = "";

  /** Comma-separated field keys to show, in order; default: the first four readable fields. */
  fields = "";

  protected override loadArgs(): [string, string] {
    return [this.slug, this.fields];
  }

  protected override async load(
    runtime: CrmRuntime,
    slug: string,
    fieldKeys: string,
  ): Promise<EntriesData> {
    const [entity, entries] = await entityWithEntries(runtime, slug);
    const fields = listedFields(entity, fieldKeys, (all) => all.slice(0, 4));
    return { entity, entries, fields };
  }

  protected override isEmpty(value: EntriesData): boolean {
    return value.entries.length === 0;
  }

  protected override renderLoading(): TemplateResult {
    return html`<div part="skeleton" class="list" aria-busy="true">
      ${[1, 2].map(
        () => html`<div class="sk-card">
          <span class="skeleton sk-wide"></span><span class="skeleton sk-narrow"></span>
        </div>`,
      )}
      <span class="sr-only">${this.t("loading")}</span>
    </div>`;
  }

  protected override renderEmpty(): TemplateResult {
    return html`<p part="empty" class="empty-box">${noEntries(this.locale, "noEntries")}</p>`;
  }

  protected override renderValue({ entity, entries, fields }: EntriesData): TemplateResult {
    return html`<ul part="list" class="list" aria-label=${entity.name}>
      ${entries.map(
        (entry) =>
          html`<li>${renderEntryCard({ entity, entry, fields, locale: this.locale, stagesLayout: "chips" })}</li>`,
      )}
    </ul>`;
  }
}

defineElement("crm-entries")(CrmEntries);

declare global {
  interface HTMLElementTagNameMap {
    "crm-entries": CrmEntries;
  }
}
