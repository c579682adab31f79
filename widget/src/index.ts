/**
 * The npm package's main module: the page runtime's functions and every
 * customer component (registered on import). The back office components are
 * `crm-widgets/back-office`; script-tag pages load `crm-widgets.js` instead.
 */
export { runtimeContext } from "./components/context.ts";
export { CrmDataElement } from "./components/crm-data-element.ts";
export { CrmEntries } from "./components/crm-entries/crm-entries.ts";
export { CrmField } from "./components/crm-field/crm-field.ts";
export { CrmFieldHistory } from "./components/crm-field-history/crm-field-history.ts";
export { CrmForm } from "./components/crm-form/crm-form.ts";
export { CrmPipelineProgress } from "./components/crm-pipeline-progress/crm-pipeline-progress.ts";
export type * from "./components/events.ts";
export * from "./runtime/index.ts";
