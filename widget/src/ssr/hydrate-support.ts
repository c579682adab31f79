/**
 * Hydration of server-rendered CRM components, for the pages whose server renders them
 * (never part of the core): Lit's `lit-element-hydrate-support`, which makes a component
 * take over the declarative shadow root the server sent instead of rendering a second copy,
 * plus the component's stylesheets. Lit's hydration keeps the server's `<style>` and adopts
 * none, so a root rendered without it (`crmElementRenderers`, for `style-src 'self'`), or
 * whose `<style>` the page's CSP refused, would stay unstyled; adopted stylesheets go through
 * the CSSOM, which a strict CSP allows, as every component's do.
 *
 * Load it before any Lit module (before the components or the script-tag core).
 */
import "@lit-labs/ssr-client/lit-element-hydrate-support.js";
import type { CSSResultOrNative } from "lit";

/** What the hydrate support sees of a LitElement class (its render root is protected). */
interface HydratedClass {
  elementStyles: CSSResultOrNative[];
  prototype: { createRenderRoot(this: HTMLElement): HTMLElement | DocumentFragment };
}

type HydrateSupport = (lit: { LitElement: HydratedClass }) => void;

const page = globalThis as { litElementHydrateSupport?: HydrateSupport };
const litHydrateSupport = page.litElementHydrateSupport;

// Each Lit copy calls this once, when its LitElement module runs: this module must run first.
page.litElementHydrateSupport = (lit) => {
  litHydrateSupport?.(lit);
  const prototype = lit.LitElement.prototype;
  const createRenderRoot = prototype.createRenderRoot;
  prototype.createRenderRoot = function (this: HTMLElement) {
    const serverRendered = this.shadowRoot;
    const root = createRenderRoot.call(this);
    if (serverRendered && root === serverRendered) {
      // Lit's `adoptStyles` by hand: importing it from "lit" here would run Lit's element
      // module, and so install the plain hydrate support, before this wrapper is in place.
      const { elementStyles } = this.constructor as unknown as HydratedClass;
      serverRendered.adoptedStyleSheets = elementStyles.flatMap((style) =>
        style instanceof CSSStyleSheet ? [style] : style.styleSheet ? [style.styleSheet] : [],
      );
    }
    return root;
  };
};
