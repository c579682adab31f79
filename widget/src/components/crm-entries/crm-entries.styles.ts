import { css } from "lit";
import { entryCardStyles } from "../entry-card.ts";
import { theme } from "../theme.styles.ts";

export const styles = [
  theme,
  entryCardStyles,
  css`
    :host {
      display: block;
      color: var(--_text);
    }
    .list {
      display: grid;
      gap: var(--_gap);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .sk-card {
      display: grid;
      gap: 0.6em;
      padding: 0.9em 1em;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .sk-card .skeleton {
      display: block;
    }
    .sk-wide {
      width: 60%;
    }
    .sk-narrow {
      width: 30%;
    }
  `,
];
