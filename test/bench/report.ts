/** The bench's outputs: a console table, JSON, a Markdown report and an SVG chart. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Target {
  name: string;
  target: string;
  value: string;
  met: boolean;
  note?: string;
}

/** A target met by a value of at most `limit` (`unit`: "×" for ratios, " ms", …). */
export function atMost(name: string, value: number, limit: number, unit: string): Target {
  return measuredTarget(name, value, limit, unit, "≤", value <= limit);
}

export function atLeast(name: string, value: number, limit: number, unit: string): Target {
  return measuredTarget(name, value, limit, unit, "≥", value >= limit);
}

function measuredTarget(
  name: string,
  value: number,
  limit: number,
  unit: string,
  sign: string,
  met: boolean,
): Target {
  const show = (n: number) => `${n.toFixed(unit === "×" || Math.abs(n) < 10 ? 2 : 1)}${unit}`;
  return { name, target: `${sign} ${show(limit)}`, value: show(value), met };
}

export interface Row {
  section: string;
  metric: string;
  value: string;
}

export interface Bar {
  label: string;
  value: number;
  color: string;
}

export interface ChartGroup {
  title: string;
  unit: string;
  bars: Bar[];
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

export function table(rows: Row[]): string {
  const widths = [
    Math.max(7, ...rows.map((r) => r.section.length)),
    Math.max(6, ...rows.map((r) => r.metric.length)),
  ];
  const lines = [`${pad("section", widths[0] ?? 0)}  ${pad("metric", widths[1] ?? 0)}  value`];
  lines.push("-".repeat((lines[0]?.length ?? 0) + 20));
  for (const row of rows) {
    lines.push(
      `${pad(row.section, widths[0] ?? 0)}  ${pad(row.metric, widths[1] ?? 0)}  ${row.value}`,
    );
  }
  return lines.join("\n");
}

export function targetTable(targets: Target[]): string {
  const width = Math.max(...targets.map((t) => t.name.length));
  const valueWidth = Math.max(...targets.map((t) => t.value.length));
  return targets
    .map(
      (t) =>
        `${t.met ? "MET   " : "MISSED"}  ${pad(t.name, width)}  ${pad(t.value, valueWidth)}  (target ${t.target})`,
    )
    .join("\n");
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"]/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c,
  );
}

/** Horizontal bars, one panel per group, each scaled to its own largest value. */
export function chartSvg(groups: ChartGroup[]): string {
  const width = 720;
  const labelWidth = 230;
  const barArea = width - labelWidth - 110;
  const barHeight = 18;
  let y = 10;
  const parts: string[] = [];
  for (const group of groups) {
    y += 20;
    parts.push(
      `<text x="10" y="${y}" font-weight="bold">${escapeXml(group.title)} (${escapeXml(group.unit)})</text>`,
    );
    y += 8;
    const max = Math.max(1e-9, ...group.bars.map((bar) => bar.value));
    for (const bar of group.bars) {
      const length = Math.max(1, (bar.value / max) * barArea);
      parts.push(`<text x="10" y="${y + 13}">${escapeXml(bar.label)}</text>`);
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" fill="${bar.color}"/>`,
      );
      parts.push(
        `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 13}">${escapeXml(formatNumber(bar.value))}</text>`,
      );
      y += barHeight + 6;
    }
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...parts,
    "</svg>",
  ].join("\n");
}

export function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en");
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function writeReport(
  folder: string,
  data: { json: unknown; rows: Row[]; targets: Target[]; chart: ChartGroup[]; notes: string[] },
): { json: string; markdown: string; svg: string } {
  mkdirSync(folder, { recursive: true });
  const files = {
    json: join(folder, "bench.json"),
    markdown: join(folder, "bench.md"),
    svg: join(folder, "bench.svg"),
  };
  writeFileSync(
    files.json,
    `${JSON.stringify({ ...(data.json as object), targets: data.targets }, null, 2)}\n`,
  );
  writeFileSync(files.svg, chartSvg(data.chart));
  const md = [
    "# crm-widgets bench",
    "",
    "![bench chart](bench.svg)",
    "",
    "## Targets",
    "",
    "| | target | measured | goal | note |",
    "|---|---|---|---|---|",
    ...data.targets.map(
      (t) =>
        `| ${t.met ? "✅ met" : "❌ missed"} | ${t.name} | ${t.value} | ${t.target} | ${t.note ?? ""} |`,
    ),
    "",
    "## Figures",
    "",
    "| section | metric | value |",
    "|---|---|---|",
    ...data.rows.map((r) => `| ${r.section} | ${r.metric} | ${r.value} |`),
    "",
    "## Notes",
    "",
    ...data.notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
  writeFileSync(files.markdown, md);
  return files;
}
