import { css } from "lit";

/**
 * Design tokens every component shares. Public knobs are `--crm-*` custom
 * properties; `--_*` are private resolved values. Defaults are neutral and
 * readable on an unknown page, light or dark (prefers-color-scheme).
 */
export const theme = css`
  :host {
    --_text: var(--crm-color-text, #1f2328);
    --_muted: var(--crm-color-muted, #59636e);
    --_surface: var(--crm-color-surface, #ffffff);
    --_border: var(--crm-color-border, #d1d9e0);
    --_accent: var(--crm-color-accent, #0969da);
    --_on-accent: var(--crm-color-on-accent, #ffffff);
    --_danger: var(--crm-color-danger, #cf222e);
    --_success: var(--crm-color-success, #1a7f37);
    --_skeleton: var(--crm-color-skeleton, #e8ebef);
    --_radius: var(--crm-radius, 6px);
    --_gap: var(--crm-spacing, 0.75rem);
    --_focus: var(--crm-focus-ring, 2px solid var(--_accent));
    font-family: var(--crm-font-family, inherit);
    font-size: var(--crm-font-size, inherit);
    line-height: 1.4;
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_text: var(--crm-color-text, #e6edf3);
      --_muted: var(--crm-color-muted, #9198a1);
      --_surface: var(--crm-color-surface, #161b22);
      --_border: var(--crm-color-border, #3d444d);
      --_accent: var(--crm-color-accent, #4493f8);
      --_on-accent: var(--crm-color-on-accent, #0d1117);
      --_danger: var(--crm-color-danger, #f85149);
      --_success: var(--crm-color-success, #3fb950);
      --_skeleton: var(--crm-color-skeleton, #2a313c);
      color-scheme: dark;
    }
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .skeleton {
    display: inline-block;
    height: 1em;
    min-width: 4em;
    vertical-align: middle;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_skeleton);
    animation: crm-pulse 1.4s ease-in-out infinite;
  }
  @keyframes crm-pulse {
    50% {
      opacity: 0.5;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton,
    .spinner {
      animation: none;
    }
  }
  .spinner {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    vertical-align: -0.1em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: crm-spin 0.8s linear infinite;
  }
  @keyframes crm-spin {
    to {
      transform: rotate(360deg);
    }
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  :focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  .error {
    color: var(--_danger);
  }
  /* The save status stays in the page (a live region must exist before it speaks) but takes no room while silent. */
  .status:empty {
    position: absolute;
  }
  .retry {
    margin-inline-start: 0.5em;
    padding: 0.1em 0.6em;
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    background: transparent;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.35em 0.5em;
  }
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: var(--_focus);
    outline-offset: 0;
    border-color: var(--_accent);
  }
  [aria-invalid="true"] {
    border-color: var(--_danger);
  }
  @media (forced-colors: active) {
    :host {
      --_text: CanvasText;
      --_muted: GrayText;
      --_surface: Canvas;
      --_border: CanvasText;
      --_accent: Highlight;
      --_on-accent: HighlightText;
      --_danger: CanvasText;
      --_success: CanvasText;
      --_skeleton: GrayText;
    }
    .skeleton {
      forced-color-adjust: none;
      background: GrayText;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;
