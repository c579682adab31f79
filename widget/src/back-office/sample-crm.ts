/**
 * A CRM in memory for the settings editor's preview: one sample customer with
 * one entry of the entity being edited, holding a sample value per field. It
 * answers the proxy's batch protocol (`POST /v1/batch`), so the preview runs
 * the very components customers see, through a real `CrmRuntime`, with its
 * `fetch` seam pointing here instead of at the proxy. Writes follow the
 * proxy's customer rules (field access, the field's value schema, whether a
 * pipeline is movable) and stay in memory: the preview never reaches the proxy.
 */
import type {
  CrmEntry,
  CrmFieldValue,
  CrmStageValue,
  EntityDefinition,
  FieldDefinition,
  FieldValue,
  PipelineDefinition,
} from "#domain/browser";
import { CrmError, checkFieldValue, ownValue } from "#domain/browser";

/** The one entry of the sample customer (entities with several entries per customer show it). */
export const SAMPLE_ENTRY_ID = "sample-entry";

const today = () => new Date().toISOString().slice(0, 10);

/** A value the field accepts that reads like real data: in range, with the field's decimals. */
export function sampleValue(field: FieldDefinition): FieldValue {
  switch (field.type) {
    case "number": {
      const { min, max } = field;
      const middle =
        min !== undefined && max !== undefined
          ? (min + max) / 2
          : (min ?? (max !== undefined ? Math.min(max, 42) : 42));
      const factor = 10 ** (field.decimals ?? 1);
      return Math.round(middle * factor) / factor;
    }
    case "date": {
      const date = today();
      if (field.min !== undefined && date < field.min) return field.min;
      if (field.max !== undefined && date > field.max) return field.max;
      return date;
    }
    case "text":
      return "Sample text".slice(0, field.maxLength);
    case "boolean":
      return true;
    case "select":
      return field.options[0]?.value ?? null;
  }
}

/** Where the sample entry stands: one step in (the second stage) when there is one. */
export function sampleStage(pipeline: PipelineDefinition): string | undefined {
  return (pipeline.stages[1] ?? pipeline.stages[0])?.key;
}

interface BatchCall {
  op: string;
  args: Record<string, unknown>;
}

/**
 * A `fetch` for `CrmRuntime` that answers batch calls about `definition` from
 * memory, as the proxy would answer the sample customer.
 */
export function sampleCrmFetch(definition: EntityDefinition): typeof fetch {
  const now = new Date().toISOString();
  const entry: CrmEntry = {
    id: SAMPLE_ENTRY_ID,
    slug: definition.slug,
    reference: { type: "customer", id: "sample-customer" },
    values: Object.fromEntries(
      definition.fields
        .filter((field) => field.customerAccess !== "none")
        .map((field) => [field.key, sampleValue(field)]),
    ),
    stages: Object.fromEntries(
      definition.pipelines.flatMap((pipeline) => {
        const stage = sampleStage(pipeline);
        return stage ? [[pipeline.key, { stage, enteredAt: now }]] : [];
      }),
    ),
    createdAt: now,
    updatedAt: now,
  };
  const visibleField = (key: unknown): FieldDefinition => {
    const field = definition.fields.find((candidate) => candidate.key === key);
    if (!field || field.customerAccess === "none")
      throw new CrmError("field_not_found", `No field "${String(key)}"`, String(key));
    return field;
  };
  const pipelineOf = (key: unknown): PipelineDefinition => {
    const pipeline = definition.pipelines.find((candidate) => candidate.key === key);
    if (!pipeline) throw new CrmError("pipeline_not_found", `No pipeline "${String(key)}"`);
    return pipeline;
  };
  const fieldValue = (field: FieldDefinition): CrmFieldValue => ({
    slug: definition.slug,
    fieldKey: field.key,
    value: ownValue(entry.values, field.key) ?? null,
    entryId: entry.id,
    updatedAt: entry.updatedAt,
  });
  const stageValue = (pipeline: PipelineDefinition): CrmStageValue => ({
    slug: definition.slug,
    pipeline: pipeline.key,
    position: ownValue(entry.stages, pipeline.key) ?? null,
    entryId: entry.id,
  });

  function answer({ op, args }: BatchCall): unknown {
    if (args.slug !== definition.slug)
      throw new CrmError("entity_not_found", `No entity "${String(args.slug)}"`);
    switch (op) {
      case "getCrmEntity":
        return {
          ...definition,
          fields: definition.fields.filter((field) => field.customerAccess !== "none"),
        };
      case "getCrmEntries":
        return [entry];
      case "getCrmField":
        return fieldValue(visibleField(args.fieldKey));
      case "setCrmField": {
        const field = visibleField(args.fieldKey);
        if (field.customerAccess !== "write")
          throw new CrmError("field_not_writable", "This field cannot be changed", field.key);
        const check = checkFieldValue(field, args.value);
        if (!check.ok) throw new CrmError("invalid_value", check.message, field.key);
        entry.values[field.key] = check.value;
        entry.updatedAt = new Date().toISOString();
        return fieldValue(field);
      }
      case "getCrmStage":
        return stageValue(pipelineOf(args.pipeline));
      case "setCrmStage": {
        const pipeline = pipelineOf(args.pipeline);
        if (!pipeline.customerCanMove)
          throw new CrmError("stage_not_movable", "Customers may not move this pipeline");
        if (!pipeline.stages.some((stage) => stage.key === args.stage))
          throw new CrmError("stage_not_found", `No stage "${String(args.stage)}"`);
        entry.stages[pipeline.key] = {
          stage: String(args.stage),
          enteredAt: new Date().toISOString(),
        };
        return stageValue(pipeline);
      }
      default:
        throw new CrmError("invalid_request", `The preview does not answer ${op}`);
    }
  }

  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.endsWith("/v1/batch") || typeof init?.body !== "string") {
      return Response.json(
        { error: { code: "not_found", message: "Not a batch request" } },
        { status: 404 },
      );
    }
    const { calls } = JSON.parse(init.body) as { calls: BatchCall[] };
    const results = calls.map((call) => {
      try {
        return { ok: true, data: answer(call) };
      } catch (error) {
        return { ok: false, error: (error as CrmError).toJSON() };
      }
    });
    return Response.json({ results });
  };
}
