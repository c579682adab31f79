import type {
  CrmOperations,
  CustomerOperationName,
  ReadOperationName,
  WriteOperationName,
} from "#domain/browser";

/**
 * What the page runtime offers: the operations customers may call. The
 * table's types do not yet tell its `staffOnly` rows apart (`operation()`
 * widens `staffOnly`), so the one such row is left out by name here.
 */
export type PageOperationName = Exclude<CustomerOperationName, "deleteCrmEntry">;
export type PageOperations = Pick<CrmOperations, PageOperationName>;
export type PageWriteName = Extract<WriteOperationName, PageOperationName>;

/**
 * Each page operation of the domain's table with its kind: the names the
 * runtime's methods, the named exports and `window.CrmWidgets` are made
 * from. The table itself is classic zod, too heavy for the bundle; the type
 * makes this list name every customer operation of the table, with the kind
 * the table gives it.
 */
export const operationKinds: {
  [K in PageOperationName]: K extends ReadOperationName ? "read" : "write";
} = {
  getCrmEntries: "read",
  getCrmField: "read",
  setCrmField: "write",
  getCrmStage: "read",
  setCrmStage: "write",
  createCrmEntry: "write",
  getCrmFieldHistory: "read",
  getCrmStageHistory: "read",
  getCrmEntity: "read",
};
