import { ContextProvider } from "@lit/context";
import { css, html, nothing, type TemplateResult } from "lit";
import { property } from "lit/decorators.js";
import type { EntityDefinition } from "#domain/browser";
import { backOfficeStyles } from "../../back-office/back-office.styles.ts";
import { SAMPLE_ENTRY_ID, sampleCrmFetch } from "../../back-office/sample-crm.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { runtimeContext } from "../context.ts";
import { CrmDataElement } from "../crm-data-element.ts";
import { defineElement } from "../define.ts";

/**
 * How a customer will see an entity: its `crm-form`, a `crm-field` and each
 * pipeline's `crm-pipeline-progress`, the real components, filled with sample
 * values. They read through a runtime of their own whose `fetch` is an
 * in-memory sample CRM (`sampleCrmFetch`), so the preview never reaches the
 * proxy and follows every change of `definition` at once.
 *
 * The customer components are not imported here: on a page, the back-office
 * bundle's autoloader loads their modules when their tags appear (in this
 * shadow root too), so they exist once; code that imports this module from
 * source imports them too.
 *
 * @tagname crm-entity-preview
 * @summary Live preview of an entity definition with sample values.
 *
 * @csspart frame - The box around the preview.
 * @csspart note - The line saying the values are samples.
 */
@defineElement("crm-entity-preview")
export class CrmEntityPreview extends CrmDataElement<
  CrmRuntime | null,
  [EntityDefinition | undefined]
> {
  static override styles = [
    backOfficeStyles,
    css`
      .frame {
        display: grid;
        gap: 1.25em;
        padding: 1em;
        border: 1px dashed var(--_border);
        border-radius: var(--_radius);
        color: var(--_text);
      }
      .note {
        margin: 0;
        color: var(--_muted);
        font-size: 0.85em;
      }
      .field-line {
        margin: 0;
      }
    `,
  ];

  /** The definition to show (a valid one: the editor passes the last valid state). */
  @property({ attribute: false }) definition: EntityDefinition | undefined;

  // The provider does not answer this element's own request: it still reads the page's runtime.
  readonly #provider = new ContextProvider(this, { context: runtimeContext });
  /** The definition the sample CRM answers for, as JSON, and that runtime. */
  #answering = "";
  #sample: CrmRuntime | null = null;

  protected override loadArgs(): [EntityDefinition | undefined] {
    return [this.definition];
  }

  /**
   * The preview's "data" is its sample runtime: a new one per definition (an
   * equal one keeps it, and what was typed into the preview), of the page
   * runtime's own class, answering from `sampleCrmFetch`.
   */
  protected override async load(runtime: CrmRuntime): Promise<CrmRuntime | null> {
    const definition = this.definition;
    if (!definition) return null;
    const json = JSON.stringify(definition);
    if (json !== this.#answering || !this.#sample) {
      const Runtime = runtime.constructor as new (config: object) => CrmRuntime;
      this.#answering = json;
      this.#sample = new Runtime({
        proxyUrl: "https://preview.invalid",
        token: "preview",
        fetch: sampleCrmFetch(definition),
        locale: this.locale,
      });
      this.#provider.setValue(this.#sample);
    }
    return this.#sample;
  }

  protected override isEmpty(sample: CrmRuntime | null): boolean {
    return sample === null;
  }

  protected override render(): TemplateResult | typeof nothing {
    return this.renderData();
  }

  protected override renderLoading(): TemplateResult {
    return html`<div part="frame" class="frame" aria-busy="true">
      <span class="sr-only">${this.t("loading")}</span>
    </div>`;
  }

  protected override renderEmpty(): TemplateResult {
    return html`<div part="frame" class="frame">
      <p part="note" class="note">Nothing to preview yet.</p>
    </div>`;
  }

  protected override renderValue(): TemplateResult {
    const definition = this.definition!;
    const entryId = definition.entriesPerReference === "many" ? SAMPLE_ENTRY_ID : nothing;
    const visible = definition.fields.filter((field) => field.customerAccess !== "none");
    const first = visible[0];
    return html`<div part="frame" class="frame">
      <p part="note" class="note">
        How a customer sees ${definition.name}, with sample values. Nothing here is saved.
      </p>
      ${
        visible.some((field) => field.customerAccess === "write")
          ? html`<crm-form slug=${definition.slug} entry-id=${entryId}></crm-form>`
          : html`<p class="note">No field is writable by customers, so there is no form.</p>`
      }
      ${
        first
          ? html`<p class="field-line">
              ${first.label}:
              <crm-field
                slug=${definition.slug}
                field=${first.key}
                entry-id=${entryId}
                ?editable=${first.customerAccess === "write"}
              ></crm-field>
            </p>`
          : html`<p class="note">Customers can see no field of this entity.</p>`
      }
      ${definition.pipelines.map(
        (pipeline) =>
          html`<crm-pipeline-progress
            slug=${definition.slug}
            pipeline=${pipeline.key}
            entry-id=${entryId}
          ></crm-pipeline-progress>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "crm-entity-preview": CrmEntityPreview;
  }
}
