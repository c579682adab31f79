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
      history: true,
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
      history: true,
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
      history: true,
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

/** One weekly check-in of the seeded history, oldest first; the last one is the current value. */
export interface DemoCheckIn {
  current_weight: number;
  mood: "great" | "okay" | "struggling";
  exercised: boolean;
  /** The progress stage entered that week, if any. */
  stage?: string;
}

/** Demo visitors: the subject their session token carries, and their starting data. */
export interface DemoCustomer {
  subject: string;
  name: string;
  /** Values without history (the goal, notes). */
  tracker: Record<string, FieldValue>;
  /** 10–12 weeks of check-ins and stage moves, ending two days before the seed. */
  checkIns: DemoCheckIn[];
  deals: { values: Record<string, FieldValue>; stage: string }[];
}

/** Weekly check-ins with these weights and moods; `exercised` on the weeks listed; stages by week. */
function weekly(
  weights: number[],
  moods: DemoCheckIn["mood"][],
  exercisedWeeks: number[],
  stages: Record<number, string>,
): DemoCheckIn[] {
  return weights.map((current_weight, week) => ({
    current_weight,
    mood: moods[week % moods.length] ?? "okay",
    exercised: exercisedWeeks.includes(week),
    ...(stages[week] ? { stage: stages[week] } : {}),
  }));
}

export const demoCustomers: DemoCustomer[] = [
  {
    subject: "alice@example.com",
    name: "Alice",
    tracker: { goal_weight: 78 },
    // About half a kilo a week: the chart projects the goal some three months out.
    checkIns: weekly(
      [89.6, 89.1, 88.7, 88.1, 87.8, 87.1, 86.6, 86.1, 85.6, 85.0, 84.5],
      ["okay", "great", "great", "okay", "great"],
      [1, 2, 4, 5, 6, 8, 9, 10],
      { 0: "starting", 2: "in_progress" },
    ),
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
    tracker: { goal_weight: 90 },
    // A good start, then creeping back up: the chart says he is moving away from the goal.
    checkIns: weekly(
      [104.5, 104.1, 103.4, 102.9, 102.3, 101.9, 101.6, 101.7, 101.8, 102],
      ["okay", "okay", "great", "struggling"],
      [0, 2, 3],
      { 0: "starting" },
    ),
    deals: [
      { values: { title: "Starter pack", amount: 59.9, close_date: "2026-12-01" }, stage: "lead" },
    ],
  },
  {
    subject: "chloe@example.com",
    name: "Chloé",
    tracker: { goal_weight: 64, notes: "Ran my first 10 km!" },
    checkIns: weekly(
      [68, 67.4, 67.1, 66.5, 66, 65.6, 65.1, 64.7, 64.3, 64.1, 63.8, 63.2],
      ["great", "okay", "great"],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      { 0: "starting", 1: "in_progress", 10: "goal_reached" },
    ),
    deals: [
      {
        values: { title: "Maintenance plan", amount: 240, close_date: "2026-11-30" },
        stage: "won",
      },
      { values: { title: "Group bootcamp", amount: 90, close_date: "2026-09-12" }, stage: "lost" },
    ],
  },
];
