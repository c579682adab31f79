import { css } from "lit";

export const styles = css`
  :host {
    /* Laid out by the room the page gives it, not by the window. */
    container-type: inline-size;
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1.5em;
    align-items: start;
  }
  @container (min-width: 52em) {
    .layout {
      grid-template-columns: minmax(0, 3fr) minmax(16em, 2fr);
    }
    .preview {
      position: sticky;
      top: 1em;
    }
  }
  h2 {
    margin: 0 0 0.5em;
    font-size: 1.1em;
  }
  .form {
    display: grid;
    gap: 1.25em;
  }
  .section {
    display: grid;
    gap: 0.75em;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(8.5em, 1fr));
    gap: 0.5em 0.9em;
  }
  .control {
    display: grid;
    gap: 0.2em;
    align-content: start;
    min-width: 0;
  }
  .control label {
    font-size: 0.85em;
    font-weight: 600;
  }
  .control input:not([type="color"]),
  .control select,
  .control textarea {
    width: 100%;
    min-width: 0;
  }
  input[readonly] {
    color: var(--_muted);
    background: transparent;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.8em;
  }
  /* Each input keeps one line for its message, so messages never move what is below. */
  .message {
    min-height: 1.2em;
    color: var(--_danger);
    font-size: 0.8em;
  }
  .choice,
  .sub {
    display: grid;
    gap: 0.4em;
    margin: 0;
    padding: 0.6em 0.8em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  legend {
    padding: 0 0.3em;
    font-size: 0.85em;
    font-weight: 600;
  }
  .check {
    display: inline-flex;
    gap: 0.4em;
    align-items: center;
  }
  .checks {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em 1.2em;
  }
  .items {
    display: grid;
    gap: 0.6em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .item {
    display: grid;
    gap: 0.5em;
    padding: 0.6em 0.8em;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .item.row {
    grid-template-columns: auto minmax(0, 1fr) minmax(0, 1fr) minmax(9.5em, 1fr) auto;
    align-items: start;
  }
  /* A phone: nested boxes give up their side padding, an option's inputs take the full width. */
  @container (max-width: 36em) {
    .sub {
      padding-inline: 0.4em;
    }
    .item {
      padding-inline: 0.5em;
    }
    .item.row {
      grid-template-columns: auto minmax(0, 1fr) auto;
    }
    .item.row > .control {
      grid-column: 2 / 4;
    }
    .item.row > .control:first-of-type {
      grid-column: 2;
    }
    .item.row > .remove {
      grid-area: 1 / 3;
    }
  }
  .item.dragging {
    border-color: var(--_accent);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
  }
  .item-head {
    display: flex;
    gap: 0.6em;
    align-items: center;
  }
  .item-title {
    flex: 1;
    min-width: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .meta {
    margin-inline-start: 0.4em;
    color: var(--_muted);
    font-weight: 400;
    font-size: 0.85em;
  }
  .handle {
    display: inline-grid;
    place-items: center;
    min-width: 2em;
    min-height: 2em;
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_muted);
    cursor: grab;
    touch-action: none;
  }
  .handle svg {
    fill: currentColor;
  }
  .remove {
    padding: 0.2em 0.6em;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_danger);
  }
  .remove:hover {
    border-color: currentColor;
  }
  .add {
    justify-self: start;
    padding: 0.35em 0.9em;
    border: 1px dashed var(--_accent);
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_accent);
  }
  .swatch {
    width: 1em;
    height: 1em;
    border-radius: 50%;
    border: 1px solid var(--_border);
    background: var(--_swatch, transparent);
  }
  .color {
    display: flex;
    gap: 0.3em;
    align-items: center;
  }
  .picker {
    flex: none;
    width: 2.2em;
    height: 2.1em;
    padding: 0.1em;
  }
  /* No color chosen: the picker shows black, which must not read as a choice. */
  .picker.unset {
    opacity: 0.35;
  }
  .color input:not(.picker) {
    min-width: 0;
    flex: 1;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6em 1em;
    align-items: center;
    position: sticky;
    bottom: 0;
    padding: 0.6em 0;
    background: var(--_surface);
    border-top: 1px solid var(--_border);
  }
  .actions .error {
    margin: 0;
  }
  .submit {
    padding: 0.5em 1.2em;
    border: none;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  .submit[aria-disabled="true"],
  .danger[aria-disabled="true"] {
    opacity: 0.7;
    cursor: progress;
  }
  .accept,
  .delete,
  .cancel,
  .danger {
    padding: 0.45em 1em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_text);
  }
  .accept,
  .delete {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .danger {
    border-color: var(--_danger);
    background: var(--_danger);
    color: var(--_on-accent);
    font-weight: 600;
  }
  .dialog p {
    margin: 0 0 0.7em;
  }
  .sk-block {
    display: grid;
    gap: 0.75em;
  }
  .sk-title {
    width: 12em;
    height: 1.4em;
  }
  .sk-card {
    width: 100%;
    height: 6em;
  }
  @media (forced-colors: active) {
    .swatch {
      forced-color-adjust: none;
    }
  }
`;
