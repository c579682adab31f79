import { html, nothing, type TemplateResult } from "lit";
import {
  ownValue,
  type PipelineDefinition,
  type StageDefinition,
  type StagePosition,
} from "#domain/browser";
import { colorStyle, formatTimestamp } from "../format.ts";
import { words } from "../messages.ts";

export interface StagesOptions {
  pipeline: PipelineDefinition;
  position: StagePosition | null;
  /** When each stage was last entered (from the stage history), shown under reached stages. */
  reached?: Record<string, string>;
  locale: string;
  layout: "full" | "compact";
  showDescriptions: boolean;
  /** Set when the customer may move the entry: stages become buttons (the current one takes focus after a move). */
  onMove?: (stage: StageDefinition) => void;
  /** A move is being saved: buttons stay focusable but say they are disabled (the mover ignores them). */
  busy?: boolean;
}

type StageState = "completed" | "current" | "upcoming" | "skipped";

/** The words of stages, on the pages that show some (progress, entries, customer details). */
export const stageWord = /* @__PURE__ */ words(
  {
    stageOf: "Stage {n} of {total}: {label}",
    notStarted: "Not started",
    completed: "completed",
    current: "current",
    upcoming: "upcoming",
    skipped: "not reached",
    won: "won",
    lost: "lost",
    moveTo: "Move to {label}",
    since: "since {date}",
  },
  [
    "Phase {n} von {total}: {label}",
    "Nicht begonnen",
    "abgeschlossen",
    "aktuell",
    "anstehend",
    "nicht erreicht",
    "gewonnen",
    "verloren",
    "Nach {label} verschieben",
    "seit {date}",
  ],
);

/** " (won)" after an outcome stage's label, unless the label already says it ("Won"). */
export function outcomeSuffix(locale: string, stage: StageDefinition | undefined): string {
  if (!stage || stage.status === "active") return "";
  const word = stageWord(locale, stage.status);
  return stage.label.toLowerCase() === word.toLowerCase() ? "" : ` (${word})`;
}

const check = html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3.5 8.5l3 3 6-7" /></svg>`;
const icons = {
  won: check,
  lost: html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4.5 4.5l7 7m0-7l-7 7" /></svg>`,
  completed: check,
};

/** How long ago `at` was, in whole days, or weeks from two weeks on ("3 days", "8 weeks"). */
function timeSince(at: string, locale: string): string {
  const days = Math.max(0, Math.floor((Date.now() - Date.parse(at)) / 86_400_000));
  const [count, unit] = days < 14 ? [days, "day"] : [Math.floor(days / 7), "week"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(count);
}

/** "Stage 2 of 3: In Progress", the name screen readers hear for the current stage. */
export function stageName(
  locale: string,
  step: number,
  total: number,
  stage: StageDefinition,
): string {
  return stageWord(locale, "stageOf", { n: step + 1, total, label: stage.label });
}

/**
 * The stages of one pipeline as an ordered list, the current one marked with
 * `aria-current="step"`. Consecutive outcomes (won, lost) are alternatives, not
 * a sequence: they share one step (Lead → Proposal → [Won | Lost]). Pure
 * rendering, shared with `crm-customer-details`.
 */
export function renderStages(options: StagesOptions): TemplateResult {
  const { pipeline, position, locale, layout } = options;
  const stages = pipeline.stages;
  // The step of each stage: an outcome right after another outcome shares its step.
  const steps: number[] = [];
  stages.forEach((stage, index) => {
    const alternative = stage.status !== "active" && stages[index - 1]?.status !== "active";
    steps.push((steps[index - 1] ?? -1) + (index > 0 && alternative ? 0 : 1));
  });
  const total = (steps[steps.length - 1] ?? -1) + 1;
  const currentIndex = position ? stages.findIndex((stage) => stage.key === position.stage) : -1;
  const current = stages[currentIndex];
  const currentStep = current ? steps[currentIndex]! : -1;
  const summary = current
    ? stageName(locale, currentStep, total, current)
    : stageWord(locale, "notStarted");
  const outcome = current && current.status !== "active" ? current.status : "active";
  const rendered = stages.map((stage, index) => {
    const step = steps[index]!;
    // The other outcome of a reached one was never reached, and nothing follows a final
    // outcome (Lost after a current Won).
    const state: StageState =
      index === currentIndex
        ? "current"
        : step === currentStep
          ? "skipped"
          : step > currentStep
            ? outcome === "active"
              ? "upcoming"
              : "skipped"
            : stage.status === "active"
              ? "completed"
              : "skipped";
    return renderStage(options, stage, step, total, state);
  });
  return html`<div
    part="base"
    class="pipeline ${layout} outcome-${outcome}"
  >
    <div part="summary" class="summary">
      <span part="pipeline-label" class="pipeline-label">${pipeline.label}</span>
      <span part="current-label" class="current-label">
        ${summary}${outcomeSuffix(locale, current)}
      </span>
      ${
        position && layout === "full"
          ? html`<span part="since" class="since"
              >${stageWord(locale, "since", { date: formatTimestamp(position.enteredAt, locale) })} · ${timeSince(position.enteredAt, locale)}</span
            >`
          : nothing
      }
    </div>
    <ol part="stages" class="stages" aria-label=${pipeline.label} aria-busy=${options.busy ? "true" : "false"}>
      ${Array.from({ length: total }, (_, step) => {
        const members = rendered.filter((_, index) => steps[index] === step);
        if (members.length === 1) return members[0];
        // Alternatives share one bar, in the reached outcome's color.
        const reached = currentStep === step ? current : undefined;
        return html`<li
          part="outcomes"
          class="outcomes ${reached ? `reached status-${reached.status}` : ""}"
          .style=${colorStyle("--_stage", reached?.color)}
        >
          <ul class="alternatives">${members}</ul>
        </li>`;
      })}
    </ol>
  </div>`;
}

function renderStage(
  options: StagesOptions,
  stage: StageDefinition,
  step: number,
  total: number,
  state: StageState,
): TemplateResult {
  const { locale, layout, showDescriptions, onMove } = options;
  const reachedAt = ownValue(options.reached, stage.key);
  // Terminal outcomes read as themselves ("won", "lost"); otherwise the step's state.
  const stateWord = state === "current" && stage.status !== "active" ? stage.status : state;
  const classes = `stage ${state} status-${stage.status}`;
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
      ><span class="sr-only">${stageName(locale, step, total, stage).replace(stage.label, "")}</span
      >${stage.label}<span class="sr-only">, ${stageWord(locale, stateWord)}</span></span
    >
    ${
      reachedAt && layout === "full" && (state === "completed" || state === "current")
        ? html`<span part="stage-reached" class="stage-reached">${formatTimestamp(reachedAt, locale)}</span>`
        : nothing
    }
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
    .style=${colorStyle("--_stage", stage.color)}
    aria-current=${state === "current" ? "step" : nothing}
    tabindex=${state === "current" && onMove ? "-1" : nothing}
  >
    ${
      movable
        ? html`<button
            part="move-button"
            class="move"
            type="button"
            title=${stageWord(locale, "moveTo", { label: stage.label })}
            aria-disabled=${options.busy ? "true" : "false"}
            @click=${() => onMove(stage)}
          >
            ${marker}${text}
          </button>`
        : html`${marker}${text}`
    }
  </li>`;
}
