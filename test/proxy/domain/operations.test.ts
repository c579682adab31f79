import { describe, expect, test } from "vitest";
import {
  type BatchCall,
  isOperationName,
  isWriteOperation,
  OPERATION_NAMES,
  targetOf,
} from "#domain";
import { crmOperations } from "../../../proxy/src/adapter/operations.ts";

describe("the operation table", () => {
  test("the adapter implements exactly the operations of the table", () => {
    const unused = new Proxy({}, { get: () => () => undefined }) as never;
    const implemented = crmOperations(
      { kind: "backend" },
      { entities: unused, entries: unused, history: unused, now: () => new Date(), refresh: false },
    );
    expect(Object.keys(implemented).sort()).toEqual([...OPERATION_NAMES].sort());
  });

  test("the writes are the operations that change data; nothing else is one", () => {
    expect(OPERATION_NAMES.filter(isWriteOperation).sort()).toEqual([
      "createCrmEntry",
      "deleteCrmEntry",
      "setCrmField",
      "setCrmStage",
    ]);
  });

  test("only names of the table are operations, inherited object keys are not", () => {
    expect(isOperationName("getCrmField")).toBe(true);
    expect(isOperationName("toString")).toBe(false);
    expect(isOperationName("constructor")).toBe(false);
  });

  test("a write and the read of the same field or pipeline share one target", () => {
    const field = { slug: "tracker", fieldKey: "nickname" };
    const call = (op: BatchCall["op"], args: object) => targetOf({ op, args } as BatchCall);
    expect(call("setCrmField", { ...field, value: "A" })).toBe(call("getCrmField", field));
    const stage = { slug: "tracker", pipeline: "progress" };
    expect(call("setCrmStage", { ...stage, stage: "done" })).toBe(call("getCrmStage", stage));
    expect(call("createCrmEntry", { slug: "deals" })).toBe(
      call("getCrmEntries", { slug: "deals" }),
    );
  });

  test("targets tell apart fields, pipelines, entries and references", () => {
    const target = (args: object) => targetOf({ op: "getCrmField", args } as BatchCall);
    const base = { slug: "tracker", fieldKey: "nickname" };
    const targets = new Set([
      target(base),
      target({ ...base, fieldKey: "goal_weight" }),
      target({ ...base, entryId: "e1" }),
      target({ ...base, referenceType: "order", referenceId: "o1" }),
      target({ ...base, slug: "deals" }),
      targetOf({ op: "getCrmStage", args: { slug: "tracker", pipeline: "nickname" } }),
    ]);
    expect(targets.size).toBe(6);
  });
});
