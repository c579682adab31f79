import { css } from "lit";
import { backOfficeStyles } from "../../back-office/back-office.styles.ts";
import { stagesStyles } from "../crm-pipeline-progress/crm-pipeline-progress.styles.ts";
import { entryCardStyles } from "../entry-card.ts";

export const styles = [
  backOfficeStyles,
  stagesStyles,
  entryCardStyles,
  css`
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
    .header .who {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.25em 1em;
      flex: 1 1 16em;
      min-width: 0;
    }
    .header h2 {
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5em;
    }
    .button {
      display: inline-flex;
      align-items: center;
      gap: 0.35em;
      padding: 0.3em 0.8em;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font-size: 0.9em;
      white-space: nowrap;
    }
    .button:hover {
      border-color: var(--_accent);
    }
    .button.solid {
      background: var(--_accent);
      border-color: var(--_accent);
      color: var(--_on-accent);
    }
    .button.danger {
      color: var(--_danger);
    }
    .button.danger:hover {
      border-color: var(--_danger);
    }
    .button.danger.solid {
      background: var(--_danger);
      border-color: var(--_danger);
      color: var(--_on-accent);
    }
    [aria-disabled="true"] {
      cursor: progress;
      opacity: 0.7;
    }
    .icon-button {
      padding: 0.05em 0.45em;
      border: 1px solid transparent;
      border-radius: var(--_radius);
      background: none;
      color: var(--_accent);
      font-size: 0.8em;
      text-decoration: underline;
      text-underline-offset: 0.2em;
    }
    .icon-button:hover {
      border-color: var(--_border);
      text-decoration: none;
    }
    .entity-head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5em;
    }
    .note {
      margin: 0;
      color: var(--_muted);
      font-size: 0.9em;
    }
    .pair dt {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.2em 0.5em;
    }
    .pair dd {
      display: grid;
      gap: 0.3em;
      justify-items: start;
    }
    .pair.wide {
      grid-column: 1 / -1;
    }
    .value.empty {
      color: var(--_muted);
      font-style: italic;
    }
    .field-buttons {
      display: inline-flex;
      gap: 0.2em;
      margin-inline-start: -0.45em;
    }
    .badge {
      padding: 0 0.45em;
      border: 1px dashed var(--_muted);
      border-radius: 999px;
      font-size: 0.85em;
      white-space: nowrap;
    }
    .editor {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4em;
      width: 100%;
    }
    .editor input,
    .editor select,
    .editor textarea {
      flex: 1 1 12em;
      min-width: 0;
    }
    .field-message {
      flex-basis: 100%;
      font-size: 0.85em;
    }
    .entry-foot {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5em;
    }
    .confirm-inline {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4em;
      font-size: 0.9em;
    }
    .history-wrap {
      width: 100%;
      overflow-x: auto;
    }
    .history {
      border-collapse: collapse;
      font-size: 0.85em;
      font-variant-numeric: tabular-nums;
    }
    .history caption {
      text-align: start;
      color: var(--_muted);
      padding-bottom: 0.2em;
    }
    .history th,
    .history td {
      padding: 0.2em 0.9em 0.2em 0;
      border-bottom: 1px solid var(--_border);
      text-align: start;
      white-space: nowrap;
    }
    /* Who made a change can be long (a staff member's e-mail): it wraps, dates and values do not. */
    .history td:last-child {
      white-space: normal;
      overflow-wrap: anywhere;
    }
    .history th {
      font-weight: 600;
    }
    .add-entry {
      display: grid;
      gap: 0.75em;
      padding: 0.9em 1em;
      border: 1px solid var(--_accent);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .add-fields {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(12em, 1fr));
      gap: 0.6em 1.2em;
    }
    .add-field {
      display: grid;
      gap: 0.2em;
      font-size: 0.9em;
    }
    .form-buttons,
    .dialog-buttons {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5em;
    }
    .dialog-buttons {
      justify-content: flex-end;
    }
    dialog h3 {
      margin: 0 0 0.5em;
      overflow-wrap: anywhere;
    }
    dialog p {
      margin: 0 0 0.8em;
      overflow-wrap: anywhere;
    }
    .unused {
      display: grid;
      gap: 0.5em;
      padding-top: 0.75em;
      border-top: 1px solid var(--_border);
    }
    .unused h3 {
      color: var(--_muted);
      font-size: 0.9em;
      font-weight: 600;
    }
    .unused-buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
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
