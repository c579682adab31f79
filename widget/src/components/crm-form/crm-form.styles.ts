import { css } from "lit";
import { theme } from "../theme.styles.ts";

export const styles = [
  theme,
  css`
    :host {
      display: block;
      color: var(--_text);
    }
    /* The skeleton has the form's box, so nothing moves when the form arrives. */
    form,
    .loading {
      display: grid;
      gap: var(--_gap);
      padding: var(--crm-form-padding, 1rem);
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .heading {
      margin: 0;
      font-size: 1.1em;
      font-weight: 600;
    }
    .field {
      display: grid;
      gap: 0.3em;
    }
    label {
      font-weight: 600;
    }
    .required {
      color: var(--_danger);
      margin-inline-start: 0.15em;
    }
    .unit {
      font-weight: 400;
      color: var(--_muted);
    }
    .description {
      color: var(--_muted);
      font-size: 0.875em;
    }
    .description:empty {
      display: none;
    }
    input,
    select,
    textarea {
      width: 100%;
      max-width: var(--crm-form-input-width, 28rem);
      padding: 0.5em 0.6em;
    }
    .readonly {
      padding: 0.5em 0;
    }
    /* A message's line is kept even when empty: messages coming and going (leaving a field,
       a refused save) never move the Save button from under the pointer. */
    .field-error {
      min-height: 1lh;
      color: var(--_danger);
      font-size: 0.875em;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75em;
    }
    .submit {
      padding: 0.5em 1.2em;
      border: 1px solid var(--_accent);
      border-radius: var(--_radius);
      background: var(--_accent);
      color: var(--_on-accent);
      font-weight: 600;
    }
    .submit[aria-disabled="true"] {
      opacity: 0.75;
      cursor: progress;
    }
    .outcome {
      flex: 1 1 12em;
    }
    .form-status {
      font-size: 0.9em;
    }
    .form-status.saved {
      color: var(--_success);
    }
    .form-status.failed,
    .form-status.invalid {
      color: var(--_danger);
    }
    .loading .skeleton {
      display: block;
    }
    .sk-label {
      width: 8em;
    }
    .sk-input {
      height: 2.3em;
      width: 100%;
      max-width: var(--crm-form-input-width, 28rem);
    }
    .sk-button {
      width: 6em;
      height: 2.3em;
    }
    .sk-field {
      display: grid;
      gap: 0.4em;
      padding-bottom: 1.5em;
    }
    .empty-box,
    .error-box {
      padding: var(--crm-form-padding, 1rem);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    @media (forced-colors: active) {
      .submit {
        border-color: ButtonText;
        background: ButtonFace;
        color: ButtonText;
      }
    }
  `,
];
