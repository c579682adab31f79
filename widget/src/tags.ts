/**
 * The components the script-tag bundles load on demand. Customer pages get
 * only `customerTags` (from `components/` beside `crm-widgets.js`); the back
 * office bundle adds `backOfficeTags` (from `back-office/`), which customer
 * pages never reference.
 */
export const customerTags = [
  "crm-field",
  "crm-pipeline-progress",
  "crm-form",
  "crm-entries",
  "crm-field-history",
] as const;

export const backOfficeTags = ["crm-customer-details"] as const;
