/**
 * The script-tag bundle (`dist/crm-widgets.js`), the core a customer page
 * loads: Lit, the page runtime, the shared validation and the components'
 * base. Each component's module comes from `components/` beside this file the
 * first time its tag appears, so a copy on a CDN works and a page downloads
 * only what it uses; tags that appear together come in one file
 * (`components/all.js`, every customer component), which gzips smaller than
 * their modules one by one. Configured from the script tag's `data-*` attributes.
 */
import { autoload } from "./autoloader.ts";
import { pageRuntime } from "./runtime/index.ts";
import { customerTags } from "./tags.ts";

export { discover } from "./autoloader.ts";
export * from "./core.ts";

pageRuntime(import.meta.url);
autoload({
  folder: new URL("./components/", import.meta.url),
  tags: customerTags,
  all: "all.js",
});
