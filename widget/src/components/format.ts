import type { FieldDefinition, FieldValue } from "#domain/browser";
import { message } from "./messages.ts";

/** An ISO 4217 currency code (`EUR`, `USD`) rather than a measurement unit. */
const isCurrency = (unit: string) => /^[A-Z]{3}$/.test(unit);

/** Intl options for a unit: money for currency codes, else the unit Intl knows (kg, percent…). */
function unitStyle(unit: string): Intl.NumberFormatOptions {
  return isCurrency(unit) ? { style: "currency", currency: unit } : { style: "unit", unit };
}

/** A number in the locale's digits, with its unit the locale's way when Intl knows it. */
function formatNumber(
  value: number,
  locale: string,
  unit: string | undefined,
  decimals: number | undefined,
) {
  // Without set decimals, money keeps its currency's own (cents), other numbers up to three.
  const digits: Intl.NumberFormatOptions =
    decimals !== undefined
      ? { minimumFractionDigits: decimals, maximumFractionDigits: decimals }
      : unit && isCurrency(unit)
        ? {}
        : { maximumFractionDigits: 3 };
  if (unit) {
    try {
      return new Intl.NumberFormat(locale, { ...digits, ...unitStyle(unit) }).format(value);
    } catch {
      return `${new Intl.NumberFormat(locale, digits).format(value)} ${unit}`;
    }
  }
  return new Intl.NumberFormat(locale, digits).format(value);
}

/** A unit as the locale writes it ("kilogram" → "kg", "EUR" → "€"); units Intl does not know stay as written. */
export function unitLabel(unit: string, locale: string): string {
  try {
    return (
      new Intl.NumberFormat(locale, unitStyle(unit))
        .formatToParts(1)
        .find((part) => part.type === "unit" || part.type === "currency")?.value ?? unit
    );
  } catch {
    return unit;
  }
}

/** A `YYYY-MM-DD` date as the locale writes it (the date has no time zone: UTC keeps the day). */
export function formatDate(
  value: string,
  locale: string,
  style: "medium" | "long" = "medium",
): string {
  const [year, month, day] = value.split("-").map(Number);
  if (!year || !month || !day) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/** An ISO timestamp as a short localized date. */
export function formatTimestamp(value: string, locale: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(date);
}

export function isEmptyValue(value: FieldValue | undefined): boolean {
  return value === null || value === undefined || value === "";
}

/** A field value as people read it in `locale`; empty values give "". */
export function formatValue(
  field: FieldDefinition,
  value: FieldValue | undefined,
  locale: string,
): string {
  if (isEmptyValue(value)) return "";
  switch (field.type) {
    case "number": {
      return typeof value === "number"
        ? formatNumber(value, locale, field.unit, field.decimals)
        : String(value);
    }
    case "date":
      return typeof value === "string" ? formatDate(value, locale) : String(value);
    case "boolean":
      return message(locale, value ? "yes" : "no");
    case "select":
      return field.options.find((option) => option.value === value)?.label ?? String(value);
    default:
      return String(value);
  }
}

/**
 * A color as one custom property declaration, bound as the `.style` property
 * (`style.cssText`, the CSSOM) and never as a `style` attribute, which a strict
 * Content-Security-Policy (`style-src 'self'`) refuses. Colors come from entity
 * definitions; anything but `#rrggbb` is dropped, so nothing else can reach the style.
 */
export function colorStyle(property: string, color: string | undefined): string {
  return color && /^#[\da-f]{6}$/i.test(color) ? `${property}:${color}` : "";
}
