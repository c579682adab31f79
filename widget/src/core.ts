/**
 * What every component module shares, gathered in one place so the build puts
 * it in the one core chunk both script-tag bundles load: the page runtime's
 * functions, the context that hands a runtime to part of a page, the
 * components' base class (with Lit) and the shared validation.
 */
export { runtimeContext } from "./components/context.ts";
export { CrmDataElement } from "./components/crm-data-element.ts";
export type * from "./components/events.ts";
export { checkFieldValue } from "./domain.ts";
export * from "./runtime/index.ts";
