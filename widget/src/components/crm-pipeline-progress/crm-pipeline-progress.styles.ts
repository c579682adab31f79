import { css } from "lit";
import { theme } from "../theme.styles.ts";

/** Styles of the stage list, shared with crm-customer-details. */
export const stagesStyles = css`
  .pipeline {
    --_stage-default: var(--crm-stage-color, var(--_accent));
    display: grid;
    gap: 0.6em;
  }
  .summary {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25em 0.75em;
  }
  .pipeline-label {
    font-weight: 600;
  }
  .current-label {
    color: var(--_text);
  }
  .since {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .stages {
    display: flex;
    gap: 0.25em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .stage {
    --_c: var(--_stage, var(--_stage-default));
    flex: 1 1 0;
    min-width: 0;
    display: flex;
    flex-direction: column;
    gap: 0.35em;
    padding-top: 0.5em;
    border-top: 4px solid var(--_border);
    color: var(--_muted);
    font-size: 0.875em;
  }
  .stage.skipped .marker {
    opacity: 0.5;
  }
  .stage.skipped .stage-label {
    text-decoration: line-through;
  }
  .stage.completed {
    border-top-color: var(--_c);
    color: var(--_text);
  }
  .stage.current {
    border-top-color: var(--_c);
    border-top-width: 6px;
    padding-top: calc(0.5em - 2px);
    color: var(--_text);
    font-weight: 600;
  }
  .stage.current.status-lost,
  .outcomes.status-lost {
    border-top-style: dashed;
  }
  /* Alternative outcomes share one step: one bar over them, side by side beneath it. */
  .outcomes {
    --_c: var(--_stage, var(--_stage-default));
    flex: 1 1 0;
    min-width: 0;
    padding-top: 0.5em;
    border-top: 4px solid var(--_border);
  }
  .outcomes.reached {
    border-top-color: var(--_c);
    border-top-width: 6px;
    padding-top: calc(0.5em - 2px);
  }
  .alternatives {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35em 1.25em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .stages .alternatives > .stage {
    flex: 0 1 auto;
    padding: 0;
    border: 0;
  }
  .marker {
    display: inline-grid;
    place-items: center;
    flex: none;
    width: 1.5em;
    height: 1.5em;
    border-radius: 50%;
    border: 2px solid var(--_border);
    background: var(--_surface);
  }
  .marker svg {
    width: 1em;
    height: 1em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2.2;
    stroke-linecap: round;
  }
  .dot {
    width: 0.5em;
    height: 0.5em;
    border-radius: 50%;
    background: var(--_border);
  }
  .completed .marker {
    border-color: var(--_c);
    background: var(--_c);
    color: var(--_surface);
  }
  .current .marker {
    border-color: var(--_c);
  }
  .current .dot {
    background: var(--_c);
  }
  .current.status-won .marker {
    background: var(--_c);
    color: var(--_surface);
  }
  .current.status-lost .marker {
    border-style: dashed;
    color: var(--_c);
  }
  .text {
    display: grid;
    gap: 0.15em;
    overflow-wrap: anywhere;
  }
  .stage-description,
  .stage-reached {
    color: var(--_muted);
    font-weight: 400;
  }
  .stage-reached {
    font-size: 0.875em;
  }
  .move {
    display: flex;
    flex-direction: column;
    gap: 0.35em;
    align-items: flex-start;
    padding: 0;
    border: 0;
    background: none;
    text-align: start;
    font-weight: inherit;
  }
  .move .stage-label {
    text-decoration: underline dotted var(--_muted);
    text-underline-offset: 0.2em;
  }
  .move:hover .stage-label {
    text-decoration: underline;
  }
  .move[disabled] {
    cursor: progress;
  }
  /* Compact: one segmented bar and a one-line summary. */
  .compact .stages {
    gap: 2px;
  }
  .compact .stage {
    padding: 0;
    border-top-width: 6px;
  }
  .compact .stage.current,
  .compact .outcomes {
    border-top-width: 6px;
    padding: 0;
  }
  .compact .alternatives > .stage {
    flex: 1 1 0;
  }
  .compact .marker,
  .compact .text {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
  .compact .move {
    min-height: 0.75em;
    width: 100%;
  }
  .compact .pipeline-label {
    font-weight: 500;
  }
  @media (forced-colors: active) {
    .stage,
    .marker,
    .completed .marker,
    .current .marker {
      border-color: CanvasText;
    }
    .completed,
    .current {
      border-top-color: Highlight;
    }
    .completed .marker {
      background: Highlight;
      color: HighlightText;
    }
    .current .dot {
      background: Highlight;
    }
  }
`;

export const styles = [
  theme,
  stagesStyles,
  css`
    :host {
      display: block;
      color: var(--_text);
    }
    /* Sized like the loaded block (summary line, stage bar with marker and label): no jump. */
    .skeleton-row {
      display: flex;
      align-items: center;
      height: 1.4em;
    }
    .skeleton-line {
      width: 12em;
    }
    .skeleton-bar {
      display: flex;
      gap: 0.25em;
    }
    .skeleton-bar .skeleton {
      flex: 1;
      height: 3.5em;
      min-width: 0;
    }
    .compact-skeleton .skeleton-bar .skeleton {
      height: 6px;
    }
    .loading {
      display: grid;
      gap: 0.6em;
    }
    .save-state {
      display: flex;
      gap: 0.75em;
      font-size: 0.875em;
    }
    .save-state > * {
      margin-top: 0.4em;
    }
    .status {
      color: var(--_muted);
    }
  `,
];
