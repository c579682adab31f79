import type { OperationName, ReadOperationName } from "#domain/browser";

/**
 * Each operation of the domain's table with its kind: the names the runtime's
 * methods, the named exports and `window.CrmWidgets` are made from. The
 * table itself is classic zod, too heavy for the bundle; the type makes this
 * list name every operation of the table, with the kind the table gives it.
 */
export const operationKinds: {
  [K in OperationName]: K extends ReadOperationName ? "read" : "write";
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
