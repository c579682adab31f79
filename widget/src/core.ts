/**
 * What the script-tag core (`crm-widgets.js`) holds besides its autoloader, so
 * that component modules import it from there instead of each carrying a copy:
 * the page runtime's functions, the context that hands a runtime to part of a
 * page, the components' base class (with Lit) and the shared validation.
 */
export { checkFieldValue } from "#domain/browser";
export { runtimeContext } from "./components/context.ts";
export { CrmDataElement } from "./components/crm-data-element.ts";
export type * from "./components/events.ts";
export * from "./runtime/index.ts";
