/**
 * The components the back office bundle (`crm-back-office.js`) loads on
 * demand, from `back-office/` beside it; customer pages never reference them.
 * Kept out of `tags.ts`, which the customer core carries.
 */
export const backOfficeTags = [
  "crm-customer-details",
  "crm-customer-search",
  "crm-entity-editor",
  "crm-entity-list",
] as const;
