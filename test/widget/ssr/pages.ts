/**
 * Server-rendered pages for test/widget/ssr.test.ts, rendered in this Node process with
 * Lit's SSR from the npm package's modules (built here with the package's own build, so
 * their templates are the script-tag bundle's, as hydration requires), each served with
 * the Content-Security-Policy it is meant to work under:
 *
 * - `/test/widget/ssr/hashed.html`: Lit's own output (a `<style>` in each shadow root),
 *   `style-src 'self'` plus the hashes `crmStyleHashes` gives;
 * - `/test/widget/ssr/strict.html`: rendered with `crmElementRenderers` (no `<style>`),
 *   the product's strict `style-src 'self'`;
 * - `/test/widget/ssr/refused.html`: Lit's own output under the strict policy, which
 *   refuses its `<style>` elements (what a site owner who adds no hash gets).
 *
 * The query string tells `page.js` which hydrate support to load (`hydrate=crm`, the
 * package's; `hydrate=lit`, Lit's alone), the proxy and the token.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { TestRunnerPlugin } from "@web/test-runner";
import { buildLibrary } from "../../../widget/package.ts";
import { customerTags as tags } from "../../../widget/src/tags.ts";

/** What the tests import of the package's `lib/ssr.js` (typed from its source). */
type SsrModule = typeof import("../../../widget/src/ssr/server.ts");
type LitSsr = typeof import("@lit-labs/ssr");
type LitHtml = typeof import("lit");

/** The tags a server-rendered page holds, with the attributes a site owner writes. */
const body = (lit: LitHtml) =>
  lit.html`<crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>
    <crm-field slug="tracker" field="current_weight" editable></crm-field>
    <crm-form slug="tracker" fields="mood,notes"></crm-form>
    <crm-entries slug="deals"></crm-entries>
    <crm-field-history slug="tracker" field="current_weight"></crm-field-history>`;

function policy(styleSources: string[]): string {
  return [
    "default-src 'self'",
    `style-src ${["'self'", ...styleSources].join(" ")}`,
    "connect-src 'self' http://127.0.0.1:*",
  ].join("; ");
}

export function ssrPages(root: string): TestRunnerPlugin {
  let pages: Map<string, { html: string; csp: string }> | undefined;
  return {
    name: "crm-ssr-pages",
    async serverStart() {
      const dist = join(root, "test-results", "ssr-package");
      await buildLibrary(dist);
      const load = <T>(path: string) =>
        import(pathToFileURL(join(dist, "lib", path)).href) as Promise<T>;
      // The components register in Lit's server registry on import, as in a site's server.
      await load("index.js");
      await load("components/crm-field-history.js");
      const ssr = await load<SsrModule>("ssr.js");
      const { render } = (await import("@lit-labs/ssr")) as LitSsr;
      const { collectResult } = await import("@lit-labs/ssr/lib/render-result.js");
      const lit = (await import("lit")) as LitHtml;
      const page = async (elementRenderers?: LitSsr["LitElementRenderer"][]) => {
        const rendered = await collectResult(
          render(body(lit), elementRenderers ? { elementRenderers } : {}),
        );
        return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>crm-widgets rendered on the server</title>
    <script src="/test/widget/ssr/page.js"></script>
  </head>
  <body>
    ${rendered}
  </body>
</html>`;
      };
      const hashes = await ssr.crmStyleHashes(tags);
      pages = new Map([
        ["/test/widget/ssr/hashed.html", { html: await page(), csp: policy(hashes) }],
        [
          "/test/widget/ssr/strict.html",
          { html: await page(ssr.crmElementRenderers), csp: policy([]) },
        ],
        ["/test/widget/ssr/refused.html", { html: await page(), csp: policy([]) }],
      ]);
    },
    serve(context) {
      const page = pages?.get(context.path);
      if (!page) return undefined;
      return {
        body: page.html,
        type: "html",
        headers: { "Content-Security-Policy": page.csp },
      };
    },
  };
}
