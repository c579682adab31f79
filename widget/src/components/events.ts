import type { CrmErrorBody, CrmFieldValue, CrmStageValue, FieldValue } from "#domain/browser";

/** The user committed a new value or stage (sent to the proxy, not yet confirmed). */
export interface CrmChangeDetail {
  slug: string;
  fieldKey?: string;
  pipeline?: string;
  value: FieldValue;
  previousValue: FieldValue;
}

/** The proxy confirmed a save. */
export interface CrmSaveDetail {
  slug: string;
  fields: CrmFieldValue[];
  stage?: CrmStageValue;
}

/** The proxy refused a save (or could not be reached); `errors` by field key. */
export interface CrmSaveErrorDetail {
  slug: string;
  error: CrmErrorBody;
  errors: Record<string, CrmErrorBody>;
}

/** Data could not be loaded; the component shows its error state with a retry button. */
export interface CrmLoadErrorDetail {
  error: CrmErrorBody;
}

export type CrmChangeEvent = CustomEvent<CrmChangeDetail>;
export type CrmSaveEvent = CustomEvent<CrmSaveDetail>;
export type CrmSaveErrorEvent = CustomEvent<CrmSaveErrorDetail>;
export type CrmLoadErrorEvent = CustomEvent<CrmLoadErrorDetail>;

export interface CrmEventMap {
  "crm-change": CrmChangeEvent;
  "crm-save": CrmSaveEvent;
  "crm-save-error": CrmSaveErrorEvent;
  "crm-load-error": CrmLoadErrorEvent;
}

declare global {
  interface GlobalEventHandlersEventMap extends CrmEventMap {}
}

/** Dispatches a typed, bubbling, composed event for host-page analytics. */
export function emit<K extends keyof CrmEventMap>(
  target: EventTarget,
  type: K,
  detail: CrmEventMap[K]["detail"],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
