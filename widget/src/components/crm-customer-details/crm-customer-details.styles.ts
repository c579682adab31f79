import { css } from "lit";
import { stagesStyles } from "../crm-pipeline-progress/crm-pipeline-progress.styles.ts";
import { entryCardStyles } from "../entry-card.ts";
import { theme } from "../theme.styles.ts";

export const styles = [
  theme,
  stagesStyles,
  entryCardStyles,
  css`
    :host {
      display: block;
      color: var(--_text);
    }
    .details {
      display: grid;
      gap: calc(var(--_gap) * 1.5);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.25em 1em;
      padding-bottom: 0.5em;
      border-bottom: 1px solid var(--_border);
    }
    h2,
    h3 {
      margin: 0;
    }
    h2 {
      font-size: 1.15em;
    }
    h3 {
      font-size: 1em;
      display: flex;
      gap: 0.4em;
      align-items: baseline;
    }
    .count {
      color: var(--_muted);
      font-weight: 400;
      font-size: 0.9em;
    }
    .meta {
      color: var(--_muted);
      font-size: 0.875em;
    }
    code.meta {
      font-family: ui-monospace, monospace;
    }
    .entity {
      display: grid;
      gap: 0.6em;
    }
    .entries {
      display: grid;
      gap: var(--_gap);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .entry-pipeline {
      padding-top: 0.3em;
    }
    .sk-block {
      display: grid;
      gap: 0.6em;
    }
    .sk-block .skeleton {
      display: block;
    }
    .sk-title {
      width: 14em;
      height: 1.3em;
    }
    .sk-card {
      height: 6em;
      width: 100%;
    }
  `,
];
