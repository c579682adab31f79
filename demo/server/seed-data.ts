import type { EntityDefinitionInput, FieldValue } from "#domain";

/** BRIEF.md's example: a weight loss tracker with a three-stage progress pipeline. */
export const weightTracker: EntityDefinitionInput = {
  slug: "weight-tracker",
  name: "Weight Tracker",
  description: "Your weight loss journey, one check-in at a time.",
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
      required: true,
      customerAccess: "write",
    },
    {
      key: "goal_weight",
      label: "Goal weight",
      type: "number",
      unit: "kilogram",
      decimals: 1,
      min: 20,
      max: 400,
      customerAccess: "read",
    },
    {
      key: "last_checkin",
      label: "Last check-in",
      type: "date",
      min: "2020-01-01",
      customerAccess: "write",
    },
    {
      key: "mood",
      label: "How do you feel?",
      type: "select",
      customerAccess: "write",
      options: [
        { value: "great", label: "Great", color: "#16a34a" },
        { value: "okay", label: "Okay", color: "#ca8a04" },
        { value: "struggling", label: "Struggling", color: "#dc2626" },
      ],
    },
    {
      key: "exercised",
      label: "Exercised this week",
      type: "boolean",
      customerAccess: "write",
    },
    {
      key: "notes",
      label: "Notes",
      type: "text",
      multiline: true,
      maxLength: 500,
      description: "Anything your coach should know.",
      customerAccess: "write",
    },
    {
      key: "coach_notes",
      label: "Coach's private notes",
      type: "text",
      customerAccess: "none",
    },
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
          color: "#64748b",
          description: "Your plan is set up.",
        },
        {
          key: "in_progress",
          label: "In Progress",
          color: "#2563eb",
          description: "Checking in every week.",
        },
        {
          key: "goal_reached",
          label: "Goal Reached",
          color: "#16a34a",
          status: "won",
          description: "You made it!",
        },
      ],
    },
  ],
};

/** A second entity with several entries per customer and a won/lost pipeline. */
export const deals: EntityDefinitionInput = {
  slug: "deals",
  name: "Deals",
  entriesPerReference: "many",
  fields: [
    {
      key: "title",
      label: "Title",
      type: "text",
      maxLength: 120,
      required: true,
      customerAccess: "read",
    },
    {
      key: "amount",
      label: "Amount",
      type: "number",
      unit: "EUR",
      decimals: 2,
      min: 0,
      customerAccess: "read",
    },
    { key: "close_date", label: "Expected close", type: "date", customerAccess: "read" },
  ],
  pipelines: [
    {
      key: "sales",
      label: "Sales",
      stages: [
        { key: "lead", label: "Lead", color: "#64748b" },
        { key: "proposal", label: "Proposal", color: "#7c3aed" },
        { key: "won", label: "Won", color: "#16a34a", status: "won" },
        { key: "lost", label: "Lost", color: "#dc2626", status: "lost" },
      ],
    },
  ],
};

export const demoEntities = [weightTracker, deals];

/** Demo visitors: the subject their session token carries, and their starting data. */
export interface DemoCustomer {
  subject: string;
  name: string;
  tracker: Record<string, FieldValue>;
  stage: string;
  deals: { values: Record<string, FieldValue>; stage: string }[];
}

export const demoCustomers: DemoCustomer[] = [
  {
    subject: "alice@example.com",
    name: "Alice",
    tracker: {
      current_weight: 84.5,
      goal_weight: 78,
      last_checkin: "2026-11-20",
      mood: "great",
      exercised: true,
    },
    stage: "in_progress",
    deals: [
      {
        values: { title: "Annual coaching plan", amount: 480, close_date: "2026-12-15" },
        stage: "proposal",
      },
      {
        values: { title: "Nutrition workshop", amount: 120, close_date: "2026-10-01" },
        stage: "won",
      },
    ],
  },
  {
    subject: "bob@example.com",
    name: "Bob",
    tracker: {
      current_weight: 102,
      goal_weight: 90,
      last_checkin: "2026-11-25",
      mood: "okay",
      exercised: false,
    },
    stage: "starting",
    deals: [
      { values: { title: "Starter pack", amount: 59.9, close_date: "2026-12-01" }, stage: "lead" },
    ],
  },
  {
    subject: "chloe@example.com",
    name: "Chloé",
    tracker: {
      current_weight: 63.2,
      goal_weight: 64,
      last_checkin: "2026-11-26",
      mood: "great",
      exercised: true,
      notes: "Ran my first 10 km!",
    },
    stage: "goal_reached",
    deals: [
      {
        values: { title: "Maintenance plan", amount: 240, close_date: "2026-11-30" },
        stage: "won",
      },
      { values: { title: "Group bootcamp", amount: 90, close_date: "2026-09-12" }, stage: "lost" },
    ],
  },
];
