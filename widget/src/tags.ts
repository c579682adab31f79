/**
 * The components the customer script-tag bundle loads on demand, from
 * `components/` beside `crm-widgets.js`. The back office bundle's own tags are
 * in `back-office-tags.ts`: this module is part of the customer core, so a
 * list here would be downloaded by every customer page.
 */
export const customerTags = [
  "crm-field",
  "crm-pipeline-progress",
  "crm-form",
  "crm-entries",
  "crm-field-history",
] as const;
