/**
 * The staff writes of Customer Details, each one a call of the staff batch
 * (`POST /v1/staff/batch`, as the signed-in staff member, for the customer's
 * reference): the same operations, argument checks and history records as
 * every other layer, so the proxy records each change as made by that staff
 * member.
 */
import type { Actor, FieldValue } from "#domain/browser";
import { formatTimestamp } from "../format.ts";

/** Who made a change, in words ("staff sam", "the customer", "a backend script"). */
export function actorText(actor: Actor | undefined): string {
  if (!actor) return "";
  switch (actor.type) {
    case "staff":
      return actor.id ? `staff ${actor.id}` : "staff";
    case "customer":
      return "the customer";
    default:
      return "a backend script";
  }
}

/** "Last changed 3 Dec 2026, 10:04 by staff sam". */
export function lastChanged(at: string, by: Actor | undefined, locale: string): string {
  const who = actorText(by);
  return `Last changed ${formatTimestamp(at, locale)}${who ? ` by ${who}` : ""}`;
}

/** One field's recorded values, newest first, as staff see them (with who made each). */
export interface FieldHistoryView {
  points: { at: string; value: FieldValue; by?: Actor | undefined }[];
  /** More, older records exist than are shown. */
  more: boolean;
}

/** What the erase answered, shown in place of the customer's entries. */
export interface ErasedCustomer {
  customerId: string;
  entries: number;
  history: number;
}

/** The file name of a customer's export: their id and the day, safe on every file system. */
export function exportFileName(customerId: string, now = new Date()): string {
  return `crm-export-${customerId.replace(/[^\w.-]/g, "_")}-${now.toISOString().slice(0, 10)}.json`;
}

/** Hands `data` to the browser as a JSON file download (a blob URL, no inline script or style). */
export function downloadJson(data: unknown, fileName: string, host: ParentNode): void {
  const url = URL.createObjectURL(
    new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: "application/json" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  // In the component's own tree: a click on a detached link does nothing in some browsers.
  host.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; it can go once this task is over.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
