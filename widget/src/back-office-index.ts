/**
 * The npm package's back office module (`crm-widgets/back-office`): every back
 * office component, registered on import. Script-tag pages load
 * `crm-back-office.js` instead, which loads each one the first time its tag appears.
 * The customer components are registered too: the entity editor's preview shows them.
 */
import "./index.ts";

export { CrmCustomerDetails } from "./components/crm-customer-details/crm-customer-details.ts";
export { CrmCustomerSearch } from "./components/crm-customer-search/crm-customer-search.ts";
export { CrmEntityEditor } from "./components/crm-entity-editor/crm-entity-editor.ts";
export { CrmEntityList } from "./components/crm-entity-list/crm-entity-list.ts";
