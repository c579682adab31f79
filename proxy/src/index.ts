/**
 * The proxy package's main entry (`crm-widgets-proxy`), for backend scripts:
 * the CRM adapter and the services that wire it to Elasticsearch, the index
 * setup (run once, with an elevated credential) and the domain model with its
 * errors and schemas. The HTTP servers are `crm-widgets-proxy/node` and
 * `crm-widgets-proxy/worker`.
 */
export * from "#domain";
export { type CrmAdapterOptions, createCrmAdapter } from "./adapter/index.ts";
export type * from "./adapter/types.ts";
export { type CrmIndices, crmIndices, DEFAULT_INDICES } from "./elasticsearch/indices.ts";
export { checkCrmIndices, ensureCrmIndices, proxyRole } from "./elasticsearch/setup.ts";
export {
  type CrmServices,
  type CrmServicesConfig,
  type CrmServicesOptions,
  createCrmServices,
} from "./services.ts";
