import { html, nothing, type TemplateResult } from "lit";
import { property } from "lit/decorators.js";
import { type CustomerEntries, staffClient } from "../../back-office/staff-client.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement } from "../crm-data-element.ts";
import { defineElement } from "../define.ts";
import { renderEntryCard } from "../entry-card.ts";
import { formatTimestamp } from "../format.ts";
import { styles } from "./crm-customer-details.styles.ts";

/**
 * The back office "CRM tab" of one customer: every entry linked to them
 * across all entities, grouped by entity, with each entry's fields and its
 * stage in every pipeline. Reads through the proxy's staff routes, so it needs
 * a staff token (`configure({ staffTokenProvider })`, the same shape as the
 * customer session's provider); use it only on back office pages.
 *
 * @tagname crm-customer-details
 * @summary All CRM entries of one customer, for the back office.
 *
 * @event {CrmLoadErrorEvent} crm-load-error - The entries could not be loaded; `detail: { error }`.
 *
 * @csspart header - The customer's heading line.
 * @csspart entity - One entity's section.
 * @csspart entity-heading - An entity's name and entry count.
 * @csspart entry - One entry's card.
 * @csspart values - The entry's fields (a description list).
 * @csspart field-label - A field's label.
 * @csspart field-value - A field's formatted value.
 * @csspart stages - A pipeline's stage list inside an entry.
 * @csspart updated - When the entry last changed.
 * @csspart empty - Shown when the customer has no entries.
 * @csspart error - A load error.
 * @csspart retry - The retry button of the load error.
 * @csspart skeleton - The loading placeholder.
 *
 * @cssproperty --crm-spacing - Gap between entries.
 * @cssproperty --crm-stage-color - Color of stages that define none.
 * @cssproperty --crm-color-text - Text color.
 * @cssproperty --crm-color-muted - Labels and secondary text.
 * @cssproperty --crm-color-surface - Card background.
 * @cssproperty --crm-color-border - Borders.
 * @cssproperty --crm-radius - Corner radius.
 */
@defineElement("crm-customer-details")
export class CrmCustomerDetails extends CrmDataElement<CustomerEntries, [string]> {
  static override styles = styles;

  /** The customer's id (as the proxy resolved it from their session). */
  @property({ attribute: "customer-id", reflect: true }) customerId = "";

  protected override loadArgs(): [string] {
    return [this.customerId];
  }

  /** Through the staff routes, with the runtime's staff token (`staffToken`/`staffTokenProvider`). */
  protected override load(runtime: CrmRuntime, customerId: string): Promise<CustomerEntries> {
    return staffClient(runtime).getCustomerEntries(customerId);
  }

  protected override isEmpty(value: CustomerEntries): boolean {
    return value.entries.length === 0;
  }

  protected override render(): TemplateResult | typeof nothing {
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
    return html`<div class="details">
      ${this.renderHeader(this.current)}
      <p part="empty" class="empty-box">${this.t("noCrmData")}</p>
    </div>`;
  }

  private renderHeader(data: CustomerEntries | undefined): TemplateResult {
    const createdAt = data?.customer?.createdAt;
    return html`<header part="header" class="header">
      <h2>${this.t("customer", { id: "" }).trim()}</h2>
      <code class="meta">${this.customerId}</code>
      ${
        typeof createdAt === "string"
          ? html`<span class="meta">${this.t("since", { date: formatTimestamp(createdAt, this.locale) })}</span>`
          : nothing
      }
    </header>`;
  }

  protected override renderValue(data: CustomerEntries): TemplateResult {
    const locale = this.locale;
    return html`<div class="details">
      ${this.renderHeader(data)}
      ${data.entities.map((entity) => {
        const entries = data.entries.filter((entry) => entry.slug === entity.slug);
        if (entries.length === 0) return nothing;
        const headingId = `entity-${entity.slug}`;
        return html`<section part="entity" class="entity" aria-labelledby=${headingId}>
          <h3 part="entity-heading" id=${headingId}>
            ${entity.name} <span class="count">(${entries.length})</span>
          </h3>
          <ul class="entries">
            ${entries.map(
              (entry) =>
                html`<li>${renderEntryCard({ entity, entry, fields: entity.fields, locale, stagesLayout: "full" })}</li>`,
            )}
          </ul>
        </section>`;
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "crm-customer-details": CrmCustomerDetails;
  }
}
