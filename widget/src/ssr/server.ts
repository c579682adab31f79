/**
 * Server rendering of the customer components with Lit's own SSR (`@lit-labs/ssr`), for
 * the server of a page: it imports the components (which registers them in Lit's server
 * registry), then renders their tags with `render()` from `@lit-labs/ssr`. What a component
 * renders there is its loading state inside a declarative shadow root: the server holds no
 * session token, so nothing is read (a component reads only once connected in a browser).
 *
 * Lit writes each component's styles as an inline `<style>` into its shadow root, which a
 * page served with `style-src 'self'` refuses. Two ways, both tested (test/ssr, test/widget):
 * - `crmStyleHashes(tags)`: the CSP hashes of those `<style>` elements, for the page's
 *   `style-src`; the loading state is styled before the script runs;
 * - `crmElementRenderers`: renders the components without their `<style>`, so the page keeps
 *   `style-src 'self'`; `crm-widgets/hydrate-support` (hydrate-support.ts) gives them their
 *   stylesheets (through the CSSOM, as every component has them) when they hydrate.
 */
import { LitElementRenderer } from "@lit-labs/ssr";
import type { ThunkedRenderResult } from "@lit-labs/ssr/lib/render-result.js";
import type { RenderInfo } from "@lit-labs/ssr/lib/render-value.js";
import type { CSSResult, LitElement } from "lit";
import { customerTags } from "../tags.ts";

/** Renders a CRM component's shadow root without its `<style>` (Lit's renderer for the rest). */
export class CrmStyleFreeRenderer extends LitElementRenderer {
  // By tag, not by class: the server may hold another copy of the components than this module's.
  static override matchesClass(ctor: typeof HTMLElement, tagName = ""): boolean {
    return (
      LitElementRenderer.matchesClass(ctor) && (customerTags as readonly string[]).includes(tagName)
    );
  }

  override renderShadow(renderInfo: RenderInfo): ThunkedRenderResult | undefined {
    const shadow = super.renderShadow(renderInfo);
    // Lit writes `<style>`, each stylesheet's text, `</style>`, then the template.
    const styleEnd = shadow?.indexOf("</style>") ?? -1;
    return styleEnd === -1 ? shadow : shadow?.slice(styleEnd + 1);
  }
}

/**
 * `render(value, { elementRenderers: crmElementRenderers })`: the CRM components without
 * their inline `<style>` (a page with `style-src 'self'`), any other Lit element as Lit does.
 */
export const crmElementRenderers = [CrmStyleFreeRenderer, LitElementRenderer];

/**
 * The `style-src` sources (`'sha256-…'`) that allow the `<style>` Lit's `render()` writes
 * into the shadow root of each of `tags`, which must be defined (their modules imported).
 */
export async function crmStyleHashes(tags: readonly string[]): Promise<string[]> {
  return Promise.all(
    tags.map(async (tag) => {
      const element = customElements.get(tag) as typeof LitElement | undefined;
      if (!element?.elementStyles)
        throw new Error(`${tag} is not defined: import its module first`);
      // The text of the one `<style>` LitElementRenderer writes: every stylesheet, in order.
      // A server has no CSSStyleSheet: every style there is a CSSResult (`css```).
      const text = element.elementStyles.map((style) => (style as CSSResult).cssText).join("");
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
      return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
    }),
  );
}
