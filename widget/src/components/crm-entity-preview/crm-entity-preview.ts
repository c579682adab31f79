import { ContextProvider } from "@lit/context";
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { EntityDefinition } from "#domain/browser";
import { SAMPLE_ENTRY_ID, sampleCrmFetch } from "../../back-office/sample-crm.ts";
import { CrmRuntime } from "../../runtime/runtime.ts";
import { runtimeContext } from "../context.ts";
import "../crm-field/crm-field.ts";
import "../crm-form/crm-form.ts";
import "../crm-pipeline-progress/crm-pipeline-progress.ts";
import { theme } from "../theme.styles.ts";

/**
 * How a customer will see an entity: its `crm-form`, a `crm-field` and each
 * pipeline's `crm-pipeline-progress`, the real components, filled with sample
 * values. They read through a runtime of their own whose `fetch` is an
 * in-memory sample CRM (`sampleCrmFetch`), so the preview never reaches the
 * proxy and follows every change of `definition` at once.
 *
 * @summary Live preview of an entity definition with sample values.
 *
 * @csspart frame - The box around the preview.
 * @csspart note - The line saying the values are samples.
 */
@customElement("crm-entity-preview")
export class CrmEntityPreview extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
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

  readonly #provider = new ContextProvider(this, { context: runtimeContext });
  /** The definition the sample CRM answers for, as JSON: an equal one keeps it (and what was typed). */
  #answering = "";

  protected override willUpdate(changed: PropertyValues<this>): void {
    const json = JSON.stringify(this.definition ?? null);
    if (changed.has("definition") && this.definition && json !== this.#answering) {
      this.#answering = json;
      // A new sample CRM per definition: every preview component reads it again.
      this.#provider.setValue(
        new CrmRuntime({
          proxyUrl: "https://preview.invalid",
          token: "preview",
          fetch: sampleCrmFetch(this.definition),
          ...(this.runtimeLocale ? { locale: this.runtimeLocale } : {}),
        }),
      );
    }
  }

  private get runtimeLocale(): string | undefined {
    return this.closest("[lang]")?.getAttribute("lang") ?? undefined;
  }

  protected override render(): TemplateResult {
    const definition = this.definition;
    if (!definition)
      return html`<div part="frame" class="frame"><p part="note" class="note">Nothing to preview yet.</p></div>`;
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
