import { expect } from "@open-wc/testing";
import { pageRuntime } from "../../widget/src/runtime/index.ts";

/**
 * The page runtime reads its configuration from the script tag that loaded
 * it; when none matches the module's URL (a CDN redirect, a query string, a
 * bundler renaming the file, a separate configuration tag), any tag of the
 * page with `data-proxy-url` configures it. Each test file runs in a page of
 * its own, so this page's runtime is made here first.
 */
describe("the script tag that configures the page runtime", () => {
  it("falls back to any script[data-proxy-url] of the page when none is the module's own", () => {
    const tag = document.createElement("script");
    tag.type = "application/json";
    tag.dataset.proxyUrl = "https://crm.shop.test";
    tag.dataset.locale = "de-DE";
    document.head.append(tag);
    const runtime = pageRuntime("https://cdn.shop.test/crm-widgets.js?v=2");
    expect(runtime.config.proxyUrl).to.equal("https://crm.shop.test");
    expect(runtime.locale).to.equal("de-DE");
    expect(window.CrmWidgets?.runtime).to.equal(runtime);
  });
});
