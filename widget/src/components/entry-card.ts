import { css, html, nothing, type TemplateResult } from "lit";
import {
  type CrmEntry,
  type EntityDefinition,
  type FieldDefinition,
  ownValue,
} from "#domain/browser";
import { outcomeSuffix, renderStages, stageWord } from "./crm-pipeline-progress/stages.ts";
import { colorStyle, formatTimestamp, formatValue } from "./format.ts";
import { message, words } from "./messages.ts";

/** The card's own words. */
const cardWord = words({ updated: "Updated {date}" }, ["Aktualisiert am {date}"]);

/** What one entry card shows. */
export interface EntryCardOptions {
  entity: EntityDefinition;
  entry: CrmEntry;
  /** The fields shown, in order. */
  fields: FieldDefinition[];
  locale: string;
  /** `chips`: each pipeline's current stage as a chip; `full`: each pipeline's stage list. */
  stagesLayout: "chips" | "full";
}

/** One entry as a card: its fields as a description list, then its stages. */
export function renderEntryCard({
  entity,
  entry,
  fields,
  locale,
  stagesLayout,
}: EntryCardOptions): TemplateResult {
  return html`<article part="entry" class="entry" aria-label=${entryTitle(entity, entry, fields, locale)}>
    <dl part="values" class="values">
      ${fields.map((field) => {
        const text = formatValue(field, ownValue(entry.values, field.key) ?? null, locale);
        return html`<div class="pair">
          <dt part="field-label">${field.label}</dt>
          <dd part="field-value" class=${text ? "" : "empty"}>${text || message(locale, "empty")}</dd>
        </div>`;
      })}
    </dl>
    ${
      entity.pipelines.length === 0
        ? nothing
        : stagesLayout === "chips"
          ? html`<ul part="stage-chips" class="chips">
              ${entity.pipelines.map((pipeline) => {
                const position = ownValue(entry.stages, pipeline.key);
                const stage = pipeline.stages.find(
                  (candidate) => candidate.key === position?.stage,
                );
                return html`<li
                  part="stage-chip"
                  class="chip status-${stage?.status ?? "none"}"
                  .style=${colorStyle("--_stage", stage?.color)}
                >
                  <span class="chip-pipeline">${pipeline.label}:</span>
                  ${stage?.label ?? stageWord(locale, "notStarted")}${outcomeSuffix(locale, stage)}
                </li>`;
              })}
            </ul>`
          : entity.pipelines.map(
              (pipeline) =>
                html`<div class="entry-pipeline">
                  ${renderStages({
                    pipeline,
                    position: ownValue(entry.stages, pipeline.key) ?? null,
                    locale,
                    layout: "full",
                    showDescriptions: false,
                  })}
                </div>`,
            )
    }
    <p part="updated" class="updated">${cardWord(locale, "updated", { date: formatTimestamp(entry.updatedAt, locale) })}</p>
  </article>`;
}

function entryTitle(
  entity: EntityDefinition,
  entry: CrmEntry,
  fields: FieldDefinition[],
  locale: string,
): string {
  const first = fields[0];
  const text = first ? formatValue(first, ownValue(entry.values, first.key) ?? null, locale) : "";
  return text ? `${entity.name}: ${text}` : entity.name;
}

export const entryCardStyles = css`
  .entry {
    display: grid;
    gap: 0.75em;
    padding: 0.9em 1em;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .values {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(10em, 1fr));
    gap: 0.6em 1.2em;
    margin: 0;
  }
  .pair {
    min-width: 0;
  }
  dt {
    color: var(--_muted);
    font-size: 0.8em;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
    font-variant-numeric: tabular-nums;
  }
  dd.empty {
    color: var(--_muted);
    font-style: italic;
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .chip {
    display: inline-flex;
    gap: 0.3em;
    padding: 0.15em 0.6em;
    border: 1px solid var(--_stage, var(--_border));
    border-inline-start-width: 4px;
    border-radius: var(--_radius);
    font-size: 0.85em;
  }
  .chip.status-lost {
    border-style: dashed;
  }
  .chip-pipeline {
    color: var(--_muted);
  }
  .updated {
    margin: 0;
    color: var(--_muted);
    font-size: 0.8em;
  }
  /* Where the cards would be when there are none. */
  .empty-box {
    padding: 0.9em 1em;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    color: var(--_muted);
  }
`;
