import { html, nothing, type TemplateResult } from "lit";
import { styleMap } from "lit/directives/style-map.js";
import type { PipelineDefinition, StageDefinition, StagePosition } from "#domain";
import { formatTimestamp } from "../format.ts";
import { message } from "../messages.ts";

export interface StagesOptions {
  pipeline: PipelineDefinition;
  position: StagePosition | null;
  locale: string;
  layout: "full" | "compact";
  showDescriptions: boolean;
  /** Set when the customer may move the entry: stages become buttons. */
  onMove?: (stage: StageDefinition) => void;
  busy?: boolean;
}

type StageState = "completed" | "current" | "upcoming" | "skipped";

const icons = {
  won: html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3.5 8.5l3 3 6-7" /></svg>`,
  lost: html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4.5 4.5l7 7m0-7l-7 7" /></svg>`,
  completed: html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3.5 8.5l3 3 6-7" /></svg>`,
};

/** "Stage 2 of 3: In Progress", the name screen readers hear for the current stage. */
export function stageName(
  locale: string,
  index: number,
  total: number,
  stage: StageDefinition,
): string {
  return message(locale, "stageOf", { n: index + 1, total, label: stage.label });
}

/**
 * The stages of one pipeline as an ordered list, the current one marked with
 * `aria-current="step"`. Pure rendering, shared with `crm-customer-details`.
 */
export function renderStages(options: StagesOptions): TemplateResult {
  const { pipeline, position, locale, layout } = options;
  const stages = pipeline.stages;
  const currentIndex = position ? stages.findIndex((stage) => stage.key === position.stage) : -1;
  const current = stages[currentIndex];
  const total = stages.length;
  const summary = current
    ? stageName(locale, currentIndex, total, current)
    : message(locale, "notStarted");
  const outcome = current && current.status !== "active" ? current.status : "active";
  return html`<div
    part="base"
    class="pipeline ${layout} outcome-${outcome}"
  >
    <div part="summary" class="summary">
      <span part="pipeline-label" class="pipeline-label">${pipeline.label}</span>
      <span part="current-label" class="current-label">
        ${summary}${current && current.status !== "active" ? ` (${message(locale, current.status)})` : nothing}
      </span>
      ${
        position && layout === "full"
          ? html`<span part="since" class="since"
              >${message(locale, "since", { date: formatTimestamp(position.enteredAt, locale) })}</span
            >`
          : nothing
      }
    </div>
    <ol part="stages" class="stages" aria-label=${pipeline.label} aria-busy=${options.busy ? "true" : "false"}>
      ${stages.map((stage, index) => {
        // An outcome the entry passed by (Won before a current Lost) was never reached, and
        // nothing follows a final outcome (Lost after a current Won).
        const state: StageState =
          index === currentIndex
            ? "current"
            : index > currentIndex
              ? outcome === "active"
                ? "upcoming"
                : "skipped"
              : stage.status === "active"
                ? "completed"
                : "skipped";
        return renderStage(options, stage, index, state);
      })}
    </ol>
  </div>`;
}

function renderStage(
  options: StagesOptions,
  stage: StageDefinition,
  index: number,
  state: StageState,
): TemplateResult {
  const { locale, layout, showDescriptions, onMove } = options;
  const total = options.pipeline.stages.length;
  // Terminal outcomes read as themselves ("won", "lost"); otherwise the step's state.
  const stateWord = state === "current" && stage.status !== "active" ? stage.status : state;
  const classes = `stage ${state} status-${stage.status}`;
  const color = stage.color ? styleMap({ "--_stage": stage.color }) : nothing;
  const marker = html`<span part="marker" class="marker" aria-hidden="true"
    >${
      state === "current" && stage.status !== "active"
        ? icons[stage.status]
        : state === "completed"
          ? icons.completed
          : html`<span class="dot"></span>`
    }</span
  >`;
  const text = html`<span class="text">
    <span part="stage-label" class="stage-label"
      ><span class="sr-only">${stageName(locale, index, total, stage).replace(stage.label, "")}</span
      >${stage.label}<span class="sr-only">, ${message(locale, stateWord)}</span></span
    >
    ${
      showDescriptions && layout === "full" && stage.description
        ? html`<span part="stage-description" class="stage-description">${stage.description}</span>`
        : nothing
    }
  </span>`;
  const movable = onMove && state !== "current";
  return html`<li
    part="stage stage-${state}"
    class=${classes}
    style=${color}
    aria-current=${state === "current" ? "step" : nothing}
  >
    ${
      movable
        ? html`<button
            part="move-button"
            class="move"
            type="button"
            title=${message(locale, "moveTo", { label: stage.label })}
            ?disabled=${options.busy}
            @click=${() => onMove(stage)}
          >
            ${marker}${text}
          </button>`
        : html`${marker}${text}`
    }
  </li>`;
}
