import { css } from "lit";
import { theme } from "../components/theme.styles.ts";

/**
 * What every back office component's styles start from: the theme, a block
 * in the text color, and the look of their modal confirmations. Here, under
 * `back-office/`, the bundle guard keeps it out of customer pages.
 */
export const backOfficeStyles = [
  theme,
  css`
    :host {
      display: block;
      color: var(--_text);
    }
    dialog {
      max-width: min(32em, calc(100vw - 2em));
      padding: 1.2em 1.4em;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.45);
    }
  `,
];
