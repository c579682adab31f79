/**
 * The widget module: the page runtime's functions and every component.
 * `<script type="module" src="crm-widgets.js" data-proxy-url="…">` is all a page needs.
 */
export { runtimeContext } from "./components/context.ts";
export { CrmCustomerDetails } from "./components/crm-customer-details/crm-customer-details.ts";
export { CrmDataElement } from "./components/crm-data-element.ts";
export { CrmEntries } from "./components/crm-entries/crm-entries.ts";
export { CrmField } from "./components/crm-field/crm-field.ts";
export { CrmForm } from "./components/crm-form/crm-form.ts";
export { CrmPipelineProgress } from "./components/crm-pipeline-progress/crm-pipeline-progress.ts";
export type * from "./components/events.ts";
export * from "./runtime/index.ts";
