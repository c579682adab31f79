import { expect } from "@open-wc/testing";
import {
  niceTicks,
  type Point,
  project,
} from "../../widget/src/components/crm-field-history/projection.ts";

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 5, 8);

/** One check-in a week from `start`, with these values. */
function weekly(...values: number[]): Point[] {
  return values.map((v, week) => ({ t: start + week * 7 * DAY, v }));
}

describe("history projection", () => {
  it("projects the goal date from the last four weeks' least-squares pace", () => {
    // Steady 0.5 kg a week down; the older, faster weeks are outside the window.
    const points = weekly(95, 92, 89, 86, 85.5, 85, 84.5, 84);
    const result = project(points, 80, 0.05);
    expect(result.kind).to.equal("toward");
    if (result.kind !== "toward") return;
    expect(result.perWeek).to.be.closeTo(-0.5, 1e-9);
    // 4 kg to go at 0.5 kg a week: 8 weeks after the last check-in.
    expect(new Date(result.at).toISOString()).to.equal(
      new Date(start + (7 + 8) * 7 * DAY).toISOString(),
    );
    expect(result.line[0].t).to.equal(points[3]?.t);
    expect(result.line[1]).to.deep.equal({ t: points[7]?.t, v: 84 });
  });

  it("fits noisy check-ins instead of taking the last two", () => {
    const points: Point[] = [
      { t: start, v: 90 },
      { t: start + 3 * DAY, v: 89.2 },
      { t: start + 7 * DAY, v: 89.6 },
      { t: start + 10 * DAY, v: 88.4 },
      { t: start + 14 * DAY, v: 88.8 },
    ];
    const result = project(points, 85, 0.05);
    expect(result.kind).to.equal("toward");
    if (result.kind !== "toward") return;
    // Least squares over the five: −0.0879 kg/day, not the last two's +0.4 in 4 days.
    expect(result.perWeek).to.be.closeTo(-0.6156, 0.0001);
    // 3.8 kg to go from the latest value at that pace.
    const days = (result.at - (start + 14 * DAY)) / DAY;
    expect(days).to.be.closeTo(43.21, 0.01);
  });

  it("needs three check-ins over at least a week before it speaks of a pace", () => {
    expect(project([], 80, 0.05).kind).to.equal("not-enough");
    expect(project(weekly(90, 89), 80, 0.05).kind).to.equal("not-enough");
    const sameWeek: Point[] = [0, 2, 5].map((day, i) => ({ t: start + day * DAY, v: 90 - i }));
    expect(project(sameWeek, 80, 0.05).kind).to.equal("not-enough");
    expect(project(weekly(90, 89.5, 89), 80, 0.05).kind).to.equal("toward");
  });

  it("says when the trend leads away from the goal, or is flat", () => {
    expect(project(weekly(80, 80.5, 81, 81.5), 75, 0.05).kind).to.equal("away");
    expect(project(weekly(80, 80.01, 80, 80.02), 75, 0.05).kind).to.equal("flat");
  });

  it("counts the goal as reached once the latest value is at or past it, in either direction", () => {
    expect(project(weekly(90, 85, 80), 80, 0.05).kind).to.equal("reached");
    expect(project(weekly(90, 85, 79.5), 80, 0.05).kind).to.equal("reached");
    // Gaining toward a goal above, e.g. muscle mass or a savings target.
    expect(project(weekly(60, 62, 64.2), 64, 0.05).kind).to.equal("reached");
    const gaining = project(weekly(60, 61, 62), 66, 0.05);
    expect(gaining.kind).to.equal("toward");
  });

  it("gives no date further than two years out", () => {
    expect(project(weekly(90, 89.9, 89.8, 89.7), 40, 0.05).kind).to.equal("far");
  });

  it("reports only the trend when there is no goal", () => {
    const result = project(weekly(70, 70.5, 71, 71.5), null, 0.05);
    expect(result.kind).to.equal("trend");
    if (result.kind === "trend") expect(result.perWeek).to.be.closeTo(0.5, 1e-9);
  });

  it("picks round axis ticks", () => {
    expect(niceTicks(79.3, 86.1, 4)).to.deep.equal([80, 82, 84, 86]);
    expect(niceTicks(0.1, 0.45, 3)).to.deep.equal([0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(79.4, 88.6, 4)).to.deep.equal([80, 82, 84, 86, 88]);
    expect(niceTicks(5, 5, 4)).to.deep.equal([5]);
  });
});
