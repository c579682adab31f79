/**
 * The CRM settings editor's working copy of an entity definition. Inputs hold
 * what the person typed (numbers as text, colors possibly half-written); the
 * definition sent to the proxy is derived from it, and the domain's own
 * `entityDefinitionSchema` judges it: its issues come back keyed by the same
 * path the editor's inputs carry (`fields.2.label`), so each message lands on
 * the input it concerns.
 */
import type {
  EntityDefinition,
  EntityDefinitionInput,
  FieldDefinitionInput,
  FieldType,
  StageStatus,
} from "#domain/browser";
// The entity model's own module (classic zod): only the back-office bundle carries it.
import { entityDefinitionSchema } from "#domain/entity";

export type CustomerAccess = "none" | "read" | "write";

export interface OptionDraft {
  uid: number;
  value: string;
  label: string;
  /** `#rrggbb`, or empty for none. */
  color: string;
  valueEdited: boolean;
}

export interface FieldDraft {
  uid: number;
  key: string;
  /** Until the key is typed by hand, it follows the label. */
  keyEdited: boolean;
  label: string;
  type: FieldType;
  description: string;
  required: boolean;
  customerAccess: CustomerAccess;
  /** Every change of the value is kept in the history index. */
  history: boolean;
  // Every type's settings are kept while another type is chosen, so switching back restores them.
  unit: string;
  decimals: string;
  min: string;
  max: string;
  maxLength: string;
  multiline: boolean;
  options: OptionDraft[];
}

export interface StageDraft {
  uid: number;
  key: string;
  keyEdited: boolean;
  label: string;
  color: string;
  description: string;
  status: StageStatus;
}

export interface PipelineDraft {
  uid: number;
  key: string;
  keyEdited: boolean;
  label: string;
  customerCanMove: boolean;
  stages: StageDraft[];
}

export interface EntityDraft {
  name: string;
  slug: string;
  /** The slug follows the name until typed by hand. */
  slugEdited: boolean;
  /** Stored on the proxy: its slug is fixed (entries are filed under it). */
  stored: boolean;
  description: string;
  entriesPerReference: "one" | "many";
  /** Customers may create entries of a `many` entity themselves. */
  customerCanCreate: boolean;
  /** Most entries each customer may create; empty means the domain's default. */
  customerEntryQuota: string;
  fields: FieldDraft[];
  pipelines: PipelineDraft[];
}

/**
 * The customer entry quota an entity gets when none is set, as the domain's
 * schema fills it in (its constant lives in a module the core bundle keeps).
 */
export const DEFAULT_ENTRY_QUOTA = entityDefinitionSchema.parse({
  slug: "a",
  name: "a",
}).customerEntryQuota;

let nextUid = 1;
/** A stable identity per list item, so reordering moves inputs (and focus) with their item. */
const uid = () => nextUid++;

/** "Sleep Log" → "sleep-log": an entity slug, as `slugSchema` accepts it. */
export function slugFromName(name: string): string {
  return identifier(name, "-", 63);
}

/** "Goal weight" → "goal_weight": a field, pipeline, stage or option key, as `keySchema` accepts it. */
export function keyFromLabel(label: string): string {
  return identifier(label, "_", 64);
}

function identifier(text: string, separator: string, maxLength: number): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(/^[^a-z]+/, "")
    .slice(0, maxLength)
    .replace(new RegExp(`${separator}+$`), "");
}

export function blankEntity(): EntityDraft {
  return {
    name: "",
    slug: "",
    slugEdited: false,
    stored: false,
    description: "",
    entriesPerReference: "one",
    customerCanCreate: false,
    customerEntryQuota: "",
    fields: [],
    pipelines: [],
  };
}

export function blankField(): FieldDraft {
  return {
    uid: uid(),
    key: "",
    keyEdited: false,
    label: "",
    type: "text",
    description: "",
    required: false,
    customerAccess: "read",
    history: false,
    unit: "",
    decimals: "",
    min: "",
    max: "",
    maxLength: "",
    multiline: false,
    options: [],
  };
}

export function blankOption(): OptionDraft {
  return { uid: uid(), value: "", label: "", color: "", valueEdited: false };
}

export function blankStage(): StageDraft {
  return {
    uid: uid(),
    key: "",
    keyEdited: false,
    label: "",
    color: "",
    description: "",
    status: "active",
  };
}

export function blankPipeline(): PipelineDraft {
  return {
    uid: uid(),
    key: "",
    keyEdited: false,
    label: "",
    customerCanMove: false,
    stages: [blankStage()],
  };
}

const text = (value: number | string | undefined) => (value === undefined ? "" : String(value));

