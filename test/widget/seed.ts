/**
 * The entity definitions every widget test file uses, written through the
 * proxy's admin API before the tests start (each file then uses its own
 * customers, so files never see each other's entries).
 */
import type { EntityDefinitionInput } from "#domain";
import { deals } from "../../demo/server/seed-data.ts";

export const trackerEntity: EntityDefinitionInput = {
  slug: "tracker",
  name: "Weight Tracker",
  entriesPerReference: "one",
  fields: [
    {
      key: "current_weight",
      label: "Current weight",
      type: "number",
      unit: "kilogram",
      decimals: 1,
      min: 20,
      max: 400,
      customerAccess: "write",
      description: "Your weight this morning",
    },
    {
      key: "goal_weight",
      label: "Goal weight",
      type: "number",
      unit: "kilogram",
      decimals: 1,
      customerAccess: "read",
    },
    {
      key: "last_checkin",
      label: "Last check-in",
      type: "date",
      min: "2000-01-01",
      max: "2100-12-31",
      customerAccess: "write",
    },
    {
      key: "notes",
      label: "Notes",
      type: "text",
      maxLength: 40,
      multiline: true,
      customerAccess: "write",
    },
    {
      key: "mood",
      label: "Mood",
      type: "select",
      required: true,
      customerAccess: "write",
      options: [
        { value: "great", label: "Great", color: "#1a7f37" },
        { value: "okay", label: "Okay", color: "#9a6700" },
        { value: "low", label: "Low", color: "#cf222e" },
      ],
    },
    { key: "followed_plan", label: "Followed the plan", type: "boolean", customerAccess: "write" },
    { key: "coach_notes", label: "Coach notes", type: "text", customerAccess: "none" },
  ],
  pipelines: [
    {
      key: "progress",
      label: "Progress",
      customerCanMove: false,
      stages: [
        {
          key: "starting",
          label: "Starting",
          color: "#8250df",
          description: "First weigh-in done",
        },
        {
          key: "in_progress",
          label: "In Progress",
          color: "#0969da",
          description: "Checking in weekly",
        },
        { key: "goal_reached", label: "Goal Reached", color: "#1a7f37", status: "won" },
      ],
    },
    {
      key: "plan_choice",
      label: "Plan",
      customerCanMove: true,
      stages: [
        { key: "trial", label: "Trial" },
        { key: "member", label: "Member" },
        { key: "cancelled", label: "Cancelled", status: "lost", color: "#cf222e" },
      ],
    },
  ],
};

/**
 * The demo's deals (several entries per customer, a won/lost sales pipeline):
 * written once for the demo and the tests that show it.
 */
export const testEntities = [trackerEntity, deals];

/**
 * A weight tracker named `slug` (for a test that changes its own entity):
 * a weight that keeps history, a goal customers read, a height that keeps
 * none, and a secret with history customers may not read.
 */
export function weightHistoryEntity(slug: string): EntityDefinitionInput {
  return {
    slug,
    name: "Weight Tracker",
    fields: [
      {
        key: "weight",
        label: "Weight",
        type: "number",
        unit: "kilogram",
        decimals: 1,
        history: true,
        customerAccess: "write",
      },
      { key: "goal", label: "Goal", type: "number", unit: "kilogram", customerAccess: "read" },
      {
        key: "height",
        label: "Height",
        type: "number",
        unit: "centimeter",
        customerAccess: "write",
      },
      { key: "secret", label: "Secret", type: "number", history: true, customerAccess: "none" },
    ],
  };
}
