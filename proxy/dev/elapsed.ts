/** Time taken since `since` (a `performance.now()` reading), as the dev tools print it: "4.2 s". */
export function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
