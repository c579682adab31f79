/**
 * The built bundles as a site owner embeds them: a script tag pointing at the
 * minified build the test runner makes (served as /test-results/bundle/), and
 * which of its files the page has downloaded.
 */

const bundle = "/test-results/bundle/";

/**
 * Adds the script tag of `file` (the customer core by default) with
 * `attributes`, as pasted into a page, and waits until it has run.
 */
export async function embed(
  attributes: Record<string, string>,
  file: "crm-widgets.js" | "crm-back-office.js" = "crm-widgets.js",
): Promise<void> {
  const script = document.createElement("script");
  script.type = "module";
  script.src = `${bundle}${file}`;
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  const loaded = new Promise((resolve, reject) => {
    script.addEventListener("load", resolve);
    script.addEventListener("error", reject);
  });
  document.head.append(script);
  await loaded;
}

/** The bundle's files this page has downloaded so far, relative to the bundle folder. */
export function loadedFiles(): string[] {
  return performance
    .getEntriesByType("resource")
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.startsWith(bundle))
    .map((path) => path.slice(bundle.length));
}
