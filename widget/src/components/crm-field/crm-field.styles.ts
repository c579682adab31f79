import { css } from "lit";
import { theme } from "../theme.styles.ts";

export const styles = [
  theme,
  css`
    :host {
      display: inline;
      color: inherit;
    }
    .field {
      display: inline-flex;
      align-items: baseline;
      flex-wrap: wrap;
      gap: 0.35em;
      max-width: 100%;
    }
    .value {
      font-weight: var(--crm-field-value-weight, inherit);
      font-variant-numeric: tabular-nums;
      overflow-wrap: anywhere;
      white-space: pre-line;
    }
    .placeholder,
    .empty {
      color: var(--_muted);
      font-style: italic;
    }
    .editable .value {
      cursor: text;
      border-bottom: 1px dashed var(--_border);
    }
    .swatch {
      display: inline-block;
      width: 0.6em;
      height: 0.6em;
      border-radius: 50%;
      margin-inline-end: 0.3em;
      vertical-align: 0.05em;
      background: var(--_swatch);
    }
    .edit-button {
      display: inline-grid;
      place-items: center;
      align-self: center;
      width: 1.6em;
      height: 1.6em;
      padding: 0;
      border: 1px solid transparent;
      border-radius: var(--_radius);
      background: transparent;
      color: var(--_muted);
    }
    .edit-button:hover {
      color: var(--_accent);
      border-color: var(--_border);
    }
    .edit-button svg {
      width: 0.9em;
      height: 0.9em;
    }
    .editor {
      display: inline-flex;
      flex-direction: column;
      gap: 0.25em;
      vertical-align: top;
    }
    .editor input,
    .editor select,
    .editor textarea {
      min-width: 8em;
    }
    .message {
      font-size: 0.85em;
      color: var(--_danger);
    }
    .message:empty {
      display: none;
    }
    .status,
    .change {
      font-size: 0.85em;
      color: var(--_muted);
    }
    .skeleton {
      width: var(--crm-field-skeleton-width, 5em);
      line-height: 1;
      vertical-align: baseline;
    }
    /* Text gives the placeholder a baseline, so it sits on the line like the value will. */
    .skeleton::before {
      content: "\\200b";
    }
    @media (forced-colors: active) {
      .swatch {
        forced-color-adjust: none;
        border: 1px solid CanvasText;
      }
    }
  `,
];