/** The draft of a stored definition: every key counts as chosen, so renaming a label keeps it. */
export function draftFromDefinition(definition: EntityDefinition): EntityDraft {
  return {
    name: definition.name,
    slug: definition.slug,
    slugEdited: true,
    stored: true,
    description: definition.description ?? "",
    entriesPerReference: definition.entriesPerReference,
    customerCanCreate: definition.customerCanCreate,
    customerEntryQuota: text(definition.customerEntryQuota),
    fields: definition.fields.map((field) => ({
      ...blankField(),
      key: field.key,
      keyEdited: true,
      label: field.label,
      type: field.type,
      description: field.description ?? "",
      required: field.required,
      customerAccess: field.customerAccess,
      history: field.history,
      ...(field.type === "number"
        ? {
            unit: field.unit ?? "",
            decimals: text(field.decimals),
            min: text(field.min),
            max: text(field.max),
          }
        : {}),
      ...(field.type === "date" ? { min: text(field.min), max: text(field.max) } : {}),
      ...(field.type === "text"
        ? { maxLength: text(field.maxLength), multiline: field.multiline }
        : {}),
      options:
        field.type === "select"
          ? field.options.map((option) => ({
              uid: uid(),
              value: option.value,
              label: option.label,
              color: option.color ?? "",
              valueEdited: true,
            }))
          : [],
    })),
    pipelines: definition.pipelines.map((pipeline) => ({
      uid: uid(),
      key: pipeline.key,
      keyEdited: true,
      label: pipeline.label,
      customerCanMove: pipeline.customerCanMove,
      stages: pipeline.stages.map((stage) => ({
        uid: uid(),
        key: stage.key,
        keyEdited: true,
        label: stage.label,
        color: stage.color ?? "",
        description: stage.description ?? "",
        status: stage.status,
      })),
    })),
  };
}

/** Empty means "not set"; anything else is a number, or NaN for the schema to refuse. */
const numberOrUnset = (input: string) => (input.trim() === "" ? undefined : Number(input));
const textOrUnset = (input: string) => (input === "" ? undefined : input);

/** Only the settings of the chosen type: the schema's objects are strict. */
function fieldInput(field: FieldDraft): FieldDefinitionInput {
  const base = {
    key: field.key,
    label: field.label,
    description: textOrUnset(field.description),
    required: field.required,
    customerAccess: field.customerAccess,
    history: field.history,
  };
  switch (field.type) {
    case "text":
      return {
        ...base,
        type: "text",
        maxLength: numberOrUnset(field.maxLength),
        multiline: field.multiline,
      };
    case "number":
      return {
        ...base,
        type: "number",
        unit: textOrUnset(field.unit.trim()),
        decimals: numberOrUnset(field.decimals),
        min: numberOrUnset(field.min),
        max: numberOrUnset(field.max),
      };
    case "date":
      return { ...base, type: "date", min: textOrUnset(field.min), max: textOrUnset(field.max) };
    case "boolean":
      return { ...base, type: "boolean" };
    case "select":
      return {
        ...base,
        type: "select",
        options: field.options.map((option) => ({
          value: option.value,
          label: option.label,
          color: textOrUnset(option.color),
        })),
      };
  }
}

/** The definition the draft stands for, as the proxy's entity routes take it. */
export function definitionFromDraft(draft: EntityDraft): EntityDefinitionInput {
  return {
    slug: draft.slug,
    name: draft.name,
    description: textOrUnset(draft.description),
    entriesPerReference: draft.entriesPerReference,
    customerCanCreate: draft.customerCanCreate,
    customerEntryQuota: numberOrUnset(draft.customerEntryQuota),
    fields: draft.fields.map(fieldInput),
    pipelines: draft.pipelines.map((pipeline) => ({
      key: pipeline.key,
      label: pipeline.label,
      customerCanMove: pipeline.customerCanMove,
      stages: pipeline.stages.map((stage) => ({
        key: stage.key,
        label: stage.label,
        description: textOrUnset(stage.description),
        color: textOrUnset(stage.color),
        status: stage.status,
      })),
    })),
  };
}

export type DraftCheck =
  | { ok: true; definition: EntityDefinition; messages: Map<string, string> }
  | { ok: false; messages: Map<string, string> };

/**
 * Runs the domain's entity schema over the draft. `messages` holds the first
 * problem per input path (`name`, `fields.0.options.1.color`); a problem of a
 * whole list (too many fields) is keyed by the list's path.
 */
export function checkDraft(draft: EntityDraft): DraftCheck {
  const result = entityDefinitionSchema.safeParse(definitionFromDraft(draft));
  if (result.success) return { ok: true, definition: result.data, messages: new Map() };
  const messages = new Map<string, string>();
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join(".");
    if (!messages.has(path)) messages.set(path, issue.message);
  }
  return { ok: false, messages };
}

/** Moves one item of a list to another position (clamped), returning a new list. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  const moved = [...items];
  const [item] = moved.splice(from, 1);
  if (item !== undefined) moved.splice(target, 0, item);
  return moved;
}
