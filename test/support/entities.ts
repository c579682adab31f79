/**
 * The entity definitions the proxy, adapter, Worker, hardening and bench suites share: a
 * tracker with one entry per customer covering every field type and access level, and deals
 * with many entries per customer. A suite that needs more adds to these (the bench's page of
 * ten fields) instead of writing its own copy.
 */
import type { EntityDefinitionInput } from "#domain";

export const trackerEntity = {
  slug: "tracker",
  name: "Weight Tracker",
  fields: [
    {
      key: "current_weight",
      label: "Current weight",
      type: "number",
      min: 20,
      max: 500,
      decimals: 1,
      unit: "kg",
      customerAccess: "write",
    },
    { key: "goal_weight", label: "Goal weight", type: "number", customerAccess: "read" },
    { key: "nickname", label: "Nickname", type: "text", maxLength: 20, customerAccess: "write" },
    { key: "last_checkin", label: "Last check-in", type: "date", customerAccess: "write" },
    { key: "newsletter", label: "Newsletter", type: "boolean", customerAccess: "write" },
    {
      key: "plan",
      label: "Plan",
      type: "select",
      customerAccess: "write",
      options: [
        { value: "basic", label: "Basic" },
        { value: "premium", label: "Premium", color: "#22c55e" },
      ],
    },
    {
      key: "mood",
      label: "Mood",
      type: "select",
      customerAccess: "write",
      options: [
        { value: "great", label: "Great", color: "#22c55e" },
        { value: "okay", label: "Okay" },
      ],
    },
    { key: "coach_notes", label: "Coach notes", type: "text", customerAccess: "none" },
  ],
  pipelines: [
    {
      key: "progress",
      label: "Progress",
      customerCanMove: true,
      stages: [
        { key: "starting", label: "Starting" },
        { key: "in_progress", label: "In progress" },
        { key: "goal_reached", label: "Goal reached", status: "won" },
      ],
    },
    {
      key: "review",
      label: "Coach review",
      customerCanMove: false,
      stages: [
        { key: "open", label: "Open" },
        { key: "done", label: "Done", status: "won" },
      ],
    },
  ],
} satisfies EntityDefinitionInput;

export const dealsEntity = {
  slug: "deals",
  name: "Deals",
  entriesPerReference: "many",
  customerCanCreate: true,
  // Load and fault tests create deals for one customer in a loop.
  customerEntryQuota: 10_000,
  fields: [
    { key: "title", label: "Title", type: "text", required: true, customerAccess: "write" },
    { key: "amount", label: "Amount", type: "number", customerAccess: "write" },
    { key: "forecast", label: "Forecast", type: "number", customerAccess: "read" },
    { key: "internal_score", label: "Score", type: "number", customerAccess: "none" },
  ],
  pipelines: [
    {
      key: "sales",
      label: "Sales",
      customerCanMove: true,
      stages: [
        { key: "lead", label: "Lead" },
        { key: "won", label: "Won", status: "won", color: "#22c55e" },
        { key: "lost", label: "Lost", status: "lost", color: "#ef4444" },
      ],
    },
  ],
} satisfies EntityDefinitionInput;

export const testEntities = [trackerEntity, dealsEntity];

/**
 * The history suites' tracker: fields of every type that keep history (the
 * hidden coach_score too) beside ones that do not (goal, notes).
 */
export const historyTrackerEntity = {
  slug: "tracker",
  name: "Tracker",
  fields: [
    { key: "weight", label: "Weight", type: "number", history: true, customerAccess: "write" },
    { key: "goal", label: "Goal", type: "number", customerAccess: "read" },
    {
      key: "mood",
      label: "Mood",
      type: "select",
      history: true,
      customerAccess: "write",
      options: [
        { value: "great", label: "Great" },
        { value: "okay", label: "Okay" },
      ],
    },
    {
      key: "exercised",
      label: "Exercised",
      type: "boolean",
      history: true,
      customerAccess: "write",
    },
    {
      key: "checked_on",
      label: "Checked on",
      type: "date",
      history: true,
      customerAccess: "write",
    },
    { key: "motto", label: "Motto", type: "text", history: true, customerAccess: "write" },
    { key: "notes", label: "Notes", type: "text", customerAccess: "write" },
    {
      key: "coach_score",
      label: "Coach score",
      type: "number",
      history: true,
      customerAccess: "none",
    },
  ],
  // The shared tracker's: Progress moved by customers, Coach review only by staff and backend.
  pipelines: trackerEntity.pipelines,
} satisfies EntityDefinitionInput;

/** The shared deals whose amount keeps history: entries created and changed record it. */
export const historyDealsEntity = {
  ...dealsEntity,
  fields: dealsEntity.fields.map((field) =>
    field.key === "amount" ? { ...field, history: true } : field,
  ),
} satisfies EntityDefinitionInput;

/**
 * Keys named like Object.prototype's members: `constructor` is a valid field, pipeline and
 * stage key (the one such name keys allow), beside an ordinary field. A lookup by key must
 * find what is stored, or nothing, never what every object inherits.
 */
export function oddKeysEntity(slug = "odd-keys") {
  return {
    slug,
    name: "Odd keys",
    fields: [
      { key: "nickname", label: "Nickname", type: "text", customerAccess: "write" },
      { key: "constructor", label: "Builder", type: "text", customerAccess: "write" },
    ],
    pipelines: [
      {
        key: "constructor",
        label: "Construction",
        customerCanMove: true,
        stages: [
          { key: "planned", label: "Planned" },
          { key: "constructor", label: "Building" },
        ],
      },
    ],
  } satisfies EntityDefinitionInput;
}
