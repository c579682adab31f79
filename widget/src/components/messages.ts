/**
 * The few words the components write themselves. Values are formatted by Intl;
 * these cover the rest, in English and German, falling back to English.
 */
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
  formInvalid: "Please correct the highlighted fields.",
  formFailed: "Your changes were not saved. Your input is kept; try again.",
  formNothing: "Nothing to save.",
  formNotSent: "Not saved: {message}. Your input is kept.",
  unreachable: "the CRM service cannot be reached",
  stageOf: "Stage {n} of {total}: {label}",
  notStarted: "Not started",
  completed: "completed",
  current: "current",
  upcoming: "upcoming",
  skipped: "not reached",
  won: "won",
  lost: "lost",
  moveTo: "Move to {label}",
  noEntries: "No entries yet.",
  noCrmData: "No CRM entries for this customer.",
  required: "required",
  updated: "Updated {date}",
  customer: "Customer {id}",
  since: "since {date}",
  saveUnknown: "May have been saved, check again: the CRM service did not confirm it.",
  formUnknown:
    "Your changes may have been saved: the CRM service did not confirm them. Check again before repeating; your input is kept.",
  change: "{change} since last time",
} as const;

export type MessageKey = keyof typeof en;

// German, in the order of the English keys (keys spelled once keep the bundle small).
const de = [
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
  "Bitte korrigieren Sie die markierten Felder.",
  "Ihre Änderungen wurden nicht gespeichert. Ihre Eingaben bleiben erhalten.",
  "Nichts zu speichern.",
  "Nicht gespeichert: {message}. Ihre Eingaben bleiben erhalten.",
  "Der CRM-Dienst ist nicht erreichbar",
  "Phase {n} von {total}: {label}",
  "Nicht begonnen",
  "abgeschlossen",
  "aktuell",
  "anstehend",
  "nicht erreicht",
  "gewonnen",
  "verloren",
  "Nach {label} verschieben",
  "Noch keine Einträge.",
  "Keine CRM-Einträge für diesen Kunden.",
  "Pflichtfeld",
  "Aktualisiert am {date}",
  "Kunde {id}",
  "seit {date}",
  "Vielleicht gespeichert, bitte prüfen: der CRM-Dienst hat es nicht bestätigt.",
  "Ihre Änderungen sind vielleicht gespeichert: der CRM-Dienst hat sie nicht bestätigt. Bitte prüfen Sie, bevor Sie sie wiederholen; Ihre Eingaben bleiben erhalten.",
  "{change} seit dem letzten Mal",
];

const keys = Object.keys(en) as MessageKey[];
const catalogs: Record<string, Record<MessageKey, string>> = {
  en,
  de: Object.fromEntries(keys.map((key, index) => [key, de[index] ?? en[key]])) as Record<
    MessageKey,
    string
  >,
};

export function message(
  locale: string,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const catalog = catalogs[locale.toLowerCase().split("-")[0] ?? "en"] ?? en;
  return catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}
