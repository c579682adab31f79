import { html, nothing, type PropertyValues, svg, type TemplateResult } from "lit";
import type { FieldDefinition } from "#domain/browser";
import { asCrmError } from "../../runtime/errors.ts";
import type { CrmRuntime } from "../../runtime/runtime.ts";
import { CrmDataElement, states } from "../crm-data-element.ts";
import { defineElement } from "../define.ts";
import { formatValue } from "../format.ts";
import { styles } from "./crm-field-history.styles.ts";
import { chartMessage } from "./messages.ts";
import { niceTicks, type Point, type Projection, project } from "./projection.ts";

interface HistoryData {
  field: FieldDefinition;
  /** Oldest first. */
  points: Point[];
  goal: number | null;
}

const DAY_MS = 86_400_000;
/** The most points one read brings: three years of twice-weekly check-ins. */
const POINTS_LIMIT = 1_000;
const RANGES = { "4w": 28, "3m": 91, all: 0 } as const;
type Range = keyof typeof RANGES;

const PAD = { top: 12, right: 14, bottom: 24, left: 44 };

/**
 * A number field over time, drawn as SVG: the recorded values as a line with
 * points, an optional goal line from another field, the trend of the recent
 * check-ins and, when it heads toward the goal, the projected day of reaching
 * it. Points take keyboard focus (arrow keys move between them); the summary
 * under the chart and the table view say the same in words.
 *
 * @tagname crm-field-history
 * @summary A field's history as a line chart with goal and projection.
 *
 * @event {CrmLoadErrorEvent} crm-load-error - The history could not be loaded; `detail: { error }`.
 *
 * @csspart base - The whole chart block.
 * @csspart label - The field's label.
 * @csspart ranges - The time range buttons; each is a `range` part.
 * @csspart chart - The SVG drawing.
 * @csspart focus - The value and date of the focused point.
 * @csspart summary - The latest value, the goal and the projection in words.
 * @csspart table - The table view of the same data.
 * @csspart empty - Shown when there is no history yet.
 * @csspart error - A load error.
 * @csspart retry - The retry button of the load error.
 * @csspart skeleton - The loading placeholder.
 *
 * @cssproperty --crm-chart-line - Color of the values' line (default: the accent).
 * @cssproperty --crm-chart-goal - Color of the goal line (default: success green).
 * @cssproperty --crm-chart-height - Height of the drawing (default: 220px, 180px when narrow).
 */
export class CrmFieldHistory extends CrmDataElement<HistoryData, [string, string, string, string]> {
  static override properties = {
    slug: { reflect: true },
    field: { reflect: true },
    goalField: { attribute: "goal-field", reflect: true },
    entryId: { attribute: "entry-id", reflect: true },
    range: { reflect: true },
    ...states("width", "focused"),
  };

  static override styles = styles;

  /** The entity's slug, as in CRM settings. */
  slug = "";

  /** The number field whose history is shown (its definition has `history: true`). */
  field = "";

  /** Another number field holding the goal, drawn as a line and projected to. */
  goalField = "";

  /** The entry to show, for entities with several entries per customer. */
  entryId = "";

  /** The time range shown first: `4w`, `3m` or `all`. */
  range: Range = "3m";

  private width = 480;
  private focused = -1;
  #resize: ResizeObserver | undefined;

  protected override loadArgs(): [string, string, string, string] {
    return [this.slug, this.field, this.goalField, this.entryId];
  }

