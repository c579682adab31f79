/**
 * The chart's own words (English and German), kept beside it so pages that
 * do not show a chart do not download them.
 */
import { words } from "../messages.ts";

export const chartMessage = words(
  {
    none: "No check-ins yet.",
    noneInRange: "No check-ins in this time range.",
    ranges: "Time range",
    r4w: "4 weeks",
    r3m: "3 months",
    all: "All",
    chart: "{label} over time: {count} check-ins from {from} to {to}, between {min} and {max}.",
    latest: "Latest: {value} on {date}.",
    goal: "Goal: {value}.",
    goalLine: "Goal {value}",
    toward: "At this pace: about {date}.",
    reached: "Goal reached.",
    away: "Moving away from the goal ({change} a week).",
    flat: "Holding steady lately.",
    far: "At this pace the goal is more than two years away.",
    notEnough: "Not enough check-ins yet for a projection.",
    trend: "Trend: {change} a week.",
    table: "Show as table",
    date: "Date",
  },
  [
    "Noch keine Einträge.",
    "Keine Einträge in diesem Zeitraum.",
    "Zeitraum",
    "4 Wochen",
    "3 Monate",
    "Alle",
    "{label} im Zeitverlauf: {count} Einträge vom {from} bis {to}, zwischen {min} und {max}.",
    "Zuletzt: {value} am {date}.",
    "Ziel: {value}.",
    "Ziel {value}",
    "In diesem Tempo: etwa am {date}.",
    "Ziel erreicht.",
    "Entfernt sich vom Ziel ({change} pro Woche).",
    "Zuletzt stabil.",
    "In diesem Tempo ist das Ziel mehr als zwei Jahre entfernt.",
    "Noch zu wenige Einträge für eine Prognose.",
    "Trend: {change} pro Woche.",
    "Als Tabelle anzeigen",
    "Datum",
  ],
);
