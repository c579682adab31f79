/**
 * The arithmetic of the history chart, free of the DOM so it is tested on
 * fixed data: the trend of the recent check-ins (least squares) and, when it
 * heads toward the goal, the day the goal would be reached at that pace.
 */

export interface Point {
  /** Epoch milliseconds. */
  t: number;
  v: number;
}

const DAY_MS = 86_400_000;

/** The trend looks at the check-ins of the last four weeks before the latest one. */
export const TREND_WINDOW_DAYS = 28;
/** Fewer check-ins, or ones closer together than a week, say too little about a pace. */
export const MIN_TREND_POINTS = 3;
export const MIN_TREND_SPAN_DAYS = 7;
/** A projection further out than this is no promise anyone should read. */
export const MAX_PROJECTION_DAYS = 730;

export type Projection =
  /** Too few recent check-ins for a trend. */
  | { kind: "not-enough" }
  /** The latest value is at or past the goal, in the direction the history went. */
  | { kind: "reached" }
  /** A trend, but no goal to project to. */
  | { kind: "trend"; perWeek: number; line: [Point, Point] }
  /** No real change lately. */
  | { kind: "flat"; perWeek: number; line: [Point, Point] }
  /** The trend leads away from the goal. */
  | { kind: "away"; perWeek: number; line: [Point, Point] }
  /** Toward the goal, but later than anyone should plan on. */
  | { kind: "far"; perWeek: number; line: [Point, Point] }
  /** Toward the goal: reached about `at` (epoch ms) at this pace. */
  | { kind: "toward"; perWeek: number; line: [Point, Point]; at: number };

/** Least-squares slope (per ms) and intercept over points; undefined when all share one time. */
function leastSquares(
  points: readonly Point[],
): { slope: number; at: (t: number) => number } | undefined {
  const n = points.length;
  const t0 = points[0]?.t ?? 0;
  let st = 0;
  let sv = 0;
  for (const p of points) {
    st += p.t - t0;
    sv += p.v;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    const dt = p.t - t0 - mt;
    num += dt * (p.v - mv);
    den += dt * dt;
  }
  if (den === 0) return undefined;
  const slope = num / den;
  return { slope, at: (t) => mv + slope * (t - t0 - mt) };
}

/**
 * Where the history heads. `points` in time order; `goal` null when there is
 * none; `flatPerWeek` is the weekly change below which the trend counts as
 * flat (e.g. half of the field's display step).
 */
export function project(
  points: readonly Point[],
  goal: number | null,
  flatPerWeek: number,
): Projection {
  const last = points.at(-1);
  const first = points[0];
  if (!last || !first) return { kind: "not-enough" };
  if (goal !== null) {
    // The direction is the one the history set out in: from the first value toward the goal.
    const direction = Math.sign(goal - first.v) || Math.sign(goal - last.v);
    if (direction === 0 || Math.sign(goal - last.v) !== direction) return { kind: "reached" };
  }
  const recent = points.filter((p) => p.t >= last.t - TREND_WINDOW_DAYS * DAY_MS);
  const span = last.t - (recent[0]?.t ?? last.t);
  const line = recent.length >= MIN_TREND_POINTS ? leastSquares(recent) : undefined;
  if (!line || span < MIN_TREND_SPAN_DAYS * DAY_MS) return { kind: "not-enough" };
  const perDay = line.slope * DAY_MS;
  const perWeek = perDay * 7;
  const start = recent[0] ?? last;
  const trendLine: [Point, Point] = [
    { t: start.t, v: line.at(start.t) },
    { t: last.t, v: line.at(last.t) },
  ];
  if (Math.abs(perWeek) < flatPerWeek) return { kind: "flat", perWeek, line: trendLine };
  if (goal === null) return { kind: "trend", perWeek, line: trendLine };
  const need = goal - last.v;
  if (Math.sign(perDay) !== Math.sign(need)) return { kind: "away", perWeek, line: trendLine };
  const days = need / perDay;
  if (days > MAX_PROJECTION_DAYS) return { kind: "far", perWeek, line: trendLine };
  return { kind: "toward", perWeek, line: trendLine, at: last.t + days * DAY_MS };
}

/** Round numbers for an axis between `min` and `max`: about `count` ticks at 1, 2 or 5 × 10ⁿ (or fewer, never many more). */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw * 0.7) ?? 10) * power;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) {
    // Rounding keeps 0.30000000000000004 out of the labels.
    ticks.push(Number(tick.toPrecision(12)));
  }
  return ticks;
}
