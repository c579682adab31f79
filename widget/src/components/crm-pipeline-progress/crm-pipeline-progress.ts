import { html, type PropertyValues, type TemplateResult } from "lit";
import type {
  CrmStageValue,
  EntityDefinition,
  PipelineDefinition,
  StageDefinition,
} from "#domain/browser";
import { asCrmError } from "../../runtime/errors.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement, states } from "../crm-data-element.ts";
import { defineElement } from "../define.ts";
import { emit } from "../events.ts";
import { styles } from "./crm-pipeline-progress.styles.ts";
import { renderStages } from "./stages.ts";

interface PipelineData {
  entity: EntityDefinition;
  pipeline: PipelineDefinition;
  stage: CrmStageValue;
  /** When the entry last entered each stage it has been in, from the stage history. */
  reached: Record<string, string>;
}

/**
 * Where the session customer's entry stands in one pipeline: the stages in
 * order with their colors, the current one marked (`aria-current="step"`),
 * won/lost outcomes shown and named as such; consecutive outcomes are
 * alternatives of one step (Lead → Proposal → [Won | Lost]), so the one not
 * taken reads "not reached". When the pipeline lets customers
 * move stages, each other stage is a button that moves the entry there.
 *
 * @tagname crm-pipeline-progress
 * @summary A customer's progress through a pipeline's stages.
 *
 * @event {CrmChangeEvent} crm-change - The customer chose another stage; `detail: { slug, pipeline, value, previousValue }`.
 * @event {CrmSaveEvent} crm-save - The move was saved; `detail: { slug, fields: [], stage }`.
 * @event {CrmSaveErrorEvent} crm-save-error - The move was refused (the previous stage is shown again); `detail: { slug, error, errors }`.
 * @event {CrmLoadErrorEvent} crm-load-error - The pipeline could not be loaded; `detail: { error }`.
 *
 * @csspart base - The whole progress block.
 * @csspart summary - The line with the pipeline's name and the current stage.
 * @csspart pipeline-label - The pipeline's name.
 * @csspart current-label - "Stage 2 of 3: In Progress".
 * @csspart since - When the entry entered its stage, and how long ago (full layout).
 * @csspart stage-reached - When a completed or the current stage was reached (`show-history`, full layout).
 * @csspart stages - The ordered list of stages.
 * @csspart stage - Each stage; also `stage-completed`, `stage-current`, `stage-upcoming`, `stage-skipped` (an outcome not reached).
 * @csspart outcomes - One step holding alternative outcomes (Won, Lost) side by side under one bar.
 * @csspart marker - The circle (check, cross or dot) of a stage.
 * @csspart stage-label - A stage's name.
 * @csspart stage-description - A stage's description (`show-descriptions`).
 * @csspart move-button - A stage the customer may move to.
 * @csspart status - The "Saving…" status.
 * @csspart error - A load or save error.
 * @csspart retry - The retry button of the load error.
 * @csspart skeleton - The loading placeholder.
 *
 * @cssproperty --crm-stage-color - Color of stages that define none (default: the accent).
 * @cssproperty --crm-color-text - Text color.
 * @cssproperty --crm-color-muted - Upcoming stages and secondary text.
 * @cssproperty --crm-color-border - Upcoming stages' bar and markers.
 * @cssproperty --crm-color-surface - Marker background.
 * @cssproperty --crm-color-accent - Default stage color and focus ring.
 * @cssproperty --crm-color-danger - Errors.
 * @cssproperty --crm-color-skeleton - Loading placeholder.
 */
export class CrmPipelineProgress extends CrmDataElement<
  PipelineData,
  [string, string, string, boolean]
