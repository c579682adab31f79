/** The manager's progress lines, prefixed so they stand out in test and demo output. */
export function log(message: string): void {
  console.log(`[elasticsearch] ${message}`);
}
