import type { ReactiveControllerHost } from "lit";
import type { FieldDefinition, FieldValue, ValueCheck } from "#domain/browser";
import { checkFieldValue } from "#domain/browser";
import { isEmptyValue } from "./format.ts";
import { draftFromValue, valueFromDraft } from "./inputs.ts";

/**
 * The edit of one field, as Lion's parser/formatter pair and Shoelace's form
 * control controller do it: the draft the input holds (formatted from a
 * value, parsed back), checked with the proxy's own schema, measured against
 * the last value the proxy confirmed. `crm-field` has one, `crm-form` one per
 * field; each change asks the host to render.
 */
export class FieldEditor {
  /**
   * What the input holds; while the browser cannot read it (a number input's "8e",
   * on its way to "8e1"), the last text it could, so that rendering the draft
   * never writes over what the user is typing.
   */
  draft: string;
  /** The browser could not read the input as its type (a number input's "1e"). */
  badInput = false;
  /** Why the draft cannot be saved, or why the proxy refused it; "" when nothing is wrong. */
  message = "";
  /** Whether `message` is shown: once a changed field was left, or the form submitted. */
  shown = false;

  /** The field definition the draft is parsed and checked by. */
  field: FieldDefinition;
  /** The last value the proxy confirmed: what "changed" is measured against. */
  saved: FieldValue;
  readonly #host: ReactiveControllerHost;

  /** An edit of `field` starting from `saved`; `host` renders it. */
  constructor(host: ReactiveControllerHost, field: FieldDefinition, saved: FieldValue) {
    this.#host = host;
    this.field = field;
    this.saved = saved;
    this.draft = draftFromValue(saved);
  }

  /** A value read from the proxy: it replaces the draft unless the user changed it. */
  sync(value: FieldValue): void {
    if (!this.badInput && this.draft === draftFromValue(this.saved))
      this.draft = draftFromValue(value);
    this.saved = value;
    this.#host.requestUpdate();
  }

  /** The user typed or chose: the draft follows the control, and is checked at once. */
  input(event: Event): void {
    const control = event.target as HTMLInputElement;
    this.badInput = control.validity?.badInput ?? false;
    if (!this.badInput) this.draft = control.value;
    this.check();
  }

  /** Parses the draft and checks it with the field's schema; `message` says what is wrong. */
  check(): ValueCheck {
    const result = checkFieldValue(
      this.field,
      valueFromDraft(this.field, this.draft, this.badInput),
    );
    this.message = result.ok ? "" : result.message;
    this.#host.requestUpdate();
    return result;
  }

  /** The value the user changed the field to; `undefined` while it is what the proxy has. */
  changed(): FieldValue | undefined {
    const value = valueFromDraft(this.field, this.draft, this.badInput);
    const same = value === this.saved || (isEmptyValue(value) && isEmptyValue(this.saved));
    return same ? undefined : value;
  }

  /**
   * Shows the message from now on (the field was left changed, or the form
   * submitted); `message` replaces it, e.g. the proxy's refusal, which stands
   * until the input changes.
   */
  show(message = this.message): void {
    this.message = message;
    this.shown = true;
    this.#host.requestUpdate();
  }
}
