/**
 * The few words the components write themselves. Values are formatted by Intl;
 * these cover the rest, in English and German, falling back to English. Words
 * one component alone writes sit in a catalog beside it (`words`), so that a
 * page downloads only those of the components it shows.
 */

type Params = Record<string, string | number>;

/** Writes the catalog's text for `key` in `locale`, its `{name}`s filled from `params`. */
export type Words<K extends string> = (locale: string, key: K, params?: Params) => string;

/**
 * A catalog: English by key, German in the order of the English keys (keys
 * spelled once keep the bundle small).
 */
export function words<K extends string>(en: Record<K, string>, de: readonly string[]): Words<K> {
  const keys = Object.keys(en);
  return (locale, key, params = {}) => {
    const text = (locale.toLowerCase().startsWith("de") && de[keys.indexOf(key)]) || en[key];
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
  };
}

const en = {
  loading: "Loading…",
  retry: "Retry",
  loadFailed: "Could not load the data.",
  empty: "Not set",
  yes: "Yes",
  no: "No",
  edit: "Edit {label}",
  save: "Save",
  saving: "Saving…",
  saved: "Saved",
  saveFailed: "Not saved: {message}",
  required: "required",
  updated: "Updated {date}",
  customer: "Customer {id}",
  since: "since {date}",
  saveUnknown: "May have been saved, check again: the CRM service did not confirm it.",
};

export type MessageKey = keyof typeof en;

/** The words several components write (every page's core holds them). */
export const message: Words<MessageKey> = words(en, [
  "Wird geladen…",
  "Erneut versuchen",
  "Die Daten konnten nicht geladen werden.",
  "Nicht angegeben",
  "Ja",
  "Nein",
  "{label} bearbeiten",
  "Speichern",
  "Wird gespeichert…",
  "Gespeichert",
  "Nicht gespeichert: {message}",
  "Pflichtfeld",
  "Aktualisiert am {date}",
  "Kunde {id}",
  "seit {date}",
  "Vielleicht gespeichert, bitte prüfen: der CRM-Dienst hat es nicht bestätigt.",
]);