> {
  static override properties = {
    slug: { reflect: true },
    pipeline: { reflect: true },
    entryId: { attribute: "entry-id", reflect: true },
    layout: { reflect: true },
    showDescriptions: { attribute: "show-descriptions", type: Boolean, reflect: true },
    showHistory: { attribute: "show-history", type: Boolean, reflect: true },
    ...states("saving", "saveError", "saveOutcomeUnknown"),
  };

  static override styles = styles;

  /** The entity's slug, as in CRM settings. */
  slug = "";

  /** The pipeline's key. */
  pipeline = "";

  /** The entry to show, for entities with several entries per customer. */
  entryId = "";

  /** `full`: labeled steps; `compact`: one segmented bar and a one-line summary. */
  layout: "full" | "compact" = "full";

  /** Shows each stage's description under its name (full layout). */
  showDescriptions = false;

  /** Shows under each reached stage when it was reached (one more read, from the stage history). */
  showHistory = false;

  private saving = false;
  private saveError = "";
  /** The last save failed without saying whether it was stored (`outcome_unknown`). */
  private saveOutcomeUnknown = false;
  /** A move started from the keyboard or pointer inside: focus follows the current stage. */
  #keepFocus = false;

  protected override loadArgs(): [string, string, string, boolean] {
    return [this.slug, this.pipeline, this.entryId, this.showHistory];
  }

  protected override async load(
    runtime: CrmRuntime,
    slug: string,
    key: string,
    entry: string,
    showHistory: boolean,
  ): Promise<PipelineData> {
    const entryId = entry || undefined;
    const [entity, stage, history] = await Promise.all([
      runtime.getCrmEntity({ slug }),
      runtime.getCrmStage({ slug, pipeline: key, entryId }),
      showHistory ? runtime.getCrmStageHistory({ slug, pipeline: key, entryId }) : undefined,
    ]);
    const pipeline = entity.pipelines.find((candidate) => candidate.key === key);
    if (!pipeline) {
      throw asCrmError({ code: "pipeline_not_found", message: `Unknown pipeline ${key}` });
    }
    // Newest first: the first move into a stage found is the latest one.
    const reached: Record<string, string> = {};
    for (const move of history?.moves ?? []) {
      if (!Object.hasOwn(reached, move.stage)) reached[move.stage] = move.at;
    }
    return { entity, pipeline, stage, reached };
  }

  protected override renderLoading(): TemplateResult {
    const count = this.current?.pipeline.stages.length ?? 3;
    return html`<div
      part="skeleton"
      class="loading ${this.layout === "compact" ? "compact-skeleton" : ""}"
      aria-busy="true"
    >
      <span class="skeleton-row"><span class="skeleton skeleton-line"></span></span>
      <span class="skeleton-bar">${Array.from({ length: count }, () => html`<span class="skeleton"></span>`)}</span>
      <span class="sr-only">${this.t("loading")}</span>
    </div>`;
  }

  protected override renderValue({ pipeline, stage, reached }: PipelineData): TemplateResult {
    const layout = this.layout === "compact" ? "compact" : "full";
    return html`${renderStages({
      pipeline,
      position: stage.position,
      reached,
      locale: this.locale,
      layout,
      showDescriptions: this.showDescriptions,
      onMove: pipeline.customerCanMove ? this.move : undefined,
      busy: this.saving,
    })}
    <div class="save-state">${this.renderSaveState(this.saving, this.saveError, this.saveOutcomeUnknown)}</div>`;
  }

  /** Moves the entry to `stage` (optimistic; rolled back if the proxy refuses). */
  move = async (stage: StageDefinition): Promise<void> => {
    const data = this.current;
    if (!data || this.saving) return;
    const previousValue = data.stage.position?.stage ?? null;
    const detail = { slug: this.slug, pipeline: this.pipeline };
    emit(this, "crm-change", { ...detail, value: stage.key, previousValue });
    this.#keepFocus = this.shadowRoot?.activeElement != null;
    this.saving = true;
    this.saveError = "";
    this.saveOutcomeUnknown = false;
    try {
      const saved = await this.runtime.setCrmStage({
        ...detail,
        stage: stage.key,
        entryId: this.entryId || undefined,
      });
      emit(this, "crm-save", { slug: this.slug, fields: [], stage: saved });
    } catch (error) {
      const body = asCrmError(error).toJSON();
      this.saveError = body.message;
      this.saveOutcomeUnknown = body.code === "outcome_unknown";
      emit(this, "crm-save-error", { slug: this.slug, error: body, errors: {} });
    } finally {
      this.saving = false;
      await this.updateComplete;
      this.#refocus();
      this.#keepFocus = false;
    }
  };

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.#refocus();
  }

  /** The pressed stage stops being a button once it is current: focus moves to it, never to the page. */
  #refocus(): void {
    if (this.#keepFocus && !this.shadowRoot?.activeElement) {
      this.renderRoot.querySelector<HTMLElement>("[aria-current=step]")?.focus();
    }
  }
}

defineElement("crm-pipeline-progress")(CrmPipelineProgress);

declare global {
  interface HTMLElementTagNameMap {
    "crm-pipeline-progress": CrmPipelineProgress;
  }
}
