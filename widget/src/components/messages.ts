/**
 * The few words the components write themselves. Values are formatted by Intl;
 * these cover the rest, in English and German, falling back to English. Here are
 * the words that several customer components (or their shared base) write; the
 * words of one component alone, or of the back office, sit in a catalog beside
 * it (`words`), so that a page downloads only those of the components it shows.
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
  saving: "Saving…",
  saveFailed: "Not saved: {message}",
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
  "Wird gespeichert…",
  "Nicht gespeichert: {message}",
  "Vielleicht gespeichert, bitte prüfen: der CRM-Dienst hat es nicht bestätigt.",
]);
