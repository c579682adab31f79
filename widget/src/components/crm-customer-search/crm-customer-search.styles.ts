import { css } from "lit";
import { backOfficeStyles } from "../../back-office/back-office.styles.ts";

export const styles = [
  backOfficeStyles,
  css`
    .search {
      position: relative;
      display: grid;
      gap: 0.3em;
    }
    label {
      font-weight: 600;
      font-size: 0.9em;
    }
    input {
      width: 100%;
      padding: 0.5em 0.65em;
    }
    .popup {
      position: absolute;
      z-index: 10;
      top: 100%;
      inset-inline: 0;
      margin-top: 0.25em;
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      box-shadow: 0 8px 24px rgb(0 0 0 / 0.16);
    }
    [role="listbox"] {
      margin: 0;
      padding: 0.25em 0;
      list-style: none;
    }
    .option {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 0.1em 1em;
      padding: 0.45em 0.75em;
      border-inline-start: 3px solid transparent;
      cursor: pointer;
    }
    .option:hover {
      background: color-mix(in srgb, var(--_accent) 8%, transparent);
    }
    .option[aria-selected="true"] {
      border-inline-start-color: var(--_accent);
      background: color-mix(in srgb, var(--_accent) 14%, transparent);
    }
    .subject {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .id {
      grid-row: 2;
      color: var(--_muted);
      font-family: ui-monospace, monospace;
      font-size: 0.8em;
      overflow-wrap: anywhere;
    }
    .counts {
      grid-row: 1 / span 2;
      align-self: center;
      color: var(--_muted);
      font-size: 0.85em;
      text-align: end;
    }
    @media (max-width: 480px) {
      .option {
        grid-template-columns: minmax(0, 1fr);
      }
      .counts {
        grid-row: auto;
        text-align: start;
      }
    }
    .note {
      margin: 0;
      padding: 0.6em 0.75em;
      color: var(--_muted);
      font-size: 0.9em;
    }
    .more {
      border-top: 1px solid var(--_border);
    }
    .error {
      display: block;
      padding: 0.6em 0.75em;
    }
    @media (forced-colors: active) {
      .option[aria-selected="true"] {
        outline: 2px solid Highlight;
        outline-offset: -2px;
      }
    }
  `,
];
