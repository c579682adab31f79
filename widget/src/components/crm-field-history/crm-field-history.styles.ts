import { css } from "lit";
import { theme } from "../theme.styles.ts";

export const styles = [
  theme,
  css`
    :host {
      display: block;
      --_line: var(--crm-chart-line, var(--_accent));
      --_goal: var(--crm-chart-goal, var(--_success));
    }
    .base {
      margin: 0;
      display: grid;
      gap: 0.4rem;
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    .label {
      font-weight: 600;
    }
    .ranges {
      display: inline-flex;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      overflow: hidden;
    }
    .ranges button {
      border: 0;
      background: transparent;
      padding: 0.2em 0.7em;
      font-size: 0.875em;
    }
    .ranges button + button {
      border-inline-start: 1px solid var(--_border);
    }
    .ranges [aria-pressed="true"] {
      background: var(--_accent);
      color: var(--_on-accent);
    }
    .focus {
      min-height: 1.4em;
      font-size: 0.875em;
      color: var(--_muted);
      font-variant-numeric: tabular-nums;
    }
    .chart {
      display: block;
      width: 100%;
      height: var(--crm-chart-height, auto);
      overflow: visible;
    }
    .grid {
      stroke: var(--_border);
      stroke-width: 1;
    }
    .axis {
      fill: var(--_muted);
      font-size: 11px;
      font-variant-numeric: tabular-nums;
    }
    .line {
      fill: none;
      stroke: var(--_line);
      stroke-width: 2;
      stroke-linejoin: round;
    }
    .goal {
      stroke: var(--_goal);
      stroke-width: 1.5;
      stroke-dasharray: 6 4;
    }
    .goal-label {
      fill: var(--_goal);
      font-size: 11px;
      font-weight: 600;
    }
    .trend,
    .projection {
      stroke: var(--_muted);
      stroke-width: 1.5;
      stroke-dasharray: 2 4;
    }
    /* In forced colors the theme's tokens become system colors, so the drawing follows. */
    .point {
      fill: var(--_surface);
      stroke: var(--_line);
      stroke-width: 2;
      outline: none;
    }
    .point.focused,
    .point:focus-visible {
      r: 6px;
      fill: var(--_line);
      stroke: var(--_text);
    }
    .summary {
      margin: 0;
    }
    .empty {
      margin: 0;
      color: var(--_muted);
      font-style: italic;
    }
    .plot-skeleton {
      display: block;
      height: 220px;
    }
    .table-view summary {
      cursor: pointer;
      color: var(--_accent);
      font-size: 0.875em;
    }
    table {
      border-collapse: collapse;
      margin-top: 0.4rem;
      font-variant-numeric: tabular-nums;
    }
    th,
    td {
      text-align: start;
      padding: 0.2em 1em 0.2em 0;
      border-bottom: 1px solid var(--_border);
    }
  `,
];
