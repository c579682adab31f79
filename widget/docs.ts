/**
 * Writes the component reference of widget/README.md (between the
 * `<!-- api:start -->` and `<!-- api:end -->` markers) from the
 * custom-elements manifest, so the docs say what the code declares.
 */
import { readFileSync, writeFileSync } from "node:fs";

interface Named {
  name: string;
  description?: string;
  summary?: string;
}

interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  description?: string;
  summary?: string;
  attributes?: (Named & { fieldName?: string; type?: { text: string }; default?: string })[];
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
  slots?: Named[];
}

interface Manifest {
  modules: { declarations?: Declaration[] }[];
}

const cell = (text: string | undefined) =>
  (text ?? "").replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

function table(title: string, headers: string[], rows: string[][]): string {
  if (rows.length === 0) return "";
  return [
    `**${title}**`,
    "",
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
    "",
  ].join("\n");
}

/** The tables that list names with a description, in the order the reference shows them. */
const NAMED_TABLES = [
  ["Events", "Event", "events"],
  ["Slots", "Slot", "slots"],
  ["CSS parts", "Part", "cssParts"],
  ["CSS custom properties", "Property", "cssProperties"],
] as const;

export function componentReference(manifest: Manifest): string {
  const elements = manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .filter((declaration) => declaration.customElement && declaration.tagName)
    .sort((a, b) => a.tagName!.localeCompare(b.tagName!));
  return elements
    .map((element) =>
      [
        `### \`<${element.tagName}>\``,
        "",
        cell(element.description),
        "",
        table(
          "Attributes",
          ["Attribute", "Type", "Default", "Description"],
          (element.attributes ?? []).map((a) => [
            `\`${a.name}\``,
            a.type?.text ?? "",
            a.default ?? "",
            a.description ?? "",
          ]),
        ),
        ...NAMED_TABLES.map(([title, heading, list]) =>
          table(
            title,
            [heading, "Description"],
            (element[list] ?? []).map((n) => [`\`${n.name}\``, n.description ?? ""]),
          ),
        ),
      ]
        .filter((part) => part !== "")
        .join("\n"),
    )
    .join("\n");
}

/** Replaces the reference section of `readmePath`; returns whether the file changed. */
export function writeReference(manifestPath: string, readmePath: string): boolean {
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  const readme = readFileSync(readmePath, "utf8");
  const start = "<!-- api:start -->";
  const end = "<!-- api:end -->";
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to === -1)
    throw new Error(`${readmePath} lacks the ${start} / ${end} markers`);
  const next = `${readme.slice(0, from + start.length)}\n\n${componentReference(manifest)}\n${readme.slice(to)}`;
  if (next === readme) return false;
  writeFileSync(readmePath, next);
  return true;
}
