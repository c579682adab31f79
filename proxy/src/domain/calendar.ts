/**
 * Date helpers without zod, so the browser bundle can check dates without
 * pulling in the entity schemas.
 */

/** `2025-02-30` matches the pattern but is no day of any calendar. */
export function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear takes the year as given.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
