import { html, nothing, type TemplateResult } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import type { FieldDefinition, FieldValue } from "#domain/browser";
import { message } from "./messages.ts";

/**
 * What an input holds while the user edits: always a string (`""` is empty,
 * booleans are `"true"`/`"false"`), turned into a wire value only to check or save.
 */
export function draftFromValue(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return "";
  return String(value);
}

/** The value a draft stands for; an input the browser cannot read becomes NaN, which no field type accepts. */
export function valueFromDraft(
  field: FieldDefinition,
  draft: string,
  badInput = false,
): FieldValue {
  // An input the browser cannot read (a number's "8e", a date with a segment left empty)
  // is no value of the field's type, whatever the draft held before: the schema refuses it.
  if (badInput) return Number.NaN;
  switch (field.type) {
    case "number":
      return draft.trim() === "" ? null : Number(draft);
    case "boolean":
      return draft === "" ? null : draft === "true";
    default:
      return draft === "" ? null : draft;
  }
}

export interface ControlOptions {
  id: string;
  draft: string;
  locale: string;
  /** Accessible name when no <label for> points at the control. */
  label?: string;
  invalid: boolean;
  describedBy?: string;
  onInput: (event: Event) => void;
  onKeyDown?: (event: KeyboardEvent) => void;
  onBlur?: (event: FocusEvent) => void;
}

/**
 * The native control that fits a field's type, with its limits as attributes.
 * Its value is bound as a plain property: `draft` always is what the control
 * holds (see `FieldEditor`), so Lit writes it only when the draft changed for
 * another reason (a value read or saved), as Lit's `live` directive would, without
 * the directive's code on every page that edits.
 */
export function renderFieldControl(
  field: FieldDefinition,
  options: ControlOptions,
): TemplateResult {
  const common = {
    id: options.id,
    label: options.label,
    invalid: options.invalid ? "true" : "false",
    describedBy: options.describedBy,
  };
  if (field.type === "text" && field.multiline) {
    return html`<textarea
      id=${common.id}
      part="input"
      rows="3"
      aria-label=${ifDefined(common.label)}
      aria-invalid=${common.invalid}
      aria-describedby=${ifDefined(common.describedBy)}
      ?required=${field.required}
      .value=${options.draft}
      @input=${options.onInput}
      @keydown=${options.onKeyDown}
      @blur=${options.onBlur}
    ></textarea>`;
  }
  if (field.type === "text" || field.type === "number" || field.type === "date") {
    const number = field.type === "number";
    const limits = field.type === "text" ? undefined : field;
    return html`<input
      id=${common.id}
      part="input"
      type=${field.type}
      inputmode=${ifDefined(number ? (field.decimals === 0 ? "numeric" : "decimal") : undefined)}
      step=${ifDefined(number ? (field.decimals === undefined ? "any" : String(10 ** -field.decimals)) : undefined)}
      min=${ifDefined(limits?.min)}
      max=${ifDefined(limits?.max)}
      aria-label=${ifDefined(common.label)}
      aria-invalid=${common.invalid}
      aria-describedby=${ifDefined(common.describedBy)}
      ?required=${field.required}
      .value=${options.draft}
      @input=${options.onInput}
      @keydown=${options.onKeyDown}
      @blur=${options.onBlur}
    />`;
  }
  switch (field.type) {
    case "boolean":
    case "select": {
      const choices =
        field.type === "boolean"
          ? [
              { value: "true", label: message(options.locale, "yes") },
              { value: "false", label: message(options.locale, "no") },
            ]
          : field.options;
      return html`<select
        id=${common.id}
        part="input"
        aria-label=${ifDefined(common.label)}
        aria-invalid=${common.invalid}
        aria-describedby=${ifDefined(common.describedBy)}
        ?required=${field.required}
        .value=${options.draft}
        @input=${options.onInput}
        @change=${options.onInput}
        @keydown=${options.onKeyDown}
        @blur=${options.onBlur}
      >
        <option value="" ?selected=${options.draft === ""}>—</option>
        ${choices.map(
          (choice) =>
            html`<option value=${choice.value} ?selected=${choice.value === options.draft}>
              ${choice.label}
            </option>`,
        )}
      </select>`;
    }
  }
  return html`${nothing}`;
}