  protected override async load(
    runtime: CrmRuntime,
    slug: string,
    fieldKey: string,
    goalField: string,
    entry: string,
  ): Promise<HistoryData> {
    const entryId = entry || undefined;
    const [entity, history, goal] = await Promise.all([
      runtime.getCrmEntity({ slug }),
      runtime.getCrmFieldHistory({ slug, fieldKey, entryId, order: "desc", limit: POINTS_LIMIT }),
      goalField ? runtime.getCrmField({ slug, fieldKey: goalField, entryId }) : undefined,
    ]);
    const field = entity.fields.find((candidate) => candidate.key === fieldKey);
    if (!field) throw asCrmError({ code: "field_not_found", message: `Unknown field ${fieldKey}` });
    const points = history.points
      .flatMap((point) =>
        typeof point.value === "number" ? [{ t: Date.parse(point.at), v: point.value }] : [],
      )
      .reverse();
    return { field, points, goal: typeof goal?.value === "number" ? goal.value : null };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Drawn at the width it has, so text and strokes are never scaled.
    this.#resize = new ResizeObserver(([entry]) => {
      const width = Math.round(entry?.contentRect.width ?? 0);
      if (width > 0) this.width = width;
    });
    this.#resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
  }

  protected override isEmpty(value: HistoryData): boolean {
    return value.points.length === 0;
  }

  protected override renderLoading(): TemplateResult {
    return html`<div part="skeleton" class="skeleton plot-skeleton" aria-busy="true">
      <span class="sr-only">${this.t("loading")}</span>
    </div>`;
  }

  protected override renderEmpty(): TemplateResult {
    return html`<p part="empty" class="empty">${this.#m("none")}</p>`;
  }

  #m(key: Parameters<typeof chartMessage>[1], params?: Record<string, string | number>) {
    return chartMessage(this.locale, key, params);
  }

  #day(t: number, month: "short" | "long" = "short"): string {
    const date = new Date(t);
    const year = date.getFullYear() !== new Date().getFullYear() ? "numeric" : undefined;
    return new Intl.DateTimeFormat(this.locale, { day: "numeric", month, year }).format(date);
  }

  protected override renderValue(data: HistoryData): TemplateResult {
    const { field, points, goal } = data;
    const value = (v: number) => formatValue(field, v, this.locale);
    const last = points.at(-1)!;
    const days = RANGES[this.range] ?? 0;
    const first = points[0]?.t ?? last.t;
    // A range longer than the history starts where the history does.
    const start = days ? Math.max(first, last.t - days * DAY_MS) : first;
    const shown = points.filter((p) => p.t >= start);
    // Half of the smallest step the field shows counts as no change.
    const step = 10 ** -(field.type === "number" ? (field.decimals ?? 1) : 1);
    const projection = project(points, goal, step / 2);
    return html`<figure part="base" class="base">
      <figcaption class="header">
        <span part="label" class="label">${field.label}</span>
        <span part="ranges" class="ranges" role="group" aria-label=${this.#m("ranges")}>
          ${(Object.keys(RANGES) as Range[]).map(
            (range) => html`<button
              part="range"
              type="button"
              aria-pressed=${range === this.range ? "true" : "false"}
              @click=${() => this.#choose(range)}
            >
              ${this.#m(range === "4w" ? "r4w" : range === "3m" ? "r3m" : "all")}
            </button>`,
          )}
        </span>
      </figcaption>
      <output part="focus" class="focus">${
        shown[this.focused]
          ? `${this.#day(shown[this.focused]!.t)} · ${value(shown[this.focused]!.v)}`
          : nothing
      }</output>
      ${
        shown.length
          ? this.#renderChart(shown, start, goal, projection, value, field.label)
          : html`<p class="empty">${this.#m("noneInRange")}</p>`
      }
      <p part="summary" class="summary">${this.#summary(last, goal, projection, value)}</p>
      <details class="table-view">
        <summary>${this.#m("table")}</summary>
        <table part="table">
          <thead><tr><th scope="col">${this.#m("date")}</th><th scope="col">${field.label}</th></tr></thead>
          <tbody>${[...shown].reverse().map((p) => html`<tr><td>${this.#day(p.t)}</td><td>${value(p.v)}</td></tr>`)}</tbody>
        </table>
      </details>
    </figure>`;
  }

  #summary(
    last: Point,
    goal: number | null,
    projection: Projection,
    value: (v: number) => string,
  ): string {
    const parts = [this.#m("latest", { value: value(last.v), date: this.#day(last.t) })];
    if (goal !== null) parts.push(this.#m("goal", { value: value(goal) }));
    const change = "perWeek" in projection ? value(projection.perWeek) : "";
    const signed =
      change && projection.kind !== "flat" && !change.startsWith("-") && !change.startsWith("−")
        ? `+${change}`
        : change;
    switch (projection.kind) {
      case "toward":
        parts.push(this.#m("toward", { date: this.#day(projection.at, "long") }));
        break;
      case "trend":
        parts.push(this.#m("trend", { change: signed }));
        break;
      case "away":
        parts.push(this.#m("away", { change: signed }));
        break;
      default:
        parts.push(this.#m(projection.kind === "not-enough" ? "notEnough" : projection.kind));
    }
    return parts.join(" ");
  }

  #renderChart(
    shown: Point[],
    start: number,
    goal: number | null,
    projection: Projection,
    value: (v: number) => string,
    label: string,
  ): TemplateResult {
    const width = this.width;
    const height = width < 420 ? 180 : 220;
    const last = shown.at(-1)!;
    // Room on the right for the projection to head toward the goal.
    const end = last.t + Math.max(DAY_MS, (last.t - start) * 0.12);
    const values = shown.map((p) => p.v);
    if (goal !== null) values.push(goal);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const margin = (hi - lo) * 0.08 || 1;
    const ticks = niceTicks(lo - margin, hi + margin, height < 200 ? 3 : 4);
    const y0 = Math.min(lo - margin, ticks[0] ?? lo);
    const y1 = Math.max(hi + margin, ticks.at(-1) ?? hi);
    const x = (t: number) =>
      PAD.left + ((t - start) / (end - start || 1)) * (width - PAD.left - PAD.right);
    const y = (v: number) =>
      PAD.top + ((y1 - v) / (y1 - y0 || 1)) * (height - PAD.top - PAD.bottom);
    const path = shown
      .map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`)
      .join("");
    const dates = niceDates(start, last.t, width < 420 ? 3 : 5);
    let projectionLine: TemplateResult | typeof nothing = nothing;
    if (projection.kind === "toward" && goal !== null) {
      // Clipped at the right edge: the line still shows where it heads.
      const at = Math.min(projection.at, end);
      const v = last.v + ((goal - last.v) * (at - last.t)) / (projection.at - last.t || 1);
      projectionLine = svg`<line class="projection" x1=${x(last.t)} y1=${y(last.v)} x2=${x(at)} y2=${y(v)}></line>`;
    } else if ("line" in projection) {
      const [a, b] = projection.line;
      if (a.t >= start) {
        projectionLine = svg`<line class="trend" x1=${x(a.t)} y1=${y(a.v)} x2=${x(b.t)} y2=${y(b.v)}></line>`;
      }
    }
    const focus =
      this.focused >= 0 && this.focused < shown.length ? this.focused : shown.length - 1;
    return html`<svg
      part="chart"
      class="chart"
      width=${width}
      height=${height}
      viewBox="0 0 ${width} ${height}"
      role="group"
      aria-label=${this.#m("chart", {
        label,
        count: shown.length,
        from: this.#day(shown[0]!.t),
        to: this.#day(last.t),
        min: value(Math.min(...shown.map((p) => p.v))),
        max: value(Math.max(...shown.map((p) => p.v))),
      })}
      @keydown=${(event: KeyboardEvent) => this.#key(event, shown.length)}
    >
      ${ticks.map(
        (
          tick,
        ) => svg`<line class="grid" x1=${PAD.left} x2=${width - PAD.right} y1=${y(tick)} y2=${y(tick)}></line>
          <text class="axis" x=${PAD.left - 6} y=${y(tick)} dy="0.32em" text-anchor="end">${formatTick(tick, this.locale)}</text>`,
      )}
      ${dates.map(
        (t) =>
          svg`<text class="axis" x=${x(t)} y=${height - 6} text-anchor="middle">${this.#day(t)}</text>`,
      )}
      ${
        goal !== null
          ? svg`<line class="goal" x1=${PAD.left} x2=${width - PAD.right} y1=${y(goal)} y2=${y(goal)}></line>
            <text class="goal-label" x=${width - PAD.right} y=${y(goal)} dy="-0.4em" text-anchor="end">${this.#m("goalLine", { value: value(goal) })}</text>`
          : nothing
      }
      ${projectionLine}
      <path class="line" d=${path}></path>
      ${shown.map(
        (p, i) => svg`<circle
          class="point ${i === this.focused ? "focused" : ""}"
          cx=${x(p.t)}
          cy=${y(p.v)}
          r="4"
          role="img"
          tabindex=${i === focus ? "0" : "-1"}
          aria-label="${this.#day(p.t)}: ${value(p.v)}"
          @focus=${() => {
            this.focused = i;
          }}
          @blur=${() => {
            if (this.focused === i) this.focused = -1;
          }}
        ></circle>`,
      )}
    </svg>`;
  }

  #choose(range: Range): void {
    this.range = range;
    this.focused = -1;
  }

  /** Arrow keys, Home and End move focus between points (one tab stop for the whole chart). */
  #key(event: KeyboardEvent, count: number): void {
    const current = this.focused < 0 ? count - 1 : this.focused;
    const next =
      event.key === "ArrowLeft" || event.key === "ArrowDown"
        ? current - 1
        : event.key === "ArrowRight" || event.key === "ArrowUp"
          ? current + 1
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? count - 1
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    this.focused = Math.max(0, Math.min(count - 1, next));
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has("focused") && this.focused >= 0) {
      const point = this.renderRoot.querySelectorAll<SVGCircleElement>("circle")[this.focused];
      if (point && this.shadowRoot?.activeElement !== point) point.focus();
    }
  }
}

defineElement("crm-field-history")(CrmFieldHistory);

/** Tick labels without units (the unit is in the summary and the points' labels). */
function formatTick(tick: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(tick);
}

/** About `count` dates evenly between `from` and `to`, on whole days. */
function niceDates(from: number, to: number, count: number): number[] {
  const span = to - from;
  if (span < DAY_MS) return [to];
  const step = Math.max(DAY_MS, Math.round(span / count / DAY_MS) * DAY_MS);
  const dates: number[] = [];
  for (let t = from + step / 2; t <= to; t += step) dates.push(t);
  return dates;
}

declare global {
  interface HTMLElementTagNameMap {
    "crm-field-history": CrmFieldHistory;
  }
}
